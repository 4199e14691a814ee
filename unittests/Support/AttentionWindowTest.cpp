//===- AttentionWindowTest.cpp - sliding-window key counts ----------------===//

#include "tfperf/Support/AttentionWindow.h"

#include "gtest/gtest.h"

#include <algorithm>

using namespace mlir::tfperf;

namespace {

/// The keys every query sees, counted one by one as ONNX Attention's
/// definition states (opset 25): j in [p - left, p + right] of [0, t),
/// j <= p when causal.
int64_t bruteForce(int64_t s, int64_t t, int64_t offset,
                   const AttentionWindow &w) {
  int64_t pairs = 0;
  for (int64_t p = offset; p < offset + s; ++p)
    for (int64_t j = 0; j < t; ++j)
      pairs += (w.left < 0 || j >= p - w.left) &&
               (w.right < 0 || j <= p + w.right) && (!w.causal || j <= p);
  return pairs;
}

TEST(AttentionWindow, MatchesTheDefinitionKeyByKey) {
  for (int64_t s = 1; s <= 7; ++s)
    for (int64_t t = s; t <= 9; ++t)
      for (int64_t offset : {int64_t(0), t - s})
        for (int64_t left = -1; left <= 5; ++left)
          for (int64_t right = -1; right <= 3; ++right)
            for (bool causal : {false, true}) {
              AttentionWindow w{left, right, causal};
              if (!w.isBounded())
                continue;
              SymExpr got = windowedScores(SymExpr(s), SymExpr(t),
                                           SymExpr(offset), w);
              EXPECT_TRUE(got.isConstant(bruteForce(s, t, offset, w)))
                  << "s=" << s << " t=" << t << " offset=" << offset
                  << " left=" << left << " right=" << right
                  << " causal=" << causal << ": " << got.str();
            }
}

TEST(AttentionWindow, OnnxExamples) {
  // Operators.md: 4 queries, 6 keys, left 2, right 1: 2 + 3 + 4 + 4.
  EXPECT_TRUE(windowedScores(SymExpr(4), SymExpr(6), SymExpr(0),
                             AttentionWindow{2, 1, false})
                  .isConstant(13));
  // A decode step at position 10 with a causal left window of 3: 4 keys.
  EXPECT_TRUE(windowedScores(SymExpr(1), SymExpr(11), SymExpr(10),
                             AttentionWindow{3, -1, true})
                  .isConstant(4));
}

TEST(AttentionWindow, SymbolicFormulaIsExactAtEverySize) {
  // Prefill of `seq` tokens after `past` cached ones, window of 4 keys.
  SymExpr seq = SymExpr::symbol("seq"), past = SymExpr::symbol("past");
  AttentionWindow w{3, -1, true};
  SymExpr formula = windowedScores(seq, past + seq, past, w);
  for (int64_t p = 0; p <= 6; ++p)
    for (int64_t q = 1; q <= 9; ++q) {
      auto v = formula.evaluate([&](llvm::StringRef name) -> std::optional<Int128> {
        return name == "seq" ? q : p;
      });
      ASSERT_TRUE(v.has_value()) << formula.str();
      EXPECT_EQ(int64_t(*v), bruteForce(q, p + q, p, w))
          << "past=" << p << " seq=" << q << ": " << formula.str();
    }
}

TEST(AttentionWindow, FirstKeyRead) {
  EXPECT_TRUE(firstWindowKey(SymExpr(10), AttentionWindow{3, -1, true})
                  .isConstant(7));
  EXPECT_TRUE(firstWindowKey(SymExpr(2), AttentionWindow{3, -1, true})
                  .isConstant(0));
  EXPECT_TRUE(firstWindowKey(SymExpr(10), AttentionWindow{-1, 2, false})
                  .isConstant(0));
}

} // namespace
