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

//===----------------------------------------------------------------------===//
// The analysis configuration
//===----------------------------------------------------------------------===//

// Parameters that print and parse as `[a, b]` (an empty list included) and
// `true`/`false`; the helpers are declared in TFPerfAttrs.h.
class TFPerf_IntListParameter<string desc>
    : ArrayRefParameter<"int64_t", desc> {
  let printer = [{ ::mlir::tfperf::printConfigList($_printer, $_self) }];
  let parser = [{ ::mlir::tfperf::parseConfigIntList($_parser) }];
}
class TFPerf_OptionalIntListParameter<string desc>
    : OptionalArrayRefParameter<"int64_t", desc> {
  let printer = [{ ::mlir::tfperf::printConfigList($_printer, $_self) }];
  let parser = [{ ::mlir::tfperf::parseConfigIntList($_parser) }];
}
class TFPerf_StringListParameter<string desc>
    : OptionalArrayRefParameter<"::mlir::StringAttr", desc> {
  let printer = [{ ::mlir::tfperf::printConfigList($_printer, $_self) }];
  let parser = [{ ::mlir::tfperf::parseConfigStringList($_parser) }];
}
class TFPerf_BoolParameter<string desc, string value>
    : DefaultValuedParameter<"bool", value, desc> {
  let printer = [{ $_printer << ($_self ? "true" : "false") }];
  let parser = [{ ::mlir::tfperf::parseConfigBool($_parser) }];
}
// A double as an APFloat (a double has no hash for the attribute storage).
class TFPerf_DoubleParameter<string desc, string value>
    : APFloatParameter<desc> {
  let defaultValue = "::llvm::APFloat(double(" # value # "))";
  let parser = [{ ::mlir::tfperf::parseConfigDouble($_parser) }];
}

