//===- TensorParallelCost.cpp - per-degree cost of a split plan -----------===//
//
// TensorParallelAccumulator re-costs the ops of PhaseAnalysis per device at
// each degree the way the TensorParallelPlan splits them, prices each
// kernel's shard with the report's time model, adds the collectives (the
// calibrated link tiers, or the ring over the device's link), and compares
// with pipeline parallelism. docs/TensorParallel.md gives every formula.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Analysis/TensorParallelCost.h"
#include "tfperf/Analysis/KernelTimes.h"
#include "tfperf/Dialect/TFPerf/IR/ExpertGeometry.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "mlir/IR/BuiltinTypes.h"

#include <cmath>
#include <map>
#include <set>

using namespace mlir;
using namespace mlir::tfperf;

//===----------------------------------------------------------------------===//
// Ring collectives
//===----------------------------------------------------------------------===//

double mlir::tfperf::ringAllReduceBytesSent(double bytes, int64_t t) {
  return t <= 1 ? 0 : 2.0 * double(t - 1) / double(t) * bytes;
}

double mlir::tfperf::ringAllGatherBytesSent(double bytes, int64_t t) {
  return t <= 1 ? 0 : double(t - 1) / double(t) * bytes;
}

double mlir::tfperf::ringAllReduceTime(double bytes, int64_t t, double bw,
                                       double latency) {
  if (t <= 1)
    return 0;
  return ringAllReduceBytesSent(bytes, t) / bw + 2.0 * double(t - 1) * latency;
}

double mlir::tfperf::ringAllGatherTime(double bytes, int64_t t, double bw,
                                       double latency) {
  if (t <= 1)
    return 0;
  return ringAllGatherBytesSent(bytes, t) / bw + double(t - 1) * latency;
}

double mlir::tfperf::allToAllBytesSent(double bytes, int64_t t) {
  // The same volume as an all-gather's: (t - 1) / t of the buffer leaves.
  return ringAllGatherBytesSent(bytes, t);
}

double mlir::tfperf::pairwiseAllToAllTime(double bytes, int64_t t, double bw,
                                          double latency) {
  // t - 1 exchanges of bytes / t: an all-gather's steps and volume.
  return ringAllGatherTime(bytes, t, bw, latency);
}

CollectiveTimes mlir::tfperf::priceCollective(Collective kind, double bytes,
                                              int64_t t,
                                              const DeviceSpec &device,
                                              const TimeModel *calibrated) {
  double bw = device.linkBandwidth, latency = device.linkLatency;
  CollectiveTimes c;
  CollectiveKind tierKind = CollectiveKind::AllGather;
  switch (kind) {
  case Collective::AllReduce:
    c.ring = ringAllReduceTime(bytes, t, bw, latency);
    tierKind = CollectiveKind::AllReduce;
    break;
  case Collective::AllToAll:
    c.ring = pairwiseAllToAllTime(bytes, t, bw, latency);
    tierKind = CollectiveKind::AllToAll;
    break;
  default:
    c.ring = ringAllGatherTime(bytes, t, bw, latency);
    break;
  }
  c.time = c.ring;
  if (calibrated)
    if (auto tier = calibrated->collectiveTime(tierKind, t, bytes)) {
      c.time = *tier;
      c.onTier = true;
    }
  return c;
}

std::optional<TPOpDegree> TPOpTable::sum(ArrayRef<Operation *> members,
                                         size_t k) const {
  std::optional<TPOpDegree> total;
  for (Operation *op : members) {
    const TPOpFigures *f = lookup(op);
    if (!f)
      continue;
    const TPOpDegree &o = f->degrees[k];
    if (!total) {
      total = o;
      continue;
    }
    total->flops += o.flops;
    total->bytes += o.bytes;
    total->time += o.time;
    total->roofline += o.roofline;
    if (!total->collective)
      total->collective = o.collective;
    total->commBytes += o.commBytes;
    total->commTime += o.commTime;
    total->commRoofline += o.commRoofline;
  }
  return total;
}

//===----------------------------------------------------------------------===//
// TensorParallelAccumulator
//===----------------------------------------------------------------------===//

int64_t mlir::tfperf::tpDivisor(int64_t units, int64_t t) {
  return std::max<int64_t>(1, std::min(units, t));
}

