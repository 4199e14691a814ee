//===- BackwardQuant.cpp - backward of quantized ops ----------------------===//
//
// Quantize and dequantize pass the gradient straight through (the
// estimator of quantization-aware training). Quantized weights are frozen:
// the low-bit GEMMs only give dA = dY x dequantize(B)^T (QLoRA-style
// fine-tuning), and integer GEMMs, whose results are integers, none.
// docs/Training.md.
//
//===----------------------------------------------------------------------===//

#include "BackwardUtils.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

using namespace mlir;
using namespace mlir::tfperf;

/// dA = dY B^T for a weight-only GEMM `op` (operand 0 is A, result 0 Y
/// [..., N]): reads dY and the packed weight with its scales (the other
/// operands) as stored.
static LogicalResult packedGemmGrad(Operation *op, const SymExpr &k,
                                    const ShapeQuery &q,
                                    const GradientQuery &g, BackwardCost &c) {
  Value a = op->getOperand(0), y = op->getResult(0);
  if (!g.needsGrad(a))
    return success();
  std::optional<SymExpr> dy = bwd::elements(q, y, c), da;
  if (!dy || !(da = bwd::elements(q, a, c)))
    return failure();
  BackwardOp &grad = c.add("dA = dY . dequantize(B)^T");
  grad.gemmFlops = SymExpr(2) * *dy * k;
  grad.flops = grad.gemmFlops;
  grad.read(y, *dy);
  bool known = llvm::all_of(op->getOperands().drop_front(), [&](Value v) {
    std::optional<SymExpr> n = bwd::elements(q, v, c);
    if (n)
      grad.read(v, *n);
    return n.has_value();
  });
  grad.write(a, *da);
  return success(known);
}

#define STRAIGHT_THROUGH(OP)                                                   \
  LogicalResult OP::computeBackwardCost(                                       \
      const ShapeQuery &q, const GradientQuery &g, BackwardCost &c) {          \
    return bwd::moveBack(*this, q, g, c, "dX = dY (straight-through)");        \
  }
STRAIGHT_THROUGH(QuantizeLinearOp)
STRAIGHT_THROUGH(DequantizeLinearOp)
#undef STRAIGHT_THROUGH

#define INTEGER_RESULTS(OP)                                                    \
  LogicalResult OP::computeBackwardCost(                                       \
      const ShapeQuery &, const GradientQuery &, BackwardCost &c) {            \
    return bwd::unknown(c, OP::getONNXOpType().str() +                         \
                               " has integer results: no gradient flows "      \
                               "through it");                                  \
  }
INTEGER_RESULTS(DynamicQuantizeLinearOp)
INTEGER_RESULTS(MatMulIntegerOp)
INTEGER_RESULTS(QLinearMatMulOp)
#undef INTEGER_RESULTS

#define PACKED_GEMM(OP)                                                        \
  LogicalResult OP::computeBackwardCost(                                       \
      const ShapeQuery &q, const GradientQuery &g, BackwardCost &c) {          \
    return packedGemmGrad(*this, SymExpr(getK()), q, g, c);                    \
  }
PACKED_GEMM(MSMatMulNBitsOp)
PACKED_GEMM(MSMatMulBnb4Op)
#undef PACKED_GEMM

// K is A's last dim (B's shape gives it packed).
#define BLOCK_SCALED_GEMM(OP)                                                  \
  LogicalResult OP::computeBackwardCost(                                       \
      const ShapeQuery &q, const GradientQuery &g, BackwardCost &c) {          \
    auto a = bwd::dimsOf(q, getA(), c);                                        \
    if (!a || a->empty())                                                      \
      return failure();                                                        \
    return packedGemmGrad(*this, a->back(), q, g, c);                          \
  }
BLOCK_SCALED_GEMM(MSMatMulBlockQuantizedFp8WeightOp)
BLOCK_SCALED_GEMM(MSMatMulBlockQuantizedFp4WeightOp)
#undef BLOCK_SCALED_GEMM

LogicalResult MSGatherBlockQuantizedOp::computeBackwardCost(
    const ShapeQuery &, const GradientQuery &, BackwardCost &) {
  // The quantized table is frozen and the indices are integers.
  return success();
}
