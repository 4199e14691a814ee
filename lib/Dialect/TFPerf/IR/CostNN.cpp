//===- CostNN.cpp - cost of matmul-like, normalization and reduction ops --===//
//
// Matmul-like ops (MatMul, Gemm, Conv, Einsum contractions) cost 2 FLOPs per
// multiply-add, counted in gemmFlops; their bias adds and alpha/beta scaling
// count 1 FLOP per output element and are not GEMM FLOPs. Per-element counts
// of Softmax, LayerNorm and reductions are stated at each op and in
// docs/CostModel.md.
//
//===----------------------------------------------------------------------===//

#include "CostUtils.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"
#include "tfperf/Support/Einsum.h"

#include <map>

using namespace mlir;
using namespace mlir::tfperf;

LogicalResult MatMulOp::computeCost(const ShapeQuery &q, OpCost &c) {
  auto a = cost::dimsOf(q, getA(), c);
  if (!a || failed(cost::readWriteAll(*this, q, c)))
    return failure();
  // One multiply-add per output element and contraction step; broadcast
  // batch dims are covered by the output's element count.
  SymExpr k = a->back();
  c.flops = SymExpr(2) * q.numElements(getResult()) * k;
  c.gemmFlops = c.flops;
  return success();
}

LogicalResult GemmOp::computeCost(const ShapeQuery &q, OpCost &c) {
  auto a = cost::dimsOf(q, getA(), c);
  if (!a || a->size() != 2 || failed(cost::readWriteAll(*this, q, c)))
    return failure();
  SymExpr k = (*a)[getTransA() ? 0 : 1];
  SymExpr mn = q.numElements(getResult());
  c.gemmFlops = SymExpr(2) * mn * k;
  c.flops = c.gemmFlops;
  if (getAlpha().convertToDouble() != 1.0)
    c.flops = c.flops + mn; // alpha * (A B)
  if (getC()) {
    c.flops = c.flops + mn; // + C, the bias add
    double beta = getBeta().convertToDouble();
    if (beta != 1.0 && beta != 0.0)
      c.flops = c.flops + mn; // beta * C
  }
  return success();
}

LogicalResult ConvOp::computeCost(const ShapeQuery &q, OpCost &c) {
  auto w = cost::dimsOf(q, getW(), c);
  if (!w || failed(cost::readWriteAll(*this, q, c)))
    return failure();
  // Each output element accumulates (C / group) * prod(kernel) products.
  SymExpr perOut = product(w->drop_front());
  SymExpr out = q.numElements(getResult());
  c.gemmFlops = SymExpr(2) * out * perOut;
  c.flops = c.gemmFlops + (getB() ? out : SymExpr(0));
  return success();
}

LogicalResult EinsumOp::computeCost(const ShapeQuery &q, OpCost &c) {
  std::string error;
  auto spec = parseEinsum(getEquation(), error);
  if (!spec) {
    c.unknownReason = "bad equation: " + error;
    return failure();
  }
  if (failed(cost::readWriteAll(*this, q, c)))
    return failure();
  size_t n = getInputs().size();
  // The iteration space: every subscript's size and the broadcast ellipsis.
  std::map<char, SymExpr> letters;
  SymExpr ellipsis(1);
  for (auto [term, v] : llvm::zip(spec->inputs, getInputs())) {
    auto d = *q.dims(v);
    int64_t nl = term.letters.size();
    int64_t ne = (int64_t)d.size() - nl;
    int64_t e0 = term.ellipsisAt < 0 ? nl : term.ellipsisAt;
    for (int64_t i = 0; i < nl; ++i) {
      const SymExpr &x = d[i < e0 ? i : i + ne];
      auto it = letters.find(term.letters[i]);
      if (it == letters.end() || it->second.isConstant(1))
        letters[term.letters[i]] = x;
    }
    SymExpr e = product(d.slice(e0, ne));
    if (e.isConstant() && ellipsis.isConstant()) {
      if (e.getConstant() > ellipsis.getConstant())
        ellipsis = e;
    } else if (!e.isConstant(1)) {
      ellipsis = e;
    }
  }
  SymExpr space = ellipsis;
  for (auto &[ch, d] : letters)
    space = space * d;
  if (n == 1) {
    // A permutation or diagonal (0 FLOPs), or a reduction: one add per
    // point of the iteration space beyond the output.
    c.flops = space - q.numElements(getResult());
    return success();
  }
  // n - 1 multiply-adds per point of the iteration space.
  c.flops = SymExpr(2) * SymExpr((int64_t)n - 1) * space;
  c.gemmFlops = c.flops;
  return success();
}

