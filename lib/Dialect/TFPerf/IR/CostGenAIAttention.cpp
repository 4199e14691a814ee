//===- CostGenAIAttention.cpp - cost of serving attention ops -------------===//
//
// PagedAttention and SparseAttention (docs/CostModel.md): the attention
// core of attentionCore over the keys each query really sees, and the KV
// cache traffic of an in-place cache: the keys read (not the whole block
// pool or buffer) and only the new tokens written. Both are inference ops:
// no backward; no tensor-parallel split rule yet (a split stops at them).
//
//===----------------------------------------------------------------------===//

#include "BackwardUtils.h"
#include "CostUtils.h"
#include "InferenceUtils.h"
#include "ParallelSplitUtils.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"
#include "tfperf/Support/AttentionWindow.h"

using namespace mlir;
using namespace mlir::tfperf;

using cost::addPart;

using cost::kRotaryFlops;
using cost::kSoftcapFlops;

/// Writes `tokens` new rows of `rowElements` (KV heads x head) into each
/// cache output (in place: the rest of the cache is not touched).
static void writeCacheRows(OpCost &c, ValueRange cacheOuts,
                           const SymExpr &rowElements, const SymExpr &tokens) {
  for (Value v : cacheOuts)
    c.write(v, tokens * rowElements);
}

namespace {
/// One sequence of a PagedAttention batch: its cached keys and new tokens.
struct SequenceSpan {
  SymExpr past, tokens;
};
} // namespace

/// Each sequence's past length and new tokens when
/// `cumulative_sequence_length` [B + 1] and `past_seqlens` [B] are
/// constants (and agree with `tokens` packed queries), else nullopt.
static std::optional<SmallVector<SequenceSpan>>
knownSequences(MSPagedAttentionOp op, const SymExpr &tokens) {
  auto cu = split::constInts(op.getCumulativeSequenceLength());
  auto past = split::constInts(op.getPastSeqlens());
  if (!cu || !past || cu->size() != past->size() + 1)
    return std::nullopt;
  SmallVector<SequenceSpan> spans;
  for (size_t i = 0; i < past->size(); ++i) {
    int64_t n = (*cu)[i + 1] - (*cu)[i];
    if (n < 0 || (*past)[i] < 0)
      return std::nullopt;
    spans.push_back({SymExpr((*past)[i]), SymExpr(n)});
  }
  if (tokens.isConstant() && !tokens.isConstant(cu->back() - cu->front()))
    return std::nullopt;
  return spans;
}

LogicalResult MSPagedAttentionOp::computeCost(const ShapeQuery &q, OpCost &c) {
  auto qd = cost::dimsOf(q, getQuery(), c);
  auto od = cost::dimsOf(q, getOutput(), c);
  auto kc = cost::dimsOf(q, getKeyCache(), c);
  auto bt = cost::dimsOf(q, getBlockTable(), c);
  if (!qd || !od || !kc || !bt || kc->size() != 4 || bt->size() != 2)
    return failure();
  SymExpr tokens = (*qd)[0], n(getNumHeads()), kv(getKvNumHeads());
  SymExpr head = (*kc)[3];
  auto hv = (*od)[1].divExact(n);
  if (!hv) {
    c.unknownReason = "output width not divisible by num_heads";
    return failure();
  }
  // An int4/fp4 cache packs two values per byte: the head is the query's.
  if (getKCacheDtype() == "int4" || getKCacheDtype() == "float4e2m1")
    head = head * SymExpr(2);
  // The query-key pairs and the keys read from each cache, summed over the
  // sequences: exact when their positions are constants (query i of a
  // sequence with P cached keys is at P + i; with a window w it sees keys
  // p - w .. p); else bounds from the block table, which maps at most
  // max_blocks x block_size keys per sequence.
  AttentionWindow window{getLocalWindowSize(), -1, getIsCausal() != 0};
  SymExpr batch = (*bt)[0], maxKeys = (*bt)[1] * (*kc)[1];
  SymExpr pairs = tokens * maxKeys, keysRead = batch * maxKeys;
  if (auto spans = knownSequences(*this, tokens)) {
    pairs = keysRead = SymExpr(0);
    for (const SequenceSpan &seq : *spans) {
      SymExpr t = seq.past + seq.tokens;
      pairs = pairs + windowedScores(seq.tokens, t, seq.past, window);
      keysRead = keysRead + t - firstWindowKey(seq.past, window);
    }
  } else if (window.isBounded() && window.causal) {
    // A query sees at most its window and its own key; a sequence of m new
    // tokens reads at most w + m keys (exact for a decode step).
    SymExpr w(getLocalWindowSize());
    pairs = tokens * SymExpr::min(maxKeys, w + SymExpr(1));
    keysRead = SymExpr::min(keysRead, batch * w + tokens);
  }
  if (failed(cost::readAllBut(*this, q, c, {getKeyCache(), getValueCache()})))
    return failure();
  // LATENT: one cache holds K and, in its leading channels, V.
  SymExpr rowElems = (*kc)[2] * (*kc)[3];
  for (Value cache : {getKeyCache(), getValueCache()})
    if (cache)
      c.read(cache, keysRead * rowElems);
  auto outN = cost::elements(q, getOutput(), c);
  if (!outN)
    return failure();
  c.write(getOutput(), *outN);
  writeCacheRows(c, getCaches(), rowElems, tokens);

  SymExpr qkHeads = tokens * (n + kv);
  if (getQNormWeight())
    addPart(c, "q/k rms norm",
            cost::rmsNormFlops(qkHeads * head, qkHeads), false);
  if (getDoRotary()) {
    // The rotated channels: the cos table's width twice (MLA rotates only
    // the positional suffix of the latent row), else the whole head.
    SymExpr rotated = head;
    if (getCosCache())
      if (auto cd = q.dims(getCosCache()); cd && cd->size() == 2)
        rotated = (*cd)[1] * SymExpr(2);
    addPart(c, "rotary (q, k)", qkHeads * rotated * SymExpr(kRotaryFlops),
            false);
  }
  bool masked = getIsCausal() || window.isBounded();
  cost::attentionCoreOver(c, n, pairs, head, *hv, masked ? 1 : 0);
  if (auto cap = getSoftcap(); cap && cap->convertToDouble() != 0.0)
    addPart(c, "softcap (tanh)", n * pairs * SymExpr(kSoftcapFlops), false);
  return success();
}

