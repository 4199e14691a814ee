//===- ParallelSplitOpset23.cpp - split rules of opset 23-27 ops ----------===//
//
// ONNX Attention and FlexAttention are split by heads with onnxruntime's
// attention ops (ParallelSplitContrib.cpp); RMSNormalization conflicts over
// its normalized dims; RoPE, CastLike and a static cache's update carry the
// split of their data. The recurrent ops have no rule yet: a split state
// per KV head is future work. docs/TensorParallel.md.
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
  return ctx.noSplitRule(*this);
}

LogicalResult CausalConvWithStateOp::propagateSplit(SplitContext &ctx,
                                                    OpSplit &sp) {
  return ctx.noSplitRule(*this);
}