/// Softmax: 5 FLOPs per element (max, subtract, exp, sum, divide).
static constexpr int64_t kSoftmaxFlops = 5;

LogicalResult SoftmaxOp::computeCost(const ShapeQuery &q, OpCost &c) {
  return cost::elementwise(*this, q, c, kSoftmaxFlops);
}

/// A normalization of `x` over its dims from `axis` on (mean and variance
/// per row), with every operand read and the result written.
static LogicalResult layerNormCost(Operation *op, Value x, int64_t axis,
                                   bool bias, const ShapeQuery &q, OpCost &c) {
  auto d = cost::dimsOf(q, x, c);
  if (!d || failed(cost::readWriteAll(op, q, c)))
    return failure();
  int64_t r = d->size();
  if (axis < 0)
    axis += r;
  SymExpr rows = product(d->take_front(std::clamp<int64_t>(axis, 0, r)));
  SymExpr n = product(*d);
  // Per element: sum for the mean, subtract, square, sum for the variance,
  // multiply by 1/std, scale (+ bias). Per row: 2 divides, + eps, rsqrt.
  int64_t perElement = 6 + (bias ? 1 : 0);
  c.flops = n * SymExpr(perElement) + rows * SymExpr(4);
  return success();
}

LogicalResult LayerNormOp::computeCost(const ShapeQuery &q, OpCost &c) {
  return layerNormCost(*this, getX(), getAxis(), getBias() != nullptr, q, c);
}

LogicalResult InstanceNormOp::computeCost(const ShapeQuery &q, OpCost &c) {
  // LayerNorm's arithmetic per (sample, channel) over the spatial dims.
  return layerNormCost(*this, getInput(), /*axis=*/2, /*bias=*/true, q, c);
}

LogicalResult LpNormOp::computeCost(const ShapeQuery &q, OpCost &c) {
  auto x = cost::dimsOf(q, getInput(), c);
  if (!x || failed(cost::readWriteAll(*this, q, c)))
    return failure();
  int64_t rank = x->size();
  int64_t axis = getAxis() < 0 ? getAxis() + rank : getAxis();
  if (axis < 0 || axis >= rank) {
    c.unknownReason = "LpNormalization's axis " + std::to_string(getAxis()) +
                      " is not a dim of its rank-" + std::to_string(rank) +
                      " input";
    return failure();
  }
  SymExpr n = product(*x);
  SymExpr length = (*x)[axis];
  // Per element: |x| or x^2, sum, divide; per vector a sqrt (p = 2).
  c.flops = n * SymExpr(3);
  if (getP() == 2)
    if (auto vectors = n.divExact(length))
      c.flops = c.flops + *vectors;
  return success();
}

/// Reductions: one add (mul, max) per input element folded into another;
/// ReduceMean adds one divide per output element.
template <typename OpT>
static LogicalResult reduceCost(OpT op, const ShapeQuery &q, OpCost &c,
                                bool divide) {
  if (failed(cost::readWriteAll(op, q, c)))
    return failure();
  SymExpr in = q.numElements(op.getData());
  SymExpr out = q.numElements(op.getResult());
  SymExpr folds = in - out;
  // Over a symbolic extent that may bind to 0 (a past length in prefill), an
  // empty reduction folds nothing: in - out would count -out.
  auto extent = in.divExact(out);
  if (extent && !extent->isConstant())
    folds = out * SymExpr::max(*extent - SymExpr(1), SymExpr(0));
  // Nor over an extent of 0 at concrete sizes (a dim such as `seq - 3`
  // clamped to 0 at a phase's one token).
  if (folds.isConstant() && folds.getConstant() < 0)
    folds = SymExpr(0);
  c.flops = folds + (divide ? out : SymExpr(0));
  return success();
}

LogicalResult ReduceMeanOp::computeCost(const ShapeQuery &q, OpCost &c) {
  return reduceCost(*this, q, c, /*divide=*/true);
}
LogicalResult ReduceSumOp::computeCost(const ShapeQuery &q, OpCost &c) {
  return reduceCost(*this, q, c, false);
}
LogicalResult ReduceProdOp::computeCost(const ShapeQuery &q, OpCost &c) {
  return reduceCost(*this, q, c, false);
}
LogicalResult ReduceMaxOp::computeCost(const ShapeQuery &q, OpCost &c) {
  return reduceCost(*this, q, c, false);
}
