//===- ShapeInferenceQuant.cpp - shape functions of quantized ops ---------===//

#include "InferenceUtils.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::tfperf;
using namespace mlir::tfperf::infer;

/// Quantize and dequantize: the input's dims, in `et`.
static LogicalResult convertElements(Operation *op, Value x, Type et,
                                     ShapeContext &ctx) {
  if (auto dims = ctx.getDims(x))
    ctx.setResult(op, 0, et, *dims);
  return success();
}

LogicalResult QuantizeLinearOp::inferShapes(ShapeContext &ctx) {
  // The zero point's type, else output_dtype, else uint8 (ONNX's default).
  Type et = IntegerType::get(getContext(), 8, IntegerType::Unsigned);
  if (Value zp = getYZeroPoint())
    et = ctx.get(zp).elementType;
  else if (auto dt = getOutputDtype())
    et = *dt;
  return convertElements(*this, getX(), et, ctx);
}

LogicalResult DequantizeLinearOp::inferShapes(ShapeContext &ctx) {
  std::optional<Type> dt = getOutputDtype();
  return convertElements(*this, getX(),
                         dt ? *dt : ctx.get(getXScale()).elementType, ctx);
}

LogicalResult DynamicQuantizeLinearOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &x = ctx.get(getX());
  if (!x.ranked)
    return success();
  Type u8 = IntegerType::get(getContext(), 8, IntegerType::Unsigned);
  ctx.setResult(*this, 0, u8, x.dims);
  ctx.setResult(*this, 1, Float32Type::get(getContext()), Dims{});
  ctx.setResult(*this, 2, u8, Dims{});
  return success();
}

LogicalResult MatMulIntegerOp::inferShapes(ShapeContext &ctx) {
  return inferMatMul(*this, getA(), getB(), IntegerType::get(getContext(), 32),
                     ctx);
}

LogicalResult QLinearMatMulOp::inferShapes(ShapeContext &ctx) {
  return inferMatMul(*this, getA(), getB(),
                     ctx.get(getYZeroPoint()).elementType, ctx);
}

/// A weight-only GEMM's result: A's dims with the last (K) replaced by N,
/// in A's element type. A's last dim must be K when both are known.
static LogicalResult inferPackedGemm(Operation *op, Value a, int64_t k,
                                     int64_t n, ShapeContext &ctx) {
  const TensorInfo &in = ctx.get(a);
  if (!in.ranked)
    return success();
  if (in.dims.empty())
    return op->emitOpError() << "A must have rank >= 1";
  if (in.dims.back().isConstant() && in.dims.back().getConstant() != k)
    return op->emitOpError() << "A's last dim " << in.dims.back()
                             << " is not K = " << k;
  Dims out = in.dims;
  out.back() = SymExpr(n);
  ctx.setResult(op, 0, in.elementType, out);
  return success();
}

LogicalResult MSMatMulNBitsOp::inferShapes(ShapeContext &ctx) {
  return inferPackedGemm(*this, getA(), getK(), getN(), ctx);
}

/// A GEMM on block-scaled weights B [N, K / valuesPerByte]: N and K come
/// from B's shape (static, as weights are).
static LogicalResult inferBlockScaledGemm(Operation *op, Value a, Value b,
                                          int64_t valuesPerByte,
                                          int64_t blockSize,
                                          ShapeContext &ctx) {
  if (blockSize <= 0)
    return op->emitOpError() << "block_size must be positive, got "
                             << blockSize;
  auto w = ctx.getDims(b);
  if (!w)
    return keepResultTypes(op, ctx);
  if (w->size() != 2)
    return op->emitOpError() << "B must be 2-D [N, K / " << valuesPerByte
                             << "], got rank " << w->size();
  if (!(*w)[0].isConstant() || !(*w)[1].isConstant())
    return keepResultTypes(op, ctx);
  return inferPackedGemm(op, a, int64_t((*w)[1].getConstant()) * valuesPerByte,
                         int64_t((*w)[0].getConstant()), ctx);
}

LogicalResult MSMatMulBlockQuantizedFp8WeightOp::inferShapes(ShapeContext &ctx) {
  return inferBlockScaledGemm(*this, getA(), getB(), 1, getBlockSize(), ctx);
}

LogicalResult MSMatMulBlockQuantizedFp4WeightOp::inferShapes(ShapeContext &ctx) {
  return inferBlockScaledGemm(*this, getA(), getB(), kValuesPerByte,
                              getBlockSize(), ctx);
}

LogicalResult MSMatMulBnb4Op::inferShapes(ShapeContext &ctx) {
  return inferPackedGemm(*this, getA(), getK(), getN(), ctx);
}

LogicalResult MSGatherBlockQuantizedOp::inferShapes(ShapeContext &ctx) {
  auto data = ctx.getDims(getData());
  auto idx = ctx.getDims(getIndices());
  if (!data || !idx)
    return success();
  auto axis = normalizeAxis(*this, getGatherAxis(), data->size(), "gather_axis");
  if (failed(axis))
    return failure();
  Dims d(data->begin(), data->end());
  // uint8 data holds 8 / bits values per byte along the last dim.
  if (ctx.get(getData()).elementType.isInteger(8) && getBits() > 0 &&
      getBits() < 8)
    d.back() = d.back() * SymExpr(8 / getBits());
  Dims out(d.begin(), d.begin() + *axis);
  out.append(idx->begin(), idx->end());
  out.append(d.begin() + *axis + 1, d.end());
  if (failed(checkResultRank(*this, out.size())))
    return failure();
  ctx.setResult(*this, 0, ctx.get(getScales()).elementType, out);
  return success();
}
