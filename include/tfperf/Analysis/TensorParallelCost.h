//===- TensorParallelCost.h - per-degree cost of a split plan ---*- C++ -*-===//
//
// TensorParallelAccumulator re-costs the prefill and decode ops of
// PhaseAnalysis per device at each degree, as the TensorParallelPlan splits
// them, prices each kernel's shard with the report's time model (the
// calibrated model by default, the roofline kept beside it as the bound),
// adds the collectives (the α-β link tiers, or the ring over the device's
// link), and compares with pipeline parallelism. docs/TensorParallel.md
// gives every formula.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_TENSORPARALLELCOST_H
#define TFPERF_ANALYSIS_TENSORPARALLELCOST_H

#include "tfperf/Analysis/PhaseAnalysis.h"
#include "tfperf/Analysis/TensorParallelPlan.h"
#include "tfperf/Analysis/TimeModel.h"

#include "llvm/ADT/DenseMap.h"

#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace mlir::tfperf {

/// Devices a split of `units` units is divided over at degree t:
/// min(units, t), at least 1.
int64_t tpDivisor(int64_t units, int64_t t);

/// What tensor parallelism divides `op`'s recurrent state `state` by: its
/// state heads or channels when the plan splits the op (`split`), but no
/// more than the split's units (a conv on replicated heads), else 1 (the
/// state is held whole on every device).
int64_t recurrentStateUnits(const RecurrentState &state, const OpSplit *split);

/// Whether degree `t` works for the graph on `device`: the plan's check,
/// and a link between the devices when t > 1 (collectives need one).
TPFeasibility checkDegree(const TensorParallelPlan &plan, int64_t t,
                          const DeviceSpec &device);

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
/// An all-to-all in which each of t devices holds `bytes`, a 1/t share for
/// every device, by pairwise exchange (Thakur, Rabenseifner & Gropp 2005):
/// t - 1 steps, each sending bytes / t to one peer, so (t - 1) / t * bytes
/// / bw + (t - 1) * latency; each device sends (t - 1) / t * bytes. Zero
/// at t = 1.
double pairwiseAllToAllTime(double bytes, int64_t t, double bw,
                            double latency);
double allToAllBytesSent(double bytes, int64_t t);

/// A collective's time on t devices: the ring (the pairwise exchange for an
/// all-to-all) over the device's link (the bound), and `time`, the calibrated model's α-β tier where `calibrated`
/// is given and has one for t ranks (`onTier`), else the ring.
struct CollectiveTimes {
  double time = 0, ring = 0;
  bool onTier = false;
};
CollectiveTimes priceCollective(Collective kind, double bytes, int64_t t,
                                const DeviceSpec &device,
                                const TimeModel *calibrated);

/// One phase at one degree, per device.
struct TPPhaseFigures {
  double flops = 0, gemmFlops = 0, bytes = 0;
  /// Sum of the ops' times in the report's time model (run one at a time),
  /// and of their roofline times (the bound).
  double opTime = 0, opRoofline = 0;
  /// Collectives: payload (the tensors reduced or gathered), what one
  /// device sends, their time (not overlapped with compute) and their ring
  /// time on the datasheet link (the bound).
  double commBytes = 0, commBytesSent = 0, commTime = 0, commRoofline = 0;
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
  double rooflineTime() const { return opRoofline + commRoofline; }
};

/// One op of one phase at one degree, per device: the terms a
/// TPPhaseFigures sums (its opTime is the sum of the ops' `time`, its
/// commTime of their `commTime`).
struct TPOpDegree {
  /// NaN when the op's cost is unknown (counted in unknownOps). `time` is
  /// the op's share of its kernel's time on one device in the report's
  /// time model, `roofline` its own roofline at its shard (the bound).
  double flops = NAN, bytes = NAN, time = NAN, roofline = NAN;
  /// The collective after the op at this degree (none at t = 1; the
  /// first when the op has several), with the payload and time of all.
  std::optional<Collective> collective;
  double commBytes = 0, commTime = 0, commRoofline = 0;
};

/// An op's per-device figures in one phase, one entry per degree in the
/// order of TensorParallelFigures::degrees.
struct TPOpFigures {
  Operation *op = nullptr;
  std::vector<TPOpDegree> degrees;
};

