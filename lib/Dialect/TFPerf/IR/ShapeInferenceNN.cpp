//===- ShapeInferenceNN.cpp - shape functions of NN and contrib ops -------===//

#include "InferenceUtils.h"
#include "tfperf/Dialect/TFPerf/IR/BeamSearchSchedule.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"
#include "tfperf/Support/Einsum.h"

#include "mlir/IR/Builders.h"

#include <map>
#include <type_traits>

using namespace mlir;
using namespace mlir::tfperf;
using namespace mlir::tfperf::infer;

/// Two contraction dims must agree; differing constants are an error.
static LogicalResult checkSame(Operation *op, const SymExpr &a,
                               const SymExpr &b, StringRef what) {
  if (a.isConstant() && b.isConstant() && a != b)
    return op->emitOpError() << what << " differ: " << a << " vs " << b;
  return success();
}

//===----------------------------------------------------------------------===//
// MatMul, Gemm, Conv, Einsum
//===----------------------------------------------------------------------===//

LogicalResult mlir::tfperf::infer::inferMatMul(Operation *op, Value lhs,
                                               Value rhs, Type resultType,
                                               ShapeContext &ctx) {
  const TensorInfo &a = ctx.get(lhs), &b = ctx.get(rhs);
  if (!a.ranked || !b.ranked)
    return success();
  if (a.dims.empty() || b.dims.empty())
    return op->emitOpError() << "operands must have rank >= 1";
  Dims da = a.dims, db = b.dims;
  bool vecA = da.size() == 1, vecB = db.size() == 1;
  if (vecA)
    da.insert(da.begin(), SymExpr(1));
  if (vecB)
    db.push_back(SymExpr(1));
  if (failed(checkSame(op, da.back(), db[db.size() - 2], "contraction dims")))
    return failure();
  ArrayRef<SymExpr> batchA = ArrayRef<SymExpr>(da).drop_back(2);
  ArrayRef<SymExpr> batchB = ArrayRef<SymExpr>(db).drop_back(2);
  SmallVector<ArrayRef<SymExpr>> batches = {batchA, batchB};
  auto out = broadcastShapes(op, batches, &ctx);
  if (failed(out))
    return failure();
  if (!vecA)
    out->push_back(da[da.size() - 2]);
  if (!vecB)
    out->push_back(db.back());
  ctx.setResult(op, 0, resultType ? resultType : a.elementType, *out);
  return success();
}

LogicalResult MatMulOp::inferShapes(ShapeContext &ctx) {
  return inferMatMul(*this, getA(), getB(), Type(), ctx);
}

LogicalResult GemmOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &a = ctx.get(getA()), &b = ctx.get(getB());
  if (!a.ranked || !b.ranked)
    return success();
  if (a.dims.size() != 2 || b.dims.size() != 2)
    return emitOpError() << "A and B must be rank 2";
  SymExpr m = a.dims[getTransA() ? 1 : 0], ka = a.dims[getTransA() ? 0 : 1];
  SymExpr kb = b.dims[getTransB() ? 1 : 0], n = b.dims[getTransB() ? 0 : 1];
  if (failed(checkSame(*this, ka, kb, "contraction dims")))
    return failure();
  Dims out = {m, n};
  if (getC()) {
    const TensorInfo &c = ctx.get(getC());
    if (c.ranked) {
      SmallVector<ArrayRef<SymExpr>> shapes = {out, c.dims};
      auto bc = broadcastShapes(*this, shapes, &ctx);
      if (failed(bc))
        return failure();
      // C must not grow [M, N]: a constant dim that broadcasting changed
      // means C was larger than the product.
      bool grows = bc->size() != 2;
      for (unsigned i = 0; i < 2 && !grows; ++i)
        grows = out[i].isConstant() && (*bc)[i].isConstant() &&
                out[i] != (*bc)[i];
      if (grows)
        return emitOpError() << "C does not broadcast to [M, N] = [" << m
                             << ", " << n << "]";
    }
  }
  ctx.setResult(*this, 0, a.elementType, out);
  return success();
}

