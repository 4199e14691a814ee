//===- ExpertRoutingTest.cpp - the experts a step of T tokens touches ----===//

#include "tfperf/Dialect/TFPerf/IR/ExpertRouting.h"

#include "gtest/gtest.h"

using namespace mlir::tfperf;

namespace {

// E = 8, k = 2: one token touches exactly its 2 experts, 4 tokens
// 8 (1 - 0.75^4) = 5.46875 (two tokens often share one), a long prefill all.
TEST(ExpertRoutingTest, ExpectedTouchedExperts) {
  EXPECT_DOUBLE_EQ(expectedTouchedExperts(8, 2, 1), 2.0);
  EXPECT_DOUBLE_EQ(expectedTouchedExperts(8, 2, 4), 5.46875);
  EXPECT_DOUBLE_EQ(touchedExpertShare(8, 2, 4), 0.68359375);
  EXPECT_NEAR(expectedTouchedExperts(8, 2, 4096), 8.0, 1e-12);
  // k = E: every expert, whatever T; no tokens: none.
  EXPECT_DOUBLE_EQ(touchedExpertShare(4, 4, 3), 1.0);
  EXPECT_DOUBLE_EQ(touchedExpertShare(8, 2, 0), 0.0);
}

// The share of a number of elements is rounded to a whole count; a
// symbolic count cannot be scaled (the caller keeps its upper bound).
TEST(ExpertRoutingTest, ScaleByShare) {
  auto n = scaleByShare(SymExpr(4096), 1695.0 / 4096);
  ASSERT_TRUE(n.has_value());
  EXPECT_TRUE(n->isConstant(1695));
  auto half = scaleByShare(SymExpr(255), 0.5);
  ASSERT_TRUE(half.has_value());
  EXPECT_TRUE(half->isConstant(128));
  EXPECT_FALSE(scaleByShare(SymExpr::symbol("T") * SymExpr(8), 0.5));
}

} // namespace
