//===- InferenceUtils.h - helpers for tfperf shape functions ----*- C++ -*-===//
//
// Private to the dialect library: broadcasting, axis normalization and
// elementwise folding of known values, shared by the per-family shape
// functions.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_LIB_DIALECT_INFERENCEUTILS_H
#define TFPERF_LIB_DIALECT_INFERENCEUTILS_H

#include "tfperf/Interfaces/ShapeInferenceOpInterface.h"

#include "mlir/IR/Operation.h"
#include <functional>

namespace mlir::tfperf::infer {

using Dims = llvm::SmallVector<SymExpr, 4>;
using Values = llvm::SmallVector<SymExpr, 4>;

/// Maps `axis` into [0, rank); emits an error on `op` when out of range
/// (always for rank 0).
FailureOr<int64_t> normalizeAxis(Operation *op, int64_t axis, int64_t rank,
                                 StringRef what = "axis");

/// Fails with an error on `op` when `rank` exceeds kMaxRank. Call it before
/// sizing anything by a rank read from data (a shape operand's length).
LogicalResult checkResultRank(Operation *op, int64_t rank);

/// Numpy multidirectional broadcast. Two symbolic dims that differ broadcast
/// to their max (right whenever the graph is valid: they are equal or one is
/// 1); constant dims other than 1 that differ are an error on `op`.
/// In shadow mode (`ctx` with shadow symbols) a symbolic dim whose shadow
/// value equals the constant it meets stays symbolic.
FailureOr<Dims> broadcastShapes(Operation *op,
                                ArrayRef<ArrayRef<SymExpr>> shapes,
                                const ShapeContext *ctx = nullptr);

/// True when `e` is >= 1 for every assignment of positive symbols.
bool isKnownPositive(const SymExpr &e);

/// Element count when every dim is constant and the count is at most
/// ShapeContext::kMaxFoldedElements.
std::optional<int64_t> smallStaticCount(ArrayRef<SymExpr> dims);

/// The known values of `v` as int64 constants (nullopt if any is symbolic or
/// unknown).
std::optional<SmallVector<int64_t>> getConstInts(ShapeContext &ctx, Value v);

/// Folds an elementwise function over broadcast operands whose values are
/// all known. `outDims` must be the broadcast result shape.
std::optional<Values>
foldElementwise(ShapeContext &ctx, ValueRange operands, ArrayRef<SymExpr> outDims,
                llvm::function_ref<SymExpr(ArrayRef<SymExpr>)> fn);

/// Converts a DenseElementsAttr of integers or integral floats to values.
std::optional<Values> valuesFromAttr(Attribute attr);

/// A data-dependent size of `op`: the symbol `<what>_<node name>` (the
/// name's other characters replaced by '_'), or `<what>` for an unnamed op.
SymExpr dataDependentDim(Operation *op, StringRef what);

/// True for integer (incl. i1) and index element types.
bool isIntegerLike(Type t);

/// Sets every result of `op` from its current type (ops whose results the
/// importer typed, e.g. custom ops).
LogicalResult keepResultTypes(Operation *op, ShapeContext &ctx);

/// Sets result 0 of `op` to numpy MatMul (batched, broadcast, 1-D operands
/// promoted) of `lhs` and `rhs`, of `resultType` (null: lhs's element
/// type); an error on `op` when the contraction dims differ.
LogicalResult inferMatMul(Operation *op, Value lhs, Value rhs, Type resultType,
                          ShapeContext &ctx);
/// Shared shape functions.
LogicalResult inferUnarySameShape(Operation *op, ShapeContext &ctx,
                                  bool passValues);
LogicalResult inferBroadcastElementwise(Operation *op, ShapeContext &ctx,
                                        Type resultElementType,
                                        std::function<SymExpr(ArrayRef<SymExpr>)>
                                            fold);

} // namespace mlir::tfperf::infer

#endif
