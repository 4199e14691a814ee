//===- ExpertParallel.cpp - EP x TP layouts of a Mixture of Experts -------===//
//
// Each layout re-uses the TP figures at its degree tp: the routed experts'
// ops (MLPBlock::routedOps) and weights are divided by ep on top of their
// TP split, and the dispatch and combine all-to-alls of every MoE layer
// are priced with the calibrated link tier (pairwise exchange).
//
//===----------------------------------------------------------------------===//

#include "tfperf/Analysis/ExpertParallel.h"
#include "tfperf/Dialect/TFPerf/IR/ExpertRouting.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/DenseSet.h"

#include <cmath>
#include <map>

using namespace mlir;
using namespace mlir::tfperf;

std::string mlir::tfperf::checkExpertDegree(const TransformerStructure &s,
                                            int64_t ep) {
  for (const MLPBlock &m : s.getMLPs())
    if (m.nExperts > 0 && m.nExperts % ep != 0)
      return "it does not divide the " + std::to_string(m.nExperts) +
             " routed experts of the MoE block in layer " +
             std::to_string(m.layer);
  return "";
}

namespace {

/// The routed experts' share of one phase at one TP degree, per device.
struct RoutedShare {
  double time = 0, flops = 0, bytes = 0;
};

RoutedShare routedShare(const TPOpTable &table, ArrayRef<Operation *> ops,
                        size_t k) {
  RoutedShare r;
  for (Operation *op : ops)
    if (const TPOpFigures *f = table.lookup(op)) {
      const TPOpDegree &d = f->degrees[k];
      if (std::isnan(d.time))
        continue;
      r.time += d.time;
      r.flops += d.flops;
      r.bytes += d.bytes;
    }
  return r;
}

} // namespace

SmallVector<const MLPBlock *>
mlir::tfperf::routedExpertBlocks(const TransformerStructure &s) {
  SmallVector<const MLPBlock *> blocks;
  for (const MLPBlock &m : s.getMLPs())
    if (m.nExperts > 0 && !m.routedOps.empty())
      blocks.push_back(&m);
  return blocks;
}

std::optional<RoutingSkew>
mlir::tfperf::routingSkewOf(ArrayRef<const MLPBlock *> blocks) {
  SmallVector<Operation *> markedOps;
  for (const MLPBlock *m : blocks)
    markedOps.push_back(findSkewedRouting(m->routedOps));
  // Balanced everywhere: nothing to describe, and no per-expert vectors to
  // build (a graph's expert count can be absurd: 2^31 - 1 made 16 GiB).
  if (llvm::all_of(markedOps, [](Operation *op) { return !op; }))
    return std::nullopt;
  std::vector<std::vector<double>> layers;
  Operation *named = nullptr;
  for (auto [m, marked] : llvm::zip_equal(blocks, markedOps)) {
    std::vector<double> inclusion =
        marked ? getRoutingInclusion(marked, m->nExperts, m->topK)
               : std::vector<double>();
    if (inclusion.empty())
      inclusion.assign(size_t(std::max<int64_t>(m->nExperts, 0)),
                       double(m->topK) / double(m->nExperts));
    else if (!named)
      named = marked;
    layers.push_back(std::move(inclusion));
  }
  if (!named)
    return std::nullopt;
  return describeRoutingSkew(getRoutingName(named), getRoutingZipf(named),
                             std::move(layers), blocks.front()->topK);
}

llvm::DenseSet<Operation *>
mlir::tfperf::routedExpertOps(ArrayRef<const MLPBlock *> blocks) {
  llvm::DenseSet<Operation *> ops;
  for (const MLPBlock *m : blocks)
    ops.insert(m->routedOps.begin(), m->routedOps.end());
  return ops;
}

SmallVector<WeightOp>
mlir::tfperf::routedExpertWeights(ArrayRef<const MLPBlock *> blocks) {
  SmallVector<WeightOp> weights;
  llvm::DenseSet<Operation *> seen;
  for (const MLPBlock *m : blocks)
    for (Operation *op : m->routedOps)
      for (Value v : op->getOperands())
        if (auto w = dyn_cast_or_null<WeightOp>(
                getParameterStorage(v, /*throughSlices=*/true));
            w && seen.insert(w).second)
          weights.push_back(w);
  return weights;
}

