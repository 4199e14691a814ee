//===- BackwardElementwise.cpp - backward of elementwise ops --------------===//
//
// The derivative of an elementwise op costs a few FLOPs per element of dY
// (docs/Training.md states each formula and its count) and keeps what the
// formula reads: the input (Log, Erf, GELU), the output (Relu, Exp, Tanh,
// Sigmoid, Sqrt) or the other operand (Mul, Div). Operands broadcast into
// the result get their gradient summed back to their shape. Comparisons
// and logical ops have no gradient.
//
//===----------------------------------------------------------------------===//

#include "BackwardUtils.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

using namespace mlir;
using namespace mlir::tfperf;

//===----------------------------------------------------------------------===//
// Binary ops
//===----------------------------------------------------------------------===//

/// "db" for a parameter (a bias), else "dA" or "dB".
static std::string gradName(Value v, const char *operand) {
  return getParameterStorage(v) ? "db" : std::string("d") + operand;
}

/// `Y = A + B` or `A - B`: dA = dY summed over broadcast dims (a bias's
/// gradient), and dB as `bGrad` says, `bFlops` per element (1 to negate).
static LogicalResult sumBackwardCost(Value a, Value b, Value y,
                                     const char *bGrad, int64_t bFlops,
                                     const ShapeQuery &q,
                                     const GradientQuery &g, BackwardCost &c) {
  if (failed(bwd::operandGrad(c, q, g, gradName(a, "A") + " = sum dY", y, a,
                              0)))
    return failure();
  return bwd::operandGrad(c, q, g, gradName(b, "B") + bGrad, y, b, bFlops);
}

LogicalResult AddOp::computeBackwardCost(const ShapeQuery &q,
                                         const GradientQuery &g,
                                         BackwardCost &c) {
  return sumBackwardCost(getLhs(), getRhs(), getResult(), " = sum dY",
                         /*bFlops=*/0, q, g, c);
}

LogicalResult SubOp::computeBackwardCost(const ShapeQuery &q,
                                         const GradientQuery &g,
                                         BackwardCost &c) {
  return sumBackwardCost(getLhs(), getRhs(), getResult(), " = -dY",
                         /*bFlops=*/1, q, g, c);
}

LogicalResult MulOp::computeBackwardCost(const ShapeQuery &q,
                                         const GradientQuery &g,
                                         BackwardCost &c) {
  Value a = getLhs(), b = getRhs(), y = getResult();
  // A parameter factor (a norm's scale) is a weight: dW, summed over rows.
  auto name = [](Value v, const char *self, const char *other) {
    return getParameterStorage(v)
               ? std::string("dW = sum dY ") + other
               : std::string("d") + self + " = dY " + other;
  };
  if (failed(bwd::operandGrad(c, q, g, name(a, "A", "B"), y, a, 1, {b})))
    return failure();
  return bwd::operandGrad(c, q, g, name(b, "B", "A"), y, b, 1, {a});
}

LogicalResult DivOp::computeBackwardCost(const ShapeQuery &q,
                                         const GradientQuery &g,
                                         BackwardCost &c) {
  Value a = getLhs(), b = getRhs(), y = getResult();
  if (failed(bwd::operandGrad(c, q, g, "dA = dY / B", y, a, 1, {b})))
    return failure();
  // -dY * A / B^2: square, divide, multiply, negate.
  return bwd::operandGrad(c, q, g, "dB = -dY A / B^2", y, b, 4, {a, b});
}

LogicalResult PowOp::computeBackwardCost(const ShapeQuery &q,
                                         const GradientQuery &g,
                                         BackwardCost &c) {
  Value a = getLhs(), b = getRhs(), y = getResult();
  // B * A^(B-1) * dY: pow, multiply, multiply.
  if (failed(bwd::operandGrad(c, q, g, "dA = dY B A^(B-1)", y, a, 3, {a, b})))
    return failure();
  // Y * ln(A) * dY: log, multiply, multiply.
  return bwd::operandGrad(c, q, g, "dB = dY Y ln(A)", y, b, 3, {a, y});
}

/// Comparisons and logical ops: boolean results carry no gradient.
#define NO_GRADIENT(OP)                                                        \
  LogicalResult OP::computeBackwardCost(const ShapeQuery &,                    \
                                        const GradientQuery &,                 \
                                        BackwardCost &) {                      \
    return success();                                                          \
  }
