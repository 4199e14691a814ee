//===- BackwardNN.cpp - backward of matmul-like, norm and reduction ops ---===//
//
// A matmul Y = A B has two gradients, dA = dY B^T and dB = A^T dY, each as
// costly as the forward product (a broadcast operand's gradient sums over
// the broadcast batch dims inside the same contraction); each needs the
// other operand, so that is what the forward pass keeps. Only operands
// that need a gradient get one: the product of two activations (attention's
// Q K^T and P V) has no weight gradient, the first linear of a model whose
// input needs none has no dX. Softmax and LayerNorm keep their output or
// input; docs/Training.md derives their per-element counts.
//
//===----------------------------------------------------------------------===//

#include "BackwardUtils.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"


using namespace mlir;
using namespace mlir::tfperf;

namespace {
/// The gradient of one operand of a contraction whose forward GEMM costs
/// `gemm`: `gemm` FLOPs (+ `extra` non-GEMM ones), reading dY and the
/// other operand, writing the operand's gradient.
LogicalResult contractionGrad(BackwardCost &c, const ShapeQuery &q,
                              std::string name, Value y, Value operand,
                              ArrayRef<Value> others, const SymExpr &gemm,
                              const SymExpr &extra = SymExpr(0),
                              std::string shape = "") {
  auto out = bwd::elements(q, y, c);
  auto in = bwd::elements(q, operand, c);
  if (!out || !in)
    return failure();
  BackwardOp k;
  k.name = std::move(name);
  k.shape = std::move(shape);
  k.gemmFlops = gemm;
  k.flops = gemm + extra;
  k.read(y, *out);
  for (Value o : others) {
    auto n = bwd::elements(q, o, c);
    if (!n)
      return failure();
    c.save(o, *n);
    k.read(o, *n);
  }
  k.write(operand, *in);
  c.ops.push_back(std::move(k));
  return success();
}
} // namespace

/// "4x16 . 16x2": the operand shapes of a product.
static std::string productShape(ArrayRef<SymExpr> batch, const SymExpr &m,
                           const SymExpr &k, const SymExpr &n) {
  std::string b;
  for (const SymExpr &d : batch)
    b += d.str() + "x";
  return b + m.str() + "x" + k.str() + " . " + b + k.str() + "x" + n.str();
}

/// Kernel names of a product A B: `dX = dY W^T`, `dW = X^T dY` when B is a
/// weight, `dW = dY X^T`, `dX = W^T dY` when A is, `dA = dY B^T`,
/// `dB = A^T dY` for two activations.
static std::pair<std::string, std::string> productNames(Value a, Value b) {
  if (getParameterStorage(b) && !getParameterStorage(a))
    return {"dX = dY W^T", "dW = X^T dY"};
  if (getParameterStorage(a) && !getParameterStorage(b))
    return {"dW = dY X^T", "dX = W^T dY"};
  return {"dA = dY B^T", "dB = A^T dY"};
}

LogicalResult MatMulOp::computeBackwardCost(const ShapeQuery &q,
                                            const GradientQuery &g,
                                            BackwardCost &c) {
  auto a = bwd::dimsOf(q, getA(), c);
  auto out = bwd::elements(q, getResult(), c);
  if (!a || !out)
    return failure();
  SymExpr gemm = SymExpr(2) * *out * a->back();
  auto [nameA, nameB] = productNames(getA(), getB());
  // dA = dY [.., M, N] . B^T [.., N, K]; dB = A^T [.., K, M] . dY [.., M, N]
  // (shapes only when both operands are matrices).
  std::string shapeA, shapeB;
  auto b = q.dims(getB());
  auto y = q.dims(getResult());
  if (b && y && a->size() >= 2 && b->size() >= 2) {
    ArrayRef<SymExpr> batch = y->drop_back(2);
    SymExpr m = (*a)[a->size() - 2], k = a->back(), n = b->back();
    shapeA = productShape(batch, m, n, k);
    shapeB = productShape(batch, k, m, n);
  }
  if (g.needsGrad(getA()) &&
      failed(contractionGrad(c, q, nameA, getResult(), getA(), {getB()},
                             gemm, SymExpr(0), shapeA)))
    return failure();
  if (g.needsGrad(getB()) &&
      failed(contractionGrad(c, q, nameB, getResult(), getB(), {getA()},
                             gemm, SymExpr(0), shapeB)))
    return failure();
  return success();
}

