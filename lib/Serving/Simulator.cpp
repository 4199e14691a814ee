//===- Simulator.cpp - continuous-batching serving simulation ------------===//
//
// Step-driven: the state only changes at step boundaries, so the loop
// advances from one step to the next (and jumps over idle gaps to the next
// arrival). A step's cost is O(terms) through StepMix; scheduling is
// O(running sequences).
//
//===----------------------------------------------------------------------===//

#include "tfperf/Serving/Simulator.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <map>

using namespace mlir::tfperf::serving;

Distribution Distribution::of(std::vector<double> samples) {
  std::vector<WeightedSample> weighted;
  weighted.reserve(samples.size());
  for (double v : samples)
    weighted.push_back({v, 1});
  return of(std::move(weighted));
}

Distribution Distribution::of(std::vector<WeightedSample> samples) {
  Distribution d;
  double total = 0, sum = 0;
  for (const WeightedSample &s : samples) {
    total += s.count;
    sum += s.value * s.count;
  }
  d.count = int64_t(total);
  if (samples.empty() || !(total > 0))
    return d;
  std::sort(samples.begin(), samples.end(),
            [](const WeightedSample &a, const WeightedSample &b) {
              return a.value < b.value;
            });
  d.mean = sum / total;
  // Nearest rank: the smallest sample with at least p of the samples at or
  // below it.
  auto rank = [&](double p) {
    double want = std::max(1.0, std::ceil(p * total));
    double seen = 0;
    for (const WeightedSample &s : samples) {
      seen += s.count;
      if (seen >= want)
        return s.value;
    }
    return samples.back().value;
  };
  d.p50 = rank(0.50);
  d.p90 = rank(0.90);
  d.p99 = rank(0.99);
  d.max = samples.back().value;
  return d;
}

namespace {
struct Sequence {
  const Request *request = nullptr;
  /// Index of the request in the workload.
  size_t index = 0;
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

  std::optional<EngineRun> run(std::string &error);

private:
  int64_t blocksFor(int64_t tokens) const {
    return (tokens + config.blockTokens - 1) / config.blockTokens;
  }
  /// Why a request can never be served, or "".
  std::string unservable(const Request &r) const;
  /// Queues request `index`, or rejects it (false).
  bool arrive(size_t index, double at);
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
  /// Sequences finished in the current step (kept to reuse its storage).
  std::vector<Sequence *> done;
  size_t nextRequest = 0;

