//===- OpFamilies.h - which family a tfperf op belongs to -------*- C++ -*-===//
//
// Predicates over the op-family traits of TFPerfTraits.td (the families are
// listed once, on the ops), and the one answer to "is this value a model
// parameter".
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_DIALECT_TFPERF_IR_OPFAMILIES_H
#define TFPERF_DIALECT_TFPERF_IR_OPFAMILIES_H

#include "tfperf/Dialect/TFPerf/IR/TFPerfTraits.h"

#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"

namespace mlir::tfperf {

inline bool isElementwise(Operation *op) {
  return op->hasTrait<trait::Elementwise>();
}
inline bool isElementwiseMath(Operation *op) {
  return op->hasTrait<trait::ElementwiseMath>();
}
inline bool isBooleanLogic(Operation *op) {
  return op->hasTrait<trait::BooleanLogic>();
}
inline bool isViewLike(Operation *op) { return op->hasTrait<trait::ViewLike>(); }
inline bool isDataMovement(Operation *op) {
  return op->hasTrait<trait::DataMovement>();
}
inline bool isShapeDerived(Operation *op) {
  return op->hasTrait<trait::ShapeDerived>();
}
inline bool isNormalization(Operation *op) {
  return op->hasTrait<trait::Normalization>();
}
inline bool isReduction(Operation *op) {
  return op->hasTrait<trait::Reduction>();
}
inline bool isContraction(Operation *op) {
  return op->hasTrait<trait::Contraction>();
}
/// onnxruntime's fused attention ops (Attention, MultiHeadAttention,
/// GroupQueryAttention).
inline bool isFusedAttention(Operation *op) {
  return op->hasTrait<trait::FusedAttention>();
}

/// How clearly a value is a model parameter, weakest first.
enum class ParameterKind {
  None,
  /// A static, 1-D or 2-D float (or 2- to 8-bit integer: quantized) input
  /// of a function: a weight passed as an input (onnxruntime test graphs
  /// do that).
  GraphInput,
  /// An initializer or constant.
  Stored,
};

/// The kind of parameter `v` is, seen through view-like ops (a transposed,
/// reshaped or cast weight is still that weight).
ParameterKind getParameterKind(Value v);

/// True when `v` is a model parameter: stored in the graph or passed as an
/// input (getParameterKind is not None).
inline bool isParameter(Value v) {
  return getParameterKind(v) != ParameterKind::None;
}

/// The op that stores the parameter `v` is (a tfperf.weight or
/// tfperf.constant), seen through view-like ops and, with
/// `throughSlices`, slices and broadcasts of it (they take no memory of
/// their own); null when `v` is not stored in the graph.
Operation *getParameterStorage(Value v, bool throughSlices = false);

} // namespace mlir::tfperf

#endif
