//===- ShapeInferenceGenAIHybrid.cpp - hybrid-stack contrib op shapes -----===//
//
// Verifiers and shape functions of TFPerfOpsGenAIHybrid.td: each result
// has its first input's shape; the checks are onnxruntime's kernels'
// (contrib_ops/cpu/bert/mrotary_embedding_helper.h,
// linear_attention_gates.cc, gated_add.cc), so a graph onnxruntime rejects
// fails at import with the node named.
//
//===----------------------------------------------------------------------===//

#include "InferenceUtils.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

using namespace mlir;
using namespace mlir::tfperf;
using namespace mlir::tfperf::infer;

LogicalResult MSMRotaryEmbeddingOp::verify() {
  ArrayRef<int64_t> sections = getMropeSection();
  if (sections.size() != 3 || llvm::any_of(sections, [](int64_t s) {
        return s < 0;
      }))
    return emitOpError() << "mrope_section must be 3 non-negative section "
                            "sizes [t, h, w], got "
                         << sections.size() << " values";
  if (getMropeLayout() != 0 && getMropeLayout() != 1)
    return emitOpError() << "mrope_layout must be 0 (sectioned) or 1 "
                            "(interleaved), got "
                         << getMropeLayout();
  if (getNumHeads() < 0 || getRotaryEmbeddingDim() < 0)
    return emitOpError() << "num_heads and rotary_embedding_dim must be >= 0";
  return success();
}

LogicalResult MSMRotaryEmbeddingOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &x = ctx.get(getInput());
  const TensorInfo &pos = ctx.get(getPositionIds());
  if (x.ranked && x.dims.size() != 3 && x.dims.size() != 4)
    return emitOpError() << "input must be [B, S, N*H] or [B, N, S, H]";
  if (x.ranked && x.dims.size() == 3 && getNumHeads() <= 0)
    return emitOpError() << "a 3-D input needs num_heads";
  if (pos.ranked &&
      (pos.dims.size() != 3 || (pos.dims[0].isConstant() &&
                                !pos.dims[0].isConstant(3))))
    return emitOpError() << "position_ids must be [3, B, S] (a temporal, a "
                            "height and a width position per token)";
  const TensorInfo &cache = ctx.get(getCosCache());
  int64_t half = getMropeSection()[0] + getMropeSection()[1] +
                 getMropeSection()[2];
  if (cache.ranked && cache.dims.size() == 2 && cache.dims[1].isConstant() &&
      !cache.dims[1].isConstant(half))
    return emitOpError() << "mrope_section sums to " << half
                         << " but the cos cache has "
                         << *cache.dims[1].getInt64()
                         << " frequencies per position";
  return inferUnarySameShape(*this, ctx, /*passValues=*/false);
}

LogicalResult MSLinearAttentionGateOp::verify() {
  if (getBeta() && !getB())
    return emitOpError() << "the beta output needs the b input";
  return success();
}

LogicalResult MSLinearAttentionGateOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &a = ctx.get(getA());
  if (!a.ranked)
    return success();
  if (a.dims.empty())
    return emitOpError() << "a must be [..., H] (rank >= 1)";
  ctx.setResult(*this, 0, a.elementType, a.dims);
  if (getBeta())
    ctx.setResult(*this, 1, a.elementType, a.dims);
  return success();
}

LogicalResult MSGatedRMSNormOp::verify() {
  StringRef act = getActivation();
  if (act != "silu" && act != "swish" && act != "sigmoid")
    return emitOpError() << "activation must be silu, swish or sigmoid, got '"
                         << act << "'";
  return success();
}

/// `x`'s shape for the result of a gated op; `gate` has `x`'s shape, or
/// with `perRow` one value per row ([..., 1]).
static LogicalResult inferGated(Operation *op, Value x, Value gate,
                                bool perRow, ShapeContext &ctx) {
  const TensorInfo &xi = ctx.get(x), &gi = ctx.get(gate);
  if (!xi.ranked)
    return success();
  if (xi.dims.empty())
    return op->emitOpError() << "X must have rank >= 1";
  if (gi.ranked && (gi.dims.size() != xi.dims.size() ||
                    (perRow && !gi.dims.back().isConstant(1))))
    return op->emitOpError() << (perRow ? "gate must be [..., 1] with X's rank"
                                        : "gate must have X's shape");
  ctx.setResult(op, 0, xi.elementType, xi.dims);
  return success();
}

LogicalResult MSGatedRMSNormOp::inferShapes(ShapeContext &ctx) {
  return inferGated(*this, getX(), getGate(), /*perRow=*/false, ctx);
}

LogicalResult MSGatedAddOp::inferShapes(ShapeContext &ctx) {
  return inferGated(*this, getX(), getGate(), /*perRow=*/true, ctx);
}
