//===- KernelAnalysisTest.cpp - the kernel view's API ----------------------===//

#include "tfperf/Analysis/CostAnalysis.h"
#include "tfperf/Analysis/KernelAnalysis.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfDialect.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/AnalysisManager.h"

#include "ParsedModuleTest.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::tfperf;

namespace {

const char *kGemmBiasGelu = R"mlir(
func.func @f(%x: tensor<8x64xf32>) -> tensor<8x256xf32> {
  %w = tfperf.weight "w" : tensor<64x256xf32>
  %b = tfperf.weight "b" : tensor<256xf32>
  %h = tfperf.matmul %x, %w : (tensor<8x64xf32>, tensor<64x256xf32>) -> tensor<8x256xf32> loc("fc1")
  %a = tfperf.add %h, %b : (tensor<8x256xf32>, tensor<256xf32>) -> tensor<8x256xf32> loc("fc1_bias")
  %y = tfperf.gelu %a : (tensor<8x256xf32>) -> tensor<8x256xf32> loc("fc1_gelu")
  return %y : tensor<8x256xf32>
})mlir";

class KernelAnalysisTest : public ParsedModuleTest {
protected:
  void SetUp() override {
    ASSERT_TRUE(parse(kGemmBiasGelu));
  }
  Operation *opNamed(llvm::StringRef node) {
    Operation *found = nullptr;
    module->walk([&](Operation *op) {
      if (getNodeName(op) == node)
        found = op;
    });
    return found;
  }
};

TEST_F(KernelAnalysisTest, GroupsAndPricesAnEpilogue) {
  KernelAnalysis kernels(module.get());
  ASSERT_EQ(kernels.getKernels().size(), 1u);
  const Kernel &k = kernels.getKernels().front();
  EXPECT_EQ(k.name, "fc1");
  EXPECT_EQ(k.cls, KernelClass::Gemm);
  EXPECT_EQ(k.ops.size(), 3u);
  EXPECT_EQ(*k.flops.getInt64(), 274432);
  ASSERT_TRUE(k.bytes.has_value());
  EXPECT_EQ(*k.bytes, 76800);
  EXPECT_EQ(*k.exportedBytes, 109568);
  EXPECT_EQ(kernels.lookup(opNamed("fc1_gelu")), &k);
  // Weights belong to no kernel.
  Operation *weight = nullptr;
  module->walk([&](Operation *op) {
    if (op->getName().getStringRef() == "tfperf.weight")
      weight = op;
  });
  ASSERT_NE(weight, nullptr);
  EXPECT_EQ(kernels.lookup(weight), nullptr);

  KernelWork w = k.getWork("fp32");
  EXPECT_EQ(w.m, 8);
  EXPECT_EQ(w.n, 256);
  EXPECT_EQ(w.k, 64);
  EXPECT_EQ(w.batch, 1);
  TimeModel model(*HardwareDatabase::builtin().lookup("a100-sxm-80gb"));
  KernelTime t = model.price(w);
  EXPECT_GE(t.seconds, t.roofline);
  EXPECT_DOUBLE_EQ(t.seconds, model.gemmTime(8, 256, 64, 1, 76800,
                                             model.tensorPeak("fp32")));
}

TEST_F(KernelAnalysisTest, CachedByTheAnalysisManager) {
  ModuleAnalysisManager mam(module.get(), /*passInstrumentor=*/nullptr);
  AnalysisManager am = mam;
  KernelAnalysis &a = am.getAnalysis<KernelAnalysis>();
  EXPECT_EQ(&a, &am.getAnalysis<KernelAnalysis>());
  ASSERT_EQ(a.getKernels().size(), 1u);
  EXPECT_EQ(*a.getKernels().front().bytes, 76800);
}

TEST_F(KernelAnalysisTest, ExportedViewIsOneKernelPerOp) {
  KernelOptions options;
  options.exported = true;
  KernelAnalysis kernels(module.get(), options);
  ASSERT_EQ(kernels.getKernels().size(), 3u);
  double bytes = 0;
  for (const Kernel &k : kernels.getKernels())
    bytes += *k.bytes;
  EXPECT_EQ(bytes, 109568);
  EXPECT_EQ(kernels.getKernels()[2].cls, KernelClass::ActGelu);
}

} // namespace