LogicalResult GemmOp::computeBackwardCost(const ShapeQuery &q,
                                          const GradientQuery &g,
                                          BackwardCost &c) {
  auto a = bwd::dimsOf(q, getA(), c);
  auto mn = bwd::elements(q, getResult(), c);
  if (!a || !mn || a->size() != 2)
    return failure();
  SymExpr k = (*a)[getTransA() ? 0 : 1];
  SymExpr gemm = SymExpr(2) * *mn * k;
  // alpha scales each gradient once more (one multiply per element).
  bool alpha = getAlpha().convertToDouble() != 1.0;
  auto scaled = [&](Value v) -> SymExpr {
    return alpha ? q.numElements(v) : SymExpr(0);
  };
  // Named for op(A) op(B): transposes only change how W is stored.
  auto [nameA, nameB] = productNames(getA(), getB());
  SymExpr m = (*a)[getTransA() ? 1 : 0];
  auto n = mn->divExact(m);
  std::string shapeA, shapeB;
  if (n) {
    shapeA = productShape({}, m, *n, k);
    shapeB = productShape({}, k, m, *n);
  }
  if (g.needsGrad(getA()) &&
      failed(contractionGrad(c, q, nameA, getResult(), getA(), {getB()},
                             gemm, scaled(getA()), shapeA)))
    return failure();
  if (g.needsGrad(getB()) &&
      failed(contractionGrad(c, q, nameB, getResult(), getB(), {getA()},
                             gemm, scaled(getB()), shapeB)))
    return failure();
  // dC = beta sum dY: beta is one multiply per element of C, in the same
  // kernel (which then exists even when C has Y's shape).
  if (getC() && g.needsGrad(getC())) {
    bool beta = getBeta().convertToDouble() != 1.0;
    if (failed(bwd::elementwiseGrad(
            c, q, beta ? "db = beta sum dY" : "db = sum dY", getResult(),
            getC(), 0, {}, beta ? q.numElements(getC()) : SymExpr(0))))
      return failure();
  }
  return success();
}

LogicalResult ConvOp::computeBackwardCost(const ShapeQuery &q,
                                          const GradientQuery &g,
                                          BackwardCost &c) {
  auto w = bwd::dimsOf(q, getW(), c);
  auto out = bwd::elements(q, getResult(), c);
  if (!w || !out)
    return failure();
  // Each gradient is a convolution with the forward's multiply-adds.
  SymExpr gemm = SymExpr(2) * *out * product(w->drop_front());
  if (g.needsGrad(getX()) &&
      failed(contractionGrad(c, q, "dX = conv_transpose(dY, W)", getResult(),
                             getX(), {getW()}, gemm)))
    return failure();
  if (g.needsGrad(getW()) &&
      failed(contractionGrad(c, q, "dW = conv(X, dY)", getResult(), getW(),
                             {getX()}, gemm)))
    return failure();
  if (getB() && g.needsGrad(getB()) &&
      failed(bwd::elementwiseGrad(c, q, "db = sum dY", getResult(), getB(), 0)))
    return failure();
  return success();
}

LogicalResult EinsumOp::computeBackwardCost(const ShapeQuery &q,
                                            const GradientQuery &g,
                                            BackwardCost &c) {
  OpCost forward;
  if (failed(computeCost(q, forward))) {
    c.unknownReason = forward.unknownReason;
    return failure();
  }
  ValueRange inputs = getInputs();
  if (inputs.size() == 1)
    // A permutation, diagonal or reduction: dY moved (or broadcast) back.
    return bwd::moveBack(*this, q, g, c, "dX = einsum^T(dY)");
  // The gradient of each input is an einsum of dY and the other inputs
  // over the same iteration space.
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!g.needsGrad(inputs[i]))
      continue;
    SmallVector<Value, 2> others;
    for (size_t j = 0; j < inputs.size(); ++j)
      if (j != i)
        others.push_back(inputs[j]);
    if (failed(contractionGrad(c, q,
                               "dIn" + std::to_string(i) +
                                   " = einsum(dY, other inputs)",
                               getResult(), inputs[i], others,
                               forward.gemmFlops)))
      return failure();
  }
  return success();
}

/// Softmax: dX = Y (dY - sum(dY Y)) along the axis: multiply, add (the row
/// sum), subtract, multiply.
static constexpr int64_t kSoftmaxBackwardFlops = 4;

LogicalResult SoftmaxOp::computeBackwardCost(const ShapeQuery &q,
                                             const GradientQuery &g,
                                             BackwardCost &c) {
  return bwd::unary(*this, q, g, c, "dX = Y (dY - sum(dY Y))",
                    kSoftmaxBackwardFlops, getResult());
}

LogicalResult LayerNormOp::computeBackwardCost(const ShapeQuery &q,
                                               const GradientQuery &g,
                                               BackwardCost &c) {
  return bwd::normGrad(bwd::kLayerNorm, q, g, c, getX(), getAxis(), getScale(),
                  getBias(), getY(), g.needsGrad(getX()));
}

LogicalResult InstanceNormOp::computeBackwardCost(const ShapeQuery &q,
                                                  const GradientQuery &g,
                                                  BackwardCost &c) {
  // LayerNorm's backward per (sample, channel) over the spatial dims.
  return bwd::normGrad(bwd::kLayerNorm, q, g, c, getInput(), /*axis=*/2,
                       getScale(), getB(), getOutput(),
                       g.needsGrad(getInput()));
}