def TFPerf_PhasesConfigAttr : TFPerf_Attr<"PhasesConfig", "phases"> {
  let summary = "The transformer phases to analyse (tfperf-analyze-transformer)";
  let description = [{
    The part of `#tfperf.config` that `tfperf-analyze-transformer` writes
    (and `tfperf-suggest-tp`, with its defaults, when the transformer
    analysis did not run): the phases and the sizes they are costed at.
    Parameters equal to their defaults are omitted.

    ```mlir
    transformer = <phase = "decode", batch = 8, kv_len = 4096, devices = 2>
    ```

    - `phase`: `prefill`, `decode` or `both` (default);
    - `batch`, `seq`: batch size and prompt length, 0 (default) for the
      graph's own, at most 2^31 - 1;
    - `kv_len`: tokens in the KV cache for a decode step, the new one
      included; 0 (default) for the prompt length;
    - `devices`: devices whose memory holds weights and KV cache, 1 to
      1000000 (default 1).
  }];
  let parameters = (ins
    StringRefParameter<"prefill, decode or both", "\"both\"">:$phase,
    DefaultValuedParameter<"int64_t", "0", "batch size (0: the graph's)">:$batch,
    DefaultValuedParameter<"int64_t", "0", "prompt length (0: the graph's)">:$seq,
    DefaultValuedParameter<"int64_t", "0", "KV-cache tokens of a decode step (0: the prompt length)">:$kv_len,
    DefaultValuedParameter<"int64_t", "1", "devices for capacity">:$devices);
  let builders = [
    // Every parameter at its default.
    AttrBuilder<(ins), [{ return $_get($_ctxt, "both", 0, 0, 0, 1); }]>,
  ];
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def TFPerf_SymbolicConfigAttr : TFPerf_Attr<"SymbolicConfig", "symbolic"> {
  let summary = "Costs as formulas, and the sweep over them (tfperf-symbolic)";
  let description = [{
    The part of `#tfperf.config` that `tfperf-symbolic` writes: its presence
    asks for the formulas; `sweep` is the grid to evaluate them over
    (docs/Symbolic.md; empty, the default, for none).

    ```mlir
    symbolic = <sweep = "batch=1,8;seq=128..4096*2">
    ```
  }];
  let parameters = (ins StringRefParameter<"sweep grid", "\"\"">:$sweep);
  let assemblyFormat = "`<` struct(params) `>`";
}

def TFPerf_TensorParallelConfigAttr
    : TFPerf_Attr<"TensorParallelConfig", "tensor_parallel"> {
  let summary = "The tensor-parallel degrees to cost (tfperf-suggest-tp)";
  let description = [{
    The part of `#tfperf.config` that `tfperf-suggest-tp` writes: the
    degrees (at least one, each at least 1, sorted, no repeats), the
    micro-batches of the pipeline-parallel comparison (0, the default: one
    per sequence) and the expert-parallel degrees costed with each of them
    on a Mixture-of-Experts graph (none by default; sorted, no repeats).

    ```mlir
    tensor_parallel = <degrees = [1, 2, 4, 8], microbatches = 4, ep = [1, 2, 4]>
    ```
  }];
  let parameters = (ins
    TFPerf_IntListParameter<"tensor-parallel degrees">:$degrees,
    DefaultValuedParameter<"int64_t", "0", "pipeline micro-batches (0: one per sequence)">:$microbatches,
    TFPerf_OptionalIntListParameter<"expert-parallel degrees">:$ep);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def TFPerf_TrainingConfigAttr : TFPerf_Attr<"TrainingConfig", "training"> {
  let summary = "One training step (tfperf-analyze-training)";
  let description = [{
    The part of `#tfperf.config` that `tfperf-analyze-training` writes:
    whether the graph's float inputs need a gradient (default `false`) and
    the bytes of weights, gradients and optimizer state per trainable
    parameter (positive; default 16, mixed-precision Adam), and the options
    of the parallel training step (docs/Training.md#parallel-training).
    Parameters equal to their defaults are omitted.

    ```mlir
    training = <input_requires_grad = true, optimizer_bytes_per_param = 12.0,
                recompute = "selective", sequence_parallel = true, pp = 4,
                pp_schedule = "interleaved", pp_virtual_stages = 2,
                microbatches = 8, dp = 2>
    ```

    - `recompute`: activation recomputation, `none`, `selective` or `full`;
      `""` (default) when none was asked for;
    - `sequence_parallel`: sequence parallelism (default `false`);
    - `dropout`: Megatron-LM's dropouts, which exported graphs leave out:
      on the attention probabilities and on both residual branches
      (default `false`);
    - `pp`: pipeline stages, 1 (default) to 4096;
    - `pp_schedule`: `1f1b` (default) or `interleaved`;
    - `pp_virtual_stages`: model chunks per pipeline device, 1 (default)
      to 1024;
    - `microbatches`: micro-batches per iteration, each the graph's batch,
      1 (default) to 2^20;
    - `dp`: data-parallel replicas, 1 (default) to 2^20.

    How the pipeline options fit together (an interleaved schedule needs
    `pp` and `pp_virtual_stages` of 2 or more, and `microbatches` a
    multiple of `pp`) is checked by the pass that writes them and the
    analysis that reads them.
  }];
  let parameters = (ins
    TFPerf_BoolParameter<"float inputs need a gradient", "false">:$input_requires_grad,
    TFPerf_DoubleParameter<"model-state bytes per parameter", "16">:$optimizer_bytes_per_param,
    StringRefParameter<"activation recomputation (empty: not asked for)", "\"\"">:$recompute,
    TFPerf_BoolParameter<"sequence parallelism", "false">:$sequence_parallel,
    TFPerf_BoolParameter<"Megatron-LM's dropouts", "false">:$dropout,
    DefaultValuedParameter<"int64_t", "1", "pipeline stages">:$pp,
    StringRefParameter<"pipeline schedule", "\"1f1b\"">:$pp_schedule,
    DefaultValuedParameter<"int64_t", "1", "model chunks per pipeline device">:$pp_virtual_stages,
    DefaultValuedParameter<"int64_t", "1", "micro-batches per iteration">:$microbatches,
    DefaultValuedParameter<"int64_t", "1", "data-parallel replicas">:$dp);
  let builders = [
    // The parallel step's options at their defaults.
    AttrBuilder<(ins "bool":$inputRequiresGrad, "double":$optimizerBytesPerParam), [{
      return $_get($_ctxt, inputRequiresGrad, ::llvm::APFloat(optimizerBytesPerParam),
                   "", false, false, 1, "1f1b", 1, 1, 1);
    }]>,
  ];
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def TFPerf_ServingConfigAttr : TFPerf_Attr<"ServingConfig", "serving"> {
  let summary = "The serving study (tfperf-serve)";
  let description = [{
    The part of `#tfperf.config` that `tfperf-serve` writes: the study
    (`--serve` syntax: workload, engine, parallelism; docs/Serving.md) and
    the service level (`--slo` syntax; empty, the default, for none). Both
    are checked when the serving analysis reads them.

    ```mlir
    serving = <spec = "isl=1024,osl=128,concurrency=1..64", slo = "tpot_p90<50ms">
    ```
  }];
  let parameters = (ins
    StringRefParameter<"the study">:$spec,
    StringRefParameter<"the service level", "\"\"">:$slo);
  let assemblyFormat = "`<` struct(params) `>`";
}

def TFPerf_TimingConfigAttr : TFPerf_Attr<"TimingConfig", "timing"> {
  let summary = "What is priced and how (tfperf-roofline's kernels, time-model)";
  let description = [{
    The part of `#tfperf.config` that `tfperf-roofline` writes when its
    `kernels` or `time-model` option differs from the default (absent: the
    defaults): the view the times are summed over, `exported` (every op of
    the graph its own kernel) or `fused` (the kernels of
    `tfperf-fuse-kernels`, docs/Kernels.md), and the time model,
    `roofline` (100% of the datasheet) or `calibrated`
    (docs/TimeModel.md). Parameters equal to their defaults are omitted.

    ```mlir
    timing = <kernels = "fused", time_model = "calibrated">
    ```
  }];
  let parameters = (ins
    StringRefParameter<"exported or fused (default: kDefaultKernelView)", "\"fused\"">:$kernels,
    StringRefParameter<"roofline or calibrated (default: kDefaultTimeModel)", "\"calibrated\"">:$time_model);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def TFPerf_ConfigAttr : TFPerf_Attr<"Config", "config"> {
  let summary = "What the analysis passes were asked to do";
  let description = [{
    The module attribute `tfperf.config`: the analysis passes record their
    options here, and the analyses (`lib/Analysis`) and the report read
    them back, so a pipeline run pass by pass reports the same analysis as
    the driver. `tfperf-roofline` writes the devices and dtypes; the parts
    `transformer`, `symbolic`, `tensor_parallel` and `training` are present
    when the pass that writes them ran. Parameters equal to their defaults
    are omitted.

    ```mlir
    module attributes {tfperf.config = #tfperf.config<
        hw = ["a100-sxm-40gb", "h100-sxm"], compute_dtype = "bf16",
        transformer = <phase = "decode", kv_len = 4096>,
        tensor_parallel = <degrees = [1, 2, 4]>>} {
      ...
    }
    ```

    - `hw`: device names (built-in, or from `hw_file`); empty: the default
      device, or every device of `hw_file`;
    - `hw_file`: a JSON file with more devices (docs/Hardware.md);
    - `compute_dtype`, `weight_dtype`: what-if element types ("" keeps the
      graph's); they are checked when an analysis reads them;
    - `transformer`: `#tfperf.phases`; `symbolic`: `#tfperf.symbolic`;
      `tensor_parallel`: `#tfperf.tensor_parallel`; `training`:
      `#tfperf.training`; `serving`: `#tfperf.serving` (it needs
      `transformer`); `timing`: `#tfperf.timing` (absent: the default
      kernel view and time model).
  }];
  let parameters = (ins
    TFPerf_StringListParameter<"device names">:$hw,
    StringRefParameter<"JSON file with more devices", "\"\"">:$hw_file,
    StringRefParameter<"element type of float activations and weights", "\"\"">:$compute_dtype,
    StringRefParameter<"element type of weights", "\"\"">:$weight_dtype,
    OptionalParameter<"::mlir::tfperf::PhasesConfigAttr">:$transformer,
    OptionalParameter<"::mlir::tfperf::SymbolicConfigAttr">:$symbolic,
    OptionalParameter<"::mlir::tfperf::TensorParallelConfigAttr">:$tensor_parallel,
    OptionalParameter<"::mlir::tfperf::TrainingConfigAttr">:$training,
    OptionalParameter<"::mlir::tfperf::ServingConfigAttr">:$serving,
    OptionalParameter<"::mlir::tfperf::TimingConfigAttr">:$timing);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The configuration of a module that records none.
    static ConfigAttr getDefault(::mlir::MLIRContext *ctx);
    /// A copy with the devices and dtypes replaced.
    ConfigAttr withDevices(::llvm::ArrayRef<::mlir::StringAttr> hw,
                           ::llvm::StringRef hwFile,
                           ::llvm::StringRef computeDtype,
                           ::llvm::StringRef weightDtype) const;
    /// A copy with one part replaced (null removes it).
    ConfigAttr withTransformer(PhasesConfigAttr part) const;
    ConfigAttr withSymbolic(SymbolicConfigAttr part) const;
    ConfigAttr withTensorParallel(TensorParallelConfigAttr part) const;
    ConfigAttr withTraining(TrainingConfigAttr part) const;
    ConfigAttr withServing(ServingConfigAttr part) const;
    ConfigAttr withTiming(TimingConfigAttr part) const;
  }];
}

#endif // TFPERF_ATTRS_TD
