//===- Simulator.cpp - continuous-batching serving simulation ------------===//
//
// Step-driven: the state only changes at step boundaries, so the loop
// advances from one step to the next (and jumps over idle gaps to the next
// arrival). A step's cost is O(terms) through StepMix; scheduling is
// O(running sequences).
//
//===----------------------------------------------------------------------===//

#include "tfperf/Serving/Simulator.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>

using namespace mlir::tfperf::serving;

Distribution Distribution::of(std::vector<double> samples) {
  Distribution d;
  d.count = samples.size();
  if (samples.empty())
    return d;
  std::sort(samples.begin(), samples.end());
  double sum = 0;
  for (double s : samples)
    sum += s;
  d.mean = sum / samples.size();
  // Nearest rank: the smallest sample with at least p of the samples at or
  // below it.
  auto rank = [&](double p) {
    size_t i = size_t(std::ceil(p * samples.size()));
    return samples[std::min(samples.size(), std::max<size_t>(i, 1)) - 1];
  };
  d.p50 = rank(0.50);
  d.p90 = rank(0.90);
  d.p99 = rank(0.99);
  d.max = samples.back();
  return d;
}

namespace {
struct Sequence {
  const Request *request = nullptr;
  double arrival = 0;
  /// Tokens to prefill: the prompt, plus the tokens generated before a
  /// preemption (recomputed).
  int64_t prompt = 0;
  /// Tokens whose K/V are in the cache.
  int64_t kvTokens = 0;
  int64_t generated = 0;
  int64_t blocks = 0;
  double firstToken = -1, lastToken = -1;
  /// Accepted draft tokens carried between speculative steps (the expected
  /// acceptance is fractional).
  double draftCarry = 0;
  /// Its first prompt chunk has run (since the last preemption).
  bool started = false;
  bool prefilling() const { return kvTokens < prompt; }
};

class Engine {
public:
  Engine(const Workload &workload, const EngineConfig &config,
         const StepCostModel &cost)
      : workload(workload), config(config), cost(cost) {}

  std::optional<ServingResult> run(std::string &error);

private:
  int64_t blocksFor(int64_t tokens) const {
    return (tokens + config.blockTokens - 1) / config.blockTokens;
  }
  /// Why a request can never be served, or "".
  std::string unservable(const Request &r) const;
  /// Queues `r`, or rejects it (false).
  bool arrive(const Request &r, double at);
  /// Closed loop: starts the next request that can be served.
  void startNext(double at);
  bool grow(Sequence *s, int64_t tokens);
  void preempt(Sequence *s);
  void finish(Sequence *s);
  double speculativeTokens(Sequence &s);

  const Workload &workload;
  const EngineConfig &config;
  const StepCostModel &cost;

  double clock = 0;
  int64_t freeBlocks = 0;
  std::deque<Sequence> storage;
  std::deque<Sequence *> waiting;
  std::vector<Sequence *> running;
  size_t nextRequest = 0;

  ServingResult result;
  std::vector<double> ttft, tpot, itl, e2e;
  std::vector<KVSample> occupancy;
  double batchSum = 0, tokenSum = 0;
};
} // namespace

std::string Engine::unservable(const Request &r) const {
  int64_t total = r.inputTokens + r.outputTokens;
  if (config.maxModelLen > 0 && total > config.maxModelLen)
    return std::to_string(total) + " tokens exceed the maximum model length " +
           std::to_string(config.maxModelLen);
  if (blocksFor(total) > config.kvBlocks)
    return std::to_string(total) + " tokens need " +
           std::to_string(blocksFor(total)) + " KV blocks; the cache has " +
           std::to_string(config.kvBlocks);
  // Without chunked prefill a prompt is prefilled in one step, and after a
  // preemption the prompt holds the generated tokens too (vLLM likewise
  // needs max_num_batched_tokens >= max_model_len then).
  if (!config.chunkedPrefill && total > config.maxBatchedTokens)
    return std::to_string(total) + " tokens exceed the token budget of " +
           std::to_string(config.maxBatchedTokens) +
           " without chunked prefill";
  return "";
}