int64_t mlir::tfperf::recurrentStateUnits(const RecurrentState &state,
                                          const OpSplit *split) {
  // No more than the split's units: a conv whose channels follow state (KV)
  // heads replicated over the devices is divided as those heads are.
  return split && split->units > 1 ? std::min(state.units, split->units) : 1;
}

namespace {

/// Where a weight lives in a pipeline: its layer, -1 before the layers
/// (embeddings), -2 after (final norm, head).
int placeOf(const TransformerStructure &s, Operation *user) {
  OpTag tag = s.getTag(user);
  if (tag.layer >= 0)
    return tag.layer;
  return tag.block == BlockKind::Embedding ? -1 : -2;
}
} // namespace

TPFeasibility mlir::tfperf::checkDegree(const TensorParallelPlan &plan,
                                        int64_t t, const DeviceSpec &device) {
  TPFeasibility f = plan.check(t);
  if (f.feasible && t > 1 && device.linkBandwidth <= 0) {
    f.feasible = false;
    f.reason = "device '" + device.name +
               "' has no interconnect in the hardware database";
  }
  return f;
}

TensorParallelAccumulator::TensorParallelAccumulator(
    func::FuncOp func, const TransformerStructure &s,
    const TensorParallelPlan &plan, ArrayRef<int64_t> degrees,
    const DtypePolicy &policy, const DeviceSpec &device, Timing timing)
    : structure(s), plan(plan), degrees(degrees.begin(), degrees.end()),
      policy(policy), device(device), timing(timing), model(device) {
  int layers = std::max(s.getNumLayers(), 0);
  prefill.resize(this->degrees.size());
  decode.resize(this->degrees.size());
  for (auto *v : {&prefill, &decode})
    for (TPPhaseFigures &p : *v)
      p.allReducesByLayer.assign(layers, 0);
  if (!func)
    return;
  // Weights: bytes, units and pipeline places (a tied embedding lives in
  // the first and the last stage).
  func.walk([&](WeightOp w) {
    double bytes = double(cast<ShapedType>(w.getType()).getNumElements()) *
                   policy.bitsOf(w.getResult()) / 8;
    int64_t units = plan.getWeightUnits(w.getResult());
    weights.push_back({bytes, units});
    std::set<int> places;
    SmallVector<Value> stack = {w.getResult()};
    while (!stack.empty()) {
      Value v = stack.pop_back_val();
      for (Operation *u : v.getUsers()) {
        if (isParameterView(u))
          stack.push_back(u->getResult(0));
        else
          places.insert(placeOf(s, u));
      }
    }
    weightPlaces.push_back({bytes, std::vector<int>(places.begin(), places.end())});
  });
  // The KV cache, as PhaseAnalysis counts it.
  for (const AttentionBlock &a : s.getAttentions())
    if (auto bytes = kvCacheBytesPerToken(a, policy))
      kvBlocks.push_back({a.layer, *a.kvHeads.getInt64(), *bytes, a.window});
  func.walk([&](Operation *op) {
    if (auto st = recurrentStatePerSequence(op, policy))
      recurrentStates.push_back({s.getTag(op).layer, st->bytes,
                                 recurrentStateUnits(*st, plan.lookup(op))});
  });
  for (const MLPBlock &m : s.getMLPs())
    if (m.down) {
      streamBits = policy.bitsOf(m.down->getResult(0));
      break;
    }
  if (s.getMLPs().empty())
    for (const AttentionBlock &a : s.getAttentions())
      if (!a.outProj.empty()) {
        streamBits = policy.bitsOf(a.outProj.front()->getResult(0));
        break;
      }
  // What the plan splits, and how.
  for (Operation *op : plan.getOps()) {
    const OpSplit *sp = plan.lookup(op);
    if (!sp || op->hasTrait<OpTrait::IsTerminator>())
      continue;
    SplitSummary &sum = splits[(unsigned)sp->kind];
    ++sum.ops;
    if (sp->weightOperand >= 0 &&
        (sp->kind == SplitKind::Column || sp->kind == SplitKind::Row ||
         sp->kind == SplitKind::Vocab) &&
        sum.examples.size() < 4) {
      std::string n = getNodeName(op);
      if (!n.empty() && !llvm::is_contained(sum.examples, n))
        sum.examples.push_back(n);
    }
    if (sp->kind == SplitKind::Heads && sum.examples.size() < 2 &&
        (isFusedAttention(op) || isa<SoftmaxOp>(op)))
      sum.examples.push_back(getNodeName(op));
  }
}

