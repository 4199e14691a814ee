//===- BackwardContrib.cpp - backward of com.microsoft fused ops ----------===//
//
// A fused attention's backward is costed as a fused (FlashAttention-style)
// kernel: it keeps Q, K, V, the output and one log-sum-exp per row, never
// the S x T probabilities, so it recomputes Q K^T and the softmax, then
// forms dV = P^T dO, dP = dO V^T, dS = P (dP - rowsum(dO O)), dQ = dS K and
// dK = dS^T Q: 5 GEMMs of the forward's 2 (2.5x the forward's GEMM FLOPs).
// The fused projections and norms have the gradients of their unfused
// parts (docs/Training.md).
//
//===----------------------------------------------------------------------===//

#include "BackwardUtils.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

using namespace mlir;
using namespace mlir::tfperf;

namespace {
/// The FLOPs of the forward part called `name` (0 when absent).
SymExpr partFlops(const OpCost &fwd, llvm::StringRef name) {
  for (const CostPart &p : fwd.parts)
    if (p.name == name)
      return p.flops;
  return SymExpr(0);
}

} // namespace

using bwd::attentionCoreGrad;
using bwd::saveOutputAndLse;

LogicalResult MSAttentionOp::computeBackwardCost(const ShapeQuery &q,
                                                 const GradientQuery &g,
                                                 BackwardCost &c) {
  // The forward's parts give the dims (heads, T, head sizes).
  OpCost fwd;
  if (failed(computeCost(q, fwd))) {
    c.unknownReason = fwd.unknownReason;
    return failure();
  }
  auto in = bwd::dimsOf(q, getInput(), c);
  auto w = bwd::dimsOf(q, getWeights(), c);
  auto outN = bwd::elements(q, getOutput(), c);
  if (!in || !w || !outN)
    return failure();
  SymExpr b = (*in)[0], s = (*in)[1], din = (*in)[2], dtot = (*w)[1];
  SymExpr n(getNumHeads());
  SymExpr qkvN = b * s * dtot;
  // Recover the head sizes from the forward's GEMM parts:
  // scores = 2 BN S T hk, context = 2 BN S T hv.
  SymExpr scoresGemm = partFlops(fwd, "scores (Q K^T)");
  SymExpr contextGemm = partFlops(fwd, "context (P V)");
  SymExpr t = s;
  if (getPast()) {
    auto past = bwd::dimsOf(q, getPast(), c);
    if (!past || past->size() != 5)
      return failure();
    t = (*past)[3] + s;
  }
  auto hk = scoresGemm.divExact(SymExpr(2) * b * n * s * t);
  auto hv = contextGemm.divExact(SymExpr(2) * b * n * s * t);
  if (!hk || !hv)
    return bwd::unknown(c, "head sizes do not divide the attention GEMMs");
  bool dInput = g.needsGrad(getInput()), dW = g.needsGrad(getWeights()),
       dBias = getBias() && g.needsGrad(getBias());
  if (!dInput && !dW && !dBias)
    return success();
  int64_t masks = (getMaskIndex() || getUnidirectional() ? 1 : 0) +
                  (getRelativePositionBias() ? 1 : 0);
  // The projected Q, K, V live only inside the op: kept as an unnamed
  // tensor of the input's type.
  c.save(getInput(), qkvN, "projected Q, K, V");
  saveOutputAndLse(c, getOutput(), *outN, b * n * s);
  attentionCoreGrad(c, b * n, s, t, *hk, *hv, masks, getInput(), qkvN,
                    getOutput(), *outN, true);
  SymExpr projection = SymExpr(2) * b * s * din * dtot;
  auto inN = bwd::elements(q, getInput(), c);
  auto wN = bwd::elements(q, getWeights(), c);
  if (!inN || !wN)
    return failure();
  if (dInput) {
    c.save(getWeights(), *wN);
    BackwardOp &k = c.add("dInput = dQKV W^T");
    k.gemmFlops = k.flops = projection;
    k.read(getInput(), qkvN);
    k.read(getWeights(), *wN);
    k.write(getInput(), *inN);
  }
  if (dW) {
    c.save(getInput(), *inN);
    BackwardOp &k = c.add("dW = Input^T dQKV");
    k.gemmFlops = k.flops = projection;
    k.read(getInput(), *inN);
    k.read(getInput(), qkvN);
    k.write(getWeights(), *wN);
  }
  if (dBias) {
    BackwardOp &k = c.add("dBias = sum dQKV");
    k.flops = qkvN - dtot;
    k.read(getInput(), qkvN);
    k.write(getBias(), dtot);
  }
  return success();
}