bool Engine::arrive(const Request &r, double at) {
  std::string why = unservable(r);
  if (!why.empty()) {
    ++result.rejected;
    if (result.rejections.size() < 8)
      result.rejections.push_back(why);
    return false;
  }
  Sequence &s = storage.emplace_back();
  s.request = &r;
  s.arrival = at;
  s.prompt = r.inputTokens;
  // Prefix-cache hits: their K/V are there already (the last prompt token
  // is always computed, to sample the first output token).
  s.kvTokens = std::min<int64_t>(
      int64_t(std::floor(config.prefixHitRate * double(r.inputTokens))),
      r.inputTokens - 1);
  waiting.push_back(&s);
  return true;
}

void Engine::startNext(double at) {
  // A rejected request frees its slot at once.
  while (nextRequest < workload.requests.size() &&
         !arrive(workload.requests[nextRequest++], at))
    ;
}

bool Engine::grow(Sequence *s, int64_t tokens) {
  int64_t need = blocksFor(tokens) - s->blocks;
  if (need <= 0)
    return true;
  if (need > freeBlocks)
    return false;
  freeBlocks -= need;
  s->blocks += need;
  return true;
}

void Engine::preempt(Sequence *s) {
  ++result.preemptions;
  freeBlocks += s->blocks;
  s->blocks = 0;
  // Recompute: the prompt and what was generated are prefilled again.
  s->prompt = s->request->inputTokens + s->generated;
  s->kvTokens = 0;
  s->started = false;
  running.erase(std::find(running.begin(), running.end(), s));
  waiting.push_front(s);
}

void Engine::finish(Sequence *s) {
  ++result.completed;
  result.outputTokens += s->generated;
  result.inputTokens += s->request->inputTokens;
  ttft.push_back(s->firstToken - s->arrival);
  e2e.push_back(clock - s->arrival);
  if (s->generated > 1)
    tpot.push_back((clock - s->firstToken) / double(s->generated - 1));
  freeBlocks += s->blocks;
  s->blocks = 0;
  // Closed loop: the next request starts as this one ends.
  if (workload.concurrency > 0)
    startNext(clock);
}

/// Tokens a speculative step emits for `s`: the expected accepted run
/// 1 + a + ... + a^k, carried so that the sum over steps stays exact.
double Engine::speculativeTokens(Sequence &s) {
  double a = config.acceptRate;
  int64_t k = config.draftTokens;
  double expected = a >= 1 ? double(k + 1)
                           : (1 - std::pow(a, double(k + 1))) / (1 - a);
  s.draftCarry += expected;
  double whole = std::floor(s.draftCarry);
  s.draftCarry -= whole;
  return whole;
}

