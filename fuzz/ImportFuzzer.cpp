//===- ImportFuzzer.cpp - libFuzzer target for the ONNX importer ----------===//
//
// Feeds arbitrary bytes to importONNX: the wire-level loader (binary, text or
// JSON protobuf, picked by content as for a file with an unknown extension),
// graph import, shape inference, verification and, on success, printing.
// Diagnostics are swallowed. The importer must return a module or null after
// an error; anything else (a crash, a sanitizer report, a hang, running out
// of memory) is a bug.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Target/ONNX/ImportONNX.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

#include <cstddef>
#include <cstdint>
#include <memory>

using namespace mlir;

// libMLIR.so is not instrumented: memory its BumpPtrAllocator hands out
// may lie in a slab that our inlined, instrumented copy of the allocator
// poisoned, which ASan reports as use-after-poison. Ignore manual poisoning
// (scripts/sanitize.sh sets the same option).
extern "C" const char *__asan_default_options() {
  return "allow_user_poisoning=0";
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // One registry for the process.
  static DialectRegistry *registry = [] {
    auto *r = new DialectRegistry();
    tfperf::registerImportDialects(*r);
    return r;
  }();
  // A context is costly to set up (half of a small input's time): reuse one
  // for a bounded number of inputs. What it keeps (uniqued names and types)
  // changes no result, and the bound keeps its memory from growing.
  static std::unique_ptr<MLIRContext> shared;
  static unsigned uses = 0;
  if (!shared || ++uses == 500) {
    shared.reset();
    shared = std::make_unique<MLIRContext>(*registry,
                                           MLIRContext::Threading::DISABLED);
    shared->printOpOnDiagnostic(false);
    uses = 0;
  }
  MLIRContext &context = *shared;
  ScopedDiagnosticHandler swallow(&context,
                                  [](Diagnostic &) { return success(); });
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  // No extension: the format is detected from the bytes. The folder does not
  // exist, so external-data checks never depend on the fuzzing machine.
  llvm::StringRef name = "/nonexistent-tfperf-fuzz/model";
  OwningOpRef<ModuleOp> module = tfperf::importONNX(
      llvm::MemoryBufferRef(bytes, name), name, &context);
  if (module)
    module->print(llvm::nulls());
  return 0;
}
