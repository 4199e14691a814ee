//===- CostContrib.cpp - cost of com.microsoft fused ops ------------------===//
//
// A fused op costs the sum of what it fuses (docs/CostModel.md); its GEMMs
// (projections, Q K^T, P V) are GEMM FLOPs and listed as parts. Its traffic
// is only its inputs and outputs: a fused attention never writes the
// S x T score matrix, which is the point of fusing it.
//
//===----------------------------------------------------------------------===//

#include "CostUtils.h"
#include "WindowedAttentionCost.h"
#include "tfperf/Dialect/TFPerf/IR/BeamSearchSchedule.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"
#include "tfperf/Support/AttentionWindow.h"

using namespace mlir;
using namespace mlir::tfperf;

using cost::addPart;
using cost::attentionCore;
using cost::kRotaryFlops;
using cost::kSoftcapFlops;
using cost::rmsNormFlops;

/// com.microsoft Attention over `validPast` keys of its past when given (a
/// past_present_share_buffer cache), else over all of it.
static LogicalResult attentionCost(MSAttentionOp op, const ShapeQuery &q,
                                   const std::optional<SymExpr> &validPast,
                                   OpCost &c) {
  auto in = cost::dimsOf(q, op.getInput(), c);
  auto w = cost::dimsOf(q, op.getWeights(), c);
  if (!in || !w || in->size() != 3 || w->size() != 2 ||
      failed(cost::readWriteAll(op, q, c)))
    return failure();
  SymExpr b = (*in)[0], s = (*in)[1], din = (*in)[2], dtot = (*w)[1];
  SymExpr dk, dv;
  if (auto sizes = op.getQkvHiddenSizes()) {
    dk = SymExpr((*sizes)[1]);
    dv = SymExpr((*sizes)[2]);
  } else {
    auto third = dtot.divExact(SymExpr(3));
    if (!third) {
      c.unknownReason = "weights are not 3 x hidden";
      return failure();
    }
    dk = dv = *third;
  }
  SymExpr n(op.getNumHeads());
  auto hk = dk.divExact(n), hv = dv.divExact(n);
  if (!hk || !hv) {
    c.unknownReason = "hidden size not divisible by num_heads";
    return failure();
  }
  SymExpr t = s;
  if (op.getPast()) {
    auto past = cost::dimsOf(q, op.getPast(), c);
    if (!past || past->size() != 5)
      return failure();
    t = (validPast ? *validPast : (*past)[3]) + s;
    if (validPast) {
      // The kernel reads the valid keys of the buffer and writes the new
      // ones in place: K and V of every head, `validPast` and `s` long.
      SymExpr perToken = SymExpr(2) * b * (*past)[2] * (*past)[4];
      for (TensorAccess &a : c.reads)
        if (a.value == op.getPast())
          a.elements = perToken * *validPast;
      for (TensorAccess &a : c.writes)
        if (a.value == op.getPresent())
          a.elements = perToken * s;
    }
  }
  addPart(c, "QKV projection", SymExpr(2) * b * s * din * dtot, true);
  if (op.getBias())
    addPart(c, "QKV bias", b * s * dtot, false);
  int64_t masks = (op.getMaskIndex() || op.getUnidirectional() ? 1 : 0) +
                  (op.getRelativePositionBias() ? 1 : 0);
  attentionCore(c, b * n, s, t, *hk, *hv, masks);
  return success();
}

LogicalResult MSAttentionOp::computeCost(const ShapeQuery &q, OpCost &c) {
  return attentionCost(*this, q, std::nullopt, c);
}

Value mlir::tfperf::getSharedPastLength(Operation *op) {
  auto attention = dyn_cast<MSAttentionOp>(op);
  return attention && attention.getPast() ? attention.getPastSequenceLength()
                                          : Value();
}

LogicalResult mlir::tfperf::computeSharedBufferAttentionCost(
    Operation *op, const ShapeQuery &q, const SymExpr &validPast, OpCost &c) {
  auto attention = dyn_cast<MSAttentionOp>(op);
  if (!attention || !getSharedPastLength(op)) {
    c.unknownReason = "not an attention over a shared past buffer";
    return failure();
  }
  return attentionCost(attention, q, validPast, c);
}

