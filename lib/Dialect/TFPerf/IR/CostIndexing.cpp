//===- CostIndexing.cpp - cost of indexing ops ----------------------------===//
//
// Gathers read the indices and only the gathered elements; scatters are in
// place (the updates and indices move, not the data); selections compare
// once per input element (docs/CostModel.md).
//
//===----------------------------------------------------------------------===//

#include "CostUtils.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

using namespace mlir;
using namespace mlir::tfperf;

LogicalResult TriluOp::computeCost(const ShapeQuery &q, OpCost &c) {
  // A select per element (keep or zero).
  return cost::elementwise(*this, q, c, 1);
}

LogicalResult CumSumOp::computeCost(const ShapeQuery &q, OpCost &c) {
  return cost::elementwise(*this, q, c, 1);
}

LogicalResult NonZeroOp::computeCost(const ShapeQuery &q, OpCost &c) {
  // A compare per input element; writes the index tuples found.
  auto in = cost::readWhole(q, c, getInput());
  auto out = cost::elements(q, getOutput(), c);
  if (!in || !out)
    return failure();
  c.write(getOutput(), *out);
  c.flops = *in;
  return success();
}

LogicalResult TopKOp::computeCost(const ShapeQuery &q, OpCost &c) {
  // One selection pass: a compare per input element.
  if (failed(cost::readWriteAll(*this, q, c)))
    return failure();
  c.flops = q.numElements(getInput());
  return success();
}

/// A gather of elements: the indices and the gathered elements are read.
static LogicalResult gatherCost(Operation *op, const ShapeQuery &q,
                                OpCost &c) {
  Value data = op->getOperand(0), idx = op->getOperand(1);
  auto out = cost::elements(q, op->getResult(0), c);
  if (!out || !cost::readWhole(q, c, idx))
    return failure();
  c.read(data, *out);
  c.write(op->getResult(0), *out);
  return success();
}

LogicalResult GatherElementsOp::computeCost(const ShapeQuery &q, OpCost &c) {
  return gatherCost(*this, q, c);
}

LogicalResult GatherNDOp::computeCost(const ShapeQuery &q, OpCost &c) {
  return gatherCost(*this, q, c);
}

/// A scatter in place: updates and indices read, updates written; a
/// reduction combines each update with the element it lands on.
static LogicalResult scatterCost(Operation *op, StringRef reduction,
                                 const ShapeQuery &q, OpCost &c) {
  auto upd = cost::readWhole(q, c, op->getOperand(2));
  if (!upd || !cost::readWhole(q, c, op->getOperand(1)))
    return failure();
  c.write(op->getResult(0), *upd);
  if (reduction != "none")
    c.flops = *upd;
  return success();
}

LogicalResult ScatterNDOp::computeCost(const ShapeQuery &q, OpCost &c) {
  return scatterCost(*this, getReduction(), q, c);
}

LogicalResult ScatterElementsOp::computeCost(const ShapeQuery &q, OpCost &c) {
  return scatterCost(*this, getReduction(), q, c);
}

LogicalResult OneHotOp::computeCost(const ShapeQuery &q, OpCost &c) {
  // A compare per output element; the depth and values are scalars.
  if (failed(cost::readWriteAll(*this, q, c)))
    return failure();
  c.flops = q.numElements(getOutput());
  return success();
}
