//===- PipelineSchedule.h - pipeline-parallel training schedules -*- C++ -*-===//
//
// The arithmetic of a pipeline-parallel training iteration (docs/Training.md
// #pipeline-schedule): p stages, m micro-batches, v model chunks per device.
// 1F1B (PipeDream-Flush, Narayanan et al. 2021) runs m forward and backward
// passes per stage after a warm-up of p - 1 slots: the iteration is
// (m + p - 1) slots of the slowest stage, the bubble (p - 1) / m of the
// ideal time. The interleaved schedule gives each device v chunks of
// layers, so a slot is 1/v of a device's work and the bubble shrinks to
// (p - 1) / (m v). Point-to-point sends of activations (forward) and their
// gradients (backward) cross each chunk boundary once per micro-batch.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_PIPELINESCHEDULE_H
#define TFPERF_ANALYSIS_PIPELINESCHEDULE_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>

namespace mlir::tfperf {

enum class PipelineScheduleKind { OneFOneB, Interleaved };

struct PipelineShape {
  int64_t stages = 1;        // p
  int64_t microbatches = 1;  // m
  int64_t virtualStages = 1; // v (1 for 1F1B)
  PipelineScheduleKind kind = PipelineScheduleKind::OneFOneB;
};

struct PipelineTimes {
  /// m x the slowest device's time per micro-batch (forward + backward,
  /// its sends included): the iteration without a bubble.
  double ideal = 0;
  /// (p - 1) / (m v) of the ideal: the idle time of the warm-up and
  /// cool-down.
  double bubbleFraction = 0, bubble = 0;
  /// Point-to-point sends per micro-batch on one device (on the critical
  /// path: not overlapped) and their time.
  int64_t sendsPerMicrobatch = 0;
  double sendTime = 0;
  double iteration() const { return ideal + bubble; }
};

/// (p - 1) / (m v).
double bubbleFraction(const PipelineShape &shape);

/// Sends one device makes per micro-batch: an activation forward and its
/// gradient backward at each chunk boundary it has (2 v for p > 1, none
/// for p = 1).
int64_t sendsPerMicrobatch(const PipelineShape &shape);

/// The iteration of `shape` whose devices take `deviceTimes[i]` per
/// micro-batch (forward, backward and recomputation of all their chunks,
/// collectives included, sends excluded), each send `sendSeconds`.
PipelineTimes schedulePipeline(const PipelineShape &shape,
                               llvm::ArrayRef<double> deviceTimes,
                               double sendSeconds);

/// Micro-batches whose activations a device holds at the peak: the first
/// stage of 1F1B holds min(m, p); interleaving adds (p - 1) / (p v) of that
/// (Narayanan et al. 2021, Korthikanti et al. 2022 §4.2.3).
double activationsInFlight(const PipelineShape &shape);

} // namespace mlir::tfperf

#endif
