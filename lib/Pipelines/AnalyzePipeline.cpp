//===- AnalyzePipeline.cpp - the tfperf-analyze pass pipeline -------------===//

#include "tfperf/Pipelines/AnalyzePipeline.h"
#include "tfperf/Analysis/Hardware.h"
#include "tfperf/Analysis/KernelTimes.h"
#include "tfperf/Analysis/Roofline.h"
#include "tfperf/Analysis/Sweep.h"
#include "tfperf/Dialect/TFPerf/IR/ExpertRouting.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfAttrs.h"
#include "tfperf/Report/Report.h"
#include "tfperf/Serving/ServingSpec.h"
#include "tfperf/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace mlir::tfperf;

#include "tfperf/Pipelines/PipelineEnums.cpp.inc"

std::optional<ReportFormat>
mlir::tfperf::parseReportFormat(llvm::StringRef name) {
  std::optional<ReportFormat> format = symbolizeReportFormat(name);
  if (format == ReportFormat::FromExtension)
    return std::nullopt;
  return format;
}

std::optional<ReportFormat>
AnalyzeOptions::formatOf(llvm::StringRef file) const {
  if (reportFormat != ReportFormat::FromExtension)
    return reportFormat.getValue();
  if (file == "-")
    return ReportFormat::Text;
  llvm::StringRef ext = llvm::sys::path::extension(file);
  if (ext == ".txt")
    return ReportFormat::Text;
  if (ext == ".json")
    return ReportFormat::JSON;
  if (ext == ".csv")
    return ReportFormat::CSV;
  if (ext == ".md")
    return ReportFormat::Markdown;
  if (ext == ".html" || ext == ".htm")
    return ReportFormat::HTML;
  return std::nullopt;
}

/// The options of the parallel training step: given only with
/// --mode=train, within sane bounds, and consistent with each other (the
/// layer count, which the graph gives, is checked by the analysis).
static LogicalResult
validateParallelTraining(const AnalyzeOptions &options,
                         function_ref<LogicalResult(const Twine &)> fail) {
  bool given = options.recompute.hasValue() ||
               options.sequenceParallel.hasValue() ||
               options.dropout.hasValue() || options.pp.hasValue() ||
               options.ppSchedule.hasValue() ||
               options.ppVirtualStages.hasValue() || options.dp.hasValue();
  if (given && options.mode != AnalysisMode::Train)
    return fail("--recompute, --sequence-parallel, --dropout, --pp, "
                "--pp-schedule, --pp-virtual-stages and --dp need "
                "--mode=train");
  if (options.recompute.hasValue() &&
      !llvm::is_contained({"none", "selective", "full"},
                          options.recompute.getValue()))
    return fail("--recompute must be none, selective or full, got '" +
                options.recompute + "'");
  if (!llvm::is_contained({"1f1b", "interleaved"},
                          options.ppSchedule.getValue()))
    return fail("--pp-schedule must be 1f1b or interleaved, got '" +
                options.ppSchedule + "'");
  // The limits of #tfperf.training (TFPerfAttrs.h).
  constexpr int64_t kMaxRanks = kMaxTrainingRanks;
  if (options.pp < 1 || options.pp > kMaxPipelineStages)
    return fail("--pp must be between 1 and " + Twine(kMaxPipelineStages) +
                ", got " + Twine(options.pp));
  if (options.dp < 1 || options.dp > kMaxRanks)
    return fail("--dp must be between 1 and " + Twine(kMaxRanks) + ", got " +
                Twine(options.dp));
  if (options.ppVirtualStages < 1 ||
      options.ppVirtualStages > kMaxPipelineVirtualStages)
    return fail("--pp-virtual-stages must be between 1 and " +
                Twine(kMaxPipelineVirtualStages) + ", got " +
                Twine(options.ppVirtualStages));
  bool interleaved = options.ppSchedule.getValue() == "interleaved";
  if (interleaved && (options.pp < 2 || options.ppVirtualStages < 2))
    return fail("--pp-schedule=interleaved needs --pp of 2 or more and "
                "--pp-virtual-stages of 2 or more");
  if (!interleaved && options.ppVirtualStages > 1)
    return fail("--pp-virtual-stages needs --pp-schedule=interleaved");
  if (options.mode == AnalysisMode::Train && options.ppMicrobatches > kMaxRanks)
    return fail("--pp-microbatches must be at most " + Twine(kMaxRanks) +
                ", got " + Twine(options.ppMicrobatches));
  if (interleaved &&
      std::max<int64_t>(1, options.ppMicrobatches) % options.pp != 0)
    return fail("--pp-schedule=interleaved needs --pp-microbatches to be a "
                "multiple of --pp (" +
                Twine(options.ppMicrobatches) + " micro-batches, " +
                Twine(options.pp) + " stages)");
  int64_t maxTP = 1;
  for (int64_t t : options.tp)
    maxTP = std::max(maxTP, t);
  if (maxTP > (1 << 16) ||
      double(maxTP) * double(options.pp) * double(options.dp) > 1e9)
    return fail("--tp x --pp x --dp is more than 10^9 devices");
  return success();
}

