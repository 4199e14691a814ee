//===- ConfigInvalidationTest.cpp - what a configuration change keeps -----===//

#include "tfperf/Analysis/AnalysisConfig.h"
#include "tfperf/Analysis/KernelTimes.h"
#include "tfperf/Analysis/RooflineAnalysis.h"
#include "tfperf/Analysis/TrainingAnalysis.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"

#include "ParsedModuleTest.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::tfperf;

namespace {

class ConfigInvalidationTest : public ParsedModuleTest {
protected:
  void SetUp() override {
    ASSERT_TRUE(parse(R"mlir(
      func.func @f(%x: tensor<4x64xf32>) -> tensor<4x32xf32> {
        %w = tfperf.weight "w" : tensor<64x32xf32>
        %y = tfperf.matmul %x, %w : (tensor<4x64xf32>, tensor<64x32xf32>) -> tensor<4x32xf32>
        return %y : tensor<4x32xf32>
      })mlir"));
    manager = std::make_unique<ModuleAnalysisManager>(*module, nullptr);
  }
  AnalysisManager am() { return *manager; }
  ConfigAttr withDevice(ConfigAttr c, llvm::StringRef name) {
    return c.withDevices({StringAttr::get(&ctx, name)}, "", "", "");
  }

  std::unique_ptr<ModuleAnalysisManager> manager;
};

TEST_F(ConfigInvalidationTest, DefaultsWithoutAttribute) {
  ConfigAttr c = getConfig(*module);
  EXPECT_EQ(c, ConfigAttr::getDefault(&ctx));
  EXPECT_TRUE(c.getHw().empty());
  EXPECT_FALSE(c.getTransformer());
  // The default device.
  ASSERT_EQ(am().getAnalysis<DeviceSet>().getDevices().size(), 1u);
  EXPECT_EQ(am().getAnalysis<DeviceSet>().getDevices()[0].name, "h100-sxm");
}

TEST_F(ConfigInvalidationTest, ChangedParts) {
  ConfigAttr a = ConfigAttr::getDefault(&ctx);
  ConfigAttr b = withDevice(a, "a100-sxm-40gb");
  EXPECT_EQ(changedParts(a, b), ConfigPart::Devices);
  ConfigAttr c = b.withTraining(TrainingConfigAttr::get(&ctx, true, 16.0));
  EXPECT_EQ(changedParts(b, c), ConfigPart::Training);
  EXPECT_EQ(changedParts(a, c), ConfigPart::Devices | ConfigPart::Training);
  EXPECT_EQ(changedParts(c, c), ConfigPart::None);
}

TEST_F(ConfigInvalidationTest, DeviceChangeKeepsWhatReadsNoDevices) {
  setConfig(*module, withDevice(getConfig(*module), "a100-sxm-40gb"), am());
  const CostAnalysis *costs = &am().getAnalysis<CostAnalysis>();
  const TrainingAnalysis *training = &am().getAnalysis<TrainingAnalysis>();
  EXPECT_EQ(am().getAnalysis<RooflineAnalysis>().getDevices()[0].name,
            "a100-sxm-40gb");

  setConfig(*module, withDevice(getConfig(*module), "h100-sxm"), am());
  EXPECT_FALSE(am().getCachedAnalysis<RooflineAnalysis>());
  EXPECT_FALSE(am().getCachedAnalysis<DeviceSet>());
  ASSERT_TRUE(am().getCachedAnalysis<CostAnalysis>());
  EXPECT_EQ(&am().getCachedAnalysis<CostAnalysis>()->get(), costs);
  ASSERT_TRUE(am().getCachedAnalysis<TrainingAnalysis>());
  EXPECT_EQ(&am().getCachedAnalysis<TrainingAnalysis>()->get(), training);
  EXPECT_TRUE(am().getCachedAnalysis<DtypeConfig>());
  EXPECT_EQ(am().getAnalysis<RooflineAnalysis>().getDevices()[0].name,
            "h100-sxm");
}

TEST_F(ConfigInvalidationTest, TrainingChangeKeepsTheRoofline) {
  am().getAnalysis<RooflineAnalysis>();
  EXPECT_FALSE(am().getAnalysis<TrainingAnalysis>().getOptions().inputRequiresGrad);
  setConfig(*module,
            getConfig(*module).withTraining(
                TrainingConfigAttr::get(&ctx, true, 16.0)),
            am());
  EXPECT_TRUE(am().getCachedAnalysis<RooflineAnalysis>());
  EXPECT_FALSE(am().getCachedAnalysis<TrainingAnalysis>());
  EXPECT_TRUE(am().getAnalysis<TrainingAnalysis>().getOptions().inputRequiresGrad);
}

TEST_F(ConfigInvalidationTest, TimingChangeKeepsTheRoofline) {
  // From the per-op roofline (not the default) to the fused calibrated view.
  setConfig(*module,
            getConfig(*module).withTiming(
                TimingConfigAttr::get(&ctx, "exported", "roofline")),
            am());
  const RooflineAnalysis *roofline = &am().getAnalysis<RooflineAnalysis>();
  size_t matmul = 0;
  for (auto [i, rec] : llvm::enumerate(roofline->getCosts().getRecords()))
    if (rec.opType == "MatMul")
      matmul = i;
  double rooflineTime = roofline->getFigures(matmul)[0].time;
  ASSERT_GT(rooflineTime, 0);
  EXPECT_TRUE(
      am().getAnalysis<KernelTimesAnalysis>().getTiming().isPerOpRoofline());
  setConfig(*module,
            getConfig(*module).withTiming(
                TimingConfigAttr::get(&ctx, "fused", "calibrated")),
            am());
  ASSERT_TRUE(am().getCachedAnalysis<RooflineAnalysis>());
  EXPECT_EQ(&am().getCachedAnalysis<RooflineAnalysis>()->get(), roofline);
  EXPECT_FALSE(am().getCachedAnalysis<KernelTimesAnalysis>());
  const KernelTimesAnalysis &times = am().getAnalysis<KernelTimesAnalysis>();
  EXPECT_EQ(times.getTiming().view, KernelView::Fused);
  EXPECT_EQ(times.getTiming().model, TimeModelKind::Calibrated);
  // The matmul's calibrated time: above its roofline (efficiencies <= 1).
  EXPECT_GT(times.getFigures(matmul)[0].time, rooflineTime);
  EXPECT_EQ(changedParts(getConfig(*module), ConfigAttr::getDefault(&ctx)),
            ConfigPart::Timing);
}

TEST_F(ConfigInvalidationTest, SameConfigurationKeepsEverything) {
  setConfig(*module, withDevice(getConfig(*module), "h100-sxm"), am());
  am().getAnalysis<RooflineAnalysis>();
  setConfig(*module, withDevice(getConfig(*module), "h100-sxm"), am());
  EXPECT_TRUE(am().getCachedAnalysis<RooflineAnalysis>());
}

TEST_F(ConfigInvalidationTest, OtherInvalidationFollowsDependencies) {
  am().getAnalysis<RooflineAnalysis>();
  // A pass that preserves the roofline figures but not the costs they
  // point into loses both.
  AnalysisManager::PreservedAnalyses pa;
  pa.preserve<RooflineAnalysis, DtypeConfig, DeviceSet>();
  am().invalidate(pa);
  EXPECT_FALSE(am().getCachedAnalysis<CostAnalysis>());
  EXPECT_FALSE(am().getCachedAnalysis<RooflineAnalysis>());
  EXPECT_TRUE(am().getCachedAnalysis<DeviceSet>());
}

} // namespace
