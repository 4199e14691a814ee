//===- ModelReader.h - how a context reads a model file ---------*- C++ -*-===//
//
// An analysis that needs a second model besides its input (the draft model
// of --serve's speculative decoding) reads it as the tool reads its input:
// an ONNX graph through the importer, else MLIR. The importer is a layer
// above the analyses, so the analyses do not call it: the importer's
// registerImportDialects, which the drivers call, attaches this interface
// to the tfperf dialect, and the analyses ask the context for it (without
// one, a model must be MLIR).
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_DIALECT_TFPERF_IR_MODELREADER_H
#define TFPERF_DIALECT_TFPERF_IR_MODELREADER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectInterface.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/MemoryBufferRef.h"

namespace mlir::tfperf {

class ModelReaderInterface
    : public DialectInterface::Base<ModelReaderInterface> {
public:
  ModelReaderInterface(Dialect *dialect) : Base(dialect) {}

  /// Whether this reader takes the file `fileName` with `contents` (else
  /// it is read as MLIR).
  virtual bool reads(llvm::StringRef fileName,
                     llvm::StringRef contents) const = 0;

  /// The model in `buffer` as a new module; null after emitting an error.
  virtual OwningOpRef<ModuleOp> read(llvm::MemoryBufferRef buffer,
                                     llvm::StringRef fileName,
                                     MLIRContext *context) const = 0;
};

} // namespace mlir::tfperf

#endif // TFPERF_DIALECT_TFPERF_IR_MODELREADER_H
