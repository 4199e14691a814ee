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

def TFPerfRouteExperts : Pass<"tfperf-route-experts", "func::FuncOp"> {
  let summary = "Size the routed experts of a plain Mixture-of-Experts graph";
  let description = [{
    In a Mixture-of-Experts export of plain ops (router GEMM -> softmax or
    sigmoid -> TopK, per expert a NonZero over the picked indices that
    gathers its tokens), each expert's token count is data-dependent: the
    symbol `nnz_<node>`. With `routing=balanced` (the default), every
    selection gets its balanced share of the T k (token, expert) pairs of its
    mask: expert i of E gets floor((T k + i) / E), T k / E on average and
    exactly T k in total (the selection is marked with
    `tfperf.routed_experts` and `tfperf.routed_expert`), and the shapes are
    re-inferred, so the counts follow the token dims (a decode step's too).
    `routing=none` keeps the symbols. `routing=zipf:<s>` (s >= 0, finite)
    skews the split: expert i's per-token inclusion pi_i is k p_i with p_i
    proportional to (i + 1)^-s, capped at 1 (the excess spread over the
    others), and its count the difference of the rounded cumulative quotas
    of the T k pairs, exactly T k in total; the selections also get
    `tfperf.routed_top_k` and `tfperf.routed_zipf` (s), the routed linears
    and the fused MoE/QMoE ops `tfperf.routed_zipf`. s = 0 is `balanced`.
    `routing=loads:<file>` takes p_i from measured per-expert loads: a text
    file of one line of E non-negative numbers per MoE layer (router or
    fused MoE op) in graph order, or one line for all, normalised per line
    (docs/CostModel.md#measured-expert-loads); the marked ops get
    `tfperf.routed_loads` (p) and `tfperf.routed_model` instead of
    `tfperf.routed_zipf`, and a layer of uniform loads is left `balanced`.
    A file that cannot be read or does not fit the MoE layers is an error.
    Graphs without such routers are left alone.

    ```mlir
    %sel = tfperf.non_zero %mask : (tensor<2x32xi1>) -> tensor<2x?xi64, #tfperf.dims<["nnz_n0"]>>
    // becomes, for expert 3 of 8:
    %sel = tfperf.non_zero %mask {tfperf.routed_expert = 3 : i64, tfperf.routed_experts = 8 : i64} : (tensor<2x32xi1>) -> tensor<2x8xi64>
    ```
  }];
  let options = [
    Option<"routing", "routing", "std::string", /*default=*/"\"balanced\"",
           "Routing model of the routed token counts: balanced, none, "
           "zipf:<s> or loads:<file>">,
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
    `tfperf.config` so that `tfperf-emit-report` reports the same analysis;
    `kernels` and `time-model` go into its `timing` part (the report's
    times, docs/Kernels.md); the annotations stay the per-op roofline.
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
    Option<"kernels", "kernels", "std::string",
           /*default=*/"::mlir::tfperf::kDefaultKernelView.str()",
           "What the report's times are summed over: exported (every op a "
           "kernel) or fused (the kernels of tfperf-fuse-kernels)">,
    Option<"timeModel", "time-model", "std::string",
           /*default=*/"::mlir::tfperf::kDefaultTimeModel.str()",
           "How each kernel is priced: roofline or calibrated "
           "(docs/TimeModel.md)">,
  ];
  // Reads and writes `#tfperf.config`.
  let dependentDialects = ["::mlir::tfperf::TFPerfDialect"];
}

def TFPerfEmitReport : Pass<"tfperf-emit-report", "ModuleOp"> {
  let summary = "Write the analysis report (text, JSON, CSV, Markdown, HTML)";
  let description = [{
    Renders what the analysis passes recorded (`#tfperf.config`) for the
    module: per-op rows, totals per device, time by op type, and the
    sections of the transformer, tensor-parallel, training and symbolic
    analyses when they ran. The report assembles the analyses the pass
    manager caches (built once per invocation); a pass that changes the
    configuration after it invalidates it, so a later report shows the
    new configuration. The file is written only once the whole report is complete
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
  // Reads and writes `#tfperf.config`.
  let dependentDialects = ["::mlir::tfperf::TFPerfDialect"];
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
  // Reads and writes `#tfperf.config`.
  let dependentDialects = ["::mlir::tfperf::TFPerfDialect"];
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
  // Reads and writes `#tfperf.config`.
  let dependentDialects = ["::mlir::tfperf::TFPerfDialect"];
}

def TFPerfSuggestTP : Pass<"tfperf-suggest-tp", "ModuleOp"> {
  let summary = "Suggest a Megatron-style tensor-parallel split of every op";
  let description = [{
    Propagates a tensor-parallel split through the first function, the way
    Megatron-LM shards a transformer (docs/TensorParallel.md): the Q/K/V,
    MLP up/gate projections and the lm-head are split by output columns
    (the blocks come from the transformer structure); every other op's
    split follows from its structure. A linear whose input is split on the
    dim it contracts is row-parallel and is followed by an all-reduce; a
    dim an op keeps stays split (attention then runs on each device's
    heads, fused com.microsoft attention included); an op that would mix
    the shards (softmax or a norm over the split dim) gets an all-gather
    of its input; the token embedding is split by vocabulary rows (an
    all-reduce after it) and the logits are all-gathered. Each op gets:

    - `tfperf.tp`: `column`, `row`, `heads`, `vocab`, `sharded` (runs on
      its slice of a split activation) or `replicated`;
    - `tfperf.tp_units` (when split): the units devices divide, e.g. the
      heads (12), KV heads (4), d_ff (3072) or vocabulary rows; at degree
      t an op with u units runs on min(t, u) distinct shards, so KV heads
      are replicated once t exceeds them;
    - `tfperf.tp_weight_dim` (column, row, vocab): the split dim of the
      weight operand (column: its output dim; row: the contracted one);
    - `tfperf.tp_collective`: `all_reduce` or `all_gather` after the op;
    - `tfperf.tp_gather`: why an all-gather precedes the op, if one does.

    With `tp`, the module attribute `tfperf.tensor_parallel` lists each
    degree as `{tp, feasible, reason}` (e.g. 12 heads reject t = 5; 4 KV
    heads at t = 8 are replicated, with `kv_replicas = 2`), and the degrees
    go into `tfperf.config` so that `tfperf-emit-report` costs each one:
    per-device weights, KV cache and capacity, FLOPs, bytes and time of
    prefill and decode, the collectives' volume and ring time over the
    device's link, a recommended degree and a pipeline-parallel comparison.

    ```mlir
    %3 = tfperf.matmul %2, %w {tfperf.tp = "column", tfperf.tp_units = 36 : i64,
                               tfperf.tp_weight_dim = 1 : i64} : ...
    %9 = tfperf.matmul %8, %w2 {tfperf.tp = "row", tfperf.tp_collective = "all_reduce",
                                tfperf.tp_units = 12 : i64, tfperf.tp_weight_dim = 0 : i64} : ...
    ```

    With `ep` on a Mixture-of-Experts graph, each expert-parallel degree is
    costed with each tensor-parallel degree (t = 1 alone without `tp`):
    E / ep routed experts per device, two all-to-alls (dispatch, combine)
    per MoE layer (docs/TensorParallel.md#expert-parallelism); on a dense
    graph `ep` is a no-op and the report says so.

    Fails on a degree below 1, an expert-parallel degree above 65536, and
    one that does not divide a MoE block's routed experts.
  }];
  let options = [
    ListOption<"tp", "tp", "int64_t",
               "Tensor-parallel degrees to cost (e.g. 1,2,4,8)">,
    ListOption<"ep", "ep", "int64_t",
               "Expert-parallel degrees of a Mixture-of-Experts graph to cost with each tp degree (e.g. 1,2,4,8)">,
    Option<"microbatches", "pp-microbatches", "int64_t", /*default=*/"0",
           "Micro-batches of the pipeline-parallel comparison (0: one per sequence)">,
  ];
  // Reads and writes `#tfperf.config`.
  let dependentDialects = ["::mlir::tfperf::TFPerfDialect"];
}

def TFPerfAnalyzeTraining : Pass<"tfperf-analyze-training", "ModuleOp"> {
  let summary = "Cost one training step: backward per op, activations, model state";
  let description = [{
    Decides which values carry gradients (weights, graph inputs with
    `input-requires-grad`, everything that depends on them differentiably
    and that a graph output depends on), asks every op on that path for its
    backward kernels and the tensors it keeps (`CostOpInterface`'s
    `computeBackwardCost`), and annotates each such op with

    - `tfperf.bwd_ops`: the kernels, e.g. `["dA = dY B^T", "dB = A^T dY"]`
      (a first linear whose input needs no gradient has no `dA`),
    - `tfperf.bwd_flops`, `tfperf.bwd_gemm_flops` (when non-zero),
      `tfperf.bwd_bytes`: as `tfperf-annotate-cost` counts the forward,
    - `tfperf.saved_bytes`: bytes of the activations this op is the first
      to keep for the backward pass (a tensor kept by several ops counts
      once; weights and constants cost none),

    or `tfperf.bwd = "unknown"` and a remark when its backward is unknown
    (never 0). The module gets `tfperf.training` with the totals
    (forward and backward FLOPs and GEMM FLOPs, activation bytes,
    trainable parameters), and `tfperf.config` the options, from which
    `tfperf-emit-report` derives the training section: step time on the
    roofline, activations per layer with and without full recomputation,
    gradients and optimizer state, FLOPs per token against 6·N, and
    Korthikanti et al.'s activation formula (docs/Training.md).

    ```mlir
    // x needs no gradient: the first linear computes dW and db, no dX.
    %h = tfperf.gemm %x, %w1, %b1 {tfperf.bwd_bytes = 1216 : i64,
         tfperf.bwd_flops = 1072 : i64, tfperf.bwd_gemm_flops = 1024 : i64,
         tfperf.bwd_ops = ["dW = X^T dY", "db = sum dY"],
         tfperf.saved_bytes = 128 : i64, transB = 1 : i64}
         : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<4x16xf32>
    ```

    With `recompute`, `sequence-parallel`, `dropout`, `pp` or `dp` above 1 (or a
    tensor-parallel degree above 1 from `tfperf-suggest-tp`), the report
    also gets the parallel training step per device: TP collectives in
    forward and backward, recomputation, the pipeline schedule and bubble,
    the data-parallel gradient all-reduce, and activation memory per device
    (docs/Training.md#parallel-training).

    Fails when `optimizer-bytes-per-param` is not positive or is above 1024
    bytes, or the parallel options are out of range.
  }];
  let options = [
    Option<"inputRequiresGrad", "input-requires-grad", "bool",
           /*default=*/"false",
           "The graph's float inputs need a gradient too">,
    Option<"optimizerBytesPerParam", "optimizer-bytes-per-param", "double",
           /*default=*/"16",
           "Bytes of weights, gradients and optimizer state per trainable parameter">,
    Option<"computeDtype", "compute-dtype", "std::string", /*default=*/"",
           "Element type for float activations and weights">,
    Option<"weightDtype", "weight-dtype", "std::string", /*default=*/"",
           "Element type for weights only">,
    Option<"recompute", "recompute", "std::string", /*default=*/"",
           "Activation recomputation of the parallel step: none, selective, full">,
    Option<"sequenceParallel", "sequence-parallel", "bool", /*default=*/"false",
           "Sequence parallelism in the parallel step">,
    Option<"dropout", "dropout", "bool", /*default=*/"false",
           "Megatron-LM's dropouts in the parallel step (attention "
           "probabilities, residual branches)">,
    Option<"pp", "pp", "int64_t", /*default=*/"1", "Pipeline stages">,
    Option<"ppSchedule", "pp-schedule", "std::string", /*default=*/"\"1f1b\"",
           "Pipeline schedule: 1f1b or interleaved">,
    Option<"ppVirtualStages", "pp-virtual-stages", "int64_t", /*default=*/"1",
           "Model chunks per pipeline device (interleaved schedule)">,
    Option<"microbatches", "microbatches", "int64_t", /*default=*/"0",
           "Micro-batches per iteration, each the graph's batch (0: one)">,
    Option<"dp", "dp", "int64_t", /*default=*/"1", "Data-parallel replicas">,
    Option<"kernels", "kernels", "std::string",
           /*default=*/"::mlir::tfperf::kDefaultKernelView.str()",
           "What the report's times are summed over: exported (every op a "
           "kernel) or fused (the kernels of tfperf-fuse-kernels)">,
    Option<"timeModel", "time-model", "std::string",
           /*default=*/"::mlir::tfperf::kDefaultTimeModel.str()",
           "How each kernel is priced: roofline or calibrated "
           "(docs/TimeModel.md)">,
  ];
  // Reads and writes `#tfperf.config`.
  let dependentDialects = ["::mlir::tfperf::TFPerfDialect"];
}

def TFPerfFuseKernels : Pass<"tfperf-fuse-kernels", "ModuleOp"> {
  let summary = "Group the ops into the kernels an optimizing engine runs";
  let description = [{
    Groups the ops of the first function into fused kernels the way XLA and
    TorchInductor fuse (docs/Kernels.md): elementwise, broadcast and
    reduction chains with their producer or consumer (residual add + norm,
    SwiGLU, RoPE), bias/activation epilogues on GEMMs, the attention region
    (Q K^T, scale, mask, softmax, P V) as one flash-attention kernel, views,
    transposes and expands (GQA repeat_kv) folded into their consumers'
    reads, fused com.microsoft ops kept as they are. Shape computations,
    weights and constants belong to no kernel.

    Each op of a kernel gets `tfperf.kernel = "<kernel name>"`; the module
    gets `tfperf.kernels`, one dictionary per kernel with `name`, `class`
    (the time model's: gemm, attention, add, rmsnorm, layernorm, softmax,
    act_silu_mul, act_gelu, rope, gather), `ops` (member node names),
    `flops` (sum of the members) and `bytes` (only what crosses the
    kernel's boundary), and `tfperf.kernel_totals` with the sums and the
    exported view's FLOPs and bytes (of the same, first, function). With
    `hw`, each kernel also carries `time_s` (docs/TimeModel.md's
    calibrated time) and `roofline_s`, and the module
    `tfperf.time_model` says whether the device is calibrated. With
    `view=exported` every costed op except pure views is a kernel of its
    own with its own bytes (the graph as exported), classified and priced
    the same way.

    ```mlir
    // GEMM + bias + GELU: one kernel that reads x, W, b and writes y.
    %h = tfperf.matmul %x, %w {tfperf.kernel = "fc1"} ...
    %a = tfperf.add %h, %b {tfperf.kernel = "fc1"} ...
    %y = tfperf.gelu %a {tfperf.kernel = "fc1"} ...
    ```

    Fails on an unknown device, an invalid hardware file or view. Nothing else
    in the pipeline reads these attributes yet.
  }];
  let options = [
    Option<"view", "view", "std::string", /*default=*/"\"fused\"",
           "fused (the engine's kernels) or exported (every op a kernel)">,
    Option<"mergeSiblings", "merge-siblings", "bool", /*default=*/"false",
           "Merge GEMMs reading the same activation (Q/K/V, gate/up)">,
    Option<"hw", "hw", "std::string", /*default=*/"",
           "Device whose calibrated time each kernel gets (see --list-hw)">,
    Option<"hwFile", "hw-file", "std::string", /*default=*/"",
           "Extra hardware database (JSON, docs/Hardware.md)">,
  ];
}

def TFPerfServe : Pass<"tfperf-serve", "ModuleOp"> {
  let summary = "Simulate serving: continuous batching, TTFT/TPOT, the frontier";
  let description = [{
    Simulates a continuous-batching serving engine (token budget, chunked
    prefill, paged KV blocks with admission and preemption, speculative
    decoding, prefix caching, data-parallel replicas, prefill/decode
    disaggregation) over the graph's own step costs, at every point of the
    study `serve` names (`isl=1024,osl=128,concurrency=1..64,tp=1,2`,
    docs/Serving.md), on the devices `tfperf-roofline` recorded: TTFT,
    TPOT, ITL and end-to-end latency percentiles, tokens/s per GPU and per
    user, KV occupancy, the per-device frontier, and the best configuration
    under `slo` (`ttft_p90<2s,tpot_p90<50ms`). Records itself in
    `tfperf.config` so that `tfperf-emit-report` adds a serving section to
    every report; `serve-out` writes one row per study point (`.csv` or
    `.json`). Needs `tfperf-analyze-transformer` before it. Fails, naming
    the problem, on a bad study or service level, an unreadable trace, a
    graph whose token dims cannot be re-run, or when no device can hold the
    weights and a KV cache.
  }];
  let options = [
    Option<"serve", "serve", "std::string", /*default=*/"",
           "The study: key=value,... (docs/Serving.md)">,
    Option<"slo", "slo", "std::string", /*default=*/"",
           "Service level: e.g. ttft_p90<2s,tpot_p90<50ms">,
    ListOption<"serveOut", "serve-out", "std::string",
               "Files for the study's rows (.csv or .json)">,
  ];
  let dependentDialects = ["::mlir::tfperf::TFPerfDialect"];
}

#endif // TFPERF_TRANSFORMS_PASSES_TD