LogicalResult ConvOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &x = ctx.get(getX()), &w = ctx.get(getW());
  if (!x.ranked || !w.ranked)
    return success();
  int64_t r = x.dims.size();
  if (r < 3 || (int64_t)w.dims.size() != r)
    return emitOpError() << "X and W must have the same rank >= 3";
  int64_t nsp = r - 2;
  if (failed(checkSame(*this, x.dims[1], w.dims[1] * SymExpr(getGroup()),
                       "input channels and W channels x group")))
    return failure();
  auto getList = [&](std::optional<ArrayRef<int64_t>> a, int64_t n,
                     int64_t dflt) {
    SmallVector<int64_t> v(n, dflt);
    if (a && (int64_t)a->size() == n)
      v.assign(a->begin(), a->end());
    return v;
  };
  auto strides = getList(getStrides(), nsp, 1);
  auto dil = getList(getDilations(), nsp, 1);
  auto pads = getList(getPads(), 2 * nsp, 0);
  if ((getStrides() && (int64_t)getStrides()->size() != nsp) ||
      (getDilations() && (int64_t)getDilations()->size() != nsp) ||
      (getPads() && (int64_t)getPads()->size() != 2 * nsp))
    return emitOpError() << "strides/dilations/pads do not match "
                         << nsp << " spatial dims";
  if (auto ks = getKernelShape()) {
    if ((int64_t)ks->size() != nsp)
      return emitOpError() << "kernel_shape has " << ks->size()
                           << " entries for " << nsp << " spatial dims";
    for (int64_t i = 0; i < nsp; ++i)
      if (failed(checkSame(*this, SymExpr((*ks)[i]), w.dims[2 + i],
                           "kernel_shape and W dims")))
        return failure();
  }
  for (int64_t s : strides)
    if (s <= 0)
      return emitOpError() << "strides must be positive";
  Dims out = {x.dims[0], w.dims[0]};
  StringRef autoPad = getAutoPad();
  for (int64_t i = 0; i < nsp; ++i) {
    const SymExpr &in = x.dims[2 + i];
    SymExpr effK = SymExpr(dil[i]) * (w.dims[2 + i] - SymExpr(1)) + SymExpr(1);
    SymExpr o;
    if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER")
      o = SymExpr::ceilDiv(in, SymExpr(strides[i]));
    else if (autoPad == "VALID")
      o = SymExpr::floorDiv(in - effK, SymExpr(strides[i])) + SymExpr(1);
    else
      o = SymExpr::floorDiv(in + SymExpr(pads[i]) + SymExpr(pads[i + nsp]) -
                                effK,
                            SymExpr(strides[i])) +
          SymExpr(1);
    if (o.isConstant() && o.getConstant() <= 0)
      return emitOpError() << "spatial dim " << i
                           << " is empty after the convolution";
    out.push_back(o);
  }
  ctx.setResult(*this, 0, x.elementType, out);
  return success();
}

