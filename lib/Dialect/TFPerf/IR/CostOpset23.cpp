//===- CostOpset23.cpp - cost of opset 23-27 ops --------------------------===//
//
// ONNX Attention costs what onnxruntime's fused attention ops cost
// (cost::attentionCore: Q K^T and P V are the GEMM FLOPs, 2 B Nq S T H
// each, T = past + new keys; every query head of a GQA group attends to
// all T keys of its KV head). Its traffic is its inputs and outputs. A
// static KV cache written by TensorScatter moves only the update.
// LinearAttention is linear in T: per token and head, a read-out of the
// Dk x Dv state and its update; of a windowed state (com.microsoft's
// `state_window`) only the last is read. docs/CostModel.md.
//
//===----------------------------------------------------------------------===//

#include "AttentionDims.h"
#include "CostUtils.h"
#include "WindowedAttentionCost.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"
#include "tfperf/Dialect/TFPerf/IR/WindowBandCost.h"
#include "tfperf/Support/AttentionWindow.h"

using namespace mlir;
using namespace mlir::tfperf;
using cost::addPart;

using cost::kRotaryFlops;
using cost::kSoftcapFlops;

namespace {
/// SiLU/Swish fused into a convolution: sigmoid, multiply.
constexpr int64_t kSiluFlops = 2;

/// The dims getter of a cost function: unknown dims fail with a reason.
auto queryDims(const ShapeQuery &q, OpCost &c) {
  return [&q, &c](Value v) { return cost::dimsOf(q, v, c); };
}
} // namespace

LogicalResult CastLikeOp::computeCost(const ShapeQuery &q, OpCost &c) {
  // Reads the input at one width and writes it at another; the target is
  // only a type.
  auto n = cost::readWhole(q, c, getInput());
  if (!n)
    return failure();
  c.write(getOutput(), *n);
  return success();
}

LogicalResult SizeOp::computeCost(const ShapeQuery &, OpCost &c) {
  // Reads only metadata.
  c.write(getSize(), SymExpr(1));
  return success();
}

LogicalResult RMSNormOp::computeCost(const ShapeQuery &q, OpCost &c) {
  auto x = cost::dimsOf(q, getX(), c);
  if (!x || failed(cost::readWriteAll(*this, q, c)))
    return failure();
  int64_t r = x->size();
  int64_t axis = std::clamp<int64_t>(getAxis() < 0 ? getAxis() + r : getAxis(),
                                     0, r);
  c.flops = cost::rmsNormFlops(product(*x), product(x->take_front(axis)));
  return success();
}

LogicalResult RotaryEmbeddingOp::computeCost(const ShapeQuery &q, OpCost &c) {
  auto x = cost::dimsOf(q, getInput(), c);
  auto cache = cost::dimsOf(q, getCosCache(), c);
  if (!x || !cache || cache->empty())
    return failure();
  SymExpr n = product(*x);
  // Rotated elements: the first R of each head (R = 2 x the cache width).
  SymExpr head = x->size() == 4 ? (*x)[3]
                                : (*x)[2].divExact(SymExpr(getNumHeads()))
                                      .value_or(SymExpr::unknown());
  SymExpr rotated = n;
  if (auto perHead = n.divExact(head))
    rotated = *perHead * SymExpr(2) * cache->back();
  c.read(getInput(), n);
  if (Value pos = getPositionIds()) {
    // Reads the cache rows of the positions used, not the whole tables.
    auto p = cost::readWhole(q, c, pos);
    if (!p)
      return failure();
    c.read(getCosCache(), *p * cache->back());
    c.read(getSinCache(), *p * cache->back());
  } else {
    c.read(getCosCache(), product(*cache));
    c.read(getSinCache(), product(*cache));
  }
  c.write(getOutput(), n);
  c.flops = rotated * SymExpr(kRotaryFlops);
  return success();
}

LogicalResult TensorScatterOp::computeCost(const ShapeQuery &q, OpCost &c) {
  // In place: the update is read and written into the cache; the rest of
  // the cache is not touched.
  auto upd = cost::readWhole(q, c, getUpdate());
  if (!upd || (getWriteIndices() && !cost::readWhole(q, c, getWriteIndices())))
    return failure();
  c.write(getPresentCache(), *upd);
  return success();
}

/// The absolute position of the first query (ONNX's `offset`): the past
/// length with a cache input; with `nonpad_kv_seqlen` (a static cache, its
/// fill data-dependent) the queries are taken to end at the last key.
static SymExpr firstQueryPosition(AttentionOp op, const AttentionDims &a) {
  if (op.getPastKey())
    return a.t - a.l;
  if (op.getNonpadKvSeqlen())
    return a.t - a.s;
  return SymExpr(0);
}