/// MultiHeadAttention and GroupQueryAttention on projected Q, K, V: the
/// attention core's backward, gradients written to the operands that need
/// them; a rotary part of the forward (GQA's) is rotated back.
template <typename OpT>
static LogicalResult projectedAttentionGrad(OpT op, const ShapeQuery &q,
                                            const GradientQuery &g,
                                            BackwardCost &c, int64_t masks) {
  OpCost fwd;
  if (failed(op.computeCost(q, fwd))) {
    c.unknownReason = fwd.unknownReason;
    return failure();
  }
  SymExpr rotary = partFlops(fwd, "rotary (q, k)");
  SmallVector<Value, 3> qkv;
  for (Value v : {op.getQuery(), op.getKey(), op.getValue()})
    if (v)
      qkv.push_back(v);
  bool any = llvm::any_of(qkv, [&](Value v) { return g.needsGrad(v); });
  if (!any)
    return success();
  auto qd = bwd::dimsOf(q, op.getQuery(), c);
  auto outN = bwd::elements(q, op.getOutput(), c);
  if (!qd || !outN)
    return failure();
  SymExpr b = (*qd)[0], s = (*qd)[1], n(op.getNumHeads());
  auto qkvN = bwd::saveAll(c, q, qkv);
  if (!qkvN)
    return failure();
  // The query-key pairs per head (S T, fewer under a sliding window) and
  // the head sizes: the output is [B, S, N hv]; the scores and context
  // GEMMs are 2 BN pairs hk and 2 BN pairs hv.
  auto od = bwd::dimsOf(q, op.getOutput(), c);
  if (!od || od->size() != 3)
    return failure();
  SymExpr bn = b * n;
  auto hv = (*od)[2].divExact(n);
  std::optional<SymExpr> pairs, hk;
  if (hv)
    pairs = partFlops(fwd, "context (P V)").divExact(SymExpr(2) * bn * *hv);
  if (pairs)
    hk = partFlops(fwd, "scores (Q K^T)").divExact(SymExpr(2) * bn * *pairs);
  if (!hk)
    return bwd::unknown(c, "attention dims do not divide the GEMMs");
  saveOutputAndLse(c, op.getOutput(), *outN, bn * s);
  bwd::attentionCoreGradOver(c, bn, s, *pairs, *hk, *hv, masks, qkv.front(),
                             *qkvN, op.getOutput(), *outN, false);
  BackwardOp &k = c.ops.back();
  for (Value v : qkv)
    if (g.needsGrad(v))
      k.write(v, q.numElements(v));
  if (!rotary.isConstant(0)) {
    BackwardOp &r = c.add("rotary backward on dQ, dK");
    r.flops = rotary;
    r.read(qkv.front(), *qkvN);
    r.write(qkv.front(), *qkvN);
  }
  return success();
}

LogicalResult MSMultiHeadAttentionOp::computeBackwardCost(
    const ShapeQuery &q, const GradientQuery &g, BackwardCost &c) {
  int64_t masks = (getKeyPaddingMask() ? 1 : 0) +
                  (getAttentionBias() ? 1 : 0) + (getUnidirectional() ? 1 : 0);
  if (failed(projectedAttentionGrad(*this, q, g, c, masks)))
    return failure();
  if (getBias() && g.needsGrad(getBias())) {
    auto biasN = bwd::elements(q, getBias(), c);
    auto qn = bwd::elements(q, getQuery(), c);
    if (!biasN || !qn)
      return failure();
    BackwardOp &k = c.add("dBias = sum dQ, dK, dV");
    k.flops = *qn * SymExpr(3) - *biasN;
    k.read(getQuery(), *qn * SymExpr(3));
    k.write(getBias(), *biasN);
  }
  return success();
}

