//===- tfperf-opt.cpp - mlir-opt for tfperf -------------------------------===//
//
// mlir-opt with every tfperf pass and the tfperf-analyze pipeline
// registered: `.mlir` input goes through MlirOptMain; ONNX input (by
// extension or content) is imported first and then runs the same pass
// pipeline. The analysis flags tfperf shares (--analyze-roofline, --report,
// ..., lib/Tools/AnalyzeFlags.cpp) append the analysis pipeline; the text
// summary then goes to stdout and the IR only to an explicit `-o`. Output
// files are written only when everything succeeded, and never over the
// input. For the analysis alone, the static `tfperf` starts faster.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Dialect/TFPerf/Utils/ShapeInference.h"
#include "tfperf/InitAllDialects.h"
#include "tfperf/Pipelines/AnalyzePipeline.h"
#include "tfperf/Target/ONNX/ImportONNX.h"
#include "tfperf/Tools/AnalyzeFlags.h"
#include "tfperf/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace mlir::tfperf;

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
  OwningOpRef<ModuleOp> module = importONNX(
      file->getMemBufferRef(), inputFilename, &context, importOptionsFromFlags());
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

int main(int argc, char **argv) {
  llvm::InitLLVM y(argc, argv);
  DialectRegistry registry;
  registerImportDialects(registry);
  // linalg/tosa/arith/math/tensor and their cost models: the same analysis
  // on upstream IR.
  tfperf::registerAllDialects(registry);
  registerTFPerfPasses();
  registerAnalyzePipeline();
  registerTransformsPasses();

  auto [inputFilename, outputFilename] =
      registerAndParseCLIOptions(argc, argv, "tfperf-opt", registry);
  MlirOptMainConfig config = MlirOptMainConfig::createFromCLOptions();
  if (listHardwareRequested()) {
    listHardware(llvm::outs());
    return 0;
  }
  bool analyze = analysisFlagsGiven();
  // Checked before any input is read.
  auto analyzeOptions = std::make_shared<AnalyzeOptions>();
  if (analyze && failed(analyzeOptionsFromFlags(*analyzeOptions, "tfperf-opt")))
    return 1;
  // With analysis flags the IR goes only to an explicit -o.
  bool outputGiven =
      llvm::cl::getRegisteredOptions()["o"]->getNumOccurrences() > 0;
  bool writeIR = !analyze || outputGiven;

  SmallVector<StringRef> outputs = {outputFilename};
  outputs.append(analyzeOptions->reports.begin(), analyzeOptions->reports.end());
  outputs.append(analyzeOptions->sweepOut.begin(),
                 analyzeOptions->sweepOut.end());
  outputs.append(analyzeOptions->serveOut.begin(),
                 analyzeOptions->serveOut.end());
  auto file = openModelInput(inputFilename, outputs);
  if (!file)
    return 1;
  bool onnx = isONNXInput(inputFilename, file->getBuffer());
  std::string bind = onnx ? std::string() : importOptionsFromFlags().bindDims;
  if (!bind.empty() || analyze) {
    // Shapes first (rebinding a dynamic .mlir module), then the user's
    // pipeline, then the analysis.
    config.setPassPipelineSetupFn(
        [bind, analyze, analyzeOptions,
         parser = config](PassManager &pm) -> LogicalResult {
          if (!bind.empty())
            pm.nest<func::FuncOp>().addPass(
                createTFPerfInferShapes(TFPerfInferShapesOptions{bind}));
          if (failed(parser.setupPassPipeline(pm)))
            return failure();
          if (analyze)
            populateAnalyzePipeline(pm, *analyzeOptions);
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
  std::string errorMessage;
  auto output = openOutputFile(outputFilename, &errorMessage);
  if (!output) {
    llvm::errs() << outputFilename << ": error: " << errorMessage << "\n";
    return 1;
  }
  output->os() << result;
  output->keep();
  return 0;
}
