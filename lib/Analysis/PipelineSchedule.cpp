//===- PipelineSchedule.cpp - pipeline-parallel training schedules --------===//

#include "tfperf/Analysis/PipelineSchedule.h"

#include <algorithm>

using namespace mlir::tfperf;

double mlir::tfperf::bubbleFraction(const PipelineShape &shape) {
  if (shape.stages <= 1 || shape.microbatches < 1)
    return 0;
  return double(shape.stages - 1) /
         (double(shape.microbatches) * double(std::max<int64_t>(1, shape.virtualStages)));
}

int64_t mlir::tfperf::sendsPerMicrobatch(const PipelineShape &shape) {
  if (shape.stages <= 1)
    return 0;
  return 2 * std::max<int64_t>(1, shape.virtualStages);
}

PipelineTimes mlir::tfperf::schedulePipeline(const PipelineShape &shape,
                                             llvm::ArrayRef<double> deviceTimes,
                                             double sendSeconds) {
  PipelineTimes t;
  t.sendsPerMicrobatch = sendsPerMicrobatch(shape);
  t.sendTime = double(t.sendsPerMicrobatch) * sendSeconds;
  double slowest = 0;
  for (double d : deviceTimes)
    slowest = std::max(slowest, d);
  double perMicrobatch = slowest + t.sendTime;
  t.ideal = double(std::max<int64_t>(1, shape.microbatches)) * perMicrobatch;
  t.bubbleFraction = bubbleFraction(shape);
  t.bubble = t.bubbleFraction * t.ideal;
  return t;
}

double mlir::tfperf::activationsInFlight(const PipelineShape &shape) {
  int64_t p = std::max<int64_t>(1, shape.stages);
  int64_t v = std::max<int64_t>(1, shape.virtualStages);
  double held = double(std::min<int64_t>(std::max<int64_t>(1, shape.microbatches), p));
  if (shape.kind == PipelineScheduleKind::Interleaved && p > 1)
    held *= 1.0 + double(p - 1) / double(p * v);
  return held;
}
