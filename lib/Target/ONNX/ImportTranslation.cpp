//===- ImportTranslation.cpp - `--import-onnx` for tfperf-translate -------===//

#include "tfperf/Dialect/TFPerf/IR/TFPerfDialect.h"
#include "tfperf/Target/ONNX/ImportONNX.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace mlir::tfperf;

void mlir::tfperf::registerONNXImportTranslation() {
  // Created on registration only, so tools that link the importer without
  // this translation keep their own `--bind-dims`.
  static llvm::cl::opt<std::string> clBindDims(
      "bind-dims",
      llvm::cl::desc("Bind ONNX dim_params to values: name=value,..."),
      llvm::cl::init(""));
  static llvm::cl::opt<bool> clValueNames(
      "onnx-value-names",
      llvm::cl::desc("Record each op's ONNX output names as tfperf.onnx_outputs"),
      llvm::cl::init(false));
  TranslateToMLIRRegistration reg(
      "import-onnx", "Import an ONNX model (binary, text or JSON protobuf)",
      [](llvm::SourceMgr &sm, MLIRContext *ctx) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buf = sm.getMemoryBuffer(sm.getMainFileID());
        ONNXDiagnosticHandler handler(ctx, llvm::errs());
        ctx->printOpOnDiagnostic(false);
        ImportOptions opts;
        opts.bindDims = clBindDims;
        opts.recordValueNames = clValueNames;
        auto module = importONNX(buf->getMemBufferRef(),
                                 buf->getBufferIdentifier(), ctx, opts);
        return OwningOpRef<Operation *>(module.release());
      },
      registerImportDialects);
}
