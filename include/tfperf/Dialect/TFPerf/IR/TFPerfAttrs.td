//===- TFPerfAttrs.td - tfperf attributes ------------------*- tablegen -*-===//

#ifndef TFPERF_ATTRS_TD
#define TFPERF_ATTRS_TD

include "tfperf/Dialect/TFPerf/IR/TFPerfDialect.td"
include "tfperf/Interfaces/DimExprsEncodingAttrInterface.td"
include "mlir/IR/AttrTypeBase.td"

class TFPerf_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<TFPerf_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def TFPerf_DimsAttr : TFPerf_Attr<"Dims", "dims",
                                  [TFPerf_DimExprsEncodingAttrInterface]> {
  let summary = "Symbolic expressions of a tensor type's dynamic dims";
  let description = [{
    Used as the encoding of a ranked tensor type. It lists, in order, one
    expression for each dynamic (`?`) dim of the type: a polynomial over ONNX
    `dim_param` names with integer coefficients, or an opaque
    `floordiv(...)`/`min(...)` atom. Static dims are not repeated.

    ```mlir
    tensor<?x?x768xf32, #tfperf.dims<["batch", "past_seq_len + seq_len"]>>
    ```
  }];
  let parameters = (ins "::mlir::ArrayAttr":$exprs);
  let assemblyFormat = "`<` $exprs `>`";
  let genVerifyDecl = 1;
}

#endif // TFPERF_ATTRS_TD
