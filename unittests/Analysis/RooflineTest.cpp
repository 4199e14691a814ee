//===- RooflineTest.cpp - roofline arithmetic and the device database -----===//

#include "tfperf/Analysis/Hardware.h"
#include "tfperf/Analysis/Roofline.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfDialect.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"

#include "ParsedModuleTest.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::tfperf;

namespace {

TEST(HardwareDatabase, BuiltinHasEveryRequiredDevice) {
  const auto &db = HardwareDatabase::builtin();
  for (const char *name : {"a100-sxm-40gb", "a100-sxm-80gb", "h100-sxm",
                           "h100-pcie", "h200", "b200", "mi300x", "l40s",
                           "rtx4090", "tpu-v5e"}) {
    const DeviceSpec *d = db.lookup(name);
    ASSERT_NE(d, nullptr) << name;
    EXPECT_GT(d->memBandwidth, 0) << name;
    EXPECT_GT(d->memCapacity, 0) << name;
    EXPECT_FALSE(d->sources.empty()) << name;
  }
}

TEST(HardwareDatabase, VendorFiguresWinOverPeerTables) {
  const auto &db = HardwareDatabase::builtin();
  // onnx-tool lists H100 PCIe FP16 at 1.6 PF: that is sparse.
  EXPECT_EQ(*db.lookup("h100-pcie")->gemmPeak("fp16"), 756e12);
  // LLM-Viewer lists H100 SXM at 3,072 GB/s; NVIDIA says 3.35 TB/s.
  EXPECT_EQ(db.lookup("h100-sxm")->memBandwidth, 3350e9);
  // onnx-tool's A100-40GB-PCIe 1,935 GB/s is not the SXM 40 GB's 1,555.
  EXPECT_EQ(db.lookup("a100-sxm-40gb")->memBandwidth, 1555e9);
  // MI300X FP16 dense is 1,307 TF (2,615 is sparse).
  EXPECT_EQ(*db.lookup("mi300x")->gemmPeak("fp16"), 1307e12);
  // GenZ's A100 150 GB/s link is a quarter of NVLink3's 300 GB/s/dir.
  EXPECT_EQ(db.lookup("a100-sxm-40gb")->linkBandwidth, 300e9);
  // The ridge point of the domain doc: A100 312 TF / 1.555 TB/s ~ 200.
  const DeviceSpec *a100 = db.lookup("a100-sxm-40gb");
  EXPECT_NEAR(*a100->gemmPeak("fp16") / a100->memBandwidth, 200.6, 0.1);
}

TEST(HardwareDatabase, RejectsBadFiles) {
  std::string error;
  EXPECT_FALSE(HardwareDatabase::parse("{", error));
  EXPECT_FALSE(HardwareDatabase::parse(R"({"devices": [{"name": "a"}]})", error));
  EXPECT_NE(error.find("device 'a'"), std::string::npos) << error;
  EXPECT_FALSE(HardwareDatabase::parse(
      R"({"devices": [{"name": "a", "tensor": {"fp16": 1}, "vector_fp32": 1,
          "mem_bw": 1, "mem_capacity": 1},
         {"name": "a", "tensor": {"fp16": 1}, "vector_fp32": 1,
          "mem_bw": 1, "mem_capacity": 1}]})",
      error));
  EXPECT_NE(error.find("defined twice"), std::string::npos) << error;
  for (auto [extra, message] :
       {std::pair(R"("sm_count": 132)",
                  "'sm_count' and 'fp32_lanes_per_sm' go together"),
        std::pair(R"("sm_count": 13.5, "fp32_lanes_per_sm": 128)",
                  "'sm_count' must be an integer"),
        std::pair(R"("sm_count": 0, "fp32_lanes_per_sm": 128)",
                  "'sm_count' must be in [1, 100000]"),
        std::pair(R"("sm_count": 132, "fp32_lanes_per_sm": 1e9)",
                  "'fp32_lanes_per_sm' must be in [1, 10000]")}) {
    std::string json = R"({"devices": [{"name": "g", "tensor": {"fp16": 1e12},
        "vector_fp32": 1e12, "mem_bw": 1e12, "mem_capacity": 1e9, )" +
                       std::string(extra) + "}]}";
    EXPECT_FALSE(HardwareDatabase::parse(json, error)) << extra;
    EXPECT_NE(error.find(std::string("device 'g': ") + message),
              std::string::npos)
        << error;
  }
}

