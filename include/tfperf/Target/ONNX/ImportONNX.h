//===- ImportONNX.h - ONNX to tfperf importer -------------------*- C++ -*-===//
//
// Turns an ONNX ModelProto (binary, protobuf text or JSON) into a module with
// one func.func of tfperf ops, with every value's shape inferred. Weight
// bytes are never read. Errors are MLIR diagnostics located at the offending
// node (a NameLoc of the node name inside a FileLineColLoc of the file).
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_TARGET_ONNX_IMPORTONNX_H
#define TFPERF_TARGET_ONNX_IMPORTONNX_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::tfperf {

struct ImportOptions {
  /// `--bind-dims` text: `name=value,...`.
  std::string bindDims;
  /// Attach each op's ONNX output names as `tfperf.onnx_outputs`.
  bool recordValueNames = false;
};

/// Imports `buffer` (read from `fileName`, used in diagnostics and to locate
/// external data) into a new module. Returns null after emitting an error.
OwningOpRef<ModuleOp> importONNX(llvm::MemoryBufferRef buffer,
                                 llvm::StringRef fileName, MLIRContext *context,
                                 const ImportOptions &options = {});

/// True when the file should be read as ONNX rather than MLIR: by extension
/// (.onnx, .onnxtxt, .pbtxt, .textproto, .json) or, for other names, when the
/// bytes parse as a binary ModelProto.
bool isONNXInput(llvm::StringRef fileName, llvm::StringRef contents);

/// Registers `--import-onnx` with mlir-translate style drivers.
void registerONNXImportTranslation();

/// While alive, prints diagnostics as `<file>: error: node '<name>': <msg>`
/// for locations the importer makes, and as MLIR does otherwise.
class ONNXDiagnosticHandler : public ScopedDiagnosticHandler {
public:
  ONNXDiagnosticHandler(MLIRContext *ctx, llvm::raw_ostream &os);
};

/// Registers every diagnostic-free dialect the importer needs.
void registerImportDialects(DialectRegistry &registry);

} // namespace mlir::tfperf

#endif
