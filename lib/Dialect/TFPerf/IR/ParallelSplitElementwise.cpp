//===- ParallelSplitElementwise.cpp - split rules of elementwise ops ------===//
//
// An elementwise op runs on the slice of a split operand: the split dim
// (moved by ONNX broadcasting to the output's rank) stays split in the
// result, and every operand that spans that dim is read in slices. Two
// operands split on different dims conflict.
//
//===----------------------------------------------------------------------===//

#include "ParallelSplitUtils.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

using namespace mlir;
using namespace mlir::tfperf;

#define CARRIES_SPLIT(OP)                                                      \
  LogicalResult OP::propagateSplit(SplitContext &ctx, OpSplit &sp) {           \
    return split::elementwise(*this, ctx, sp);                                 \
  }
CARRIES_SPLIT(AddOp)
CARRIES_SPLIT(SubOp)
CARRIES_SPLIT(MulOp)
CARRIES_SPLIT(DivOp)
CARRIES_SPLIT(PowOp)
CARRIES_SPLIT(EqualOp)
CARRIES_SPLIT(GreaterOp)
CARRIES_SPLIT(LessOp)
CARRIES_SPLIT(GreaterOrEqualOp)
CARRIES_SPLIT(LessOrEqualOp)
CARRIES_SPLIT(ModOp)
CARRIES_SPLIT(SwishOp)
CARRIES_SPLIT(AndOp)
CARRIES_SPLIT(OrOp)
CARRIES_SPLIT(SqrtOp)
CARRIES_SPLIT(ErfOp)
CARRIES_SPLIT(TanhOp)
CARRIES_SPLIT(SigmoidOp)
CARRIES_SPLIT(ReluOp)
CARRIES_SPLIT(CosOp)
CARRIES_SPLIT(SinOp)
CARRIES_SPLIT(ExpOp)
CARRIES_SPLIT(LogOp)
CARRIES_SPLIT(NegOp)
CARRIES_SPLIT(AbsOp)
CARRIES_SPLIT(NotOp)
CARRIES_SPLIT(ReciprocalOp)
CARRIES_SPLIT(SoftplusOp)
CARRIES_SPLIT(WhereOp)
CARRIES_SPLIT(ClipOp)
CARRIES_SPLIT(MinOp)
CARRIES_SPLIT(MaxOp)
CARRIES_SPLIT(SumOp)
CARRIES_SPLIT(GeluOp)
CARRIES_SPLIT(MSFastGeluOp)
CARRIES_SPLIT(MSBiasGeluOp)
CARRIES_SPLIT(CastOp)
CARRIES_SPLIT(IdentityOp)
#undef CARRIES_SPLIT
