//===- CostQuant.cpp - cost of quantized ops ------------------------------===//
//
// docs/Quantization.md. Quantize: x / scale + zero point, 2 FLOPs per
// element; dequantize: (x - zero point) * scale, 2 per element. A
// dequantization fused into its readers (QuantizedStorage.h) moves only
// its scales and zero points; its readers read the stored elements. The
// low-bit GEMMs count 2 FLOPs per multiply-add of the logical [M, K] x
// [K, N] product as GEMM FLOPs and read their packed weights as stored.
//
//===----------------------------------------------------------------------===//

#include "CostUtils.h"
#include "tfperf/Dialect/TFPerf/IR/QuantizedStorage.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

using namespace mlir;
using namespace mlir::tfperf;

namespace {
constexpr int64_t kQuantizeFlops = 2;
constexpr int64_t kDequantizeFlops = 2;

/// Reads `vs` (the absent ones skipped) in full.
LogicalResult readAll(const ShapeQuery &q, OpCost &c, ArrayRef<Value> vs) {
  for (Value v : vs) {
    if (!v)
      continue;
    auto n = cost::elements(q, v, c);
    if (!n)
      return failure();
    c.read(v, *n);
  }
  return success();
}

/// A GEMM of the logical [M, K] x [K, N] product whose result is `y`
/// ([..., N]) and contraction length `k`: all operands read, `y` written.
LogicalResult quantizedGemm(Operation *op, const ShapeQuery &q, OpCost &c,
                            Value y, const SymExpr &k) {
  if (failed(cost::readWriteAll(op, q, c)))
    return failure();
  c.gemmFlops = SymExpr(2) * q.numElements(y) * k;
  c.flops = c.gemmFlops;
  return success();
}
} // namespace

LogicalResult QuantizeLinearOp::computeCost(const ShapeQuery &q, OpCost &c) {
  return cost::elementwise(*this, q, c, kQuantizeFlops);
}

LogicalResult DequantizeLinearOp::computeCost(const ShapeQuery &q, OpCost &c) {
  if (!isFusedDequantize(*this))
    return cost::elementwise(*this, q, c, kDequantizeFlops);
  // Fused into its readers: they read x as stored; this op contributes the
  // arithmetic and its scales and zero points.
  auto n = cost::elements(q, getY(), c);
  if (!n || failed(readAll(q, c, {getXScale(), getXZeroPoint()})))
    return failure();
  c.flops = *n * SymExpr(kDequantizeFlops);
  return success();
}

LogicalResult DynamicQuantizeLinearOp::computeCost(const ShapeQuery &q,
                                                   OpCost &c) {
  // min and max over x (2 per element), then quantize (2 per element).
  if (failed(cost::readWriteAll(*this, q, c)))
    return failure();
  c.flops = q.numElements(getX()) * SymExpr(2 + kQuantizeFlops);
  return success();
}

LogicalResult MatMulIntegerOp::computeCost(const ShapeQuery &q, OpCost &c) {
  auto a = cost::dimsOf(q, getA(), c);
  if (!a)
    return failure();
  return quantizedGemm(*this, q, c, getY(), a->back());
}

LogicalResult QLinearMatMulOp::computeCost(const ShapeQuery &q, OpCost &c) {
  auto a = cost::dimsOf(q, getA(), c);
  if (!a || failed(quantizedGemm(*this, q, c, getY(), a->back())))
    return failure();
  // Requantizing the int32 accumulator: scale, round, add the zero point.
  c.flops = c.flops + q.numElements(getY()) * SymExpr(3);
  return success();
}

LogicalResult MSMatMulNBitsOp::computeCost(const ShapeQuery &q, OpCost &c) {
  if (failed(quantizedGemm(*this, q, c, getY(), SymExpr(getK()))))
    return failure();
  // Each weight is dequantized once per use of the packed tile: counted
  // once (N x K), as for a fused DequantizeLinear.
  c.flops = c.flops + SymExpr(getN() * getK() * kDequantizeFlops);
  if (getBias())
    c.flops = c.flops + q.numElements(getY());
  return success();
}

LogicalResult MSMatMulBnb4Op::computeCost(const ShapeQuery &q, OpCost &c) {
  if (failed(quantizedGemm(*this, q, c, getY(), SymExpr(getK()))))
    return failure();
  // A table lookup and a scale per weight.
  c.flops = c.flops + SymExpr(getN() * getK() * kDequantizeFlops);
  return success();
}

/// A weight-only GEMM on block-scaled FP8/FP4 weights B [N, K / values per
/// byte]: every operand read as stored (B at one or half a byte per value,
/// its block scales), each weight dequantized once, plus the bias.
static LogicalResult blockScaledGemm(Operation *op, Value a, Value b,
                                     Value bias, Value y, const ShapeQuery &q,
                                     OpCost &c) {
  auto ad = cost::dimsOf(q, a, c);
  auto bd = cost::dimsOf(q, b, c);
  if (!ad || !bd || ad->empty() || bd->empty() ||
      failed(quantizedGemm(op, q, c, y, ad->back())))
    return failure();
  c.flops = c.flops + bd->front() * ad->back() * SymExpr(kDequantizeFlops);
  if (bias)
    c.flops = c.flops + q.numElements(y);
  return success();
}

LogicalResult MSMatMulBlockQuantizedFp8WeightOp::computeCost(const ShapeQuery &q,
                                                             OpCost &c) {
  return blockScaledGemm(*this, getA(), getB(), getBias(), getY(), q, c);
}

LogicalResult MSMatMulBlockQuantizedFp4WeightOp::computeCost(const ShapeQuery &q,
                                                             OpCost &c) {
  return blockScaledGemm(*this, getA(), getB(), getBias(), getY(), q, c);
}

LogicalResult MSGatherBlockQuantizedOp::computeCost(const ShapeQuery &q,
                                                    OpCost &c) {
  auto out = cost::elements(q, getOutput(), c);
  auto idx = cost::elements(q, getIndices(), c);
  if (!out || !idx)
    return failure();
  // The gathered rows only: packed uint8 data holds 8 / bits per element.
  SymExpr stored = *out;
  auto data = cast<ShapedType>(getData().getType());
  if (data.getElementType().isInteger(8) && getBits() > 0 && getBits() < 8) {
    auto packed = out->divExact(SymExpr(8 / getBits()));
    if (!packed) {
      c.unknownReason = "gathered rows do not fill whole bytes";
      return failure();
    }
    stored = *packed;
  }
  c.read(getIndices(), *idx);
  c.read(getData(), stored);
  if (getBlockSize() <= 0) {
    c.unknownReason = "block_size must be positive";
    return failure();
  }
  auto blocks = out->divExact(SymExpr(getBlockSize()));
  SymExpr perBlock = blocks ? *blocks : *out;
  c.read(getScales(), perBlock);
  if (getZeroPoints())
    c.read(getZeroPoints(), perBlock);
  c.write(getOutput(), *out);
  c.flops = *out * SymExpr(kDequantizeFlops);
  return success();
}
