//===- OpFamiliesTest.cpp - op families, parameters and ONNX names -------===//

#include "tfperf/Analysis/Roofline.h"
#include "tfperf/Dialect/TFPerf/IR/ONNXNames.h"
#include "tfperf/Dialect/TFPerf/IR/OpFamilies.h"
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

/// Weights and constants seen through views, a weight passed as an input,
/// and an activation.
class OpFamiliesTest : public ParsedModuleTest {
protected:
  void SetUp() override {
    ASSERT_TRUE(parse(R"mlir(
      func.func @f(%x: tensor<2x3x4xf32>, %win: tensor<12x8xf32>) -> tensor<2x8xf32> {
        %w = tfperf.weight "w" : tensor<3x4x8xf32>
        %wflat = tfperf.flatten %w {axis = 2 : i64} : (tensor<3x4x8xf32>) -> tensor<12x8xf32>
        %wt = tfperf.transpose %wflat {perm = array<i64: 1, 0>} : (tensor<12x8xf32>) -> tensor<8x12xf32>
        %c = tfperf.constant {value = dense<1.0> : tensor<8xf32>} : tensor<8xf32>
        %xflat = tfperf.flatten %x {axis = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
        %y = tfperf.matmul %xflat, %wflat : (tensor<2x12xf32>, tensor<12x8xf32>) -> tensor<2x8xf32>
        %z = tfperf.matmul %xflat, %win : (tensor<2x12xf32>, tensor<12x8xf32>) -> tensor<2x8xf32>
        %s = tfperf.add %y, %z : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
        %r = tfperf.add %s, %c : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
        return %r : tensor<2x8xf32>
      })mlir"));
  }
  /// The result of the `n`-th op named `name` (walk order).
  Value result(llvm::StringRef name, unsigned n = 0) {
    Value found;
    module->walk([&](Operation *op) {
      if (op->getName().getStringRef() == name && !found && n-- == 0)
        found = op->getResult(0);
    });
    return found;
  }
  Value input(unsigned i) {
    func::FuncOp f;
    module->walk([&](func::FuncOp op) { f = op; });
    return f.getArgument(i);
  }

};

TEST_F(OpFamiliesTest, FamiliesComeFromTheOps) {
  Operation *flatten = result("tfperf.flatten").getDefiningOp();
  Operation *matmul = result("tfperf.matmul").getDefiningOp();
  Operation *add = result("tfperf.add").getDefiningOp();
  EXPECT_TRUE(isViewLike(flatten));
  EXPECT_TRUE(isDataMovement(flatten));
  EXPECT_FALSE(isElementwise(flatten));
  EXPECT_TRUE(isContraction(matmul));
  EXPECT_FALSE(isElementwise(matmul));
  EXPECT_TRUE(isElementwise(add));
  EXPECT_TRUE(isElementwiseMath(add));
  EXPECT_FALSE(isBooleanLogic(add));
  EXPECT_FALSE(isViewLike(add));
}

TEST_F(OpFamiliesTest, ParametersThroughViews) {
  // A flattened and transposed weight is still the weight (the roofline's
  // weight dtype once missed it behind a Flatten).
  Value wt = result("tfperf.transpose");
  EXPECT_EQ(getParameterKind(wt), ParameterKind::Stored);
  EXPECT_TRUE(isa_and_nonnull<WeightOp>(getParameterStorage(wt)));
  EXPECT_TRUE(isWeight(result("tfperf.flatten")));
  // A constant is a parameter, but not a weight.
  Value c = result("tfperf.constant");
  EXPECT_TRUE(isParameter(c));
  EXPECT_FALSE(isWeight(c));
  // A static 2-D float input is a weight passed as an input; it has no
  // storage in the graph.
  EXPECT_EQ(getParameterKind(input(1)), ParameterKind::GraphInput);
  EXPECT_EQ(getParameterStorage(input(1)), nullptr);
  // Activations are not parameters, through views or not.
  EXPECT_FALSE(isParameter(input(0)));
  EXPECT_FALSE(isParameter(result("tfperf.flatten", 1)));
  EXPECT_FALSE(isParameter(result("tfperf.matmul")));
}

TEST(ONNXNamesTest, NamesAndDomainsFromODS) {
  EXPECT_EQ(LayerNormOp::getONNXOpType(), "LayerNormalization");
  EXPECT_EQ(LayerNormOp::getONNXDomain(), "");
  ASSERT_EQ(LayerNormOp::getONNXAliasDomains().size(), 1u);
  EXPECT_EQ(LayerNormOp::getONNXAliasDomains()[0], "com.microsoft");
  EXPECT_TRUE(MatMulOp::getONNXAliasDomains().empty());

  auto attention = lookupONNXName("tfperf.ms.attention");
  ASSERT_TRUE(attention);
  EXPECT_EQ(attention->domain, "com.microsoft");
  EXPECT_EQ(attention->opType, "Attention");
  auto reduce = lookupONNXName("tfperf.reduce_mean");
  ASSERT_TRUE(reduce);
  EXPECT_EQ(reduce->opType, "ReduceMean");
  // Initializers and unknown ops are no ONNX op of their own.
  EXPECT_FALSE(lookupONNXName("tfperf.weight"));
  EXPECT_FALSE(lookupONNXName("tfperf.custom"));
  EXPECT_FALSE(lookupONNXName("linalg.matmul"));
}

} // namespace
