//===- DimExprsEncodingAttrInterface.td - named dynamic dims -*- tablegen -*-===//
//
// A tensor type encoding that names the type's dynamic dims. The shape and
// cost interfaces read types through it, so they need not know the
// attribute that implements it (the tfperf dialect's `#tfperf.dims`), and
// the dialect can depend on the interfaces without a loop.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_DIM_EXPRS_ENCODING_ATTR_INTERFACE_TD
#define TFPERF_DIM_EXPRS_ENCODING_ATTR_INTERFACE_TD

include "mlir/IR/OpBase.td"

def TFPerf_DimExprsEncodingAttrInterface
    : AttrInterface<"DimExprsEncodingAttrInterface"> {
  let cppNamespace = "::mlir::tfperf";
  let description = [{
    Implemented by a ranked tensor type's encoding attribute that gives one
    dim expression (SymExpr syntax: a polynomial over dim names, or an
    opaque `floordiv(...)`/`min(...)` atom) for each dynamic (`?`) dim of the
    type, in order. `getSymbolicDims(Type)` reads dims through it.
  }];
  let methods = [
    InterfaceMethod<[{
        The expression of each dynamic dim, in order, as string attributes.
      }],
      "::mlir::ArrayAttr", "getDynamicDimExprs", (ins), [{
        return $_attr.getExprs();
      }]>,
  ];
}

#endif // TFPERF_DIM_EXPRS_ENCODING_ATTR_INTERFACE_TD