SmallVector<AllToAllBuffer>
mlir::tfperf::allToAllBuffers(ArrayRef<const MLPBlock *> blocks,
                              const DtypePolicy &policy) {
  SmallVector<AllToAllBuffer> buffers;
  for (const MLPBlock *m : blocks)
    if (auto d = m->dIn.getInt64())
      buffers.push_back({double(m->topK), double(*d),
                         double(policy.bitsOf(m->down->getResult(0)))});
  return buffers;
}

MoEAllToAlls mlir::tfperf::priceMoEAllToAlls(ArrayRef<AllToAllBuffer> buffers,
                                             double tokens, int64_t ep,
                                             const DeviceSpec &device,
                                             const TimeModel *calibrated) {
  MoEAllToAlls a;
  for (const AllToAllBuffer &buffer : buffers) {
    double bytes = buffer.bytes(tokens);
    if (a.firstBufferBytes == 0)
      a.firstBufferBytes = bytes;
    if (ep <= 1)
      continue;
    CollectiveTimes c =
        priceCollective(Collective::AllToAll, bytes, ep, device, calibrated);
    a.onTier |= c.onTier;
    // Dispatch and combine move the same pairs.
    a.time += 2 * c.time;
    a.roofline += 2 * c.ring;
    a.bytesSent += 2 * allToAllBytesSent(bytes, ep);
    a.count += 2;
  }
  return a;
}