void TensorParallelAccumulator::visit(llvm::StringRef phase,
                                      const OpCostRecord &rec,
                                      const OpFigures &f) {
  bool isPrefill = phase == "prefill";
  auto &figs = isPrefill ? prefill : decode;
  (isPrefill ? sawPrefill : sawDecode) = true;
  if (rec.op->hasTrait<OpTrait::ConstantLike>())
    return;
  const OpSplit *sp = plan.lookup(rec.op);
  // Not in the plan: replicated (read/writeUnits give 1 to every access).
  static const OpSplit replicated;
  if (!sp)
    sp = &replicated;
  OpTag tag = structure.getTag(rec.op);
  if (isPrefill) {
    SplitSummary &sum = splits[(unsigned)sp->kind];
    if (f.problem.empty())
      sum.prefillFlops += f.flops;
  }
  // Bytes of each access and the units it is read or written in.
  struct Access {
    double bytes;
    int64_t units;
  };
  SmallVector<Access, 8> accesses;
  bool known = f.problem.empty();
  auto add = [&](const TensorAccess &a, int64_t units) {
    if (!a.elements.isConstant()) {
      known = false;
      return;
    }
    accesses.push_back({int128ToDouble(a.elements.getConstant()) *
                            policy.bitsOf(a.value) / 8.0,
                        units});
  };
  for (const TensorAccess &a : rec.cost.reads)
    add(a, sp->readUnits(rec.op, a.value));
  for (const TensorAccess &a : rec.cost.writes)
    add(a, sp->writeUnits(rec.op, a.value));
  // Collective payloads: the result's bytes.
  SmallVector<std::pair<Collective, double>, 1> collectives;
  for (auto [res, kind] : sp->collectives) {
    double bytes = 0;
    for (const TensorAccess &a : rec.cost.writes)
      if (a.value == rec.op->getResult(res) && a.elements.isConstant())
        bytes = int128ToDouble(a.elements.getConstant()) *
                policy.bitsOf(a.value) / 8.0;
    collectives.push_back({kind, bytes});
  }
  TPOpFigures opFigs;
  opFigs.op = rec.op;
  opFigs.degrees.resize(degrees.size());
  for (size_t k = 0; k < degrees.size(); ++k) {
    int64_t t = degrees[k];
    TPPhaseFigures &p = figs[k];
    TPOpDegree &o = opFigs.degrees[k];
    for (auto [kind, bytes] : collectives) {
      if (t <= 1)
        continue;
      CollectiveTimes c = priceCollective(
          kind, bytes, t, device,
          timing.model == TimeModelKind::Calibrated ? &model : nullptr);
      calibratedCollectives |= c.onTier;
      if (!o.collective)
        o.collective = kind;
      o.commBytes += bytes;
      o.commTime += c.time;
      o.commRoofline += c.ring;
      p.commBytes += bytes;
      p.commTime += c.time;
      p.commRoofline += c.ring;
      if (kind == Collective::AllReduce) {
        ++p.allReduces;
        p.commBytesSent += ringAllReduceBytesSent(bytes, t);
        if (tag.layer >= 0 && tag.layer < (int)p.allReducesByLayer.size())
          ++p.allReducesByLayer[tag.layer];
      } else {
        ++p.allGathers;
        p.commBytesSent += ringAllGatherBytesSent(bytes, t);
      }
    }
    if (!known) {
      ++p.unknownOps;
      continue;
    }
    int64_t div = tpDivisor(sp->units, t);
    double bytes = 0;
    for (const Access &a : accesses)
      bytes += a.bytes / double(tpDivisor(a.units, t));
    o.flops = f.flops / double(div);
    o.bytes = bytes;
    o.roofline =
        std::max(f.computeTime / double(div), bytes / device.memBandwidth);
    // The kernels' prices replace it (visitKernels) under another timing.
    o.time = o.roofline;
    p.unshardedFlops += f.flops;
    p.flops += o.flops;
    p.gemmFlops += f.gemmFlops / double(div);
    p.bytes += bytes;
    p.opTime += o.time;
    p.opRoofline += o.roofline;
    if (t > 1 && div == 1) {
      p.replicatedFlops += f.flops;
      p.replicatedByBlock[(unsigned)tag.block] += f.flops;
    }
    p.duplicatedFlops += f.flops * (double(t) / double(div) - 1.0);
  }
  (isPrefill ? prefillOps : decodeOps).add(std::move(opFigs));
}

