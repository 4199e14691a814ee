//===- ShapeInferenceGenAIAttention.cpp - serving attention shapes --------===//
//
// Verifiers and shape functions of PagedAttention and SparseAttention: the
// output is the query's tokens at N heads of the value width; the KV
// caches are updated in place, so their outputs keep the caches' shapes
// and element types (a quantized cache stays int8, or packed uint8).
//
//===----------------------------------------------------------------------===//

#include "InferenceUtils.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

using namespace mlir;
using namespace mlir::tfperf;
using namespace mlir::tfperf::infer;

/// Head counts shared by both ops' verifiers.
static LogicalResult verifyHeads(Operation *op, int64_t n, int64_t kv) {
  if (n <= 0 || kv <= 0)
    return op->emitOpError() << "num_heads and kv_num_heads must be positive";
  if (n % kv != 0)
    return op->emitOpError() << "num_heads " << n
                             << " is not a multiple of kv_num_heads " << kv;
  return success();
}

/// The head size from the query's last dim `hidden`: N heads, or `packed`
/// heads when Q, K (and V) share the query. Unknown when symbolic and not
/// divisible; an error when constant and not divisible.
static FailureOr<SymExpr> headSize(Operation *op, const SymExpr &hidden,
                                   int64_t heads) {
  if (auto h = hidden.divExact(SymExpr(heads)))
    return *h;
  if (hidden.isConstant())
    return op->emitOpError() << "query hidden size " << hidden
                             << " does not split into " << heads << " heads";
  return SymExpr::unknown();
}

LogicalResult MSPagedAttentionOp::verify() {
  if (failed(verifyHeads(*this, getNumHeads(), getKvNumHeads())))
    return failure();
  StringRef layout = getKvCacheLayout();
  if (layout != "SEPARATE" && layout != "LATENT")
    return emitOpError() << "kv_cache_layout must be SEPARATE or LATENT, got '"
                         << layout << "'";
  if (!isLatent()) {
    if (getVHeadSize() != 0)
      return emitOpError() << "v_head_size is only valid with the LATENT layout";
    if (!getValueCache())
      return emitOpError() << "the SEPARATE layout needs a value_cache";
    return success();
  }
  if (getKvNumHeads() != 1)
    return emitOpError() << "the LATENT layout needs kv_num_heads = 1, got "
                         << getKvNumHeads();
  if (getValue() || getValueCache() || getCaches().size() > 1)
    return emitOpError()
           << "the LATENT layout has no value, value_cache or value_cache_out";
  return success();
}

LogicalResult MSPagedAttentionOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &q = ctx.get(getQuery());
  const TensorInfo &kc = ctx.get(getKeyCache());
  if (q.ranked && q.dims.size() != 2)
    return emitOpError() << "query must be [num_tokens, hidden], got rank "
                         << q.dims.size();
  if (kc.ranked && kc.dims.size() != 4)
    return emitOpError() << "key_cache must be [num_blocks, block_size, "
                            "kv_num_heads, head_size], got rank "
                         << kc.dims.size();
  const TensorInfo &bt = ctx.get(getBlockTable());
  if (bt.ranked && bt.dims.size() != 2)
    return emitOpError() << "block_table must be [batch, max_blocks], got rank "
                         << bt.dims.size();
  if (!q.ranked)
    return success();
  int64_t n = getNumHeads(), kv = getKvNumHeads();
  // Packed query: Q, K and V heads (LATENT: Q and the one latent head).
  int64_t heads = getKey() ? n : n + (isLatent() ? 1 : 2) * kv;
  auto h = headSize(*this, q.dims[1], heads);
  if (failed(h))
    return failure();
  SymExpr vHead = getVHeadSize() > 0 ? SymExpr(getVHeadSize()) : *h;
  ctx.setResult(*this, 0, q.elementType, Dims{q.dims[0], SymExpr(n) * vHead});
  Value caches[] = {getKeyCache(), getValueCache()};
  for (unsigned i = 0; i < getCaches().size() && caches[i]; ++i) {
    const TensorInfo &c = ctx.get(caches[i]);
    if (c.ranked)
      ctx.setResult(*this, 1 + i, c.elementType, c.dims);
  }
  return success();
}

LogicalResult MSSparseAttentionOp::verify() {
  if (getSparseBlockSize() <= 0)
    return emitOpError() << "sparse_block_size must be positive";
  return verifyHeads(*this, getNumHeads(), getKvNumHeads());
}

LogicalResult MSSparseAttentionOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &q = ctx.get(getQuery());
  if (q.ranked && q.dims.size() != 3)
    return emitOpError() << "query must be [batch, seq, hidden], got rank "
                         << q.dims.size();
  const TensorInfo &rows = ctx.get(getBlockRowIndices());
  if (rows.ranked && rows.dims.size() != 2)
    return emitOpError()
           << "block_row_indices must be [num_layout, max_blocks + 1], got rank "
           << rows.dims.size();
  if (!q.ranked)
    return success();
  int64_t n = getNumHeads(), kv = getKvNumHeads();
  auto h = headSize(*this, q.dims[2], getKey() ? n : n + 2 * kv);
  if (failed(h))
    return failure();
  ctx.setResult(*this, 0, q.elementType,
                Dims{q.dims[0], q.dims[1], SymExpr(n) * *h});
  // present_key / present_value share the past caches' buffers.
  Value pasts[] = {getPastKey(), getPastValue()};
  for (auto [i, past] : llvm::enumerate(pasts)) {
    const TensorInfo &p = ctx.get(past);
    if (p.ranked)
      ctx.setResult(*this, 1 + i, p.elementType, p.dims);
  }
  return success();
}