  EngineRun result;
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

bool Engine::arrive(size_t index, double at) {
  const Request &r = workload.requests[index];
  std::string why = unservable(r);
  if (!why.empty()) {
    ++result.rejected;
    if (result.rejections.size() < 8)
      result.rejections.push_back(why);
    return false;
  }
  if (r.prefilled && r.outputTokens <= 1) {
    // Its only token came with it.
    result.outcomes.push_back({at, at, at, r.inputTokens, r.outputTokens, index});
    return true;
  }
  Sequence &s = storage.emplace_back();
  s.request = &r;
  s.index = index;
  s.arrival = at;
  s.prompt = r.inputTokens;
  if (r.prefilled) {
    s.kvTokens = r.inputTokens;
    s.generated = 1;
    s.firstToken = s.lastToken = at;
    s.started = true;
    waiting.push_back(&s);
    return true;
  }
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
  while (nextRequest < workload.requests.size() && !arrive(nextRequest++, at))
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
  result.outcomes.push_back({s->arrival, s->firstToken, clock,
                             s->request->inputTokens, s->generated, s->index});
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

std::optional<EngineRun> Engine::run(std::string &error) {
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
  for (int64_t i = 0; i < workload.concurrency; ++i)
    startNext(0);
  // Open loop: requests join the waiting queue as the clock passes them.
  auto admitArrivals = [&] {
    if (workload.concurrency > 0)
      return;
    while (nextRequest < workload.requests.size() &&
           workload.requests[nextRequest].arrival <= clock) {
      size_t i = nextRequest++;
      arrive(i, workload.requests[i].arrival);
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
    bool movedIn = false;
    while (!waiting.empty()) {
      Sequence *s = waiting.front();
      if (!s->prefilling()) {
        // A prefilled arrival: its cache moves in; it decodes next step.
        if (!grow(s, s->kvTokens))
          break;
        movedIn = true;
      } else if (budget == 0 || !schedulePrefill(s)) {
        break;
      }
      waiting.pop_front();
      running.push_back(s);
    }
    if (step.empty() && movedIn)
      continue; // prefilled arrivals decode from the next step
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
    StepMix mix = cost.newMix();
    for (const Scheduled &w : step)
      mix.add({w.tokens, w.seq->kvTokens + w.tokens, !w.seq->started});
    double dt = cost.time(mix) + config.stepOverhead +
                config.sequenceOverhead * mix.sequences;
    if (speculative > 0 && config.draftCost) {
      // The draft model proposes k tokens, one at a time, for every
      // decoding sequence.
      StepMix draft = config.draftCost->newMix();
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
    double previousStepEnd = clock;
    clock += dt;
    ++result.steps;
    double continuing = 0;
    result.sequenceSteps += mix.sequences;
    result.tokenSteps += mix.tokens;
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
        } else if (s->lastToken == previousStepEnd && emitted == 1) {
          // Decoded last step too: the gap is this step's time.
          continuing += 1;
        } else {
          result.itl.push_back(
              {(clock - s->lastToken) / double(emitted), double(emitted)});
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
    if (continuing > 0)
      result.itl.push_back({dt, continuing});
    int64_t used = config.kvBlocks - freeBlocks;
    result.peakKvBlocks = std::max(result.peakKvBlocks, used);
    result.occupancy.push_back({clock, double(used) / double(config.kvBlocks)});
    // Completions (in running order, so closed-loop restarts are ordered).
    done.clear();
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
  result.start = start;
  result.end = clock;
  return result;
}

ServingResult mlir::tfperf::serving::summarize(llvm::ArrayRef<EngineRun> runs,
                                               int64_t requests) {
  ServingResult r;
  r.requests = requests;
  std::vector<double> ttft, tpot, e2e;
  std::vector<WeightedSample> itl;
  double start = std::numeric_limits<double>::infinity(), end = -start;
  double sequenceSteps = 0, tokenSteps = 0;
  for (const EngineRun &run : runs) {
    for (const RequestOutcome &o : run.outcomes) {
      ttft.push_back(o.firstToken - o.arrival);
      e2e.push_back(o.finish - o.arrival);
      if (o.outputTokens > 1)
        tpot.push_back((o.finish - o.firstToken) / double(o.outputTokens - 1));
      r.inputTokens += o.inputTokens;
      r.outputTokens += o.outputTokens;
    }
    itl.insert(itl.end(), run.itl.begin(), run.itl.end());
    r.completed += run.outcomes.size();
    r.rejected += run.rejected;
    for (const std::string &why : run.rejections)
      if (r.rejections.size() < 8)
        r.rejections.push_back(why);
    r.steps += run.steps;
    r.preemptions += run.preemptions;
    r.peakKvBlocks = std::max(r.peakKvBlocks, run.peakKvBlocks);
    r.kvBlocks = std::max(r.kvBlocks, run.kvBlocks);
    sequenceSteps += run.sequenceSteps;
    tokenSteps += run.tokenSteps;
    if (run.end > run.start || !run.outcomes.empty()) {
      start = std::min(start, run.start);
      end = std::max(end, run.end);
    }
  }
  r.duration = end > start ? end - start : 0;
  r.ttft = Distribution::of(std::move(ttft));
  r.tpot = Distribution::of(std::move(tpot));
  r.itl = Distribution::of(std::move(itl));
  r.e2e = Distribution::of(std::move(e2e));
  if (r.duration > 0) {
    r.outputTokensPerSecond = double(r.outputTokens) / r.duration;
    r.totalTokensPerSecond = double(r.outputTokens + r.inputTokens) / r.duration;
  }
  if (r.tpot.mean > 0)
    r.tokensPerSecondPerUser = 1 / r.tpot.mean;
  if (r.steps > 0) {
    r.meanBatch = sequenceSteps / double(r.steps);
    r.meanStepTokens = tokenSteps / double(r.steps);
  }
  // At most 256 occupancy samples: the fullest replica in each slice of
  // time.
  constexpr size_t kSamples = 256;
  if (r.duration > 0) {
    r.kvOccupancy.assign(kSamples, KVSample{});
    for (size_t i = 0; i < kSamples; ++i)
      r.kvOccupancy[i].time = start + r.duration * double(i + 1) / kSamples;
    for (const EngineRun &run : runs)
      for (const KVSample &s : run.occupancy) {
        size_t i = std::min(kSamples - 1,
                            size_t((s.time - start) / r.duration * kSamples));
        r.kvOccupancy[i].occupancy =
            std::max(r.kvOccupancy[i].occupancy, s.occupancy);
      }
  }
  return r;
}

std::optional<EngineRun>
mlir::tfperf::serving::runEngine(const Workload &workload,
                                 const EngineConfig &engine,
                                 const StepCostModel &cost, std::string &error) {
  return Engine(workload, engine, cost).run(error);
}

/// Splits a workload round-robin over `replicas` engines.
static std::vector<Workload> splitWorkload(const Workload &w, int64_t replicas) {
  int64_t n = replicas;
  if (w.concurrency > 0)
    n = std::min(n, w.concurrency);
  std::vector<Workload> parts(std::max<int64_t>(n, 1));
  for (size_t i = 0; i < w.requests.size(); ++i)
    parts[i % parts.size()].requests.push_back(w.requests[i]);
  for (size_t r = 0; r < parts.size(); ++r) {
    parts[r].description = w.description;
    if (w.concurrency > 0)
      parts[r].concurrency =
          w.concurrency / int64_t(parts.size()) +
          (int64_t(r) < w.concurrency % int64_t(parts.size()) ? 1 : 0);
  }
  return parts;
}

static std::optional<std::vector<EngineRun>>
runReplicas(const std::vector<Workload> &parts, const EngineConfig &engine,
            const StepCostModel &cost, std::string &error) {
  std::vector<EngineRun> runs;
  for (const Workload &part : parts) {
    auto run = runEngine(part, engine, cost, error);
    if (!run)
      return std::nullopt;
    runs.push_back(std::move(*run));
  }
  return runs;
}

std::optional<ServingResult>
mlir::tfperf::serving::simulate(const Workload &workload,
                                const EngineConfig &engine,
                                const StepCostModel &cost, std::string &error,
                                int64_t replicas) {
  if (replicas < 1) {
    error = "replicas must be at least 1";
    return std::nullopt;
  }
  auto runs = runReplicas(splitWorkload(workload, replicas), engine, cost, error);
  if (!runs)
    return std::nullopt;
  return summarize(*runs, workload.requests.size());
}

std::optional<ServingResult> mlir::tfperf::serving::simulateDisaggregated(
    const Workload &workload, const EngineConfig &prefillEngine,
    const EngineConfig &decodeEngine, const StepCostModel &cost,
    int64_t prefillReplicas, int64_t decodeReplicas,
    llvm::function_ref<double(int64_t)> transferSeconds, std::string &error) {
  if (prefillReplicas < 1 || decodeReplicas < 1) {
    error = "both pools need at least one replica";
    return std::nullopt;
  }
  // The prefill pool generates one token per request.
  Workload prefill = workload;
  for (Request &r : prefill.requests)
    r.outputTokens = 1;
  std::vector<Workload> parts = splitWorkload(prefill, prefillReplicas);
  auto prefillRuns = runReplicas(parts, prefillEngine, cost, error);
  if (!prefillRuns)
    return std::nullopt;
  EngineRun combined;
  combined.start = std::numeric_limits<double>::infinity();
  combined.end = -combined.start;
  auto absorb = [&](const EngineRun &run) {
    combined.rejected += run.rejected;
    for (const std::string &why : run.rejections)
      if (combined.rejections.size() < 8)
        combined.rejections.push_back(why);
    combined.steps += run.steps;
    combined.preemptions += run.preemptions;
    combined.peakKvBlocks = std::max(combined.peakKvBlocks, run.peakKvBlocks);
    combined.kvBlocks = std::max(combined.kvBlocks, run.kvBlocks);
    combined.sequenceSteps += run.sequenceSteps;
    combined.tokenSteps += run.tokenSteps;
    combined.start = std::min(combined.start, run.start);
    combined.end = std::max(combined.end, run.end);
  };
  // Each prefilled request moves to the decode pool when its cache has
  // arrived. splitWorkload dealt request i to part i % parts.
  std::vector<RequestOutcome> prefilled;
  std::vector<Request> moving;
  for (size_t p = 0; p < prefillRuns->size(); ++p) {
    const EngineRun &run = (*prefillRuns)[p];
    absorb(run);
    for (const RequestOutcome &o : run.outcomes) {
      const Request &q = workload.requests[o.request * parts.size() + p];
      if (q.outputTokens <= 1) {
        // Done with its first token: nothing to move.
        combined.outcomes.push_back(o);
        continue;
      }
      prefilled.push_back(o);
      moving.push_back(Request{o.firstToken + transferSeconds(q.inputTokens),
                               q.inputTokens, q.outputTokens,
                               /*prefilled=*/true});
    }
  }
  std::vector<size_t> order(moving.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return moving[a].arrival < moving[b].arrival;
  });
  Workload decode;
  for (size_t i : order)
    decode.requests.push_back(moving[i]);
  std::vector<Workload> decodeParts = splitWorkload(decode, decodeReplicas);
  auto decodeRuns = runReplicas(decodeParts, decodeEngine, cost, error);
  if (!decodeRuns)
    return std::nullopt;
  // Latencies count from the arrival at the prefill pool; the first token
  // is the one the prefill pool sampled.
  for (size_t p = 0; p < decodeRuns->size(); ++p) {
    const EngineRun &run = (*decodeRuns)[p];
    absorb(run);
    combined.itl.insert(combined.itl.end(), run.itl.begin(), run.itl.end());
    combined.occupancy.insert(combined.occupancy.end(), run.occupancy.begin(),
                              run.occupancy.end());
    for (const RequestOutcome &o : run.outcomes) {
      const RequestOutcome &first =
          prefilled[order[o.request * decodeParts.size() + p]];
      combined.outcomes.push_back({first.arrival, first.firstToken, o.finish,
                                   o.inputTokens, o.outputTokens, 0});
    }
  }
  combined.kvBlocks = std::max(combined.kvBlocks, prefillEngine.kvBlocks);
  return summarize({combined}, workload.requests.size());
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
