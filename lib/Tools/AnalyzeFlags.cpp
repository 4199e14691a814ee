//===- AnalyzeFlags.cpp - the command-line flags of the tfperf tools ------===//
//
// Flags are strings where their values need a message of their own
// (`--phase must be prefill, decode or both, got 'x'`); the mapping turns
// them into AnalyzeOptions' enums, and validateAnalyzeOptions checks the
// rest, so the tools and `--tfperf-analyze` accept the same values.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Tools/AnalyzeFlags.h"
#include "tfperf/Analysis/Hardware.h"
#include "tfperf/Report/Report.h"
#include "tfperf/Target/ONNX/ModelFile.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"

using namespace mlir;
using namespace mlir::tfperf;

namespace cl = llvm::cl;

cl::OptionCategory &mlir::tfperf::getImportFlagsCategory() {
  static cl::OptionCategory category("tfperf import options");
  return category;
}
cl::OptionCategory &mlir::tfperf::getAnalysisFlagsCategory() {
  static cl::OptionCategory category("tfperf analysis options");
  return category;
}
cl::OptionCategory &mlir::tfperf::getReportFlagsCategory() {
  static cl::OptionCategory category("tfperf report options");
  return category;
}

static cl::OptionCategory &clImport = getImportFlagsCategory();
static cl::OptionCategory &clAnalysis = getAnalysisFlagsCategory();
static cl::OptionCategory &clReports = getReportFlagsCategory();

static cl::opt<std::string> clBindDims(
    "bind-dims",
    cl::desc("Bind symbolic dims (ONNX dim_params) to values: "
             "name=value,... (e.g. batch_size=1,seq_len=128)"),
    cl::init(""), cl::cat(clImport));
static cl::opt<bool> clValueNames(
    "onnx-value-names",
    cl::desc("Record each op's ONNX output names as tfperf.onnx_outputs"),
    cl::init(false), cl::cat(clImport));

static cl::opt<bool> clAnalyzeRoofline(
    "analyze-roofline",
    cl::desc("Annotate every op with FLOPs, bytes, intensity and roofline "
             "time, and print a summary"),
    cl::init(false), cl::cat(clAnalysis));
static cl::opt<std::string>
    clHw("hw", cl::desc("Device(s) for the roofline, comma-separated "
                        "(default h100-sxm; see --list-hw)"),
         cl::init(""), cl::cat(clAnalysis));
static cl::opt<std::string>
    clHwFile("hw-file", cl::desc("JSON file with more devices"), cl::init(""),
             cl::cat(clAnalysis));
static cl::opt<bool> clListHw("list-hw",
                              cl::desc("List the known devices and exit"),
                              cl::init(false), cl::cat(clAnalysis));
static cl::opt<std::string> clComputeDtype(
    "compute-dtype",
    cl::desc("What-if element type of float activations and weights, and "
             "the peak to use: bf16, fp16, fp32, tf32, fp8"),
    cl::init(""), cl::cat(clAnalysis));
static cl::opt<std::string> clWeightDtype(
    "weight-dtype",
    cl::desc("What-if element type of weights only: int8, int4, fp8, fp4, "
             "nf4, bf16, fp16, fp32"),
    cl::init(""), cl::cat(clAnalysis));
static cl::opt<std::string> clKernels("kernels", cl::desc(kKernelsHelp),
                                      cl::init(""), cl::cat(clAnalysis));
static cl::opt<std::string> clTimeModel("time-model", cl::desc(kTimeModelHelp),
                                        cl::init(""), cl::cat(clAnalysis));
static cl::opt<std::string> clMoERouting("moe-routing",
                                        cl::desc(kMoERoutingHelp),
                                        cl::init(""), cl::cat(clAnalysis));
static cl::opt<std::string> clPhase(
    "phase", cl::desc("Transformer phases to analyse: prefill, decode or both"),
    cl::init(""), cl::cat(clAnalysis));
static cl::opt<int64_t> clBatch("batch", cl::desc("Batch size (default: the graph's)"),
                                cl::init(0), cl::cat(clAnalysis));
static cl::opt<int64_t> clSeq("seq",
                              cl::desc("Prompt length for prefill (default: the graph's)"),
                              cl::init(0), cl::cat(clAnalysis));
static cl::opt<int64_t> clKvLen(
    "kv-len",
    cl::desc("Tokens in the KV cache for a decode step, the new one "
             "included (default: the prompt length)"),
    cl::init(0), cl::cat(clAnalysis));
static cl::opt<int64_t> clDevices(
    "devices",
    cl::desc("Devices whose memory holds the weights and KV cache (capacity)"),
    cl::init(1), cl::cat(clAnalysis));
