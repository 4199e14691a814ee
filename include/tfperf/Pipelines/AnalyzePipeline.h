//===- AnalyzePipeline.h - the tfperf-analyze pass pipeline -----*- C++ -*-===//
//
// The whole analysis as one registered pass pipeline (the model of MLIR's
// sparsifier pipeline and CIRCT's firtool library): AnalyzeOptions holds
// every analysis option, validateAnalyzeOptions checks them before any IR is
// read, and populateAnalyzePipeline appends the tfperf-* passes they ask
// for. The drivers (tfperf, tfperf-opt's analysis flags) and
// `--tfperf-analyze='...'` all go through these three.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_PIPELINES_ANALYZEPIPELINE_H
#define TFPERF_PIPELINES_ANALYZEPIPELINE_H

#include "mlir/IR/OpImplementation.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfAttrs.h"

#include "mlir/Pass/PassOptions.h"
#include "mlir/Support/LLVM.h"

#include "tfperf/Pipelines/PipelineEnums.h.inc"

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace mlir::tfperf {

/// A format a report can be written in ("auto" is not one).
std::optional<ReportFormat> parseReportFormat(llvm::StringRef name);

/// The help of `--kernels` and `--time-model` (flags and pipeline options).
constexpr const char *kKernelsHelp =
    "What the times are summed over: fused (the default: the kernels an "
    "optimizing engine runs; docs/Kernels.md) or exported (every op of the "
    "graph a kernel)";
constexpr const char *kTimeModelHelp =
    "How each kernel is priced: calibrated (the default; docs/TimeModel.md; "
    "the roofline is still shown as the bound) or roofline (100% of the "
    "datasheet)";

/// The help of `--moe-routing` (flag and pipeline option).
inline constexpr const char *kMoERoutingHelp =
    "Routing model of plain Mixture-of-Experts graphs' routed token counts: "
    "balanced (the default: tokens x top_k / experts each), none (they stay "
    "symbols), zipf:<s> (expert i's popularity falls as (i+1)^-s; s >= 0, "
    "0 is balanced) or loads:<file> (measured per-expert loads: one line of "
    "E numbers per MoE layer in graph order, or one for all; "
    "docs/CostModel.md)";

struct AnalyzeOptions : public PassPipelineOptions<AnalyzeOptions> {
  PassOptions::Option<std::string> hw{
      *this, "hw",
      llvm::cl::desc("Device(s) for the roofline, comma-separated (default "
                     "h100-sxm, or every device of hw-file)")};
  PassOptions::Option<std::string> hwFile{
      *this, "hw-file", llvm::cl::desc("JSON file with more devices")};
  PassOptions::Option<std::string> computeDtype{
      *this, "compute-dtype",
      llvm::cl::desc("What-if element type of float activations and "
                     "weights, and the peak to use: bf16, fp16, fp32, tf32, "
                     "fp8")};
  PassOptions::Option<std::string> weightDtype{
      *this, "weight-dtype",
      llvm::cl::desc("What-if element type of weights only: int8, int4, "
                     "fp8, fp4, nf4, bf16, fp16, fp32")};
  PassOptions::Option<std::string> kernels{
      *this, "kernels", llvm::cl::desc(kKernelsHelp),
      llvm::cl::init(kDefaultKernelView.str())};
  PassOptions::Option<std::string> timeModel{
      *this, "time-model", llvm::cl::desc(kTimeModelHelp),
      llvm::cl::init(kDefaultTimeModel.str())};
  PassOptions::Option<std::string> moeRouting{
      *this, "moe-routing", llvm::cl::desc(kMoERoutingHelp),
      llvm::cl::init("balanced")};
  PassOptions::ListOption<std::string> reports{
      *this, "report",
      llvm::cl::desc("Report files (format from the extension: .txt .json "
                     ".csv .md .html; - is stdout)")};
  PassOptions::Option<ReportFormat> reportFormat{
      *this, "report-format",
      llvm::cl::desc("Format of every report file regardless of its "
                     "extension"),
      llvm::cl::init(ReportFormat::FromExtension),
      llvm::cl::values(
          clEnumValN(ReportFormat::FromExtension, "auto",
                     "from each file's extension"),
          clEnumValN(ReportFormat::Text, "text", "plain text"),
          clEnumValN(ReportFormat::JSON, "json",
                     "JSON (docs/report-schema.json)"),
          clEnumValN(ReportFormat::CSV, "csv", "one row per op"),
          clEnumValN(ReportFormat::Markdown, "md", "Markdown"),
          clEnumValN(ReportFormat::HTML, "html",
                     "one self-contained page with charts"))};
  PassOptions::Option<bool> summary{
      *this, "summary",
      llvm::cl::desc("Print the text report to stdout besides the report "
                     "and sweep-out files (without any, it is printed "
                     "anyway)"),
      llvm::cl::init(false)};
  PassOptions::Option<AnalysisPhase> phase{
      *this, "phase", llvm::cl::desc("Transformer phases to analyse"),
      llvm::cl::init(AnalysisPhase::Both),
      llvm::cl::values(
          clEnumValN(AnalysisPhase::Prefill, "prefill", "the prompt"),
          clEnumValN(AnalysisPhase::Decode, "decode",
                     "one token with a KV cache"),
          clEnumValN(AnalysisPhase::Both, "both", "prefill and decode"))};
  PassOptions::Option<int64_t> batch{
      *this, "batch", llvm::cl::desc("Batch size (default: the graph's)"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> seq{
      *this, "seq",
      llvm::cl::desc("Prompt length for prefill (default: the graph's)"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> kvLen{
      *this, "kv-len",
      llvm::cl::desc("Tokens in the KV cache for a decode step, the new "
                     "one included (default: the prompt length)"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> devices{
      *this, "devices",
      llvm::cl::desc("Devices whose memory holds the weights and KV cache"),
      llvm::cl::init(1)};
  PassOptions::ListOption<int64_t> tp{
      *this, "tp",
      llvm::cl::desc("Tensor-parallel degrees to cost (e.g. 1,2,4,8)")};
  PassOptions::ListOption<int64_t> ep{
      *this, "ep",
      llvm::cl::desc("Expert-parallel degrees of a Mixture-of-Experts graph "
                     "to cost with each tp degree (e.g. 1,2,4,8)")};
  PassOptions::Option<int64_t> ppMicrobatches{
      *this, "pp-microbatches",
      llvm::cl::desc("Micro-batches of the pipeline-parallel comparison "
                     "(default: one per sequence of the batch)"),
      llvm::cl::init(0)};
  PassOptions::Option<AnalysisMode> mode{
      *this, "mode", llvm::cl::desc("What one step is"),
      llvm::cl::init(AnalysisMode::Infer),
      llvm::cl::values(
          clEnumValN(AnalysisMode::Infer, "infer", "a forward pass"),
          clEnumValN(AnalysisMode::Train, "train",
                     "forward, backward and optimizer step"))};
  PassOptions::Option<bool> inputRequiresGrad{
      *this, "input-requires-grad",
      llvm::cl::desc("With mode=train: the graph's float inputs need a "
                     "gradient too"),
      llvm::cl::init(false)};
  PassOptions::Option<double> optimizerBytesPerParam{
      *this, "optimizer-bytes-per-param",
      llvm::cl::desc("With mode=train: bytes of weights, gradients and "
                     "optimizer state per trainable parameter"),
      llvm::cl::init(16)};
  PassOptions::Option<std::string> recompute{
      *this, "recompute",
      llvm::cl::desc("With mode=train: activation recomputation of the "
                     "parallel step: none, selective or full")};
  PassOptions::Option<bool> sequenceParallel{
      *this, "sequence-parallel",
      llvm::cl::desc("With mode=train: sequence parallelism (norms and "
                     "dropouts split by tokens, reduce-scatter/all-gather)"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> dropout{
      *this, "dropout",
      llvm::cl::desc("With mode=train: Megatron-LM's dropouts in the parallel "
                     "step (attention probabilities, residual branches)"),
      llvm::cl::init(false)};
  PassOptions::Option<int64_t> pp{
      *this, "pp",
      llvm::cl::desc("With mode=train: pipeline stages of the training step"),
      llvm::cl::init(1)};
  PassOptions::Option<std::string> ppSchedule{
      *this, "pp-schedule",
      llvm::cl::desc("With mode=train: pipeline schedule, 1f1b or "
                     "interleaved"),
      llvm::cl::init("1f1b")};
  PassOptions::Option<int64_t> ppVirtualStages{
      *this, "pp-virtual-stages",
      llvm::cl::desc("With mode=train: model chunks per pipeline device "
                     "(interleaved schedule)"),
      llvm::cl::init(1)};
  PassOptions::Option<int64_t> dp{
      *this, "dp",
      llvm::cl::desc("With mode=train: data-parallel replicas"),
      llvm::cl::init(1)};
  PassOptions::Option<unsigned> top{
      *this, "top", llvm::cl::desc("Rows in the text report's top-ops table"),
      llvm::cl::init(15)};
  PassOptions::Option<bool> showShapeOps{
      *this, "show-shape-ops",
      llvm::cl::desc("List shape-computation ops in the text report's "
                     "tables"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> symbolic{
      *this, "symbolic",
      llvm::cl::desc("Costs as formulas in the graph's symbolic dims"),
      llvm::cl::init(false)};
  PassOptions::Option<std::string> sweep{
      *this, "sweep",
      llvm::cl::desc("Evaluate the formulas over a grid (implies symbolic): "
                     "name=values;... e.g. {batch=1,8;seq=128..4096*2}")};
  PassOptions::ListOption<std::string> sweepOut{
      *this, "sweep-out",
      llvm::cl::desc("Sweep table files (.csv or .json)")};
  PassOptions::Option<std::string> serve{
      *this, "serve",
      llvm::cl::desc("Simulate serving: key=value,... e.g. "
                     "{isl=1024,osl=128,concurrency=1..64} (docs/Serving.md)")};
  PassOptions::Option<std::string> slo{
      *this, "slo",
      llvm::cl::desc("Service level of --serve: e.g. {ttft_p90<2s,tpot_p90<50ms}")};
  PassOptions::ListOption<std::string> serveOut{
      *this, "serve-out",
      llvm::cl::desc("Serving study files, a row per point (.csv or .json)")};

  /// The format of report file `file` (Text for `-`), or nullopt when the
  /// extension tells none.
  std::optional<ReportFormat> formatOf(llvm::StringRef file) const;
  bool symbolicRequested() const {
    return symbolic || !sweep.empty() || !sweepOut.empty();
  }
};

/// Checks every option against what the analyses accept (dtypes, devices,
/// report formats and extensions, sizes, the sweep's syntax, tp degrees,
/// training options) before any IR is read. Each problem is reported
/// through `emitError`, in the drivers' flag spelling (`--phase ...`);
/// returns failure after the first.
LogicalResult
validateAnalyzeOptions(const AnalyzeOptions &options,
                       function_ref<void(const Twine &)> emitError);

/// Appends the analysis passes `options` ask for to `pm` (on builtin.module):
/// costs, roofline, transformer phases, then tensor parallelism, symbolic
/// costs and training when asked, then the reports. `options` must have
/// passed validateAnalyzeOptions.
void populateAnalyzePipeline(OpPassManager &pm, const AnalyzeOptions &options);

/// Registers `--tfperf-analyze='option=value ...'`, which validates its
/// options when the pipeline is parsed and then populates it.
void registerAnalyzePipeline();

} // namespace mlir::tfperf

#endif // TFPERF_PIPELINES_ANALYZEPIPELINE_H