void TensorParallelAccumulator::visitKernels(llvm::StringRef phase,
                                             const CostAnalysis &costs,
                                             const KernelAnalysis &kernels) {
  if (timing.isPerOpRoofline())
    return;
  bool isPrefill = phase == "prefill";
  auto &figs = isPrefill ? prefill : decode;
  TPOpTable &table = isPrefill ? prefillOps : decodeOps;
  // Ops in no kernel (views, shape computations) run none.
  for (const TPOpFigures &o : table.getOps())
    if (!kernels.lookup(o.op))
      for (TPOpDegree &d : table.lookup(o.op)->degrees)
        if (!std::isnan(d.time))
          d.time = 0;
  for (const Kernel &kernel : kernels.getKernels()) {
    SmallVector<TPOpFigures *, 4> members;
    for (Operation *op : kernel.ops)
      if (TPOpFigures *o = table.lookup(op))
        members.push_back(o);
    if (members.empty())
      continue;
    for (size_t k = 0; k < degrees.size(); ++k) {
      auto work = kernelWorkAt(kernel, costs, policy, &plan, degrees[k]);
      if (!work || llvm::any_of(members, [&](TPOpFigures *o) {
            return std::isnan(o->degrees[k].roofline);
          }))
        continue; // the members keep their roofline times
      KernelTime price = model.price(*work);
      double seconds = timing.model == TimeModelKind::Calibrated
                           ? price.seconds
                           : price.roofline;
      double roofline = 0;
      for (TPOpFigures *o : members)
        roofline += o->degrees[k].roofline;
      for (TPOpFigures *o : members) {
        TPOpDegree &d = o->degrees[k];
        d.time = roofline > 0 ? seconds * d.roofline / roofline
                              : seconds / double(members.size());
      }
    }
  }
  for (size_t k = 0; k < degrees.size(); ++k) {
    double time = 0;
    for (const TPOpFigures &o : table.getOps())
      if (!std::isnan(o.degrees[k].time))
        time += o.degrees[k].time;
    figs[k].opTime = time;
  }
}

