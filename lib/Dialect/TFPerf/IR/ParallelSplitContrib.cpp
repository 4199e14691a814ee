//===- ParallelSplitContrib.cpp - split rules of com.microsoft ops --------===//
//
// onnxruntime's fused attention ops (and ONNX Attention, FlexAttention) are
// split by heads (their present KV outputs by KV heads); rotary embedding
// carries the split of its input;
// the fused norms conflict over the split dim; EmbedLayerNormalization is
// split by vocabulary when the structure chose it. docs/TensorParallel.md.
//
//===----------------------------------------------------------------------===//

#include "ParallelSplitUtils.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

using namespace mlir;
using namespace mlir::tfperf;
using namespace mlir::tfperf::split;

/// onnxruntime's fused attention, split by heads: each device holds the
/// Q, K and V columns (and the KV cache) of its heads; inputs split on any
/// other dim conflict.
static LogicalResult attentionSplit(Operation *op, SplitContext &ctx,
                                    OpSplit &sp) {
  int64_t H = 0, Hkv = 0;
  if (auto a = dyn_cast<MSAttentionOp>(op))
    H = Hkv = a.getNumHeads();
  else if (auto m = dyn_cast<MSMultiHeadAttentionOp>(op))
    H = Hkv = m.getNumHeads();
  else if (auto d = dyn_cast<MSDecoderMaskedMultiHeadAttentionOp>(op))
    H = Hkv = d.getNumHeads();
  else if (auto g = dyn_cast<MSGroupQueryAttentionOp>(op)) {
    H = g.getNumHeads();
    Hkv = g.getKvNumHeads();
  } else if (isa<AttentionOp, FlexAttentionOp>(op)) {
    // ONNX's: head counts as attributes (3-D) or dim 1 (4-D).
    auto heads = [&](Value v, std::optional<int64_t> attr) {
      return attr ? *attr
                  : rankOf(v) == 4 ? constDim(v, 1).value_or(0) : int64_t(0);
    };
    auto at = dyn_cast<AttentionOp>(op);
    H = heads(op->getOperand(0), at ? at.getQNumHeads() : std::nullopt);
    Hkv = heads(op->getOperand(1), at ? at.getKvNumHeads() : std::nullopt);
  }
  if (H <= 0)
    return ctx.fail("attention without a head count");
  int heads = ctx.addGroup(UnitKind::Heads, H, op);
  int kvg = ctx.addGroup(UnitKind::KVHeads, Hkv, op);
  // Expects operand `v` split (or sliceable) on `dim` in `units`.
  auto expect = [&](Value v, int dim, int64_t units) {
    return readSliced(op, ctx, sp, v, dim, units);
  };
  auto replicatedOnly = [&](Value v) {
    return !v || !ctx.getSplit(v).isSplit();
  };
  bool ok = true;
  auto lastOf = [](Value v) { return v ? rankOf(v) - 1 : -1; };
  if (auto a = dyn_cast<MSAttentionOp>(op)) {
    ctx.addGroup(UnitKind::FusedQKV, H, op, H, H);
    ok &= replicatedOnly(a.getInput()) && replicatedOnly(a.getMaskIndex());
    // Each device holds the Q, K and V columns of its heads.
    ok &= expect(a.getWeights(), 1, H);
    ok &= expect(a.getBias(), 0, H);
    ok &= expect(a.getPast(), 2, H);
    ok &= expect(a.getRelativePositionBias(), 1, H);
    sp.weightOperand = 1;
    sp.weightDim = 1;
    if (!ok)
      return ctx.fail("fused attention inputs split on other dims");
    ValueSplit out;
    out.dim = rankOf(a.getOutput()) - 1;
    out.F = H;
    out.I =
        std::max<int64_t>(1, constDim(a.getOutput(), out.dim).value_or(H) / H);
    out.group = heads;
    ctx.setResult(op, sp, 0, out);
    if (a.getPresent()) {
      ValueSplit p;
      p.dim = 2;
      p.F = H;
      p.group = kvg;
      ctx.setResult(op, sp, 1, p);
    }
  } else {
    Value query = op->getOperand(0), key, value, pastK, pastV;
    if (auto m = dyn_cast<MSMultiHeadAttentionOp>(op)) {
      key = m.getKey();
      value = m.getValue();
      pastK = m.getPastKey();
      pastV = m.getPastValue();
      ok &= replicatedOnly(m.getKeyPaddingMask()) &&
            replicatedOnly(m.getPastSequenceLength()) &&
            replicatedOnly(m.getCacheIndirection());
      ok &= expect(m.getAttentionBias(), 1, H);
      ok &= expect(m.getBias(), 0, H);
    } else if (auto d = dyn_cast<MSDecoderMaskedMultiHeadAttentionOp>(op)) {
      key = d.getKey();
      value = d.getValue();
      pastK = d.getPastKey();
      pastV = d.getPastValue();
      // Beams map cached tokens of every head alike: read whole.
      for (Value v : {d.getMaskIndex(), d.getPastSequenceLength(),
                      d.getBeamWidth(), d.getCacheIndirection()})
        ok &= replicatedOnly(v);
      ok &= expect(d.getAttentionBias(), 1, H);
      ok &= expect(d.getBias(), 0, H);
    } else if (auto g = dyn_cast<MSGroupQueryAttentionOp>(op)) {
      key = g.getKey();
      value = g.getValue();
      pastK = g.getPastKey();
      pastV = g.getPastValue();
      for (Value v : {g.getSeqlensK(), g.getTotalSequenceLength(),
                      g.getCosCache(), g.getSinCache(), g.getPositionIds(),
                      g.getHeadSink(), g.getKScale(), g.getVScale(),
                      g.getQNormWeight(), g.getKNormWeight()})
        ok &= replicatedOnly(v);
      ok &= expect(g.getAttentionBias(), 1, H);
    } else {
      key = op->getOperand(1);
      value = op->getOperand(2);
      if (auto at = dyn_cast<AttentionOp>(op)) {
        pastK = at.getPastKey();
        pastV = at.getPastValue();
        ok &= replicatedOnly(at.getAttnMask()) &&
              replicatedOnly(at.getNonpadKvSeqlen());
      }
    }
    int64_t qUnits = key ? H : H + 2 * Hkv;
    // Heads are dim 1 of 4-D operands, packed in the last dim otherwise.
    auto headsDim = [&](Value v) { return rankOf(v) == 4 ? 1 : lastOf(v); };
    ok &= expect(query, headsDim(query), qUnits);
    for (Value kv : {key, value})
      if (kv)
        ok &= expect(kv, rankOf(kv) == 4 ? 1 : lastOf(kv), Hkv);
    ok &= expect(pastK, 1, Hkv) && expect(pastV, 1, Hkv);
    if (!ok)
      return ctx.fail("fused attention inputs split on other dims");
    ValueSplit out;
    Value o = op->getResult(0);
    out.dim = headsDim(o);
    out.F = H;
    out.I = rankOf(o) == 4
                ? 1
                : std::max<int64_t>(1, constDim(o, out.dim).value_or(H) / H);
    out.group = heads;
    ctx.setResult(op, sp, 0, out);
    // Present keys and values (not ONNX Attention's scores output nor
    // GQA's output_qk).
    for (unsigned i = 1; i < std::min(3u, op->getNumResults()); ++i) {
      ValueSplit p;
      p.dim = 1;
      p.F = Hkv;
      p.group = kvg;
      if (rankOf(op->getResult(i)) == 4)
        ctx.setResult(op, sp, i, p);
    }
    // MultiHeadAttention's and DecoderMaskedMultiHeadAttention's qk
    // [B, N, S, T]: each device's heads' scores.
    if (isa<MSMultiHeadAttentionOp, MSDecoderMaskedMultiHeadAttentionOp>(op) &&
        op->getNumResults() > 3 && rankOf(op->getResult(3)) == 4) {
      ValueSplit p;
      p.dim = 1;
      p.F = H;
      p.group = heads;
      ctx.setResult(op, sp, 3, p);
    }
  }
  sp.kind = SplitKind::Heads;
  sp.group = heads;
  return success();
}

