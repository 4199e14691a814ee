//===- TFPerfDialect.td - tfperf dialect definition --------*- tablegen -*-===//
//
// The tfperf dialect models ONNX transformer graphs for performance analysis:
// one op per ONNX operator type that tfperf understands, plus ops for
// initializers (weights), constants and anything else (`tfperf.custom`).
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_DIALECT_TD
#define TFPERF_DIALECT_TD

include "mlir/IR/OpBase.td"

def TFPerf_Dialect : Dialect {
  let name = "tfperf";
  let cppNamespace = "::mlir::tfperf";
  let summary = "ONNX-level ops annotated for FLOP, byte and roofline analysis";
  let description = [{
    Ops mirror ONNX operators (default domain and `com.microsoft` contrib ops)
    with their ONNX attributes. Every result is a tensor whose shape the
    importer infers; dims that depend on unbound ONNX `dim_param`s are `?` and
    carry a `#tfperf.dims` encoding naming their symbolic expression, e.g.
    `tensor<?x?x768xf32, #tfperf.dims<["batch", "seq"]>>`.

    Each op's location is a `NameLoc` holding the ONNX node name, so reports
    and diagnostics name the node.
  }];
  let useDefaultAttributePrinterParser = 1;
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

#endif // TFPERF_DIALECT_TD
