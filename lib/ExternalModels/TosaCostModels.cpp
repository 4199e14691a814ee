//===- TosaCostModels.cpp - CostOpInterface for tosa ----------------------===//
//
// TOSA ops are ONNX-like tensor ops, so each follows the tfperf op it
// mirrors (docs/CostModel.md): tosa.matmul as MatMul, tosa.conv2d as Conv
// (the bias add is 1 FLOP per output element, not GEMM), elementwise ops 1
// FLOP per output element, reductions n - 1 per output, reshape a view.
// Zero points, tosa.mul's shift and tosa.pad's pad_const are scalar
// parameters folded into the kernel, not tensor traffic; !tosa.shape
// operands are metadata.
//
//===----------------------------------------------------------------------===//

#include "ModelUtils.h"
#include "tfperf/ExternalModels/ExternalModels.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace mlir::tfperf;
using namespace mlir::tosa;

//===----------------------------------------------------------------------===//
// Matmul and convolutions
//===----------------------------------------------------------------------===//

/// a[N,H,C] x b[N,C,W]: 2 FLOPs per output element and step of C.
static LogicalResult matmulCost(MatMulOp op, const ShapeQuery &q, OpCost &c) {
  auto a = ext::dims(q, op.getA(), c);
  if (!a || failed(ext::dataMovement(op, {op.getA(), op.getB()}, q, c)))
    return failure();
  c.flops = SymExpr(2) * q.numElements(op.getOutput()) * a->back();
  c.gemmFlops = c.flops;
  return success();
}

/// A convolution whose output elements each take `macsPerOutput`
/// multiply-adds, plus one bias add per output element.
template <typename ConvOp>
static LogicalResult convCost(ConvOp op, const ShapeQuery &q, OpCost &c,
                              SymExpr macsPerOutput) {
  if (failed(ext::dataMovement(
          op, {op.getInput(), op.getWeight(), op.getBias()}, q, c)))
    return failure();
  SymExpr out = q.numElements(op.getOutput());
  c.gemmFlops = SymExpr(2) * out * macsPerOutput;
  c.flops = c.gemmFlops + out;
  return success();
}

/// conv2d weight [OC, KH, KW, IC], conv3d [OC, KD, KH, KW, IC]: every
/// output element sums over the kernel window and the input channels.
template <typename ConvOp>
static LogicalResult denseConvCost(ConvOp op, const ShapeQuery &q,
                                   OpCost &c) {
  auto w = ext::dims(q, op.getWeight(), c);
  if (!w)
    return failure();
  return convCost(op, q, c, product(ArrayRef<SymExpr>(*w).drop_front()));
}

/// depthwise_conv2d weight [KH, KW, C, M]: one input channel per output.
static LogicalResult depthwiseConvCost(DepthwiseConv2DOp op,
                                       const ShapeQuery &q, OpCost &c) {
  auto w = ext::dims(q, op.getWeight(), c);
  if (!w)
    return failure();
  return convCost(op, q, c, (*w)[0] * (*w)[1]);
}

