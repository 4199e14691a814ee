//===- StepCost.h - the cost of one engine step -----------------*- C++ -*-===//
//
// A continuous-batching engine runs steps: each step processes a few new
// tokens of every scheduled sequence (a chunk of a prompt, one decode
// token, or k + 1 tokens to verify a speculative draft) against that
// sequence's context in the KV cache. The step's cost depends on the mix
// only through a few sums (StepMix), so the simulator evaluates a step in
// O(terms), whatever the batch. Layers with a sliding window of W keys read
// two more sums per distinct W: the query-key pairs the window lets the
// step's new tokens visit and the cached keys that reads.
//
// A StepCostTerm is one kernel (or a group of identical kernels) of the
// model: its FLOPs and bytes are linear in those sums, with coefficients
// read off the graph's symbolic formulas (a projection: weight bytes once
// plus FLOPs and activation bytes per token; the attention core: FLOPs per
// query-key pair and K/V bytes per context token, or per windowed pair and
// windowed context token for a sliding-window layer). Its time is the
// roofline of the term, max(FLOPs / peak, bytes / bandwidth), plus a fixed
// per-kernel overhead; or, where the graph side prices kernels with the
// calibrated time model (docs/TimeModel.md), that model's time of one
// kernel at the step's figures (`kernelTime`, its per-kernel constants
// precomputed so a step still costs O(terms)).
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_SERVING_STEPCOST_H
#define TFPERF_SERVING_STEPCOST_H

#include "tfperf/Support/AttentionWindow.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace mlir::tfperf::serving {

/// One sequence's work in a step.
struct SequenceWork {
  /// Tokens processed in this step (prompt chunk, 1, or k + 1).
  int64_t newTokens = 0;
  /// KV-cache length after the step: the context those tokens attend to.
  int64_t contextTokens = 0;
  /// This is the sequence's first chunk (what is computed once per
  /// sequence runs now: an encoder, the cross-attention K/V).
  bool starts = false;
};

/// The sums of a step under a causal sliding window of `keys` keys (each
/// new token attends its own key and the keys - 1 before it): what its
/// flash kernel visits and reads.
struct WindowSums {
  int64_t keys = 0;
  /// Sum over the sequences of the keys each new token visits
  /// (windowedScores).
  double queryKeyPairs = 0;
  /// Sum over the sequences of the cached keys the window reaches: from
  /// the first new token's first key (firstWindowKey) to the last.
  double contextTokens = 0;

  void add(const SequenceWork &w) {
    AttentionWindow window{keys - 1, -1, /*causal=*/true};
    int64_t offset = w.contextTokens - w.newTokens;
    queryKeyPairs +=
        double(windowedScores(w.newTokens, w.contextTokens, offset, window));
    contextTokens += double(w.contextTokens - firstWindowKey(offset, window));
  }
};

/// The sums a step's cost depends on.
struct StepMix {
  /// Scheduled sequences.
  double sequences = 0;
  /// Tokens processed, over all sequences.
  double tokens = 0;
  /// Query-key pairs of attention: sum of newTokens x contextTokens.
  double queryKeyPairs = 0;
  /// The pairs a causal flash kernel visits (causalPairs of each
  /// sequence's newTokens and contextTokens).
  double causalPairs = 0;
  /// Sum of contextTokens: KV-cache tokens read.
  double contextTokens = 0;
  /// Sequences whose first chunk runs in this step.
  double startedSequences = 0;
  /// The same sums under each sliding window of the model
  /// (StepCostModel::newMix lists them).
  llvm::SmallVector<WindowSums, 2> windows;

  StepMix() = default;
  /// A mix that also sums the pairs and context of windows of these sizes.
  explicit StepMix(llvm::ArrayRef<int64_t> windowKeys) {
    for (int64_t k : windowKeys)
      windows.push_back({k});
  }

  void add(const SequenceWork &w) {
    sequences += 1;
    startedSequences += w.starts ? 1 : 0;
    tokens += double(w.newTokens);
    queryKeyPairs += double(w.newTokens) * double(w.contextTokens);
    causalPairs +=
        tfperf::causalPairs(double(w.newTokens), double(w.contextTokens));
    contextTokens += double(w.contextTokens);
    for (WindowSums &s : windows)
      s.add(w);
  }

  /// The sums under a window of `keys` keys; null when the mix was not
  /// built with it.
  const WindowSums *window(int64_t keys) const {
    for (const WindowSums &s : windows)
      if (s.keys == keys)
        return &s;
    return nullptr;
  }
};

/// A linear function of the mix.
struct LinearInMix {
  double constant = 0, perSequence = 0, perToken = 0, perQueryKey = 0,
         perContextToken = 0, perStartedSequence = 0;
  /// A sliding-window layer's work: per pair and per context token under
  /// its window of `windowKeys` keys (0: none).
  double perWindowQueryKey = 0, perWindowContextToken = 0;
  int64_t windowKeys = 0;

