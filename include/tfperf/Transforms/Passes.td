//===- Passes.td - tfperf passes ---------------------------*- tablegen -*-===//

#ifndef TFPERF_TRANSFORMS_PASSES_TD
#define TFPERF_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def TFPerfInferShapes : Pass<"tfperf-infer-shapes", "func::FuncOp"> {
  let summary = "Infer (symbolic) shapes of tfperf ops, optionally binding dims";
  let description = [{
    Re-runs tfperf's shape inference over a function in topological order:
    element types, shapes, and the values of small integer tensors (so shape
    plumbing such as `Shape -> Gather -> Concat -> Reshape` folds). Result
    types are updated in place; dims that stay symbolic get a `#tfperf.dims`
    encoding. With `bind-dims`, the named dim symbols take concrete values
    first (function argument types are rewritten too), so a dynamic graph
    imported once can be made static:

    ```mlir
    // tfperf-opt --tfperf-infer-shapes="bind-dims=batch=1,seq=128"
    func.func @main(%x: tensor<?x?xi64, #tfperf.dims<["batch", "seq"]>>) ...
    // becomes
    func.func @main(%x: tensor<1x128xi64>) ...
    ```

    Fails, naming the op, on inconsistent shapes; a binding for a symbol the
    function does not use is an error.
  }];
  let options = [
    Option<"bindDims", "bind-dims", "std::string", /*default=*/"",
           "Comma-separated name=value bindings of dim symbols">,
  ];
  let dependentDialects = ["::mlir::tfperf::TFPerfDialect"];
}

#endif // TFPERF_TRANSFORMS_PASSES_TD
