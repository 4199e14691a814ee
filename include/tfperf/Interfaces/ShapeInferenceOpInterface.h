//===- ShapeInferenceOpInterface.h - shape functions ------------*- C++ -*-===//
//
// ShapeContext: what is known of each SSA value during shape inference
// (element type, symbolic dims, and for small tensors the element values),
// plus the generated ShapeInferenceOpInterface.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_INTERFACES_SHAPEINFERENCEOPINTERFACE_H
#define TFPERF_INTERFACES_SHAPEINFERENCEOPINTERFACE_H

#include "tfperf/Support/SymExpr.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/DenseMap.h"
#include <deque>

namespace mlir::tfperf {

/// What inference knows about one tensor value.
struct TensorInfo {
  /// Element type; null when unknown.
  Type elementType;
  /// False when even the rank is unknown.
  bool ranked = false;
  /// One entry per dim; a dim may be Unknown.
  llvm::SmallVector<SymExpr, 4> dims;
  /// Row-major element values when known (integer-valued data such as shape
  /// tensors). Absent for large or data-dependent tensors.
  std::optional<llvm::SmallVector<SymExpr, 4>> values;

  int64_t rank() const { return ranked ? (int64_t)dims.size() : -1; }
  /// Product of the dims (Unknown if any is unknown or unranked).
  SymExpr numElements() const;
  /// True when ranked and every dim is a known expression.
  bool hasKnownShape() const;
  /// True when ranked and every dim is a constant.
  bool hasStaticShape() const;
};

/// Per-value inference state, filled in topological order.
class ShapeContext {
public:
  /// Largest tensor whose element values are tracked.
  static constexpr int64_t kMaxFoldedElements = 4096;

  /// The entry for `v`; values never set are derived from their type.
  const TensorInfo &get(Value v);
  void set(Value v, TensorInfo info);
  bool contains(Value v) const { return infos.count(v); }

  /// Convenience: dims of a ranked value, or nullopt.
  std::optional<ArrayRef<SymExpr>> getDims(Value v);
  /// Convenience: known values, or nullptr.
  const llvm::SmallVector<SymExpr, 4> *getValues(Value v);

  /// Shadow mode: symbols standing for dims a static graph was exported
  /// with, and those concrete values. Shape functions then keep a symbol
  /// where the graph has the matching constant (a reshape target, a slice
  /// bound, a broadcast partner), so a static graph can be re-evaluated at
  /// other batch and sequence sizes (docs/TransformerAnalysis.md).
  void setShadow(llvm::StringRef symbol, int64_t value) {
    shadow.emplace_back(symbol.str(), value);
  }
  bool hasShadow() const { return !shadow.empty(); }
  /// The value of `e` with every shadow symbol at its value.
  std::optional<int64_t> shadowValue(const SymExpr &e) const;
  /// The shadow symbol whose value is `c`, when exactly one is and c > 1.
  std::optional<SymExpr> matchShadow(int64_t c) const;
  /// The same for a dim: only a constant that fits int64 can match.
  std::optional<SymExpr> matchShadow(const SymExpr &dim) const;

  /// Sets result `idx` of `op` to a ranked tensor.
  void setResult(Operation *op, unsigned idx, Type elementType,
                 ArrayRef<SymExpr> dims,
                 std::optional<llvm::SmallVector<SymExpr, 4>> values = {});

private:
  std::vector<std::pair<std::string, int64_t>> shadow;
  /// Entries live in a deque so references handed out stay valid while
  /// later values are added.
  std::deque<TensorInfo> storage;
  llvm::DenseMap<Value, TensorInfo *> infos;
};

/// Builds the TensorInfo a type describes (no values).
TensorInfo tensorInfoFromType(Type type);

} // namespace mlir::tfperf

#include "tfperf/Interfaces/ShapeInferenceOpInterface.h.inc"

#endif // TFPERF_INTERFACES_SHAPEINFERENCEOPINTERFACE_H
