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
#include "tfperf/Interfaces/DimExprsEncodingAttrInterface.h"
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

/// The keys of a shared past buffer (`dims` at the shapes costed, its
/// length at dim `lengthDim`) that hold tokens when no decoder run seeded
/// past_sequence_length: all of them when those shapes re-bind the buffer's
/// length (a phase or a serving step binds it to the step's past); else the
/// value import recorded (a constant, a graph input's value symbol or the
/// value --bind-dims gave it); else the whole buffer, an upper bound.
static SymExpr validPastOf(Operation *op, Value past, ArrayRef<SymExpr> dims,
                           size_t lengthDim) {
  const SymExpr &buffer = dims[lengthDim];
  auto declared = getSymbolicDims(past.getType());
  if (declared && declared->size() == dims.size() &&
      (*declared)[lengthDim] != buffer)
    return buffer;
  if (auto text = op->getAttrOfType<StringAttr>(kPastLengthValueAttr))
    if (auto e = SymExpr::parse(text.getValue()); e && e->isKnown())
      return *e;
  return buffer;
}

LogicalResult MSAttentionOp::computeCost(const ShapeQuery &q, OpCost &c) {
  std::optional<SymExpr> validPast;
  if (getSharedPastLength(*this))
    if (auto past = q.dims(getPast()); past && past->size() == 5)
      validPast = validPastOf(*this, getPast(), *past, 3);
  return attentionCost(*this, q, validPast, c);
}

Value mlir::tfperf::getSharedPastLength(Operation *op) {
  if (auto a = dyn_cast<MSAttentionOp>(op))
    return a.getPast() ? a.getPastSequenceLength() : Value();
  if (auto m = dyn_cast<MSMultiHeadAttentionOp>(op))
    return m.getPastKey() ? m.getPastSequenceLength() : Value();
  // DecoderMaskedMultiHeadAttention reads past_sequence_length only with
  // past_present_share_buffer (the verifier requires it there).
  if (auto d = dyn_cast<MSDecoderMaskedMultiHeadAttentionOp>(op))
    return d.getPastKey() && d.getPastPresentShareBuffer()
               ? d.getPastSequenceLength()
               : Value();
  return Value();
}

namespace {
/// MultiHeadAttention and its one-step form DecoderMaskedMultiHeadAttention
/// take the same inputs under a few other names: what their cost reads.
struct MultiHeadOperands {
  Operation *op;
  const char *name;
  Value query, key, value, bias, pastKey, pastValue, cacheIndirection;
  Value presentKey, presentValue, qk;
  int64_t heads;
  /// Mask adds per score (padding mask, attention bias, causal mask).
  int64_t masks;
  /// DecoderMaskedMultiHeadAttention packs Q, K and V as [B, 1, 2 D + D_v]
  /// when key is absent.
  bool packedRank3;
};
} // namespace

/// The operands both ops name alike; `masks` and `packedRank3` are each's.
template <typename OpT>
static MultiHeadOperands operandsOf(OpT op, const char *name, int64_t masks,
                                    bool packedRank3) {
  return {op,
          name,
          op.getQuery(),
          op.getKey(),
          op.getValue(),
          op.getBias(),
          op.getPastKey(),
          op.getPastValue(),
          op.getCacheIndirection(),
          op.getPresentKey(),
          op.getPresentValue(),
          op.getQk(),
          op.getNumHeads(),
          masks,
          packedRank3};
}

static MultiHeadOperands operandsOf(MSMultiHeadAttentionOp m) {
  return operandsOf(m, "MultiHeadAttention",
                    (m.getKeyPaddingMask() ? 1 : 0) +
                        (m.getAttentionBias() ? 1 : 0) +
                        (m.getUnidirectional() ? 1 : 0),
                    /*packedRank3=*/false);
}

static MultiHeadOperands operandsOf(MSDecoderMaskedMultiHeadAttentionOp d) {
  // Its one query is the newest token: it sees every key, no causal mask.
  return operandsOf(d, "DecoderMaskedMultiHeadAttention",
                    (d.getMaskIndex() ? 1 : 0) + (d.getAttentionBias() ? 1 : 0),
                    /*packedRank3=*/true);
}

