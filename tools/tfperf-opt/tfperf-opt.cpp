//===- tfperf-opt.cpp - the tfperf driver ---------------------------------===//
//
// mlir-opt for tfperf: `.mlir` input goes through MlirOptMain with every
// tfperf pass registered; ONNX input (by extension or content) is imported
// first and then runs the same pass pipeline. Analysis flags
// (--analyze-roofline, --report, ...) append the analysis passes; the text
// summary then goes to stdout and the IR only to an explicit `-o`. Output
// files are written only when everything succeeded, and never over the
// input.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Analysis/Hardware.h"
#include "tfperf/Analysis/Roofline.h"
#include "tfperf/Analysis/Sweep.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfDialect.h"
#include "tfperf/InitAllDialects.h"
#include "tfperf/Report/Report.h"
#include "tfperf/Target/ONNX/ImportONNX.h"
#include "tfperf/Target/ONNX/ModelFile.h"
#include "tfperf/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace mlir::tfperf;

namespace cl = llvm::cl;

static cl::OptionCategory clImport("tfperf import options");
static cl::OptionCategory clAnalysis("tfperf analysis options");

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
static cl::list<std::string> clReport(
    "report",
    cl::desc("Write a report to FILE (format from the extension: .txt .json "
             ".csv .md .html; - is stdout); may be repeated"),
    cl::cat(clAnalysis));
