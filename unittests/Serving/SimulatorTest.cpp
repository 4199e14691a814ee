//===- SimulatorTest.cpp - the continuous-batching simulator --------------===//

#include "tfperf/Serving/Simulator.h"

#include "gtest/gtest.h"

using namespace mlir::tfperf::serving;

namespace {
/// Every step costs `perStep` seconds plus `perToken` per token processed.
StepCostModel linearCost(double perStep, double perToken = 0) {
  StepCostTerm t;
  t.name = "step";
  t.overhead = perStep;
  t.flops.perToken = perToken;
  t.vectorPeak = 1;
  return StepCostModel({t});
}

EngineConfig roomyEngine() {
  EngineConfig e;
  e.kvBlocks = 1 << 20;
  return e;
}

ServingResult run(const Workload &w, const EngineConfig &e,
                  const StepCostModel &c) {
  std::string error;
  auto r = simulate(w, e, c, error);
  EXPECT_TRUE(r.has_value()) << error;
  if (!r)
    return ServingResult();
  EXPECT_EQ(checkInvariants(w, *r), "");
  return *r;
}
} // namespace

TEST(Simulator, OneRequestPrefillThenDecodes) {
  // One prefill step samples the first token, then one decode step per
  // further token.
  auto r = run(fixedConcurrency(100, 10, 1, 1), roomyEngine(), linearCost(1e-3));
  EXPECT_EQ(r.steps, 10);
  EXPECT_NEAR(r.ttft.mean, 1e-3, 1e-12);
  EXPECT_NEAR(r.e2e.mean, 10e-3, 1e-12);
  EXPECT_NEAR(r.tpot.mean, 1e-3, 1e-12);
  EXPECT_EQ(r.itl.count, 9);
  EXPECT_EQ(r.outputTokens, 10);
  EXPECT_NEAR(r.tokensPerSecondPerUser, 1000, 1e-6);
}

TEST(Simulator, ChunkedPrefillSplitsThePromptByTheTokenBudget) {
  EngineConfig e = roomyEngine();
  e.maxBatchedTokens = 32;
  // 100 tokens: chunks of 32, 32, 32 and 4; the last samples token one.
  auto r = run(fixedConcurrency(100, 1, 1, 1), e, linearCost(1e-3));
  EXPECT_EQ(r.steps, 4);
  EXPECT_NEAR(r.ttft.mean, 4e-3, 1e-12);
}

TEST(Simulator, WithoutChunkingALongRequestIsRejected) {
  EngineConfig e = roomyEngine();
  e.maxBatchedTokens = 64;
  e.chunkedPrefill = false;
  Workload w = fixedConcurrency(100, 4, 1, 2);
  auto r = run(w, e, linearCost(1e-3));
  EXPECT_EQ(r.rejected, 2);
  EXPECT_EQ(r.completed, 0);
  ASSERT_FALSE(r.rejections.empty());
  EXPECT_NE(r.rejections[0].find("without chunked prefill"), std::string::npos);
}

TEST(Simulator, DecodesAreBatchedAndCostTheirTokens) {
  // Two requests at once: their prefills share the first step, then every
  // step decodes both.
  auto cost = linearCost(1e-3, 1e-6);
  auto r = run(fixedConcurrency(10, 5, 2, 2), roomyEngine(), cost);
  EXPECT_EQ(r.steps, 5);
  EXPECT_NEAR(r.meanBatch, 2, 1e-12);
  EXPECT_NEAR(r.ttft.mean, 1e-3 + 20e-6, 1e-12);
  EXPECT_NEAR(r.tpot.mean, 1e-3 + 2e-6, 1e-12);
}

TEST(Simulator, ClosedLoopKeepsTheConcurrency) {
  auto r = run(fixedConcurrency(16, 8, 3, 10), roomyEngine(), linearCost(1e-3));
  EXPECT_EQ(r.completed, 10);
  EXPECT_LE(r.meanBatch, 3.0);
  EXPECT_GT(r.meanBatch, 2.0);
  EXPECT_EQ(r.outputTokens, 80);
}

