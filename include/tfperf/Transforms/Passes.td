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

def TFPerfAnnotateCost : Pass<"tfperf-annotate-cost"> {
  let summary = "Annotate every op with its FLOPs and bytes";
  let description = [{
    Computes each op's cost through `CostOpInterface` (tfperf ops and the
    upstream ops with external models) and attaches:

    - `tfperf.flops`: FLOPs (1 multiply-add = 2 FLOPs),
    - `tfperf.gemm_flops`: the matmul-like part, when non-zero,
    - `tfperf.bytes`: every input read plus every output written, at each
      value's element size (or `compute-dtype` / `weight-dtype`).

    Values are integers, or strings for symbolic costs (`"24*batch*seq"`)
    and for `"overflow"`. An op whose cost is unknown (a custom op, an
    unknown shape) gets `tfperf.cost = "unknown"` and a remark saying why;
    the pass never fails on it.

    ```mlir
    %0 = tfperf.matmul %x, %w {tfperf.bytes = 28672 : i64,
         tfperf.flops = 65536 : i64, tfperf.gemm_flops = 65536 : i64} : ...
    ```
  }];
  let options = [
    Option<"computeDtype", "compute-dtype", "std::string", /*default=*/"",
           "Element type for float activations and weights (bf16, fp16, fp32, tf32, fp8)">,
    Option<"weightDtype", "weight-dtype", "std::string", /*default=*/"",
           "Element type for weights only (int8, int4, fp8, fp4, ...)">,
  ];
}

def TFPerfRoofline : Pass<"tfperf-roofline", "ModuleOp"> {
  let summary = "Classify every op on a device's roofline";
  let description = [{
    For each op with a known cost: arithmetic intensity = FLOPs / bytes,
    roofline time = max(FLOPs / peak, bytes / bandwidth) (matmul FLOPs at
    the device's tensor peak for the op's dtype, other FLOPs at its vector
    peak) and the bound (`"memory"` when the memory time dominates,
    `"compute"` otherwise, `"unknown"` when the cost is). Attaches
    `tfperf.intensity`, `tfperf.time` (seconds) and `tfperf.bound` for the
    first device; with several devices `tfperf.roofline` holds a dictionary
    per device. The configuration is recorded in the module's
    `tfperf.config` so that `tfperf-emit-report` reports the same analysis.
  }];
  let options = [
    Option<"hw", "hw", "std::string", /*default=*/"\"h100-sxm\"",
           "Comma-separated device names (see --list-hw)">,
    Option<"hwFile", "hw-file", "std::string", /*default=*/"",
           "JSON file with more devices (docs/Hardware.md)">,
    Option<"computeDtype", "compute-dtype", "std::string", /*default=*/"",
           "Element type for float activations and weights">,
    Option<"weightDtype", "weight-dtype", "std::string", /*default=*/"",
           "Element type for weights only">,
  ];
}

def TFPerfEmitReport : Pass<"tfperf-emit-report", "ModuleOp"> {
  let summary = "Write the analysis report (text, JSON, CSV, Markdown, HTML)";
  let description = [{
    Renders what the analysis passes recorded (`tfperf.config`) for the
    module: per-op rows, totals per device, time by op type, and the
    sections of the transformer, tensor-parallel and training analyses when
    they ran. The file is written only once the whole report is complete
    (never a partial file in place of a good one); `-` is stdout. The IR is
    not changed.
  }];
  let options = [
    Option<"format", "format", "std::string", /*default=*/"\"text\"",
           "text, json, csv, md or html">,
    Option<"outputFile", "output-file", "std::string", /*default=*/"\"-\"",
           "Where to write the report (- for stdout)">,
    Option<"top", "top", "unsigned", /*default=*/"15",
           "Rows in the text report's top-ops table">,
    Option<"showShapeOps", "show-shape-ops", "bool", /*default=*/"false",
           "List shape-computation ops in the text report's tables">,
  ];
}

def TFPerfAnalyzeTransformer : Pass<"tfperf-analyze-transformer", "ModuleOp"> {
  let summary = "Recognise the transformer: layers, blocks, dims, phases, KV cache";
  let description = [{
    Recognises attention (Q K^T -> softmax -> P V, or fused com.microsoft
    attention), MLPs (gated too), norms (explicit or decomposed),
    embeddings, the head and the repeating layer from the dataflow alone,
    and tags every op with `tfperf.layer` (absent outside the layers) and
    `tfperf.block` (`embedding`, `attention`, `attention_scores`, `mlp`,
    `norm`, `head`, `other`); attention cores also get `tfperf.attention`
    (`self`, `cross`, `spatial_self`, `temporal_self`). The model's dims go
    into the module attribute `tfperf.transformer`, and the phase options
    into `tfperf.config`, from which `tfperf-emit-report` derives the
    prefill and decode phases, the KV cache, capacity and the
    attention/MLP crossover (docs/TransformerAnalysis.md).

    ```mlir
    %s = tfperf.softmax %x {tfperf.block = "attention_scores", tfperf.layer = 3 : i64} : ...
    ```
  }];
  let options = [
    Option<"phase", "phase", "std::string", /*default=*/"\"both\"",
           "prefill, decode or both">,
    Option<"batch", "batch", "int64_t", /*default=*/"0",
           "Batch size (0: the graph's)">,
    Option<"seq", "seq", "int64_t", /*default=*/"0",
           "Prompt length for prefill (0: the graph's)">,
    Option<"kvLen", "kv-len", "int64_t", /*default=*/"0",
           "Tokens in the KV cache for decode, the new one included (0: the prompt length)">,
    Option<"devices", "devices", "int64_t", /*default=*/"1",
           "Devices whose memory holds weights and KV cache (capacity)">,
  ];
}

def TFPerfSymbolic : Pass<"tfperf-symbolic", "ModuleOp"> {
  let summary = "Costs as formulas in the graph's symbols; sweeps over them";
  let description = [{
    Keeps the costs of a dynamic graph symbolic: every op's FLOPs, GEMM
    FLOPs and bytes are exact polynomials in the graph's dim_params
    (`batch`, `seq`, `past_seq_len`, ...), and so are the totals and the
    per-layer, per-block sums (with the transformer structure). The
    attention/MLP crossover is solved from the formulas. Records itself in
    `tfperf.config` so that `tfperf-emit-report` adds the formulas to every
    report (JSON: `formula` objects per op and in `totals`, and a
    `symbolic` section; docs/Symbolic.md).

    With `sweep`, the formulas (not the graph) are evaluated at every point
    of a grid, e.g. `batch=1,8,64;seq=128..32768*2;hw=a100-sxm-40gb,h100-sxm`
    (roofline time per group of identical ops, summed), and `sweep-out`
    writes the table (`.csv` or `.json`, by extension). The devices and
    dtypes are those `tfperf-roofline` recorded. Fails on a sweep the graph
    cannot honour (an unknown axis, a symbol no axis sets), naming it.

    ```
    tfperf-opt gpt2_dynamic.onnx --tfperf-annotate-cost --tfperf-roofline \
      --tfperf-symbolic='sweep="batch=1,8;seq=128..4096*2" sweep-out=t.csv'
    ```
  }];
  let options = [
    Option<"sweep", "sweep", "std::string", /*default=*/"",
           "Grid to evaluate the formulas over: name=values;... (docs/Symbolic.md)">,
    ListOption<"sweepOut", "sweep-out", "std::string",
               "Files for the sweep table (.csv or .json)">,
  ];
}

#endif // TFPERF_TRANSFORMS_PASSES_TD
