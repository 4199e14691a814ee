//===- CostDataMovement.cpp - cost of data-movement and graph ops ---------===//
//
// Data movement has no FLOPs but real traffic: Transpose, Concat, Split,
// Slice, Expand, Tile, Gather and Cast read and write their data. Pure views
// (Reshape, Squeeze, Unsqueeze, Flatten, Identity, Dropout at inference)
// move nothing. Gather and Slice read only the elements they return.
// Weights and constants cost nothing themselves: their consumers read them.
//
//===----------------------------------------------------------------------===//

#include "CostUtils.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

using namespace mlir;
using namespace mlir::tfperf;

#define VIEW(OP)                                                               \
  LogicalResult OP::computeCost(const ShapeQuery &, OpCost &c) {               \
    return cost::view(c);                                                      \
  }
VIEW(ReshapeOp)
VIEW(SqueezeOp)
VIEW(UnsqueezeOp)
VIEW(FlattenOp)
VIEW(DropoutOp)
#undef VIEW

#define MOVE(OP)                                                               \
  LogicalResult OP::computeCost(const ShapeQuery &q, OpCost &c) {              \
    return cost::readWriteAll(*this, q, c);                                    \
  }
MOVE(TransposeOp)
MOVE(ConcatOp)
MOVE(SplitOp)
MOVE(ExpandOp)
MOVE(TileOp)
MOVE(ConstantOfShapeOp)
#undef MOVE

LogicalResult WeightOp::computeCost(const ShapeQuery &, OpCost &) {
  return success();
}

LogicalResult ConstantOp::computeCost(const ShapeQuery &, OpCost &) {
  return success();
}

LogicalResult GatherOp::computeCost(const ShapeQuery &q, OpCost &c) {
  // An embedding lookup reads the gathered rows, not the whole table.
  auto idx = cost::elements(q, getIndices(), c);
  auto out = cost::elements(q, getResult(), c);
  if (!idx || !out)
    return failure();
  c.read(getIndices(), *idx);
  c.read(getData(), *out);
  c.write(getResult(), *out);
  return success();
}

LogicalResult SliceOp::computeCost(const ShapeQuery &q, OpCost &c) {
  auto out = cost::elements(q, getResult(), c);
  if (!out)
    return failure();
  c.read(getData(), *out);
  for (Value v : getOperands().drop_front()) {
    auto n = cost::elements(q, v, c);
    if (!n)
      return failure();
    c.read(v, *n);
  }
  c.write(getResult(), *out);
  return success();
}

LogicalResult ShapeOp::computeCost(const ShapeQuery &q, OpCost &c) {
  // Reads only metadata.
  auto out = cost::elements(q, getResult(), c);
  if (!out)
    return failure();
  c.write(getResult(), *out);
  return success();
}

LogicalResult RangeOp::computeCost(const ShapeQuery &q, OpCost &c) {
  // One add per element produced.
  return cost::elementwise(*this, q, c, 1);
}

LogicalResult CustomOp::computeCost(const ShapeQuery &, OpCost &c) {
  c.unknownReason = "no cost model for " +
                    (getDomain().empty() ? std::string()
                                         : getDomain().str() + "::") +
                    getOpType().str();
  return failure();
}