NO_GRADIENT(EqualOp)
NO_GRADIENT(GreaterOp)
NO_GRADIENT(LessOp)
NO_GRADIENT(GreaterOrEqualOp)
NO_GRADIENT(LessOrEqualOp)
// Mod computes indices (head groups, circular cache slots) in exports.
NO_GRADIENT(ModOp)
NO_GRADIENT(AndOp)
NO_GRADIENT(OrOp)
NO_GRADIENT(NotOp)
#undef NO_GRADIENT

/// Min / Max: the gradient goes to the input that was selected:
/// dX_i = dY * [X_i == Y] (compare, multiply).
template <typename OpT>
static LogicalResult selectGrad(OpT op, const ShapeQuery &q,
                                const GradientQuery &g, BackwardCost &c) {
  Value y = op.getResult();
  for (Value x : op.getInputs())
    if (failed(bwd::operandGrad(c, q, g, "dX = dY [X == Y]", y, x, 2, {x, y})))
      return failure();
  return success();
}

LogicalResult MinOp::computeBackwardCost(const ShapeQuery &q,
                                         const GradientQuery &g,
                                         BackwardCost &c) {
  return selectGrad(*this, q, g, c);
}

LogicalResult MaxOp::computeBackwardCost(const ShapeQuery &q,
                                         const GradientQuery &g,
                                         BackwardCost &c) {
  return selectGrad(*this, q, g, c);
}

LogicalResult SumOp::computeBackwardCost(const ShapeQuery &q,
                                         const GradientQuery &g,
                                         BackwardCost &c) {
  for (Value x : getInputs())
    if (failed(bwd::operandGrad(c, q, g, "dX = sum dY", getResult(), x, 0)))
      return failure();
  return success();
}

LogicalResult WhereOp::computeBackwardCost(const ShapeQuery &q,
                                           const GradientQuery &g,
                                           BackwardCost &c) {
  Value y = getResult(), cond = getCondition();
  bool any = false;
  if (g.needsGrad(getX())) {
    any = true;
    if (failed(bwd::elementwiseGrad(c, q, "dX = cond ? dY : 0", y, getX(), 1,
                                    {cond})))
      return failure();
  }
  if (g.needsGrad(getY())) {
    any = true;
    if (failed(bwd::elementwiseGrad(c, q, "d(y) = cond ? 0 : dY", y, getY(), 1,
                                    {cond})))
      return failure();
  }
  return any ? bwd::save(c, q, cond) : success();
}