/// MultiHeadAttention and its one-step form DecoderMaskedMultiHeadAttention
/// (whose 3-D query packs Q, K and V when key is absent).
template <typename OpT>
static LogicalResult multiHeadAttentionCost(OpT op, const ShapeQuery &q,
                                            OpCost &c, Value paddingMask,
                                            bool causal,
                                            bool packedQueryIsRank3) {
  auto qd = cost::dimsOf(q, op.getQuery(), c);
  if (!qd || failed(cost::readWriteAll(op, q, c)))
    return failure();
  // Ranks the schema allows; any other (a malformed graph) is unknown, never
  // an index past the dims.
  auto rankIs = [&](size_t rank, size_t a, size_t b) {
    if (rank == a || rank == b)
      return true;
    c.unknownReason = "a MultiHeadAttention input of rank " +
                      std::to_string(rank) + " (expected " +
                      std::to_string(a) + " or " + std::to_string(b) + ")";
    return false;
  };
  if (!rankIs(qd->size(), 3, 5))
    return failure();
  SymExpr n(op.getNumHeads());
  SymExpr b = (*qd)[0], s = (*qd)[1];
  SymExpr dq = qd->size() == 3 ? (*qd)[2] : n * (*qd)[4];
  if (packedQueryIsRank3 && !op.getKey() && qd->size() == 3) {
    auto third = dq.divExact(SymExpr(3));
    if (!third) {
      c.unknownReason = "a packed Q, K, V query whose width is not 3 equal "
                        "parts";
      return failure();
    }
    dq = *third;
  }
  // Keys/values: [B, L, D] projected inputs, [B, N, L, H] per-head (e.g. a
  // cross-attention cache), or packed into the query.
  SymExpr l = s, dk = dq, dv = dq;
  bool keyPerHead = false;
  if (op.getKey()) {
    auto kd = cost::dimsOf(q, op.getKey(), c);
    if (!kd || !rankIs(kd->size(), 3, 4))
      return failure();
    if (kd->size() == 4) {
      keyPerHead = true;
      l = (*kd)[2];
      dk = n * (*kd)[3];
    } else {
      l = (*kd)[1];
      dk = (*kd)[2];
    }
  }
  if (op.getValue()) {
    auto vd = cost::dimsOf(q, op.getValue(), c);
    if (!vd || !rankIs(vd->size(), 3, 4))
      return failure();
    dv = vd->size() == 4 ? n * (*vd)[3] : (*vd)[2];
  }
  auto hk = dk.divExact(n), hv = dv.divExact(n);
  if (!hk || !hv) {
    c.unknownReason = "hidden size not divisible by num_heads";
    return failure();
  }
  SymExpr t = l;
  if (op.getPastKey()) {
    auto pk = cost::dimsOf(q, op.getPastKey(), c);
    if (!pk || pk->size() != 4)
      return failure();
    // A shared buffer (past_sequence_length given) already has room for
    // the new keys: its length bounds the keys attended.
    t = op.getPastSequenceLength() ? (*pk)[2] : (*pk)[2] + l;
  }
  if (op.getBias())
    addPart(c, "QKV bias", b * s * dq + (keyPerHead ? SymExpr(0)
                                                    : b * l * (dk + dv)),
            false);
  int64_t masks = (paddingMask ? 1 : 0) + (op.getAttentionBias() ? 1 : 0) +
                  (causal ? 1 : 0);
  attentionCore(c, b * n, s, t, *hk, *hv, masks);
  return success();
}

LogicalResult MSMultiHeadAttentionOp::computeCost(const ShapeQuery &q,
                                                  OpCost &c) {
  return multiHeadAttentionCost(*this, q, c, getKeyPaddingMask(),
                                getUnidirectional() != 0,
                                /*packedQueryIsRank3=*/false);
}

LogicalResult
MSDecoderMaskedMultiHeadAttentionOp::computeCost(const ShapeQuery &q,
                                                 OpCost &c) {
  // One query per sequence attends to every valid key: no causal mask.
  return multiHeadAttentionCost(*this, q, c, getMaskIndex(), false,
                                /*packedQueryIsRank3=*/true);
}

