//===- BackwardUtils.cpp - helpers for tfperf backward costs --------------===//

#include "BackwardUtils.h"
#include "CostUtils.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::tfperf;

std::optional<ArrayRef<SymExpr>> bwd::dimsOf(const ShapeQuery &q, Value v,
                                             BackwardCost &c) {
  return cost::knownDims(q, v, c.unknownReason);
}

std::optional<SymExpr> bwd::elements(const ShapeQuery &q, Value v,
                                     BackwardCost &c) {
  return cost::knownElements(q, v, c.unknownReason);
}

LogicalResult bwd::elementwiseGrad(BackwardCost &c, const ShapeQuery &q,
                                   std::string name, Value result,
                                   Value operand, int64_t flopsPerElement,
                                   ArrayRef<Value> reads, SymExpr extraFlops) {
  auto out = elements(q, result, c);
  auto in = elements(q, operand, c);
  if (!out || !in)
    return failure();
  bool broadcast = !(*out - *in).isConstant(0);
  if (flopsPerElement == 0 && !broadcast && extraFlops.isConstant(0))
    return success(); // dX is dY itself
  BackwardOp &k = c.add(std::move(name));
  // The products per element of dY, then the adds that fold the broadcast
  // dims back (numel(dY) - numel(dX)), then any per-dX work (a scale).
  // A dY with no elements (a 0 dim broadcast against a 1) folds nothing:
  // dX is zeros, never a negative count of adds.
  SymExpr folds = *out - *in;
  if (folds.isConstant() && folds.getConstant() < 0)
    folds = SymExpr(0);
  k.flops = *out * SymExpr(flopsPerElement) + folds + extraFlops;
  k.read(result, *out);
  for (Value r : reads) {
    auto n = elements(q, r, c);
    if (!n)
      return failure();
    k.read(r, *n);
  }
  k.write(operand, *in);
  return success();
}

LogicalResult bwd::save(BackwardCost &c, const ShapeQuery &q, Value v) {
  auto n = elements(q, v, c);
  if (!n)
    return failure();
  c.save(v, *n);
  return success();
}

LogicalResult bwd::operandGrad(BackwardCost &c, const ShapeQuery &q,
                               const GradientQuery &g, std::string name,
                               Value y, Value x, int64_t flopsPerElement,
                               ArrayRef<Value> saved) {
  if (!g.needsGrad(x))
    return success();
  for (Value v : saved)
    if (failed(save(c, q, v)))
      return failure();
  return elementwiseGrad(c, q, std::move(name), y, x, flopsPerElement, saved);
}

LogicalResult bwd::unary(Operation *op, const ShapeQuery &q,
                         const GradientQuery &g, BackwardCost &c,
                         std::string name, int64_t flopsPerElement,
                         Value saved) {
  SmallVector<Value, 1> reads;
  if (saved)
    reads.push_back(saved);
  return operandGrad(c, q, g, std::move(name), op->getResult(0),
                     op->getOperand(0), flopsPerElement, reads);
}

LogicalResult bwd::moveBack(Operation *op, const ShapeQuery &q,
                            const GradientQuery &g, BackwardCost &c,
                            std::string name) {
  Value x = op->getOperand(0), y = op->getResult(0);
  if (!g.needsGrad(x))
    return success();
  auto out = elements(q, y, c);
  auto in = elements(q, x, c);
  if (!out || !in)
    return failure();
  BackwardOp &k = c.add(std::move(name));
  k.read(y, *out);
  k.write(x, *in);
  return success();
}

LogicalResult bwd::normGrad(const NormBackward &nb, const ShapeQuery &q,
                            const GradientQuery &g, BackwardCost &c, Value x,
                            int64_t axis, Value scale, Value bias, Value y,
                            bool dxNeeded, std::string savedWhat) {
  auto d = dimsOf(q, x, c);
  if (!d)
    return failure();
  int64_t r = d->size();
  if (axis < 0)
    axis += r;
  SymExpr rows = product(d->take_front(std::clamp<int64_t>(axis, 0, r)));
  SymExpr n = product(*d);
  bool dScale = scale && g.needsGrad(scale), dBias = bias && g.needsGrad(bias);
  if (!dxNeeded && !dScale && !dBias)
    return success();
  SymExpr stats = rows * SymExpr(nb.statsPerRow);
  c.save(x, n, savedWhat);
  c.save(x, stats, nb.stats);
  if (dxNeeded) {
    auto sn = elements(q, scale, c);
    if (!sn)
      return failure();
    c.save(scale, *sn);
    BackwardOp &k = c.add(nb.dxName);
    k.flops = n * SymExpr(nb.dxPerElement) + rows * SymExpr(nb.dxPerRow);
    k.read(y, n);
    k.read(x, n);
    k.read(x, stats);
    k.read(scale, *sn);
    k.write(x, n);
  }
  if (dScale || dBias) {
    BackwardOp &k = c.add(nb.paramName);
    k.flops = n * SymExpr(nb.xhatFlops + (dScale ? nb.scaleFlops : 0) +
                          (dBias ? nb.biasFlops : 0));
    k.read(y, n);
    k.read(x, n);
    k.read(x, stats);
    for (Value p : {dScale ? scale : Value(), dBias ? bias : Value()})
      if (p) {
        auto pn = elements(q, p, c);
        if (!pn)
          return failure();
        k.write(p, *pn);
      }
  }
  return success();
}

