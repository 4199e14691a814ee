//===- PipelineFuzzer.cpp - structure-aware fuzzing of the whole pipeline -===//
//
// Input: a binary onnx::ModelProto. The custom mutator parses it, applies
// semantic mutations (ModelMutator.h) and serializes it again (bytes that
// do not parse get libFuzzer's byte mutations instead). Each input is
// imported, shape-inferred and run through every analysis and report
// format with the report invariants on (FuzzPipeline.h). Findings: a
// crash, a sanitizer report, a hang, or an internal error (abort).
//
//===----------------------------------------------------------------------===//

#include "FuzzPipeline.h"
#include "ModelMutator.h"

#include "tfperf/Target/ONNX/ImportONNX.h"

#include "onnx/onnx_pb.h"

#include "mlir/IR/MLIRContext.h"

#include <cstddef>
#include <cstdint>
#include <cstring>

using namespace mlir;

extern "C" const char *__asan_default_options() {
  return "allow_user_poisoning=0";
}

extern "C" size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t maxSize);

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size,
                                          size_t maxSize, unsigned seed) {
  onnx::ModelProto model;
  if (!model.ParseFromArray(data, int(size)) || !model.has_graph())
    return LLVMFuzzerMutate(data, size, maxSize);
  std::minstd_rand rng(seed);
  tfperf::fuzz::mutateModel(model, rng);
  std::string bytes;
  if (!model.SerializeToString(&bytes) || bytes.size() > maxSize)
    return LLVMFuzzerMutate(data, size, maxSize);
  std::memcpy(data, bytes.data(), bytes.size());
  return bytes.size();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  MLIRContext &context = tfperf::fuzz::sharedContext();
  OwningOpRef<ModuleOp> module;
  {
    ScopedDiagnosticHandler swallow(&context,
                                    [](Diagnostic &) { return success(); });
    llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
    // Binary protobuf (what the mutator writes); the folder does not
    // exist, so external data never depends on the fuzzing machine.
    llvm::StringRef name = "/nonexistent-tfperf-fuzz/model.onnx";
    module =
        tfperf::importONNX(llvm::MemoryBufferRef(bytes, name), name, &context);
  }
  if (!module)
    return 0;
  // The configuration follows from the bytes, so a finding reproduces.
  unsigned variant = size ? data[size / 2] : 0;
  tfperf::fuzz::analyzeEverything(*module, variant);
  return 0;
}
