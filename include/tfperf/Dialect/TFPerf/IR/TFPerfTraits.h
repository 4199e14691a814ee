//===- TFPerfTraits.h - op family and ONNX name traits ----------*- C++ -*-===//
//
// The C++ side of TFPerfTraits.td: marker traits with no methods. The
// families are documented there; OpFamilies.h has the predicates analyses
// call.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_DIALECT_TFPERF_IR_TFPERFTRAITS_H
#define TFPERF_DIALECT_TFPERF_IR_TFPERFTRAITS_H

#include "mlir/IR/OpDefinition.h"

namespace mlir::tfperf::trait {

#define TFPERF_MARKER_TRAIT(Name)                                              \
  template <typename ConcreteType>                                             \
  class Name : public ::mlir::OpTrait::TraitBase<ConcreteType, Name> {};

TFPERF_MARKER_TRAIT(Elementwise)
TFPERF_MARKER_TRAIT(ElementwiseMath)
TFPERF_MARKER_TRAIT(BooleanLogic)
TFPERF_MARKER_TRAIT(ViewLike)
TFPERF_MARKER_TRAIT(DataMovement)
TFPERF_MARKER_TRAIT(ShapeDerived)
TFPERF_MARKER_TRAIT(Normalization)
TFPERF_MARKER_TRAIT(Reduction)
TFPERF_MARKER_TRAIT(Contraction)
TFPERF_MARKER_TRAIT(FusedAttention)
/// The op imports an ONNX op: its class has getONNXOpType(),
/// getONNXDomain() and getONNXAliasDomains() (TFPerf_ONNXName in ODS).
TFPERF_MARKER_TRAIT(ONNXOp)

#undef TFPERF_MARKER_TRAIT

} // namespace mlir::tfperf::trait

#endif