static cl::list<int64_t> clTP(
    "tp",
    cl::desc("Tensor-parallel degrees to cost, comma-separated (e.g. "
             "--tp=1,2,4,8): Megatron-style splits, collectives, per-device "
             "memory and time, a recommendation and a pipeline-parallel "
             "comparison"),
    cl::CommaSeparated, cl::cat(clAnalysis));
static cl::list<int64_t> clEP(
    "ep",
    cl::desc("Expert-parallel degrees of a Mixture-of-Experts graph, "
             "comma-separated (e.g. --ep=1,2,4,8), each costed with every "
             "--tp degree: E/ep routed experts per device, dispatch and "
             "combine all-to-alls, per-device memory and time and a "
             "recommended EP x TP layout per device count"),
    cl::CommaSeparated, cl::cat(clAnalysis));
static cl::opt<int64_t> clPPMicrobatches(
    "pp-microbatches",
    cl::desc("Micro-batches of the pipeline-parallel comparison (default: "
             "one per sequence of the batch)"),
    cl::init(0), cl::cat(clAnalysis));
static cl::opt<std::string> clMode(
    "mode",
    cl::desc("infer (default) or train: train adds the backward pass, "
             "activation and optimizer memory and the training step time"),
    cl::init("infer"), cl::cat(clAnalysis));
static cl::opt<bool> clInputRequiresGrad(
    "input-requires-grad",
    cl::desc("With --mode=train: the graph's float inputs need a gradient "
             "too (default: they do not, so the first linear has no dX)"),
    cl::init(false), cl::cat(clAnalysis));
static cl::opt<double> clOptimizerBytesPerParam(
    "optimizer-bytes-per-param",
    cl::desc("With --mode=train: bytes of weights, gradients and optimizer "
             "state per trainable parameter (default 16: mixed-precision "
             "Adam)"),
    cl::init(16), cl::cat(clAnalysis));
static cl::opt<std::string> clRecompute(
    "recompute",
    cl::desc("With --mode=train: activation recomputation of the parallel "
             "training step: none, selective (the attention core, Korthikanti "
             "et al.) or full (every layer)"),
    cl::cat(clAnalysis));
static cl::opt<bool> clSequenceParallel(
    "sequence-parallel",
    cl::desc("With --mode=train: sequence parallelism (norms and dropouts "
             "split by tokens; reduce-scatter and all-gather instead of "
             "all-reduce)"),
    cl::init(false), cl::cat(clAnalysis));
static cl::opt<bool> clDropout(
    "dropout",
    cl::desc("With --mode=train: Megatron-LM's dropouts, which exported graphs "
             "leave out (attention probabilities, residual branches)"),
    cl::init(false), cl::cat(clAnalysis));
static cl::opt<int64_t> clPP(
    "pp", cl::desc("With --mode=train: pipeline stages of the training step"),
    cl::init(1), cl::cat(clAnalysis));
static cl::opt<std::string> clPPSchedule(
    "pp-schedule",
    cl::desc("With --mode=train: pipeline schedule, 1f1b (default) or "
             "interleaved"),
    cl::init("1f1b"), cl::cat(clAnalysis));
static cl::opt<int64_t> clPPVirtualStages(
    "pp-virtual-stages",
    cl::desc("With --mode=train: model chunks per pipeline device (the "
             "interleaved schedule)"),
    cl::init(1), cl::cat(clAnalysis));
static cl::opt<int64_t> clDP(
    "dp",
    cl::desc("With --mode=train: data-parallel replicas (gradient "
             "all-reduce)"),
    cl::init(1), cl::cat(clAnalysis));
static cl::opt<bool> clSymbolic(
    "symbolic",
    cl::desc("Costs as formulas in the graph's symbolic dims (dim_params): "
             "per op, totals, per layer and block, the attention/MLP "
             "crossover (docs/Symbolic.md)"),
    cl::init(false), cl::cat(clAnalysis));
static cl::opt<std::string> clSweep(
    "sweep",
    cl::desc("Evaluate the formulas over a grid (implies --symbolic): "
             "name=values;... e.g. batch=1,8,64;seq=128..32768*2;"
             "hw=a100-sxm-40gb,h100-sxm"),
    cl::init(""), cl::cat(clAnalysis));

static cl::opt<std::string> clServe(
    "serve",
    cl::desc("Simulate serving with continuous batching: key=value,... e.g. "
             "isl=1024,osl=128,concurrency=1..64,tp=1,2 (docs/Serving.md)"),
    cl::init(""), cl::cat(clAnalysis));