// onnxruntime has only the forward kernel of one decoding step.
LogicalResult MSDecoderMaskedMultiHeadAttentionOp::computeBackwardCost(
    const ShapeQuery &, const GradientQuery &, BackwardCost &c) {
  return bwd::unknown(c, "DecoderMaskedMultiHeadAttention is an inference "
                         "kernel (one decoding step), not a trainable op");
}

LogicalResult MSGroupQueryAttentionOp::computeBackwardCost(
    const ShapeQuery &q, const GradientQuery &g, BackwardCost &c) {
  return projectedAttentionGrad(*this, q, g, c, /*masks=*/1);
}

/// RoPE: the gradient is dY rotated back: x * cos + rotate(x) * sin with
/// the angle negated, 3 FLOPs per element.
LogicalResult MSRotaryEmbeddingOp::computeBackwardCost(const ShapeQuery &q,
                                                       const GradientQuery &g,
                                                       BackwardCost &c) {
  if (!g.needsGrad(getInput()))
    return success();
  auto out = bwd::elements(q, getOutput(), c);
  auto pos = bwd::elements(q, getPositionIds(), c);
  auto cache = bwd::dimsOf(q, getCosCache(), c);
  if (!out || !pos || !cache || cache->size() != 2)
    return failure();
  SymExpr rows = *pos * (*cache)[1];
  c.save(getPositionIds(), *pos);
  BackwardOp &k = c.add("dX = rotate(dY, -angle)");
  k.flops = *out * SymExpr(3);
  k.read(getOutput(), *out);
  k.read(getPositionIds(), *pos);
  k.read(getCosCache(), rows);
  k.read(getSinCache(), rows);
  k.write(getInput(), *out);
  return success();
}

LogicalResult MSMRotaryEmbeddingOp::computeBackwardCost(
    const ShapeQuery &q, const GradientQuery &g, BackwardCost &c) {
  return bwd::rotateBack(*this, getInput(), getOutput(), q, g, c);
}

LogicalResult MSEmbedLayerNormOp::computeBackwardCost(const ShapeQuery &q,
                                                      const GradientQuery &g,
                                                      BackwardCost &c) {
  auto ids = bwd::dimsOf(q, getInputIds(), c);
  auto out = bwd::elements(q, getOutput(), c);
  if (!ids || !out)
    return failure();
  SymExpr tokens = product(*ids);
  SmallVector<Value, 3> tables;
  for (Value t : {getWordEmbedding(), getPositionEmbedding(),
                  getSegmentEmbedding()})
    if (t && g.needsGrad(t))
      tables.push_back(t);
  bool dEmb = !tables.empty();
  // LayerNorm of the embedding sum, kept: the op's own output when it
  // returns it, else a tensor the IR does not name (of the output's shape).
  Value sum = getEmbeddingSum();
  if (failed(bwd::normGrad(bwd::kLayerNorm, q, g, c,
                           sum ? sum : getOutput(), -1, getGamma(), getBeta(),
                           getOutput(), dEmb, sum ? "" : "embedding sum")))
    return failure();
  c.save(getInputIds(), tokens);
  if (getSegmentIds())
    c.save(getSegmentIds(), tokens);
  if (getPositionIds()) {
    auto p = bwd::elements(q, getPositionIds(), c);
    if (!p)
      return failure();
    c.save(getPositionIds(), *p);
  }
  // Each table gets a dense gradient with dSum's rows added at the ids.
  for (Value t : tables) {
    auto tn = bwd::elements(q, t, c);
    if (!tn)
      return failure();
    BackwardOp &k = c.add("dTable = scatter_add(dSum at ids)");
    k.flops = *out;
    k.read(getOutput(), *out);
    k.read(getInputIds(), tokens);
    k.write(t, *tn);
  }
  return success();
}