TEST(Simulator, EngineOverheadIsPaidPerStepAndPerSequence) {
  // One request: ten steps of one sequence, each 1 ms of kernels plus the
  // engine's 2 ms per step and 0.5 ms per sequence.
  EngineConfig e = roomyEngine();
  e.stepOverhead = 2e-3;
  e.sequenceOverhead = 0.5e-3;
  auto one = run(fixedConcurrency(100, 10, 1, 1), e, linearCost(1e-3));
  EXPECT_EQ(one.steps, 10);
  EXPECT_NEAR(one.ttft.mean, 3.5e-3, 1e-12);
  EXPECT_NEAR(one.e2e.mean, 35e-3, 1e-12);
  // A closed loop schedules the same steps whatever they cost, so the
  // overhead lengthens the run by exactly steps x 2 ms + sequence-steps x
  // 0.5 ms.
  Workload w = fixedConcurrency(64, 16, 4, 12);
  auto base = run(w, roomyEngine(), linearCost(1e-3, 1e-6));
  auto slow = run(w, e, linearCost(1e-3, 1e-6));
  EXPECT_EQ(slow.steps, base.steps);
  double sequenceSteps = base.meanBatch * double(base.steps);
  EXPECT_NEAR(slow.duration,
              base.duration + double(base.steps) * 2e-3 + sequenceSteps * 0.5e-3,
              1e-9);
  EXPECT_LT(slow.outputTokensPerSecond, base.outputTokensPerSecond);
}

TEST(Simulator, InvariantsCatchABrokenRun) {
  // checkInvariants is what every study point must pass: each violation is
  // reported, naming what broke.
  Workload w = fixedConcurrency(32, 8, 2, 4);
  ServingResult good = run(w, roomyEngine(), linearCost(1e-3));
  auto broken = [&](auto tamper) {
    ServingResult r = good;
    tamper(r);
    return checkInvariants(w, r);
  };
  EXPECT_NE(broken([](ServingResult &r) { --r.completed; }).find("4 requests, but 3 completed"),
            std::string::npos);
  EXPECT_NE(broken([](ServingResult &r) { ++r.outputTokens; }).find("32 output tokens asked for, 33 generated"),
            std::string::npos);
  EXPECT_NE(broken([](ServingResult &r) { r.peakKvBlocks = r.kvBlocks + 1; }).find("exceeded the cache"),
            std::string::npos);
  EXPECT_NE(broken([](ServingResult &r) { r.tpot.p99 = -1; }).find("negative"),
            std::string::npos);
  EXPECT_NE(broken([](ServingResult &r) { r.ttft.max = r.e2e.max * 2; }).find("time to first token"),
            std::string::npos);
}

TEST(Simulator, KVCacheLimitPreemptsAndRecomputes) {
  EngineConfig e = roomyEngine();
  e.blockTokens = 4;
  // Each request needs 32 + 32 = 64 tokens = 16 blocks; 24 blocks hold one
  // and a half: the second is preempted and recomputed, never above the
  // capacity.
  e.kvBlocks = 24;
  Workload w = fixedConcurrency(32, 32, 2, 2);
  auto r = run(w, e, linearCost(1e-3));
  EXPECT_EQ(r.completed, 2);
  EXPECT_GT(r.preemptions, 0);
  EXPECT_LE(r.peakKvBlocks, 24);
  EXPECT_EQ(r.outputTokens, 64);
}

TEST(Simulator, RequestsLargerThanTheCacheOrModelAreRejected) {
  EngineConfig e = roomyEngine();
  e.blockTokens = 16;
  e.kvBlocks = 4; // 64 tokens
  Workload w = fixedConcurrency(60, 10, 1, 1);
  auto r = run(w, e, linearCost(1e-3));
  EXPECT_EQ(r.rejected, 1);
  EXPECT_NE(r.rejections[0].find("KV blocks"), std::string::npos);
  e.kvBlocks = 100;
  e.maxModelLen = 64;
  r = run(w, e, linearCost(1e-3));
  EXPECT_EQ(r.rejected, 1);
  EXPECT_NE(r.rejections[0].find("maximum model length"), std::string::npos);
}