static cl::opt<std::string> clSLO(
    "slo",
    cl::desc("Service level for --serve's best configuration, e.g. "
             "ttft_p90<2s,tpot_p90<50ms"),
    cl::init(""), cl::cat(clAnalysis));

static cl::list<std::string> clReport(
    "report",
    cl::desc("Write a report to FILE (format from the extension: .txt .json "
             ".csv .md .html; - is stdout); may be repeated"),
    cl::cat(clReports));
static cl::opt<std::string> clReportFormat(
    "report-format",
    cl::desc("Format of --report files regardless of their extension"),
    cl::init(""), cl::cat(clReports));
static cl::opt<unsigned> clTop("top",
                               cl::desc("Rows in the text report's top-ops table"),
                               cl::init(15), cl::cat(clReports));
static cl::opt<bool> clShowShapeOps(
    "show-shape-ops",
    cl::desc("List shape-computation ops in the text report's tables"),
    cl::init(false), cl::cat(clReports));
static cl::list<std::string> clSweepOut(
    "sweep-out",
    cl::desc("Write the sweep table to FILE (.csv or .json); may be repeated"),
    cl::cat(clReports));
static cl::list<std::string> clServeOut(
    "serve-out",
    cl::desc("Write the serving study, a row per point, to FILE (.csv or "
             ".json); may be repeated"),
    cl::cat(clReports));

bool mlir::tfperf::analysisFlagsGiven() {
  // Any mode but the default asks for it (a bad one then fails validation).
  return clAnalyzeRoofline || !clReport.empty() || clSymbolic ||
         !clSweep.empty() || !clSweepOut.empty() || !clTP.empty() || !clEP.empty() ||
         !clServe.empty() || !clSLO.empty() || !clServeOut.empty() ||
         clMode != "infer" || clInputRequiresGrad.getNumOccurrences() ||
         clKernels.getNumOccurrences() || clTimeModel.getNumOccurrences() ||
         clOptimizerBytesPerParam.getNumOccurrences() ||
         clRecompute.getNumOccurrences() ||
         clSequenceParallel.getNumOccurrences() ||
         clDropout.getNumOccurrences() || clPP.getNumOccurrences() ||
         clPPSchedule.getNumOccurrences() ||
         clPPVirtualStages.getNumOccurrences() || clDP.getNumOccurrences();
}

bool mlir::tfperf::listHardwareRequested() { return clListHw; }

ImportOptions mlir::tfperf::importOptionsFromFlags() {
  ImportOptions options;
  options.bindDims = clBindDims;
  options.recordValueNames = clValueNames;
  return options;
}

LogicalResult mlir::tfperf::analyzeOptionsFromFlags(AnalyzeOptions &options,
                                                    llvm::StringRef tool) {
  auto fail = [&](const Twine &msg) {
    llvm::errs() << tool << ": error: " << msg << "\n";
    return failure();
  };
  // The enum-valued flags first: their names are syntax, not semantics.
  if (!clReportFormat.empty()) {
    auto format = parseReportFormat(clReportFormat);
    if (!format) {
      std::string known;
      for (llvm::StringRef f : supportedReportFormats())
        known += (known.empty() ? "" : ", ") + f.str();
      if (!clReport.empty())
        return fail("--report=" + clReport.front() + ": format '" +
                    clReportFormat + "' is not supported (supported: " +
                    known + ")");
      return fail("--report-format must be one of " + known);
    }
    options.reportFormat = *format;
  }
  if (!clPhase.empty()) {
    auto phase = symbolizeAnalysisPhase(clPhase);
    if (!phase)
      return fail("--phase must be prefill, decode or both, got '" + clPhase +
                  "'");
    options.phase = *phase;
  }
  auto mode = symbolizeAnalysisMode(clMode);
  if (!mode)
    return fail("--mode must be infer or train, got '" + clMode + "'");
  options.mode = *mode;

  // Set only when given: the options' defaults are the documented ones.
  if (clKernels.getNumOccurrences())
    options.kernels = clKernels;
  if (clTimeModel.getNumOccurrences())
    options.timeModel = clTimeModel;
  if (clMoERouting.getNumOccurrences())
    options.moeRouting = clMoERouting;
  options.hw = clHw;
  options.hwFile = clHwFile;
  options.computeDtype = clComputeDtype;
  options.weightDtype = clWeightDtype;
  options.reports = std::vector<std::string>(clReport.begin(), clReport.end());
  options.summary = clAnalyzeRoofline.getValue();
  options.batch = clBatch.getValue();
  options.seq = clSeq.getValue();
  options.kvLen = clKvLen.getValue();
  options.devices = clDevices.getValue();
  if (!clTP.empty())
    options.tp = std::vector<int64_t>(clTP.begin(), clTP.end());
  if (!clEP.empty())
    options.ep = std::vector<int64_t>(clEP.begin(), clEP.end());
  options.ppMicrobatches = clPPMicrobatches.getValue();
  // Set only when given: validation rejects them without --mode=train.
  if (clInputRequiresGrad.getNumOccurrences())
    options.inputRequiresGrad = clInputRequiresGrad.getValue();
  if (clOptimizerBytesPerParam.getNumOccurrences())
    options.optimizerBytesPerParam = clOptimizerBytesPerParam.getValue();
  // The parallel training options too: validation names the ones given
  // without --mode=train.
  if (clRecompute.getNumOccurrences())
    options.recompute = clRecompute.getValue();
  if (clSequenceParallel.getNumOccurrences())
    options.sequenceParallel = clSequenceParallel.getValue();
  if (clDropout.getNumOccurrences())
    options.dropout = clDropout.getValue();
  if (clPP.getNumOccurrences())
    options.pp = clPP.getValue();
  if (clPPSchedule.getNumOccurrences())
    options.ppSchedule = clPPSchedule.getValue();
  if (clPPVirtualStages.getNumOccurrences())
    options.ppVirtualStages = clPPVirtualStages.getValue();
  if (clDP.getNumOccurrences())
    options.dp = clDP.getValue();
  options.top = clTop.getValue();
  options.showShapeOps = clShowShapeOps.getValue();
  options.symbolic = clSymbolic.getValue();
  options.sweep = clSweep;
  if (!clSweepOut.empty())
    options.sweepOut =
        std::vector<std::string>(clSweepOut.begin(), clSweepOut.end());
  options.serve = clServe;
  options.slo = clSLO;
  if (!clServeOut.empty())
    options.serveOut =
        std::vector<std::string>(clServeOut.begin(), clServeOut.end());
  return validateAnalyzeOptions(options,
                                [&](const Twine &msg) { (void)fail(msg); });
}

