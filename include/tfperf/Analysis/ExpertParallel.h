//===- ExpertParallel.h - EP x TP layouts of a Mixture of Experts -*- C++ -*-===//
//
// Expert parallelism next to tensor parallelism: at a layout of ep x tp
// devices each device holds E / ep of every MoE block's routed experts (each
// split over tp devices as Megatron-LM splits an expert's FFN), attention,
// shared experts and the rest as under TP at degree tp, and runs the
// routed work of its experts: at balanced routing T k / ep of a step's
// (token, expert) pairs, in a decode step the experts it holds that the
// batch touches, E / ep (1 - (1 - k/E)^B). Two all-to-alls per MoE layer
// move the pairs to their experts' devices and back. The figures are the
// TP figures at degree tp (TensorParallelCost.h) with the routed experts'
// per-device share divided by ep and the all-to-alls added;
// docs/TensorParallel.md#expert-parallelism gives every formula.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_EXPERTPARALLEL_H
#define TFPERF_ANALYSIS_EXPERTPARALLEL_H

#include "tfperf/Analysis/TensorParallelCost.h"
#include "tfperf/Dialect/TFPerf/IR/ExpertRouting.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "llvm/ADT/DenseSet.h"

namespace mlir::tfperf {

/// The largest expert-parallel degree tfperf-suggest-tp accepts.
constexpr int64_t kMaxExpertDegree = 1 << 16;

/// Why `ep` cannot shard the routed experts of `s`'s MoE blocks (it must
/// divide each block's E); empty when it can, or when `s` has no experts.
std::string checkExpertDegree(const TransformerStructure &s, int64_t ep);

/// The MoE blocks of `s` whose routed experts EP shards.
SmallVector<const MLPBlock *> routedExpertBlocks(const TransformerStructure &s);

/// The ops of the routed experts of `blocks`, which EP divides by ep.
llvm::DenseSet<Operation *> routedExpertOps(ArrayRef<const MLPBlock *> blocks);

/// The skew of the routing that sized `blocks` (MoE blocks in graph order)
/// when a skewed one (zipf:<s> with s > 0, loads:<file> not uniform) marked
/// any: each block's inclusions (k/E each for a balanced one); nullopt at
/// balanced routing.
std::optional<RoutingSkew> routingSkewOf(ArrayRef<const MLPBlock *> blocks);

/// The weights the routed experts of `blocks` read (each once, in order).
SmallVector<WeightOp> routedExpertWeights(ArrayRef<const MLPBlock *> blocks);

/// One MoE layer's all-to-all buffer per device: k x d_model x the
/// residual stream's dtype per token of a step.
struct AllToAllBuffer {
  double topK = 0, dModel = 0, bits = 0;
  double bytes(double tokens) const {
    return tokens * topK * dModel * bits / 8.0;
  }
};

/// The buffers of `blocks` (those whose d_model is not a number are left
/// out).
SmallVector<AllToAllBuffer> allToAllBuffers(ArrayRef<const MLPBlock *> blocks,
                                            const DtypePolicy &policy);

/// The dispatch and combine all-to-alls of a step of `tokens` tokens over
/// `ep` devices, per device: two per MoE layer of `buffers`, priced by
/// priceCollective (on `calibrated`'s link tier, else the pairwise exchange on
/// the link).
struct MoEAllToAlls {
  /// The first layer's buffer, what a device sends in all, the time and
  /// its bound.
  double firstBufferBytes = 0, bytesSent = 0, time = 0, roofline = 0;
  unsigned count = 0;
  bool onTier = false;
};
MoEAllToAlls priceMoEAllToAlls(ArrayRef<AllToAllBuffer> buffers, double tokens,
                               int64_t ep, const DeviceSpec &device,
                               const TimeModel *calibrated);

/// One phase of one layout, per device.
struct EPPhaseFigures {
  /// Tokens of the step (batch x tokens) and the (token, expert) pairs
  /// routed to one device's experts per MoE layer (T k / ep).
  double tokens = 0, routedPairsPerDevice = 0;
  double flops = 0, bytes = 0;
  /// The ops' time (the routed experts' share divided by ep), of which
  /// the routed experts', and the TP collectives' time.
  double opTime = 0, routedTime = 0, tpCommTime = 0;
  /// One all-to-all's buffer per device (T k d_model x dtype, the first MoE
  /// layer's), what a device sends per step (all layers, dispatch and
  /// combine), their time on the calibrated link tier and the pairwise
  /// exchange on the link (the bound).
  double allToAllBytes = 0, allToAllBytesSent = 0, allToAllTime = 0,
         allToAllRoofline = 0;
  unsigned allToAlls = 0;
  /// The busiest device's share of the routed work (1/ep at balanced
  /// routing; under a skewed one the pairs' share in a prefill, the touched
  /// experts' in a decode step) and that over the mean 1/ep; the all-to-all
  /// figures are the busiest device's, scaled by its pairs' load factor.
  double busiestShare = 0, loadFactor = 1;
  double time() const { return opTime + tpCommTime + allToAllTime; }
};

struct EPLayout {
  int64_t ep = 1, tp = 1;
  int64_t devices() const { return ep * tp; }
  bool feasible = true;
  std::string reason;
  /// Routed experts each device holds (E / ep), and in a decode step those
  /// of them the batch is expected to touch (the busiest device's under a
  /// skewed routing).
  double expertsPerDevice = 0;
  std::optional<double> touchedExpertsPerDevice;
  double weightBytesPerDevice = 0, routedWeightBytesPerDevice = 0,
         kvCacheBytesPerDevice = 0;
  bool fitsMemory = false;
  std::optional<EPPhaseFigures> prefill, decode;
};

struct ExpertParallelFigures {
  std::string device;
  /// False for a dense graph: no layouts, the report says ep does not apply.
  bool hasExperts = false;
  /// The first MoE block's E and k, and the MoE layers.
  int64_t experts = 0, topK = 0, moeLayers = 0;
  /// The MoE blocks' skewed routing (--moe-routing=zipf:<s> with s > 0, or
  /// loads:<file>): experts sit on the devices contiguously, each layer's
  /// busiest device sets the step. Nullopt at balanced routing.
  std::optional<RoutingSkew> routing;
  double memCapacity = 0;
  bool calibratedCollectives = false;
  /// "decode" or "prefill", as the TP recommendation ranks.
  std::string rankedBy;
  std::vector<EPLayout> layouts;
  /// Per device count (ep x tp), the recommended layout: among the
  /// feasible layouts that fit in memory, the fastest step (the smaller ep
  /// on a tie); an index into `layouts`.
  std::vector<std::pair<int64_t, size_t>> recommended;
  double stepTime(const EPLayout &l) const {
    const auto &p = rankedBy == "decode" ? l.decode : l.prefill;
    return p ? p->time() : NAN;
  }
};

/// The layouts ep x tp for every `ep` and every degree of `tp` on its
/// device, from the TP figures and per-op tables of the same phase runs.
ExpertParallelFigures
costExpertParallel(const TensorParallelFigures &tp,
                   const TensorParallelPlan &plan,
                   const TransformerStructure &s, ArrayRef<int64_t> ep,
                   const TransformerFigures &fig, const DtypePolicy &policy,
                   const DeviceSpec &device);

} // namespace mlir::tfperf

#endif // TFPERF_ANALYSIS_EXPERTPARALLEL_H