std::optional<ServingResult> Engine::run(std::string &error) {
  if (config.maxBatchedTokens < 1 || config.maxSequences < 1 ||
      config.blockTokens < 1) {
    error = "the token budget, the sequence limit and the KV block size "
            "must be at least 1";
    return std::nullopt;
  }
  if (config.kvBlocks < 1) {
    error = "no KV-cache blocks: the weights leave no memory for the cache";
    return std::nullopt;
  }
  if (!(config.prefixHitRate >= 0 && config.prefixHitRate < 1)) {
    error = "the prefix-cache hit rate must be in [0, 1)";
    return std::nullopt;
  }
  if (config.draftTokens < 0 ||
      (config.draftTokens > 0 &&
       !(config.acceptRate >= 0 && config.acceptRate <= 1))) {
    error = "speculative decoding needs draft tokens >= 0 and an acceptance "
            "rate in [0, 1]";
    return std::nullopt;
  }
  if (config.draftTokens + 1 > config.maxBatchedTokens) {
    error = "a verify step of " + std::to_string(config.draftTokens + 1) +
            " tokens exceeds the token budget";
    return std::nullopt;
  }
  freeBlocks = config.kvBlocks;
  result.kvBlocks = config.kvBlocks;
  result.requests = workload.requests.size();
  for (int64_t i = 0; i < workload.concurrency; ++i)
    startNext(0);
  // Open loop: requests join the waiting queue as the clock passes them.
  auto admitArrivals = [&] {
    if (workload.concurrency > 0)
      return;
    while (nextRequest < workload.requests.size() &&
           workload.requests[nextRequest].arrival <= clock) {
      const Request &r = workload.requests[nextRequest++];
      arrive(r, r.arrival);
    }
  };
  double start = workload.concurrency > 0 || workload.requests.empty()
                     ? 0
                     : workload.requests.front().arrival;
  clock = start;
  int64_t speculative = config.draftTokens;

  struct Scheduled {
    Sequence *seq;
    int64_t tokens;
    bool decode;
  };
  std::vector<Scheduled> step;
  while (true) {
    admitArrivals();
    if (running.empty() && waiting.empty()) {
      if (workload.concurrency > 0 || nextRequest >= workload.requests.size())
        break;
      clock = workload.requests[nextRequest].arrival;
      continue;
    }
    step.clear();
    int64_t budget = config.maxBatchedTokens;
    // 1. Running decodes, oldest first; a sequence that cannot grow takes
    // blocks from the most recently admitted ones.
    for (size_t i = 0; i < running.size();) {
      Sequence *s = running[i];
      if (s->prefilling()) {
        ++i;
        continue;
      }
      int64_t t = 1 + speculative;
      if (t > budget || int64_t(step.size()) >= config.maxSequences)
        break;
      bool self = false;
      while (!grow(s, s->kvTokens + t)) {
        Sequence *victim = running.back();
        self = victim == s;
        preempt(victim);
        if (self)
          break;
      }
      if (self)
        continue;
      step.push_back({s, t, true});
      budget -= t;
      ++i;
    }
    // 2. Prompt chunks: running sequences first, then waiting ones, first
    // come first served (a request that does not fit blocks those after).
    auto schedulePrefill = [&](Sequence *s) {
      int64_t left = s->prompt - s->kvTokens;
      int64_t chunk = std::min(left, budget);
      if (chunk < 1 || (!config.chunkedPrefill && chunk < left) ||
          int64_t(step.size()) >= config.maxSequences)
        return false;
      if (!grow(s, s->kvTokens + chunk))
        return false;
      step.push_back({s, chunk, false});
      budget -= chunk;
      return true;
    };
    for (Sequence *s : running)
      if (s->prefilling() && budget > 0)
        schedulePrefill(s);
    while (!waiting.empty() && budget > 0) {
      Sequence *s = waiting.front();
      if (!schedulePrefill(s))
        break;
      waiting.pop_front();
      running.push_back(s);
    }
    if (step.empty()) {
      // Nothing fits: the blocks are held by prompts that cannot all
      // proceed. Free the newest to let the others through.
      if (running.empty()) {
        error = "internal error: a request fits the KV cache alone but could "
                "not be scheduled";
        return std::nullopt;
      }
      preempt(running.back());
      continue;
    }
    // The step's cost.
    StepMix mix;
    for (const Scheduled &w : step)
      mix.add({w.tokens, w.seq->kvTokens + w.tokens, !w.seq->started});
    double dt = cost.time(mix);
    if (speculative > 0 && config.draftCost) {
      // The draft model proposes k tokens, one at a time, for every
      // decoding sequence.
      StepMix draft;
      for (const Scheduled &w : step)
        if (w.decode)
          draft.add({1, w.seq->kvTokens + 1});
      dt += double(speculative) * config.draftCost->time(draft);
    }
    if (!(dt > 0) || !std::isfinite(dt)) {
      error = "internal error: a step of " + std::to_string(int64_t(mix.tokens)) +
              " tokens costs " + std::to_string(dt) + " s";
      return std::nullopt;
    }
    clock += dt;
    ++result.steps;
    batchSum += mix.sequences;
    tokenSum += mix.tokens;
    // Apply it.
    for (const Scheduled &w : step) {
      Sequence *s = w.seq;
      s->started = true;
      int64_t emitted = 0;
      if (w.decode) {
        emitted = speculative > 0 ? int64_t(speculativeTokens(*s)) : 1;
        // A verify step emits at least the target's own token.
        emitted = std::max<int64_t>(emitted, 1);
        emitted = std::min(emitted, s->request->outputTokens - s->generated);
        s->kvTokens += emitted;
      } else {
        s->kvTokens += w.tokens;
        if (!s->prefilling())
          emitted = 1; // the step that ends the prompt samples a token
      }
      if (emitted > 0) {
        if (s->firstToken < 0) {
          s->firstToken = clock;
        } else {
          double gap = (clock - s->lastToken) / double(emitted);
          for (int64_t e = 0; e < emitted; ++e)
            itl.push_back(gap);
        }
        s->lastToken = clock;
        s->generated += emitted;
      }
      // Rejected draft tokens give their blocks back.
      int64_t keep = blocksFor(s->kvTokens);
      if (s->blocks > keep) {
        freeBlocks += s->blocks - keep;
        s->blocks = keep;
      }
    }
    int64_t used = config.kvBlocks - freeBlocks;
    result.peakKvBlocks = std::max(result.peakKvBlocks, used);
    occupancy.push_back({clock, double(used) / double(config.kvBlocks)});
    // Completions (in running order, so closed-loop restarts are ordered).
    std::vector<Sequence *> done;
    for (Sequence *s : running)
      if (s->generated >= s->request->outputTokens)
        done.push_back(s);
    if (!done.empty()) {
      running.erase(std::remove_if(running.begin(), running.end(),
                                   [](Sequence *s) {
                                     return s->generated >=
                                            s->request->outputTokens;
                                   }),
                    running.end());
      for (Sequence *s : done)
        finish(s);
    }
  }
  result.duration = clock - start;
  result.ttft = Distribution::of(std::move(ttft));
  result.tpot = Distribution::of(std::move(tpot));
  result.itl = Distribution::of(std::move(itl));
  result.e2e = Distribution::of(std::move(e2e));
  if (result.duration > 0) {
    result.outputTokensPerSecond = double(result.outputTokens) / result.duration;
    result.totalTokensPerSecond =
        double(result.outputTokens + result.inputTokens) / result.duration;
  }
  if (result.tpot.mean > 0)
    result.tokensPerSecondPerUser = 1 / result.tpot.mean;
  if (result.steps > 0) {
    result.meanBatch = batchSum / double(result.steps);
    result.meanStepTokens = tokenSum / double(result.steps);
  }
  // At most 256 occupancy samples: the highest of each slice of time.
  constexpr size_t kSamples = 256;
  if (occupancy.size() <= kSamples) {
    result.kvOccupancy = std::move(occupancy);
  } else {
    double t0 = start, span = clock - start;
    result.kvOccupancy.assign(kSamples, KVSample{});
    for (size_t i = 0; i < kSamples; ++i)
      result.kvOccupancy[i].time = t0 + span * double(i + 1) / kSamples;
    for (const KVSample &s : occupancy) {
      size_t i = std::min(kSamples - 1,
                          size_t((s.time - t0) / span * double(kSamples)));
      result.kvOccupancy[i].occupancy =
          std::max(result.kvOccupancy[i].occupancy, s.occupancy);
    }
  }
  return result;
}

