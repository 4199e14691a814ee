//===- ParallelSplitQuant.cpp - split rules of quantized ops --------------===//
//
// Quantize and dequantize carry the split of their input (scales and zero
// points are read whole). The packed low-bit GEMMs and lookups have no
// Megatron split rule yet: their packed weights would have to be split by
// blocks. docs/TensorParallel.md.
//
//===----------------------------------------------------------------------===//

#include "ParallelSplitUtils.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

using namespace mlir;
using namespace mlir::tfperf;
using namespace mlir::tfperf::split;

LogicalResult QuantizeLinearOp::propagateSplit(SplitContext &ctx, OpSplit &sp) {
  return elementwise(*this, ctx, sp, {0});
}

LogicalResult DequantizeLinearOp::propagateSplit(SplitContext &ctx,
                                                 OpSplit &sp) {
  return elementwise(*this, ctx, sp, {0});
}

#define NO_SPLIT_RULE(OP)                                                      \
  LogicalResult OP::propagateSplit(SplitContext &ctx, OpSplit &) {             \
    return ctx.noSplitRule(*this);                                             \
  }
NO_SPLIT_RULE(DynamicQuantizeLinearOp)
NO_SPLIT_RULE(MatMulIntegerOp)
NO_SPLIT_RULE(QLinearMatMulOp)
NO_SPLIT_RULE(MSMatMulNBitsOp)
NO_SPLIT_RULE(MSMatMulBnb4Op)
NO_SPLIT_RULE(MSMatMulBlockQuantizedFp8WeightOp)
NO_SPLIT_RULE(MSMatMulBlockQuantizedFp4WeightOp)
NO_SPLIT_RULE(MSGatherBlockQuantizedOp)
#undef NO_SPLIT_RULE