LogicalResult mlir::tfperf::validateAnalyzeOptions(
    const AnalyzeOptions &options,
    function_ref<void(const Twine &)> emitError) {
  auto fail = [&](const Twine &msg) {
    emitError(msg);
    return failure();
  };
  std::string error;
  if (!DtypePolicy::parse(options.computeDtype, options.weightDtype, error))
    return fail(error);
  if (!resolveDevices(options.hw, options.hwFile, error))
    return fail((options.hwFile.empty() ? "--hw: " : "") + error);
  if (!parseKernelView(options.kernels))
    return fail("--kernels must be exported or fused, got '" + options.kernels +
                "'");
  std::optional<MoeRouting> routing = parseMoeRouting(options.moeRouting);
  if (!routing)
    return fail("--moe-routing must be " + kMoeRoutingSyntax + ", got '" +
                options.moeRouting + "'");
  // A loads file that cannot be read fails before any work; whether it fits
  // the graph's MoE layers, tfperf-route-experts checks.
  if (routing->kind == MoeRouting::Kind::Loads &&
      !readExpertLoads(routing->loadsFile, error))
    return fail("--moe-routing=loads:" + error);
  if (!parseTimeModel(options.timeModel))
    return fail("--time-model must be roofline or calibrated, got '" +
                options.timeModel + "'");
  for (const std::string &f : options.reports) {
    auto format = options.formatOf(f);
    if (!format)
      return fail("--report=" + f +
                  ": cannot tell the format from the extension (use .txt, "
                  ".json, .csv, .md, .html or --report-format)");
    if (!llvm::is_contained(supportedReportFormats(),
                            stringifyReportFormat(*format)))
      return fail(
          "--report=" + f + ": format '" + stringifyReportFormat(*format) +
          "' is not supported (supported: " + supportedReportFormatList() +
          ")");
  }
  if (options.batch < 0 || options.seq < 0 || options.kvLen < 0)
    return fail("--batch, --seq and --kv-len must be positive");
  // Past 2^31 no real workload exists, and element counts of the phase
  // shapes could leave the range the cost model keeps exact.
  constexpr int64_t kMaxSize = (int64_t(1) << 31) - 1;
  if (options.batch > kMaxSize || options.seq > kMaxSize ||
      options.kvLen > kMaxSize)
    return fail("--batch, --seq and --kv-len must be at most " +
                Twine(kMaxSize));
  if (options.devices < 1)
    return fail("--devices must be at least 1");
  if (options.devices > 1000000)
    return fail("--devices must be at most 1000000");
  // The sweep's syntax now; its axes are checked against the graph by
  // tfperf-symbolic.
  if (!options.sweep.empty() && !parseSweepSpec(options.sweep, error))
    return fail("--sweep: " + error);
  if (std::string e = tableFileError("--sweep-out", options.sweepOut);
      !e.empty())
    return fail(e);
  if (!options.sweepOut.empty() && options.sweep.empty())
    return fail("--sweep-out needs --sweep");
  // The serving study's and service level's syntax now; the graph and the
  // devices are checked by tfperf-serve.
  if (!options.serve.empty() && !serving::parseServingSpec(options.serve, error))
    return fail("--serve: " + error);
  if (!options.slo.empty() && !serving::parseServiceLevel(options.slo, error))
    return fail("--slo: " + error);
  if (!options.slo.empty() && options.serve.empty())
    return fail("--slo needs --serve");
  if (std::string e = tableFileError("--serve-out", options.serveOut);
      !e.empty())
    return fail(e);
  if (!options.serveOut.empty() && options.serve.empty())
    return fail("--serve-out needs --serve");
  for (int64_t t : options.tp)
    if (t < 1)
      return fail("--tp: degrees must be at least 1, got " + Twine(t));
  for (int64_t e : options.ep)
    if (e < 1 || e > kMaxExpertDegree)
      return fail("--ep: degrees must be in [1, " + Twine(kMaxExpertDegree) +
                  "], got " + Twine(e));
  if (options.ppMicrobatches < 0)
    return fail("--pp-microbatches must be at least 0");
  if (options.mode != AnalysisMode::Train &&
      (options.inputRequiresGrad.hasValue() ||
       options.optimizerBytesPerParam.hasValue()))
    return fail("--input-requires-grad and --optimizer-bytes-per-param need "
                "--mode=train");
  if (!(options.optimizerBytesPerParam > 0))
    return fail("--optimizer-bytes-per-param must be positive");
  if (options.optimizerBytesPerParam > kMaxOptimizerBytesPerParam) {
    std::string got;
    llvm::raw_string_ostream(got)
        << llvm::format("%g", double(options.optimizerBytesPerParam));
    return fail("--optimizer-bytes-per-param must be at most " +
                Twine(int64_t(kMaxOptimizerBytesPerParam)) + " bytes, got " +
                got);
  }
  return validateParallelTraining(options, fail);
}