TEST(Simulator, SpeculativeDecodingEmitsAcceptedRuns) {
  EngineConfig e = roomyEngine();
  e.draftTokens = 3;
  e.acceptRate = 1;
  // All drafts accepted: 4 tokens a verify step; 9 tokens = prefill (1) +
  // 2 steps of 4.
  auto r = run(fixedConcurrency(10, 9, 1, 1), e, linearCost(1e-3));
  EXPECT_EQ(r.steps, 3);
  EXPECT_EQ(r.outputTokens, 9);
  // Acceptance 0.5 with k = 1: 1.5 tokens a step on average.
  e.draftTokens = 1;
  e.acceptRate = 0.5;
  r = run(fixedConcurrency(10, 31, 1, 1), e, linearCost(1e-3));
  EXPECT_EQ(r.outputTokens, 31);
  EXPECT_EQ(r.steps, 1 + 20);
}

TEST(Simulator, PrefixCacheHitsSkipPrefillCompute) {
  EngineConfig e = roomyEngine();
  e.maxBatchedTokens = 10;
  // 100 tokens, 50% cached: 50 to compute, 5 chunks.
  e.prefixHitRate = 0.5;
  auto r = run(fixedConcurrency(100, 1, 1, 1), e, linearCost(1e-3));
  EXPECT_EQ(r.steps, 5);
}

TEST(Simulator, OpenLoopIdlesUntilTheNextArrival) {
  Workload w;
  w.requests = {{0, 4, 2}, {10, 4, 2}};
  auto r = run(w, roomyEngine(), linearCost(1e-3));
  EXPECT_NEAR(r.duration, 10 + 2e-3, 1e-9);
  EXPECT_NEAR(r.e2e.max, 2e-3, 1e-12);
}

TEST(Simulator, BadConfigurationsAreErrors) {
  std::string error;
  EngineConfig e;
  e.kvBlocks = 0;
  EXPECT_FALSE(simulate(fixedConcurrency(1, 1, 1, 1), e, linearCost(1), error));
  EXPECT_NE(error.find("no KV-cache blocks"), std::string::npos);
  e = roomyEngine();
  e.prefixHitRate = 1;
  EXPECT_FALSE(simulate(fixedConcurrency(1, 1, 1, 1), e, linearCost(1), error));
  e = roomyEngine();
  e.draftTokens = 9;
  e.acceptRate = 0.5;
  e.maxBatchedTokens = 8;
  EXPECT_FALSE(simulate(fixedConcurrency(1, 1, 1, 1), e, linearCost(1), error));
  // A step that costs nothing would stop the clock.
  EXPECT_FALSE(simulate(fixedConcurrency(1, 1, 1, 1), roomyEngine(),
                        StepCostModel({}), error));
  EXPECT_NE(error.find("costs"), std::string::npos);
}

TEST(Workload, PoissonArrivalsAreReproducibleAndAtTheRate) {
  Workload a = poissonArrivals(10, 10, 5.0, 20000, 42);
  Workload b = poissonArrivals(10, 10, 5.0, 20000, 42);
  ASSERT_EQ(a.requests.size(), 20000u);
  EXPECT_EQ(a.requests[123].arrival, b.requests[123].arrival);
  double meanGap = a.requests.back().arrival / 20000;
  EXPECT_NEAR(meanGap, 0.2, 0.01);
  for (size_t i = 1; i < a.requests.size(); ++i)
    ASSERT_GE(a.requests[i].arrival, a.requests[i - 1].arrival);
}

TEST(Workload, TraceCSVAndJSONLines) {
  std::string error;
  auto csv = parseTrace("arrival_s,input_tokens,output_tokens\n"
                        "0.5,100,20\n0.25,10,2\n",
                        "t.csv", error);
  ASSERT_TRUE(csv) << error;
  ASSERT_EQ(csv->requests.size(), 2u);
  // Sorted by arrival.
  EXPECT_EQ(csv->requests[0].inputTokens, 10);
  auto jsonl = parseTrace("{\"arrival_s\": 0, \"input_tokens\": 5, "
                          "\"output_tokens\": 7}\n",
                          "t.jsonl", error);
  ASSERT_TRUE(jsonl) << error;
  EXPECT_EQ(jsonl->requests[0].outputTokens, 7);
}

