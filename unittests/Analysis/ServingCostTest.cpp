//===- ServingCostTest.cpp - a serving step's cost from a real graph ------===//
//
// The step cost model is the phase analysis with symbols for the step's
// sums: at the mix of the prefill phase and of a decode step it must give
// the phase analysis's own time (same ops, same roofline).
//
//===----------------------------------------------------------------------===//

#include "tfperf/Analysis/Hardware.h"
#include "tfperf/Analysis/PhaseAnalysis.h"
#include "tfperf/Analysis/ServingCost.h"
#include "tfperf/Analysis/TensorParallel.h"
#include "tfperf/InitAllDialects.h"
#include "tfperf/Target/ONNX/ImportONNX.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/MemoryBuffer.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::tfperf;

namespace {
class ServingCostTest : public ::testing::Test {
protected:
  void SetUp() override {
    registerImportDialects(registry);
    ctx.appendDialectRegistry(registry);
    ctx.loadAllAvailableDialects();
    auto file = llvm::MemoryBuffer::getFile(
        TFPERF_SOURCE_DIR "/examples/nanogpt_tiny_L2_d64_inline.onnx");
    ASSERT_TRUE(bool(file));
    module = importONNX((*file)->getMemBufferRef(), "nanogpt.onnx", &ctx);
    ASSERT_TRUE(module);
    structure = std::make_unique<TransformerStructure>(*module);
    std::string error;
    policy = DtypePolicy::parse("bf16", "", error);
    ASSERT_TRUE(policy) << error;
    device = *HardwareDatabase::builtin().lookup("h100-sxm");
  }
  DialectRegistry registry;
  MLIRContext ctx;
  OwningOpRef<ModuleOp> module;
  std::unique_ptr<TransformerStructure> structure;
  std::optional<DtypePolicy> policy;
  DeviceSpec device;
};
} // namespace

TEST_F(ServingCostTest, StepAtThePhaseMixesEqualsThePhaseAnalysis) {
  std::string error;
  auto step = buildServingStepCost(*module, *structure, *policy, device, error);
  ASSERT_TRUE(step) << error;
  EXPECT_EQ(step->unknownOps, 0u);
  EXPECT_GT(step->kvBytesPerToken, 0);
  PhaseOptions opts;
  opts.batch = 3;
  opts.seq = 40;
  opts.kvLen = 57;
  auto fig = analyzeTransformer(*module, *structure, opts, *policy, device,
                                error);
  ASSERT_TRUE(fig && fig->prefill && fig->decode) << error;
  serving::StepMix prefill, decode;
  for (int i = 0; i < 3; ++i) {
    prefill.add({40, 40, /*starts=*/true});
    decode.add({1, 57, /*starts=*/false});
  }
  EXPECT_NEAR(step->model.time(prefill), fig->prefill->totals.time,
              1e-9 * fig->prefill->totals.time);
  EXPECT_NEAR(step->model.flops(prefill), fig->prefill->totals.flops, 0.5);
  EXPECT_NEAR(step->model.bytes(prefill), fig->prefill->totals.bytes, 0.5);
  EXPECT_NEAR(step->model.time(decode), fig->decode->totals.time,
              1e-9 * fig->decode->totals.time);
  EXPECT_NEAR(step->model.flops(decode), fig->decode->totals.flops, 0.5);
  EXPECT_NEAR(step->model.bytes(decode), fig->decode->totals.bytes, 0.5);
}

TEST_F(ServingCostTest, TensorParallelStepsEqualTheTPFigures) {
  std::string error;
  func::FuncOp func = firstFunction(*module);
  TensorParallelPlan plan(func, *structure);
  TensorParallelAccumulator acc(func, *structure, plan, {2}, *policy, device);
  PhaseOptions opts;
  opts.batch = 2;
  opts.seq = 32;
  opts.kvLen = 48;
  opts.onOp = [&](llvm::StringRef phase, const OpCostRecord &rec,
                  const OpFigures &f) { acc.visit(phase, rec, f); };
  auto fig = analyzeTransformer(*module, *structure, opts, *policy, device,
                                error);
  ASSERT_TRUE(fig) << error;
  TensorParallelFigures tp = acc.finish(*fig, 0);
  ASSERT_EQ(tp.degrees.size(), 1u);
  const TPDegree &d = tp.degrees[0];
  ASSERT_TRUE(d.prefill && d.decode);
  auto step = buildServingStepCost(*module, *structure, *policy, device, error,
                                   &plan, 2);
  ASSERT_TRUE(step) << error;
  EXPECT_EQ(step->infeasible, "");
  serving::StepMix prefill, decode;
  for (int i = 0; i < 2; ++i) {
    prefill.add({32, 32, /*starts=*/true});
    decode.add({1, 48, /*starts=*/false});
  }
  EXPECT_NEAR(step->model.time(prefill), d.prefill->time(),
              1e-9 * d.prefill->time());
  EXPECT_NEAR(step->model.time(decode), d.decode->time(),
              1e-9 * d.decode->time());
  EXPECT_NEAR(step->weightBytes, d.weightBytesPerDevice, 0.5);
  EXPECT_NEAR(step->kvBytesPerToken, d.kvBytesPerTokenPerDevice, 1e-9);
}
