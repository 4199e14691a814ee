//===- BeamSearchCostTest.cpp - a search's decoder: all runs, or a step ---===//
//
// The whole graph's costs sum a BeamSearch decoder over its runs at each
// run's shapes; a phase's costs (other shapes) count one step at those
// shapes. The module is tfperf's import of
// test/Target/ONNX/control-flow-beam-search.onnxtxt (batch 2, 2 beams,
// max_length 5).
//
//===----------------------------------------------------------------------===//

#include "tfperf/Analysis/CostAnalysis.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "ParsedModuleTest.h"

using namespace mlir;
using namespace mlir::tfperf;

namespace {

constexpr llvm::StringLiteral kModule = R"mlir(
module attributes {tfperf.opset = 17 : i64, tfperf.source = "beam.onnx"} {
  func.func @g(%arg0: tensor<2x3xi32> {tfperf.name = "ids"}) -> (tensor<2x1x5xi32> {tfperf.name = "seq"}) {
    %0 = tfperf.constant {value = dense<5> : tensor<i32>} : tensor<i32>
    %1 = tfperf.constant {value = dense<1> : tensor<i32>} : tensor<i32>
    %2 = tfperf.constant {value = dense<2> : tensor<i32>} : tensor<i32>
    %3 = tfperf.constant {value = dense<1> : tensor<i32>} : tensor<i32>
    %sequences = "tfperf.ms.beam_search"(%arg0, %0, %1, %2, %3) <{operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0>, subgraph_names = ["decoder", "encoder"]}> ({
    ^bb0(%arg1: tensor<?x1xi32, #tfperf.dims<["B"]>>, %arg2: tensor<?x3xi32, #tfperf.dims<["B"]>>, %arg3: tensor<?x1x?x4xf32, #tfperf.dims<["B", "P"]>>, %arg4: tensor<?x1x?x4xf32, #tfperf.dims<["B", "P"]>>, %arg5: tensor<?x1x3x4xf32, #tfperf.dims<["B"]>>, %arg6: tensor<?x1x3x4xf32, #tfperf.dims<["B"]>>):
      %4 = tfperf.constant {value = dense<0.000000e+00> : tensor<5x4xf32>} : tensor<5x4xf32>
      %5 = tfperf.constant {value = dense<0.000000e+00> : tensor<4x5xf32>} : tensor<4x5xf32>
      %6 = tfperf.constant {value = dense<[-1, 1, 1, 4]> : tensor<4xi64>} : tensor<4xi64>
      %7 = tfperf.constant {value = dense<[-1, 1, 4]> : tensor<3xi64>} : tensor<3xi64>
      %8 = tfperf.gather %4, %arg1 : (tensor<5x4xf32>, tensor<?x1xi32, #tfperf.dims<["B"]>>) -> tensor<?x1x4xf32, #tfperf.dims<["B"]>>
      %9 = tfperf.reshape %8, %6 : (tensor<?x1x4xf32, #tfperf.dims<["B"]>>, tensor<4xi64>) -> tensor<?x1x1x4xf32, #tfperf.dims<["B"]>>
      %10 = tfperf.concat %arg3, %9 {axis = 2 : i64} : (tensor<?x1x?x4xf32, #tfperf.dims<["B", "P"]>>, tensor<?x1x1x4xf32, #tfperf.dims<["B"]>>) -> tensor<?x1x?x4xf32, #tfperf.dims<["B", "P + 1"]>>
      %11 = tfperf.concat %arg4, %9 {axis = 2 : i64} : (tensor<?x1x?x4xf32, #tfperf.dims<["B", "P"]>>, tensor<?x1x1x4xf32, #tfperf.dims<["B"]>>) -> tensor<?x1x?x4xf32, #tfperf.dims<["B", "P + 1"]>>
      %12 = tfperf.transpose %10 {perm = array<i64: 0, 1, 3, 2>} : (tensor<?x1x?x4xf32, #tfperf.dims<["B", "P + 1"]>>) -> tensor<?x1x4x?xf32, #tfperf.dims<["B", "P + 1"]>>
      %13 = tfperf.matmul %9, %12 : (tensor<?x1x1x4xf32, #tfperf.dims<["B"]>>, tensor<?x1x4x?xf32, #tfperf.dims<["B", "P + 1"]>>) -> tensor<?x1x1x?xf32, #tfperf.dims<["B", "P + 1"]>>
      %14 = tfperf.matmul %13, %11 : (tensor<?x1x1x?xf32, #tfperf.dims<["B", "P + 1"]>>, tensor<?x1x?x4xf32, #tfperf.dims<["B", "P + 1"]>>) -> tensor<?x1x1x4xf32, #tfperf.dims<["B"]>>
      %15 = tfperf.reshape %14, %7 : (tensor<?x1x1x4xf32, #tfperf.dims<["B"]>>, tensor<3xi64>) -> tensor<?x1x4xf32, #tfperf.dims<["B"]>>
      %16 = tfperf.matmul %15, %5 : (tensor<?x1x4xf32, #tfperf.dims<["B"]>>, tensor<4x5xf32>) -> tensor<?x1x5xf32, #tfperf.dims<["B"]>>
      tfperf.yield %16, %10, %11 : tensor<?x1x5xf32, #tfperf.dims<["B"]>>, tensor<?x1x?x4xf32, #tfperf.dims<["B", "P + 1"]>>, tensor<?x1x?x4xf32, #tfperf.dims<["B", "P + 1"]>>
    }, {
    ^bb0(%arg1: tensor<2x3xi32>, %arg2: tensor<2x3xi32>, %arg3: tensor<2x1xi32>):
      %4 = tfperf.constant {value = dense<0.000000e+00> : tensor<5x4xf32>} : tensor<5x4xf32>
      %5 = tfperf.constant {value = dense<0.000000e+00> : tensor<4x5xf32>} : tensor<4x5xf32>
      %6 = tfperf.constant {value = dense<[-1, 1, 1, 4]> : tensor<4xi64>} : tensor<4xi64>
      %7 = tfperf.constant {value = dense<[0, 1, -1, 4]> : tensor<4xi64>} : tensor<4xi64>
      %8 = tfperf.gather %4, %arg1 : (tensor<5x4xf32>, tensor<2x3xi32>) -> tensor<2x3x4xf32>
      %9 = tfperf.reshape %8, %7 : (tensor<2x3x4xf32>, tensor<4xi64>) -> tensor<2x1x3x4xf32>
      %10 = tfperf.identity %9 : (tensor<2x1x3x4xf32>) -> tensor<2x1x3x4xf32>
      %11 = tfperf.gather %4, %arg3 : (tensor<5x4xf32>, tensor<2x1xi32>) -> tensor<2x1x4xf32>
      %12 = tfperf.reshape %11, %6 : (tensor<2x1x4xf32>, tensor<4xi64>) -> tensor<2x1x1x4xf32>
      %13 = tfperf.identity %12 : (tensor<2x1x1x4xf32>) -> tensor<2x1x1x4xf32>
      %14 = tfperf.matmul %11, %5 : (tensor<2x1x4xf32>, tensor<4x5xf32>) -> tensor<2x1x5xf32>
      tfperf.yield %14, %8, %12, %13, %9, %10 : tensor<2x1x5xf32>, tensor<2x3x4xf32>, tensor<2x1x1x4xf32>, tensor<2x1x1x4xf32>, tensor<2x1x3x4xf32>, tensor<2x1x3x4xf32>
    }) {decoder_start_token_id = 0 : i64, eos_token_id = 4 : i64, model_type = 1 : i64, pad_token_id = 4 : i64} : (tensor<2x3xi32>, tensor<i32>, tensor<i32>, tensor<i32>, tensor<i32>) -> tensor<2x1x5xi32>
    return %sequences : tensor<2x1x5xi32>
  }
}
)mlir";

class BeamSearchCostTest : public ParsedModuleTest {
protected:
  void SetUp() override {
    ASSERT_TRUE(parse(kModule));
    func = *module->getOps<func::FuncOp>().begin();
    auto search = *func.getOps<MSBeamSearchOp>().begin();
    // The decoder's q.k^T, 2 * rows * 4 * (past + 1) FLOPs per run.
    scores = *search.getSubgraphs()[0].getOps<MatMulOp>().begin();
  }

  func::FuncOp func;
  MatMulOp scores;
};

TEST_F(BeamSearchCostTest, WholeGraphSumsTheDecoderRuns) {
  CostAnalysis whole(func);
  const OpCostRecord *rec = whole.lookup(scores);
  ASSERT_NE(rec, nullptr);
  ASSERT_TRUE(rec->known) << rec->cost.unknownReason;
  // 4 rows, runs with a past of 1, 2, 3: 32 * (2 + 3 + 4).
  EXPECT_EQ(rec->cost.flops.getInt64(), std::optional<int64_t>(288));
}

TEST_F(BeamSearchCostTest, PhaseCostsOneStepAtItsShapes) {
  TypeShapeQuery types;
  CostAnalysis step(func, types);
  const OpCostRecord *rec = step.lookup(scores);
  ASSERT_NE(rec, nullptr);
  ASSERT_TRUE(rec->known) << rec->cost.unknownReason;
  // One step at the decoder's declared dims B and P: 8 * B * (P + 1).
  auto at = [](llvm::StringRef s) -> std::optional<Int128> {
    return s == "B" ? 4 : s == "P" ? 1 : std::optional<Int128>();
  };
  std::optional<Int128> flops = rec->cost.flops.evaluate(at);
  ASSERT_TRUE(flops.has_value());
  EXPECT_EQ(static_cast<int64_t>(*flops), 64);
}

} // namespace
