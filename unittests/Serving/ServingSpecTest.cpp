//===- ServingSpecTest.cpp - --serve and --slo, and studies ---------------===//

#include "tfperf/Serving/ServingStudy.h"

#include "gtest/gtest.h"

using namespace mlir::tfperf::serving;

TEST(ServingSpec, ListsRangesAndDefaults) {
  std::string error;
  auto s = parseServingSpec("isl=1024,osl=128,concurrency=1..64;budget=2048,8192",
                            error);
  ASSERT_TRUE(s) << error;
  EXPECT_EQ(s->isl, 1024);
  EXPECT_EQ(s->osl, 128);
  EXPECT_EQ(s->concurrency, (std::vector<int64_t>{1, 2, 4, 8, 16, 32, 64}));
  EXPECT_EQ(s->tokenBudget, (std::vector<int64_t>{2048, 8192}));
  EXPECT_TRUE(s->engine.chunkedPrefill);
  s = parseServingSpec("isl=8,osl=8,concurrency=4..12+4,disagg=1:3,tp=1,2",
                       error);
  ASSERT_TRUE(s) << error;
  EXPECT_EQ(s->concurrency, (std::vector<int64_t>{4, 8, 12}));
  EXPECT_EQ(s->prefillReplicas, 1);
  EXPECT_EQ(s->decodeReplicas, 3);
  EXPECT_EQ(s->tp, (std::vector<int64_t>{1, 2}));
  s = parseServingSpec("trace=t.csv", error);
  ASSERT_TRUE(s) << error;
  EXPECT_EQ(s->trace, "t.csv");
  EXPECT_EQ(s->engine.stepOverhead, 0);
  EXPECT_EQ(s->engine.sequenceOverhead, 0);
  s = parseServingSpec("trace=t.csv,step-overhead=1.5ms,seq-overhead=20us",
                       error);
  ASSERT_TRUE(s) << error;
  EXPECT_DOUBLE_EQ(s->engine.stepOverhead, 1.5e-3);
  EXPECT_DOUBLE_EQ(s->engine.sequenceOverhead, 20e-6);
  EXPECT_EQ(s->kvBlocks, 0);
  s = parseServingSpec("isl=8,osl=8,kv-blocks=2588", error);
  ASSERT_TRUE(s) << error;
  EXPECT_EQ(s->kvBlocks, 2588);
}

TEST(ServingSpec, ErrorsSayWhatIsExpected) {
  std::string error;
  EXPECT_FALSE(parseServingSpec("isl=0,osl=4", error));
  EXPECT_EQ(error, "isl: expected an integer from 1 to 2147483647");
  EXPECT_FALSE(parseServingSpec("isl=4", error));
  EXPECT_EQ(error, "give isl and osl (prompt and output tokens), or a trace");
  EXPECT_FALSE(parseServingSpec("isl=4,osl=4,colour=red", error));
  EXPECT_NE(error.find("unknown key 'colour'"), std::string::npos);
  EXPECT_FALSE(parseServingSpec("isl=4,osl=4,concurrency=1..1000000+1", error));
  EXPECT_NE(error.find("more than 4096 values"), std::string::npos);
  EXPECT_FALSE(parseServingSpec("isl=4,osl=4,rate=2,concurrency=3", error));
  EXPECT_EQ(error, "rate (open loop) and concurrency (closed loop) exclude each other");
  EXPECT_FALSE(parseServingSpec("trace=t.csv,isl=3", error));
  EXPECT_FALSE(parseServingSpec("isl=4,osl=4,disagg=2", error));
  EXPECT_NE(error.find("P:D"), std::string::npos);
  EXPECT_FALSE(parseServingSpec("isl=4,osl=4,prefix-hit=1", error));
  EXPECT_FALSE(parseServingSpec("isl=4,osl=4,concurrency=8..2", error));
  EXPECT_FALSE(parseServingSpec("isl=4,osl=4,kv-blocks=0", error));
  EXPECT_EQ(error, "kv-blocks: expected an integer from 1 to 1099511627776");
  for (const char *bad : {"isl=4,osl=4,step-overhead=2", "isl=4,osl=4,step-overhead=-1ms",
                          "isl=4,osl=4,seq-overhead=2min", "isl=4,osl=4,seq-overhead=61s"}) {
    EXPECT_FALSE(parseServingSpec(bad, error)) << bad;
    EXPECT_NE(error.find("expected a duration from 0 to 60 s"), std::string::npos) << bad;
  }
}

TEST(ServiceLevel, ParsesAndJudges) {
  std::string error;
  auto slo = parseServiceLevel("ttft_p90<2s,tpot_p90<=50ms", error);
  ASSERT_TRUE(slo) << error;
  ASSERT_EQ(slo->bounds.size(), 2u);
  EXPECT_DOUBLE_EQ(slo->bounds[1].seconds, 0.05);
  EXPECT_TRUE(slo->bounds[1].inclusive);
  ServingResult r;
  r.completed = 1;
  r.ttft.p90 = 1.9;
  r.tpot.p90 = 0.05;
  EXPECT_TRUE(slo->admits(r));
  r.ttft.p90 = 2;
  EXPECT_FALSE(slo->admits(r));
  EXPECT_FALSE(parseServiceLevel("ttft_p95<2s", error));
  EXPECT_FALSE(parseServiceLevel("ttft_p90<2", error));
  EXPECT_NE(error.find("unit"), std::string::npos);
  EXPECT_FALSE(parseServiceLevel("tpot", error));
}

TEST(ServingStudy, FrontierAndBestUnderTheServiceLevel) {
  // A step costs 1 ms plus 1 us per token: more concurrency raises the
  // throughput per GPU and lowers the speed per user.
  StepCostTerm t;
  t.overhead = 1e-3;
  t.flops.perToken = 1e-6;
  t.vectorPeak = 1;
  StepCostModel cost({t});
  ServingTarget target{"dev", 1, &cost, 1 << 20, 0, 0, 0};
  std::string error;
  auto spec = parseServingSpec("isl=64,osl=64,concurrency=1..64,requests=64",
                               error);
  ASSERT_TRUE(spec) << error;
  auto slo = parseServiceLevel("tpot_p90<1.02ms", error);
  ASSERT_TRUE(slo) << error;
  auto study = runStudy(*spec, {target}, nullptr, &*slo, error);
  ASSERT_TRUE(study) << error;
  ASSERT_EQ(study->points.size(), 7u);
  for (size_t i = 1; i < study->points.size(); ++i) {
    EXPECT_GT(study->points[i].tokensPerSecondPerGPU,
              study->points[i - 1].tokensPerSecondPerGPU);
    EXPECT_LT(study->points[i].result.tokensPerSecondPerUser,
              study->points[i - 1].result.tokensPerSecondPerUser);
    EXPECT_TRUE(study->points[i].onFrontier);
  }
  // TPOT = 1 ms + c us: concurrency 16 is the last under 1.02 ms.
  ASSERT_TRUE(study->best);
  EXPECT_EQ(study->points[*study->best].concurrency, 16);
}
