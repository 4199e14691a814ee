//===- BeamSearchCostTest.cpp - a search's decoder: all runs, or a step ---===//
//
// The whole graph's costs sum a BeamSearch decoder over its runs at each
// run's shapes; a phase's costs (other shapes) count one step at those
// shapes. The modules are tfperf's imports of
// test/Target/ONNX/control-flow-beam-search.onnxtxt (an encoder-decoder:
// batch 2, 2 beams, max_length 5) and control-flow-gpt-beam-search.onnxtxt
// (GPT-2: batch 2, a prompt of 3, max_length 6; num_beams a graph input
// that import recorded bound to 2, as --bind-dims=num_beams=2 does) and
// control-flow-whisper-beam-search.onnxtxt (Whisper: the encoder re-shaped
// to the search's inputs, the decoder after 2 start tokens), the last also
// as WhisperBeamSearch (control-flow-whisper-beam-search-op.onnxtxt).
//
//===----------------------------------------------------------------------===//

#include "tfperf/Analysis/CostAnalysis.h"
#include "tfperf/Dialect/TFPerf/IR/BeamSearchSchedule.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "ParsedModuleTest.h"

#include "llvm/ADT/StringMap.h"

using namespace mlir;
using namespace mlir::tfperf;

namespace {

/// `op`'s FLOPs in the whole graph's costs (a decoder's ops summed over its
/// runs); nullopt when unknown.
std::optional<int64_t> wholeGraphFlops(func::FuncOp func, Operation *op) {
  CostAnalysis whole(func);
  const OpCostRecord *rec = whole.lookup(op);
  if (!rec || !rec->known)
    return std::nullopt;
  return rec->cost.flops.getInt64();
}

/// `op`'s FLOPs in a phase's one step at the declared dims, `dims` giving
/// their values; nullopt when unknown.
std::optional<int64_t> oneStepFlops(func::FuncOp func, Operation *op,
                                    const llvm::StringMap<int64_t> &dims) {
  TypeShapeQuery types;
  CostAnalysis step(func, types);
  const OpCostRecord *rec = step.lookup(op);
  if (!rec || !rec->known)
    return std::nullopt;
  std::optional<Int128> flops = rec->cost.flops.evaluate(
      [&](llvm::StringRef s) -> std::optional<Int128> {
        auto it = dims.find(s);
        if (it == dims.end())
          return std::nullopt;
        return Int128(it->second);
      });
  if (!flops)
    return std::nullopt;
  return static_cast<int64_t>(*flops);
}

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

/// A parsed module of one search: its function, the search and the MatMuls
/// of its decoder (the first subgraph), in order.
class SearchModuleTest : public ParsedModuleTest {
protected:
  void parseSearch(llvm::StringRef source) {
    ASSERT_TRUE(parse(source));
    func = *module->getOps<func::FuncOp>().begin();
    func.walk([&](Operation *op) {
      if (!search && isSearchOp(op))
        search = op;
    });
    ASSERT_NE(search, nullptr);
    llvm::append_range(matmuls, search->getRegion(0).getOps<MatMulOp>());
  }