static cl::opt<std::string> clReportFormat(
    "report-format",
    cl::desc("Format of --report files regardless of their extension"),
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
static cl::opt<unsigned> clTop("top",
                               cl::desc("Rows in the text report's top-ops table"),
                               cl::init(15), cl::cat(clAnalysis));
static cl::opt<bool> clShowShapeOps(
    "show-shape-ops",
    cl::desc("List shape-computation ops in the text report's tables"),
    cl::init(false), cl::cat(clAnalysis));

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
static cl::list<std::string> clSweepOut(
    "sweep-out",
    cl::desc("Write the sweep table to FILE (.csv or .json); may be repeated"),
    cl::cat(clAnalysis));

static bool symbolicRequested() {
  return clSymbolic || !clSweep.empty() || !clSweepOut.empty();
}

static bool trainRequested() { return clMode == "train"; }

/// True when any analysis flag asks for the analysis pipeline.
static bool analysisRequested() {
  // Any mode but the default asks for it (a bad one then fails validation).
  return clAnalyzeRoofline || !clReport.empty() || symbolicRequested() ||
         !clTP.empty() || clMode != "infer" ||
         clInputRequiresGrad.getNumOccurrences() ||
         clOptimizerBytesPerParam.getNumOccurrences();
}

/// The transformer analysis runs with --analyze-roofline unless the graph
/// has nothing to recognise; its flags imply it.
static bool transformerRequested() {
  return analysisRequested() || !clPhase.empty();
}

/// The format of a --report file.
static std::optional<std::string> reportFormatFor(llvm::StringRef file,
                                                  std::string &error) {
  if (!clReportFormat.empty())
    return clReportFormat.getValue();
  if (file == "-")
    return std::string("text");
  llvm::StringRef ext = llvm::sys::path::extension(file);
  if (ext == ".txt")
    return std::string("text");
  if (ext == ".json")
    return std::string("json");
  if (ext == ".csv")
    return std::string("csv");
  if (ext == ".md")
    return std::string("md");
  if (ext == ".html" || ext == ".htm")
    return std::string("html");
  error = "--report=" + file.str() +
          ": cannot tell the format from the extension (use .txt, .json, "
          ".csv, .md, .html or --report-format)";
  return std::nullopt;
}

/// Checks the analysis flags before any work, so bad values fail fast with
/// a clear message.
static LogicalResult validateAnalysisFlags() {
  std::string error;
  auto fail = [&](const std::string &msg) {
    llvm::errs() << "tfperf-opt: error: " << msg << "\n";
    return failure();
  };
  if (!DtypePolicy::parse(clComputeDtype, clWeightDtype, error))
    return fail(error);
  if (!resolveDevices(clHw, clHwFile, error))
    return fail((clHwFile.empty() ? "--hw: " : "") + error);
  std::string known;
  for (llvm::StringRef f : supportedReportFormats())
    known += (known.empty() ? "" : ", ") + f.str();
  for (const std::string &f : clReport) {
    auto format = reportFormatFor(f, error);
    if (!format)
      return fail(error);
    if (!llvm::is_contained(supportedReportFormats(), *format))
      return fail("--report=" + f + ": format '" + *format +
                  "' is not supported (supported: " + known + ")");
  }
  if (!clReportFormat.empty() &&
      !llvm::is_contained(supportedReportFormats(), clReportFormat))
    return fail("--report-format must be one of " + known);
  if (!clPhase.empty() && clPhase != "prefill" && clPhase != "decode" &&
      clPhase != "both")
    return fail("--phase must be prefill, decode or both, got '" + clPhase + "'");
  if (clBatch < 0 || clSeq < 0 || clKvLen < 0)
    return fail("--batch, --seq and --kv-len must be positive");
  // Past 2^31 no real workload exists, and element counts of the phase
  // shapes could leave the range the cost model keeps exact.
  constexpr int64_t kMaxSize = (int64_t(1) << 31) - 1;
  if (clBatch > kMaxSize || clSeq > kMaxSize || clKvLen > kMaxSize)
    return fail("--batch, --seq and --kv-len must be at most " +
                std::to_string(kMaxSize));
  if (clDevices < 1)
    return fail("--devices must be at least 1");
  if (clDevices > 1000000)
    return fail("--devices must be at most 1000000");
  // The sweep's syntax now; its axes are checked against the graph by
  // tfperf-symbolic.
  if (!clSweep.empty() && !parseSweepSpec(clSweep, error))
    return fail("--sweep: " + error);
  for (const std::string &f : clSweepOut) {
    llvm::StringRef ext = llvm::sys::path::extension(f);
    if (ext != ".csv" && ext != ".json")
      return fail("--sweep-out=" + f +
                  ": the format comes from the extension (.csv or .json)");
  }
  if (!clSweepOut.empty() && clSweep.empty())
    return fail("--sweep-out needs --sweep");
  for (int64_t t : clTP)
    if (t < 1)
      return fail("--tp: degrees must be at least 1, got " + std::to_string(t));
  if (clPPMicrobatches < 0)
    return fail("--pp-microbatches must be at least 0");
  if (clMode != "infer" && clMode != "train")
    return fail("--mode must be infer or train, got '" + clMode + "'");
  if (!trainRequested() && (clInputRequiresGrad.getNumOccurrences() ||
                            clOptimizerBytesPerParam.getNumOccurrences()))
    return fail("--input-requires-grad and --optimizer-bytes-per-param need "
                "--mode=train");
  if (!(clOptimizerBytesPerParam > 0))
    return fail("--optimizer-bytes-per-param must be positive");
  return success();
}

/// Appends the analysis passes the flags ask for.
static void addAnalysisPasses(PassManager &pm) {
  pm.addPass(createTFPerfAnnotateCost(
      TFPerfAnnotateCostOptions{clComputeDtype, clWeightDtype}));
  TFPerfRooflineOptions roofline;
  roofline.hw = clHw.empty() ? std::string("h100-sxm") : clHw.getValue();
  if (clHw.empty() && !clHwFile.empty())
    roofline.hw = "";
  roofline.hwFile = clHwFile;
  roofline.computeDtype = clComputeDtype;
  roofline.weightDtype = clWeightDtype;
  pm.addPass(createTFPerfRoofline(roofline));
  if (transformerRequested()) {
    TFPerfAnalyzeTransformerOptions t;
    t.phase = clPhase.empty() ? std::string("both") : clPhase.getValue();
    t.batch = clBatch;
    t.seq = clSeq;
    t.kvLen = clKvLen;
    t.devices = clDevices;
    pm.addPass(createTFPerfAnalyzeTransformer(t));
  }
  if (!clTP.empty()) {
    TFPerfSuggestTPOptions tp;
    tp.tp.assign(clTP.begin(), clTP.end());
    tp.microbatches = clPPMicrobatches;
    pm.addPass(createTFPerfSuggestTP(tp));
  }
  if (symbolicRequested()) {
    TFPerfSymbolicOptions o;
    o.sweep = clSweep;
    o.sweepOut.assign(clSweepOut.begin(), clSweepOut.end());
    pm.addPass(createTFPerfSymbolic(o));
  }
  if (trainRequested()) {
    TFPerfAnalyzeTrainingOptions t;
    t.inputRequiresGrad = clInputRequiresGrad;
    t.optimizerBytesPerParam = clOptimizerBytesPerParam;
    t.computeDtype = clComputeDtype;
    t.weightDtype = clWeightDtype;
    pm.addPass(createTFPerfAnalyzeTraining(t));
  }
  auto report = [&](const std::string &format, const std::string &file) {
    TFPerfEmitReportOptions o;
    o.format = format;
    o.outputFile = file;
    o.top = clTop;
    o.showShapeOps = clShowShapeOps;
    pm.addPass(createTFPerfEmitReport(o));
  };
  bool reportToStdout = llvm::is_contained(clReport, "-");
  // --symbolic, --sweep, --tp and --mode=train print like
  // --analyze-roofline unless their output goes to files.
  bool onlyFiles = !clReport.empty() || !clSweepOut.empty();
  if ((clAnalyzeRoofline || !onlyFiles) && !reportToStdout)
    report("text", "-");
  std::string error;
  for (const std::string &f : clReport)
    report(*reportFormatFor(f, error), f);
}

/// Prints `module` to a string.
static std::string printModule(ModuleOp module) {
  std::string s;
  llvm::raw_string_ostream os(s);
  module.print(os);
  return s;
}

/// --verify-roundtrip for imported modules: print, parse, print again.
static LogicalResult verifyRoundtrip(ModuleOp module, MLIRContext &ctx) {
  std::string first = printModule(module);
  ParserConfig config(&ctx);
  OwningOpRef<ModuleOp> parsed = parseSourceString<ModuleOp>(first, config);
  if (!parsed) {
    emitError(module.getLoc()) << "the printed module does not parse back";
    return failure();
  }
  if (printModule(*parsed) != first) {
    emitError(module.getLoc()) << "printing the re-parsed module differs "
                                  "from the first print";
    return failure();
  }
  return success();
}

static int runOnONNX(llvm::StringRef inputFilename,
                     std::unique_ptr<llvm::MemoryBuffer> file,
                     llvm::raw_ostream &out, DialectRegistry &registry,
                     const MlirOptMainConfig &config) {
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  // Diagnostics name the file and node; dumping the op adds only noise.
  context.printOpOnDiagnostic(false);
  ONNXDiagnosticHandler handler(&context, llvm::errs());
  ImportOptions options;
  options.bindDims = clBindDims;
  options.recordValueNames = clValueNames;
  OwningOpRef<ModuleOp> module =
      importONNX(file->getMemBufferRef(), inputFilename, &context, options);
  if (!module)
    return 1;
  // The module holds everything it needs; give the input's pages back.
  file.reset();
  if (config.shouldVerifyRoundtrip() && failed(verifyRoundtrip(*module, context)))
    return 1;
  PassManager pm(&context, ModuleOp::getOperationName());
  if (failed(applyPassManagerCLOptions(pm)) || failed(config.setupPassPipeline(pm)))
    return 1;
  if (failed(pm.run(*module)))
    return 1;
  module->print(out);
  return 0;
}

static void listHardware(llvm::raw_ostream &os) {
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

int main(int argc, char **argv) {
  llvm::InitLLVM y(argc, argv);
  DialectRegistry registry;
  registerImportDialects(registry);
  // linalg/tosa/arith/math/tensor and their cost models: the same analysis
  // on upstream IR.
  tfperf::registerAllDialects(registry);
  registerTFPerfPasses();
  registerTransformsPasses();

  auto [inputFilename, outputFilename] =
      registerAndParseCLIOptions(argc, argv, "tfperf-opt", registry);
  MlirOptMainConfig config = MlirOptMainConfig::createFromCLOptions();
  if (clListHw) {
    listHardware(llvm::outs());
    return 0;
  }
  bool analyze = analysisRequested();
  if (analyze && failed(validateAnalysisFlags()))
    return 1;
  // With analysis flags the IR goes only to an explicit -o.
  bool outputGiven = cl::getRegisteredOptions()["o"]->getNumOccurrences() > 0;
  bool writeIR = !analyze || outputGiven;

  std::string errorMessage;
  // Regular files and pipes only: /dev/zero would be read forever, and a
  // device is never a model.
  llvm::sys::fs::file_status status;
  if (inputFilename != "-" && !llvm::sys::fs::status(inputFilename, status) &&
      (status.type() == llvm::sys::fs::file_type::character_file ||
       status.type() == llvm::sys::fs::file_type::block_file)) {
    llvm::errs() << inputFilename << ": error: not a regular file (a device)\n";
    return 1;
  }
  // ONNX weights are never read: see ModelFile.h.
  auto file = openToolInput(inputFilename, &errorMessage);
  if (!file) {
    llvm::errs() << inputFilename << ": error: " << errorMessage << "\n";
    return 1;
  }
  if (file->getBufferSize() == 0) {
    llvm::errs() << inputFilename << ": error: the file is empty\n";
    return 1;
  }
  // No output may replace the model it is computed from.
  SmallVector<StringRef> outputs = {outputFilename};
  outputs.append(clReport.begin(), clReport.end());
  outputs.append(clSweepOut.begin(), clSweepOut.end());
  for (StringRef out : outputs)
    if (out != "-" && inputFilename != "-" &&
        llvm::sys::fs::equivalent(inputFilename, out)) {
      llvm::errs() << out << ": error: refusing to overwrite the input file\n";
      return 1;
    }
  bool onnx = isONNXInput(inputFilename, file->getBuffer());
  std::string bind = onnx ? std::string() : clBindDims.getValue();
  if (!bind.empty() || analyze) {
    // Shapes first (rebinding a dynamic .mlir module), then the user's
    // pipeline, then the analysis.
    config.setPassPipelineSetupFn(
        [bind, analyze, parser = config](PassManager &pm) -> LogicalResult {
          if (!bind.empty())
            pm.nest<func::FuncOp>().addPass(
                createTFPerfInferShapes(TFPerfInferShapesOptions{bind}));
          if (failed(parser.setupPassPipeline(pm)))
            return failure();
          if (analyze)
            addAnalysisPasses(pm);
          return success();
        });
  }

  // Buffer everything; write the output only once the run succeeded.
  std::string result;
  llvm::raw_string_ostream os(result);
  int rc;
  if (onnx) {
    rc = runOnONNX(inputFilename, std::move(file), os, registry, config);
  } else {
    rc = failed(MlirOptMain(os, std::move(file), registry, config)) ? 1 : 0;
  }
  os.flush();
  if (rc != 0 || !writeIR)
    return rc;
  auto output = openOutputFile(outputFilename, &errorMessage);
  if (!output) {
    llvm::errs() << outputFilename << ": error: " << errorMessage << "\n";
    return 1;
  }
  output->os() << result;
  output->keep();
  return 0;
}
