//===- TensorParallel.h - Megatron-style splits and their cost --*- C++ -*-===//
//
// How a transformer shards over t devices, derived from the graph:
//  - TensorParallelPlan propagates a split through the dataflow, the way
//    Megatron-LM lays a model out. The QKV/up/gate projections and the
//    lm-head are split by output columns (the column set comes from
//    TransformerStructure); every other op's split follows from its
//    structure: a linear whose input is split on the dim it contracts is
//    row-parallel (partial sums, one all-reduce after it), a dim it keeps
//    stays split, elementwise ops and reshapes carry the split along, and
//    an op that would mix the shards (a softmax or norm over the split dim)
//    gets an all-gather in front. Fused contrib attention is split by heads.
//    The plan is the same for every degree: each split value counts its
//    units (heads, KV heads, d_ff columns, vocab rows), and at degree t it
//    is divided over min(t, units) devices.
//  - TensorParallelAccumulator re-costs the prefill and decode ops of
//    PhaseAnalysis per device at each degree, adds the collectives (ring
//    all-reduce and all-gather over the device's link), and compares with
//    pipeline parallelism. docs/TensorParallel.md gives every formula.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_TENSORPARALLEL_H
#define TFPERF_ANALYSIS_TENSORPARALLEL_H

#include "tfperf/Analysis/PhaseAnalysis.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace mlir::tfperf {

/// How an op runs under tensor parallelism.
enum class SplitKind {
  Replicated, // every device runs the whole op
  Column,     // weight split by output columns; output split, no collective
  Row,        // weight split by the contracted dim; partial sums, all-reduce
  Heads,      // attention split by heads (scores, softmax, fused attention)
  Vocab,      // embedding rows / lm-head columns split by vocabulary
  Sharded,    // runs on its slice of a split activation (GELU, RoPE, views)
};
llvm::StringRef splitKindName(SplitKind k);
constexpr unsigned kNumSplitKinds = 6;

enum class Collective { None, AllReduce, AllGather };
llvm::StringRef collectiveName(Collective c);

/// What the units of a split dim are.
enum class UnitKind { Heads, KVHeads, FusedQKV, Hidden, Vocab, Other };

/// A family of split values sharing one origin (a column-parallel linear,
/// a fused attention op, a vocab-parallel table, a KV-cache input).
struct UnitGroup {
  UnitKind kind = UnitKind::Other;
  /// Heads, KV heads, d_ff columns, vocab rows: what devices divide.
  int64_t units = 1;
  /// Elements of a unit along the split dim where it starts (d_head for a
  /// [.., heads * d_head] projection, 1 for d_ff columns).
  int64_t unitSize = 1;
  /// Fused QKV (or KV) projections: the heads of each part (0: no Q part).
  int64_t heads = 0, kvHeads = 0;
  /// The op that introduces the split (its ONNX node name).
  std::string origin;
};

struct OpSplit {
  SplitKind kind = SplitKind::Replicated;
  /// Collectives after the op, on these results.
  llvm::SmallVector<std::pair<unsigned, Collective>, 1> collectives;
  /// Column, row and vocab splits: the weight operand and its split dim.
  int weightOperand = -1, weightDim = -1;
  /// Units of the op's work and of each operand (as the op reads it) and
  /// result; 1 = replicated. At degree t, u units are divided over
  /// min(t, u) devices.
  int64_t units = 1;
  llvm::SmallVector<int64_t, 4> operandUnits, resultUnits;
  /// The unit group of the split (-1 when replicated).
  int group = -1;
  /// Why an all-gather was needed in front of this op, if one was.
  std::string gatherReason;

  /// Units of the op's operand (read) or result (written) `v`; 1 for a
  /// value that is neither.
  int64_t readUnits(Operation *op, Value v) const;
  int64_t writeUnits(Operation *op, Value v) const;
};

/// Whether a degree works for the graph, and what it costs in KV memory.
struct TPFeasibility {
  bool feasible = true;
  std::string reason;
  std::vector<std::string> notes;
  /// Devices that hold a copy of each KV head (1: KV heads split).
  int64_t kvReplicas = 1;
};

class TensorParallelPlan {
public:
  TensorParallelPlan(func::FuncOp func, const TransformerStructure &structure);

  /// The op's split; null for ops outside the function and constants.
  const OpSplit *lookup(Operation *op) const;
  ArrayRef<UnitGroup> getGroups() const { return groups; }
  /// Units of a weight (a WeightOp or a weight graph input): the fewest
  /// over its uses (1 when any use needs it whole).
  int64_t getWeightUnits(Value weight) const;
  /// True when some op is split (column-parallel linears were found).
  bool hasSplits() const { return !groups.empty(); }
  /// Feasibility at degree t, with the reasons of a rejection.
  TPFeasibility check(int64_t t) const;
  /// Ops in walk order (for reports and annotation).
  ArrayRef<Operation *> getOps() const { return ops; }

private:
  friend class SplitPropagation;
  std::vector<UnitGroup> groups;
  llvm::DenseMap<Operation *, OpSplit> splits;
  llvm::DenseMap<Value, int64_t> weightUnits;
  std::vector<Operation *> ops;
  /// The model's query heads (0: unknown): KV heads as many are plain heads.
  int64_t modelHeads = 0;
};

/// Devices a split of `units` units is divided over at degree t:
/// min(units, t), at least 1.
int64_t tpDivisor(int64_t units, int64_t t);

