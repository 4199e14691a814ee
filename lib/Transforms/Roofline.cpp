//===- Roofline.cpp - the tfperf-roofline pass ----------------------------===//

#include "tfperf/Analysis/CostAnalysis.h"
#include "tfperf/Analysis/Roofline.h"
#include "tfperf/ExternalModels/ExternalModels.h"
#include "tfperf/Report/Report.h"
#include "tfperf/Transforms/Passes.h"

#include "mlir/IR/Builders.h"

namespace mlir::tfperf {
#define GEN_PASS_DEF_TFPERFROOFLINE
#include "tfperf/Transforms/Passes.h.inc"
} // namespace mlir::tfperf

using namespace mlir;
using namespace mlir::tfperf;

namespace {
struct RooflinePass : public tfperf::impl::TFPerfRooflineBase<RooflinePass> {
  using Base::Base;
  /// Upstream ops' cost models attach when their dialects load; asking for
  /// them here, before the pipeline runs, makes the pass work in any tool
  /// (mlir-opt with only the pass plugin loaded included).
  void getDependentDialects(DialectRegistry &registry) const override {
    Base::getDependentDialects(registry);
    registerAllExternalModels(registry);
  }
  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::string error;
    auto policy = DtypePolicy::parse(computeDtype, weightDtype, error);
    auto devices = policy ? resolveDevices(hw, hwFile, error) : std::nullopt;
    if (!devices) {
      module.emitError() << error;
      return signalPassFailure();
    }
    ReportConfig config = ReportConfig::fromModule(module);
    config.devices.clear();
    for (auto &d : *devices)
      config.devices.push_back(d.name);
    config.hwFile = hwFile;
    config.computeDtype = computeDtype;
    config.weightDtype = weightDtype;
    config.writeToModule(module);

    auto &costs = getAnalysis<CostAnalysis>();
    Builder b(&getContext());
    for (const OpCostRecord &rec : costs.getRecords()) {
      // Weights and constants cost nothing themselves; their readers do.
      if (rec.op->hasTrait<OpTrait::ConstantLike>())
        continue;
      SmallVector<NamedAttribute> perDevice;
      for (size_t i = 0; i < devices->size(); ++i) {
        OpFigures f = evaluateOp(rec, *policy, (*devices)[i]);
        bool ok = f.problem.empty();
        StringAttr bound = b.getStringAttr(ok ? boundName(f.bound) : "unknown");
        if (i == 0) {
          rec.op->setAttr("tfperf.bound", bound);
          if (ok) {
            rec.op->setAttr("tfperf.intensity", b.getF64FloatAttr(f.intensity));
            rec.op->setAttr("tfperf.time", b.getF64FloatAttr(f.time));
          }
        }
        if (devices->size() > 1) {
          SmallVector<NamedAttribute> entry = {b.getNamedAttr("bound", bound)};
          if (ok)
            entry.push_back(b.getNamedAttr("time", b.getF64FloatAttr(f.time)));
          perDevice.push_back(b.getNamedAttr((*devices)[i].name,
                                             b.getDictionaryAttr(entry)));
        }
      }
      if (!perDevice.empty())
        rec.op->setAttr("tfperf.roofline", b.getDictionaryAttr(perDevice));
    }
    markAllAnalysesPreserved();
  }
};
} // namespace
