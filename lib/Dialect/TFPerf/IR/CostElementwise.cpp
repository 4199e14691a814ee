//===- CostElementwise.cpp - cost of elementwise ops ----------------------===//
//
// Every elementwise op costs 1 FLOP per output element, transcendental ones
// (Exp, Erf, Tanh, Sqrt, ...) included: the roofline asks how much work and
// traffic there is, not how an ALU implements a function. Exceptions:
// Clip (2: max then min), variadic Min/Max/Sum (n-1 per element), Cast and
// Identity (0: data movement / a view).
//
//===----------------------------------------------------------------------===//

#include "CostUtils.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

using namespace mlir;
using namespace mlir::tfperf;

#define ONE_FLOP(OP)                                                           \
  LogicalResult OP::computeCost(const ShapeQuery &q, OpCost &c) {              \
    return cost::elementwise(*this, q, c, 1);                                  \
  }
ONE_FLOP(AddOp)
ONE_FLOP(SubOp)
ONE_FLOP(MulOp)
ONE_FLOP(DivOp)
ONE_FLOP(PowOp)
ONE_FLOP(EqualOp)
ONE_FLOP(GreaterOp)
ONE_FLOP(LessOp)
ONE_FLOP(GreaterOrEqualOp)
ONE_FLOP(LessOrEqualOp)
ONE_FLOP(ModOp)
ONE_FLOP(AndOp)
ONE_FLOP(OrOp)
ONE_FLOP(SqrtOp)
ONE_FLOP(ErfOp)
ONE_FLOP(TanhOp)
ONE_FLOP(SigmoidOp)
ONE_FLOP(ReluOp)
ONE_FLOP(CosOp)
ONE_FLOP(SinOp)
ONE_FLOP(ExpOp)
ONE_FLOP(LogOp)
ONE_FLOP(NegOp)
ONE_FLOP(AbsOp)
ONE_FLOP(NotOp)
ONE_FLOP(ReciprocalOp)
ONE_FLOP(SoftplusOp)
ONE_FLOP(WhereOp)
#undef ONE_FLOP

/// Swish: alpha x, sigmoid, multiply.
LogicalResult SwishOp::computeCost(const ShapeQuery &q, OpCost &c) {
  return cost::elementwise(*this, q, c, 3);
}

LogicalResult ClipOp::computeCost(const ShapeQuery &q, OpCost &c) {
  return cost::elementwise(*this, q, c, 2);
}

#define VARIADIC(OP)                                                           \
  LogicalResult OP::computeCost(const ShapeQuery &q, OpCost &c) {              \
    int64_t n = getInputs().size();                                            \
    return cost::elementwise(*this, q, c, n > 1 ? n - 1 : 0);                  \
  }
VARIADIC(MinOp)
VARIADIC(MaxOp)
VARIADIC(SumOp)
#undef VARIADIC

/// GELU: x * 0.5 * (1 + erf(x / sqrt(2))) is 5 FLOPs per element (div, erf,
/// add, mul, mul), as the exported decomposition counts. The tanh form
/// 0.5x(1 + tanh(sqrt(2/pi)(x + 0.044715x^3))) is 9 (x^3 as 2 muls, mul,
/// add, mul, tanh, add, mul, mul).
static constexpr int64_t kGeluErfFlops = 5;
static constexpr int64_t kGeluTanhFlops = 9;

LogicalResult GeluOp::computeCost(const ShapeQuery &q, OpCost &c) {
  return cost::elementwise(*this, q, c,
                           getApproximate() == "tanh" ? kGeluTanhFlops
                                                      : kGeluErfFlops);
}

LogicalResult MSFastGeluOp::computeCost(const ShapeQuery &q, OpCost &c) {
  // Tanh GELU of x (+ bias: one more add per element).
  return cost::elementwise(*this, q, c, kGeluTanhFlops + (getBias() ? 1 : 0));
}

LogicalResult MSBiasGeluOp::computeCost(const ShapeQuery &q, OpCost &c) {
  // Erf GELU of (a + bias).
  return cost::elementwise(*this, q, c, kGeluErfFlops + 1);
}

LogicalResult CastOp::computeCost(const ShapeQuery &q, OpCost &c) {
  // Conversion moves data (read at one width, written at another); no FLOPs.
  return cost::readWriteAll(*this, q, c);
}

LogicalResult IdentityOp::computeCost(const ShapeQuery &, OpCost &c) {
  return cost::view(c);
}