/// The ops of one phase in the order they were costed, and an index.
class TPOpTable {
public:
  void add(TPOpFigures f) {
    index[f.op] = ops.size();
    ops.push_back(std::move(f));
  }
  ArrayRef<TPOpFigures> getOps() const { return ops; }
  /// Null for an op the phase does not run (constants, ops of a decode
  /// step that run once per sequence).
  const TPOpFigures *lookup(Operation *op) const {
    auto it = index.find(op);
    return it == index.end() ? nullptr : &ops[it->second];
  }
  TPOpFigures *lookup(Operation *op) {
    auto it = index.find(op);
    return it == index.end() ? nullptr : &ops[it->second];
  }
  /// The figures of `members` together at degree `k` (one op, or a
  /// kernel's members): FLOPs, bytes, times and collectives summed, NaN
  /// when one is unknown, the first collective named; nullopt when the
  /// phase runs none of them.
  std::optional<TPOpDegree> sum(ArrayRef<Operation *> members, size_t k) const;

private:
  std::vector<TPOpFigures> ops;
  llvm::DenseMap<Operation *, size_t> index;
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
  /// The recurrent state (linear attention, causal convolutions) of the
  /// analysed batch on one device: split with the op's heads or channels.
  double stateBytesPerDevice = 0;
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
  /// What priced the ops' shards and the collectives.
  Timing timing;
  /// The collectives ran on a calibrated link tier (the α-β model).
  bool calibratedCollectives = false;
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
  /// Each op's share of the prefill and decode figures of every degree
  /// (empty for a phase that was not costed).
  TPOpTable prefillOps, decodeOps;
};

/// Collects the per-op costs of the phases (PhaseOptions::onOp) and turns
/// them into per-degree figures. Under a timing other than the per-op
/// roofline, the kernels of each phase (PhaseOptions::onKernels) are priced
/// at every degree on their shard by the same time model as the unsharded
/// report, and the collectives of a calibrated model use its link tiers.
class TensorParallelAccumulator {
public:
  TensorParallelAccumulator(func::FuncOp func, const TransformerStructure &s,
                            const TensorParallelPlan &plan,
                            ArrayRef<int64_t> degrees, const DtypePolicy &policy,
                            const DeviceSpec &device, Timing timing = {});
  void visit(llvm::StringRef phase, const OpCostRecord &rec,
             const OpFigures &f);
  /// After the ops of `phase`: prices its kernels (formed on the phase's
  /// `costs`) at each degree and shares each kernel's time among its
  /// member ops in proportion to their roofline times at that degree;
  /// ops in no kernel take none.
  void visitKernels(llvm::StringRef phase, const CostAnalysis &costs,
                    const KernelAnalysis &kernels);
  /// `microbatches` = 0: one per sequence of the batch.
  TensorParallelFigures finish(const TransformerFigures &fig,
                               int64_t microbatches) const;

private:
  const TransformerStructure &structure;
  const TensorParallelPlan &plan;
  std::vector<int64_t> degrees;
  const DtypePolicy &policy;
  const DeviceSpec &device;
  Timing timing;
  TimeModel model;
  bool calibratedCollectives = false;
  std::vector<TPPhaseFigures> prefill, decode;
  TPOpTable prefillOps, decodeOps;
  bool sawPrefill = false, sawDecode = false;
  /// Weight bytes by unit count, and by pipeline place (layer, or -1 for
  /// before the layers, -2 after).
  std::vector<std::pair<double, int64_t>> weights;
  std::vector<std::pair<double, std::vector<int>>> weightPlaces;
  /// KV cache per self-attention block: its layer, KV heads, bytes per
  /// token, and its sliding window (which caps the keys it holds).
  struct KVBlock {
    int layer;
    int64_t kvHeads;
    double bytesPerToken;
    std::optional<int64_t> window;
  };
  std::vector<KVBlock> kvBlocks;
  /// Recurrent state per sequence: per linear attention or causal conv,
  /// its layer, bytes, and the units tensor parallelism divides it by.
  struct StateBlock {
    int layer;
    double bytes;
    int64_t units;
  };
  std::vector<StateBlock> recurrentStates;
  int64_t streamBits = 32;
  std::array<SplitSummary, kNumSplitKinds> splits;
};

} // namespace mlir::tfperf

#endif // TFPERF_ANALYSIS_TENSORPARALLELCOST_H