/// MultiHeadAttention and DecoderMaskedMultiHeadAttention: the bias adds and
/// the attention core over the past's keys (of a shared buffer its valid
/// ones: `validPast`, else validPastOf's) and the new ones. Traffic: every
/// input, but of a shared buffer only its valid keys and of
/// cache_indirection one entry per row and cached key (the beam the kernel
/// looks each key up in); the output, the presents (a shared buffer only at
/// the new keys, written in place) and qk over the keys attended.
static LogicalResult multiHeadCost(const MultiHeadOperands &m,
                                   const ShapeQuery &q,
                                   std::optional<SymExpr> validPast,
                                   OpCost &c) {
  auto qd = cost::dimsOf(q, m.query, c);
  auto od = cost::dimsOf(q, m.op->getResult(0), c);
  if (!qd || !od)
    return failure();
  // Ranks the schema allows; any other (a malformed graph) is unknown, never
  // an index past the dims.
  auto rankIs = [&](size_t rank, size_t a, size_t b) {
    if (rank == a || rank == b)
      return true;
    c.unknownReason = std::string("a ") + m.name + " input of rank " +
                      std::to_string(rank) + " (expected " + std::to_string(a) +
                      (a == b ? "" : " or " + std::to_string(b)) + ")";
    return false;
  };
  if (!rankIs(qd->size(), 3, 5) || !rankIs(od->size(), 3, 3))
    return failure();
  SymExpr n(m.heads);
  SymExpr b = (*qd)[0], s = (*qd)[1];
  SymExpr dq = qd->size() == 3 ? (*qd)[2] : n * (*qd)[4];
  // Keys/values: [B, L, D] projected inputs, [B, N, L, H] per-head (a
  // cross-attention cache: read, not projected), or packed into the query.
  SymExpr l = s, dk = dq, dv = dq;
  bool keyPerHead = false;
  if (m.packedRank3 && !m.key && qd->size() == 3) {
    // [B, 1, D + D + D_v]: D_v is the output's width.
    auto d = ((*qd)[2] - (*od)[2]).divExact(SymExpr(2));
    if (!d) {
      c.unknownReason = "a packed Q, K, V query whose width is not 2 x "
                        "hidden + v_hidden";
      return failure();
    }
    dq = dk = *d;
    dv = (*od)[2];
  }
  if (m.key) {
    auto kd = cost::dimsOf(q, m.key, c);
    if (!kd || !rankIs(kd->size(), 3, 4))
      return failure();
    keyPerHead = kd->size() == 4;
    l = keyPerHead ? (*kd)[2] : (*kd)[1];
    dk = keyPerHead ? n * (*kd)[3] : (*kd)[2];
  }
  if (m.value) {
    auto vd = cost::dimsOf(q, m.value, c);
    if (!vd || !rankIs(vd->size(), 3, 4))
      return failure();
    dv = vd->size() == 4 ? n * (*vd)[3] : (*vd)[2];
  }
  auto hk = dk.divExact(n), hv = dv.divExact(n);
  if (!hk || !hv) {
    c.unknownReason = "hidden size not divisible by num_heads";
    return failure();
  }
  bool shared = static_cast<bool>(getSharedPastLength(m.op));
  SmallVector<Value, 3> partial = {m.cacheIndirection};
  if (shared)
    partial.append({m.pastKey, m.pastValue});
  if (failed(cost::readAllBut(m.op, q, c, partial)))
    return failure();
  // The past's keys come before the new ones; of a shared buffer the valid
  // ones, and the kernel reads no more of it.
  SymExpr past(0);
  if (m.pastKey) {
    auto pk = cost::dimsOf(q, m.pastKey, c);
    if (!pk || !rankIs(pk->size(), 4, 4))
      return failure();
    past = !shared     ? (*pk)[2]
           : validPast ? *validPast
                       : validPastOf(m.op, m.pastKey, *pk, 2);
    for (Value cache : {m.pastKey, m.pastValue}) {
      if (!shared || !cache)
        continue;
      auto cd = cost::dimsOf(q, cache, c);
      if (!cd || !rankIs(cd->size(), 4, 4))
        return failure();
      c.read(cache, (*cd)[0] * (*cd)[1] * (*cd)[3] * past);
    }
  }
  if (m.cacheIndirection) {
    // [batch, beams, max length]: each of the B = batch x beams query rows
    // reads the beam of each cached key (B, not the dims: an export's beam
    // dim is often a symbol of its own).
    auto ci = cost::dimsOf(q, m.cacheIndirection, c);
    if (!ci || !rankIs(ci->size(), 3, 3))
      return failure();
    c.read(m.cacheIndirection, b * past);
  }
  SymExpr t = past + l;
  for (Value r : m.op->getResults()) {
    // Before qk, a present nobody uses is one the node left unnamed (import
    // makes a result for it; onnxruntime's cross attention with output_qk
    // asks for none): the kernel writes none.
    if (m.qk && (r == m.presentKey || r == m.presentValue) && r.use_empty())
      continue;
    if (r == m.qk) {
      c.write(r, b * n * s * t);
      continue;
    }
    auto rd = cost::dimsOf(q, r, c);
    if (!rd)
      return failure();
    // A shared present is the past's buffer: the new keys go in place.
    if (shared && r != m.op->getResult(0) && rd->size() == 4)
      c.write(r, (*rd)[0] * (*rd)[1] * (*rd)[3] * l);
    else
      c.write(r, product(*rd));
  }
  if (m.bias)
    addPart(c, "QKV bias",
            b * s * dq + (keyPerHead ? SymExpr(0) : b * l * (dk + dv)), false);
  attentionCore(c, b * n, s, t, *hk, *hv, m.masks);
  return success();
}

LogicalResult mlir::tfperf::computeSharedBufferAttentionCost(
    Operation *op, const ShapeQuery &q, const SymExpr &validPast, OpCost &c) {
  if (getSharedPastLength(op)) {
    if (auto a = dyn_cast<MSAttentionOp>(op))
      return attentionCost(a, q, validPast, c);
    if (auto m = dyn_cast<MSMultiHeadAttentionOp>(op))
      return multiHeadCost(operandsOf(m), q, validPast, c);
    if (auto d = dyn_cast<MSDecoderMaskedMultiHeadAttentionOp>(op))
      return multiHeadCost(operandsOf(d), q, validPast, c);
  }
  c.unknownReason = "not an attention over a shared past buffer";
  return failure();
}

LogicalResult MSMultiHeadAttentionOp::computeCost(const ShapeQuery &q,
                                                  OpCost &c) {
  return multiHeadCost(operandsOf(*this), q, std::nullopt, c);
}

LogicalResult
MSDecoderMaskedMultiHeadAttentionOp::computeCost(const ShapeQuery &q,
                                                 OpCost &c) {
  return multiHeadCost(operandsOf(*this), q, std::nullopt, c);
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