LogicalResult bwd::view(BackwardCost &) { return success(); }

LogicalResult bwd::unknown(BackwardCost &c, std::string reason) {
  c.unknownReason = std::move(reason);
  return failure();
}

void bwd::attentionCoreGrad(BackwardCost &c, const SymExpr &bn, const SymExpr &s,
                       const SymExpr &t, const SymExpr &hk, const SymExpr &hv,
                       int64_t maskAdds, Value qkv,
                       const SymExpr &qkvElements, Value out,
                       const SymExpr &outElements, bool writeGrads) {
  attentionCoreGradOver(c, bn, s, s * t, hk, hv, maskAdds, qkv, qkvElements,
                        out, outElements, writeGrads);
}

void bwd::attentionCoreGradOver(BackwardCost &c, const SymExpr &bn,
                                const SymExpr &s, const SymExpr &pairs,
                                const SymExpr &hk, const SymExpr &hv,
                                int64_t maskAdds, Value qkv,
                                const SymExpr &qkvElements, Value out,
                                const SymExpr &outElements, bool writeGrads) {
  SymExpr scores = bn * pairs;
  BackwardOp &k = c.add("attention backward (recomputes P)");
  // Q K^T again, dQ = dS K, dK = dS^T Q (head size hk); dV = P^T dO,
  // dP = dO V^T (head size hv).
  k.gemmFlops = SymExpr(2) * scores * (SymExpr(3) * hk + SymExpr(2) * hv);
  // Per score: scale, masks, exp(s - lse) (2), dP - D, times P, scale;
  // D = rowsum(dO O): 2 per output element.
  k.flops = k.gemmFlops + scores * SymExpr(6 + maskAdds) +
            SymExpr(2) * bn * s * hv;
  k.read(qkv, qkvElements);
  k.read(out, outElements); // O
  k.read(out, outElements); // dO
  k.read(out, bn * s);      // log-sum-exp
  if (writeGrads)
    k.write(qkv, qkvElements);
}

void bwd::saveOutputAndLse(BackwardCost &c, Value out, const SymExpr &outElements,
                      const SymExpr &rows) {
  c.save(out, outElements);
  c.save(out, rows, "log-sum-exp per row");
}

std::optional<SymExpr> bwd::saveAll(BackwardCost &c, const ShapeQuery &q,
                                    ArrayRef<Value> values) {
  SymExpr total(0);
  for (Value v : values) {
    auto e = elements(q, v, c);
    if (!e)
      return std::nullopt;
    c.save(v, *e);
    total = total + *e;
  }
  return total;
}

LogicalResult bwd::twiceForward(Operation *op, const ShapeQuery &q,
                                const GradientQuery &g, BackwardCost &c,
                                const char *name) {
  SmallVector<Value> needs;
  for (Value v : op->getOperands())
    if (g.needsGrad(v))
      needs.push_back(v);
  if (needs.empty())
    return success();
  OpCost fwd;
  if (failed(cast<CostOpInterface>(op).computeCost(q, fwd)))
    return unknown(c, fwd.unknownReason);
  BackwardOp &k = c.add(name);
  k.flops = fwd.flops * SymExpr(2);
  k.gemmFlops = fwd.gemmFlops * SymExpr(2);
  for (Value v : op->getOperands()) {
    auto n = elements(q, v, c);
    if (!n)
      return failure();
    c.save(v, *n);
    k.read(v, *n);
  }
  for (Value v : needs)
    k.write(v, q.numElements(v));
  return success();
}

LogicalResult bwd::rotateBack(Operation *op, Value input, Value output,
                              const ShapeQuery &q, const GradientQuery &g,
                              BackwardCost &c) {
  if (!g.needsGrad(input))
    return success();
  OpCost fwd;
  if (failed(cast<CostOpInterface>(op).computeCost(q, fwd)))
    return unknown(c, fwd.unknownReason);
  BackwardOp &k = c.add("dX = rotate(dY, -angle)");
  k.flops = fwd.flops;
  for (const TensorAccess &t : fwd.reads)
    k.read(t.value == input ? output : t.value, t.elements);
  k.write(input, q.numElements(input));
  return success();
}
