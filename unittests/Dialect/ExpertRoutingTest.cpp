//===- ExpertRoutingTest.cpp - the experts a step of T tokens touches ----===//

#include "tfperf/Dialect/TFPerf/IR/ExpertRouting.h"

#include "gtest/gtest.h"

#include <tuple>

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

namespace {

// The routings the flag accepts; a bad s is rejected, never clamped.
TEST(ExpertRoutingTest, ParseRouting) {
  EXPECT_EQ(parseMoeRouting("balanced")->kind, MoeRouting::Kind::Balanced);
  EXPECT_EQ(parseMoeRouting("none")->kind, MoeRouting::Kind::None);
  auto z = parseMoeRouting("zipf:1.5");
  ASSERT_TRUE(z.has_value());
  EXPECT_EQ(z->kind, MoeRouting::Kind::Zipf);
  EXPECT_DOUBLE_EQ(z->zipf, 1.5);
  EXPECT_TRUE(z->isSkewed());
  // s = 0 is balanced.
  EXPECT_FALSE(parseMoeRouting("zipf:0")->isSkewed());
  for (const char *bad : {"zipf:-1", "zipf:abc", "zipf:nan", "zipf:inf",
                          "zipf:", "zipf: 1", "zipf", "skewed", "", "loads:",
                          "loads"})
    EXPECT_FALSE(parseMoeRouting(bad).has_value()) << bad;
  // loads:<file> names the file; it is read by the pass.
  auto l = parseMoeRouting("loads:stats/eplb.txt");
  ASSERT_TRUE(l.has_value());
  EXPECT_EQ(l->kind, MoeRouting::Kind::Loads);
  EXPECT_EQ(l->loadsFile, "stats/eplb.txt");
  EXPECT_FALSE(l->isSkewed());
}

// Measured popularity in any order: p = (0.1, 0.6, 0.1, 0.1, 0.1), k = 2:
// expert 1 at 1.2 is capped, the excess spread over the other four in
// proportion to p: 1 x 0.1 / 0.4 = 0.25 each. Under Zipf the same rule caps
// a prefix.
TEST(ExpertRoutingTest, PopularityInclusion) {
  std::vector<double> pi = popularityInclusion({0.1, 0.6, 0.1, 0.1, 0.1}, 2);
  ASSERT_EQ(pi.size(), 5u);
  EXPECT_DOUBLE_EQ(pi[1], 1.0);
  for (size_t i : {0, 2, 3, 4})
    EXPECT_DOUBLE_EQ(pi[i], 0.25) << i;
  // Uniform popularity: k/E each, as balanced.
  for (double p : popularityInclusion({0.25, 0.25, 0.25, 0.25}, 2))
    EXPECT_DOUBLE_EQ(p, 0.5);
}

// E = 4, k = 2, s = 1: p = (1, 1/2, 1/3, 1/4) / (25/12) = (12, 6, 4, 3) / 25,
// pi = 2 p = (0.96, 0.48, 0.32, 0.24), none capped, summing to k.
TEST(ExpertRoutingTest, ZipfInclusion) {
  std::vector<double> pi = zipfInclusion(4, 2, 1);
  ASSERT_EQ(pi.size(), 4u);
  EXPECT_DOUBLE_EQ(pi[0], 0.96);
  EXPECT_DOUBLE_EQ(pi[1], 0.48);
  EXPECT_DOUBLE_EQ(pi[2], 0.32);
  EXPECT_DOUBLE_EQ(pi[3], 0.24);
  // s = 2: 2 p_0 = 2 x 36/61... above 1: expert 0 is capped at 1 and the
  // other k - 1 = 1 spreads as (1/4, 1/9, 1/16) = (36, 16, 9) / 61.
  std::vector<double> capped = zipfInclusion(4, 2, 2);
  EXPECT_DOUBLE_EQ(capped[0], 1.0);
  EXPECT_DOUBLE_EQ(capped[1], 36.0 / 61);
  EXPECT_DOUBLE_EQ(capped[2], 16.0 / 61);
  EXPECT_DOUBLE_EQ(capped[3], 9.0 / 61);
  // s = 0: k/E each, balanced's.
  for (double p : zipfInclusion(8, 2, 0))
    EXPECT_DOUBLE_EQ(p, 0.25);
  // A huge s: the k most popular experts take every token.
  std::vector<double> limit = zipfInclusion(6, 3, 1e6);
  EXPECT_EQ(limit, (std::vector<double>{1, 1, 1, 0, 0, 0}));
  // k = E: every expert every token.
  for (double p : zipfInclusion(4, 4, 1))
    EXPECT_DOUBLE_EQ(p, 1.0);
}

static int64_t countAt(const SymExpr &e, int64_t t) {
  auto v = e.evaluate([&](llvm::StringRef) -> std::optional<Int128> {
    return Int128(t);
  });
  EXPECT_TRUE(v.has_value());
  return v ? int64_t(*v) : -1;
}

// Counts are the differences of the rounded cumulative quotas. E = 4, k = 2,
// s = 1 at T = 10 (20 pairs): quotas 9.6, 4.8, 3.2, 2.4, cumulative 9.6,
// 14.4, 17.6, 20 -> 10, 14, 18, 20 -> 10, 4, 4, 2. At T = 25 the quotas 24,
// 12, 8, 6 are whole and are kept.
TEST(ExpertRoutingTest, SkewedRoutedTokens) {
  std::vector<double> pi = zipfInclusion(4, 2, 1);
  auto counts = [&](int64_t pairs) {
    std::vector<int64_t> c;
    for (int64_t i = 0; i < 4; ++i) {
      SymExpr n = skewedRoutedTokens(SymExpr(pairs), pi, i);
      EXPECT_TRUE(n.isConstant());
      c.push_back(int64_t(n.getConstant()));
    }
    return c;
  };
  EXPECT_EQ(counts(20), (std::vector<int64_t>{10, 4, 4, 2}));
  EXPECT_EQ(counts(50), (std::vector<int64_t>{24, 12, 8, 6}));
  // One decode token (2 pairs): round(0.96) = 1, round(1.44) = 1,
  // round(1.76) = 2: experts 0 and 2.
  EXPECT_EQ(counts(2), (std::vector<int64_t>{1, 0, 1, 0}));
}

// Whatever T is, the counts sum to exactly T k, symbolically too, and each
// is within one of its quota T pi_i.
TEST(ExpertRoutingTest, SkewedCountsSumExactly) {
  for (auto [e, k, s] : {std::tuple<int64_t, int64_t, double>{4, 2, 1},
                         {8, 2, 1.2}, {12, 2, 0.7}, {64, 6, 1.0},
                         {16, 4, 3.0}, {7, 3, 0.5}}) {
    std::vector<double> pi = zipfInclusion(e, k, s);
    SymExpr pairs = SymExpr::symbol("T") * SymExpr(k);
    SymExpr total(0);
    std::vector<SymExpr> counts;
    for (int64_t i = 0; i < e; ++i) {
      counts.push_back(skewedRoutedTokens(pairs, pi, i));
      total = total + counts.back();
    }
    std::string printed;
    llvm::raw_string_ostream os(printed);
    total.print(os);
    EXPECT_TRUE(total == pairs) << printed;
    for (int64_t t : {1, 2, 3, 5, 17, 100, 4096, 1000003}) {
      int64_t sum = 0;
      for (int64_t i = 0; i < e; ++i) {
        int64_t c = countAt(counts[i], t);
        EXPECT_GE(c, 0);
        EXPECT_LE(c, t); // a token picks an expert at most once
        EXPECT_LT(std::abs(double(c) - double(t) * pi[i]),
                  1.0 + double(t) / double(1 << 30));
        sum += c;
      }
      EXPECT_EQ(sum, t * k) << "E " << e << " T " << t;
    }
  }
}

// The decode step's touched experts: sum_i 1 - (1 - pi_i)^B. At E = 4, k = 2,
// s = 1, B = 2: 0.9984 + 0.7296 + 0.5376 + 0.4224 = 2.688 (balanced: 3).
// s = 0 gives balanced's E (1 - (1 - k/E)^B) exactly.
TEST(ExpertRoutingTest, SkewedTouchedExperts) {
  EXPECT_NEAR(expectedTouchedExperts(zipfInclusion(4, 2, 1), 2), 2.688, 1e-12);
  EXPECT_DOUBLE_EQ(expectedTouchedExperts(zipfInclusion(4, 2, 1), 1), 2.0);
  for (double b : {1.0, 2.0, 4.0, 64.0})
    EXPECT_DOUBLE_EQ(expectedTouchedExperts(zipfInclusion(8, 2, 0), b),
              expectedTouchedExperts(8, 2, b));
}

// Contiguous devices: ep = 2 holds experts {0, 1} and {2, 3}: (0.96 + 0.48)
// / 2 = 0.72 of the pairs on the busiest, 1.44 x the mean; equal loads give
// 1 / ep.
TEST(ExpertRoutingTest, BusiestDeviceShare) {
  std::vector<double> pi = zipfInclusion(4, 2, 1);
  EXPECT_DOUBLE_EQ(busiestDeviceShare(pi, 2), 0.72);
  EXPECT_DOUBLE_EQ(busiestDeviceShare(pi, 4), 0.48);
  EXPECT_DOUBLE_EQ(busiestDeviceShare(pi, 1), 1.0);
  EXPECT_DOUBLE_EQ(busiestDeviceShare(zipfInclusion(8, 2, 0), 4), 0.25);
}

} // namespace
