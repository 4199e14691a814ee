//===- ShapeInferenceOpInterface.td - shape functions ------*- tablegen -*-===//
//
// Ops whose result element types, (symbolic) shapes and, for small integer
// tensors, values can be computed from what is known about their operands.
// The importer and the `tfperf-infer-shapes` pass drive it in topological
// order over a ShapeContext; values let shape plumbing such as
// Shape -> Gather -> Concat -> Reshape fold to concrete or symbolic shapes.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_SHAPE_INFERENCE_OP_INTERFACE_TD
#define TFPERF_SHAPE_INFERENCE_OP_INTERFACE_TD

include "mlir/IR/OpBase.td"

def TFPerf_ShapeInferenceOpInterface : OpInterface<"ShapeInferenceOpInterface"> {
  let cppNamespace = "::mlir::tfperf";
  let description = [{
    Computes what is known of each result (element type, dims as SymExpr,
    optionally element values) from the operands' entries in a ShapeContext,
    and records it with `ctx.setResult`. On inconsistent operands it emits an
    error on the op (naming the ONNX node through the op's location) and
    returns failure. A result whose shape cannot be derived is left unset;
    callers report it rather than guess.
  }];
  let methods = [
    InterfaceMethod<[{
        Infers the results of this op into `ctx`.
      }],
      "::llvm::LogicalResult", "inferShapes",
      (ins "::mlir::tfperf::ShapeContext &":$ctx)>,
  ];
}

#endif // TFPERF_SHAPE_INFERENCE_OP_INTERFACE_TD