LogicalResult MSSkipLayerNormOp::computeCost(const ShapeQuery &q, OpCost &c) {
  auto in = cost::dimsOf(q, getInput(), c);
  if (!in || in->empty() || failed(cost::readWriteAll(*this, q, c)))
    return failure();
  SymExpr n = product(*in);
  SymExpr rows = product(in->drop_back());
  addPart(c, "skip add", n * SymExpr(getBias() ? 2 : 1), false);
  // LayerNorm as in LayerNormOp: 6 (+1 with beta) per element, 4 per row.
  addPart(c, "layer norm",
          n * SymExpr(getBeta() ? 7 : 6) + rows * SymExpr(4), false);
  return success();
}

LogicalResult MSEmbedLayerNormOp::computeCost(const ShapeQuery &q, OpCost &c) {
  auto ids = cost::dimsOf(q, getInputIds(), c);
  auto out = cost::elements(q, getOutput(), c);
  if (!ids || !out)
    return failure();
  SymExpr tokens = product(*ids);
  // Reads the ids and the gathered rows of each table, not whole tables.
  c.read(getInputIds(), tokens);
  c.read(getWordEmbedding(), *out);
  c.read(getPositionEmbedding(), *out);
  if (getSegmentIds()) {
    c.read(getSegmentIds(), tokens);
    c.read(getSegmentEmbedding(), *out);
  }
  for (Value v : {getGamma(), getBeta(), getMask(), getPositionIds()})
    if (v) {
      auto e = cost::elements(q, v, c);
      if (!e)
        return failure();
      c.read(v, *e);
    }
  for (Value r : getResults()) {
    auto e = cost::elements(q, r, c);
    if (!e)
      return failure();
    c.write(r, *e);
  }
  addPart(c, "embedding adds", *out * SymExpr(getSegmentIds() ? 2 : 1), false);
  addPart(c, "layer norm", *out * SymExpr(7) + tokens * SymExpr(4), false);
  if (getMask())
    addPart(c, "mask index", tokens, false);
  return success();
}

LogicalResult cost::groupQueryAttentionCost(Operation *op,
                                            const ShapeQuery &q, OpCost &c,
                                            bool overBand) {
  auto g = cast<MSGroupQueryAttentionOp>(op);
  auto qd = cost::dimsOf(q, g.getQuery(), c);
  auto od = cost::dimsOf(q, g.getOutput(), c);
  if (!qd || !od)
    return failure();
  SymExpr b = (*qd)[0], s = (*qd)[1];
  SymExpr n(g.getNumHeads()), kv(g.getKvNumHeads());
  auto h = (*od)[2].divExact(n);
  if (!h) {
    c.unknownReason = "hidden size not divisible by num_heads";
    return failure();
  }
  // The new queries follow the P past keys: query i is at position P + i.
  SymExpr past(0);
  if (g.getPastKey()) {
    auto pk = cost::dimsOf(q, g.getPastKey(), c);
    if (!pk || pk->size() != 4)
      return failure();
    past = (*pk)[2];
  }
  // onnxruntime's window: the query at p sees keys p - w .. p (w + 1 keys,
  // fewer near the start), summed exactly over the queries; the cache
  // before the first query's window is never read. Without one every
  // query scores all T keys (the causal mask is applied to every score).
  AttentionWindow window{g.getLocalWindowSize(), -1, /*causal=*/true};
  auto pairs = cost::windowPairsAndTraffic(
      op, q, c, window, overBand, s, past + s, past,
      {g.getPastKey(), g.getPastValue()}, {g.getKey(), g.getValue()});
  if (!pairs)
    return failure();
  if (g.getQNormWeight())
    addPart(c, "q/k rms norm",
            rmsNormFlops(b * s * (n + kv) * *h, b * s * (n + kv)), false);
  if (g.getDoRotary())
    addPart(c, "rotary (q, k)",
            b * s * (n + kv) * *h * SymExpr(kRotaryFlops), false);
  // Every query head attends to its group's KV head; the causal mask (and
  // an attention bias) applies to every score visited.
  cost::attentionCoreOver(c, b * n, *pairs, *h, *h,
                          /*maskAdds=*/g.getAttentionBias() ? 2 : 1);
  if (auto cap = g.getSoftcap(); cap && cap->convertToDouble() != 0.0)
    addPart(c, "softcap (tanh)", b * n * *pairs * SymExpr(kSoftcapFlops),
            false);
  return success();
}

LogicalResult MSGroupQueryAttentionOp::computeCost(const ShapeQuery &q,
                                                   OpCost &c) {
  return cost::groupQueryAttentionCost(*this, q, c, /*overBand=*/false);
}

