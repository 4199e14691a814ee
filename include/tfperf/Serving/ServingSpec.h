//===- ServingSpec.h - what --serve and --slo ask for -----------*- C++ -*-===//
//
// `--serve=SPEC` names a workload, the engine's settings and the axes of a
// study: `key=value` items separated by `,` or `;`, where a value may be a
// list (`concurrency=1,8,64`: an item without `=` continues the list) or a
// range (`1..256` doubles, `a..b*k` multiplies by k, `a..b+k` adds k).
// docs/Serving.md lists the keys. `--slo=ttft_p90<2s,tpot_p90<50ms` bounds
// latency statistics.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_SERVING_SERVINGSPEC_H
#define TFPERF_SERVING_SERVINGSPEC_H

#include "tfperf/Serving/Simulator.h"

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir::tfperf::serving {

struct ServingSpec {
  /// Workload: fixed lengths (isl, osl) at each concurrency (closed loop)
  /// or at each Poisson rate, or a trace file.
  int64_t isl = 0, osl = 0;
  std::vector<int64_t> concurrency;
  std::vector<double> rate;
  std::string trace;
  /// Requests per point (0: 8 x the concurrency, at least 64; with a rate,
  /// 256).
  int64_t requests = 0;
  uint64_t seed = 1;
  /// Engine: its settings (the token budget and KV blocks of each study
  /// point are set per point), the budgets to study, and the fraction of
  /// device memory it may use for weights and KV.
  EngineConfig engine;
  std::vector<int64_t> tokenBudget = {8192};
  double memoryUtilization = 0.9;
  /// KV blocks per replica as stated (vLLM's num_gpu_blocks_override, or
  /// the count an engine logged); 0: from the memory left after the
  /// weights.
  int64_t kvBlocks = 0;
  /// Draft model cost per draft token, as a fraction of the target's
  /// decode step (when no draft graph is given).
  double draftCostRatio = 0.05;
  /// The draft model's graph (ONNX or MLIR): its own step cost replaces
  /// draftCostRatio; empty: none.
  std::string draftModel;
  /// Parallelism: tensor-parallel degrees, expert-parallel degrees (MoE
  /// graphs; each ep with each tp), data-parallel replicas, and
  /// prefill:decode pools (0: no disaggregation).
  std::vector<int64_t> tp = {1}, ep = {1};
  int64_t replicas = 1;
  int64_t prefillReplicas = 0, decodeReplicas = 0;
  /// Devices (empty: those of --hw).
  std::vector<std::string> devices;

  /// The workload of one study point.
  Workload workloadAt(int64_t concurrency, double rate,
                      const Workload *trace) const;
};

/// Parses SPEC; errors quote the item and say what is expected.
std::optional<ServingSpec> parseServingSpec(llvm::StringRef text,
                                            std::string &error);

/// Latency bounds, e.g. `ttft_p90<2s,tpot_p90<50ms,e2e_mean<=30s`.
struct ServiceLevel {
  struct Bound {
    /// ttft, tpot, itl or e2e; mean, p50, p90, p99 or max.
    std::string metric, stat;
    double seconds = 0;
    bool inclusive = false;
  };
  std::vector<Bound> bounds;

  /// The statistic a bound reads from `r`.
  static double value(const ServingResult &r, const Bound &b);
  /// Every bound holds (and no request was rejected).
  bool admits(const ServingResult &r) const;
  std::string str() const;
};

std::optional<ServiceLevel> parseServiceLevel(llvm::StringRef text,
                                              std::string &error);

} // namespace mlir::tfperf::serving

#endif