/// transpose_conv2d weight [OC, KH, KW, IC]: every input element is
/// scattered through the kernel into OC outputs.
static LogicalResult transposeConvCost(TransposeConv2DOp op,
                                       const ShapeQuery &q, OpCost &c) {
  auto w = ext::dims(q, op.getWeight(), c);
  if (!w || failed(ext::dataMovement(
                op, {op.getInput(), op.getWeight(), op.getBias()}, q, c)))
    return failure();
  SymExpr in = q.numElements(op.getInput());
  c.gemmFlops = SymExpr(2) * in * (*w)[0] * (*w)[1] * (*w)[2];
  c.flops = c.gemmFlops + q.numElements(op.getOutput());
  return success();
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// avg: kh*kw per output (kh*kw - 1 adds and a divide); max: kh*kw - 1.
template <typename PoolOp>
static LogicalResult poolCost(PoolOp op, const ShapeQuery &q, OpCost &c,
                              bool average) {
  if (failed(ext::dataMovement(op, {op.getInput()}, q, c)))
    return failure();
  ArrayRef<int64_t> k = op.getKernel();
  int64_t window = k.size() == 2 ? k[0] * k[1] : 1;
  c.flops = q.numElements(op.getOutput()) *
            SymExpr(average ? window : window - 1);
  return success();
}

//===----------------------------------------------------------------------===//
// Models
//===----------------------------------------------------------------------===//

/// `Flops` per output element; reads every tensor operand except the
/// scalar parameters named above.
template <int64_t Flops>
static LogicalResult elementwiseCost(Operation *op, const ShapeQuery &q,
                                     OpCost &c) {
  SmallVector<Value, 3> inputs;
  if (auto mul = dyn_cast<MulOp>(op))
    inputs = {mul.getInput1(), mul.getInput2()}; // not the shift
  else if (auto neg = dyn_cast<NegateOp>(op))
    inputs = {neg.getInput1()}; // not the zero points
  else
    inputs.assign(op->operand_begin(), op->operand_end());
  return ext::elementwise(op, inputs, q, c, Flops);
}

static LogicalResult concatCost(ConcatOp op, const ShapeQuery &q, OpCost &c) {
  return ext::dataMovement(op, op.getInput1(), q, c);
}

/// As ONNX Slice: only the returned elements of the input are read.
static LogicalResult sliceCost(SliceOp op, const ShapeQuery &q, OpCost &c) {
  return ext::moveElementsOf(q, op.getOutput(), op.getInput1(), op.getOutput(),
                             c);
}

/// As ONNX Gather: the indices and only the gathered rows.
static LogicalResult gatherCost(GatherOp op, const ShapeQuery &q, OpCost &c) {
  if (failed(ext::readAll(q, op.getIndices(), c)))
    return failure();
  return ext::moveElementsOf(q, op.getOutput(), op.getValues(), op.getOutput(),
                             c);
}

static LogicalResult padCost(PadOp op, const ShapeQuery &q, OpCost &c) {
  return ext::dataMovement(op, {op.getInput1()}, q, c);
}

static LogicalResult conv2dCost(Conv2DOp op, const ShapeQuery &q, OpCost &c) {
  return denseConvCost(op, q, c);
}
static LogicalResult conv3dCost(Conv3DOp op, const ShapeQuery &q, OpCost &c) {
  return denseConvCost(op, q, c);
}
static LogicalResult avgPoolCost(AvgPool2dOp op, const ShapeQuery &q,
                                 OpCost &c) {
  return poolCost(op, q, c, /*average=*/true);
}
static LogicalResult maxPoolCost(MaxPool2dOp op, const ShapeQuery &q,
                                 OpCost &c) {
  return poolCost(op, q, c, /*average=*/false);
}

void mlir::tfperf::registerTosaCostModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, TosaDialect *) {
    ext::attachCostFn<matmulCost, MatMulOp>(ctx);
    ext::attachCostFn<conv2dCost, Conv2DOp>(ctx);
    ext::attachCostFn<conv3dCost, Conv3DOp>(ctx);
    ext::attachCostFn<depthwiseConvCost, DepthwiseConv2DOp>(ctx);
    ext::attachCostFn<transposeConvCost, TransposeConv2DOp>(ctx);
    ext::attachCostFn<avgPoolCost, AvgPool2dOp>(ctx);
    ext::attachCostFn<maxPoolCost, MaxPool2dOp>(ctx);

    ext::attachCostFn<elementwiseCost<1>,
                      // Binary.
                      AddOp, SubOp, MulOp, IntDivOp, PowOp, MaximumOp,
                      MinimumOp, ArithmeticRightShiftOp, LogicalLeftShiftOp,
                      LogicalRightShiftOp, BitwiseAndOp, BitwiseOrOp,
                      BitwiseXorOp, LogicalAndOp, LogicalOrOp, LogicalXorOp,
                      EqualOp, GreaterOp, GreaterEqualOp,
                      // Unary, transcendental ones included.
                      AbsOp, BitwiseNotOp, CeilOp, ClzOp, CosOp, ExpOp, FloorOp,
                      LogOp, LogicalNotOp, NegateOp, ReciprocalOp, RsqrtOp,
                      SinOp, ErfOp, TanhOp, SigmoidOp,
                      // Ternary, as ONNX Where.
                      SelectOp>(ctx);
    // Clamp is a max then a min, as ONNX Clip.
    ext::attachCostFn<elementwiseCost<2>, ClampOp>(ctx);

    // Reductions along one axis: numel(in) - numel(out).
    ext::attachCostFn<ext::reduceFirstOperandCost, ReduceAllOp, ReduceAnyOp,
                      ReduceMaxOp, ReduceMinOp, ReduceProductOp, ReduceSumOp,
                      ArgMaxOp>(ctx);

    ext::attachCostFn<ext::viewCost, ReshapeOp>(ctx);
    ext::attachCostFn<ext::copyFirstOperandCost, TransposeOp, TileOp, CastOp>(
        ctx);
    ext::attachCostFn<concatCost, ConcatOp>(ctx);
    ext::attachCostFn<sliceCost, SliceOp>(ctx);
    ext::attachCostFn<gatherCost, GatherOp>(ctx);
    ext::attachCostFn<padCost, PadOp>(ctx);
  });
}
