//===- CostUtils.h - helpers for tfperf cost functions ----------*- C++ -*-===//
//
// Private to the dialect library. The conventions they implement are stated
// in docs/CostModel.md: 1 multiply-add = 2 FLOPs; every input is read once
// and every output written once, in elements (the analysis turns elements
// into bytes at each value's element size).
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_LIB_DIALECT_COSTUTILS_H
#define TFPERF_LIB_DIALECT_COSTUTILS_H

#include "tfperf/Interfaces/CostOpInterface.h"

#include "mlir/IR/Operation.h"

#include <array>

namespace mlir::tfperf::cost {

/// RoPE: x * cos + rotate(x) * sin, 3 FLOPs per rotated element.
constexpr int64_t kRotaryFlops = 3;
/// Soft-capping: divide, tanh, multiply per score.
constexpr int64_t kSoftcapFlops = 3;

/// Element count of `v`; on an unknown shape sets `cost.unknownReason` and
/// returns nullopt.
std::optional<SymExpr> elements(const ShapeQuery &q, Value v, OpCost &cost);

/// Reads every operand and writes every result in full.
LogicalResult readWriteAll(Operation *op, const ShapeQuery &q, OpCost &cost);

/// An elementwise op: `flopsPerElement` FLOPs per output element, every
/// operand read and every result written.
LogicalResult elementwise(Operation *op, const ShapeQuery &q, OpCost &cost,
                          int64_t flopsPerElement);

/// A view: moves no data and computes nothing.
LogicalResult view(OpCost &cost);

/// Dims of `v` or a failure reason.
std::optional<ArrayRef<SymExpr>> dimsOf(const ShapeQuery &q, Value v,
                                        OpCost &cost);

/// The shared core of the forward and backward helpers: dims (element
/// count) of `v` when all are known, else nullopt with `unknownReason` set.
std::optional<ArrayRef<SymExpr>> knownDims(const ShapeQuery &q, Value v,
                                           std::string &unknownReason);
std::optional<SymExpr> knownElements(const ShapeQuery &q, Value v,
                                     std::string &unknownReason);

/// Reads all of `v`: its element count, or nullopt with the reason set.
std::optional<SymExpr> readWhole(const ShapeQuery &q, OpCost &cost, Value v);

/// Adds a named part of `flops` to `cost` (and to its GEMM FLOPs when
/// `gemm`).
void addPart(OpCost &cost, const char *name, const SymExpr &flops, bool gemm);

/// The attention core of a fused attention for `bn` (batch x query heads)
/// heads of `s` queries against `t` keys with head sizes `hk` (Q K^T) and
/// `hv` (P V): scores, scale, `maskAdds` masks, softmax, context.
void attentionCore(OpCost &cost, const SymExpr &bn, const SymExpr &s,
                   const SymExpr &t, const SymExpr &hk, const SymExpr &hv,
                   int64_t maskAdds);

/// The same over `scores` query-key pairs per head (a windowed attention
/// visits fewer than S x T).
void attentionCoreOver(OpCost &cost, const SymExpr &bn, const SymExpr &scores,
                       const SymExpr &hk, const SymExpr &hv, int64_t maskAdds);

/// Reads every operand in full except those in `skip`.
LogicalResult readAllBut(Operation *op, const ShapeQuery &q, OpCost &cost,
                         ArrayRef<Value> skip);

/// Writes every result in full.
LogicalResult writeAll(Operation *op, const ShapeQuery &q, OpCost &cost);

/// A sliding-window attention's traffic: every operand whole but the
/// cached keys and values `pastKV` (or, without a cache, the new `kv`),
/// which are read from key `firstKey` on (the keys before it are in no
/// query's window); every result written whole. Keys and values are
/// [B, N, L, H], or packed [B, L, N*H]; null ones are skipped.
LogicalResult readWindowedKeys(Operation *op, const ShapeQuery &q,
                               OpCost &cost, std::array<Value, 2> pastKV,
                               std::array<Value, 2> kv,
                               const SymExpr &firstKey);

/// RMSNorm: square, sum, multiply by 1/rms, scale: 4 FLOPs per element;
/// divide, + eps, rsqrt: 3 per row.
SymExpr rmsNormFlops(const SymExpr &elements, const SymExpr &rows);

} // namespace mlir::tfperf::cost

#endif