ExpertParallelFigures mlir::tfperf::costExpertParallel(
    const TensorParallelFigures &tp, const TensorParallelPlan &plan,
    const TransformerStructure &s, ArrayRef<int64_t> ep,
    const TransformerFigures &fig, const DtypePolicy &policy,
    const DeviceSpec &device) {
  ExpertParallelFigures out;
  out.device = device.name;
  out.memCapacity = device.memCapacity;
  out.rankedBy = tp.rankedBy;
  SmallVector<const MLPBlock *> blocks = routedExpertBlocks(s);
  if (blocks.empty())
    return out;
  out.hasExperts = true;
  out.experts = blocks.front()->nExperts;
  out.topK = blocks.front()->topK;
  out.moeLayers = (int64_t)blocks.size();

  // The routed experts' ops and weights (each weight once).
  SmallVector<Operation *> routedOps;
  for (const MLPBlock *m : blocks)
    llvm::append_range(routedOps, m->routedOps);
  SmallVector<std::pair<double, int64_t>> weights; // bytes, TP units
  for (WeightOp w : routedExpertWeights(blocks))
    weights.push_back({double(cast<ShapedType>(w.getType()).getNumElements()) *
                           policy.bitsOf(w.getResult()) / 8,
                       plan.getWeightUnits(w.getResult())});

  // A skewed routing loads the devices holding the popular experts most.
  out.routing = routingSkewOf(blocks);

  std::optional<TimeModel> model;
  if (tp.timing.model == TimeModelKind::Calibrated)
    model.emplace(device);
  // Per MoE layer: one all-to-all buffer per step of `tokens` tokens.
  SmallVector<AllToAllBuffer> buffers = allToAllBuffers(blocks, policy);
  auto allToAlls = [&](EPPhaseFigures &p, int64_t e, double loadFactor) {
    // The busiest device receives (and returns) loadFactor x the mean pairs.
    MoEAllToAlls a = priceMoEAllToAlls(buffers, p.tokens * loadFactor, e,
                                       device, model ? &*model : nullptr);
    out.calibratedCollectives |= a.onTier;
    p.allToAllBytes = a.firstBufferBytes;
    p.allToAllTime = a.time;
    p.allToAllRoofline = a.roofline;
    p.allToAllBytesSent = a.bytesSent;
    p.allToAlls = a.count;
  };

  for (int64_t e : ep) {
    std::string why = checkExpertDegree(s, e);
    for (size_t k = 0; k < tp.degrees.size(); ++k) {
      const TPDegree &d = tp.degrees[k];
      EPLayout l;
      l.ep = e;
      l.tp = d.tp;
      double keep = 1.0 / double(e);
      // Under a skewed routing, the busiest device's share of the pairs.
      bool skewed = out.routing && why.empty();
      double pairShare =
          skewed ? out.routing->busiestDeviceShare(e) : keep;
      double pairLoad = skewed ? pairShare * double(e) : 1.0;
      if (!d.feasibility.feasible) {
        l.feasible = false;
        l.reason = "t = " + std::to_string(d.tp) + ": " + d.feasibility.reason;
      } else if (!why.empty()) {
        l.feasible = false;
        l.reason = "ep = " + std::to_string(e) + " " + why;
      } else if (e > 1 && device.linkBandwidth <= 0) {
        l.feasible = false;
        l.reason = "device '" + device.name +
                   "' has no interconnect in the hardware database";
      }
      l.expertsPerDevice = double(out.experts) * keep;
      for (auto [bytes, units] : weights)
        l.routedWeightBytesPerDevice +=
            bytes / double(tpDivisor(units, d.tp)) * keep;
      double routedAtTP = l.routedWeightBytesPerDevice / keep;
      l.weightBytesPerDevice =
          d.weightBytesPerDevice - routedAtTP + l.routedWeightBytesPerDevice;
      l.kvCacheBytesPerDevice = d.kvCacheBytesPerDevice;
      l.fitsMemory =
          l.weightBytesPerDevice + l.kvCacheBytesPerDevice <= device.memCapacity;
      // The routed experts' figures of the busiest device: `share` of
      // them, the rest as at TP degree tp.
      auto phase = [&](const std::optional<TPPhaseFigures> &tpPhase,
                       const TPOpTable &table, const PhaseResult &ph,
                       bool decode) -> std::optional<EPPhaseFigures> {
        if (!tpPhase)
          return std::nullopt;
        EPPhaseFigures p;
        p.tokens = double(ph.batch) * double(decode ? 1 : ph.seq);
        double share = pairShare;
        if (decode && skewed) {
          // A decode step reads the weights of the experts it touches.
          share = out.routing->busiestDeviceShare(e, p.tokens);
          l.touchedExpertsPerDevice =
              share * out.routing->expectedTouchedExperts(p.tokens);
        }
        double drop = 1.0 - share;
        p.busiestShare = share;
        p.loadFactor = skewed ? share * double(e) : 1.0;
        p.routedPairsPerDevice = p.tokens * double(out.topK) * pairShare;
        RoutedShare r = routedShare(table, routedOps, k);
        p.flops = tpPhase->flops - drop * r.flops;
        p.bytes = tpPhase->bytes - drop * r.bytes;
        p.opTime = tpPhase->opTime - drop * r.time;
        p.routedTime = r.time * share;
        p.tpCommTime = tpPhase->commTime;
        allToAlls(p, e, pairLoad);
        return p;
      };
      if (fig.prefill)
        l.prefill = phase(d.prefill, tp.prefillOps, *fig.prefill, false);
      if (fig.decode) {
        l.decode = phase(d.decode, tp.decodeOps, *fig.decode, true);
        if (l.decode && !skewed)
          l.touchedExpertsPerDevice =
              l.expertsPerDevice * touchedExpertShare(double(out.experts),
                                                      double(out.topK),
                                                      l.decode->tokens);
      }
      out.layouts.push_back(std::move(l));
    }
  }

  // Per device count: memory first, then the fastest step.
  std::map<int64_t, size_t> best;
  for (auto [i, l] : llvm::enumerate(out.layouts)) {
    if (!l.feasible || !l.fitsMemory || std::isnan(out.stepTime(l)))
      continue;
    auto [it, inserted] = best.try_emplace(l.devices(), i);
    if (inserted)
      continue;
    const EPLayout &b = out.layouts[it->second];
    double a = out.stepTime(l), t = out.stepTime(b);
    if (a < t * (1 - 1e-9) || (std::fabs(a - t) <= t * 1e-9 && l.ep < b.ep))
      it->second = i;
  }
  out.recommended.assign(best.begin(), best.end());
  return out;
}