/// Ring collectives over t devices of a link with `bw` bytes/s per
/// direction and `latency` seconds per ring step: an all-reduce is a
/// reduce-scatter then an all-gather, 2 (t - 1) steps each moving
/// size / t, so 2 (t - 1) / t * size / bw + 2 (t - 1) * latency; an
/// all-gather of a `size`-byte result is (t - 1) / t * size / bw +
/// (t - 1) * latency. Zero at t = 1.
double ringAllReduceTime(double bytes, int64_t t, double bw, double latency);
double ringAllGatherTime(double bytes, int64_t t, double bw, double latency);
/// Bytes each device sends in those collectives.
double ringAllReduceBytesSent(double bytes, int64_t t);
double ringAllGatherBytesSent(double bytes, int64_t t);

/// One phase at one degree, per device.
struct TPPhaseFigures {
  double flops = 0, gemmFlops = 0, bytes = 0;
  /// Sum of the ops' roofline times (run one at a time).
  double opTime = 0;
  /// Collectives: payload (the tensors reduced or gathered), what one
  /// device sends, and their time (not overlapped with compute).
  double commBytes = 0, commBytesSent = 0, commTime = 0;
  unsigned allReduces = 0, allGathers = 0;
  /// All-reduces inside each layer.
  std::vector<unsigned> allReducesByLayer;
  /// FLOPs of ops every device runs whole (unsharded figures), by block
  /// kind, and the extra FLOPs the t devices do beyond the unsharded graph
  /// (replicated ops t - 1 times over, replicated KV heads).
  double replicatedFlops = 0, duplicatedFlops = 0;
  std::array<double, kNumBlockKinds> replicatedByBlock{};
  /// The unsharded phase's FLOPs (the sum check: flops * t = unsharded +
  /// duplicated).
  double unshardedFlops = 0;
  unsigned unknownOps = 0;
  double time() const { return opTime + commTime; }
};

struct TPDegree {
  int64_t tp = 1;
  TPFeasibility feasibility;
  double weightBytesPerDevice = 0;
  /// KV cache per token on one device, and how much more that is than an
  /// even split (replicated KV heads).
  double kvBytesPerTokenPerDevice = 0, kvExtraBytesPerToken = 0;
  /// The KV cache at the analysed batch and length on one device.
  double kvCacheBytesPerDevice = 0;
  std::optional<double> kvCapacityTokens;
  bool fitsMemory = false;
  unsigned allReducePerLayer = 0;
  std::optional<TPPhaseFigures> prefill, decode;
  /// The phase whose collectives the tables show: prefill, else decode.
  const TPPhaseFigures *commPhase() const {
    return prefill ? &*prefill : decode ? &*decode : nullptr;
  }
};

struct PPDegree {
  int64_t pp = 1;
  bool feasible = true;
  std::string reason;
  std::vector<int64_t> layersPerStage;
  double weightBytesPerDevice = 0;
  std::optional<double> kvCapacityTokens;
  /// Activations crossing one stage boundary per step (batch x tokens x
  /// d_model x dtype), and all boundaries together.
  double boundaryBytesPrefill = 0, boundaryBytesDecode = 0;
  double commBytesPerStep = 0;
  /// (p - 1) / m.
  double bubble = 0;
  std::optional<double> prefillTime, decodeLatency, decodeThroughputGain;
};

struct SplitSummary {
  unsigned ops = 0;
  double weightBytes = 0, prefillFlops = 0;
  std::vector<std::string> examples;
};

struct TensorParallelFigures {
  std::string device, linkName;
  double linkBandwidth = 0, linkLatency = 0, memCapacity = 0;
  std::vector<TPDegree> degrees;
  /// Among the feasible degrees that fit in memory: the fastest step (the
  /// recommendation) and the smallest degree.
  std::optional<int64_t> recommended, smallestFitting;
  /// "decode" or "prefill": the step the recommendation ranks by.
  std::string rankedBy;
  /// The time of that step at degree `d` (NaN without it).
  double stepTime(const TPDegree &d) const {
    const auto &p = rankedBy == "decode" ? d.decode : d.prefill;
    return p ? p->time() : NAN;
  }
  std::array<SplitSummary, kNumSplitKinds> splits;
  unsigned embeddingAllReduces = 0, logitsAllGathers = 0, otherAllGathers = 0;
  std::vector<std::string> gatherReasons;
  int64_t microbatches = 1;
  std::vector<PPDegree> pipeline;
};

/// Collects the per-op costs of the phases (PhaseOptions::onOp) and turns
/// them into per-degree figures.
class TensorParallelAccumulator {
public:
  TensorParallelAccumulator(func::FuncOp func, const TransformerStructure &s,
                            const TensorParallelPlan &plan,
                            ArrayRef<int64_t> degrees, const DtypePolicy &policy,
                            const DeviceSpec &device);
  void visit(llvm::StringRef phase, const OpCostRecord &rec,
             const OpFigures &f);
  /// `microbatches` = 0: one per sequence of the batch.
  TensorParallelFigures finish(const TransformerFigures &fig,
                               int64_t microbatches) const;

private:
  const TransformerStructure &structure;
  const TensorParallelPlan &plan;
  std::vector<int64_t> degrees;
  const DtypePolicy &policy;
  const DeviceSpec &device;
  std::vector<TPPhaseFigures> prefill, decode;
  bool sawPrefill = false, sawDecode = false;
  /// Weight bytes by unit count, and by pipeline place (layer, or -1 for
  /// before the layers, -2 after).
  std::vector<std::pair<double, int64_t>> weights;
  std::vector<std::pair<double, std::vector<int>>> weightPlaces;
  /// KV cache per token: per self-attention block, its KV heads and bytes.
  std::vector<std::tuple<int, int64_t, double>> kvBlocks;
  int64_t streamBits = 32;
  std::array<SplitSummary, kNumSplitKinds> splits;
};

} // namespace mlir::tfperf

#endif
