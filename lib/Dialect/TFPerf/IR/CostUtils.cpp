//===- CostUtils.cpp - helpers for tfperf cost functions ------------------===//

#include "CostUtils.h"

using namespace mlir;
using namespace mlir::tfperf;

std::optional<ArrayRef<SymExpr>> cost::dimsOf(const ShapeQuery &q, Value v,
                                              OpCost &c) {
  auto d = q.dims(v);
  if (!d) {
    c.unknownReason = "a tensor of unknown rank";
    return std::nullopt;
  }
  for (const SymExpr &x : *d)
    if (x.isUnknown()) {
      c.unknownReason = "a tensor with an unknown dim";
      return std::nullopt;
    }
  return d;
}

std::optional<SymExpr> cost::elements(const ShapeQuery &q, Value v,
                                      OpCost &c) {
  auto d = dimsOf(q, v, c);
  if (!d)
    return std::nullopt;
  return product(*d);
}

LogicalResult cost::readWriteAll(Operation *op, const ShapeQuery &q,
                                 OpCost &c) {
  for (Value v : op->getOperands()) {
    auto n = elements(q, v, c);
    if (!n)
      return failure();
    c.read(v, *n);
  }
  for (Value v : op->getResults()) {
    auto n = elements(q, v, c);
    if (!n)
      return failure();
    c.write(v, *n);
  }
  return success();
}

LogicalResult cost::elementwise(Operation *op, const ShapeQuery &q, OpCost &c,
                                int64_t flopsPerElement) {
  if (failed(readWriteAll(op, q, c)))
    return failure();
  SymExpr out(0);
  for (Value v : op->getResults())
    out = out + q.numElements(v);
  c.flops = out * SymExpr(flopsPerElement);
  return success();
}

LogicalResult cost::view(OpCost &c) {
  c.isView = true;
  return success();
}