  /// The coefficients, in a fixed order.
  std::array<double *, 8> coefficients() {
    return {&constant,          &perSequence,          &perToken,
            &perQueryKey,       &perContextToken,      &perStartedSequence,
            &perWindowQueryKey, &perWindowContextToken};
  }
  std::array<double, 8> coefficients() const {
    return {constant,          perSequence,          perToken,
            perQueryKey,       perContextToken,      perStartedSequence,
            perWindowQueryKey, perWindowContextToken};
  }

  double at(const StepMix &m) const {
    double v = constant + perSequence * m.sequences + perToken * m.tokens +
               perQueryKey * m.queryKeyPairs +
               perContextToken * m.contextTokens +
               perStartedSequence * m.startedSequences;
    if (windowKeys > 0) {
      // A mix built without this window (not from StepCostModel::newMix)
      // gets the unwindowed sums: an upper bound.
      const WindowSums *w = m.window(windowKeys);
      v += perWindowQueryKey * (w ? w->queryKeyPairs : m.queryKeyPairs) +
           perWindowContextToken * (w ? w->contextTokens : m.contextTokens);
    }
    return v;
  }
  void scale(double f) {
    for (double *c : coefficients())
      *c *= f;
  }
  /// Each coefficient times `num`'s over `den`'s (kept where `den`'s is
  /// 0): a kernel's bytes at the element sizes and split of its ops'.
  void scaleEach(const LinearInMix &num, const LinearInMix &den) {
    auto n = num.coefficients(), d = den.coefficients();
    auto mine = coefficients();
    for (size_t i = 0; i < mine.size(); ++i)
      *mine[i] *= d[i] != 0 ? n[i] / d[i] : 1.0;
  }
  /// Whether it depends on the mix through the token count only.
  bool tokensOnly() const {
    return perSequence == 0 && perQueryKey == 0 && perContextToken == 0 &&
           perStartedSequence == 0 && perWindowQueryKey == 0 &&
           perWindowContextToken == 0;
  }
  /// Adds `o` (both of the same window, or one without).
  void add(const LinearInMix &o) {
    auto mine = coefficients();
    auto theirs = o.coefficients();
    for (size_t i = 0; i < mine.size(); ++i)
      *mine[i] += theirs[i];
    if (o.windowKeys > 0)
      windowKeys = o.windowKeys;
  }
  /// Moves the per-pair and per-context-token coefficients onto a window
  /// of `keys` keys: a sliding-window layer's attention.
  void window(int64_t keys) {
    windowKeys = keys;
    perWindowQueryKey += perQueryKey;
    perWindowContextToken += perContextToken;
    perQueryKey = perContextToken = 0;
  }
  bool operator==(const LinearInMix &o) const {
    return coefficients() == o.coefficients() && windowKeys == o.windowKeys;
  }
};

/// One kernel, or `count` identical kernels, of a step.
struct StepCostTerm {
  std::string name;
  double count = 1;
  /// All FLOPs, the matmul part of them, and the bytes moved.
  LinearInMix flops, gemmFlops, bytes;
  /// FLOP/s of the matmul part and of the rest; bytes/s.
  double tensorPeak = 0, vectorPeak = 0, bandwidth = 0;
  /// Seconds added per kernel launch.
  double overhead = 0;
  /// A time model other than the roofline: seconds of one kernel at `mix`,
  /// given its FLOPs, matmul FLOPs and bytes there (the peaks, bandwidth
  /// and overhead above are then unused). Null: the roofline.
  std::function<double(const StepMix &mix, double flops, double gemmFlops,
                       double bytes)>
      kernelTime;
  /// Seconds for this term at `mix`: the time of one kernel, times the
  /// count.
  double time(const StepMix &mix) const;
};

/// The cost model of one engine step on one device (or one TP group).
class StepCostModel {
public:
  explicit StepCostModel(std::vector<StepCostTerm> terms);

  /// Seconds for one step over `mix`.
  double time(const StepMix &mix) const;
  /// FLOPs and bytes of that step (for reports and tests).
  double flops(const StepMix &mix) const;
  double bytes(const StepMix &mix) const;

  llvm::ArrayRef<StepCostTerm> getTerms() const { return terms; }
  /// An empty mix that sums what this model's terms read (their windows).
  StepMix newMix() const { return StepMix(windowKeys); }
  /// The same model with every step costing `factor` times as much (a
  /// draft model described by its size relative to this one).
  StepCostModel scaled(double factor) const;

private:
  std::vector<StepCostTerm> terms;
  /// The distinct sliding windows of the terms.
  llvm::SmallVector<int64_t, 2> windowKeys;
};

} // namespace mlir::tfperf::serving

#endif