/// ONNX Attention's cost; over its causal band when `overBand`
/// (computeWindowBandCost): the window then only counts in its mask.
static LogicalResult attentionCost(AttentionOp op, const ShapeQuery &q,
                                   OpCost &c, bool overBand) {
  auto a = readAttentionDims(queryDims(q, c), op.getQ(), op.getK(),
                             op.getV(), op.getPastKey(), op.getQNumHeads(),
                             op.getKvNumHeads(), c.unknownReason);
  if (!a)
    return failure();
  AttentionWindow window{op.getLeftWindowSize(), op.getRightWindowSize(),
                         op.getIsCausal() != 0};
  // Without a window every query scores all T keys (the causal mask is
  // applied to every score); a windowed kernel visits the window's keys
  // only, and never reads the keys before the first query's window.
  auto pairs = cost::windowPairsAndTraffic(
      op, q, c, window, overBand, a->s, a->t, firstQueryPosition(op, *a),
      {op.getPastKey(), op.getPastValue()}, {op.getK(), op.getV()});
  if (!pairs)
    return failure();
  int64_t masks = (op.getAttnMask() ? 1 : 0) + (op.getIsCausal() ? 1 : 0) +
                  (op.getNonpadKvSeqlen() ? 1 : 0) +
                  (window.isBounded() ? 1 : 0);
  cost::attentionCoreOver(c, a->b * a->qHeads, *pairs, a->headQK, a->headV,
                          masks);
  if (op.getSoftcap().convertToFloat() > 0)
    addPart(c, "softcap",
            a->b * a->qHeads * *pairs * SymExpr(kSoftcapFlops), false);
  return success();
}

LogicalResult AttentionOp::computeCost(const ShapeQuery &q, OpCost &c) {
  return attentionCost(*this, q, c, /*overBand=*/false);
}

FailureOr<int64_t> mlir::tfperf::computeWindowBandCost(Operation *op,
                                                       const ShapeQuery &q,
                                                       OpCost &c) {
  if (auto gqa = dyn_cast<MSGroupQueryAttentionOp>(op)) {
    if (gqa.getLocalWindowSize() < 0)
      return 0;
    if (failed(cost::groupQueryAttentionCost(op, q, c, /*overBand=*/true)))
      return failure();
    return gqa.getLocalWindowSize() + 1;
  }
  auto attention = dyn_cast<AttentionOp>(op);
  if (!attention || attention.getLeftWindowSize() < 0)
    return 0;
  if (!attention.getIsCausal() || attention.getNonpadKvSeqlen()) {
    c.unknownReason = "a window without is_causal (it reaches right of the "
                      "query too) or over a static cache (nonpad_kv_seqlen) "
                      "is not summed per sequence";
    return failure();
  }
  if (failed(attentionCost(attention, q, c, /*overBand=*/true)))
    return failure();
  return attention.getLeftWindowSize() + 1;
}

LogicalResult FlexAttentionOp::computeCost(const ShapeQuery &q, OpCost &c) {
  auto a = readAttentionDims(queryDims(q, c), getQ(), getK(), getV(), Value(),
                             std::nullopt, std::nullopt, c.unknownReason);
  if (!a || failed(cost::readWriteAll(*this, q, c)))
    return failure();
  // A modifier graph changes each score: one mask-like FLOP per score.
  cost::attentionCore(c, a->b * a->qHeads, a->s, a->t, a->headQK, a->headV,
                      getSubgraphs().size());
  return success();
}

/// A recurrent op's traffic: every operand and result whole, but of a
/// windowed `pastState` (a leading axis of `window` states) only the last
/// state, the one the op reads back.
static LogicalResult recurrentTraffic(Operation *op, const ShapeQuery &q,
                                     OpCost &c, Value pastState,
                                     int64_t window) {
  if (!pastState || window <= 0)
    return cost::readWriteAll(op, q, c);
  auto past = cost::elements(q, pastState, c);
  if (!past || failed(cost::readAllBut(op, q, c, {pastState})) ||
      failed(cost::writeAll(op, q, c)))
    return failure();
  c.read(pastState, past->divExact(SymExpr(window)).value_or(*past));
  return success();
}

LogicalResult LinearAttentionOp::computeCost(const ShapeQuery &q, OpCost &c) {
  auto a = readLinearAttentionDims(queryDims(q, c), getQuery(), getValue(),
                                   getQNumHeads(), getKvNumHeads(),
                                   c.unknownReason);
  if (!a || failed(recurrentTraffic(*this, q, c, getPastState(),
                                    getStateWindow())))
    return failure();
  SymExpr tokens = a->b * a->t, nkv = a->kvHeads;
  SymExpr state = a->dk * a->dv;
  // Per token: each query head reads its KV head's state out (q^T S; under
  // inverse GQA, Nq < Nkv, each state is read by one query head), each KV
  // head adds k (x) v; a delta rule (beta) first reads S^T k and corrects
  // v; a gate (decay) scales the state.
  SymExpr readOuts(std::max(getQNumHeads(), getKvNumHeads()));
  addPart(c, "read-out (q^T S)", SymExpr(2) * tokens * readOuts * state, true);
  if (getDecay())
    addPart(c, "state decay", tokens * nkv * state, false);
  if (getBeta()) {
    addPart(c, "delta read (S^T k)", SymExpr(2) * tokens * nkv * state, true);
    addPart(c, "delta correction", SymExpr(2) * tokens * nkv * a->dv, false);
  }
  addPart(c, "state update (k v^T)", SymExpr(2) * tokens * nkv * state, true);
  return success();
}

LogicalResult CausalConvWithStateOp::computeCost(const ShapeQuery &q,
                                                 OpCost &c) {
  auto w = cost::dimsOf(q, getWeight(), c);
  auto n = cost::elements(q, getOutput(), c);
  if (!w || !n || w->size() != 3 ||
      failed(recurrentTraffic(*this, q, c, getPastState(), getStateWindow())))
    return failure();
  // A K-tap multiply-add per output element: linear in L.
  addPart(c, "depthwise conv", SymExpr(2) * *n * (*w)[2], false);
  if (getBias())
    addPart(c, "bias", *n, false);
  if (getActivation() != "none")
    addPart(c, "silu", *n * SymExpr(kSiluFlops), false);
  return success();
}