LogicalResult EinsumOp::inferShapes(ShapeContext &ctx) {
  std::string error;
  auto spec = parseEinsum(getEquation(), error);
  if (!spec)
    return emitOpError() << "bad equation: " << error;
  if (spec->inputs.size() != getInputs().size())
    return emitOpError() << "equation and operand count differ";
  std::map<char, SymExpr> letterDims;
  SmallVector<ArrayRef<SymExpr>> ellipsisShapes;
  SmallVector<Dims> storage;
  for (auto [term, v] : llvm::zip(spec->inputs, getInputs())) {
    const TensorInfo &info = ctx.get(v);
    if (!info.ranked)
      return success();
    int64_t nl = term.letters.size();
    int64_t ne = info.dims.size() - nl;
    if (ne < 0 || (term.ellipsisAt < 0 && ne != 0))
      return emitOpError() << "operand rank " << info.dims.size()
                           << " does not match '" << term.letters << "'";
    int64_t e0 = term.ellipsisAt < 0 ? nl : term.ellipsisAt;
    for (int64_t i = 0; i < nl; ++i) {
      int64_t dimIdx = i < e0 ? i : i + ne;
      const SymExpr &d = info.dims[dimIdx];
      char c = term.letters[i];
      auto it = letterDims.find(c);
      if (it == letterDims.end() || it->second.isConstant(1)) {
        letterDims[c] = d;
      } else if (!d.isConstant(1)) {
        if (failed(checkSame(*this, it->second, d,
                             std::string("dims of subscript '") + c + "'")))
          return failure();
      }
    }
    storage.emplace_back(info.dims.begin() + e0, info.dims.begin() + e0 + ne);
  }
  for (auto &s : storage)
    ellipsisShapes.push_back(s);
  auto ell = broadcastShapes(*this, ellipsisShapes, &ctx);
  if (failed(ell))
    return failure();
  Dims out;
  const EinsumTerm &o = spec->output;
  for (size_t i = 0; i <= o.letters.size(); ++i) {
    if ((int64_t)i == o.ellipsisAt)
      out.append(ell->begin(), ell->end());
    if (i < o.letters.size())
      out.push_back(letterDims[o.letters[i]]);
  }
  ctx.setResult(*this, 0, ctx.get(getInputs().front()).elementType, out);
  return success();
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

LogicalResult LayerNormOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &x = ctx.get(getX());
  if (!x.ranked)
    return success();
  int64_t r = x.dims.size();
  auto axis = normalizeAxis(*this, getAxis(), r);
  if (failed(axis))
    return failure();
  const TensorInfo &scale = ctx.get(getScale());
  if (scale.ranked) {
    // Scale must broadcast to the normalized dims.
    ArrayRef<SymExpr> norm = ArrayRef<SymExpr>(x.dims).drop_front(*axis);
    if ((int64_t)scale.dims.size() > (int64_t)norm.size())
      return emitOpError() << "scale has rank " << scale.dims.size()
                           << " but only " << norm.size()
                           << " dims are normalized";
    for (size_t i = 0; i < scale.dims.size(); ++i) {
      const SymExpr &s = scale.dims[scale.dims.size() - 1 - i];
      const SymExpr &d = norm[norm.size() - 1 - i];
      if (!s.isConstant(1) &&
          failed(checkSame(*this, s, d, "scale and normalized dims")))
        return failure();
    }
  }
  ctx.setResult(*this, 0, x.elementType, x.dims);
  Dims stats = x.dims;
  for (int64_t i = *axis; i < r; ++i)
    stats[i] = SymExpr(1);
  Type f32 = Float32Type::get(getContext());
  unsigned idx = 1;
  if (getMean())
    ctx.setResult(*this, idx++, f32, stats);
  if (getInvStdDev())
    ctx.setResult(*this, idx++, f32, stats);
  return success();
}

LogicalResult InstanceNormOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &x = ctx.get(getInput()), &scale = ctx.get(getScale());
  if (!x.ranked)
    return success();
  if (x.dims.size() < 3)
    return emitOpError() << "input must be [N, C, D1, ...] (rank >= 3), got "
                            "rank "
                         << x.dims.size();
  if (scale.ranked && scale.dims.size() != 1)
    return emitOpError() << "scale must be [C]";
  if (scale.ranked &&
      failed(checkSame(*this, scale.dims[0], x.dims[1], "scale and channels")))
    return failure();
  ctx.setResult(*this, 0, x.elementType, x.dims);
  return success();
}

LogicalResult LpNormOp::inferShapes(ShapeContext &ctx) {
  // The norm runs along `axis`: it must be a dim of the input (ONNX).
  const TensorInfo &in = ctx.get(getInput());
  if (in.ranked &&
      failed(normalizeAxis(*this, getAxis(), in.dims.size(), "LpNormalization axis")))
    return failure();
  return inferUnarySameShape(*this, ctx, /*passValues=*/false);
}

LogicalResult MSSkipLayerNormOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &in = ctx.get(getInput());
  const TensorInfo &skip = ctx.get(getSkip());
  if (!in.ranked)
    return success();
  if (skip.ranked) {
    SmallVector<ArrayRef<SymExpr>> shapes = {in.dims, skip.dims};
    if (failed(broadcastShapes(*this, shapes, &ctx)))
      return failure();
  }
  Dims stats = in.dims;
  if (!stats.empty())
    stats.back() = SymExpr(1);
  Type f32 = Float32Type::get(getContext());
  unsigned idx = 0;
  ctx.setResult(*this, idx++, in.elementType, in.dims);
  if (getMean())
    ctx.setResult(*this, idx++, f32, stats);
  if (getInvStdVar())
    ctx.setResult(*this, idx++, f32, stats);
  if (getInputSkipBiasSum())
    ctx.setResult(*this, idx++, in.elementType, in.dims);
  return success();
}

