//===- MLIRPipelineFuzzer.cpp - the whole pipeline on linalg/tosa IR ------===//
//
// Input: MLIR text (linalg, tosa, tensor, arith, math, func, tfperf). What
// parses and verifies runs through every analysis and report format with
// the report invariants on (FuzzPipeline.h), as `tfperf-opt lowered.mlir
// --analyze-roofline ...` would.
//
//===----------------------------------------------------------------------===//

#include "FuzzPipeline.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace mlir;

extern "C" const char *__asan_default_options() {
  return "allow_user_poisoning=0";
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  MLIRContext &context = tfperf::fuzz::sharedContext();
  // MLIR's lexer reads the NUL that ends every file buffer.
  std::string copy(reinterpret_cast<const char *>(data), size);
  OwningOpRef<ModuleOp> module;
  {
    ScopedDiagnosticHandler swallow(&context,
                                    [](Diagnostic &) { return success(); });
    ParserConfig config(&context);
    module = parseSourceString<ModuleOp>(llvm::StringRef(copy), config);
  }
  if (!module)
    return 0;
  unsigned variant = size ? data[size / 2] : 0;
  tfperf::fuzz::analyzeEverything(*module, variant);
  return 0;
}
