//===- TFPerfTraits.td - op families and ONNX names --------*- tablegen -*-===//
//
// Op families: marker traits that say, on each op, which family it belongs
// to. Analyses ask through the predicates of OpFamilies.h instead of
// keeping their own lists of ops. And each op's ONNX name: the importer's
// table and the reports' op types read it from the op class.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_TRAITS_TD
#define TFPERF_TRAITS_TD

include "mlir/IR/OpBase.td"

//===----------------------------------------------------------------------===//
// Op families
//===----------------------------------------------------------------------===//

// A marker trait; its C++ class is in TFPerfTraits.h.
class TFPerf_OpFamily<string name> : NativeOpTrait<name> {
  let cppNamespace = "::mlir::tfperf::trait";
}

// Result element i depends on the operands' elements at i only (numpy
// broadcasting): splitting any dim of the result splits the operands alike.
def TFPerf_Elementwise : TFPerf_OpFamily<"Elementwise">;

// Floating-point math element by element (activations, scaling, masking,
// RoPE): not comparisons, logic, casts or copies.
def TFPerf_ElementwiseMath : TFPerf_OpFamily<"ElementwiseMath">;

// Comparisons and logic: boolean results, no gradient.
def TFPerf_BooleanLogic : TFPerf_OpFamily<"BooleanLogic">;

// The result is the operand's elements re-viewed (reshaped, transposed,
// squeezed, flattened) or converted one by one (cast, identity): a weight
// seen through it is still that weight.
def TFPerf_ViewLike : TFPerf_OpFamily<"ViewLike">;

// Moves or re-views data without arithmetic (views, slices, concats,
// gathers, broadcasts, dropout).
def TFPerf_DataMovement : TFPerf_OpFamily<"DataMovement">;

// Values computed from shapes, not from data (Shape, ConstantOfShape,
// Range): no gradient.
def TFPerf_ShapeDerived : TFPerf_OpFamily<"ShapeDerived">;

// Layer and RMS normalizations, fused or not with a residual add or an
// embedding.
def TFPerf_Normalization : TFPerf_OpFamily<"Normalization">;

// Reductions over axes (ReduceMean, ReduceSum, ...).
def TFPerf_Reduction : TFPerf_OpFamily<"Reduction">;

// Tensor contractions (MatMul, Gemm, Einsum, Conv): the ops that are
// linears when one operand is a parameter.
def TFPerf_Contraction : TFPerf_OpFamily<"Contraction">;

// onnxruntime's fused attention ops.
def TFPerf_FusedAttention : TFPerf_OpFamily<"FusedAttention">;

//===----------------------------------------------------------------------===//
// ONNX names
//===----------------------------------------------------------------------===//

// The ONNX op this op imports: its type and domain ("" is ai.onnx), and
// other domains the same op is also registered in. Gives the op class
// static getONNXOpType(), getONNXDomain() and getONNXAliasDomains(); the
// importer's table (lib/Target/ONNX/OpSchemas.cpp) and report op types
// (getONNXOpType(Operation *)) are built from them.
class TFPerf_ONNXName<string opType, string domain = "",
                      list<string> alsoInDomains = []>
    : NativeOpTrait<"ONNXOp", [], [{
    /// The ONNX op type this op is imported from.
    static constexpr ::llvm::StringLiteral getONNXOpType() {
      return "}] # opType # [{";
    }
    /// Its ONNX domain ("" is the default, ai.onnx).
    static constexpr ::llvm::StringLiteral getONNXDomain() {
      return "}] # domain # [{";
    }
    /// Other domains that register the same op.
    static ::llvm::ArrayRef<::llvm::StringLiteral> getONNXAliasDomains() {
      }] # !if(!empty(alsoInDomains), "return {};",
               "static constexpr ::llvm::StringLiteral domains[] = {"
               # !interleave(!foreach(d, alsoInDomains, "\"" # d # "\""), ", ")
               # "}; return domains;") # [{
    }
  }]> {
  let cppNamespace = "::mlir::tfperf::trait";
}

#endif // TFPERF_TRAITS_TD
