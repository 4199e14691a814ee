//===- tfperf-plugin.cpp - tfperf as a plugin of stock mlir-opt -----------===//
//
// One shared library, two entry points (as mlir/examples/standalone):
//
//   mlir-opt --load-pass-plugin=TFPerfPlugin.so      registers the tfperf-*
//                                                     passes and the
//                                                     tfperf-analyze pipeline;
//   mlir-opt --load-dialect-plugin=TFPerfPlugin.so   registers the tfperf
//                                                     dialect and the cost
//                                                     models of linalg, tosa,
//                                                     arith, math and tensor.
//
// The cost passes also request the external models themselves (see
// getDependentDialects in lib/Transforms), so the pass plugin alone costs
// upstream IR. The library links libMLIR.so and libLLVM.so dynamically: one
// copy of MLIR's registries, shared with the host tool. Symbols keep default
// visibility so that MLIR's implicit TypeIDs bind to libMLIR.so's (see
// CMakeLists.txt).
//
//===----------------------------------------------------------------------===//

#include "tfperf/Dialect/TFPerf/IR/TFPerfDialect.h"
#include "tfperf/ExternalModels/ExternalModels.h"
#include "tfperf/Pipelines/AnalyzePipeline.h"
#include "tfperf/Target/ONNX/ImportONNX.h"
#include "tfperf/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Compiler.h"

using namespace mlir;

extern "C" LLVM_ATTRIBUTE_WEAK LLVM_ATTRIBUTE_VISIBILITY_DEFAULT
    PassPluginLibraryInfo
    mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "TFPerfPasses", LLVM_VERSION_STRING,
          []() {
            tfperf::registerTFPerfPasses();
            tfperf::registerAnalyzePipeline();
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK LLVM_ATTRIBUTE_VISIBILITY_DEFAULT
    DialectPluginLibraryInfo
    mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "TFPerfDialect", LLVM_VERSION_STRING,
          [](DialectRegistry *registry) {
            // The tfperf dialect with the importer's ModelReaderInterface,
            // so that --serve reads an ONNX draft model as tfperf-opt does.
            tfperf::registerImportDialects(*registry);
            tfperf::registerAllExternalModels(*registry);
          }};
}
