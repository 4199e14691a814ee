//===- CostOpInterface.h - per-op FLOPs and bytes ---------------*- C++ -*-===//
//
// OpCost (what an op reports), ShapeQuery (where its shapes come from) and
// the generated CostOpInterface.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_INTERFACES_COSTOPINTERFACE_H
#define TFPERF_INTERFACES_COSTOPINTERFACE_H

#include "tfperf/Support/SymExpr.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/DenseMap.h"
#include <deque>
#include <string>

namespace mlir::tfperf {

/// Elements of one value an op reads or writes.
struct TensorAccess {
  Value value;
  SymExpr elements;
};

/// A named part of a fused op's cost (e.g. the QK^T GEMM inside Attention).
struct CostPart {
  std::string name;
  SymExpr flops;
  bool isGemm = false;
};

/// What an op costs. Bytes are derived by the analysis from the accesses and
/// each value's element size.
struct OpCost {
  SymExpr flops = 0;
  /// The matmul-like part of `flops` (MatMul, Gemm, Conv, Einsum contractions
  /// and the GEMMs inside fused attention).
  SymExpr gemmFlops = 0;
  llvm::SmallVector<TensorAccess, 4> reads;
  llvm::SmallVector<TensorAccess, 2> writes;
  /// Breakdown of fused ops, for reports.
  llvm::SmallVector<CostPart, 0> parts;
  /// A pure view (Reshape, Squeeze, Unsqueeze, Identity): no data moves.
  bool isView = false;
  /// Why the cost is unknown, when computeCost fails.
  std::string unknownReason;

  void read(Value v, SymExpr elements) { reads.push_back({v, elements}); }
  void write(Value v, SymExpr elements) { writes.push_back({v, elements}); }
};

/// Source of the shapes a cost is computed from. The default reads each
/// value's type (static dims, `#tfperf.dims` expressions for dynamic ones);
/// analyses substitute other shapes (bound dims, a decode step).
class ShapeQuery {
public:
  virtual ~ShapeQuery();
  /// The dims of `v`, or nullopt when its rank is unknown.
  virtual std::optional<ArrayRef<SymExpr>> dims(Value v) const = 0;
  /// Element count of `v` (Unknown when its shape is unknown).
  SymExpr numElements(Value v) const;
};

/// ShapeQuery over the IR's types, with a cache of parsed dims. Returned
/// dims stay valid for the query's lifetime (the cache never moves them).
class TypeShapeQuery : public ShapeQuery {
public:
  std::optional<ArrayRef<SymExpr>> dims(Value v) const override;

private:
  mutable std::deque<llvm::SmallVector<SymExpr, 4>> storage;
  /// Index into storage, or null for types without dims.
  mutable llvm::DenseMap<Type, llvm::SmallVector<SymExpr, 4> *> cache;
};

} // namespace mlir::tfperf

#include "tfperf/Interfaces/CostOpInterface.h.inc"

#endif // TFPERF_INTERFACES_COSTOPINTERFACE_H