TensorParallelFigures
TensorParallelAccumulator::finish(const TransformerFigures &fig,
                                  int64_t microbatches) const {
  TensorParallelFigures out;
  out.device = device.name;
  out.timing = timing;
  out.calibratedCollectives = calibratedCollectives;
  out.linkName = device.linkName;
  out.linkBandwidth = device.linkBandwidth;
  out.linkLatency = device.linkLatency;
  out.memCapacity = device.memCapacity;
  out.splits = splits;
  if (sawPrefill && fig.prefill)
    out.prefillOps = prefillOps;
  if (sawDecode && fig.decode)
    out.decodeOps = decodeOps;
  for (Operation *op : plan.getOps()) {
    const OpSplit *sp = plan.lookup(op);
    if (!sp)
      continue;
    for (auto [res, kind] : sp->collectives) {
      (void)res;
      bool vocab = sp->group >= 0 &&
                   plan.getGroups()[sp->group].kind == UnitKind::Vocab;
      if (kind == Collective::AllReduce && vocab)
        ++out.embeddingAllReduces;
      else if (kind == Collective::AllGather && vocab)
        ++out.logitsAllGathers;
      else if (kind == Collective::AllGather)
        ++out.otherAllGathers;
    }
    if (!sp->gatherReason.empty()) {
      std::string r = getNodeName(op) + ": " + sp->gatherReason;
      if (out.gatherReasons.size() < 8)
        out.gatherReasons.push_back(r);
    }
    if (sp->kind != SplitKind::Column && sp->kind != SplitKind::Row &&
        sp->kind != SplitKind::Vocab)
      continue;
    // The split weight; a fused MoE splits all its experts' (fc1, fc2, fc3).
    for (OpOperand &o : op->getOpOperands()) {
      unsigned i = o.getOperandNumber();
      if ((int)i != sp->weightOperand &&
          !(isFusedMoE(op) && sp->readUnits(op, o.get()) > 1))
        continue;
      Value w = o.get();
      while (w.getDefiningOp() && isParameterView(w.getDefiningOp()))
        w = w.getDefiningOp()->getOperand(0);
      if (auto wo = w.getDefiningOp<WeightOp>())
        out.splits[(unsigned)sp->kind].weightBytes +=
            double(cast<ShapedType>(wo.getType()).getNumElements()) *
            policy.bitsOf(wo.getResult()) / 8;
    }
  }

  // Batch and KV length of the step the memory must hold.
  int64_t B = 1, L = 1;
  if (fig.decode) {
    B = fig.decode->batch;
    L = fig.decode->kvLen;
  } else if (fig.prefill) {
    B = fig.prefill->batch;
    L = fig.prefill->seq;
  }
  double kvFull = 0;
  for (const KVBlock &b : kvBlocks)
    kvFull += b.bytesPerToken;
  bool rankDecode = sawDecode && fig.decode && fig.decode->applicable;
  out.rankedBy = rankDecode ? "decode" : "prefill";
  for (size_t k = 0; k < degrees.size(); ++k) {
    int64_t t = degrees[k];
    TPDegree d;
    d.tp = t;
    d.feasibility = checkDegree(plan, t, device);
    for (auto &[bytes, units] : weights)
      d.weightBytesPerDevice += bytes / double(tpDivisor(units, t));
    // Each layer holds its own keys at L: a sliding window caps only the
    // layers that have one (as the phase analysis sizes the cache).
    double kvBytesAtL = 0;
    for (const KVBlock &b : kvBlocks) {
      double perDevice = b.bytesPerToken / double(tpDivisor(b.kvHeads, t));
      d.kvBytesPerTokenPerDevice += perDevice;
      kvBytesAtL += perDevice * double(cachedKeysAt(b.window, L));
    }
    d.kvExtraBytesPerToken = d.kvBytesPerTokenPerDevice - kvFull / double(t);
    if (d.kvExtraBytesPerToken < 1e-9)
      d.kvExtraBytesPerToken = 0;
    d.kvCacheBytesPerDevice = kvBytesAtL * double(B);
    // A split op holds its share of the state heads or channels (a whole
    // head on each of its replicas when there are fewer heads than devices).
    for (const StateBlock &b : recurrentStates)
      d.stateBytesPerDevice +=
          double(B) * b.bytes / double(tpDivisor(b.units, t));
    double stateAndWeights = d.weightBytesPerDevice + d.stateBytesPerDevice;
    if (d.kvBytesPerTokenPerDevice > 0)
      d.kvCapacityTokens =
          std::max(0.0, (device.memCapacity - stateAndWeights) /
                            d.kvBytesPerTokenPerDevice);
    d.fitsMemory =
        stateAndWeights + d.kvCacheBytesPerDevice <= device.memCapacity;
    if (sawPrefill && fig.prefill)
      d.prefill = prefill[k];
    if (sawDecode && fig.decode)
      d.decode = decode[k];
    // All-reduces per layer: the most common count over the layers.
    const TPPhaseFigures *p = d.commPhase();
    if (p && t > 1) {
      std::map<unsigned, unsigned> freq;
      for (unsigned c : p->allReducesByLayer)
        ++freq[c];
      unsigned best = 0;
      for (auto &[c, n] : freq)
        if (n > best) {
          best = n;
          d.allReducePerLayer = c;
        }
    }
    out.degrees.push_back(std::move(d));
  }

  // The recommendation: among feasible degrees that fit, the fastest step;
  // the smallest that fits is named too.
  const TPDegree *best = nullptr;
  for (const TPDegree &d : out.degrees) {
    if (!d.feasibility.feasible || !d.fitsMemory || std::isnan(out.stepTime(d)))
      continue;
    if (!out.smallestFitting || d.tp < *out.smallestFitting)
      out.smallestFitting = d.tp;
    if (!best) {
      best = &d;
      continue;
    }
    double a = out.stepTime(d), b = out.stepTime(*best);
    if (a < b * (1 - 1e-9) || (std::fabs(a - b) <= b * 1e-9 && d.tp < best->tp))
      best = &d;
  }
  if (best)
    out.recommended = best->tp;

  // Pipeline parallelism: p stages of whole layers.
  int layers = std::max(structure.getNumLayers(), 0);
  auto phaseTimes = [&](const std::optional<PhaseResult> &ph) {
    // Per layer, plus what runs before (embedding) and after the layers.
    std::vector<double> perLayer(layers, 0);
    double pre = 0, post = 0;
    if (!ph)
      return std::make_tuple(perLayer, pre, post);
    double inLayers = 0;
    for (int l = 0; l < layers && l < (int)ph->byLayer.size(); ++l) {
      perLayer[l] = ph->byLayer[l].time;
      inLayers += perLayer[l];
    }
    pre = ph->byBlock[(unsigned)BlockKind::Embedding].time;
    post = std::max(0.0, ph->totals.time - inLayers - pre);
    return std::make_tuple(perLayer, pre, post);
  };
  auto [prefLayers, prefPre, prefPost] = phaseTimes(fig.prefill);
  auto [decLayers, decPre, decPost] = phaseTimes(fig.decode);
  int64_t m = microbatches > 0 ? microbatches : std::max<int64_t>(B, 1);
  out.microbatches = m;
  double bytesPerElem = streamBits / 8.0;
  double dModel = fig.dims.dModel ? double(*fig.dims.dModel) : 0;
  double actPrefill =
      fig.prefill ? double(fig.prefill->batch) * double(fig.prefill->seq) *
                        dModel * bytesPerElem
                  : 0;
  double actDecode =
      fig.decode ? double(fig.decode->batch) * dModel * bytesPerElem : 0;
  for (int64_t p : degrees) {
    PPDegree d;
    d.pp = p;
    if (layers == 0) {
      d.feasible = false;
      d.reason = "no layers recognised";
    } else if (p > layers) {
      d.feasible = false;
      d.reason = "only " + std::to_string(layers) + " layers";
    } else if (p > 1 && device.linkBandwidth <= 0) {
      d.feasible = false;
      d.reason = "no interconnect in the hardware database";
    }
    if (!d.feasible) {
      out.pipeline.push_back(std::move(d));
      continue;
    }
    std::optional<double> capacity;
    double prefMax = 0, decMax = 0, decSum = 0;
    for (int64_t st = 0; st < p; ++st) {
      int lo = (int)(st * layers / p), hi = (int)((st + 1) * layers / p);
      d.layersPerStage.push_back(hi - lo);
      double w = 0, kv = 0, tp = 0, td = 0;
      for (int l = lo; l < hi; ++l) {
        tp += prefLayers[l];
        td += decLayers[l];
      }
      // A weight used in several places (a tied embedding) is held once
      // per stage that uses it.
      for (auto &[bytes, places] : weightPlaces)
        if (llvm::any_of(places, [&](int pl) {
              return (pl >= lo && pl < hi) || (pl == -1 && st == 0) ||
                     (pl == -2 && st == p - 1);
            }))
          w += bytes;
      for (const KVBlock &b : kvBlocks)
        if (b.layer >= lo && b.layer < hi)
          kv += b.bytesPerToken;
      // The stage's recurrent states, for the batch, before its KV cache.
      double state = 0;
      for (const StateBlock &b : recurrentStates)
        if (b.layer >= lo && b.layer < hi)
          state += double(B) * b.bytes;
      if (st == 0) {
        tp += prefPre;
        td += decPre;
      }
      if (st == p - 1) {
        tp += prefPost;
        td += decPost;
      }
      d.weightBytesPerDevice = std::max(d.weightBytesPerDevice, w);
      if (kv > 0) {
        double c = std::max(0.0, (device.memCapacity - w - state) / kv);
        capacity = capacity ? std::min(*capacity, c) : c;
      }
      prefMax = std::max(prefMax, tp);
      decMax = std::max(decMax, td);
      decSum += td;
    }
    d.kvCapacityTokens = capacity;
    d.boundaryBytesPrefill = actPrefill;
    d.boundaryBytesDecode = actDecode;
    d.commBytesPerStep = double(p - 1) * (fig.prefill ? actPrefill : actDecode);
    d.bubble = double(p - 1) / double(m);
    auto hop = [&](double bytes) {
      return p > 1 ? bytes / device.linkBandwidth + device.linkLatency : 0.0;
    };
    if (fig.prefill) {
      // GPipe: m micro-batches through p stages, each stage taking 1/m of
      // its full-batch time per micro-batch plus the hop to the next.
      double tau = prefMax / double(m) + hop(actPrefill / double(m));
      d.prefillTime = double(m + p - 1) * tau;
    }
    if (fig.decode) {
      d.decodeLatency = decSum + double(p - 1) * hop(actDecode);
      double perStage = decMax + hop(actDecode);
      if (perStage > 0)
        d.decodeThroughputGain = (decSum) / perStage;
    }
    out.pipeline.push_back(std::move(d));
  }
  return out;
}