LogicalResult ClipOp::computeBackwardCost(const ShapeQuery &q,
                                          const GradientQuery &g,
                                          BackwardCost &c) {
  Value x = getInput(), y = getResult();
  // dY where min <= X <= max (two compares folded into a select): 2.
  if (failed(bwd::unary(*this, q, g, c, "dX = dY [min <= X <= max]", 2, x)))
    return failure();
  for (Value bound : {getMin(), getMax()})
    if (bound && failed(bwd::operandGrad(c, q, g, "dBound = sum dY [X clipped]",
                                         y, bound, 2, {x})))
      return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// Unary ops: FLOPs per element of the derivative and the tensor it reads
//===----------------------------------------------------------------------===//

#define UNARY(OP, NAME, FLOPS, SAVED)                                          \
  LogicalResult OP::computeBackwardCost(const ShapeQuery &q,                   \
                                        const GradientQuery &g,                \
                                        BackwardCost &c) {                     \
    return bwd::unary(*this, q, g, c, NAME, FLOPS, SAVED);                     \
  }
// dY / (2 Y): multiply, divide.
UNARY(SqrtOp, "dX = dY / (2 Y)", 2, getResult())
// dY * 2/sqrt(pi) * exp(-X^2): square, negate, exp, scale, multiply.
UNARY(ErfOp, "dX = dY 2/sqrt(pi) exp(-X^2)", 5, getInput())
// dY * (1 - Y^2): square, subtract, multiply.
UNARY(TanhOp, "dX = dY (1 - Y^2)", 3, getResult())
// dY * Y * (1 - Y): subtract, multiply, multiply.
UNARY(SigmoidOp, "dX = dY Y (1 - Y)", 3, getResult())
// dY where Y > 0: one select.
UNARY(ReluOp, "dX = dY [Y > 0]", 1, getResult())
// -dY * sin(X): sin, multiply, negate.
UNARY(CosOp, "dX = -dY sin(X)", 3, getInput())
// dY * cos(X): cos, multiply.
UNARY(SinOp, "dX = dY cos(X)", 2, getInput())
UNARY(ExpOp, "dX = dY Y", 1, getResult())
UNARY(LogOp, "dX = dY / X", 1, getInput())
UNARY(NegOp, "dX = -dY", 1, Value())
// dY * sign(X): sign, multiply.
UNARY(AbsOp, "dX = dY sign(X)", 2, getInput())
// -dY * Y^2: square, multiply, negate.
UNARY(ReciprocalOp, "dX = -dY Y^2", 3, getResult())
// dY * sigmoid(X): sigmoid, multiply.
UNARY(SoftplusOp, "dX = dY sigmoid(X)", 2, getInput())
// dY (s + a x s (1 - s)), s = sigmoid(a x): scale, sigmoid, subtract,
// multiply three times, add, multiply by dY.
UNARY(SwishOp, "dX = dY swish'(X)", 8, getInput())
// The same triangle of dY: a select per element.
UNARY(TriluOp, "dX = trilu(dY)", 1, Value())
// The reverse running sum of dY: 1 per element.
UNARY(CumSumOp, "dX = reverse cumsum(dY)", 1, Value())
#undef UNARY

LogicalResult IdentityOp::computeBackwardCost(const ShapeQuery &,
                                              const GradientQuery &,
                                              BackwardCost &c) {
  return bwd::view(c);
}

LogicalResult CastOp::computeBackwardCost(const ShapeQuery &q,
                                          const GradientQuery &g,
                                          BackwardCost &c) {
  // dY converted back to the input's type: traffic, no FLOPs.
  return bwd::moveBack(*this, q, g, c, "dX = cast(dY)");
}

/// Erf GELU' = Phi(x) + x phi(x): Phi = (1 + erf(x/sqrt 2))/2 is 4 FLOPs
/// (divide, erf, add, multiply), phi = exp(-x^2/2)/sqrt(2 pi) 4 (square,
/// scale, exp, scale), x phi 1, the sum 1, times dY 1.
static constexpr int64_t kGeluErfBackwardFlops = 11;
/// Tanh GELU': 6 to recompute t = tanh(sqrt(2/pi)(x + 0.044715 x^3)),
/// 0.5 (1 + t) 2, the tanh' branch 0.5 x (1 - t^2) sqrt(2/pi)
/// (1 + 3 * 0.044715 x^2) 8, the sum 1, times dY 1.
static constexpr int64_t kGeluTanhBackwardFlops = 18;

LogicalResult GeluOp::computeBackwardCost(const ShapeQuery &q,
                                          const GradientQuery &g,
                                          BackwardCost &c) {
  bool tanh = getApproximate() == "tanh";
  return bwd::unary(*this, q, g, c,
                    tanh ? "dX = dY GELU'(X) (tanh)" : "dX = dY GELU'(X)",
                    tanh ? kGeluTanhBackwardFlops : kGeluErfBackwardFlops,
                    getInput());
}

/// GELU of (x + bias): the derivative at x + bias (one more add to rebuild
/// it), then the bias's gradient summed over the rows.
static LogicalResult biasGeluGrad(Operation *op, Value x, Value bias,
                                  int64_t geluFlops, const ShapeQuery &q,
                                  const GradientQuery &g, BackwardCost &c) {
  bool dx = g.needsGrad(x), db = bias && g.needsGrad(bias);
  if (!dx && !db)
    return success();
  Value y = op->getResult(0);
  if (failed(bwd::save(c, q, x)) || (bias && failed(bwd::save(c, q, bias))))
    return failure();
  SmallVector<Value, 2> reads = {x};
  if (bias)
    reads.push_back(bias);
  if (failed(bwd::elementwiseGrad(c, q, "dX = dY GELU'(X + bias)", y, x,
                                  geluFlops + (bias ? 1 : 0), reads)))
    return failure();
  if (db && failed(bwd::elementwiseGrad(c, q, "dBias = sum dX", x, bias, 0)))
    return failure();
  return success();
}

LogicalResult MSFastGeluOp::computeBackwardCost(const ShapeQuery &q,
                                                const GradientQuery &g,
                                                BackwardCost &c) {
  return biasGeluGrad(*this, getX(), getBias(), kGeluTanhBackwardFlops, q, g,
                      c);
}

LogicalResult MSBiasGeluOp::computeBackwardCost(const ShapeQuery &q,
                                                const GradientQuery &g,
                                                BackwardCost &c) {
  return biasGeluGrad(*this, getA(), getBias(), kGeluErfBackwardFlops, q, g,
                      c);
}
