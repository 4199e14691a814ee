//===- PipelineScheduleTest.cpp - pipeline schedule arithmetic ------------===//

#include "tfperf/Analysis/ParallelTraining.h"
#include "tfperf/Analysis/PipelineSchedule.h"

#include "gtest/gtest.h"

using namespace mlir::tfperf;

namespace {

PipelineShape shape(int64_t p, int64_t m, int64_t v = 1) {
  PipelineShape s;
  s.stages = p;
  s.microbatches = m;
  s.virtualStages = v;
  s.kind = v > 1 ? PipelineScheduleKind::Interleaved
                 : PipelineScheduleKind::OneFOneB;
  return s;
}

TEST(PipelineSchedule, BubbleFraction) {
  // (p - 1) / (m v): Narayanan et al. 2021.
  EXPECT_DOUBLE_EQ(bubbleFraction(shape(1, 8)), 0.0);
  EXPECT_DOUBLE_EQ(bubbleFraction(shape(8, 64)), 7.0 / 64.0);
  EXPECT_DOUBLE_EQ(bubbleFraction(shape(4, 8, 2)), 3.0 / 16.0);
  EXPECT_DOUBLE_EQ(bubbleFraction(shape(35, 280)), 34.0 / 280.0);
}

TEST(PipelineSchedule, OneFOneBIsMPlusPMinusOneSlots) {
  // 1F1B over p stages: (m + p - 1) slots of the slowest stage.
  PipelineShape s = shape(4, 6);
  double stage[] = {1.0, 1.5, 1.0, 1.25};
  PipelineTimes t = schedulePipeline(s, stage, /*sendSeconds=*/0);
  EXPECT_DOUBLE_EQ(t.ideal, 6 * 1.5);
  EXPECT_DOUBLE_EQ(t.iteration(), (6 + 4 - 1) * 1.5);
  EXPECT_EQ(t.sendsPerMicrobatch, 2);
}

TEST(PipelineSchedule, InterleavingShrinksTheBubble) {
  // v chunks per device: (m + (p - 1) / v) slots of a device's work.
  double dev[] = {2.0, 2.0, 2.0, 2.0};
  PipelineTimes plain = schedulePipeline(shape(4, 8), dev, 0);
  PipelineTimes inter = schedulePipeline(shape(4, 8, 2), dev, 0);
  EXPECT_DOUBLE_EQ(plain.iteration(), (8 + 3) * 2.0);
  EXPECT_DOUBLE_EQ(inter.iteration(), (8 + 1.5) * 2.0);
  // Each chunk boundary sends an activation and a gradient.
  EXPECT_EQ(inter.sendsPerMicrobatch, 4);
}

TEST(PipelineSchedule, SendsAreOnTheCriticalPath) {
  double dev[] = {1.0, 1.0};
  PipelineTimes t = schedulePipeline(shape(2, 4), dev, 0.25);
  EXPECT_DOUBLE_EQ(t.sendTime, 0.5);
  EXPECT_DOUBLE_EQ(t.iteration(), (4 + 1) * 1.5);
  // One stage: no sends, no bubble.
  double one[] = {3.0};
  PipelineTimes single = schedulePipeline(shape(1, 4), one, 0.25);
  EXPECT_EQ(single.sendsPerMicrobatch, 0);
  EXPECT_DOUBLE_EQ(single.iteration(), 12.0);
}

TEST(PipelineSchedule, ActivationsInFlight) {
  // The first stage of 1F1B holds min(m, p) micro-batches.
  EXPECT_DOUBLE_EQ(activationsInFlight(shape(8, 64)), 8.0);
  EXPECT_DOUBLE_EQ(activationsInFlight(shape(8, 2)), 2.0);
  EXPECT_DOUBLE_EQ(activationsInFlight(shape(1, 16)), 1.0);
  // Interleaving: (1 + (p - 1) / (p v)) times as much.
  EXPECT_DOUBLE_EQ(activationsInFlight(shape(4, 8, 2)), 4.0 * (1 + 3.0 / 8.0));
}

TEST(ParallelTraining, OverlappedCollectiveAddsWhatOutlastsItsGemms) {
  // A 0.4 ms all-gather beside a 1 ms input-gradient GEMM is hidden.
  EXPECT_DOUBLE_EQ(overlappedCollective(0.4e-3, 1e-3), 0.0);
  // A 1 ms all-reduce beside a 0.25 ms weight-gradient GEMM: 0.75 ms left.
  EXPECT_DOUBLE_EQ(overlappedCollective(1e-3, 0.25e-3), 0.75e-3);
  // Nothing beside it: all of it.
  EXPECT_DOUBLE_EQ(overlappedCollective(1e-3, 0.0), 1e-3);
}

} // namespace
