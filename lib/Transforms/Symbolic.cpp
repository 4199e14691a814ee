//===- Symbolic.cpp - the tfperf-symbolic pass ----------------------------===//

#include "tfperf/Analysis/AnalysisConfig.h"
#include "tfperf/Analysis/SymbolicAnalysis.h"
#include "tfperf/ExternalModels/ExternalModels.h"
#include "tfperf/Report/Report.h"
#include "tfperf/Report/SweepTable.h"
#include "tfperf/Transforms/TFPerfPass.h"
#include "tfperf/Transforms/Passes.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace mlir::tfperf {
#define GEN_PASS_DEF_TFPERFSYMBOLIC
#include "tfperf/Transforms/Passes.h.inc"
} // namespace mlir::tfperf

using namespace mlir;
using namespace mlir::tfperf;

namespace {
struct SymbolicPass
    : TFPerfPass<SymbolicPass, tfperf::impl::TFPerfSymbolicBase> {
  using TFPerfPass::TFPerfPass;
  LogicalResult runOnModule(ModuleOp module) override {
    auto fail = [&](const std::string &msg) -> LogicalResult {
      return module.emitError() << msg;
    };
    if (std::string e = tableFileError("sweep-out", sweepOut); !e.empty())
      return fail(e);
    if (!sweepOut.empty() && sweep.empty())
      return fail("sweep-out needs a sweep");
    setConfig(module,
              getConfig(module).withSymbolic(
                  SymbolicConfigAttr::get(&getContext(), sweep)),
              getAnalysisManager());
    if (!sweep.empty()) {
      // Evaluate the sweep here (the report reuses it), so that a bad one
      // fails before any report is written.
      const SweepAnalysis &analysis = getAnalysis<SweepAnalysis>();
      const SweepResult *result = analysis.getResult();
      if (!result)
        return fail(analysis.getError());
      for (const std::string &file : sweepOut) {
        bool csv = llvm::sys::path::extension(file) == ".csv";
        if (llvm::Error e =
                llvm::writeToOutput(file, [&](llvm::raw_ostream &os) {
                  csv ? writeSweepCSV(*result, os)
                      : writeSweepJSON(*result, os);
                  return llvm::Error::success();
                }))
          return fail("cannot write '" + file +
                      "': " + llvm::toString(std::move(e)));
      }
    }
    // The configuration's change invalidated what it had to.
    markAllAnalysesPreserved();
    return success();
  }
};
} // namespace