TEST(Workload, TraceErrorsNameTheLine) {
  std::string error;
  EXPECT_FALSE(parseTrace("a,b,c\n1,2,3\n", "t.csv", error));
  EXPECT_EQ(error, "t.csv:1: the header must name the columns arrival_s, "
                   "input_tokens and output_tokens");
  EXPECT_FALSE(parseTrace("arrival_s,input_tokens,output_tokens\n0,0,3\n",
                          "t.csv", error));
  EXPECT_EQ(error, "t.csv:2: input_tokens must be an integer from 1 to "
                   "2147483647");
  EXPECT_FALSE(parseTrace("arrival_s,input_tokens,output_tokens\n-1,4,3\n",
                          "t.csv", error));
  EXPECT_EQ(error, "t.csv:2: arrival_s must be a finite number of seconds >= 0");
  EXPECT_FALSE(parseTrace("arrival_s,input_tokens,output_tokens\n0,4\n",
                          "t.csv", error));
  EXPECT_EQ(error, "t.csv:2: 2 columns, the header has 3");
  EXPECT_FALSE(parseTrace("{\"arrival_s\": 0}\n", "t.jsonl", error));
  EXPECT_EQ(error, "t.jsonl:1: input_tokens must be an integer from 1 to "
                   "2147483647");
  EXPECT_FALSE(parseTrace("", "t.csv", error));
}

TEST(Simulator, DataParallelReplicasSplitTheLoad) {
  // 4 requests at concurrency 4 on 2 replicas: each runs 2 at a time, so
  // the run takes as long as one replica with 2.
  Workload w = fixedConcurrency(8, 4, 4, 4);
  auto one = run(fixedConcurrency(8, 4, 2, 2), roomyEngine(), linearCost(1e-3));
  std::string error;
  auto two = simulate(w, roomyEngine(), linearCost(1e-3), error, 2);
  ASSERT_TRUE(two) << error;
  EXPECT_EQ(checkInvariants(w, *two), "");
  EXPECT_EQ(two->completed, 4);
  EXPECT_NEAR(two->duration, one.duration, 1e-12);
  EXPECT_NEAR(two->outputTokensPerSecond, 2 * one.outputTokensPerSecond, 1e-6);
}

TEST(Simulator, DisaggregationPrefillsThenMovesTheCache) {
  // One request: prefill pool 1 step (first token at 1 ms), a 0.5 ms
  // transfer, then the decode pool generates 4 more tokens, one a step.
  Workload w = fixedConcurrency(10, 5, 1, 1);
  std::string error;
  auto r = simulateDisaggregated(
      w, roomyEngine(), roomyEngine(), linearCost(1e-3), 1, 1,
      [](int64_t) { return 0.5e-3; }, error);
  ASSERT_TRUE(r) << error;
  EXPECT_EQ(checkInvariants(w, *r), "");
  EXPECT_EQ(r->completed, 1);
  EXPECT_EQ(r->outputTokens, 5);
  EXPECT_NEAR(r->ttft.mean, 1e-3, 1e-12);
  EXPECT_NEAR(r->e2e.mean, 1e-3 + 0.5e-3 + 4e-3, 1e-12);
  EXPECT_EQ(r->steps, 5);
  // A one-token request is done when its prefill is.
  Workload single = fixedConcurrency(10, 1, 2, 3);
  r = simulateDisaggregated(single, roomyEngine(), roomyEngine(),
                            linearCost(1e-3), 2, 1,
                            [](int64_t) { return 1.0; }, error);
  ASSERT_TRUE(r) << error;
  EXPECT_EQ(checkInvariants(single, *r), "");
  EXPECT_NEAR(r->e2e.max, 1e-3, 1e-12);
}
