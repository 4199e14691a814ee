//===- BackwardOpset23.cpp - backward of opset 23-27 ops ------------------===//
//
// ONNX Attention and FlexAttention have the fused attention backward of
// onnxruntime's attention ops (bwd::attentionCoreGrad); the recurrent ops
// (LinearAttention, CausalConvWithState) run their recurrence backwards at
// twice the forward's FLOPs; the rest move or rotate dY back
// (docs/Training.md).
//
//===----------------------------------------------------------------------===//

#include "AttentionDims.h"
#include "BackwardUtils.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

using namespace mlir;
using namespace mlir::tfperf;

namespace {
/// Scaled dot-product attention on Q, K, V with the dims `a`: keeps Q, K,
/// V, the output and one log-sum-exp per row; writes the gradients of the
/// operands that need them.
LogicalResult sdpaGrad(const ShapeQuery &q, const GradientQuery &g,
                       BackwardCost &c, const AttentionDims &a, Value Q,
                       Value K, Value V, Value Y, int64_t masks) {
  SmallVector<Value, 3> qkv = {Q, K, V};
  if (llvm::none_of(qkv, [&](Value v) { return g.needsGrad(v); }))
    return success();
  auto outN = bwd::elements(q, Y, c);
  if (!outN)
    return failure();
  auto qkvN = bwd::saveAll(c, q, qkv);
  if (!qkvN)
    return failure();
  SymExpr bn = a.b * a.qHeads;
  bwd::saveOutputAndLse(c, Y, *outN, bn * a.s);
  bwd::attentionCoreGrad(c, bn, a.s, a.t, a.headQK, a.headV, masks, Q, *qkvN,
                         Y, *outN, false);
  BackwardOp &k = c.ops.back();
  for (Value v : qkv)
    if (g.needsGrad(v))
      k.write(v, q.numElements(v));
  return success();
}

/// The dims getter of a backward function.
auto gradDims(const ShapeQuery &q, BackwardCost &c) {
  return [&q, &c](Value v) { return bwd::dimsOf(q, v, c); };
}

} // namespace

LogicalResult CastLikeOp::computeBackwardCost(const ShapeQuery &q,
                                              const GradientQuery &g,
                                              BackwardCost &c) {
  return bwd::moveBack(*this, q, g, c, "dX = cast(dY)");
}

LogicalResult SizeOp::computeBackwardCost(const ShapeQuery &,
                                          const GradientQuery &,
                                          BackwardCost &) {
  return success(); // metadata: no gradient
}

LogicalResult RMSNormOp::computeBackwardCost(const ShapeQuery &q,
                                             const GradientQuery &g,
                                             BackwardCost &c) {
  return bwd::normGrad(bwd::kRMSNorm, q, g, c, getX(), getAxis(), getScale(),
                       Value(), getY(), g.needsGrad(getX()));
}

/// RoPE: dY rotated back by the same angles, 3 FLOPs per element.
LogicalResult RotaryEmbeddingOp::computeBackwardCost(const ShapeQuery &q,
                                                     const GradientQuery &g,
                                                     BackwardCost &c) {
  return bwd::rotateBack(*this, getInput(), getOutput(), q, g, c);
}

/// dPast is dPresent with the written slots zeroed, dUpdate those slots.
LogicalResult TensorScatterOp::computeBackwardCost(const ShapeQuery &q,
                                                   const GradientQuery &g,
                                                   BackwardCost &c) {
  if (g.needsGrad(getUpdate())) {
    auto n = bwd::elements(q, getUpdate(), c);
    if (!n)
      return failure();
    BackwardOp &k = c.add("dUpdate = dPresent[written slots]");
    k.read(getPresentCache(), *n);
    k.write(getUpdate(), *n);
  }
  if (g.needsGrad(getPastCache()))
    return bwd::moveBack(*this, q, g, c, "dPast = dPresent, written slots zeroed");
  return success();
}

LogicalResult AttentionOp::computeBackwardCost(const ShapeQuery &q,
                                               const GradientQuery &g,
                                               BackwardCost &c) {
  auto a = readAttentionDims(gradDims(q, c), getQ(), getK(), getV(),
                             getPastKey(), getQNumHeads(), getKvNumHeads(),
                             c.unknownReason);
  if (!a)
    return failure();
  int64_t masks = (getAttnMask() ? 1 : 0) + (getIsCausal() ? 1 : 0) +
                  (getNonpadKvSeqlen() ? 1 : 0);
  return sdpaGrad(q, g, c, *a, getQ(), getK(), getV(), getY(), masks);
}

LogicalResult FlexAttentionOp::computeBackwardCost(const ShapeQuery &q,
                                                   const GradientQuery &g,
                                                   BackwardCost &c) {
  auto a = readAttentionDims(gradDims(q, c), getQ(), getK(), getV(), Value(),
                             std::nullopt, std::nullopt, c.unknownReason);
  if (!a)
    return failure();
  return sdpaGrad(q, g, c, *a, getQ(), getK(), getV(), getY(),
                  getSubgraphs().size());
}

LogicalResult LinearAttentionOp::computeBackwardCost(const ShapeQuery &q,
                                                     const GradientQuery &g,
                                                     BackwardCost &c) {
  return bwd::twiceForward(*this, q, g, c, "linear attention backward");
}

LogicalResult CausalConvWithStateOp::computeBackwardCost(
    const ShapeQuery &q, const GradientQuery &g, BackwardCost &c) {
  return bwd::twiceForward(*this, q, g, c, "causal conv backward");
}
