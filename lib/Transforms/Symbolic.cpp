//===- Symbolic.cpp - the tfperf-symbolic pass ----------------------------===//

#include "tfperf/Analysis/SymbolicCosts.h"
#include "tfperf/Analysis/Sweep.h"
#include "tfperf/ExternalModels/ExternalModels.h"
#include "tfperf/Report/Report.h"
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
struct SymbolicPass : public tfperf::impl::TFPerfSymbolicBase<SymbolicPass> {
  using Base::Base;
  void getDependentDialects(DialectRegistry &registry) const override {
    Base::getDependentDialects(registry);
    registerAllExternalModels(registry);
  }
  void runOnOperation() override {
    ModuleOp module = getOperation();
    ReportConfig config = ReportConfig::fromModule(module);
    config.symbolic = true;
    config.sweep = sweep;
    auto fail = [&](const std::string &msg) {
      module.emitError() << msg;
      signalPassFailure();
    };
    for (const std::string &file : sweepOut) {
      llvm::StringRef ext = llvm::sys::path::extension(file);
      if (ext != ".csv" && ext != ".json")
        return fail("sweep-out=" + file +
                    ": the format comes from the extension (.csv or .json)");
    }
    if (!sweepOut.empty() && sweep.empty())
      return fail("sweep-out needs a sweep");
    if (!sweep.empty()) {
      // Check the sweep against the graph here, so that a bad one fails
      // before any report is written.
      std::string error;
      auto policy = DtypePolicy::parse(config.computeDtype, config.weightDtype,
                                       error);
      std::string names;
      for (const std::string &d : config.devices)
        names += (names.empty() ? "" : ",") + d;
      auto devices =
          policy ? resolveDevices(names, config.hwFile, error) : std::nullopt;
      if (!devices)
        return fail(error);
      auto spec = parseSweepSpec(sweep, error);
      auto &costs = getAnalysis<CostAnalysis>();
      auto &structure = getAnalysis<TransformerStructure>();
      std::optional<TensorParallelPlan> plan;
      if (spec && spec->find("tp"))
        if (auto func = firstFunction(module))
          plan.emplace(func, structure);
      SymbolicCosts symbolic(module, costs, *policy, &structure,
                             plan ? &*plan : nullptr);
      if (!spec || failed(resolveSweepSpec(*spec, symbolic, config.hwFile,
                                           error)))
        return fail("--sweep: " + error);
      if (!sweepOut.empty()) {
        SweepResult result = runSweep(symbolic, *spec, *devices);
        for (const std::string &file : sweepOut) {
          bool csv = llvm::sys::path::extension(file) == ".csv";
          if (llvm::Error e = llvm::writeToOutput(
                  file, [&](llvm::raw_ostream &os) {
                    csv ? writeSweepCSV(result, os) : writeSweepJSON(result, os);
                    return llvm::Error::success();
                  }))
            return fail("cannot write '" + file +
                        "': " + llvm::toString(std::move(e)));
        }
      }
    }
    config.writeToModule(module);
    markAllAnalysesPreserved();
  }
};
} // namespace