class RooflineTest : public ParsedModuleTest {
protected:
  void SetUp() override {
    ASSERT_TRUE(parse(R"mlir(
      func.func @f(%x: tensor<1x4096xf16>, %big: tensor<4096x4096xf16>) {
        %w = tfperf.weight "w" : tensor<4096x4096xf16>
        %y = tfperf.matmul %x, %w : (tensor<1x4096xf16>, tensor<4096x4096xf16>) -> tensor<1x4096xf16>
        %z = tfperf.matmul %big, %w : (tensor<4096x4096xf16>, tensor<4096x4096xf16>) -> tensor<4096x4096xf16>
        return
      })mlir"));
    costs = std::make_unique<CostAnalysis>(*module);
  }
  const OpCostRecord &matmul(int i) {
    int seen = 0;
    for (const OpCostRecord &r : costs->getRecords())
      if (isa<MatMulOp>(r.op) && seen++ == i)
        return r;
    llvm_unreachable("no such matmul");
  }

  std::unique_ptr<CostAnalysis> costs;
};

TEST_F(RooflineTest, MatvecIsMemoryBoundWithTheDocsRatio) {
  std::string error;
  auto policy = DtypePolicy::parse("", "", error);
  const DeviceSpec &a100 = *HardwareDatabase::builtin().lookup("a100-sxm-40gb");
  OpFigures f = evaluateOp(matmul(0), *policy, a100);
  ASSERT_TRUE(f.problem.empty()) << f.problem;
  EXPECT_EQ(f.flops, 2.0 * 4096 * 4096);
  EXPECT_EQ(f.bytes, 2.0 * (4096 + 4096.0 * 4096 + 4096));
  EXPECT_EQ(f.bound, Bound::Memory);
  // memory time / compute time = ridge / intensity; intensity ~ 1, so the
  // ratio is the ridge, ~200 on an A100 (the doc's "208" with 1.5 TB/s).
  EXPECT_NEAR(f.memoryTime / f.computeTime, 200.5, 0.5);
  EXPECT_DOUBLE_EQ(f.time, f.memoryTime);
}

TEST_F(RooflineTest, SquareGemmIsComputeBound) {
  std::string error;
  auto policy = DtypePolicy::parse("", "", error);
  const DeviceSpec &h100 = *HardwareDatabase::builtin().lookup("h100-sxm");
  OpFigures f = evaluateOp(matmul(1), *policy, h100);
  EXPECT_EQ(f.bound, Bound::Compute);
  EXPECT_DOUBLE_EQ(f.computeTime, 2.0 * 4096 * 4096 * 4096 / 989e12);
  EXPECT_GT(f.intensity, 989e12 / 3350e9);
}

TEST_F(RooflineTest, WhatIfDtypes) {
  std::string error;
  auto w4 = DtypePolicy::parse("bf16", "int4", error);
  ASSERT_TRUE(w4) << error;
  const DeviceSpec &h100 = *HardwareDatabase::builtin().lookup("h100-sxm");
  OpFigures f = evaluateOp(matmul(0), *w4, h100);
  // Weights at 4 bits, activations at 16.
  EXPECT_EQ(f.bytes, 4096.0 * 4096 / 2 + 2.0 * (4096 + 4096));
  EXPECT_EQ(f.weightBytes, 4096.0 * 4096 / 2);
  EXPECT_FALSE(DtypePolicy::parse("fp7", "", error));
  EXPECT_FALSE(DtypePolicy::parse("", "int3", error));
}

TEST_F(RooflineTest, MissingPeakIsAProblemNotANumber) {
  std::string error;
  auto fp16 = DtypePolicy::parse("fp16", "", error);
  const DeviceSpec &tpu = *HardwareDatabase::builtin().lookup("tpu-v5e");
  OpFigures f = evaluateOp(matmul(1), *fp16, tpu);
  EXPECT_NE(f.problem.find("no fp16 matmul peak"), std::string::npos);
}

} // namespace
