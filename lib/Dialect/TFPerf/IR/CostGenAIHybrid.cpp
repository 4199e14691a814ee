//===- CostGenAIHybrid.cpp - cost of the fused linear-attention glue ------===//
//
// LinearAttentionGate, GatedRMSNorm and GatedAdd fuse float32 elementwise
// chains the onnxruntime-genai builder would otherwise emit around
// LinearAttention and the MoE combine; each costs its unfused math (1 FLOP
// per elementwise op per element, RMSNorm as RMSNormalization), and its
// traffic is its inputs and outputs (docs/CostModel.md). Their backward
// runs the fused forward backwards (twice its FLOPs; GatedAdd's two
// products are costed exactly); their split rules are the elementwise and
// norm rules (docs/TensorParallel.md).
//
//===----------------------------------------------------------------------===//

#include "BackwardUtils.h"
#include "CostUtils.h"
#include "ParallelSplitUtils.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

using namespace mlir;
using namespace mlir::tfperf;

using cost::addPart;

namespace {
/// decay = decay_scale * Softplus(a + dt_bias): add, softplus, multiply.
constexpr int64_t kDecayGateFlops = 3;
/// SiLU(gate) = gate * Sigmoid(gate): sigmoid, multiply.
constexpr int64_t kSiluFlops = 2;
} // namespace

//===----------------------------------------------------------------------===//
// LinearAttentionGate
//===----------------------------------------------------------------------===//

LogicalResult MSLinearAttentionGateOp::computeCost(const ShapeQuery &q,
                                                   OpCost &c) {
  auto n = cost::elements(q, getA(), c);
  if (!n || failed(cost::readWriteAll(*this, q, c)))
    return failure();
  addPart(c, "decay = decay_scale * softplus(a + dt_bias)",
          *n * SymExpr(kDecayGateFlops), false);
  if (getBeta())
    addPart(c, "beta = sigmoid(b)", *n, false);
  return success();
}

LogicalResult MSLinearAttentionGateOp::computeBackwardCost(
    const ShapeQuery &q, const GradientQuery &g, BackwardCost &c) {
  return bwd::twiceForward(*this, q, g, c, "linear attention gate backward");
}

LogicalResult MSLinearAttentionGateOp::propagateSplit(SplitContext &ctx,
                                                      OpSplit &sp) {
  // Per head: a split of the heads splits dt_bias and decay_scale alike.
  return split::elementwise(*this, ctx, sp);
}

//===----------------------------------------------------------------------===//
// GatedRMSNorm
//===----------------------------------------------------------------------===//

LogicalResult MSGatedRMSNormOp::computeCost(const ShapeQuery &q, OpCost &c) {
  auto n = cost::elements(q, getX(), c);
  auto group = cost::elements(q, getScale(), c);
  if (!n || !group || failed(cost::readWriteAll(*this, q, c)))
    return failure();
  // One RMS per group of len(scale) elements (a head of a packed tensor).
  auto rows = n->divExact(*group);
  if (!rows) {
    c.unknownReason = "X does not split into groups of len(scale)";
    return failure();
  }
  addPart(c, "rms norm", cost::rmsNormFlops(*n, *rows), false);
  bool sigmoid = getActivation() == "sigmoid";
  addPart(c, sigmoid ? "sigmoid(gate)" : "silu(gate)",
          *n * SymExpr(sigmoid ? 1 : kSiluFlops), false);
  addPart(c, "gate multiply", *n, false);
  return success();
}

LogicalResult MSGatedRMSNormOp::computeBackwardCost(const ShapeQuery &q,
                                                    const GradientQuery &g,
                                                    BackwardCost &c) {
  return bwd::twiceForward(*this, q, g, c, "gated rms norm backward");
}

LogicalResult MSGatedRMSNormOp::propagateSplit(SplitContext &ctx,
                                               OpSplit &sp) {
  // Normalized over groups of the weight's length along the last dim: a
  // split there in whole groups (linear attention's heads) carries, with
  // the gate read in its slices; any other split there conflicts.
  int lastDim = split::rankOf(getX()) - 1;
  ValueSplit x = ctx.getSplit(getX());
  auto group = split::constDim(getScale(), 0);
  if (x.isSplit() && x.dim == lastDim && group && *group > 0 &&
      x.I % *group == 0 && x.R == 1)
    return split::elementwise(*this, ctx, sp, {0, 2});
  return split::norm(*this, ctx, sp, lastDim, {0, 2});
}

//===----------------------------------------------------------------------===//
// GatedAdd
//===----------------------------------------------------------------------===//

LogicalResult MSGatedAddOp::computeCost(const ShapeQuery &q, OpCost &c) {
  // Y * gate, + X.
  return cost::elementwise(*this, q, c, 2);
}

LogicalResult MSGatedAddOp::computeBackwardCost(const ShapeQuery &q,
                                                const GradientQuery &g,
                                                BackwardCost &c) {
  // dX = dY; dY_in = dY * gate; dGate = rowsum(dY * Y_in) (a multiply,
  // and an add folding each row into the gate's [..., 1]).
  if (failed(bwd::operandGrad(c, q, g, "dX = dY", getOutput(), getX(), 0)) ||
      failed(bwd::operandGrad(c, q, g, "dY = dOut * gate", getOutput(),
                              getY(), 1, {getGate()})))
    return failure();
  return bwd::operandGrad(c, q, g, "dGate = rowsum(dOut * Y)", getOutput(),
                          getGate(), 1, {getY()});
}

LogicalResult MSGatedAddOp::propagateSplit(SplitContext &ctx, OpSplit &sp) {
  return split::elementwise(*this, ctx, sp);
}
