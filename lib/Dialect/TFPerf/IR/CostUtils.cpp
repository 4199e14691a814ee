//===- CostUtils.cpp - helpers for tfperf cost functions ------------------===//

#include "CostUtils.h"
#include "WindowedAttentionCost.h"

using namespace mlir;
using namespace mlir::tfperf;

std::optional<ArrayRef<SymExpr>>
cost::knownDims(const ShapeQuery &q, Value v, std::string &unknownReason) {
  auto d = q.dims(v);
  if (!d) {
    unknownReason = "a tensor of unknown rank";
    return std::nullopt;
  }
  for (const SymExpr &x : *d)
    if (x.isUnknown()) {
      unknownReason = "a tensor with an unknown dim";
      return std::nullopt;
    }
  return d;
}

std::optional<SymExpr> cost::knownElements(const ShapeQuery &q, Value v,
                                           std::string &unknownReason) {
  auto d = knownDims(q, v, unknownReason);
  if (!d)
    return std::nullopt;
  return product(*d);
}

std::optional<ArrayRef<SymExpr>> cost::dimsOf(const ShapeQuery &q, Value v,
                                              OpCost &c) {
  return knownDims(q, v, c.unknownReason);
}

std::optional<SymExpr> cost::elements(const ShapeQuery &q, Value v,
                                      OpCost &c) {
  return knownElements(q, v, c.unknownReason);
}

LogicalResult cost::readWriteAll(Operation *op, const ShapeQuery &q,
                                 OpCost &c) {
  for (Value v : op->getOperands()) {
    auto n = elements(q, v, c);
    if (!n)
      return failure();
    c.read(v, *n);
  }
  return writeAll(op, q, c);
}

LogicalResult cost::writeAll(Operation *op, const ShapeQuery &q, OpCost &c) {
  for (Value v : op->getResults()) {
    auto n = elements(q, v, c);
    if (!n)
      return failure();
    c.write(v, *n);
  }
  return success();
}

LogicalResult cost::elementwise(Operation *op, const ShapeQuery &q, OpCost &c,
                                int64_t flopsPerElement) {
  if (failed(readWriteAll(op, q, c)))
    return failure();
  SymExpr out(0);
  for (Value v : op->getResults())
    out = out + q.numElements(v);
  c.flops = out * SymExpr(flopsPerElement);
  return success();
}

LogicalResult cost::view(OpCost &c) {
  c.isView = true;
  return success();
}

void cost::addPart(OpCost &c, const char *name, const SymExpr &flops,
                   bool gemm) {
  c.parts.push_back({name, flops, gemm});
  c.flops = c.flops + flops;
  if (gemm)
    c.gemmFlops = c.gemmFlops + flops;
}

/// Softmax: max, subtract, exp, sum, divide per score.
static constexpr int64_t kSoftmaxFlops = 5;

void cost::attentionCore(OpCost &c, const SymExpr &bn, const SymExpr &s,
                         const SymExpr &t, const SymExpr &hk,
                         const SymExpr &hv, int64_t maskAdds) {
  attentionCoreOver(c, bn, s * t, hk, hv, maskAdds);
}

void cost::attentionCoreOver(OpCost &c, const SymExpr &bn,
                             const SymExpr &pairs, const SymExpr &hk,
                             const SymExpr &hv, int64_t maskAdds) {
  SymExpr scores = bn * pairs;
  addPart(c, "scores (Q K^T)", SymExpr(2) * scores * hk, true);
  addPart(c, "scale", scores, false);
  if (maskAdds)
    addPart(c, "mask", scores * SymExpr(maskAdds), false);
  addPart(c, "softmax", scores * SymExpr(kSoftmaxFlops), false);
  addPart(c, "context (P V)", SymExpr(2) * scores * hv, true);
}

LogicalResult cost::readAllBut(Operation *op, const ShapeQuery &q, OpCost &c,
                               ArrayRef<Value> skip) {
  for (Value v : op->getOperands())
    if (!llvm::is_contained(skip, v) && !readWhole(q, c, v))
      return failure();
  return success();
}

LogicalResult cost::readWindowedKeys(Operation *op, const ShapeQuery &q,
                                     OpCost &c, std::array<Value, 2> pastKV,
                                     std::array<Value, 2> kv,
                                     const SymExpr &firstKey) {
  ArrayRef<Value> cached = pastKV[0] ? pastKV : kv;
  if (failed(readAllBut(op, q, c, cached)))
    return failure();
  for (Value keys : cached) {
    if (!keys)
      continue;
    auto d = dimsOf(q, keys, c);
    if (!d)
      return failure();
    // Keys are [B, L, D] or per head [B, N, L, H]; any other rank (a
    // malformed graph) has no key axis to window.
    if (d->size() != 3 && d->size() != 4) {
      c.unknownReason = "a key or value of rank " + std::to_string(d->size()) +
                        " (expected [batch, keys, hidden] or [batch, heads, "
                        "keys, head_size])";
      return failure();
    }
    SymExpr all = product(*d), length = (*d)[d->size() == 4 ? 2 : 1];
    auto perKey = all.divExact(length);
    c.read(keys, perKey ? *perKey * (length - SymExpr::min(firstKey, length))
                        : all);
  }
  return writeAll(op, q, c);
}

std::optional<SymExpr> cost::windowPairsAndTraffic(
    Operation *op, const ShapeQuery &q, OpCost &c,
    const AttentionWindow &window, bool overBand, const SymExpr &s,
    const SymExpr &t, const SymExpr &offset, std::array<Value, 2> pastKV,
    std::array<Value, 2> kv) {
  if (!window.isBounded() || overBand) {
    if (failed(readWriteAll(op, q, c)))
      return std::nullopt;
    return s * t;
  }
  if (failed(readWindowedKeys(op, q, c, pastKV, kv,
                              firstWindowKey(offset, window))))
    return std::nullopt;
  return windowedScores(s, t, offset, window);
}

SymExpr cost::rmsNormFlops(const SymExpr &elements, const SymExpr &rows) {
  return elements * SymExpr(4) + rows * SymExpr(3);
}

std::optional<SymExpr> cost::readWhole(const ShapeQuery &q, OpCost &c,
                                       Value v) {
  auto n = elements(q, v, c);
  if (n)
    c.read(v, *n);
  return n;
}