namespace {
/// A com.microsoft RoPE over cached cos/sin tables: its operands, the
/// positions' element count and the cache width.
struct CachedRotary {
  Value input, positionIds, cosCache, sinCache, output;
  SymExpr elements, positions, cacheWidth;
};
} // namespace

/// The operands and counts of `op`'s RoPE; nullopt with the reason set
/// when a shape is unknown.
template <typename RotaryOp>
static std::optional<CachedRotary> readCachedRotary(RotaryOp op,
                                                    const ShapeQuery &q,
                                                    OpCost &c) {
  auto in = cost::elements(q, op.getInput(), c);
  auto pos = cost::elements(q, op.getPositionIds(), c);
  auto cache = cost::dimsOf(q, op.getCosCache(), c);
  if (!in || !pos || !cache || cache->size() != 2)
    return std::nullopt;
  return CachedRotary{op.getInput(),    op.getPositionIds(), op.getCosCache(),
                      op.getSinCache(), op.getOutput(),      *in,
                      *pos,             (*cache)[1]};
}

/// `r`'s traffic and `rotated` x 3 FLOPs: the input, the positions and,
/// of each cache, `rowsRead` rows (those of the positions used, not the
/// whole tables) are read, the output written.
static void cachedRotaryCost(OpCost &c, const CachedRotary &r,
                             const SymExpr &rowsRead, const SymExpr &rotated) {
  SymExpr cacheRead = rowsRead * r.cacheWidth;
  c.read(r.input, r.elements);
  c.read(r.positionIds, r.positions);
  c.read(r.cosCache, cacheRead);
  c.read(r.sinCache, cacheRead);
  c.write(r.output, r.elements);
  c.flops = rotated * SymExpr(kRotaryFlops);
}

LogicalResult MSRotaryEmbeddingOp::computeCost(const ShapeQuery &q, OpCost &c) {
  auto r = readCachedRotary(*this, q, c);
  if (!r)
    return failure();
  cachedRotaryCost(c, *r, r->positions, r->elements);
  return success();
}

LogicalResult MSMRotaryEmbeddingOp::computeCost(const ShapeQuery &q,
                                                OpCost &c) {
  auto r = readCachedRotary(*this, q, c);
  auto x = cost::dimsOf(q, getInput(), c);
  if (!r || !x)
    return failure();
  // Per token and head the first R of the head are rotated; each token
  // reads R/2 cos and R/2 sin values, each from the row of the position
  // stream (t, h or w) that owns its frequency: one row's worth.
  SymExpr head = x->size() == 4 ? x->back()
                                : x->back()
                                      .divExact(SymExpr(getNumHeads()))
                                      .value_or(SymExpr::unknown());
  SymExpr rotary = getRotaryEmbeddingDim() > 0
                       ? SymExpr(getRotaryEmbeddingDim())
                       : head;
  auto headsAndTokens = r->elements.divExact(head);
  auto tokens = r->positions.divExact(SymExpr(3));
  if (!headsAndTokens || !tokens) {
    c.unknownReason = "the input does not split into heads of the position "
                      "ids' tokens";
    return failure();
  }
  cachedRotaryCost(c, *r, *tokens, *headsAndTokens * rotary);
  return success();
}

LogicalResult MSSimplifiedLayerNormOp::computeCost(const ShapeQuery &q,
                                                   OpCost &c) {
  auto x = cost::dimsOf(q, getX(), c);
  if (!x || failed(cost::readWriteAll(*this, q, c)))
    return failure();
  int64_t r = x->size();
  int64_t axis = getAxis() < 0 ? getAxis() + r : getAxis();
  c.flops = rmsNormFlops(product(*x),
                         product(x->take_front(std::clamp<int64_t>(axis, 0, r))));
  return success();
}

LogicalResult MSSkipSimplifiedLayerNormOp::computeCost(const ShapeQuery &q,
                                                       OpCost &c) {
  auto in = cost::dimsOf(q, getInput(), c);
  if (!in || in->empty() || failed(cost::readWriteAll(*this, q, c)))
    return failure();
  SymExpr n = product(*in);
  addPart(c, "skip add", n * SymExpr(getBias() ? 2 : 1), false);
  addPart(c, "rms norm", rmsNormFlops(n, product(in->drop_back())), false);
  return success();
}
