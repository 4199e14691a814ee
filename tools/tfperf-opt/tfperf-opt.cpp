//===- tfperf-opt.cpp - the tfperf driver ---------------------------------===//
//
// mlir-opt for tfperf: `.mlir` input goes through MlirOptMain with every
// tfperf pass registered; ONNX input (by extension or content) is imported
// first and then runs the same pass pipeline. Output files are written only
// when everything succeeded, and never over the input.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Dialect/TFPerf/IR/TFPerfDialect.h"
#include "tfperf/Target/ONNX/ImportONNX.h"
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
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace mlir::tfperf;

static llvm::cl::opt<std::string> clBindDims(
    "bind-dims",
    llvm::cl::desc("Bind symbolic dims (ONNX dim_params) to values: "
                   "name=value,... (e.g. batch_size=1,seq_len=128)"),
    llvm::cl::init(""));

static llvm::cl::opt<bool> clValueNames(
    "onnx-value-names",
    llvm::cl::desc("Record each op's ONNX output names as tfperf.onnx_outputs"),
    llvm::cl::init(false));

/// Prints `module` to a string with the given flags.
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
  registerTFPerfPasses();
  registerTransformsPasses();

  auto [inputFilename, outputFilename] =
      registerAndParseCLIOptions(argc, argv, "tfperf-opt", registry);
  MlirOptMainConfig config = MlirOptMainConfig::createFromCLOptions();

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
  auto file = openInputFile(inputFilename, &errorMessage);
  if (!file) {
    llvm::errs() << inputFilename << ": error: " << errorMessage << "\n";
    return 1;
  }
  if (file->getBufferSize() == 0) {
    llvm::errs() << inputFilename << ": error: the file is empty\n";
    return 1;
  }
  if (outputFilename != "-" && inputFilename != "-" &&
      llvm::sys::fs::equivalent(inputFilename, outputFilename)) {
    llvm::errs() << outputFilename
                 << ": error: refusing to overwrite the input file\n";
    return 1;
  }
  bool onnx = isONNXInput(inputFilename, file->getBuffer());
  if (!onnx && !clBindDims.empty()) {
    // Rebinding an already imported module: infer shapes first.
    std::string bind = clBindDims;
    config.setPassPipelineSetupFn(
        [bind, parser = config](PassManager &pm) -> LogicalResult {
          pm.nest<func::FuncOp>().addPass(
              createTFPerfInferShapes(TFPerfInferShapesOptions{bind}));
          return parser.setupPassPipeline(pm);
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
  if (rc != 0)
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
