//===- SweepTest.cpp - the sweep spec parser and the crossover solver -----===//

#include "tfperf/Analysis/Sweep.h"
#include "tfperf/Analysis/SymbolicCosts.h"

#include "gtest/gtest.h"

using namespace mlir::tfperf;

namespace {

SweepSpec parseOk(const char *text) {
  std::string error;
  auto spec = parseSweepSpec(text, error);
  EXPECT_TRUE(spec.has_value()) << text << ": " << error;
  return spec ? *spec : SweepSpec();
}

std::string parseError(const char *text) {
  std::string error;
  auto spec = parseSweepSpec(text, error);
  EXPECT_FALSE(spec.has_value()) << text;
  return error;
}

TEST(SweepSpec, ListsRangesAndDevices) {
  SweepSpec s = parseOk(
      "batch=1,8,64;seq=128..32768*2;hw=a100-sxm-40gb,h100-sxm;tp=1,2,4,8");
  ASSERT_EQ(s.axes.size(), 4u);
  EXPECT_EQ(s.axes[0].name, "batch");
  EXPECT_EQ(s.axes[0].values, (std::vector<int64_t>{1, 8, 64}));
  EXPECT_EQ(s.axes[1].values.size(), 9u);
  EXPECT_EQ(s.axes[1].values.front(), 128);
  EXPECT_EQ(s.axes[1].values.back(), 32768);
  EXPECT_EQ(s.axes[2].kind, SweepAxis::Kind::Hardware);
  EXPECT_EQ(s.axes[2].deviceNames,
            (std::vector<std::string>{"a100-sxm-40gb", "h100-sxm"}));
  EXPECT_EQ(s.axes[3].kind, SweepAxis::Kind::TensorParallel);
  EXPECT_EQ(s.numPoints(), 3u * 9 * 2 * 4);
}

TEST(SweepSpec, RangeForms) {
  EXPECT_EQ(parseOk("seq=1..4").axes[0].values,
            (std::vector<int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(parseOk("past=0..1024+256").axes[0].values,
            (std::vector<int64_t>{0, 256, 512, 768, 1024}));
  // The end need not be hit exactly; items mix.
  EXPECT_EQ(parseOk("seq=3..20*3, 100 ,7..7").axes[0].values,
            (std::vector<int64_t>{3, 9, 100, 7}));
  EXPECT_EQ(parseOk(" kv_len = 2 ; seq = 1 ").axes[0].kind,
            SweepAxis::Kind::KvLen);
}

TEST(SweepSpec, BadSyntaxSaysWhere) {
  EXPECT_NE(parseError("").find("empty"), std::string::npos);
  EXPECT_EQ(parseError("batch"),
            "axis 'batch' has no '=' (expected name=values)");
  EXPECT_EQ(parseError("=1,2"), "no axis name before '=' in '=1,2'");
  EXPECT_EQ(parseError("batch="), "axis 'batch' has no values");
  EXPECT_EQ(parseError("batch=1,,2"), "axis 'batch': empty value in '1,,2'");
  EXPECT_NE(parseError("batch=1;;seq=2").find("empty axis"), std::string::npos);
  EXPECT_EQ(parseError("batch=1;batch=2"), "axis 'batch' is given twice");
  EXPECT_NE(parseError("seq=12x").find("'12x' is not a non-negative integer"),
            std::string::npos);
  EXPECT_NE(parseError("seq=-4").find("'-4'"), std::string::npos);
  EXPECT_EQ(parseError("seq=64..8"), "axis 'seq': range '64..8' is empty (64 > 8)");
  EXPECT_EQ(parseError("seq=1..8*1"),
            "axis 'seq': range '1..8*1' needs a factor of at least 2");
  EXPECT_EQ(parseError("seq=0..8*2"),
            "axis 'seq': geometric range '0..8*2' cannot start at 0");
  EXPECT_EQ(parseError("seq=1..8+0"),
            "axis 'seq': range '1..8+0' needs a step of at least 1");
  EXPECT_NE(parseError("seq=1..x*2").find("is not a range"), std::string::npos);
  EXPECT_EQ(parseError("tp=0,2"),
            "axis 'tp': the tensor-parallel degree is at least 1");
  EXPECT_NE(parseError("a=1..5000;b=1..5000").find("more than the limit"),
            std::string::npos);
  EXPECT_NE(parseError("a=1..100000000").find("more than"), std::string::npos);
}

SymExpr parse(const char *s) { return *SymExpr::parse(s); }

TEST(Crossover, FirstPositiveCrossing) {
  // Per token of a GPT-2 layer: attention 3072·s + 4718592 vs MLP 9437184.
  auto x = solveFirstPositiveCrossing(parse("3072*s + 4718592 - 9437184"), "s");
  ASSERT_TRUE(x.has_value());
  EXPECT_EQ(*x, 1536);
  // Quadratic, not an integer root: s² - 2 > 0 beyond √2.
  x = solveFirstPositiveCrossing(parse("s^2 - 2"), "s");
  ASSERT_TRUE(x.has_value());
  EXPECT_NEAR(*x, 1.41421356237, 1e-9);
  // Already positive, or never: no crossing.
  EXPECT_FALSE(solveFirstPositiveCrossing(parse("s + 1"), "s").has_value());
  EXPECT_FALSE(solveFirstPositiveCrossing(parse("-s - 1"), "s").has_value());
  // Another symbol is not bound: nothing to solve.
  EXPECT_FALSE(solveFirstPositiveCrossing(parse("s - b"), "s").has_value());
}

} // namespace
