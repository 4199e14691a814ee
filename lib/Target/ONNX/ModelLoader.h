//===- ModelLoader.h - reading ONNX ModelProtos without weights -*- C++ -*-===//
//
// Loads a ModelProto from binary protobuf, protobuf text format or protobuf
// JSON. For binary input the five message types that can hold tensor
// payloads (Model, Graph, Node, Attribute, Tensor) are walked at the wire
// level so that large payloads are skipped in place: they are never copied
// and, when the buffer is memory-mapped, their pages are never touched. All
// other fields are parsed by the generated protobuf code.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_LIB_TARGET_ONNX_MODELLOADER_H
#define TFPERF_LIB_TARGET_ONNX_MODELLOADER_H

#include "onnx/onnx_pb.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringRef.h"
#include <memory>
#include <string>

namespace mlir::tfperf::onnximport {

enum class ModelFormat { Binary, Text, Json };

/// A loaded model plus what the loader left out.
struct LoadedModel {
  onnx::ModelProto model;
  /// What was skipped of a tensor's data.
  struct SkippedData {
    uint64_t rawBytes = 0;      // raw_data length
    uint64_t typedElements = 0; // elements of the typed data arrays
  };
  /// Tensors whose data was skipped.
  llvm::DenseMap<const onnx::TensorProto *, SkippedData> skipped;
  /// Bytes of payload skipped in all.
  uint64_t totalSkippedBytes = 0;
  /// Tensors listing more than kMaxRank dims: the count (the dims are not
  /// parsed, so 10^7 of them cost no memory).
  llvm::DenseMap<const onnx::TensorProto *, uint64_t> oversizedDims;
  /// Nodes with more than kMaxNodeIO inputs or outputs: both counts (neither
  /// list is parsed).
  llvm::DenseMap<const onnx::NodeProto *, std::pair<uint64_t, uint64_t>>
      oversizedNodes;
};

/// Most inputs, and most outputs, tfperf accepts on one node.
constexpr uint64_t kMaxNodeIO = 65536;

/// Decodes a protobuf base-128 varint from the bytes `next(b)` yields (it
/// returns false past the end): false when they end first or run past 64
/// bits. Shared by the loader (memory) and the sparse image (a file window).
template <typename NextByte>
bool decodeVarint(NextByte next, uint64_t &v) {
  v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    uint8_t b;
    if (!next(b))
      return false;
    v |= uint64_t(b & 0x7f) << shift;
    if (!(b & 0x80))
      return true;
  }
  return false;
}

/// Whether the name says binary protobuf (.onnx, .pb, .bin).
bool isBinaryModelName(llvm::StringRef fileName);

/// Format from the file name, or from the first bytes for unknown names.
ModelFormat detectModelFormat(llvm::StringRef fileName, llvm::StringRef data);

/// True if `data` plausibly starts a binary ModelProto.
bool looksLikeBinaryModel(llvm::StringRef data);

/// Loads a model. On failure returns null and sets `error` (without the file
/// name, which the caller adds).
std::unique_ptr<LoadedModel> loadModel(llvm::StringRef data, ModelFormat format,
                                       std::string &error);

} // namespace mlir::tfperf::onnximport

#endif
