//===- Simulator.h - continuous-batching serving simulation -----*- C++ -*-===//
//
// Simulates an LLM serving engine the way vLLM and TensorRT-LLM schedule:
// every step has a token budget; running decodes are scheduled first (one
// token each, or a speculative verify of k + 1), then prompt chunks
// (chunked prefill) of running and then waiting requests, first come first
// served, while the budget and the sequence limit allow. KV memory is paged
// in blocks; a request is admitted only when the blocks for its next chunk
// are free, and when a running request cannot grow, the most recently
// admitted one is preempted (its blocks freed, to be recomputed later).
// The step's time comes from a StepCostModel, plus the engine's own
// overhead per step and per scheduled sequence; the clock advances by it.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_SERVING_SIMULATOR_H
#define TFPERF_SERVING_SIMULATOR_H

#include "tfperf/Serving/StepCost.h"
#include "tfperf/Serving/Workload.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir::tfperf::serving {

struct EngineConfig {
  /// Tokens processed per step at most (vLLM's max_num_batched_tokens).
  int64_t maxBatchedTokens = 8192;
  /// Sequences per step at most (vLLM's max_num_seqs).
  int64_t maxSequences = 256;
  /// Tokens per KV block and the blocks that fit in memory.
  int64_t blockTokens = 16;
  int64_t kvBlocks = 0;
  /// Split prompts across steps; without it a prompt is prefilled whole in
  /// one step (and must fit the token budget).
  bool chunkedPrefill = true;
  /// Prompt + output tokens a request may have (0: no limit); longer
  /// requests are rejected, as an engine refuses them.
  int64_t maxModelLen = 0;
  /// Fraction of every prompt found in the prefix cache: those tokens need
  /// no prefill compute (their KV blocks are still held).
  double prefixHitRate = 0;
  /// Speculative decoding: draft tokens per step (0: off), the probability
  /// that each draft token is accepted, and the draft model's cost per
  /// draft token (a step cost model over the same mix, or none).
  int64_t draftTokens = 0;
  double acceptRate = 0.7;
  const StepCostModel *draftCost = nullptr;
  /// Engine time per step outside the model's kernels (scheduling, input
  /// preparation, sampling, output processing): a fixed part per step and a
  /// part per scheduled sequence, seconds. Added to every step that runs.
  double stepOverhead = 0;
  double sequenceOverhead = 0;
};

/// A value seen `count` times.
struct WeightedSample {
  double value = 0;
  double count = 1;
};

/// Mean and percentiles of a sample, seconds.
struct Distribution {
  double mean = 0, p50 = 0, p90 = 0, p99 = 0, max = 0;
  int64_t count = 0;
  static Distribution of(std::vector<double> samples);
  static Distribution of(std::vector<WeightedSample> samples);
};

struct KVSample {
  double time = 0;
  /// Fraction of the KV blocks in use.
  double occupancy = 0;
};

/// What happened to one request.
struct RequestOutcome {
  double arrival = 0, firstToken = 0, finish = 0;
  int64_t inputTokens = 0, outputTokens = 0;
  /// Index of the request in the workload the engine ran.
  size_t request = 0;
};

/// The raw record of one engine replica's run.
struct EngineRun {
  std::vector<RequestOutcome> outcomes;
  /// Every gap between two tokens of a request (the sequences that decode
  /// in consecutive steps share one sample per step).
  std::vector<WeightedSample> itl;
  int64_t rejected = 0, steps = 0, preemptions = 0;
  std::vector<std::string> rejections;
  int64_t peakKvBlocks = 0, kvBlocks = 0;
  /// KV occupancy after every step.
  std::vector<KVSample> occupancy;
  double sequenceSteps = 0, tokenSteps = 0;
  double start = 0, end = 0;
};

struct ServingResult {
  int64_t requests = 0, completed = 0, rejected = 0;
  std::vector<std::string> rejections;
  int64_t steps = 0, preemptions = 0;
  /// First arrival to last completion, seconds.
  double duration = 0;
  int64_t inputTokens = 0, outputTokens = 0;
  /// Time to first token, time per output token (per request, after the
  /// first), inter-token latency (every gap), end to end.
  Distribution ttft, tpot, itl, e2e;
  double outputTokensPerSecond = 0, totalTokensPerSecond = 0;
  /// Output tokens per second per user: 1 / mean TPOT.
  double tokensPerSecondPerUser = 0;
  /// Highest number of KV blocks in use and the blocks available.
  int64_t peakKvBlocks = 0, kvBlocks = 0;
  /// KV occupancy over time (at most a few hundred samples).
  std::vector<KVSample> kvOccupancy;
  /// Mean sequences per step and mean tokens per step.
  double meanBatch = 0, meanStepTokens = 0;
};

/// Runs `workload` through one engine replica. Fails (with `error`) on a
/// configuration that cannot serve anything: no KV blocks, a token budget
/// below 1, a speculative verify wider than the budget.
std::optional<EngineRun> runEngine(const Workload &workload,
                                   const EngineConfig &engine,
                                   const StepCostModel &cost,
                                   std::string &error);

/// The figures of one or more replicas' runs together (data parallelism:
/// throughput over the union, latencies over every request).
ServingResult summarize(llvm::ArrayRef<EngineRun> runs, int64_t requests);

/// `replicas` engines behind a round-robin router (data parallelism); a
/// closed loop's concurrency is split among them.
std::optional<ServingResult> simulate(const Workload &workload,
                                      const EngineConfig &engine,
                                      const StepCostModel &cost,
                                      std::string &error,
                                      int64_t replicas = 1);

/// Prefill/decode disaggregation: `prefillReplicas` engines prefill every
/// request and sample its first token; its KV cache then moves to one of
/// `decodeReplicas` engines, taking `transferSeconds(input tokens)`, which
/// generate the rest. A closed loop's concurrency bounds the requests in
/// flight in the prefill pool.
std::optional<ServingResult> simulateDisaggregated(
    const Workload &workload, const EngineConfig &prefillEngine,
    const EngineConfig &decodeEngine, const StepCostModel &cost,
    int64_t prefillReplicas, int64_t decodeReplicas,
    llvm::function_ref<double(int64_t)> transferSeconds, std::string &error);

/// Checks what every run must satisfy: every request completed or
/// rejected, output tokens equal to those asked for, KV use never above
/// capacity, latencies finite and ordered (TTFT <= E2E). Empty when fine.
std::string checkInvariants(const Workload &workload,
                            const ServingResult &result);

} // namespace mlir::tfperf::serving

#endif
