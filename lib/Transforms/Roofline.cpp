//===- Roofline.cpp - the tfperf-roofline pass ----------------------------===//

#include "tfperf/Analysis/AnalysisConfig.h"
#include "tfperf/Analysis/KernelTimes.h"
#include "tfperf/Analysis/RooflineAnalysis.h"
#include "tfperf/ExternalModels/ExternalModels.h"
#include "tfperf/Transforms/TFPerfPass.h"
#include "tfperf/Transforms/Passes.h"

#include "mlir/IR/Builders.h"

namespace mlir::tfperf {
#define GEN_PASS_DEF_TFPERFROOFLINE
#include "tfperf/Transforms/Passes.h.inc"
} // namespace mlir::tfperf

using namespace mlir;
using namespace mlir::tfperf;

namespace {
struct RooflinePass
    : TFPerfPass<RooflinePass, tfperf::impl::TFPerfRooflineBase> {
  using TFPerfPass::TFPerfPass;
  LogicalResult runOnModule(ModuleOp module) override {
    // The device names as given (the configuration resolves them once, for
    // every analysis), without blanks and repeats.
    Builder b(&getContext());
    SmallVector<StringAttr> names;
    SmallVector<llvm::StringRef> list;
    llvm::StringRef(hw).split(list, ',', -1, /*KeepEmpty=*/false);
    for (llvm::StringRef name : list) {
      StringAttr attr = b.getStringAttr(name.trim());
      if (!attr.getValue().empty() && !llvm::is_contained(names, attr))
        names.push_back(attr);
    }
    if (!parseKernelView(kernels) || !parseTimeModel(timeModel)) {
      module.emitError() << (parseKernelView(kernels)
                                 ? "time-model must be roofline or "
                                   "calibrated, got '" +
                                       timeModel + "'"
                                 : "kernels must be exported or fused, got '" +
                                       kernels + "'");
      return failure();
    }
    // The defaults are recorded as no part.
    TimingConfigAttr timing;
    if (kernels != kDefaultKernelView || timeModel != kDefaultTimeModel)
      timing = TimingConfigAttr::get(&getContext(), kernels, timeModel);
    setConfig(module,
              getConfig(module)
                  .withDevices(names, hwFile, computeDtype, weightDtype)
                  .withTiming(timing),
              getAnalysisManager());
    auto &roofline = getAnalysis<RooflineAnalysis>();
    if (!roofline.getError().empty()) {
      module.emitError() << roofline.getError();
      return failure();
    }
    ArrayRef<DeviceSpec> devices = roofline.getDevices();
    for (auto [index, rec] : llvm::enumerate(roofline.getCosts().getRecords())) {
      // Weights and constants cost nothing themselves; their readers do.
      if (rec.op->hasTrait<OpTrait::ConstantLike>())
        continue;
      SmallVector<NamedAttribute> perDevice;
      for (auto [i, f] : llvm::enumerate(roofline.getFigures(index))) {
        bool ok = f.problem.empty();
        StringAttr bound = b.getStringAttr(ok ? stringifyBound(f.bound) : "unknown");
        if (i == 0) {
          rec.op->setAttr("tfperf.bound", bound);
          if (ok) {
            rec.op->setAttr("tfperf.intensity", b.getF64FloatAttr(f.intensity));
            rec.op->setAttr("tfperf.time", b.getF64FloatAttr(f.time));
          }
        }
        if (devices.size() > 1) {
          SmallVector<NamedAttribute> entry = {b.getNamedAttr("bound", bound)};
          if (ok)
            entry.push_back(b.getNamedAttr("time", b.getF64FloatAttr(f.time)));
          perDevice.push_back(
              b.getNamedAttr(devices[i].name, b.getDictionaryAttr(entry)));
        }
      }
      if (!perDevice.empty())
        rec.op->setAttr("tfperf.roofline", b.getDictionaryAttr(perDevice));
    }
    // The configuration's change invalidated what it had to; the op
    // annotations are read by no analysis.
    markAllAnalysesPreserved();
    return success();
  }
};
} // namespace