LogicalResult MSEmbedLayerNormOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &ids = ctx.get(getInputIds());
  const TensorInfo &word = ctx.get(getWordEmbedding());
  if (!ids.ranked || !word.ranked)
    return success();
  if (ids.dims.size() != 2 || word.dims.size() != 2)
    return emitOpError() << "input_ids must be [batch, seq] and "
                            "word_embedding [vocab, hidden]";
  Dims out = {ids.dims[0], ids.dims[1], word.dims[1]};
  unsigned idx = 0;
  ctx.setResult(*this, idx++, word.elementType, out);
  if (getMaskIndex())
    ctx.setResult(*this, idx++, IntegerType::get(getContext(), 32),
                  ArrayRef<SymExpr>{ids.dims[0]});
  if (getEmbeddingSum())
    ctx.setResult(*this, idx++, word.elementType, out);
  return success();
}

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

LogicalResult MSAttentionOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &in = ctx.get(getInput()), &w = ctx.get(getWeights());
  if (!in.ranked || !w.ranked)
    return success();
  if (in.dims.size() != 3 || w.dims.size() != 2)
    return emitOpError() << "input must be [B, S, D] and weights [D, 3D]";
  if (failed(checkSame(*this, in.dims[2], w.dims[0], "input and weight dims")))
    return failure();
  SymExpr dq, dk, dv;
  if (auto q = getQkvHiddenSizes()) {
    if (q->size() != 3)
      return emitOpError() << "qkv_hidden_sizes needs 3 entries";
    dq = SymExpr((*q)[0]), dk = SymExpr((*q)[1]), dv = SymExpr((*q)[2]);
    if (failed(checkSame(*this, dq + dk + dv, w.dims[1],
                         "qkv_hidden_sizes sum and weight columns")))
      return failure();
  } else {
    auto third = w.dims[1].divExact(SymExpr(3));
    if (!third)
      return emitOpError() << "weight columns " << w.dims[1]
                           << " are not 3 x hidden";
    dq = dk = dv = *third;
  }
  int64_t heads = getNumHeads();
  auto headDim = dk.divExact(SymExpr(heads));
  if (!headDim && dk.isConstant())
    return emitOpError() << "hidden size " << dk << " is not divisible by "
                         << heads << " heads";
  ctx.setResult(*this, 0, in.elementType, Dims{in.dims[0], in.dims[1], dv});
  if (getPresent()) {
    SymExpr total = in.dims[1];
    if (getPast()) {
      // With past_sequence_length the past is a past_present_share_buffer
      // cache: present is that buffer, its length unchanged.
      const TensorInfo &past = ctx.get(getPast());
      if (past.ranked && past.dims.size() == 5)
        total =
            getPastSequenceLength() ? past.dims[3] : past.dims[3] + in.dims[1];
      else
        total = SymExpr::unknown();
    }
    ctx.setResult(*this, 1, in.elementType,
                  Dims{SymExpr(2), in.dims[0], SymExpr(heads), total,
                       headDim ? *headDim : SymExpr::unknown()});
  }
  return success();
}

/// A scalar operand's value, Unknown when absent or not a single value.
static SymExpr scalarValue(ShapeContext &ctx, Value v) {
  if (!v)
    return SymExpr::unknown();
  const auto *vals = ctx.getValues(v);
  return vals && vals->size() == 1 ? vals->front() : SymExpr::unknown();
}