void mlir::tfperf::populateAnalyzePipeline(OpPassManager &pm,
                                           const AnalyzeOptions &options) {
  pm.addNestedPass<func::FuncOp>(createTFPerfRouteExperts(
      TFPerfRouteExpertsOptions{options.moeRouting}));
  pm.addPass(createTFPerfAnnotateCost(TFPerfAnnotateCostOptions{
      options.computeDtype, options.weightDtype}));
  TFPerfRooflineOptions roofline;
  // Without --hw, the default device, or every device of --hw-file.
  roofline.hw = options.hw.empty() && options.hwFile.empty()
                    ? std::string("h100-sxm")
                    : options.hw.getValue();
  roofline.hwFile = options.hwFile;
  roofline.computeDtype = options.computeDtype;
  roofline.weightDtype = options.weightDtype;
  roofline.kernels = options.kernels;
  roofline.timeModel = options.timeModel;
  pm.addPass(createTFPerfRoofline(roofline));

  TFPerfAnalyzeTransformerOptions transformer;
  transformer.phase = stringifyAnalysisPhase(options.phase).str();
  transformer.batch = options.batch;
  transformer.seq = options.seq;
  transformer.kvLen = options.kvLen;
  transformer.devices = options.devices;
  pm.addPass(createTFPerfAnalyzeTransformer(transformer));

  if (!options.tp.empty() || !options.ep.empty()) {
    TFPerfSuggestTPOptions tp;
    tp.tp.assign(options.tp.begin(), options.tp.end());
    tp.ep.assign(options.ep.begin(), options.ep.end());
    tp.microbatches = options.ppMicrobatches;
    pm.addPass(createTFPerfSuggestTP(tp));
  }
  if (options.symbolicRequested()) {
    TFPerfSymbolicOptions symbolic;
    symbolic.sweep = options.sweep;
    symbolic.sweepOut.assign(options.sweepOut.begin(), options.sweepOut.end());
    pm.addPass(createTFPerfSymbolic(symbolic));
  }
  if (!options.serve.empty()) {
    TFPerfServeOptions serve;
    serve.serve = options.serve;
    serve.slo = options.slo;
    serve.serveOut.assign(options.serveOut.begin(), options.serveOut.end());
    pm.addPass(createTFPerfServe(serve));
  }
  if (options.mode == AnalysisMode::Train) {
    TFPerfAnalyzeTrainingOptions training;
    training.inputRequiresGrad = options.inputRequiresGrad;
    training.optimizerBytesPerParam = options.optimizerBytesPerParam;
    training.computeDtype = options.computeDtype;
    training.weightDtype = options.weightDtype;
    training.recompute = options.recompute;
    training.sequenceParallel = options.sequenceParallel;
    training.dropout = options.dropout;
    training.pp = options.pp;
    training.ppSchedule = options.ppSchedule;
    training.ppVirtualStages = options.ppVirtualStages;
    training.microbatches = options.ppMicrobatches;
    training.dp = options.dp;
    pm.addPass(createTFPerfAnalyzeTraining(training));
  }

  auto report = [&](ReportFormat format, const std::string &file) {
    TFPerfEmitReportOptions emit;
    emit.format = stringifyReportFormat(format).str();
    emit.outputFile = file;
    emit.top = options.top;
    emit.showShapeOps = options.showShapeOps;
    pm.addPass(createTFPerfEmitReport(emit));
  };
  // The text summary goes to stdout unless only files were asked for, or
  // a report already goes there.
  bool onlyFiles = !options.reports.empty() || !options.sweepOut.empty() ||
                   !options.serveOut.empty();
  if ((options.summary || !onlyFiles) &&
      !llvm::is_contained(options.reports, "-"))
    report(ReportFormat::Text, "-");
  for (const std::string &f : options.reports)
    report(*options.formatOf(f), f);
}

void mlir::tfperf::registerAnalyzePipeline() {
  // PassPipelineRegistration<AnalyzeOptions> cannot reject options that
  // parse; this registration also validates them, when the pipeline text is
  // parsed and before any IR is read.
  registerPassPipeline(
      "tfperf-analyze",
      "The whole tfperf analysis: costs, roofline, transformer phases, and "
      "with their options tensor parallelism, symbolic costs, training and "
      "reports (docs/CLI.md)",
      [](OpPassManager &pm, StringRef text,
         function_ref<LogicalResult(const Twine &)> errorHandler) {
        AnalyzeOptions options;
        if (failed(options.parseFromString(text)))
          return failure();
        LogicalResult valid = success();
        if (failed(validateAnalyzeOptions(options, [&](const Twine &msg) {
              valid = errorHandler("tfperf-analyze: " + msg);
            })))
          return failure();
        populateAnalyzePipeline(pm, options);
        return valid;
      },
      [](function_ref<void(const mlir::detail::PassOptions &)> optHandler) {
        optHandler(AnalyzeOptions());
      });
}
