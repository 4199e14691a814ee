//===- StepCost.h - the cost of one engine step -----------------*- C++ -*-===//
//
// A continuous-batching engine runs steps: each step processes a few new
// tokens of every scheduled sequence (a chunk of a prompt, one decode
// token, or k + 1 tokens to verify a speculative draft) against that
// sequence's context in the KV cache. The step's cost depends on the mix
// only through four sums (StepMix), so the simulator evaluates a step in
// O(terms), whatever the batch.
//
// A StepCostTerm is one kernel (or a group of identical kernels) of the
// model: its FLOPs and bytes are linear in those sums, with coefficients
// read off the graph's symbolic formulas (a projection: weight bytes once
// plus FLOPs and activation bytes per token; the attention core: FLOPs per
// query-key pair and K/V bytes per context token). Its time is the
// roofline of the term, max(FLOPs / peak, bytes / bandwidth), plus a fixed
// per-kernel overhead; or, where the graph side prices kernels with the
// calibrated time model (docs/TimeModel.md), that model's time of one
// kernel at the step's figures (`kernelTime`, its per-kernel constants
// precomputed so a step still costs O(terms)).
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_SERVING_STEPCOST_H
#define TFPERF_SERVING_STEPCOST_H

#include "llvm/ADT/ArrayRef.h"

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

/// The sums a step's cost depends on.
struct StepMix {
  /// Scheduled sequences.
  double sequences = 0;
  /// Tokens processed, over all sequences.
  double tokens = 0;
  /// Query-key pairs of attention: sum of newTokens x contextTokens.
  double queryKeyPairs = 0;
  /// Sum of contextTokens: KV-cache tokens read.
  double contextTokens = 0;
  /// Sequences whose first chunk runs in this step.
  double startedSequences = 0;

  void add(const SequenceWork &w) {
    sequences += 1;
    startedSequences += w.starts ? 1 : 0;
    tokens += double(w.newTokens);
    queryKeyPairs += double(w.newTokens) * double(w.contextTokens);
    contextTokens += double(w.contextTokens);
  }
};

/// A linear function of the mix.
struct LinearInMix {
  double constant = 0, perSequence = 0, perToken = 0, perQueryKey = 0,
         perContextToken = 0, perStartedSequence = 0;
  double at(const StepMix &m) const {
    return constant + perSequence * m.sequences + perToken * m.tokens +
           perQueryKey * m.queryKeyPairs + perContextToken * m.contextTokens +
           perStartedSequence * m.startedSequences;
  }
  void scale(double f) {
    for (double *c : {&constant, &perSequence, &perToken, &perQueryKey,
                      &perContextToken, &perStartedSequence})
      *c *= f;
  }
  /// Each coefficient times `num`'s over `den`'s (kept where `den`'s is
  /// 0): a kernel's bytes at the element sizes and split of its ops'.
  void scaleEach(const LinearInMix &num, const LinearInMix &den) {
    auto ratio = [](double n, double d) { return d != 0 ? n / d : 1.0; };
    constant *= ratio(num.constant, den.constant);
    perSequence *= ratio(num.perSequence, den.perSequence);
    perToken *= ratio(num.perToken, den.perToken);
    perQueryKey *= ratio(num.perQueryKey, den.perQueryKey);
    perContextToken *= ratio(num.perContextToken, den.perContextToken);
    perStartedSequence *= ratio(num.perStartedSequence, den.perStartedSequence);
  }
  /// Whether it depends on the mix through the token count only.
  bool tokensOnly() const {
    return perSequence == 0 && perQueryKey == 0 && perContextToken == 0 &&
           perStartedSequence == 0;
  }
  void add(const LinearInMix &o) {
    constant += o.constant;
    perSequence += o.perSequence;
    perToken += o.perToken;
    perQueryKey += o.perQueryKey;
    perContextToken += o.perContextToken;
    perStartedSequence += o.perStartedSequence;
  }
  bool operator==(const LinearInMix &o) const {
    return constant == o.constant && perSequence == o.perSequence &&
           perToken == o.perToken && perQueryKey == o.perQueryKey &&
           perContextToken == o.perContextToken &&
           perStartedSequence == o.perStartedSequence;
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
  explicit StepCostModel(std::vector<StepCostTerm> terms)
      : terms(std::move(terms)) {}

  /// Seconds for one step over `mix`.
  double time(const StepMix &mix) const;
  /// FLOPs and bytes of that step (for reports and tests).
  double flops(const StepMix &mix) const;
  double bytes(const StepMix &mix) const;

  llvm::ArrayRef<StepCostTerm> getTerms() const { return terms; }
  /// The same model with every step costing `factor` times as much (a
  /// draft model described by its size relative to this one).
  StepCostModel scaled(double factor) const;

private:
  std::vector<StepCostTerm> terms;
};

} // namespace mlir::tfperf::serving

#endif
