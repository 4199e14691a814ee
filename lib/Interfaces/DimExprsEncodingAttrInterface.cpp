//===- DimExprsEncodingAttrInterface.cpp - getSymbolicDims ----------------===//

#include "tfperf/Interfaces/DimExprsEncodingAttrInterface.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace mlir::tfperf;

#include "tfperf/Interfaces/DimExprsEncodingAttrInterface.cpp.inc"

std::optional<SmallVector<SymExpr, 4>> mlir::tfperf::getSymbolicDims(Type type) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  if (!ranked)
    return std::nullopt;
  auto encoding =
      dyn_cast_or_null<DimExprsEncodingAttrInterface>(ranked.getEncoding());
  ArrayAttr exprs = encoding ? encoding.getDynamicDimExprs() : ArrayAttr();
  SmallVector<SymExpr, 4> dims;
  dims.reserve(ranked.getRank());
  unsigned dynIdx = 0;
  for (int64_t d : ranked.getShape()) {
    if (!ShapedType::isDynamic(d)) {
      dims.push_back(SymExpr(d));
      continue;
    }
    SymExpr e = SymExpr::unknown();
    if (exprs && dynIdx < exprs.size())
      if (auto str = dyn_cast<StringAttr>(exprs[dynIdx]))
        if (auto parsed = SymExpr::parse(str.getValue()))
          if (parsed->getSingleSymbol() != llvm::StringRef("?"))
            e = *parsed;
    ++dynIdx;
    dims.push_back(e);
  }
  return dims;
}
