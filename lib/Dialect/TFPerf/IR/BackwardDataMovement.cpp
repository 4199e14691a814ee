//===- BackwardDataMovement.cpp - backward of data-movement and graph ops -===//
//
// The gradient of a data-movement op moves dY back: a transpose is undone
// by the inverse transpose, a concat by slicing dY, a split by concatenating
// the pieces, a slice by padding dY with zeros, a broadcast (Expand, Tile)
// by summing dY back, and an embedding lookup (Gather) by scatter-adding
// dY's rows into a dense gradient of the whole table. Views stay views.
// Shape computations, weights and constants carry no gradient of their own.
//
//===----------------------------------------------------------------------===//

#include "BackwardUtils.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

using namespace mlir;
using namespace mlir::tfperf;

#define VIEW(OP)                                                               \
  LogicalResult OP::computeBackwardCost(const ShapeQuery &,                    \
                                        const GradientQuery &,                 \
                                        BackwardCost &c) {                     \
    return bwd::view(c);                                                       \
  }
VIEW(ReshapeOp)
VIEW(SqueezeOp)
VIEW(UnsqueezeOp)
VIEW(FlattenOp)
// Dropout is the identity at inference, which is how graphs are exported.
VIEW(DropoutOp)
#undef VIEW

/// Ops with no differentiable input: their results never need a gradient.
#define NO_GRADIENT(OP)                                                        \
  LogicalResult OP::computeBackwardCost(const ShapeQuery &,                    \
                                        const GradientQuery &,                 \
                                        BackwardCost &) {                      \
    return success();                                                          \
  }
NO_GRADIENT(WeightOp)
NO_GRADIENT(ConstantOp)
NO_GRADIENT(ShapeOp)
NO_GRADIENT(ConstantOfShapeOp)
NO_GRADIENT(RangeOp)
// Indices and masks.
NO_GRADIENT(NonZeroOp)
NO_GRADIENT(OneHotOp)
#undef NO_GRADIENT

LogicalResult TransposeOp::computeBackwardCost(const ShapeQuery &q,
                                               const GradientQuery &g,
                                               BackwardCost &c) {
  return bwd::moveBack(*this, q, g, c, "dX = transpose(dY)");
}

LogicalResult ConcatOp::computeBackwardCost(const ShapeQuery &q,
                                            const GradientQuery &g,
                                            BackwardCost &c) {
  // Each input that needs a gradient gets its slice of dY.
  BackwardOp k;
  k.name = "dX_i = slices of dY";
  for (Value x : getInputs()) {
    if (!g.needsGrad(x))
      continue;
    auto n = bwd::elements(q, x, c);
    if (!n)
      return failure();
    k.read(getResult(), *n);
    k.write(x, *n);
  }
  if (!k.writes.empty())
    c.ops.push_back(std::move(k));
  return success();
}

LogicalResult SplitOp::computeBackwardCost(const ShapeQuery &q,
                                           const GradientQuery &g,
                                           BackwardCost &c) {
  if (!g.needsGrad(getInput()))
    return success();
  auto in = bwd::elements(q, getInput(), c);
  if (!in)
    return failure();
  // The pieces' gradients concatenated; pieces without one are zeros.
  BackwardOp &k = c.add("dX = concat(dY_i)");
  for (Value r : getResults()) {
    if (!g.needsGrad(r))
      continue;
    auto n = bwd::elements(q, r, c);
    if (!n)
      return failure();
    k.read(r, *n);
  }
  k.write(getInput(), *in);
  return success();
}

LogicalResult SliceOp::computeBackwardCost(const ShapeQuery &q,
                                           const GradientQuery &g,
                                           BackwardCost &c) {
  // dY written into a zero tensor of the input's shape.
  return bwd::moveBack(*this, q, g, c, "dX = pad(dY) with zeros");
}

LogicalResult GatherOp::computeBackwardCost(const ShapeQuery &q,
                                            const GradientQuery &g,
                                            BackwardCost &c) {
  if (!g.needsGrad(getData()))
    return success();
  auto out = bwd::elements(q, getResult(), c);
  auto idx = bwd::elements(q, getIndices(), c);
  auto data = bwd::elements(q, getData(), c);
  if (!out || !idx || !data)
    return failure();
  c.save(getIndices(), *idx);
  // A dense gradient of the whole table (zeros), dY's rows added in at
  // the indices: one add per gathered element.
  BackwardOp &k = c.add("dData = scatter_add(dY at indices)");
  k.flops = *out;
  k.read(getResult(), *out);
  k.read(getIndices(), *idx);
  k.write(getData(), *data);
  return success();
}

LogicalResult ExpandOp::computeBackwardCost(const ShapeQuery &q,
                                            const GradientQuery &g,
                                            BackwardCost &c) {
  if (!g.needsGrad(getInput()))
    return success();
  return bwd::elementwiseGrad(c, q, "dX = sum dY", getResult(), getInput(), 0);
}

LogicalResult TileOp::computeBackwardCost(const ShapeQuery &q,
                                          const GradientQuery &g,
                                          BackwardCost &c) {
  if (!g.needsGrad(getInput()))
    return success();
  return bwd::elementwiseGrad(c, q, "dX = sum of dY's tiles", getResult(),
                              getInput(), 0);
}

LogicalResult CustomOp::computeBackwardCost(const ShapeQuery &,
                                            const GradientQuery &,
                                            BackwardCost &c) {
  return bwd::unknown(c, "no backward model for " +
                             (getDomain().empty()
                                  ? std::string()
                                  : getDomain().str() + "::") +
                             getOpType().str());
}

// The searches are decoding loops, not trainable graphs.
#define DECODING_LOOP(OP, NAME)                                                \
  LogicalResult OP::computeBackwardCost(const ShapeQuery &,                    \
                                        const GradientQuery &,                 \
                                        BackwardCost &c) {                     \
    return bwd::unknown(c, NAME " is a decoding loop, not a trainable "        \
                               "graph");                                       \
  }
DECODING_LOOP(MSBeamSearchOp, "BeamSearch")
DECODING_LOOP(MSWhisperBeamSearchOp, "WhisperBeamSearch")
DECODING_LOOP(MSGreedySearchOp, "GreedySearch")
DECODING_LOOP(MSSamplingOp, "Sampling")
#undef DECODING_LOOP
