//===- Serve.cpp - the tfperf-serve pass ----------------------------------===//

#include "tfperf/Analysis/AnalysisConfig.h"
#include "tfperf/Analysis/ServingAnalysis.h"
#include "tfperf/Report/Report.h"
#include "tfperf/Report/ServingRows.h"
#include "tfperf/Transforms/Passes.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace mlir::tfperf {
#define GEN_PASS_DEF_TFPERFSERVE
#include "tfperf/Transforms/Passes.h.inc"
} // namespace mlir::tfperf

using namespace mlir;
using namespace mlir::tfperf;

namespace {
struct ServePass : public tfperf::impl::TFPerfServeBase<ServePass> {
  using Base::Base;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto fail = [&](const std::string &msg) {
      module.emitError() << msg;
      signalPassFailure();
    };
    // The syntax first, before anything is simulated.
    std::string error;
    if (!serving::parseServingSpec(serve, error))
      return fail("serve: " + error);
    if (!slo.empty() && !serving::parseServiceLevel(slo, error))
      return fail("slo: " + error);
    if (std::string e = tableFileError("serve-out", serveOut); !e.empty())
      return fail(e);
    ConfigAttr config = getConfig(module);
    if (!config.getTransformer())
      return fail("tfperf-serve needs tfperf-analyze-transformer before it");
    setConfig(module,
              config.withServing(
                  ServingConfigAttr::get(&getContext(), serve, slo)),
              getAnalysisManager());
    // Simulate here (the report reuses it), so that a failure stops the
    // pipeline before any report is written.
    const ServingStudyAnalysis &study = getAnalysis<ServingStudyAnalysis>();
    const ServingSection *section = study.getSection();
    if (!section)
      return fail(study.getError());
    for (const std::string &file : serveOut) {
      llvm::StringRef format =
          llvm::sys::path::extension(file) == ".csv" ? "csv" : "json";
      if (llvm::Error e = llvm::writeToOutput(file, [&](llvm::raw_ostream &os) {
            writeServingRows(*section, format, os);
            return llvm::Error::success();
          }))
        return fail("cannot write '" + file +
                    "': " + llvm::toString(std::move(e)));
    }
    // The configuration's change invalidated what it had to.
    markAllAnalysesPreserved();
  }
};
} // namespace
