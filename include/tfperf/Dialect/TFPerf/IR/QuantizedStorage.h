//===- QuantizedStorage.h - at which width a value is stored ----*- C++ -*-===//
//
// A DequantizeLinear whose readers are all contractions or gathers (through
// views) is fused into them, as weight-only and W8A8/FP8 GEMM kernels do:
// they read its input at the stored (quantized) width, and the dequantized
// tensor never exists in memory. These answer, for any value, whether it
// is such a fused dequantization and at which element type it is stored.
// docs/Quantization.md states the convention.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_DIALECT_TFPERF_IR_QUANTIZEDSTORAGE_H
#define TFPERF_DIALECT_TFPERF_IR_QUANTIZEDSTORAGE_H

#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"

#include <string>

namespace mlir::tfperf {

class DequantizeLinearOp;
class WeightOp;

/// True when every reader of `dq`'s result, through views, is a
/// contraction or a gather (and it is not a graph output).
bool isFusedDequantize(DequantizeLinearOp dq);

/// The fused DequantizeLinear that `v` is (a view of), or null.
Operation *getFusedDequantize(Value v);

/// The element type `v` is stored at in memory: the quantized input's type
/// when `v` is a fused dequantization (through views), else its own.
Type getStoredElementType(Value v);

/// How a weight (initializer) is stored: the parameters it holds (a packed
/// MatMulNBits/MatMulBnb4/GatherBlockQuantized table holds 8 / bits per
/// byte) and their element type ("int4", "nf4", "fp32", ...). `quantized`
/// when a quantized op reads it as quantized storage.
struct WeightStorage {
  double parameters = 0;
  std::string dtype;
  bool quantized = false;
};
WeightStorage getWeightStorage(WeightOp weight);

} // namespace mlir::tfperf

#endif