std::optional<ServingResult>
mlir::tfperf::serving::simulate(const Workload &workload,
                                const EngineConfig &engine,
                                const StepCostModel &cost, std::string &error) {
  return Engine(workload, engine, cost).run(error);
}

std::string mlir::tfperf::serving::checkInvariants(const Workload &workload,
                                                   const ServingResult &r) {
  if (r.completed + r.rejected != int64_t(workload.requests.size()))
    return std::to_string(workload.requests.size()) + " requests, but " +
           std::to_string(r.completed) + " completed and " +
           std::to_string(r.rejected) + " rejected";
  // Output tokens asked for by the requests served (the rejected ones are
  // those unservable() refused; their lengths are not in the result).
  if (r.rejected == 0) {
    int64_t asked = 0;
    for (const Request &q : workload.requests)
      asked += q.outputTokens;
    if (asked != r.outputTokens)
      return std::to_string(asked) + " output tokens asked for, " +
             std::to_string(r.outputTokens) + " generated";
  }
  if (r.peakKvBlocks > r.kvBlocks)
    return "KV blocks in use (" + std::to_string(r.peakKvBlocks) +
           ") exceeded the cache (" + std::to_string(r.kvBlocks) + ")";
  for (const Distribution *d : {&r.ttft, &r.tpot, &r.itl, &r.e2e})
    for (double v : {d->mean, d->p50, d->p90, d->p99, d->max})
      if (!std::isfinite(v) || v < 0)
        return "a latency is negative or not finite";
  if (r.completed > 0 && r.ttft.max > r.e2e.max)
    return "a time to first token exceeds the longest end-to-end latency";
  if (r.completed > 0 && !(r.duration > 0))
    return "requests completed in no time";
  return "";
}