/// MultiHeadAttention and its one-step form DecoderMaskedMultiHeadAttention:
/// output [B, S, D_v]; presents [B, N, P + L, H], or the shared buffers
/// themselves with past_sequence_length; qk [B, N, S, total].
template <typename OpT>
static LogicalResult inferMultiHeadShapes(OpT op, ShapeContext &ctx,
                                          bool packedQueryIsRank3) {
  const TensorInfo &q = ctx.get(op.getQuery());
  if (!q.ranked)
    return success();
  if (q.dims.size() != 3 && q.dims.size() != 5)
    return op.emitOpError()
           << "query must be [B, S, D] or packed [B, S, N, 3, H]";
  int64_t heads = op.getNumHeads();
  // DecoderMaskedMultiHeadAttention packs Q, K and V in the last dim of a
  // 3-D query when key is absent: D + D + D_v, read as three equal parts.
  bool packed3d = packedQueryIsRank3 && !op.getKey() && q.dims.size() == 3;
  SymExpr hiddenQ = q.dims.size() == 3 ? q.dims[2]
                                       : SymExpr(heads) * q.dims[4];
  if (packed3d)
    hiddenQ = q.dims[2].divExact(SymExpr(3)).value_or(SymExpr::unknown());
  SymExpr hiddenV = hiddenQ;
  if (op.getValue()) {
    const TensorInfo &v = ctx.get(op.getValue());
    if (v.ranked && v.dims.size() == 3)
      hiddenV = v.dims[2];
    else if (v.ranked && v.dims.size() == 4)
      hiddenV = v.dims[1] * v.dims[3];
  }
  ctx.setResult(op, 0, q.elementType, Dims{q.dims[0], q.dims[1], hiddenV});
  bool sharedBuffer = static_cast<bool>(getSharedPastLength(op));
  auto presentDims = [&](Value kv, Value past) -> Dims {
    SymExpr b = q.dims[0], n(heads), len = SymExpr::unknown(),
            h = SymExpr::unknown();
    if (kv) {
      const TensorInfo &k = ctx.get(kv);
      if (k.ranked && k.dims.size() == 4) // already [B, N, L, H]
        return k.dims;
      if (k.ranked && k.dims.size() == 3) {
        len = k.dims[1];
        if (auto hh = k.dims[2].divExact(SymExpr(heads)))
          h = *hh;
      }
    } else {
      len = q.dims[1];
      if (auto hh = hiddenQ.divExact(SymExpr(heads)))
        h = *hh;
    }
    if (past) {
      const TensorInfo &p = ctx.get(past);
      if (p.ranked && p.dims.size() == 4) {
        // A shared buffer keeps its length; the new keys go in place.
        if (sharedBuffer)
          return p.dims;
        len = p.dims[2] + len;
        h = p.dims[3];
      }
    }
    return Dims{b, n, len, h};
  };
  unsigned idx = 1;
  Dims presentK = presentDims(op.getKey(), op.getPastKey());
  if (op.getPresentKey())
    ctx.setResult(op, idx++, q.elementType, presentK);
  if (op.getPresentValue())
    ctx.setResult(op, idx++, q.elementType,
                  presentDims(op.getValue(), op.getPastValue()));
  if (Value qk = op.getQk()) {
    // Scores over the valid keys: past_sequence_length + the new ones with
    // a shared buffer, else the present's length.
    SymExpr total = presentK.size() == 4 ? presentK[2] : SymExpr::unknown();
    if (sharedBuffer) {
      total = SymExpr::unknown();
      SymExpr past = scalarValue(ctx, op.getPastSequenceLength());
      if (past.isKnown() && op.getKey()) {
        const TensorInfo &k = ctx.get(op.getKey());
        if (k.ranked && k.dims.size() == 3)
          total = past + k.dims[1];
      } else if (past.isKnown()) {
        total = past + q.dims[1];
      }
    }
    // qk's type is its own (float or float16, whatever T is): the declared
    // one when the graph gives it.
    Type declared = ctx.get(qk).elementType;
    ctx.setResult(op, idx, declared ? declared : q.elementType,
                  Dims{q.dims[0], SymExpr(heads), q.dims[1], total});
  }
  return success();
}

LogicalResult MSMultiHeadAttentionOp::inferShapes(ShapeContext &ctx) {
  return inferMultiHeadShapes(*this, ctx, /*packedQueryIsRank3=*/false);
}

LogicalResult
MSDecoderMaskedMultiHeadAttentionOp::inferShapes(ShapeContext &ctx) {
  return inferMultiHeadShapes(*this, ctx, /*packedQueryIsRank3=*/true);
}

//===----------------------------------------------------------------------===//
// BeamSearch
//===----------------------------------------------------------------------===//


/// A search's vocabulary: the last dim of its first subgraph's first
/// output (the decoder's logits).
static SymExpr searchVocabulary(Operation *op, ShapeContext &ctx) {
  for (Region &r : op->getRegions())
    if (!r.empty())
      if (auto y = dyn_cast<YieldOp>(r.front().getTerminator()))
        if (y.getNumOperands() > 0) {
          const TensorInfo &logits = ctx.get(y.getOperand(0));
          return logits.ranked && !logits.dims.empty() ? logits.dims.back()
                                                       : SymExpr::unknown();
        }
  return SymExpr::unknown();
}

