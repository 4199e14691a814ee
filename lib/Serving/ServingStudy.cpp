//===- ServingStudy.cpp - serving across configurations ------------------===//

#include "tfperf/Serving/ServingStudy.h"

using namespace mlir::tfperf::serving;

std::optional<StudyResult> mlir::tfperf::serving::runStudy(
    const ServingSpec &spec, llvm::ArrayRef<ServingTarget> targets,
    const Workload *trace, const ServiceLevel *serviceLevel,
    std::string &error) {
  StudyResult study;
  bool disaggregated = spec.prefillReplicas > 0;
  std::vector<double> rates = spec.rate;
  std::vector<int64_t> concurrencies = spec.concurrency;
  // One load axis: concurrencies (closed loop), rates, or the trace.
  if (trace || !rates.empty())
    concurrencies = {0};
  if (rates.empty())
    rates = {0};
  for (size_t t = 0; t < targets.size(); ++t) {
    const ServingTarget &target = targets[t];
    // Speculative decoding: the draft graph's own step cost, or without
    // one a draft model whose steps cost a fraction of the target's.
    StepCostModel draft = target.draftCost
                              ? *target.draftCost
                              : target.cost->scaled(spec.draftCostRatio);
    for (int64_t budget : spec.tokenBudget)
      for (int64_t conc : concurrencies)
        for (double rate : rates) {
          EngineConfig engine = spec.engine;
          engine.maxBatchedTokens = budget;
          engine.kvBlocks = target.kvBlocks;
          engine.draftCost = engine.draftTokens > 0 ? &draft : nullptr;
          Workload w = spec.workloadAt(conc, rate, trace);
          std::optional<ServingResult> r;
          StudyPoint p;
          p.target = t;
          p.tokenBudget = budget;
          p.concurrency = conc;
          p.rate = rate;
          if (disaggregated) {
            // The cache of a prompt crosses the link once.
            auto transfer = [&](int64_t tokens) {
              return target.linkBandwidth > 0
                         ? target.linkLatency + double(tokens) *
                                                    target.kvBytesPerToken /
                                                    target.linkBandwidth
                         : 0.0;
            };
            r = simulateDisaggregated(w, engine, engine, *target.cost,
                                      spec.prefillReplicas, spec.decodeReplicas,
                                      transfer, error);
            p.gpus = target.ep * target.tp *
                     (spec.prefillReplicas + spec.decodeReplicas);
          } else {
            r = simulate(w, engine, *target.cost, error, spec.replicas);
            p.gpus = target.ep * target.tp * spec.replicas;
          }
          if (!r) {
            error = target.device + " at " +
                    (target.ep > 1 ? "ep " + std::to_string(target.ep) + ", "
                                   : std::string()) +
                    "tp " + std::to_string(target.tp) + ": " + error;
            return std::nullopt;
          }
          std::string broken = checkInvariants(w, *r);
          if (!broken.empty()) {
            error = "internal error: the serving simulation broke an "
                    "invariant (" + broken + ")";
            return std::nullopt;
          }
          p.result = std::move(*r);
          p.tokensPerSecondPerGPU =
              p.result.outputTokensPerSecond / double(p.gpus);
          p.meetsServiceLevel =
              serviceLevel ? serviceLevel->admits(p.result)
                           : p.result.rejected == 0 && p.result.completed > 0;
          study.points.push_back(std::move(p));
        }
  }
  // Pareto frontier per device: no other point of that device is at least
  // as good on both axes and better on one.
  for (StudyPoint &p : study.points) {
    p.onFrontier = p.result.completed > 0;
    for (const StudyPoint &q : study.points) {
      if (&p == &q || targets[q.target].device != targets[p.target].device ||
          q.result.completed == 0)
        continue;
      double pu = p.result.tokensPerSecondPerUser, qu = q.result.tokensPerSecondPerUser;
      if (q.tokensPerSecondPerGPU >= p.tokensPerSecondPerGPU && qu >= pu &&
          (q.tokensPerSecondPerGPU > p.tokensPerSecondPerGPU || qu > pu)) {
        p.onFrontier = false;
        break;
      }
    }
  }
  for (size_t i = 0; i < study.points.size(); ++i) {
    const StudyPoint &p = study.points[i];
    if (!p.meetsServiceLevel)
      continue;
    if (!study.best ||
        p.tokensPerSecondPerGPU >
            study.points[*study.best].tokensPerSecondPerGPU)
      study.best = i;
  }
  return study;
}