void mlir::tfperf::listHardware(llvm::raw_ostream &os) {
  std::string error;
  auto devices = resolveDevices("", clHwFile, error);
  HardwareDatabase db = HardwareDatabase::builtin();
  std::vector<DeviceSpec> all(db.getDevices().begin(), db.getDevices().end());
  if (devices && !clHwFile.empty())
    for (auto &d : *devices)
      if (!db.lookup(d.name))
        all.push_back(d);
  for (const DeviceSpec &d : all) {
    os << d.name << ": " << d.description << "\n   matmul peaks:";
    for (const char *dt : {"fp32", "tf32", "fp16", "bf16", "fp8", "int8", "fp4"})
      if (auto p = d.gemmPeak(dt))
        os << " " << dt << " " << llvm::format("%.4g", *p / 1e12) << " TF";
    os << "\n   vector fp32 " << llvm::format("%.4g", d.vectorPeak / 1e12)
       << " TF, memory " << llvm::format("%.4g", d.memBandwidth / 1e9)
       << " GB/s, " << llvm::format("%.4g", d.memCapacity / 1e9) << " GB";
    if (!d.linkName.empty())
      os << ", link " << d.linkName << " "
         << llvm::format("%.4g", d.linkBandwidth / 1e9) << " GB/s per direction";
    os << "\n";
  }
}

std::unique_ptr<llvm::MemoryBuffer>
mlir::tfperf::openModelInput(llvm::StringRef inputFilename,
                             llvm::ArrayRef<llvm::StringRef> outputs) {
  // Regular files and pipes only: /dev/zero would be read forever, and a
  // device is never a model.
  llvm::sys::fs::file_status status;
  if (inputFilename != "-" && !llvm::sys::fs::status(inputFilename, status) &&
      (status.type() == llvm::sys::fs::file_type::character_file ||
       status.type() == llvm::sys::fs::file_type::block_file)) {
    llvm::errs() << inputFilename << ": error: not a regular file (a device)\n";
    return nullptr;
  }
  // ONNX weights are never read: see ModelFile.h.
  std::string errorMessage;
  auto file = openToolInput(inputFilename, &errorMessage);
  if (!file) {
    llvm::errs() << inputFilename << ": error: " << errorMessage << "\n";
    return nullptr;
  }
  if (file->getBufferSize() == 0) {
    llvm::errs() << inputFilename << ": error: the file is empty\n";
    return nullptr;
  }
  // No output may replace the model it is computed from.
  for (llvm::StringRef out : outputs)
    if (out != "-" && inputFilename != "-" &&
        llvm::sys::fs::equivalent(inputFilename, out)) {
      llvm::errs() << out << ": error: refusing to overwrite the input file\n";
      return nullptr;
    }
  return file;
}