/// LpNormalization: dX = (dY - Y sum(dY Y)) / ||x||: product, sum, multiply,
/// subtract, divide.
LogicalResult LpNormOp::computeBackwardCost(const ShapeQuery &q,
                                            const GradientQuery &g,
                                            BackwardCost &c) {
  return bwd::unary(*this, q, g, c, "dX = (dY - Y sum(dY Y)) / norm", 5,
                    getOutput());
}

LogicalResult MSSimplifiedLayerNormOp::computeBackwardCost(
    const ShapeQuery &q, const GradientQuery &g, BackwardCost &c) {
  return bwd::normGrad(bwd::kRMSNorm, q, g, c, getX(), getAxis(), getScale(), Value(),
                  getY(), g.needsGrad(getX()));
}

namespace {
/// Skip(Simplified)LayerNormalization: the norm of input + skip (+ bias);
/// the sum's gradient passes to input and skip (summed back when skip
/// was broadcast) and is summed over rows for the bias.
LogicalResult skipNormGrad(const bwd::NormBackward &nb, Operation *op,
                           Value input, Value skip, Value gamma, Value beta,
                           Value bias, Value sumResult, const ShapeQuery &q,
                           const GradientQuery &g, BackwardCost &c) {
  bool dIn = g.needsGrad(input) || g.needsGrad(skip) ||
             (bias && g.needsGrad(bias));
  // The sum is kept: the op's own output when it returns it, else a
  // tensor the IR does not name.
  if (failed(bwd::normGrad(nb, q, g, c, sumResult ? sumResult : input, -1,
                           gamma, beta, op->getResult(0), dIn,
                           sumResult ? "" : "input + skip")))
    return failure();
  if (g.needsGrad(skip) &&
      failed(bwd::elementwiseGrad(c, q, "dSkip = sum dX", input, skip, 0)))
    return failure();
  if (bias && g.needsGrad(bias) &&
      failed(bwd::elementwiseGrad(c, q, "dBias = sum dX", input, bias, 0)))
    return failure();
  return success();
}
} // namespace

LogicalResult MSSkipLayerNormOp::computeBackwardCost(const ShapeQuery &q,
                                                     const GradientQuery &g,
                                                     BackwardCost &c) {
  return skipNormGrad(bwd::kLayerNorm, *this, getInput(), getSkip(), getGamma(),
                      getBeta(), getBias(), getInputSkipBiasSum(), q, g, c);
}

LogicalResult MSSkipSimplifiedLayerNormOp::computeBackwardCost(
    const ShapeQuery &q, const GradientQuery &g, BackwardCost &c) {
  return skipNormGrad(bwd::kRMSNorm, *this, getInput(), getSkip(), getGamma(),
                      Value(), getBias(), getInputSkipBiasSum(), q, g, c);
}

/// Reductions: dY broadcast back over the reduced dims, times 1/n for a
/// mean, times the selection mask [X == Y] for a max, times Y / X for a
/// product.
template <typename OpT>
static LogicalResult reduceGrad(OpT op, const ShapeQuery &q,
                                const GradientQuery &g, BackwardCost &c,
                                const char *name, int64_t perElement,
                                bool keepsInputs) {
  Value x = op.getData(), y = op.getResult();
  if (!g.needsGrad(x))
    return success();
  auto in = bwd::elements(q, x, c);
  auto out = bwd::elements(q, y, c);
  if (!in || !out)
    return failure();
  BackwardOp &k = c.add(name);
  k.flops = *in * SymExpr(perElement);
  k.read(y, *out);
  if (keepsInputs) {
    c.save(x, *in);
    c.save(y, *out);
    k.read(x, *in);
    k.read(y, *out);
  }
  k.write(x, *in);
  return success();
}

LogicalResult ReduceSumOp::computeBackwardCost(const ShapeQuery &q,
                                               const GradientQuery &g,
                                               BackwardCost &c) {
  return reduceGrad(*this, q, g, c, "dX = broadcast(dY)", 0, false);
}
LogicalResult ReduceMeanOp::computeBackwardCost(const ShapeQuery &q,
                                                const GradientQuery &g,
                                                BackwardCost &c) {
  return reduceGrad(*this, q, g, c, "dX = broadcast(dY) / n", 1, false);
}
LogicalResult ReduceMaxOp::computeBackwardCost(const ShapeQuery &q,
                                               const GradientQuery &g,
                                               BackwardCost &c) {
  return reduceGrad(*this, q, g, c, "dX = dY [X == Y]", 2, true);
}
LogicalResult ReduceProdOp::computeBackwardCost(const ShapeQuery &q,
                                                const GradientQuery &g,
                                                BackwardCost &c) {
  return reduceGrad(*this, q, g, c, "dX = dY Y / X", 2, true);
}