/// A search's max_length (operand 1); an error when it is a constant below
/// 1 (onnxruntime requires it above the prompt's length).
static FailureOr<SymExpr> searchMaxLength(Operation *op, ShapeContext &ctx) {
  SymExpr n = scalarValue(ctx, op->getOperand(1));
  if (n.isConstant() && n.getConstant() < 1)
    return op->emitOpError()
           << "max_length is " << n
           << ": it must exceed the prompt's length (onnxruntime rejects it)";
  return n;
}

/// WhisperBeamSearch's own inputs and results, as onnxruntime checks and
/// makes them (WhisperBeamSearchParameters, BeamSearchParameters::
/// ParseFromInputs, BeamSearchWhisper::Execute): cross_qk_layer_head [n, 2]
/// (layer, head) pairs within the decoder's, extra_decoding_ids [batch,
/// length], one temperature; cross_qk [batch, R, pairs, `runs`, frames] only
/// from a decoder that returns its cross QK (decoder_output_cross_qk),
/// non_speech_probs [batch] only with a no_speech_token_id in the
/// vocabulary. Absent optional outputs before a taken one are placeholders
/// nobody uses: shaped, not checked.
static LogicalResult inferWhisperResults(MSWhisperBeamSearchOp op,
                                         ShapeContext &ctx,
                                         const SymExpr &batch,
                                         const SymExpr &numRet,
                                         const SymExpr &runs) {
  WhisperCrossQk g = getWhisperCrossQk(op, ctx);
  // All of the decoder's (layer, head) pairs unless the input keeps some.
  SymExpr pairs = g.layers * g.heads;
  if (Value layerHeads = op.getCrossQkLayerHead()) {
    const TensorInfo &lh = ctx.get(layerHeads);
    pairs = SymExpr::unknown();
    if (lh.ranked && (lh.dims.size() != 2 ||
                      (lh.dims[1].isConstant() && !lh.dims[1].isConstant(2))))
      return op.emitOpError()
             << "cross_qk_layer_head is [" << ArrayRef<SymExpr>(lh.dims)
             << "]: it must be [n, 2], (layer, head) pairs";
    if (lh.ranked)
      pairs = lh.dims[0];
    const auto *pairValues = ctx.getValues(layerHeads);
    std::optional<int64_t> layers = g.layers.getInt64(),
                           heads = g.heads.getInt64();
    for (size_t i = 0; pairValues && i + 1 < pairValues->size(); i += 2) {
      std::optional<int64_t> layer = (*pairValues)[i].getInt64(),
                             head = (*pairValues)[i + 1].getInt64();
      if ((layer && (*layer < 0 || (layers && *layer >= *layers))) ||
          (head && (*head < 0 || (heads && *head >= *heads))))
        return op.emitOpError()
               << "cross_qk_layer_head pair " << i / 2 << " is (layer "
               << (*pairValues)[i] << ", head " << (*pairValues)[i + 1]
               << "), not one of the decoder's " << g.layers << " layers x "
               << g.heads
               << " cross-attention heads (onnxruntime reads out of bounds)";
    }
  }
  if (Value extra = op.getExtraDecodingIds()) {
    const TensorInfo &info = ctx.get(extra);
    if (info.ranked && (info.dims.size() != 2 ||
                        (info.dims[0].isConstant() && batch.isConstant() &&
                         info.dims[0] != batch)))
      return op.emitOpError()
             << "extra_decoding_ids is [" << ArrayRef<SymExpr>(info.dims)
             << "]: it must be [batch, length] with input_features' batch, "
             << batch;
  }
  if (Value temperature = op.getTemperature()) {
    const TensorInfo &info = ctx.get(temperature);
    if (info.ranked && (info.dims.size() > 1 ||
                        (info.dims.size() == 1 && info.dims[0].isConstant() &&
                         !info.dims[0].isConstant(1))))
      return op.emitOpError()
             << "temperature is [" << ArrayRef<SymExpr>(info.dims)
             << "]: it must be one value";
  }
  Type f32 = Float32Type::get(op.getContext());
  if (Value crossQk = op.getCrossQk()) {
    if (!crossQk.use_empty() && !decoderOutputsCrossQk(op))
      return op.emitOpError()
             << "returns cross_qk without decoder_output_cross_qk = 1: "
                "onnxruntime fills it from the decoder's cross QK outputs";
    ctx.setResult(op, 3, f32, Dims{batch, numRet, pairs, runs, g.frames});
  }
  if (Value noSpeech = op.getNonSpeechProbs()) {
    auto token = op->getAttrOfType<IntegerAttr>("no_speech_token_id");
    int64_t id = token ? token.getInt() : -1;
    SymExpr vocabulary = searchVocabulary(op, ctx);
    if (!noSpeech.use_empty() &&
        (id < 0 || (vocabulary.isConstant() && id >= vocabulary.getConstant())))
      return op.emitOpError()
             << "returns non_speech_probs with no_speech_token_id " << id
             << ", not a token of the vocabulary of " << vocabulary
             << " (onnxruntime rejects it)";
    ctx.setResult(op, 4, f32, Dims{batch});
  }
  return success();
}