/// Non-zero blocks of the CSR block mask summed over its layouts: the last
/// row pointer of each layout when `rowIndices` is a constant, else the
/// data-dependent symbol `sparse_nnz_<node>`.
static SymExpr nonZeroBlocks(Operation *op, Value rowIndices) {
  auto cst = rowIndices.getDefiningOp<ConstantOp>();
  auto attr = cst ? dyn_cast_or_null<DenseElementsAttr>(cst.getValueAttr())
                  : DenseElementsAttr();
  auto type = dyn_cast<RankedTensorType>(rowIndices.getType());
  std::optional<infer::Values> vals;
  if (attr && type && type.getRank() == 2 && type.hasStaticShape())
    vals = infer::valuesFromAttr(attr);
  if (!vals || vals->size() != (size_t)type.getNumElements())
    return infer::dataDependentDim(op, "sparse_nnz");
  int64_t perLayout = type.getDimSize(1);
  SymExpr nnz(0);
  for (int64_t l = 0; l < type.getDimSize(0); ++l)
    nnz = nnz + (*vals)[(l + 1) * perLayout - 1];
  return nnz;
}

LogicalResult MSSparseAttentionOp::computeCost(const ShapeQuery &q,
                                               OpCost &c) {
  // The output [B, S, N*H] gives the batch, the queries and the head.
  auto od = cost::dimsOf(q, getOutput(), c);
  if (!od || od->size() != 3)
    return failure();
  auto pk = cost::dimsOf(q, getPastKey(), c);
  auto rows = cost::dimsOf(q, getBlockRowIndices(), c);
  if (!pk || !rows || pk->size() != 4 || rows->size() != 2)
    return failure();
  SymExpr b = (*od)[0], s = (*od)[1], n(getNumHeads()), kv(getKvNumHeads());
  auto h = (*od)[2].divExact(n);
  auto headsPerLayout = n.divExact((*rows)[0]);
  if (!h || !headsPerLayout) {
    c.unknownReason = "heads do not divide into the hidden size or layouts";
    return failure();
  }
  // The caches share present's buffer: they are read whole (the blocks
  // every query row may touch) and written at the new tokens only.
  if (failed(cost::readAllBut(*this, q, c, {})))
    return failure();
  auto outN = cost::elements(q, getOutput(), c);
  if (!outN)
    return failure();
  c.write(getOutput(), *outN);
  Value presents[] = {getPresentKey(), getPresentValue()};
  writeCacheRows(c, presents, (*pk)[1] * (*pk)[3], b * s);

  if (getDoRotary())
    addPart(c, "rotary (q, k)",
            b * s * (n + kv) * *h * SymExpr(kRotaryFlops), false);
  // A query row of block row r sees nnz_r blocks of `block` keys; over the
  // max_blocks block rows a query sees nnz / max_blocks blocks on average.
  // Scores summed over the batch, the heads and the queries:
  SymExpr block(getSparseBlockSize());
  SymExpr maxBlocks = (*rows)[1] - SymExpr(1);
  SymExpr scores = SymExpr::ceilDiv(b * s * *headsPerLayout *
                                        nonZeroBlocks(*this,
                                                      getBlockRowIndices()) *
                                        block,
                                    maxBlocks);
  cost::attentionCore(c, scores, SymExpr(1), SymExpr(1), *h, *h,
                      /*maskAdds=*/1);
  return success();
}

LogicalResult MSPagedAttentionOp::computeBackwardCost(const ShapeQuery &,
                                                      const GradientQuery &,
                                                      BackwardCost &c) {
  return bwd::unknown(c, "PagedAttention is inference-only (a paged KV cache)");
}

LogicalResult MSSparseAttentionOp::computeBackwardCost(const ShapeQuery &,
                                                       const GradientQuery &,
                                                       BackwardCost &c) {
  return bwd::unknown(c, "SparseAttention is inference-only (a KV cache)");
}

LogicalResult MSPagedAttentionOp::propagateSplit(SplitContext &ctx,
                                                 OpSplit &) {
  return ctx.fail("PagedAttention's block pool is not split by heads yet");
}

LogicalResult MSSparseAttentionOp::propagateSplit(SplitContext &ctx,
                                                  OpSplit &) {
  return ctx.fail("SparseAttention's layouts are not split by heads yet");
}
