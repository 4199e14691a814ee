//===- CostAttributes.cpp - cost figures as op attributes -----------------===//

#include "tfperf/Transforms/CostAttributes.h"

using namespace mlir;
using namespace mlir::tfperf;

Attribute mlir::tfperf::countAttr(Builder &b, const SymExpr &e) {
  if (auto v = e.getInt64())
    return b.getI64IntegerAttr(*v);
  return b.getStringAttr(e.str());
}

Attribute mlir::tfperf::bytesAttr(Builder &b, const SymExpr &bits) {
  if (auto q = bits.divExact(SymExpr(8)))
    return countAttr(b, *q);
  if (bits.isConstant())
    return b.getF64FloatAttr(int128ToDouble(bits.getConstant()) / 8);
  return b.getStringAttr("(" + bits.str() + ") / 8");
}
