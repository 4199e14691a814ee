//===- tfperf.cpp - the tfperf command-line tool --------------------------===//
//
// The user-facing driver (the firtool model): reads an ONNX model or a
// `.mlir` module, runs the tfperf-analyze pipeline the flags ask for and
// writes the reports; the annotated IR only goes to an explicit `-o`.
// `--help` lists tfperf's own flags, grouped; the generic MLIR and LLVM
// flags stay with tfperf-opt. Linked against the static MLIR archives, it
// starts in a few MiB (docs/benchmarks.md).
//
//===----------------------------------------------------------------------===//

#include "tfperf/InitAllDialects.h"
#include "tfperf/Pipelines/AnalyzePipeline.h"
#include "tfperf/Target/ONNX/ImportONNX.h"
#include "tfperf/Tools/AnalyzeFlags.h"
#include "tfperf/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace mlir::tfperf;

namespace cl = llvm::cl;

static cl::OptionCategory clDriver("tfperf input and output options");

static cl::opt<std::string> clInput(cl::Positional,
                                    cl::desc("<model.onnx | module.mlir | ->"),
                                    cl::init("-"), cl::cat(clDriver));
static cl::opt<std::string>
    clOutput("o", cl::desc("Write the annotated IR to FILE"),
             cl::value_desc("FILE"), cl::init(""), cl::cat(clDriver));

int main(int argc, char **argv) {
  llvm::InitLLVM y(argc, argv);
  cl::HideUnrelatedOptions({&clDriver, &getImportFlagsCategory(),
                            &getAnalysisFlagsCategory(),
                            &getReportFlagsCategory()});
  cl::ParseCommandLineOptions(
      argc, argv,
      "tfperf: FLOPs, bytes, roofline time, transformer phases, tensor "
      "parallelism, training and symbolic costs of an ONNX model or a "
      "tfperf/linalg/tosa MLIR module (docs/CLI.md)\n");
  if (listHardwareRequested()) {
    listHardware(llvm::outs());
    return 0;
  }
  // Every option is checked before the model is read.
  AnalyzeOptions options;
  if (failed(analyzeOptionsFromFlags(options, "tfperf")))
    return 1;
  SmallVector<StringRef> outputs(options.reports.begin(),
                                 options.reports.end());
  outputs.append(options.sweepOut.begin(), options.sweepOut.end());
  outputs.append(options.serveOut.begin(), options.serveOut.end());
  if (!clOutput.empty())
    outputs.push_back(clOutput);
  auto file = openModelInput(clInput, outputs);
  if (!file)
    return 1;

  DialectRegistry registry;
  registerImportDialects(registry);
  tfperf::registerAllDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  bool onnx = isONNXInput(clInput, file->getBuffer());
  // Diagnostics name the file and node (ONNX) or line (MLIR, as
  // tfperf-opt); dumping the op adds only noise.
  context.printOpOnDiagnostic(false);
  OwningOpRef<ModuleOp> module;
  llvm::SourceMgr sourceMgr;
  std::optional<ONNXDiagnosticHandler> onnxHandler;
  std::optional<SourceMgrDiagnosticHandler> mlirHandler;
  if (onnx) {
    onnxHandler.emplace(&context, llvm::errs());
    module = importONNX(file->getMemBufferRef(), clInput, &context,
                        importOptionsFromFlags());
  } else {
    sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
    mlirHandler.emplace(sourceMgr, &context);
    module = parseSourceFile<ModuleOp>(sourceMgr, ParserConfig(&context));
  }
  if (!module)
    return 1;
  // The module holds everything it needs; give an ONNX input's pages back.
  file.reset();

  PassManager pm(&context, ModuleOp::getOperationName());
  std::string bind = importOptionsFromFlags().bindDims;
  if (!onnx && !bind.empty())
    pm.nest<func::FuncOp>().addPass(
        createTFPerfInferShapes(TFPerfInferShapesOptions{bind}));
  populateAnalyzePipeline(pm, options);
  if (failed(pm.run(*module)))
    return 1;

  if (clOutput.empty())
    return 0;
  std::string errorMessage;
  auto output = openOutputFile(clOutput, &errorMessage);
  if (!output) {
    llvm::errs() << clOutput << ": error: " << errorMessage << "\n";
    return 1;
  }
  // As tfperf-opt (MlirOptMain) writes it.
  module->print(output->os());
  output->os() << "\n";
  output->keep();
  return 0;
}
