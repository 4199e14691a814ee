//===- MLIRFuzzer.cpp - libFuzzer target for tfperf passes on .mlir -------===//
//
// Parses arbitrary text as MLIR with the tfperf and func dialects and, when
// it parses and verifies, runs tfperf-infer-shapes over every function (with
// the pass manager's verifier after it) and prints the result. A first line
// `// bind-dims=<spec>` becomes the pass's bind-dims option. Verifiers and
// shape functions must reject whatever the parser lets through with a
// diagnostic, never crash.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Dialect/TFPerf/IR/TFPerfDialect.h"
#include "tfperf/Transforms/Passes.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

#include <cstddef>
#include <algorithm>
#include <cstdint>
#include <string>

using namespace mlir;

// libMLIR.so is not instrumented: memory its BumpPtrAllocator hands out
// may lie in a slab that our inlined, instrumented copy of the allocator
// poisoned, which ASan reports as use-after-poison. Ignore manual poisoning
// (scripts/sanitize.sh sets the same option).
extern "C" const char *__asan_default_options() {
  return "allow_user_poisoning=0";
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static DialectRegistry *registry = [] {
    auto *r = new DialectRegistry();
    r->insert<tfperf::TFPerfDialect, func::FuncDialect>();
    return r;
  }();
  MLIRContext context(*registry, MLIRContext::Threading::DISABLED);
  context.printOpOnDiagnostic(false);
  ScopedDiagnosticHandler swallow(&context,
                                  [](Diagnostic &) { return success(); });
  // MLIR's lexer reads the NUL that ends every file buffer; libFuzzer's
  // bytes have none (reading past them was this harness's first finding).
  std::string copy(reinterpret_cast<const char *>(data), size);
  llvm::StringRef text(copy);
  tfperf::TFPerfInferShapesOptions options;
  if (text.consume_front("// bind-dims=")) {
    // Keep `text` pointing into `copy` even when empty (split() would
    // return a null StringRef, which the lexer dereferences).
    size_t eol = std::min(text.find('\n'), text.size());
    options.bindDims = text.take_front(eol).str();
    text = text.drop_front(std::min(eol + 1, text.size()));
  }
  ParserConfig config(&context);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, config);
  if (!module)
    return 0;
  PassManager pm(&context);
  pm.nest<func::FuncOp>().addPass(tfperf::createTFPerfInferShapes(options));
  if (succeeded(pm.run(*module)))
    module->print(llvm::nulls());
  return 0;
}
