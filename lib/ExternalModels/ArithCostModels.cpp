//===- ArithCostModels.cpp - CostOpInterface for arith and math -----------===//
//
// arith and math ops applied to tensors are elementwise ops: 1 FLOP per
// output element (transcendental functions too, comparisons and selects as
// ONNX Equal/Where), 2 for the fused math.fma and math.clampf, 0 for
// conversions, which only move data. On scalars these ops are parts of an
// enclosing computation (a linalg body, a loop) and get no report row: the
// cost analysis skips ops that touch no tensor or memref, and the linalg
// models count their bodies.
//
//===----------------------------------------------------------------------===//

#include "ModelUtils.h"
#include "tfperf/ExternalModels/ExternalModels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace mlir::tfperf;

/// `Flops` per output element. A scalar condition of a select on tensors is
/// not traffic.
template <int64_t Flops>
static LogicalResult elementwiseCost(Operation *op, const ShapeQuery &q,
                                     OpCost &c) {
  SmallVector<Value, 3> inputs;
  for (Value v : op->getOperands())
    if (isa<ShapedType>(v.getType()))
      inputs.push_back(v);
  return ext::elementwise(op, inputs, q, c, Flops);
}

template <int64_t Flops, typename... OpTys>
static void attach(MLIRContext *ctx) {
  ext::attachCostFn<elementwiseCost<Flops>, OpTys...>(ctx);
}

void mlir::tfperf::registerArithCostModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, arith::ArithDialect *) {
    using namespace arith;
    attach<1,
           // Float.
           AddFOp, SubFOp, MulFOp, DivFOp, RemFOp, NegFOp, MaximumFOp,
           MinimumFOp, MaxNumFOp, MinNumFOp, CmpFOp,
           // Integer.
           AddIOp, SubIOp, MulIOp, DivSIOp, DivUIOp, CeilDivSIOp, CeilDivUIOp,
           FloorDivSIOp, RemSIOp, RemUIOp, MaxSIOp, MaxUIOp, MinSIOp, MinUIOp,
           AndIOp, OrIOp, XOrIOp, ShLIOp, ShRSIOp, ShRUIOp, CmpIOp,
           // Ternary.
           SelectOp>(ctx);
    // Conversions move data (read at one width, written at another).
    attach<0, ExtFOp, TruncFOp, ExtSIOp, ExtUIOp, TruncIOp, SIToFPOp,
           UIToFPOp, FPToSIOp, FPToUIOp, BitcastOp, IndexCastOp,
           IndexCastUIOp>(ctx);
  });
}

void mlir::tfperf::registerMathCostModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, math::MathDialect *) {
    using namespace math;
    attach<2, FmaOp, ClampFOp>(ctx);
    attach<1, AbsFOp, AbsIOp, AcosOp, AcoshOp, AsinOp, AsinhOp, Atan2Op,
           AtanOp, AtanhOp, CbrtOp, CeilOp, CopySignOp, CosOp, CoshOp,
           CountLeadingZerosOp, CountTrailingZerosOp, CtPopOp, ErfOp, ErfcOp,
           Exp2Op, ExpM1Op, ExpOp, FPowIOp, FloorOp, IPowIOp, IsFiniteOp,
           IsInfOp, IsNaNOp, IsNormalOp, Log10Op, Log1pOp, Log2Op, LogOp,
           PowFOp, RoundEvenOp, RoundOp, RsqrtOp, SinOp, SincosOp, SinhOp,
           SqrtOp, TanOp, TanhOp, TruncOp>(ctx);
  });
}
