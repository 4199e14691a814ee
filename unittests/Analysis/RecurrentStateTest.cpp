//===- RecurrentStateTest.cpp - state a recurrent op keeps per sequence ---===//

#include "ParsedModuleTest.h"
#include "tfperf/Analysis/PhaseAnalysis.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

using namespace mlir;
using namespace mlir::tfperf;

namespace {

class RecurrentStateTest : public ParsedModuleTest {
protected:
  /// The state of the first op named `name`.
  std::optional<RecurrentState> stateOf(llvm::StringRef name) {
    Operation *found = nullptr;
    module->walk([&](Operation *op) {
      if (!found && op->getName().getStringRef() == name)
        found = op;
    });
    EXPECT_NE(found, nullptr) << name.str();
    return found ? recurrentStatePerSequence(found, DtypePolicy())
                 : std::nullopt;
  }

  /// Expects the first op named `name` to keep `bytes` per sequence, split
  /// in `units` (heads or channels).
  void expectState(llvm::StringRef name, bool linearAttention, int64_t units,
                   double bytes) {
    auto st = stateOf(name);
    ASSERT_TRUE(st.has_value());
    EXPECT_EQ(st->linearAttention, linearAttention);
    EXPECT_EQ(st->units, units);
    EXPECT_DOUBLE_EQ(st->bytes, bytes);
  }
};

// Inverse GQA (2 query heads of 16 read 4 state heads): 4 states of
// Dk 16 x Dv 32 (value width 128 / 4) at bf16, whatever the batch and T.
TEST_F(RecurrentStateTest, LinearAttentionStatePerStateHead) {
  ASSERT_TRUE(parse(R"mlir(
    func.func @f(%q: tensor<3x5x32xbf16>, %k: tensor<3x5x32xbf16>,
                 %v: tensor<3x5x128xbf16>) -> tensor<3x5x128xbf16> {
      %o = tfperf.linear_attention %q, %k, %v {kv_num_heads = 4 : i64, q_num_heads = 2 : i64} : (tensor<3x5x32xbf16>, tensor<3x5x32xbf16>, tensor<3x5x128xbf16>) -> tensor<3x5x128xbf16>
      return %o : tensor<3x5x128xbf16>
    })mlir"));
  expectState("tfperf.linear_attention", true, 4, 4.0 * 16 * 32 * 2);
}

// Channels last, dilation 2, 4 taps: the carry is (4 - 1) x 2 positions of
// each of 96 fp16 channels.
TEST_F(RecurrentStateTest, CausalConvCarryWithDilation) {
  ASSERT_TRUE(parse(R"mlir(
    func.func @f(%x: tensor<1x8x96xf16>, %w: tensor<96x1x4xf16>) -> tensor<1x8x96xf16> {
      %y = tfperf.causal_conv_with_state %x, %w {channels_last = 1 : i64, dilation = 2 : i64} : (tensor<1x8x96xf16>, tensor<96x1x4xf16>) -> tensor<1x8x96xf16>
      return %y : tensor<1x8x96xf16>
    })mlir"));
  expectState("tfperf.causal_conv_with_state", false, 96, 96.0 * 3 * 2 * 2);
}

// Other ops keep no state; a head width that is not constant gives none.
TEST_F(RecurrentStateTest, NoStateForOtherOpsOrUnknownWidths) {
  ASSERT_TRUE(parse(R"mlir(
    func.func @f(%q: tensor<1x5x?xf32>, %v: tensor<1x5x64xf32>, %a: tensor<4x4xf32>) -> (tensor<1x5x64xf32>, tensor<4x4xf32>) {
      %o = tfperf.linear_attention %q, %q, %v {kv_num_heads = 4 : i64, q_num_heads = 4 : i64} : (tensor<1x5x?xf32>, tensor<1x5x?xf32>, tensor<1x5x64xf32>) -> tensor<1x5x64xf32>
      %m = tfperf.matmul %a, %a : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
      return %o, %m : tensor<1x5x64xf32>, tensor<4x4xf32>
    })mlir"));
  EXPECT_FALSE(stateOf("tfperf.linear_attention").has_value());
  EXPECT_FALSE(stateOf("tfperf.matmul").has_value());
}

} // namespace
