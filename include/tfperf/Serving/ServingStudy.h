//===- ServingStudy.h - serving across configurations -----------*- C++ -*-===//
//
// Runs the simulator at every point of a study (device x EP x TP degree x token
// budget x concurrency or rate), computes throughput per GPU against
// throughput per user, marks each device's Pareto frontier and picks the
// configuration with the most tokens/s per GPU that meets the service level.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_SERVING_SERVINGSTUDY_H
#define TFPERF_SERVING_SERVINGSTUDY_H

#include "tfperf/Serving/ServingSpec.h"

namespace mlir::tfperf::serving {

/// One engine replica's hardware: a device at a layout of ep x tp devices
/// (ep 1 without expert parallelism).
struct ServingTarget {
  std::string device;
  int64_t tp = 1;
  /// The step cost of the group (per device, collectives included).
  const StepCostModel *cost = nullptr;
  /// KV blocks per replica, from the memory left after the weights.
  int64_t kvBlocks = 0;
  /// For moving a request's cache between pools: bytes per token, and the
  /// link's bandwidth (bytes/s) and latency (s).
  double kvBytesPerToken = 0, linkBandwidth = 0, linkLatency = 0;
  /// The draft model's step cost on the same group, from its own graph;
  /// null: the target's scaled by the spec's draft-cost.
  const StepCostModel *draftCost = nullptr;
  int64_t ep = 1;
};

struct StudyPoint {
  size_t target = 0;
  int64_t tokenBudget = 0, concurrency = 0;
  double rate = 0;
  /// GPUs in use: EP x TP x replicas (x both pools when disaggregated).
  int64_t gpus = 1;
  ServingResult result;
  double tokensPerSecondPerGPU = 0;
  bool meetsServiceLevel = false;
  bool onFrontier = false;
};

struct StudyResult {
  std::vector<StudyPoint> points;
  /// The point meeting the service level with the most tokens/s per GPU.
  std::optional<size_t> best;
};

/// Fails on a configuration the simulator refuses (naming the point) or a
/// broken invariant (an internal error).
std::optional<StudyResult> runStudy(const ServingSpec &spec,
                                    llvm::ArrayRef<ServingTarget> targets,
                                    const Workload *trace,
                                    const ServiceLevel *serviceLevel,
                                    std::string &error);

} // namespace mlir::tfperf::serving

#endif
