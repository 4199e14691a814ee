//===- ShapeInferenceOpset23.cpp - shape functions of opset 23-27 ops -----===//
//
// Attention and FlexAttention read their dims through AttentionDims; the
// recurrent ops (LinearAttention, CausalConvWithState) return a state whose
// size does not depend on the sequence length.
//
//===----------------------------------------------------------------------===//

#include "AttentionDims.h"
#include "InferenceUtils.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::tfperf;
using namespace mlir::tfperf::infer;

/// Dims of ranked values from the shape context.
static auto contextDims(ShapeContext &ctx) {
  return [&ctx](Value v) -> std::optional<ArrayRef<SymExpr>> {
    const TensorInfo &t = ctx.get(v);
    if (!t.ranked)
      return std::nullopt;
    return ArrayRef<SymExpr>(t.dims);
  };
}

/// A recurrent state's dims, behind a leading window axis when
/// `stateWindow` > 0 (onnxruntime's `state_window`).
static Dims withStateWindow(int64_t stateWindow, Dims state) {
  if (stateWindow > 0)
    state.insert(state.begin(), SymExpr(stateWindow));
  return state;
}

LogicalResult CastLikeOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &in = ctx.get(getInput());
  const TensorInfo &target = ctx.get(getTargetType());
  if (!in.ranked)
    return success();
  // Integral values survive the conversion, as for Cast.
  std::optional<Values> vals;
  if (in.values && !target.elementType.isInteger(1))
    vals = *in.values;
  ctx.setResult(*this, 0, target.elementType, in.dims, std::move(vals));
  return success();
}

LogicalResult SizeOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &in = ctx.get(getData());
  if (!in.ranked)
    return success();
  SymExpr n(1);
  for (const SymExpr &d : in.dims)
    n = n * d;
  ctx.setResult(*this, 0, IntegerType::get(getContext(), 64), {},
                Values{n});
  return success();
}

LogicalResult RMSNormOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &x = ctx.get(getX());
  if (!x.ranked)
    return success();
  if (failed(normalizeAxis(*this, getAxis(), x.dims.size())))
    return failure();
  ctx.setResult(*this, 0, x.elementType, x.dims);
  return success();
}

LogicalResult RotaryEmbeddingOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &x = ctx.get(getInput());
  if (x.ranked && x.dims.size() == 3 && getNumHeads() <= 0)
    return emitOpError() << "a 3-D input needs num_heads";
  if (x.ranked && x.dims.size() != 3 && x.dims.size() != 4)
    return emitOpError() << "input must be [B, S, N*H] or [B, N, S, H]";
  return inferUnarySameShape(*this, ctx, /*passValues=*/false);
}

LogicalResult TensorScatterOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &cache = ctx.get(getPastCache());
  const TensorInfo &update = ctx.get(getUpdate());
  if (!cache.ranked)
    return success();
  if (update.ranked && update.dims.size() != cache.dims.size())
    return emitOpError() << "update has rank " << update.dims.size()
                         << " but the cache has rank " << cache.dims.size();
  if (failed(normalizeAxis(*this, getAxis(), cache.dims.size())))
    return failure();
  ctx.setResult(*this, 0, cache.elementType, cache.dims);
  return success();
}

LogicalResult AttentionOp::inferShapes(ShapeContext &ctx) {
  std::string why;
  auto a = readAttentionDims(contextDims(ctx), getQ(), getK(), getV(),
                             getPastKey(), getQNumHeads(), getKvNumHeads(),
                             why);
  if (!a) {
    if (!why.empty())
      return emitOpError() << why;
    return success();
  }
  Type et = ctx.get(getQ()).elementType;
  if (a->packed)
    ctx.setResult(*this, 0, et, Dims{a->b, a->s, a->qHeads * a->headV});
  else
    ctx.setResult(*this, 0, et, Dims{a->b, a->qHeads, a->s, a->headV});
  unsigned idx = 1;
  if (getPresentKey())
    ctx.setResult(*this, idx++, et, Dims{a->b, a->kvHeads, a->t, a->headQK});
  if (getPresentValue())
    ctx.setResult(*this, idx++, et, Dims{a->b, a->kvHeads, a->t, a->headV});
  if (getQkMatmulOutput())
    ctx.setResult(*this, idx++, et, Dims{a->b, a->qHeads, a->s, a->t});
  return success();
}

LogicalResult FlexAttentionOp::inferShapes(ShapeContext &ctx) {
  std::string why;
  auto a = readAttentionDims(contextDims(ctx), getQ(), getK(), getV(), Value(),
                             std::nullopt, std::nullopt, why);
  if (!a) {
    if (!why.empty())
      return emitOpError() << why;
    return success();
  }
  ctx.setResult(*this, 0, ctx.get(getQ()).elementType,
                Dims{a->b, a->qHeads, a->s, a->headV});
  return success();
}

LogicalResult LinearAttentionOp::inferShapes(ShapeContext &ctx) {
  std::string why;
  auto a = readLinearAttentionDims(contextDims(ctx), getQuery(), getValue(),
                                   getQNumHeads(), getKvNumHeads(), why);
  if (!a) {
    if (!why.empty())
      return emitOpError() << why;
    return success();
  }
  Type et = ctx.get(getQuery()).elementType;
  // One output head per query head, or per state head under inverse GQA.
  int64_t outHeads = std::max(getQNumHeads(), getKvNumHeads());
  ctx.setResult(*this, 0, et, Dims{a->b, a->t, SymExpr(outHeads) * a->dv});
  if (getPresentState())
    ctx.setResult(*this, 1, et,
                  withStateWindow(getStateWindow(),
                                  {a->b, a->kvHeads, a->dk, a->dv}));
  return success();
}

LogicalResult CausalConvWithStateOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &x = ctx.get(getInput()), &w = ctx.get(getWeight());
  if (!x.ranked)
    return success();
  bool channelsLast = getChannelsLast() != 0;
  if (channelsLast ? x.dims.size() < 3 : x.dims.size() != 3)
    return emitOpError() << "input must be "
                         << (channelsLast ? "[B, L, C...]" : "[B, C, L]");
  ctx.setResult(*this, 0, x.elementType, x.dims);
  if (getPresentState()) {
    if (!w.ranked || w.dims.size() != 3)
      return emitOpError() << "weight must be [C, 1, K]";
    // The carry: the last (K-1) * dilation positions of the causal axis.
    SymExpr carry = (w.dims[2] - SymExpr(1)) * SymExpr(getDilation());
    Dims state = {x.dims[0], carry};
    if (channelsLast)
      state.append(x.dims.begin() + 2, x.dims.end());
    else
      state.insert(state.begin() + 1, x.dims[1]);
    ctx.setResult(*this, 1, x.elementType,
                  withStateWindow(getStateWindow(), state));
  }
  return success();
}