/// BeamSearch and WhisperBeamSearch: sequences [batch, R, max_length],
/// sequences_scores [batch, R], scores [max_length - prompt, batch, beams,
/// vocabulary]; WhisperBeamSearch's cross_qk and non_speech_probs
/// (inferWhisperResults).
template <typename OpT>
static LogicalResult inferBeamSearchResults(OpT op, ShapeContext &ctx) {
  FailureOr<SymExpr> maxLen = searchMaxLength(op, ctx);
  if (failed(maxLen))
    return failure();
  const TensorInfo &ids = ctx.get(op.getInputIds());
  // Whisper's input 0 is input_features [batch, feature_size, frames]; the
  // tokens before the first generated one are decoder_input_ids' (one start
  // token without it; beam_search_parameters.cc, ParseFromInputs).
  bool whisper = getSearchModel(op) == SearchModel::Whisper;
  if (!ids.ranked || ids.dims.size() != (whisper ? 3u : 2u))
    return success();
  SymExpr prompt =
      whisper ? getWhisperStartTokens(op, ctx) : ids.dims.back();
  SymExpr numRet = scalarValue(ctx, op.getNumReturnSequences());
  SymExpr beams = scalarValue(ctx, op.getNumBeams());
  Type i32 = IntegerType::get(op.getContext(), 32);
  Type f32 = Float32Type::get(op.getContext());
  unsigned idx = 0;
  ctx.setResult(op, idx++, i32, Dims{ids.dims[0], numRet, *maxLen});
  if (op.getSequencesScores())
    ctx.setResult(op, idx++, f32, Dims{ids.dims[0], numRet});
  if (op.getScores())
    ctx.setResult(op, idx++, f32,
                  Dims{*maxLen - prompt, ids.dims[0], beams,
                       searchVocabulary(op, ctx)});
  if constexpr (std::is_same_v<OpT, MSWhisperBeamSearchOp>) {
    // The decoder runs max_length - prompt - 1 times (the encoder's logits
    // give the first token), each adding one row to cross_qk.
    SymExpr runs = SymExpr::max(*maxLen - prompt - SymExpr(1), SymExpr(0));
    return inferWhisperResults(op, ctx, ids.dims[0], numRet, runs);
  }
  return success();
}

LogicalResult MSBeamSearchOp::inferShapes(ShapeContext &ctx) {
  return inferBeamSearchResults(*this, ctx);
}

LogicalResult MSWhisperBeamSearchOp::inferShapes(ShapeContext &ctx) {
  // WhisperBeamSearchParameters::ParseFromAttributes enforces model_type 2
  // (its default).
  if (auto type = (*this)->getAttrOfType<IntegerAttr>("model_type");
      type && type.getInt() != 2)
    return emitOpError() << "model_type is " << type.getInt()
                         << ": WhisperBeamSearch runs Whisper (model_type 2) "
                            "only (onnxruntime rejects it)";
  return inferBeamSearchResults(*this, ctx);
}

