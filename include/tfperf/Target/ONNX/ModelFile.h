//===- ModelFile.h - opening model files without reading weights -*- C++ -*-===//
//
// Tools open their input through openToolInput: binary ONNX files become a
// "sparse image", a private anonymous mapping the size of the file into
// which everything but large tensor payloads is read with pread. The
// loader then walks the image as if it were the file, and the payload
// ranges, never read and never touched, cost neither I/O nor resident
// memory. Mapping the file itself does not give that: the kernel maps the
// whole page-cache folio (or fault-around window) around each header the
// loader reads, so most of a file whose headers sit between payloads ends
// up resident.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_TARGET_ONNX_MODELFILE_H
#define TFPERF_TARGET_ONNX_MODELFILE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"
#include <memory>
#include <string>

namespace mlir::tfperf {

/// Payload fields at least this large are left unread in a sparse image.
/// Must exceed every payload ModelLoader keeps (4096 int64s = 32 KiB).
constexpr uint64_t kSparseImageMinHole = 64 * 1024;

/// Opens a tool's input ("-" is stdin). Binary ONNX files (.onnx, .pb,
/// .bin) of 1 MiB and more are read as sparse images; when that fails (not
/// a well-formed ModelProto, no mapping), they are memory-mapped whole, so
/// the importer reports the error. Everything else is read as
/// mlir::openInputFile does, NUL-terminated for the MLIR parser. Returns
/// null and sets `errorMessage` when the file cannot be read.
std::unique_ptr<llvm::MemoryBuffer>
openToolInput(llvm::StringRef fileName, std::string *errorMessage);

/// Reads `fileName` as a sparse image (exposed for tests). Returns null and
/// sets `errorMessage` when the file cannot be read or its wire structure
/// is malformed.
std::unique_ptr<llvm::MemoryBuffer>
readSparseModelImage(llvm::StringRef fileName, std::string *errorMessage);

} // namespace mlir::tfperf

#endif
