//===- TFPerfOpsIndexing.td - indexing and routing ops -----*- tablegen -*-===//
//
// The ops of Mixture-of-Experts routing and masking in plain exports:
// selections (TopK, NonZero), element gathers and scatters, cumulative sums,
// one-hot and triangular masks. NonZero's count is data-dependent: a named
// symbol. Included by TFPerfOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_OPS_INDEXING_TD
#define TFPERF_OPS_INDEXING_TD

def TFPerf_TriluOp : TFPerf_PureOp<"trilu",
    [TFPerf_ONNXName<"Trilu">, TFPerf_DataMovement]> {
  let summary = "ONNX Trilu: the upper or lower triangle of the last two dims";
  let arguments = (ins AnyTensor:$input, Optional<AnyTensor>:$k,
                   DefaultValuedAttr<TFPerf_I64Attr, "1">:$upper);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$input (`,` $k^)? attr-dict `:` functional-type(operands, results)";
}

def TFPerf_NonZeroOp : TFPerf_PureOp<"non_zero",
    [TFPerf_ONNXName<"NonZero">, TFPerf_DataMovement]> {
  let summary = "ONNX NonZero: indices of the non-zero elements, [rank, nnz]";
  let description = [{
    `nnz` depends on the data: it is the symbol `nnz_<node name>`, at most
    the input's element count (a cost that depends on it is symbolic).
  }];
  let arguments = (ins AnyTensor:$input);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def TFPerf_TopKOp : TFPerf_PureOp<"top_k",
    [TFPerf_ONNXName<"TopK">, TFPerf_DataMovement]> {
  let summary = "ONNX TopK: the k largest (or smallest) along `axis` and their indices";
  let arguments = (ins AnyTensor:$input, AnyTensor:$k,
                   DefaultValuedAttr<TFPerf_I64Attr, "-1">:$axis,
                   DefaultValuedAttr<TFPerf_I64Attr, "1">:$largest,
                   DefaultValuedAttr<TFPerf_I64Attr, "1">:$sorted);
  let results = (outs AnyTensor:$values, AnyTensor:$indices);
  let assemblyFormat = "$input `,` $k attr-dict `:` functional-type(operands, results)";
}

def TFPerf_GatherElementsOp : TFPerf_PureOp<"gather_elements",
    [TFPerf_ONNXName<"GatherElements">, TFPerf_DataMovement]> {
  let summary = "ONNX GatherElements: data[..., indices[i], ...] along `axis`; the indices' shape";
  let arguments = (ins AnyTensor:$data, AnyTensor:$indices,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$axis);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$data `,` $indices attr-dict `:` functional-type(operands, results)";
}

def TFPerf_GatherNDOp : TFPerf_PureOp<"gather_nd",
    [TFPerf_ONNXName<"GatherND">, TFPerf_DataMovement]> {
  let summary = "ONNX GatherND: slices of `data` at index tuples";
  let arguments = (ins AnyTensor:$data, AnyTensor:$indices,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$batch_dims);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$data `,` $indices attr-dict `:` functional-type(operands, results)";
}

// ScatterND and ScatterElements: `updates` written into `data` at
// `indices` (combined by `reduction`); the result has data's shape.
class TFPerf_ScatterOp<string mnemonic, string onnxName, string what>
    : TFPerf_PureOp<mnemonic, [TFPerf_ONNXName<onnxName>, TFPerf_DataMovement]> {
  let summary = "ONNX " # onnxName # ": " # what;
  let description = [{
    Runtimes scatter in place: only the updates (and indices) move.
  }];
  let arguments = (ins AnyTensor:$data, AnyTensor:$indices, AnyTensor:$updates,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$axis,
                   DefaultValuedAttr<StrAttr, "\"none\"">:$reduction);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$data `,` $indices `,` $updates attr-dict `:` functional-type(operands, results)";
}
def TFPerf_ScatterNDOp : TFPerf_ScatterOp<"scatter_nd", "ScatterND",
    "writes update slices at index tuples">;
def TFPerf_ScatterElementsOp : TFPerf_ScatterOp<"scatter_elements",
    "ScatterElements", "writes update elements along `axis`">;

def TFPerf_CumSumOp : TFPerf_PureOp<"cum_sum",
    [TFPerf_ONNXName<"CumSum">, TFPerf_ElementwiseMath]> {
  let summary = "ONNX CumSum: running sums along the axis input";
  let arguments = (ins AnyTensor:$x, AnyTensor:$axis,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$exclusive,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$reverse);
  let results = (outs AnyTensor:$y);
  let assemblyFormat = "$x `,` $axis attr-dict `:` functional-type(operands, results)";
}

def TFPerf_OneHotOp : TFPerf_PureOp<"one_hot",
    [TFPerf_ONNXName<"OneHot">, TFPerf_DataMovement]> {
  let summary = "ONNX OneHot: a `depth`-long on/off vector per index, inserted at `axis`";
  let arguments = (ins AnyTensor:$indices, AnyTensor:$depth, AnyTensor:$values,
                   DefaultValuedAttr<TFPerf_I64Attr, "-1">:$axis);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$indices `,` $depth `,` $values attr-dict `:` functional-type(operands, results)";
}

#endif // TFPERF_OPS_INDEXING_TD
