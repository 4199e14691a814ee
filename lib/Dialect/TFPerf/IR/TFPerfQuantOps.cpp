//===- TFPerfQuantOps.cpp - verifiers of the quantized ops ----------------===//

#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

using namespace mlir;
using namespace mlir::tfperf;

LogicalResult MSMatMulNBitsOp::verify() {
  if (getBits() < 1 || getBits() > 8)
    return emitOpError() << "bits must be 1 to 8, got " << getBits();
  if (getK() <= 0 || getN() <= 0 || getBlockSize() <= 0)
    return emitOpError() << "K, N and block_size must be positive";
  return success();
}
