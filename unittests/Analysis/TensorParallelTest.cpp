//===- TensorParallelTest.cpp - ring collectives and the split plan -------===//

#include "tfperf/Analysis/Hardware.h"
#include "tfperf/Analysis/KernelAnalysis.h"
#include "tfperf/Analysis/TensorParallel.h"
#include "tfperf/Analysis/TimeModel.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfDialect.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"

#include "ParsedModuleTest.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::tfperf;

namespace {

TEST(RingCollectives, NothingToDoOnOneDevice) {
  EXPECT_EQ(ringAllReduceTime(1e9, 1, 1e9, 5e-6), 0);
  EXPECT_EQ(ringAllGatherTime(1e9, 1, 1e9, 5e-6), 0);
  EXPECT_EQ(ringAllReduceBytesSent(1e9, 1), 0);
}

TEST(RingCollectives, AllReduceIsTwiceTheStepsOfAnAllGather) {
  // 2 devices, 1 MB over 1 GB/s with 5 us per step: each device sends half
  // the tensor twice (reduce-scatter, all-gather) in 2 steps.
  EXPECT_DOUBLE_EQ(ringAllReduceBytesSent(1e6, 2), 1e6);
  EXPECT_DOUBLE_EQ(ringAllReduceTime(1e6, 2, 1e9, 5e-6), 1e-3 + 10e-6);
  EXPECT_DOUBLE_EQ(ringAllGatherTime(1e6, 2, 1e9, 5e-6), 0.5e-3 + 5e-6);
  // 8 devices: 2 * 7/8 of the size and 14 latency steps.
  EXPECT_DOUBLE_EQ(ringAllReduceBytesSent(8e6, 8), 14e6);
  EXPECT_DOUBLE_EQ(ringAllReduceTime(8e6, 8, 1e9, 5e-6), 14e-3 + 70e-6);
  EXPECT_DOUBLE_EQ(ringAllGatherTime(8e6, 8, 1e9, 5e-6), 7e-3 + 35e-6);
}

TEST(RingCollectives, BandwidthTermApproachesTwiceTheSize) {
  // The ring all-reduce sends at most 2x the tensor per device.
  double t = ringAllReduceBytesSent(1e6, 1024);
  EXPECT_LT(t, 2e6);
  EXPECT_GT(t, 1.99e6);
}

TEST(RingCollectives, GPT2DecodeAllReduceOnNVLink4) {
  // A decode step's all-reduce of GPT-2 (batch 1, d_model 768, bf16) is
  // pure latency on an H100's NVLink4: 2 (t - 1) steps of 5 us.
  const DeviceSpec *h100 = HardwareDatabase::builtin().lookup("h100-sxm");
  ASSERT_NE(h100, nullptr);
  double bytes = 1 * 1 * 768 * 2;
  double t4 = ringAllReduceTime(bytes, 4, h100->linkBandwidth, h100->linkLatency);
  EXPECT_NEAR(t4, 6 * 5e-6, 1e-8);
  EXPECT_NEAR(t4 - 6 * h100->linkLatency, 1.5 * bytes / 450e9, 1e-15);
}

TEST(AllToAll, PairwiseExchangeSendsAllButOwnShare) {
  // 4 devices each holding 4 MB, 1 MB for every device: 3 exchanges of
  // 1 MB at 1 GB/s and 5 us each.
  EXPECT_EQ(pairwiseAllToAllTime(4e6, 1, 1e9, 5e-6), 0);
  EXPECT_EQ(allToAllBytesSent(4e6, 1), 0);
  EXPECT_DOUBLE_EQ(allToAllBytesSent(4e6, 4), 3e6);
  EXPECT_DOUBLE_EQ(pairwiseAllToAllTime(4e6, 4, 1e9, 5e-6), 3e-3 + 15e-6);
}

TEST(AllToAll, CalibratedTierIsAlphaBetaOfThePairwiseExchange) {
  // h100-sxm's scale-up tier: a0 + (n - 1) a + (n - 1) / n x size / beta,
  // with the tier's all-reduce a0, a and beta; the ring on the datasheet
  // link (450 GB/s, 5 us a step) is the bound beside it.
  const DeviceSpec *h100 = HardwareDatabase::builtin().lookup("h100-sxm");
  ASSERT_NE(h100, nullptr);
  TimeModel model(*h100);
  const CollectiveTier *tier = model.selectTier(8);
  ASSERT_NE(tier, nullptr);
  ASSERT_TRUE(tier->allReduce.has_value());
  const auto &ab = *tier->allReduce;
  double bytes = 32.0 * 2 * 4096 * 2; // T = 32 tokens, k = 2, d 4096, bf16
  CollectiveTimes c =
      priceCollective(Collective::AllToAll, bytes, 8, *h100, &model);
  EXPECT_TRUE(c.onTier);
  EXPECT_DOUBLE_EQ(c.time, ab.alpha0S + 7 * ab.alphaS +
                               7.0 / 8.0 * bytes / ab.betaBps);
  EXPECT_DOUBLE_EQ(c.ring, 7.0 / 8.0 * bytes / 450e9 + 7 * 5e-6);
  // Without a calibrated model, the pairwise exchange on the link.
  CollectiveTimes ring =
      priceCollective(Collective::AllToAll, bytes, 8, *h100, nullptr);
  EXPECT_FALSE(ring.onTier);
  EXPECT_DOUBLE_EQ(ring.time, c.ring);
  // Half an all-reduce's volume term and steps on the same tier.
  CollectiveTimes ar =
      priceCollective(Collective::AllReduce, bytes, 8, *h100, &model);
  EXPECT_DOUBLE_EQ(ar.time - ab.alpha0S, 2 * (c.time - ab.alpha0S));
}

/// A pre-norm MLP block with a residual: the up projection is column
/// parallel, the down projection row parallel with an all-reduce, the GELU
/// sharded, the norm and the residual add replicated.
class PlanTest : public ParsedModuleTest {
protected:
  void SetUp() override {
    ASSERT_TRUE(parse(R"mlir(
      func.func @f(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
        %g = tfperf.weight "g" : tensor<64xf32>
        %w1 = tfperf.weight "w1" : tensor<64x256xf32>
        %b1 = tfperf.weight "b1" : tensor<256xf32>
        %w2 = tfperf.weight "w2" : tensor<256x64xf32>
        %n = tfperf.layer_norm %x, %g : (tensor<1x16x64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
        %h = tfperf.matmul %n, %w1 : (tensor<1x16x64xf32>, tensor<64x256xf32>) -> tensor<1x16x256xf32>
        %hb = tfperf.add %h, %b1 : (tensor<1x16x256xf32>, tensor<256xf32>) -> tensor<1x16x256xf32>
        %a = tfperf.gelu %hb : (tensor<1x16x256xf32>) -> tensor<1x16x256xf32>
        %y = tfperf.matmul %a, %w2 : (tensor<1x16x256xf32>, tensor<256x64xf32>) -> tensor<1x16x64xf32>
        %r = tfperf.add %x, %y : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
        return %r : tensor<1x16x64xf32>
      })mlir"));
    func = *module->getOps<func::FuncOp>().begin();
    structure = std::make_unique<TransformerStructure>(func);
    plan = std::make_unique<TensorParallelPlan>(func, *structure);
    func.walk([&](Operation *op) {
      if (!isa<func::FuncOp>(op))
        ops.push_back(op);
    });
  }
  Operation *op(unsigned i) const { return ops[i]; }
  /// The accumulated figures of a prefill of the graph's 1 x 16 tokens.
  static TensorParallelFigures finishPrefill(TensorParallelAccumulator &acc) {
    TransformerFigures fig;
    fig.prefill = PhaseResult();
    fig.prefill->name = "prefill";
    fig.prefill->batch = 1;
    fig.prefill->seq = 16;
    return acc.finish(fig, 0);
  }
  const OpSplit &split(unsigned i) const { return *plan->lookup(ops[i]); }

  func::FuncOp func;
  std::unique_ptr<TransformerStructure> structure;
  std::unique_ptr<TensorParallelPlan> plan;
  std::vector<Operation *> ops;
};

TEST_F(PlanTest, ColumnThenRowWithOneAllReduce) {
  ASSERT_EQ(structure->getMLPs().size(), 1u);
  // ops: 4 weights, layer_norm, matmul, add, gelu, matmul, add, return
  EXPECT_EQ(split(4).kind, SplitKind::Replicated); // the norm
  const OpSplit &up = split(5);
  EXPECT_EQ(up.kind, SplitKind::Column);
  EXPECT_EQ(up.weightOperand, 1);
  EXPECT_EQ(up.weightDim, 1); // output columns
  EXPECT_EQ(up.units, 256);
  EXPECT_TRUE(up.collectives.empty());
  EXPECT_EQ(up.operandUnits[0], 1); // the input is read whole
  EXPECT_EQ(split(6).kind, SplitKind::Sharded); // bias add: the bias is split
  EXPECT_EQ(split(6).operandUnits[1], 256);
  EXPECT_EQ(split(7).kind, SplitKind::Sharded); // GELU
  const OpSplit &down = split(8);
  EXPECT_EQ(down.kind, SplitKind::Row);
  EXPECT_EQ(down.weightDim, 0); // the contracted rows
  ASSERT_EQ(down.collectives.size(), 1u);
  EXPECT_EQ(down.collectives[0].second, Collective::AllReduce);
  EXPECT_EQ(down.resultUnits[0], 1); // partial sums, written whole
  EXPECT_EQ(split(9).kind, SplitKind::Replicated); // residual add
  // Weights: the norm's whole, both projections and the bias split.
  EXPECT_EQ(plan->getWeightUnits(op(0)->getResult(0)), 1);
  EXPECT_EQ(plan->getWeightUnits(op(1)->getResult(0)), 256);
  EXPECT_EQ(plan->getWeightUnits(op(2)->getResult(0)), 256);
  EXPECT_EQ(plan->getWeightUnits(op(3)->getResult(0)), 256);
}

TEST_F(PlanTest, DegreesMustDivideTheHiddenDim) {
  EXPECT_TRUE(plan->check(1).feasible);
  EXPECT_TRUE(plan->check(4).feasible);
  TPFeasibility f = plan->check(3);
  EXPECT_FALSE(f.feasible);
  EXPECT_NE(f.reason.find("d_ff = 256 is not divisible by 3"), std::string::npos)
      << f.reason;
}

TEST_F(PlanTest, PerDeviceFlopsTimesDevicesIsUnshardedPlusDuplicated) {
  const DeviceSpec *h100 = HardwareDatabase::builtin().lookup("h100-sxm");
  std::string error;
  auto policy = DtypePolicy::parse("", "", error);
  ASSERT_TRUE(policy);
  TensorParallelAccumulator acc(func, *structure, *plan, {1, 4}, *policy,
                                *h100);
  CostAnalysis costs(func);
  double flops = 0, replicated = 0;
  for (const OpCostRecord &rec : costs.getRecords()) {
    OpFigures f = evaluateOp(rec, *policy, *h100);
    acc.visit("prefill", rec, f);
    flops += f.flops;
    const OpSplit *sp = plan->lookup(rec.op);
    if (sp && sp->units == 1)
      replicated += f.flops;
  }
  TensorParallelFigures out = finishPrefill(acc);
  ASSERT_EQ(out.degrees.size(), 2u);
  const TPPhaseFigures &one = *out.degrees[0].prefill;
  const TPPhaseFigures &four = *out.degrees[1].prefill;
  EXPECT_DOUBLE_EQ(one.flops, flops);
  EXPECT_EQ(one.allReduces, 0u);
  EXPECT_DOUBLE_EQ(four.unshardedFlops, flops);
  EXPECT_GT(four.replicatedFlops, 0);
  EXPECT_DOUBLE_EQ(four.replicatedFlops, replicated);
  EXPECT_NEAR(four.flops * 4, flops + four.duplicatedFlops, 1e-6 * flops);
  EXPECT_NEAR(four.duplicatedFlops, 3 * replicated, 1e-6 * flops);
  // One all-reduce of batch x seq x d_model x 4 bytes.
  EXPECT_EQ(four.allReduces, 1u);
  EXPECT_DOUBLE_EQ(four.commBytes, 1 * 16 * 64 * 4);
  EXPECT_DOUBLE_EQ(four.commTime, ringAllReduceTime(1 * 16 * 64 * 4, 4,
                                                    h100->linkBandwidth,
                                                    h100->linkLatency));
  // Weights: w1, b1, w2 split four ways, the norm's whole.
  double whole = (64 + 64 * 256 + 256 + 256 * 64) * 4.0;
  double split = (64 * 256 + 256 + 256 * 64) * 4.0;
  EXPECT_DOUBLE_EQ(out.degrees[0].weightBytesPerDevice, whole);
  EXPECT_DOUBLE_EQ(out.degrees[1].weightBytesPerDevice,
                   whole - split + split / 4);
}

TEST_F(PlanTest, CalibratedShardsArePricedByTheTimeModel) {
  // The exported view priced by the calibrated model on an A100: each op's
  // shard at t = 4 is its own kernel on the shard's shape, the all-reduce
  // on the NVSwitch tier's alpha-beta model, the roofline kept as the bound.
  const DeviceSpec *a100 = HardwareDatabase::builtin().lookup("a100-sxm-80gb");
  ASSERT_NE(a100, nullptr);
  std::string error;
  auto policy = DtypePolicy::parse("", "", error);
  ASSERT_TRUE(policy);
  Timing timing{KernelView::Exported, TimeModelKind::Calibrated};
  TensorParallelAccumulator acc(func, *structure, *plan, {1, 4}, *policy,
                                *a100, timing);
  CostAnalysis costs(func);
  for (const OpCostRecord &rec : costs.getRecords())
    acc.visit("prefill", rec, evaluateOp(rec, *policy, *a100));
  KernelOptions exported;
  exported.exported = true;
  KernelAnalysis kernels(func, costs, *structure, exported);
  acc.visitKernels("prefill", costs, kernels);
  TensorParallelFigures out = finishPrefill(acc);
  ASSERT_EQ(out.degrees.size(), 2u);
  EXPECT_TRUE(out.calibratedCollectives);
  TimeModel model(*a100);
  auto opAt = [&](unsigned i, size_t k) {
    return out.prefillOps.lookup(op(i))->degrees[k];
  };
  // The up projection: x [16, 64] (read whole) times w1 [64, 256 / 4] =
  // [16, 64], fp32. 16 rows is fewer than the smallest tile: the GEMV path,
  // bound by streaming 4 KiB + 16 KiB + 4 KiB at gemm_mem_eff x 2039 GB/s.
  KernelWork up;
  up.cls = KernelClass::Gemm;
  up.m = 16;
  up.n = 64;
  up.k = 64;
  up.flops = 2.0 * 16 * 64 * 64;
  up.bytes = (16 * 64 + 64 * 64 + 16 * 64) * 4.0;
  up.dtype = "fp32";
  TPOpDegree up4 = opAt(5, 1);
  EXPECT_DOUBLE_EQ(up4.bytes, up.bytes);
  EXPECT_DOUBLE_EQ(up4.time, model.price(up).seconds);
  const DeviceCalibration &p = model.getCalibration();
  EXPECT_NEAR(up4.time,
              p.gemmOverheadS + up.bytes / (p.gemmMemEff * 2039e9),
              1e-12);
  EXPECT_GT(up4.time, up4.roofline);
  // At t = 1 the same kernel is the whole weight: N = 256.
  up.n = 256;
  up.flops *= 4;
  up.bytes = (16 * 64 + 64 * 256 + 16 * 256) * 4.0;
  EXPECT_DOUBLE_EQ(opAt(5, 0).time, model.price(up).seconds);
  // The down projection's all-reduce of [16, 64] fp32 over 4 ranks:
  // alpha0 + 2 (t - 1) alpha + 2 (t - 1) / t x S / beta on NVSwitch.
  const CollectiveTier *tier = model.selectTier(4);
  ASSERT_NE(tier, nullptr);
  EXPECT_EQ(tier->name, "nvswitch");
  const CollectiveParams &ar = *tier->allReduce;
  double S = 16 * 64 * 4.0;
  TPOpDegree down4 = opAt(8, 1);
  EXPECT_NEAR(down4.commTime,
              ar.alpha0S + 6 * ar.alphaS + 1.5 * S / ar.betaBps, 1e-15);
  EXPECT_DOUBLE_EQ(down4.commRoofline,
                   ringAllReduceTime(S, 4, a100->linkBandwidth,
                                     a100->linkLatency));
  // The phase sums its ops; every kernel is at or above its roofline.
  const TPPhaseFigures &four = *out.degrees[1].prefill;
  double time = 0, roofline = 0;
  for (const TPOpFigures &o : out.prefillOps.getOps()) {
    time += o.degrees[1].time;
    roofline += o.degrees[1].roofline;
  }
  EXPECT_DOUBLE_EQ(four.opTime, time);
  EXPECT_DOUBLE_EQ(four.opRoofline, roofline);
  EXPECT_GT(four.opTime, four.opRoofline);
  EXPECT_DOUBLE_EQ(four.commTime, down4.commTime);
  EXPECT_GT(four.commTime, four.commRoofline);
}

} // namespace