/// GreedySearch and Sampling: sequences [batch, max_length], Sampling's
/// filtered_logits [batch, vocabulary].
static LogicalResult inferGreedyResults(Operation *op, ShapeContext &ctx) {
  FailureOr<SymExpr> maxLen = searchMaxLength(op, ctx);
  if (failed(maxLen))
    return failure();
  const TensorInfo &ids = ctx.get(op->getOperand(0));
  if (!ids.ranked || ids.dims.size() != 2)
    return success();
  ctx.setResult(op, 0, IntegerType::get(op->getContext(), 32),
                Dims{ids.dims[0], *maxLen});
  if (op->getNumResults() > 1)
    ctx.setResult(op, 1, Float32Type::get(op->getContext()),
                  Dims{ids.dims[0], searchVocabulary(op, ctx)});
  return success();
}

LogicalResult MSGreedySearchOp::inferShapes(ShapeContext &ctx) {
  return inferGreedyResults(*this, ctx);
}

LogicalResult MSSamplingOp::inferShapes(ShapeContext &ctx) {
  return inferGreedyResults(*this, ctx);
}

//===----------------------------------------------------------------------===//
// LLaMA-style contrib ops
//===----------------------------------------------------------------------===//

LogicalResult MSGroupQueryAttentionOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &q = ctx.get(getQuery());
  if (!q.ranked)
    return success();
  if (q.dims.size() != 3)
    return emitOpError() << "query must be [batch, seq, hidden]";
  int64_t n = getNumHeads(), kv = getKvNumHeads();
  SymExpr headDim = SymExpr::unknown();
  if (getKey()) {
    if (auto h = q.dims[2].divExact(SymExpr(n)))
      headDim = *h;
  } else if (auto h = q.dims[2].divExact(SymExpr(n + 2 * kv))) {
    headDim = *h; // packed Q, K, V
  }
  if (!headDim.isKnown() && q.dims[2].isConstant())
    return emitOpError() << "query hidden size " << q.dims[2]
                         << " does not split into heads";
  ctx.setResult(*this, 0, q.elementType,
                Dims{q.dims[0], q.dims[1], SymExpr(n) * headDim});
  SymExpr total = q.dims[1];
  // The cache keeps its own type and head width: a quantized cache is
  // int8, or uint8 with two 4-bit values per byte.
  Type cacheType = q.elementType;
  SymExpr cacheHead = headDim;
  if (getPastKey()) {
    const TensorInfo &pk = ctx.get(getPastKey());
    bool ok = pk.ranked && pk.dims.size() == 4;
    total = ok ? pk.dims[2] + q.dims[1] : SymExpr::unknown();
    if (ok) {
      cacheType = pk.elementType;
      cacheHead = pk.dims[3];
    }
  }
  Dims present = {q.dims[0], SymExpr(kv), total, cacheHead};
  for (unsigned i = 0; i < getPresents().size() && i < 2; ++i)
    ctx.setResult(*this, 1 + i, cacheType, present);
  if (getOutputQk())
    ctx.setResult(*this, 3, q.elementType,
                  Dims{q.dims[0], SymExpr(n), q.dims[1], total});
  return success();
}

LogicalResult MSRotaryEmbeddingOp::inferShapes(ShapeContext &ctx) {
  return inferUnarySameShape(*this, ctx, /*passValues=*/false);
}

LogicalResult MSSimplifiedLayerNormOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &x = ctx.get(getX());
  if (!x.ranked)
    return success();
  int64_t r = x.dims.size();
  auto axis = normalizeAxis(*this, getAxis(), r);
  if (failed(axis))
    return failure();
  ctx.setResult(*this, 0, x.elementType, x.dims);
  Dims stats = x.dims;
  for (int64_t i = *axis; i < r; ++i)
    stats[i] = SymExpr(1);
  for (unsigned i = 0; i < getStats().size(); ++i)
    ctx.setResult(*this, 1 + i, Float32Type::get(getContext()), stats);
  return success();
}

LogicalResult MSSkipSimplifiedLayerNormOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &in = ctx.get(getInput());
  if (!in.ranked)
    return success();
  Dims stats = in.dims;
  if (!stats.empty())
    stats.back() = SymExpr(1);
  ctx.setResult(*this, 0, in.elementType, in.dims);
  Type f32 = Float32Type::get(getContext());
  for (unsigned i = 0; i < getExtras().size(); ++i)
    ctx.setResult(*this, 1 + i, i == 2 ? in.elementType : f32,
                  i == 2 ? in.dims : stats);
  return success();
}
