//===- ParallelSplitOpset23.cpp - split rules of opset 23-27 ops ----------===//
//
// ONNX Attention and FlexAttention are split by heads with onnxruntime's
// attention ops (ParallelSplitContrib.cpp); RMSNormalization conflicts over
// its normalized dims; RoPE, CastLike and a static cache's update carry the
// split of their data; LinearAttention splits by heads with its states and
// CausalConvWithState by channels with its carry. docs/TensorParallel.md.
//
//===----------------------------------------------------------------------===//

#include "ParallelSplitUtils.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

using namespace mlir;
using namespace mlir::tfperf;
using namespace mlir::tfperf::split;

LogicalResult CastLikeOp::propagateSplit(SplitContext &ctx, OpSplit &sp) {
  // The target is only a type.
  return elementwise(*this, ctx, sp, {0});
}

LogicalResult SizeOp::propagateSplit(SplitContext &, OpSplit &) {
  // Metadata does not need the data.
  return success();
}

LogicalResult RMSNormOp::propagateSplit(SplitContext &ctx, OpSplit &sp) {
  return norm(*this, ctx, sp, normAxis(getAxis(), rankOf(getX())), {0});
}

LogicalResult RotaryEmbeddingOp::propagateSplit(SplitContext &ctx,
                                                OpSplit &sp) {
  // The positions and the cos/sin caches are read whole.
  return elementwise(*this, ctx, sp, {0});
}

LogicalResult TensorScatterOp::propagateSplit(SplitContext &ctx, OpSplit &sp) {
  // Cache and update split alike (by KV heads); the indices are whole.
  return elementwise(*this, ctx, sp, {0, 1});
}

LogicalResult LinearAttentionOp::propagateSplit(SplitContext &ctx,
                                                OpSplit &sp) {
  if (!ctx.anyOperandSplit(*this))
    return success();
  // By heads, as Megatron splits Qwen3-Next's and Qwen3.5's linear layers:
  // each device holds its query, key and value heads and their states, and
  // reads the decay and beta of its state heads. The fewer of query and
  // state heads may be replicated, as GQA's KV heads.
  auto qWidth = constDim(getQuery(), 2), kWidth = constDim(getKey(), 2),
       vWidth = constDim(getValue(), 2);
  int64_t nq = getQNumHeads(), nkv = getKvNumHeads();
  // Empty widths (a dim of 0) have no heads to split, and a query narrower
  // than its head count no head size to divide by.
  if (!qWidth || !kWidth || !vWidth || *qWidth <= 0 || *kWidth <= 0 ||
      *vWidth <= 0 || nq <= 0 || nkv <= 0 || *qWidth % nq ||
      *kWidth % (*qWidth / nq))
    return ctx.fail("a split of unknown shape");
  int64_t nk = *kWidth / (*qWidth / nq);
  int stateDim = getStateWindow() > 0 ? 2 : 1;
  bool ok = readSliced(*this, ctx, sp, getQuery(), 2, nq) &&
            readSliced(*this, ctx, sp, getKey(), 2, nk) &&
            readSliced(*this, ctx, sp, getValue(), 2, nkv) &&
            readSliced(*this, ctx, sp, getPastState(), stateDim, nkv) &&
            readSliced(*this, ctx, sp, getDecay(), 2, nkv) &&
            readSliced(*this, ctx, sp, getBeta(), 2, nkv);
  if (!ok)
    return ctx.fail("linear attention inputs split off their heads");
  int64_t outHeads = std::max(nq, nkv);
  int heads = ctx.addGroup(UnitKind::Heads, outHeads, *this);
  int fewer = ctx.addGroup(UnitKind::KVHeads, std::min({nq, nk, nkv}), *this);
  ValueSplit out;
  out.dim = 2;
  out.F = outHeads;
  out.I = std::max<int64_t>(1, *vWidth / nkv);
  out.group = heads;
  ctx.setResult(*this, sp, 0, out);
  // The state stays on its devices, as a KV cache does.
  if (getPresentState()) {
    ValueSplit st;
    st.dim = stateDim;
    st.F = nkv;
    st.group = nkv == outHeads ? ctx.derivedGroup(heads, nkv, UnitKind::KVHeads)
                               : fewer;
    ctx.setResult(*this, sp, 1, st);
  }
  sp.kind = SplitKind::Heads;
  sp.group = heads;
  return success();
}

LogicalResult CausalConvWithStateOp::propagateSplit(SplitContext &ctx,
                                                    OpSplit &sp) {
  if (!ctx.anyOperandSplit(*this))
    return success();
  // Depthwise: each channel is convolved alone, so a split of the channels
  // (linear attention's Q, K and V heads) carries to the output and the
  // carry state; weight, bias and past state are read in its slices.
  int rank = rankOf(getInput());
  bool last = getChannelsLast() != 0;
  if (rank != 3)
    return ctx.fail("a causal convolution split with other than one channel dim");
  int channelDim = last ? 2 : 1;
  int stateDim = (getStateWindow() > 0 ? 1 : 0) + channelDim;
  ValueSplit in = ctx.getSplit(getInput());
  if (in.dim != channelDim)
    return ctx.fail("a causal convolution split off its channels");
  int64_t units = in.units();
  sp.operandUnits[0] = units;
  if (!readSliced(*this, ctx, sp, getWeight(), 0, units) ||
      !readSliced(*this, ctx, sp, getBias(), 0, units) ||
      !readSliced(*this, ctx, sp, getPastState(), stateDim, units))
    return ctx.fail("a causal convolution's weight or state split off its "
                    "channels");
  ctx.setResult(*this, sp, 0, in);
  // The carry stays on its devices, as a KV cache does.
  if (getPresentState()) {
    ValueSplit st = in;
    st.dim = stateDim;
    st.group = ctx.derivedGroup(in.group, units, UnitKind::KVHeads);
    ctx.setResult(*this, sp, 1, st);
  }
  sp.kind = ctx.getShardedKind(*this);
  return success();
}
