//===- ParallelSplitUtils.h - helpers of tfperf split rules -----*- C++ -*-===//
//
// Private to the dialect library: shape queries and the rules several op
// categories share (elementwise carry, norms, vocabulary-parallel tables).
// docs/TensorParallel.md states the rules.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_LIB_DIALECT_PARALLELSPLITUTILS_H
#define TFPERF_LIB_DIALECT_PARALLELSPLITUTILS_H

#include "tfperf/Interfaces/ParallelSplitOpInterface.h"
#include "tfperf/Support/SymExpr.h"

#include "mlir/IR/Operation.h"

namespace mlir::tfperf::split {

/// Dims of `v` (static, or `#tfperf.dims` expressions); nullopt unranked.
std::optional<SmallVector<SymExpr, 4>> dimsOf(Value v);
/// Rank of `v`; -1 unranked.
int rankOf(Value v);
/// Dim `d` of `v` when it is a constant.
std::optional<int64_t> constDim(Value v, int d);
/// True when dim `d` of `v` has more than one element (or is unknown).
bool hasExtent(Value v, int d);
/// An ONNX axis (negative from the back) as a dim.
int normAxis(int64_t axis, int rank);
/// Constant integers of a value defined by a constant op.
std::optional<SmallVector<int64_t, 4>> constInts(Value v);
/// Whether an operand after the data (operand 0) arrives split: shapes,
/// sizes and axes are read whole by every device, so a rule refuses it.
bool anyParameterOperandSplit(Operation *op, SplitContext &ctx);

/// Records that `op` reads its operand `v` in `units` slices of dim `dim`
/// (a whole operand is sliced where it is read; no operand, or one without
/// that dim's extent, reads nothing sliced); false when `v` arrives split
/// on another dim.
bool readSliced(Operation *op, SplitContext &ctx, OpSplit &sp, Value v,
                int dim, int64_t units);

/// An op applied elementwise (with ONNX broadcasting) to the operands
/// `carried` (all when empty): a split dim stays split in every result of
/// the output's rank; a split side input is a conflict.
LogicalResult elementwise(Operation *op, SplitContext &ctx, OpSplit &sp,
                          ArrayRef<unsigned> carried = {});
/// A norm over the dims from `firstNormDim` of the operands `inputs`
/// (elementwise otherwise): a split there, or a split weight, conflicts.
LogicalResult norm(Operation *op, SplitContext &ctx, OpSplit &sp,
                   int firstNormDim, ArrayRef<unsigned> inputs);
/// A lookup in the vocabulary-parallel table operand `table` of group `g`:
/// partial embeddings, summed by an all-reduce.
LogicalResult vocabTable(Operation *op, SplitContext &ctx, OpSplit &sp,
                         unsigned table, int g);

} // namespace mlir::tfperf::split

#endif // TFPERF_LIB_DIALECT_PARALLELSPLITUTILS_H
