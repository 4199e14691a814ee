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

// With the fused view and the calibrated model the step's kernels are
// formed once on symbolic shapes and priced at each step's numbers; at the
// phase mixes that must be what the phase analysis gets by forming the
// kernels at the phase's own shapes and calling TimeModel::price on them.
// This graph has no past-KV inputs: its decode phase is derived, and both
// read the cache the graph does not hold, each sequence's K/V at its KV
// length, in the flash kernel.
TEST_F(ServingCostTest, CalibratedKernelStepsEqualTheTimeModelAtThePhases) {
  std::string error;
  Timing timing{KernelView::Fused, TimeModelKind::Calibrated};
  // At the graph's own element sizes: the phase analysis scales a kernel's
  // bytes to other sizes as a whole, the step cost per term of the mix.
  policy = DtypePolicy::parse("", "", error);
  ASSERT_TRUE(policy) << error;
  auto step = buildServingStepCost(*module, *structure, *policy, device, error,
                                   nullptr, 1, timing);
  ASSERT_TRUE(step) << error;
  auto roofline = buildServingStepCost(*module, *structure, *policy, device,
                                       error);
  ASSERT_TRUE(roofline) << error;
  // Fewer terms than ops: kernels.
  EXPECT_LT(step->model.getTerms().size(), roofline->model.getTerms().size());
  for (auto [batch, seq, kv] : {std::tuple{1, 1, 1}, std::tuple{3, 40, 57},
                                std::tuple{8, 200, 300},
                                std::tuple{2, 129, 1000}}) {
    PhaseOptions opts;
    opts.batch = batch;
    opts.seq = seq;
    opts.kvLen = kv;
    opts.timing = timing;
    auto fig = analyzeTransformer(*module, *structure, opts, *policy, device,
                                  error);
    ASSERT_TRUE(fig && fig->prefill && fig->decode) << error;
    serving::StepMix prefill, decode;
    for (int i = 0; i < batch; ++i) {
      prefill.add({seq, seq, /*starts=*/true});
      decode.add({1, kv, /*starts=*/false});
    }
    SCOPED_TRACE("batch " + std::to_string(batch) + " seq " +
                 std::to_string(seq) + " kv " + std::to_string(kv));
    // Twice: the second reads the GEMM times kept by token count.
    for (int pass = 0; pass < 2; ++pass) {
      EXPECT_NEAR(step->model.time(prefill), fig->prefill->totals.time,
                  1e-9 * fig->prefill->totals.time);
      EXPECT_NEAR(step->model.time(decode), fig->decode->totals.time,
                  1e-9 * fig->decode->totals.time);
    }
    // Calibrated times are above the roofline bound (overheads, waves).
    EXPECT_GT(step->model.time(decode), roofline->model.time(decode));
    // FLOPs are the exact counts in every view.
    EXPECT_NEAR(step->model.flops(prefill), fig->prefill->totals.flops, 0.5);
  }
}

// A GEMM kernel's term at a step is TimeModel::gemmTime at M = the step's
// tokens, whatever else the step holds.
TEST_F(ServingCostTest, CalibratedGemmTermIsTheTimeModelsGemmTime) {
  std::string error;
  Timing timing{KernelView::Fused, TimeModelKind::Calibrated};
  auto step = buildServingStepCost(*module, *structure, *policy, device, error,
                                   nullptr, 1, timing);
  ASSERT_TRUE(step) << error;
  TimeModel model(device);
  unsigned gemms = 0;
  for (const serving::StepCostTerm &t : step->model.getTerms()) {
    if (t.name != "gemm")
      continue;
    ++gemms;
    ASSERT_TRUE(bool(t.kernelTime));
    for (int tokens : {1, 7, 64, 65, 300, 4096}) {
      serving::StepMix mix;
      mix.add({tokens, tokens + 10, true});
      mix.add({1, 500, false});
      // N x K of the weight: the GEMM's FLOPs per token (or per sequence,
      // the lm-head on the last token) over 2; M the tokens (sequences).
      double perRow = t.gemmFlops.perToken + t.gemmFlops.perSequence;
      double nk = perRow / 2;
      ASSERT_GT(nk, 0);
      int64_t m = int64_t(t.gemmFlops.at(mix) / perRow);
      EXPECT_EQ(m, t.gemmFlops.perToken > 0 ? tokens + 1 : 2);
      double bytes = t.bytes.at(mix);
      // Every N x K split with N * K = nk gives the same FLOPs; the term
      // must match gemmTime for its own N and K, which are the weight's.
      bool matched = false;
      for (int64_t n = 1; n <= int64_t(nk) && !matched; ++n) {
        if (int64_t(nk) % n)
          continue;
        double direct = model.gemmTime(m, n, int64_t(nk) / n, 1, bytes,
                                       model.tensorPeak("bf16"));
        matched = direct == t.time(mix) / t.count;
      }
      EXPECT_TRUE(matched) << "tokens " << tokens;
    }
  }
  EXPECT_GT(gemms, 0u);
}
