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

/// Whether an access names an absent optional operand (a null Value): a cost
/// model bug that has no dtype to price, caught before anything prices it.
inline bool namesAbsentValue(llvm::ArrayRef<TensorAccess> accesses) {
  return llvm::any_of(accesses, [](const TensorAccess &a) { return !a.value; });
}

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

/// One kernel of an op's backward pass (`dX = dY·Wᵀ`, the reduction of a
/// broadcast operand's gradient, ...). Accesses name forward values: the
/// gradient of a value has its shape and element type.
struct BackwardOp {
  std::string name;
  /// For a product, its operands' shapes (`32x4096 . 4096x1024`), as the
  /// domain doc's tables give them; empty otherwise.
  std::string shape;
  SymExpr flops = 0;
  /// The matmul-like part of `flops`.
  SymExpr gemmFlops = 0;
  llvm::SmallVector<TensorAccess, 4> reads;
  llvm::SmallVector<TensorAccess, 2> writes;

  void read(Value v, SymExpr elements) { reads.push_back({v, elements}); }
  void write(Value v, SymExpr elements) { writes.push_back({v, elements}); }
};

/// A tensor the forward pass keeps for an op's backward pass. Either a
/// value of the IR (`what` empty), or a tensor derived from `value` that the
/// IR does not name (`what` says which: "mean, rstd" of a LayerNorm's
/// input), stored at `value`'s element type.
struct SavedTensor {
  Value value;
  SymExpr elements;
  std::string what;
};

/// What an op's backward pass costs and keeps.
struct BackwardCost {
  llvm::SmallVector<BackwardOp, 2> ops;
  llvm::SmallVector<SavedTensor, 2> saved;
  /// Why the backward is unknown, when computeBackwardCost fails.
  std::string unknownReason;

  BackwardOp &add(std::string name) {
    ops.push_back(BackwardOp());
    ops.back().name = std::move(name);
    return ops.back();
  }
  void save(Value v, SymExpr elements, std::string what = "") {
    saved.push_back({v, std::move(elements), std::move(what)});
  }
};

/// Which values carry a gradient in the backward pass: operands that need
/// one, results that receive one.
class GradientQuery {
public:
  virtual ~GradientQuery();
  virtual bool needsGrad(Value v) const = 0;
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