LogicalResult MSAttentionOp::propagateSplit(SplitContext &ctx, OpSplit &sp) {
  return attentionSplit(*this, ctx, sp);
}

LogicalResult MSMultiHeadAttentionOp::propagateSplit(SplitContext &ctx,
                                                     OpSplit &sp) {
  return attentionSplit(*this, ctx, sp);
}

LogicalResult
MSDecoderMaskedMultiHeadAttentionOp::propagateSplit(SplitContext &ctx,
                                                    OpSplit &sp) {
  return attentionSplit(*this, ctx, sp);
}

LogicalResult MSGroupQueryAttentionOp::propagateSplit(SplitContext &ctx,
                                                      OpSplit &sp) {
  return attentionSplit(*this, ctx, sp);
}

LogicalResult AttentionOp::propagateSplit(SplitContext &ctx, OpSplit &sp) {
  return attentionSplit(*this, ctx, sp);
}

LogicalResult FlexAttentionOp::propagateSplit(SplitContext &ctx,
                                              OpSplit &sp) {
  return attentionSplit(*this, ctx, sp);
}

LogicalResult MSRotaryEmbeddingOp::propagateSplit(SplitContext &ctx,
                                                  OpSplit &sp) {
  // The positions and the cos/sin caches are read whole.
  return elementwise(*this, ctx, sp, {0});
}

LogicalResult MSMRotaryEmbeddingOp::propagateSplit(SplitContext &ctx,
                                                   OpSplit &sp) {
  // As RotaryEmbedding: the positions and caches are read whole.
  return elementwise(*this, ctx, sp, {0});
}

LogicalResult MSSimplifiedLayerNormOp::propagateSplit(SplitContext &ctx,
                                                      OpSplit &sp) {
  return norm(*this, ctx, sp, normAxis(getAxis(), rankOf(getX())), {0});
}

LogicalResult MSSkipLayerNormOp::propagateSplit(SplitContext &ctx,
                                                OpSplit &sp) {
  // Input and skip over the last dim.
  return norm(*this, ctx, sp, rankOf(getOperand(0)) - 1, {0, 1});
}

LogicalResult MSSkipSimplifiedLayerNormOp::propagateSplit(SplitContext &ctx,
                                                          OpSplit &sp) {
  return norm(*this, ctx, sp, rankOf(getOperand(0)) - 1, {0, 1});
}

LogicalResult MSEmbedLayerNormOp::propagateSplit(SplitContext &ctx,
                                                 OpSplit &sp) {
  // The word embedding table, when the structure split it by vocabulary.
  if (int g = ctx.getVocabGroup(*this); g >= 0)
    return vocabTable(*this, ctx, sp, /*table=*/2, g);
  return ctx.noSplitRule(*this);
}
