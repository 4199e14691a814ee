//===- TrainingTest.cpp - gradient flow, model state and the step time ----===//

#include "tfperf/Analysis/Hardware.h"
#include "tfperf/Analysis/TrainingAnalysis.h"
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

/// x -> linear -> relu -> linear, and a mask weight that only feeds a
/// comparison.
class TrainingTest : public ParsedModuleTest {
protected:
  void SetUp() override {
    ASSERT_TRUE(parse(R"mlir(
      func.func @f(%x: tensor<2x64xf32>) -> (tensor<2x32xf32>, tensor<64xi1>) {
        %w1 = tfperf.weight "w1" : tensor<64x128xf32>
        %w2 = tfperf.weight "w2" : tensor<128x32xf32>
        %m = tfperf.weight "mask" : tensor<64xf32>
        %h = tfperf.matmul %x, %w1 : (tensor<2x64xf32>, tensor<64x128xf32>) -> tensor<2x128xf32>
        %a = tfperf.relu %h : (tensor<2x128xf32>) -> tensor<2x128xf32>
        %y = tfperf.matmul %a, %w2 : (tensor<2x128xf32>, tensor<128x32xf32>) -> tensor<2x32xf32>
        %z = tfperf.constant {value = dense<0.0> : tensor<f32>} : tensor<f32>
        %c = tfperf.greater %m, %z : (tensor<64xf32>, tensor<f32>) -> tensor<64xi1>
        return %y, %c : tensor<2x32xf32>, tensor<64xi1>
      })mlir"));
    costs = std::make_unique<CostAnalysis>(*module);
  }
  Value weight(llvm::StringRef name) {
    Value found;
    module->walk([&](WeightOp w) {
      if (w.getName() == name)
        found = w.getResult();
    });
    return found;
  }
  func::FuncOp func() {
    func::FuncOp f;
    module->walk([&](func::FuncOp op) { f = op; });
    return f;
  }

  std::unique_ptr<CostAnalysis> costs;
};

TEST_F(TrainingTest, GradientsReachWeightsButNotInputsOrMasks) {
  TrainingAnalysis t(*module);
  const GradientFlow &g = t.getGradients();
  Value x = func().getArgument(0);
  EXPECT_TRUE(g.needsGrad(weight("w1")));
  EXPECT_TRUE(g.needsGrad(weight("w2")));
  // The mask only feeds a comparison: it requires a gradient, none reaches.
  EXPECT_TRUE(g.requiresGrad(weight("mask")));
  EXPECT_FALSE(g.needsGrad(weight("mask")));
  EXPECT_FALSE(g.needsGrad(x));
  EXPECT_EQ(t.getTrainableWeights().size(), 2u);
  EXPECT_EQ(t.getNumGradientOutputs(), 1u);

  TrainingOptions in;
  in.inputRequiresGrad = true;
  TrainingAnalysis ti(*module, in);
  EXPECT_TRUE(ti.getGradients().needsGrad(x));
}

TEST_F(TrainingTest, ModelStateAndStepTime) {
  std::string error;
  auto bf16 = DtypePolicy::parse("bf16", "", error);
  const DeviceSpec &h100 = *HardwareDatabase::builtin().lookup("h100-sxm");
  TrainingAnalysis t(*module);
  auto f = evaluateTraining(t, *costs, nullptr, *bf16, h100, error);
  ASSERT_TRUE(f) << error;
  double n = 64 * 128 + 128 * 32;
  EXPECT_EQ(f->parameters, n);
  EXPECT_EQ(f->weightBytes, 2 * n);
  EXPECT_EQ(f->gradientBytes, 2 * n);
  // Mixed-precision Adam: 16 B per parameter, 12 of them optimizer state.
  EXPECT_EQ(f->modelStateBytes, 16 * n);
  EXPECT_EQ(f->optimizerBytes, 12 * n);
  // The step reads the model state and writes it but the gradients.
  EXPECT_DOUBLE_EQ(f->optimizerTime, (2 * 16 * n - 2 * n) / h100.memBandwidth);
  EXPECT_DOUBLE_EQ(f->stepTime(),
                   f->forwardTime + f->backwardTime + f->optimizerTime);
  // Backward GEMM: dW of the first linear, dX and dW of the second.
  EXPECT_EQ(f->backwardGemmFlops, 2.0 * 2 * 64 * 128 + 2 * (2.0 * 2 * 128 * 32));
  // x (for dW1) and the ReLU's output, kept once, at bf16.
  EXPECT_EQ(f->activationBytes, 2.0 * (2 * 64 + 2 * 128));
  // No layers without a structure: nothing to recompute.
  EXPECT_EQ(f->activationBytesRecompute, f->activationBytes);
}

TEST_F(TrainingTest, TooFewModelStateBytesIsAnError) {
  std::string error;
  auto fp32 = DtypePolicy::parse("", "", error);
  const DeviceSpec &h100 = *HardwareDatabase::builtin().lookup("h100-sxm");
  TrainingOptions o;
  o.optimizerBytesPerParam = 6;
  TrainingAnalysis t(*module, o);
  EXPECT_FALSE(evaluateTraining(t, *costs, nullptr, *fp32, h100, error));
  EXPECT_NE(error.find("less than the weights and gradients"),
            std::string::npos)
      << error;
}

} // namespace