  func::FuncOp func;
  Operation *search = nullptr;
  llvm::SmallVector<MatMulOp> matmuls;
};

class BeamSearchCostTest : public SearchModuleTest {
protected:
  void SetUp() override { parseSearch(kModule); }
  // The decoder's q.k^T, 2 * rows * 4 * (past + 1) FLOPs per run.
  MatMulOp scores() { return matmuls[0]; }
};

TEST_F(BeamSearchCostTest, WholeGraphSumsTheDecoderRuns) {
  // 4 rows, runs with a past of 1, 2, 3: 32 * (2 + 3 + 4).
  EXPECT_EQ(wholeGraphFlops(func, scores()), std::optional<int64_t>(288));
}

TEST_F(BeamSearchCostTest, PhaseCostsOneStepAtItsShapes) {
  // One step at the decoder's declared dims B and P: 8 * B * (P + 1).
  EXPECT_EQ(oneStepFlops(func, scores(), {{"B", 4}, {"P", 1}}),
            std::optional<int64_t>(64));
}

constexpr llvm::StringLiteral kGptModule = R"mlir(
module attributes {tfperf.opset = 17 : i64, tfperf.source = "gpt-beam.onnx"} {
  func.func @g(%arg0: tensor<2x3xi32> {tfperf.name = "ids"}, %beams: tensor<1xi32> {tfperf.name = "num_beams", tfperf.value_symbol = "num_beams"}) -> (tensor<2x1x6xi32> {tfperf.name = "seq"}) {
    %maxlen = tfperf.constant {value = dense<6> : tensor<i32>} : tensor<i32>
    %one = tfperf.constant {value = dense<1> : tensor<i32>} : tensor<i32>
    %sequences = "tfperf.ms.beam_search"(%arg0, %maxlen, %one, %beams, %one) <{operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0>, subgraph_names = ["decoder"]}> ({
    ^bb0(%arg1: tensor<?x?xi32, #tfperf.dims<["B", "S"]>>, %arg2: tensor<?x?xi32, #tfperf.dims<["B", "S"]>>, %arg3: tensor<?x?xi32, #tfperf.dims<["B", "T"]>>, %arg4: tensor<2x?x1x?x4xf32, #tfperf.dims<["B", "P"]>>):
      %4 = tfperf.constant {value = dense<0.000000e+00> : tensor<5x4xf32>} : tensor<5x4xf32>
      %5 = tfperf.constant {value = dense<0.000000e+00> : tensor<4x5xf32>} : tensor<4x5xf32>
      %6 = tfperf.constant {value = dense<0> : tensor<1xi64>} : tensor<1xi64>
      %7 = tfperf.constant {value = dense<1> : tensor<1xi64>} : tensor<1xi64>
      %8 = tfperf.constant {value = dense<0> : tensor<i64>} : tensor<i64>
      %9 = tfperf.constant {value = dense<1> : tensor<i64>} : tensor<i64>
      %10 = tfperf.gather %4, %arg1 : (tensor<5x4xf32>, tensor<?x?xi32, #tfperf.dims<["B", "S"]>>) -> tensor<?x?x4xf32, #tfperf.dims<["B", "S"]>>
      %11 = tfperf.unsqueeze %10, %7 : (tensor<?x?x4xf32, #tfperf.dims<["B", "S"]>>, tensor<1xi64>) -> tensor<?x1x?x4xf32, #tfperf.dims<["B", "S"]>>
      %12 = tfperf.unsqueeze %11, %6 : (tensor<?x1x?x4xf32, #tfperf.dims<["B", "S"]>>, tensor<1xi64>) -> tensor<1x?x1x?x4xf32, #tfperf.dims<["B", "S"]>>
      %13 = tfperf.concat %12, %12 {axis = 0 : i64} : (tensor<1x?x1x?x4xf32, #tfperf.dims<["B", "S"]>>, tensor<1x?x1x?x4xf32, #tfperf.dims<["B", "S"]>>) -> tensor<2x?x1x?x4xf32, #tfperf.dims<["B", "S"]>>
      %14 = tfperf.concat %arg4, %13 {axis = 3 : i64} : (tensor<2x?x1x?x4xf32, #tfperf.dims<["B", "P"]>>, tensor<2x?x1x?x4xf32, #tfperf.dims<["B", "S"]>>) -> tensor<2x?x1x?x4xf32, #tfperf.dims<["B", "P + S"]>>
      %15 = tfperf.gather %14, %8 : (tensor<2x?x1x?x4xf32, #tfperf.dims<["B", "P + S"]>>, tensor<i64>) -> tensor<?x1x?x4xf32, #tfperf.dims<["B", "P + S"]>>
      %16 = tfperf.gather %14, %9 : (tensor<2x?x1x?x4xf32, #tfperf.dims<["B", "P + S"]>>, tensor<i64>) -> tensor<?x1x?x4xf32, #tfperf.dims<["B", "P + S"]>>
      %17 = tfperf.transpose %15 {perm = array<i64: 0, 1, 3, 2>} : (tensor<?x1x?x4xf32, #tfperf.dims<["B", "P + S"]>>) -> tensor<?x1x4x?xf32, #tfperf.dims<["B", "P + S"]>>
      %18 = tfperf.matmul %11, %17 : (tensor<?x1x?x4xf32, #tfperf.dims<["B", "S"]>>, tensor<?x1x4x?xf32, #tfperf.dims<["B", "P + S"]>>) -> tensor<?x1x?x?xf32, #tfperf.dims<["B", "S", "P + S"]>>
      %19 = tfperf.matmul %18, %16 : (tensor<?x1x?x?xf32, #tfperf.dims<["B", "S", "P + S"]>>, tensor<?x1x?x4xf32, #tfperf.dims<["B", "P + S"]>>) -> tensor<?x1x?x4xf32, #tfperf.dims<["B", "S"]>>
      %20 = tfperf.squeeze %19, %7 : (tensor<?x1x?x4xf32, #tfperf.dims<["B", "S"]>>, tensor<1xi64>) -> tensor<?x?x4xf32, #tfperf.dims<["B", "S"]>>
      %21 = tfperf.matmul %20, %5 : (tensor<?x?x4xf32, #tfperf.dims<["B", "S"]>>, tensor<4x5xf32>) -> tensor<?x?x5xf32, #tfperf.dims<["B", "S"]>>
      tfperf.yield %21, %14 : tensor<?x?x5xf32, #tfperf.dims<["B", "S"]>>, tensor<2x?x1x?x4xf32, #tfperf.dims<["B", "P + S"]>>
    }) {eos_token_id = 4 : i64, model_type = 0 : i64, pad_token_id = 4 : i64, tfperf.num_beams = 2 : i64} : (tensor<2x3xi32>, tensor<i32>, tensor<i32>, tensor<1xi32>, tensor<i32>) -> tensor<2x1x6xi32>
    return %sequences : tensor<2x1x6xi32>
  }
}
)mlir";

class GptBeamSearchCostTest : public SearchModuleTest {
protected:
  void SetUp() override { parseSearch(kGptModule); }
  // q.k^T, 8 * rows * tokens * keys FLOPs per run; the logits, 40 * rows *
  // tokens.
  MatMulOp scores() { return matmuls[0]; }
  MatMulOp logits() { return matmuls[2]; }
};

TEST_F(GptBeamSearchCostTest, ScheduleRunsFromThePromptToMaxLength) {
  TypeShapeQuery types;
  BeamSearchSchedule s = getBeamSearchSchedule(search, types);
  ASSERT_TRUE(s.unknownReason.empty()) << s.unknownReason;
  EXPECT_EQ(s.model, SearchModel::DecoderOnly);
  // max_length 6 - prompt 3: the first run and two later ones, each scored.
  EXPECT_EQ(s.decoderRuns.getInt64(), std::optional<int64_t>(3));
  EXPECT_EQ(s.searchSteps.getInt64(), std::optional<int64_t>(3));
  EXPECT_EQ(s.laterRuns().getInt64(), std::optional<int64_t>(2));
  EXPECT_EQ(s.firstRun().tokens.getInt64(), std::optional<int64_t>(3));
  EXPECT_EQ(s.firstRun().past.getInt64(), std::optional<int64_t>(0));
  // Later run 2: one token after a past of 3 + 2 - 1 = 4.
  EXPECT_EQ(s.laterRun(SymExpr(2)).past.getInt64(),
            std::optional<int64_t>(4));
}

TEST_F(GptBeamSearchCostTest, WholeGraphSumsThePromptRunAndTheLaterOnes) {
  // 4 rows: the prompt run 8*4*3*3 = 288, then one token over 4 and 5
  // keys: 128 + 160.
  EXPECT_EQ(wholeGraphFlops(func, scores()), std::optional<int64_t>(576));
  EXPECT_EQ(wholeGraphFlops(func, logits()),
            std::optional<int64_t>(480 + 2 * 160));
  // The search: 3 scorings of 2 x 2 x 5 candidates at 7 FLOPs.
  EXPECT_EQ(wholeGraphFlops(func, search), std::optional<int64_t>(420));
  CostAnalysis whole(func);
  const OpCostRecord *rec = whole.lookup(scores());
  ASSERT_NE(rec, nullptr);
  EXPECT_EQ(rec->runs.getInt64(), std::optional<int64_t>(3));
}

TEST_F(GptBeamSearchCostTest, PhaseCostsOneStepAtItsShapes) {
  // One step at the decoder's declared dims: 8 * B * S * (P + S).
  EXPECT_EQ(oneStepFlops(func, scores(), {{"B", 4}, {"S", 1}, {"P", 3}}),
            std::optional<int64_t>(128));
  // The search scores that step's logits once: B rows x 5 x 7 FLOPs.
  EXPECT_EQ(oneStepFlops(func, search, {{"B", 4}}),
            std::optional<int64_t>(140));
}

/// test/Target/ONNX/control-flow-whisper-beam-search.onnxtxt: Whisper
/// (model_type 2), batch 2, features [2, 3, 4], decoder_input_ids of 2
/// tokens, 2 beams, max_length 6.
constexpr llvm::StringLiteral kWhisperModule = R"mlir(
module attributes {tfperf.opset = 17 : i64, tfperf.source = "whisper-beam.onnx"} {
  func.func @g(%arg0: tensor<2x3x4xf32> {tfperf.name = "feats"}, %arg1: tensor<2x2xi32> {tfperf.name = "dids"}) -> (tensor<2x1x6xi32> {tfperf.name = "seq"}) {
    %0 = tfperf.constant {value = dense<6> : tensor<i32>} : tensor<i32>
    %1 = tfperf.constant {value = dense<1> : tensor<i32>} : tensor<i32>
    %2 = tfperf.constant {value = dense<2> : tensor<i32>} : tensor<i32>
    %3 = tfperf.constant {value = dense<1> : tensor<i32>} : tensor<i32>
    %sequences = "tfperf.ms.beam_search"(%arg0, %0, %1, %2, %3, %arg1) <{operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 0>, subgraph_names = ["decoder", "encoder"]}> ({
    ^bb0(%arg2: tensor<?x1xi32, #tfperf.dims<["B"]>>, %arg3: tensor<?x?x4xf32, #tfperf.dims<["B", "F"]>>, %arg4: tensor<?x1x?x4xf32, #tfperf.dims<["B", "P"]>>, %arg5: tensor<?x1x?x4xf32, #tfperf.dims<["B", "P"]>>, %arg6: tensor<?x1x?x4xf32, #tfperf.dims<["B", "F"]>>, %arg7: tensor<?x1x?x4xf32, #tfperf.dims<["B", "F"]>>):
      %4 = tfperf.constant {value = dense<0.000000e+00> : tensor<5x4xf32>} : tensor<5x4xf32>
      %5 = tfperf.constant {value = dense<0.000000e+00> : tensor<4x5xf32>} : tensor<4x5xf32>
      %6 = tfperf.constant {value = dense<[-1, 1, 1, 4]> : tensor<4xi64>} : tensor<4xi64>
      %7 = tfperf.constant {value = dense<[-1, 1, 4]> : tensor<3xi64>} : tensor<3xi64>
      %8 = tfperf.gather %4, %arg2 : (tensor<5x4xf32>, tensor<?x1xi32, #tfperf.dims<["B"]>>) -> tensor<?x1x4xf32, #tfperf.dims<["B"]>>
      %9 = tfperf.reshape %8, %6 : (tensor<?x1x4xf32, #tfperf.dims<["B"]>>, tensor<4xi64>) -> tensor<?x1x1x4xf32, #tfperf.dims<["B"]>>
      %10 = tfperf.concat %arg4, %9 {axis = 2 : i64} : (tensor<?x1x?x4xf32, #tfperf.dims<["B", "P"]>>, tensor<?x1x1x4xf32, #tfperf.dims<["B"]>>) -> tensor<?x1x?x4xf32, #tfperf.dims<["B", "P + 1"]>>
      %11 = tfperf.concat %arg5, %9 {axis = 2 : i64} : (tensor<?x1x?x4xf32, #tfperf.dims<["B", "P"]>>, tensor<?x1x1x4xf32, #tfperf.dims<["B"]>>) -> tensor<?x1x?x4xf32, #tfperf.dims<["B", "P + 1"]>>
      %12 = tfperf.transpose %10 {perm = array<i64: 0, 1, 3, 2>} : (tensor<?x1x?x4xf32, #tfperf.dims<["B", "P + 1"]>>) -> tensor<?x1x4x?xf32, #tfperf.dims<["B", "P + 1"]>>
      %13 = tfperf.matmul %9, %12 : (tensor<?x1x1x4xf32, #tfperf.dims<["B"]>>, tensor<?x1x4x?xf32, #tfperf.dims<["B", "P + 1"]>>) -> tensor<?x1x1x?xf32, #tfperf.dims<["B", "P + 1"]>>
      %14 = tfperf.matmul %13, %11 : (tensor<?x1x1x?xf32, #tfperf.dims<["B", "P + 1"]>>, tensor<?x1x?x4xf32, #tfperf.dims<["B", "P + 1"]>>) -> tensor<?x1x1x4xf32, #tfperf.dims<["B"]>>
      %15 = tfperf.transpose %arg6 {perm = array<i64: 0, 1, 3, 2>} : (tensor<?x1x?x4xf32, #tfperf.dims<["B", "F"]>>) -> tensor<?x1x4x?xf32, #tfperf.dims<["B", "F"]>>
      %16 = tfperf.matmul %14, %15 : (tensor<?x1x1x4xf32, #tfperf.dims<["B"]>>, tensor<?x1x4x?xf32, #tfperf.dims<["B", "F"]>>) -> tensor<?x1x1x?xf32, #tfperf.dims<["B", "F"]>>
      %17 = tfperf.matmul %16, %arg7 : (tensor<?x1x1x?xf32, #tfperf.dims<["B", "F"]>>, tensor<?x1x?x4xf32, #tfperf.dims<["B", "F"]>>) -> tensor<?x1x1x4xf32, #tfperf.dims<["B"]>>
      %18 = tfperf.reshape %17, %7 : (tensor<?x1x1x4xf32, #tfperf.dims<["B"]>>, tensor<3xi64>) -> tensor<?x1x4xf32, #tfperf.dims<["B"]>>
      %19 = tfperf.matmul %18, %5 : (tensor<?x1x4xf32, #tfperf.dims<["B"]>>, tensor<4x5xf32>) -> tensor<?x1x5xf32, #tfperf.dims<["B"]>>
      tfperf.yield %19, %10, %11 : tensor<?x1x5xf32, #tfperf.dims<["B"]>>, tensor<?x1x?x4xf32, #tfperf.dims<["B", "P + 1"]>>, tensor<?x1x?x4xf32, #tfperf.dims<["B", "P + 1"]>>
    }, {
    ^bb0(%arg2: tensor<?x3x?xf32, #tfperf.dims<["N", "T"]>>, %arg3: tensor<?x?xi32, #tfperf.dims<["N", "L"]>>):
      %4 = tfperf.constant {value = dense<0.000000e+00> : tensor<3x4xf32>} : tensor<3x4xf32>
      %5 = tfperf.constant {value = dense<0.000000e+00> : tensor<5x4xf32>} : tensor<5x4xf32>
      %6 = tfperf.constant {value = dense<0.000000e+00> : tensor<4x5xf32>} : tensor<4x5xf32>
      %7 = tfperf.constant {value = dense<[0, 1, -1, 4]> : tensor<4xi64>} : tensor<4xi64>
      %8 = tfperf.transpose %arg2 {perm = array<i64: 0, 2, 1>} : (tensor<?x3x?xf32, #tfperf.dims<["N", "T"]>>) -> tensor<?x?x3xf32, #tfperf.dims<["N", "T"]>>
      %9 = tfperf.matmul %8, %4 : (tensor<?x?x3xf32, #tfperf.dims<["N", "T"]>>, tensor<3x4xf32>) -> tensor<?x?x4xf32, #tfperf.dims<["N", "T"]>>
      %10 = tfperf.reshape %9, %7 : (tensor<?x?x4xf32, #tfperf.dims<["N", "T"]>>, tensor<4xi64>) -> tensor<?x1x?x4xf32, #tfperf.dims<["N", "T"]>>
      %11 = tfperf.identity %10 : (tensor<?x1x?x4xf32, #tfperf.dims<["N", "T"]>>) -> tensor<?x1x?x4xf32, #tfperf.dims<["N", "T"]>>
      %12 = tfperf.gather %5, %arg3 : (tensor<5x4xf32>, tensor<?x?xi32, #tfperf.dims<["N", "L"]>>) -> tensor<?x?x4xf32, #tfperf.dims<["N", "L"]>>
      %13 = tfperf.reshape %12, %7 : (tensor<?x?x4xf32, #tfperf.dims<["N", "L"]>>, tensor<4xi64>) -> tensor<?x1x?x4xf32, #tfperf.dims<["N", "L"]>>
      %14 = tfperf.identity %13 : (tensor<?x1x?x4xf32, #tfperf.dims<["N", "L"]>>) -> tensor<?x1x?x4xf32, #tfperf.dims<["N", "L"]>>
      %15 = tfperf.matmul %12, %6 : (tensor<?x?x4xf32, #tfperf.dims<["N", "L"]>>, tensor<4x5xf32>) -> tensor<?x?x5xf32, #tfperf.dims<["N", "L"]>>
      tfperf.yield %15, %9, %13, %14, %10, %11 : tensor<?x?x5xf32, #tfperf.dims<["N", "L"]>>, tensor<?x?x4xf32, #tfperf.dims<["N", "T"]>>, tensor<?x1x?x4xf32, #tfperf.dims<["N", "L"]>>, tensor<?x1x?x4xf32, #tfperf.dims<["N", "L"]>>, tensor<?x1x?x4xf32, #tfperf.dims<["N", "T"]>>, tensor<?x1x?x4xf32, #tfperf.dims<["N", "T"]>>
    }) {decoder_start_token_id = 0 : i64, eos_token_id = 4 : i64, model_type = 2 : i64, pad_token_id = 4 : i64} : (tensor<2x3x4xf32>, tensor<i32>, tensor<i32>, tensor<i32>, tensor<i32>, tensor<2x2xi32>) -> tensor<2x1x6xi32>
    return %sequences : tensor<2x1x6xi32>
  }
}
)mlir";

class WhisperBeamSearchCostTest : public SearchModuleTest {
protected:
  void SetUp() override {
    parseSearch(kWhisperModule);
    llvm::append_range(encoderMatmuls, search->getRegion(1).getOps<MatMulOp>());
  }
  // The decoder's self q.k^T, 32 * (past + 1) FLOPs per run on 4 rows; its
  // cross q.k^T over the frames, 32 * frames.
  MatMulOp selfScores() { return matmuls[0]; }
  MatMulOp crossScores() { return matmuls[2]; }
  llvm::SmallVector<MatMulOp> encoderMatmuls;
};

TEST_F(WhisperBeamSearchCostTest, ScheduleStartsAfterTheDecoderInputIds) {
  TypeShapeQuery types;
  BeamSearchSchedule s = getBeamSearchSchedule(search, types);
  ASSERT_TRUE(s.unknownReason.empty()) << s.unknownReason;
  EXPECT_EQ(s.model, SearchModel::Whisper);
  EXPECT_EQ(s.prompt.getInt64(), std::optional<int64_t>(2));
  // max_length 6 - 2 - 1 decoder runs; the encoder's logits scored too.
  EXPECT_EQ(s.decoderRuns.getInt64(), std::optional<int64_t>(3));
  EXPECT_EQ(s.searchSteps.getInt64(), std::optional<int64_t>(4));
  // Run 2: one token after a self past of 2 + 2 - 1.
  EXPECT_EQ(s.encoderDecoderRun(SymExpr(2)).past.getInt64(),
            std::optional<int64_t>(3));
}

TEST_F(WhisperBeamSearchCostTest, WholeGraphRunsTheEncoderOnceAndTheDecoder) {
  // Self: pasts 2, 3, 4: 32 * (3 + 4 + 5). Cross: the encoder's 4 frames
  // (the decoder declares them F), 128 a run.
  EXPECT_EQ(wholeGraphFlops(func, selfScores()), std::optional<int64_t>(384));
  EXPECT_EQ(wholeGraphFlops(func, crossScores()), std::optional<int64_t>(384));
  // The encoder once, at the search's input_features [2, 3, 4] and
  // decoder_input_ids [2, 2] (it declares N, T and L).
  ASSERT_EQ(encoderMatmuls.size(), 2u);
  EXPECT_EQ(wholeGraphFlops(func, encoderMatmuls[0]),
            std::optional<int64_t>(192));
  EXPECT_EQ(wholeGraphFlops(func, encoderMatmuls[1]),
            std::optional<int64_t>(160));
  // 4 scorings of 2 x 2 x 5 candidates at 7 FLOPs.
  EXPECT_EQ(wholeGraphFlops(func, search), std::optional<int64_t>(560));
}

/// kWhisperModule's search as WhisperBeamSearch: no model_type (2 is its
/// default) and its three extra inputs absent.
std::string whisperOpModule() {
  std::string text = kWhisperModule.str();
  auto replace = [&](llvm::StringRef from, llvm::StringRef to) {
    size_t at = text.find(from.str());
    EXPECT_NE(at, std::string::npos) << from.str();
    if (at != std::string::npos)
      text.replace(at, from.size(), to.str());
  };
  replace("\"tfperf.ms.beam_search\"", "\"tfperf.ms.whisper_beam_search\"");
  replace("0, 0, 0, 0, 0, 1, 0>", "0, 0, 0, 0, 0, 1, 0, 0, 0, 0>");
  replace("model_type = 2 : i64, ", "");
  return text;
}

class WhisperBeamSearchOpTest : public WhisperBeamSearchCostTest {
protected:
  void SetUp() override {
    parseSearch(whisperOpModule());
    ASSERT_TRUE(isa<MSWhisperBeamSearchOp>(search));
    llvm::append_range(encoderMatmuls, search->getRegion(1).getOps<MatMulOp>());
  }
};

TEST_F(WhisperBeamSearchOpTest, CostsAsBeamSearchOfWhisper) {
  // The same subgraphs under BeamSearch(model_type 2): every decoder and
  // encoder MatMul and the search cost the same, over the whole generation
  // and in one step.
  OwningOpRef<ModuleOp> beamModule =
      parseSourceString<ModuleOp>(kWhisperModule, &ctx);
  ASSERT_TRUE(beamModule);
  auto beamFunc = *beamModule->getOps<func::FuncOp>().begin();
  auto beam = *beamFunc.getOps<MSBeamSearchOp>().begin();
  llvm::SmallVector<MatMulOp> beamOps(
      beam.getSubgraphs()[0].getOps<MatMulOp>());
  llvm::append_range(beamOps, beam.getSubgraphs()[1].getOps<MatMulOp>());
  llvm::SmallVector<MatMulOp> ops(matmuls);
  llvm::append_range(ops, encoderMatmuls);
  ASSERT_EQ(ops.size(), beamOps.size());
  for (auto [op, beamOp] : llvm::zip(ops, beamOps)) {
    ASSERT_TRUE(wholeGraphFlops(func, op).has_value());
    EXPECT_EQ(wholeGraphFlops(func, op), wholeGraphFlops(beamFunc, beamOp));
  }
  EXPECT_EQ(wholeGraphFlops(func, search), std::optional<int64_t>(560));
  EXPECT_EQ(wholeGraphFlops(beamFunc, beam), std::optional<int64_t>(560));
  // One step on B rows: B x 5 candidates x 7.
  EXPECT_EQ(oneStepFlops(func, search, {{"B", 4}}),
            std::optional<int64_t>(140));
  EXPECT_EQ(oneStepFlops(beamFunc, beam, {{"B", 4}}),
            std::optional<int64_t>(140));
}

TEST_F(WhisperBeamSearchOpTest, CrossQkGeometryFromTheEncoder) {
  // One layer of one cross-attention head; the encoder's cross K declares
  // its length T, the frames of its input [N, 3, T], fed [2, 3, 4].
  ShapeContext shapes;
  WhisperCrossQk g = getWhisperCrossQk(search, shapes);
  EXPECT_EQ(g.layers.getInt64(), std::optional<int64_t>(1));
  EXPECT_EQ(g.heads.getInt64(), std::optional<int64_t>(1));
  EXPECT_EQ(g.frames.getInt64(), std::optional<int64_t>(4));
}

} // namespace
