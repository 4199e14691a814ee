//===- TensorParallelReport.cpp - the tensor-parallel section -------------===//
//
// Per device: the degrees side by side (memory, collectives, prefill and
// decode time), the recommendation and why, what the plan splits, and the
// pipeline-parallel comparison. JSON names follow docs/report-schema.md.
//
//===----------------------------------------------------------------------===//

#include "SummaryTables.h"
#include "Quoting.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tfperf;

namespace {
std::string num(double v, int digits = 1) { return fixedOrDash(v, digits); }

std::string tokens(std::optional<double> t) {
  if (!t)
    return "-";
  if (*t >= 1e6)
    return num(*t / 1e6, 2) + "M tokens";
  if (*t >= 1e4)
    return num(*t / 1e3, 1) + "k tokens";
  return num(*t, 0) + " tokens";
}

std::string linkLine(const TensorParallelFigures &f) {
  if (f.linkBandwidth <= 0)
    return "no interconnect in the hardware database";
  return (f.linkName.empty() ? std::string("link") : f.linkName) + " " +
         formatRate(f.linkBandwidth, "B/s") + " per direction, " +
         formatTime(f.linkLatency) + " per ring step";
}

const TPDegree *degree(const TensorParallelFigures &f, int64_t t) {
  for (const TPDegree &d : f.degrees)
    if (d.tp == t)
      return &d;
  return nullptr;
}

/// The degrees of `f` side by side, a row each, labels in the name
/// columns: the row starts with the degree; a rejected degree's says so,
/// and `fill` adds the figures of the others.
SummaryTable perDegreeTable(
    std::string id, std::string title, std::vector<std::string> header,
    size_t firstNumeric, const TensorParallelFigures &f,
    llvm::function_ref<void(const TPDegree &, std::vector<std::string> &)>
        fill) {
  SummaryTable tab;
  tab.id = std::move(id);
  tab.namesAreCode = false;
  tab.title = std::move(title);
  tab.header = std::move(header);
  tab.firstNumeric = firstNumeric;
  for (const TPDegree &d : f.degrees) {
    std::vector<std::string> row = {std::to_string(d.tp)};
    if (d.feasibility.feasible) {
      fill(d, row);
    } else {
      row.push_back("rejected");
      row.resize(tab.header.size(), "");
    }
    tab.rows.push_back(std::move(row));
  }
  return tab;
}

/// The degrees side by side on one device: memory and collectives.
SummaryTable memoryTable(const TensorParallelFigures &f) {
  auto fill = [&](const TPDegree &d, std::vector<std::string> &row) {
    std::string status = d.fitsMemory ? "ok" : "does not fit";
    if (d.feasibility.kvReplicas > 1)
      status += ", KV x" + std::to_string(d.feasibility.kvReplicas);
    if (d.feasibility.stateReplicas > 1)
      status += ", state x" + std::to_string(d.feasibility.stateReplicas);
    if (f.recommended && *f.recommended == d.tp)
      status += " (recommended)";
    row.push_back(status);
    row.push_back(formatBytes(d.weightBytesPerDevice));
    bool kv = d.kvBytesPerTokenPerDevice > 0;
    row.push_back(kv ? formatBytes(d.kvBytesPerTokenPerDevice) : "-");
    row.push_back(kv ? formatBytes(d.kvCacheBytesPerDevice) : "-");
    row.push_back(tokens(d.kvCapacityTokens));
    const TPPhaseFigures *c = d.commPhase();
    row.push_back(d.tp > 1 && c ? std::to_string(d.allReducePerLayer) +
                                      "/layer, " +
                                      std::to_string(c->allReduces) + "/step"
                                : "-");
    auto comm = [&](const std::optional<TPPhaseFigures> &p) -> std::string {
      if (!p || d.tp == 1)
        return "-";
      return formatBytes(p->commBytes) + " in " + formatTime(p->commTime);
    };
    row.push_back(comm(d.prefill));
    row.push_back(comm(d.decode));
  };
  SummaryTable tab = perDegreeTable(
      "tensor-parallel",
      "Tensor parallel: memory and collectives per device (" + f.device + "; " +
          linkLine(f) + ")",
      {"tp", "status", "weights", "KV/token", "KV cache", "KV capacity",
       "all-reduces", "prefill comm", "decode comm"},
      /*firstNumeric=*/2, f, fill);
  // Why degrees are rejected, and what they cost in KV memory.
  for (const TPDegree &d : f.degrees) {
    if (!d.feasibility.feasible)
      tab.notes.push_back("t = " + std::to_string(d.tp) +
                          " rejected: " + d.feasibility.reason);
    for (const std::string &n : d.feasibility.notes) {
      std::string line = "t = " + std::to_string(d.tp) + ": " + n;
      if (d.feasibility.feasible && d.kvExtraBytesPerToken > 0)
        line += " (+" + formatBytes(d.kvExtraBytesPerToken) +
                " of KV cache per token per device over an even split)";
      tab.notes.push_back(line);
    }
  }
  // Linear attention and causal convolutions: a state per sequence, split
  // with their heads and channels, held before the KV cache.
  std::string state;
  for (const TPDegree &d : f.degrees)
    if (d.feasibility.feasible && d.stateBytesPerDevice > 0)
      state += (state.empty() ? "" : ", ") + std::string("t = ") +
               std::to_string(d.tp) + " " + formatBytes(d.stateBytesPerDevice);
  if (!state.empty())
    tab.notes.push_back(
        "recurrent state per device at the analysed batch (linear attention, "
        "causal convolutions; counted in the memory and the KV capacity, not "
        "in the KV columns): " +
        state);
  return tab;
}

/// The degrees side by side on one device: work and time per device, the
/// recommendation and how the figures are made.
SummaryTable degreeTable(const TensorParallelFigures &f) {
  const TPDegree *base = degree(f, 1);
  auto fill = [&](const TPDegree &d, std::vector<std::string> &row) {
    for (const auto *p : {&d.prefill, &d.decode}) {
      if (!*p) {
        row.insert(row.end(), {"-", "-", "-"});
        continue;
      }
      row.push_back(formatFlops((*p)->flops));
      row.push_back(formatBytes((*p)->bytes));
      row.push_back(formatTime((*p)->time()) +
                    ((*p)->commTime > 0
                         ? " (" + formatTime((*p)->commTime) + " comm)"
                         : ""));
    }
    if (base && base->decode && d.decode && d.decode->time() > 0)
      row.push_back(num(base->decode->time() / d.decode->time(), 2) + "x");
    else
      row.push_back("-");
  };
  SummaryTable tab = perDegreeTable(
      "tensor-parallel-time",
      "Tensor parallel: work and time per device (" + f.device + ")",
      {"tp", "prefill FLOPs", "prefill bytes", "prefill time", "decode FLOPs",
       "decode bytes", "decode time", "decode speedup"},
      /*firstNumeric=*/1, f, fill);
  if (f.rankedBy == "prefill" &&
      llvm::any_of(f.degrees, [](const TPDegree &d) { return d.decode; }))
    tab.notes.push_back("decode figures are hypothetical: the model does not "
                        "decode (not causal), so degrees are ranked by prefill");
  tab.notes.push_back("recommended: " + describeRecommendation(f));
  // The collectives, once.
  const TPDegree *any = nullptr;
  for (const TPDegree &d : f.degrees)
    if (d.tp > 1 && d.feasibility.feasible && d.commPhase())
      any = &d;
  if (any) {
    const TPPhaseFigures &c = *any->commPhase();
    unsigned inLayers = 0;
    for (unsigned n : c.allReducesByLayer)
      inLayers += n;
    std::string line =
        inLayers ? "collectives per step at t > 1: an all-reduce after each "
                   "row-parallel linear (" +
                       std::to_string(any->allReducePerLayer) + " per layer, " +
                       std::to_string(inLayers) + " in the layers)"
                 : std::string("collectives per step at t > 1: no row-parallel "
                               "linear");
    if (f.embeddingAllReduces)
      line += ", " + std::to_string(f.embeddingAllReduces) +
              " after the vocab-parallel embedding";
    if (f.logitsAllGathers)
      line += ", an all-gather of the vocab-parallel logits";
    if (f.otherAllGathers)
      line += ", " + std::to_string(f.otherAllGathers) +
              " other all-gathers (see the splits)";
    line += "; each all-reduce is batch x tokens x d_model x dtype; ";
    line += f.calibratedCollectives
                ? "time a0 + 2(t-1) x a + 2(t-1)/t x size / bus bandwidth on "
                  "the device's calibrated link tier (docs/TimeModel.md#"
                  "collectives; bound: the ring on the link)"
                : "ring time 2(t-1)/t x size / link bandwidth + 2(t-1) x "
                  "latency";
    tab.notes.push_back(line);
    // The FLOPs check at the largest feasible degree.
    const TPDegree *top = nullptr;
    for (const TPDegree &d : f.degrees)
      if (d.tp > 1 && d.feasibility.feasible && d.prefill)
        top = &d;
    if (top) {
      const TPPhaseFigures &p = *top->prefill;
      std::string t = std::to_string(top->tp);
      std::string check = "prefill FLOPs at t = " + t + ": " +
                          formatFlops(p.flops) + " per device x " + t + " = " +
                          formatFlops(p.flops * double(top->tp)) + " = " +
                          formatFlops(p.unshardedFlops) + " unsharded + " +
                          formatFlops(p.duplicatedFlops) +
                          " of work done more than once";
      std::string parts;
      for (unsigned k = 0; k < kNumBlockKinds; ++k)
        if (p.replicatedByBlock[k] > 0)
          parts += (parts.empty() ? "" : ", ") +
                   stringifyBlockKind((BlockKind)k).str() + " " +
                   formatFlops(p.replicatedByBlock[k]);
      if (p.replicatedFlops > 0)
        check += " (replicated ops: " + formatFlops(p.replicatedFlops) +
                 " each on every device: " + parts + ")";
      double kvDup = p.duplicatedFlops -
                     p.replicatedFlops * double(top->tp - 1);
      if (kvDup > 1)
        check += "; replicated KV heads: " + formatFlops(kvDup);
      tab.notes.push_back(check);
    }
  }
  const char *memory = "memory: weights + KV cache at the analysed batch "
                       "and length, activations not counted";
  if (f.timing.isPerOpRoofline()) {
    tab.notes.push_back(
        "time per device: its ops' roofline times (weights and split "
        "activations divided, replicated ones whole) plus the collectives, "
        "not overlapped; " + std::string(memory));
    return tab;
  }
  std::string bounds;
  for (const TPDegree &d : f.degrees) {
    if (!d.feasibility.feasible)
      continue;
    bounds += (bounds.empty() ? "t = " : "; t = ") + std::to_string(d.tp);
    for (const auto *p : {&d.prefill, &d.decode})
      if (*p)
        bounds += std::string(p == &d.prefill ? " prefill " : " decode ") +
                  formatTime((*p)->rooflineTime());
  }
  tab.notes.push_back(
      "time per device: the " + kernelViewName(f.timing.view).str() +
      " kernels priced by the " + timeModelName(f.timing.model).str() +
      " time model on their shard (FLOPs and bytes per device, a GEMM's N "
      "or K divided by the degree, replicated ops whole), each kernel's time "
      "shared by its ops, plus the collectives, not overlapped; " + memory);
  if (!bounds.empty())
    tab.notes.push_back("roofline per device (ops at 100% of the datasheet, "
                        "collectives by the ring on the link; the bound): " +
                        bounds);
  return tab;
}

/// What the plan splits (device independent).
SummaryTable splitTable(const TensorParallelFigures &f) {
  SummaryTable tab;
  tab.id = "tp-splits";
  tab.namesAreCode = false;
  tab.title = "Tensor-parallel splits (tfperf.tp)";
  tab.header = {"split", "ops", "weights", "prefill FLOPs", "examples"};
  double total = 0;
  for (const SplitSummary &s : f.splits)
    total += s.prefillFlops;
  static const char *what[] = {
      "every device runs it whole",
      "weight split by output columns, no collective",
      "weight split by the contracted dim, all-reduce after",
      "attention split by heads",
      "split by vocabulary (embedding rows, lm-head columns)",
      "runs on its slice of a split activation"};
  for (unsigned k = 0; k < kNumSplitKinds; ++k) {
    const SplitSummary &s = f.splits[k];
    if (!s.ops)
      continue;
    std::string ex;
    for (const std::string &e : s.examples)
      ex += (ex.empty() ? "" : ", ") + e;
    tab.rows.push_back(
        {stringifySplitKind((SplitKind)k).str(), std::to_string(s.ops),
         s.weightBytes > 0 ? formatBytes(s.weightBytes) : "-",
         formatFlops(s.prefillFlops) +
             (total > 0 ? " (" + num(100 * s.prefillFlops / total) + "%)" : ""),
         ex});
    tab.notes.push_back(stringifySplitKind((SplitKind)k).str() + ": " + what[k]);
  }
  for (const std::string &g : f.gatherReasons)
    tab.notes.push_back("all-gather before " + g);
  return tab;
}

/// Pipeline parallelism on one device kind, with the TP vs PP argument.
SummaryTable pipelineTable(const TensorParallelFigures &f) {
  SummaryTable tab;
  tab.id = "pipeline-parallel";
  tab.namesAreCode = false;
  tab.title = "Pipeline parallel for comparison (" + f.device + ", " +
              std::to_string(f.microbatches) + " micro-batch" +
              (f.microbatches == 1 ? "" : "es") + ")";
  tab.header = {"pp",          "layers/stage", "weights/device",
                "KV capacity", "boundary",     "comm/step",
                "bubble",      "prefill",      "decode latency",
                "decode throughput"};
  tab.firstNumeric = 2;
  for (const PPDegree &p : f.pipeline) {
    std::vector<std::string> row = {std::to_string(p.pp)};
    if (!p.feasible) {
      row.push_back("rejected");
      row.resize(tab.header.size(), "");
      tab.rows.push_back(row);
      tab.notes.push_back("p = " + std::to_string(p.pp) +
                          " rejected: " + p.reason);
      continue;
    }
    std::string layers;
    int64_t lo = *std::min_element(p.layersPerStage.begin(),
                                   p.layersPerStage.end());
    int64_t hi = *std::max_element(p.layersPerStage.begin(),
                                   p.layersPerStage.end());
    layers = lo == hi ? std::to_string(lo)
                      : std::to_string(lo) + "-" + std::to_string(hi);
    row.push_back(layers);
    row.push_back(formatBytes(p.weightBytesPerDevice));
    row.push_back(tokens(p.kvCapacityTokens));
    row.push_back(p.pp > 1 ? (p.prefillTime ? formatBytes(p.boundaryBytesPrefill)
                                             : std::string("-")) +
                                 " / " +
                                 (p.decodeLatency
                                      ? formatBytes(p.boundaryBytesDecode)
                                      : std::string("-"))
                           : "-");
    row.push_back(p.pp > 1 ? formatBytes(p.commBytesPerStep) : "-");
    row.push_back(p.pp > 1 ? num(p.bubble, 2) : "-");
    row.push_back(p.prefillTime ? formatTime(*p.prefillTime) : "-");
    row.push_back(p.decodeLatency ? formatTime(*p.decodeLatency) : "-");
    row.push_back(p.decodeThroughputGain
                      ? num(*p.decodeThroughputGain, 2) + "x"
                      : "-");
    tab.rows.push_back(std::move(row));
  }
  // TP vs PP at each degree both allow.
  for (const PPDegree &p : f.pipeline) {
    const TPDegree *t = degree(f, p.pp);
    if (p.pp < 2 || !p.feasible || !t || !t->feasibility.feasible)
      continue;
    const TPPhaseFigures *c = t->commPhase();
    std::string line = "at " + std::to_string(p.pp) + " devices: TP moves " +
                       (c ? formatBytes(c->commBytes) : std::string("?")) +
                       " of collectives per " +
                       (t->prefill ? "prefill" : "decode") + " step";
    if (c && p.commBytesPerStep > 0)
      line += ", PP " + formatBytes(p.commBytesPerStep) + " across " +
              std::to_string(p.pp - 1) + " stage boundaries (" +
              num(c->commBytes / p.commBytesPerStep, 1) + "x less)";
    const TPDegree *one = degree(f, 1);
    if (t->decode && p.decodeLatency) {
      line += "; a decode step takes " + formatTime(t->decode->time()) +
              " with TP, " + formatTime(*p.decodeLatency) + " with PP";
      if (one && one->decode)
        line += " (one device: " + formatTime(one->decode->time()) + ")";
      if (p.decodeThroughputGain)
        line += "; PP decode throughput x" + num(*p.decodeThroughputGain, 2) +
                " with " + std::to_string(p.pp) + " batches in flight";
    }
    tab.notes.push_back(line);
  }
  tab.notes.push_back(
      "stages of whole consecutive layers (embedding on the first, head on "
      "the last); prefill with m micro-batches takes (m + p - 1) x (slowest "
      "stage / m + one hop); the bubble is (p - 1) / m; activations of "
      "batch x tokens x d_model x dtype cross each boundary");
  return tab;
}
} // namespace

std::string mlir::tfperf::describeRecommendation(const TensorParallelFigures &f) {
  if (!f.recommended) {
    const TPDegree *largest = nullptr;
    for (const TPDegree &d : f.degrees)
      if (d.feasibility.feasible && (!largest || d.tp > largest->tp))
        largest = &d;
    if (!largest)
      return "none: no degree is feasible";
    return "none: no feasible degree fits in memory (at t = " +
           std::to_string(largest->tp) + " a device needs " +
           formatBytes(largest->weightBytesPerDevice) + " of weights + " +
           formatBytes(largest->kvCacheBytesPerDevice) + " of KV cache, of " +
           formatBytes(f.memCapacity) + ")";
  }
  const TPDegree &r = *degree(f, *f.recommended);
  std::string why = "t = " + std::to_string(r.tp) + ", the fastest " +
                    f.rankedBy + " step of the degrees that fit in memory (" +
                    formatTime(f.stepTime(r));
  std::string others;
  for (const TPDegree &d : f.degrees)
    if (d.tp != r.tp && d.feasibility.feasible && d.fitsMemory &&
        !std::isnan(f.stepTime(d)))
      others += (others.empty() ? "" : ", ") + std::string("t = ") +
                std::to_string(d.tp) + ": " + formatTime(f.stepTime(d));
  why += others.empty() ? ")" : "; " + others + ")";
  const TPDegree &s = *degree(f, *f.smallestFitting);
  std::string mem = formatBytes(s.weightBytesPerDevice) + " of weights";
  if (s.kvCacheBytesPerDevice > 0)
    mem += " + " + formatBytes(s.kvCacheBytesPerDevice) + " of KV cache";
  if (s.stateBytesPerDevice > 0)
    mem += " + " + formatBytes(s.stateBytesPerDevice) + " of recurrent state";
  mem += " per device, of " + formatBytes(f.memCapacity);
  if (s.tp == r.tp)
    why += "; it is also the smallest degree that fits (" + mem + ")";
  else
    why += "; the smallest degree that fits is t = " + std::to_string(s.tp) +
           " (" + mem + ")";
  // Why a larger degree does not pay off.
  for (const TPDegree &d : f.degrees) {
    const auto &p = f.rankedBy == "decode" ? d.decode : d.prefill;
    if (d.tp > r.tp && d.feasibility.feasible && p && p->commTime > 0 &&
        f.stepTime(d) > f.stepTime(r)) {
      why += "; at t = " + std::to_string(d.tp) + " its " +
             std::to_string(p->allReduces + p->allGathers) +
             " collectives take " + formatTime(p->commTime) + " of " +
             formatTime(p->time()) + ", more than splitting saves";
      break;
    }
  }
  return why;
}

/// The `top` ops of the first layer (of the whole graph without layers)
/// by time on one device, at every feasible degree: each op's per-device
/// time and the collective after it, as the degree table sums them.
static SummaryTable opTable(const Report &r, const TensorParallelFigures &f,
                            unsigned top) {
  SummaryTable tab;
  tab.id = "tensor-parallel-ops";
  bool prefill = !f.prefillOps.getOps().empty();
  const TPOpTable &ops = prefill ? f.prefillOps : f.decodeOps;
  std::vector<size_t> degrees;
  for (auto [k, d] : llvm::enumerate(f.degrees))
    if (d.feasibility.feasible)
      degrees.push_back(k);
  if (ops.getOps().empty() || degrees.empty() || top == 0)
    return tab;
  // The layer: the first that has ops in the phase.
  const TransformerStructure *structure =
      r.transformer ? r.transformer->structure : nullptr;
  auto layerOf = [&](Operation *op) {
    return structure ? structure->getTag(op).layer : -1;
  };
  int layer = -1;
  for (const TPOpFigures &o : ops.getOps())
    if (int l = layerOf(o.op); l >= 0 && (layer < 0 || l < layer))
      layer = l;
  std::vector<const TPOpFigures *> members;
  for (const TPOpFigures &o : ops.getOps())
    if (layerOf(o.op) == layer)
      members.push_back(&o);
  // By time at the smallest feasible degree (IR order on ties).
  size_t k0 = degrees.front();
  auto timeOf = [&](const TPOpFigures *o) {
    const TPOpDegree &d = o->degrees[k0];
    return std::isnan(d.time) ? d.commTime : d.time + d.commTime;
  };
  std::vector<const TPOpFigures *> order = members;
  std::stable_sort(order.begin(), order.end(),
                   [&](auto *a, auto *b) { return timeOf(a) > timeOf(b); });
  order.resize(std::min<size_t>(top, order.size()));

  std::string where = layer >= 0 ? "layer " + std::to_string(layer)
                                 : std::string("all ops");
  tab.title = "Tensor parallel: per-op time per device (" + f.device + ", " +
              where + ", " + (prefill ? "prefill" : "decode") + ", top " +
              std::to_string(order.size()) + ")";
  tab.header = {"node", "op", "split"};
  tab.firstNumeric = 3;
  for (size_t k : degrees)
    tab.header.push_back("t = " + std::to_string(f.degrees[k].tp));
  auto cell = [](const std::optional<TPOpDegree> &o) -> std::string {
    if (!o)
      return "-";
    std::string c = std::isnan(o->time) ? "?" : formatTime(o->time);
    if (o->commTime > 0)
      c += " + " + formatTime(o->commTime) + " " +
           (o->collective == Collective::AllGather ? "all-gather"
                                                   : "all-reduce");
    return c;
  };
  for (const TPOpFigures *o : order) {
    const OpCostRecord *rec = r.costs ? r.costs->lookup(o->op) : nullptr;
    const OpSplit *sp = r.tensorParallel->plan->lookup(o->op);
    std::vector<std::string> row = {
        getNodeName(o->op), rec ? rec->opType : std::string("?"),
        stringifySplitKind(sp ? sp->kind : SplitKind::Replicated).str()};
    for (size_t k : degrees)
      row.push_back(cell(o->degrees[k]));
    tab.rows.push_back(std::move(row));
  }
  SmallVector<Operation *> all;
  for (const TPOpFigures *o : members)
    all.push_back(o->op);
  std::vector<std::string> total = {
      where + " (" + std::to_string(members.size()) + " ops)", "", ""};
  for (size_t k : degrees)
    total.push_back(cell(ops.sum(all, k)));
  tab.rows.push_back(std::move(total));
  std::string priced =
      f.timing.isPerOpRoofline()
          ? std::string("each op's roofline time on one device at its shard")
          : "each op's share of its " + kernelViewName(f.timing.view).str() +
                " kernel's " + timeModelName(f.timing.model).str() +
                " time on one device at its shard";
  tab.notes.push_back(
      priced + ", then the "
      "collective after it; the ops of every layer and outside them sum to "
      "the " + std::string(prefill ? "prefill" : "decode") +
      " time of the table above (JSON: ops[].tp.per_device, every op, "
      "phase and device)");
  return tab;
}

void mlir::tfperf::appendTensorParallelTables(
    const Report &r, std::vector<SummaryTable> &tables, unsigned top) {
  if (!r.tensorParallel || r.tensorParallel->perDevice.empty())
    return;
  const auto &all = r.tensorParallel->perDevice;
  for (size_t i = 0; i < all.size(); ++i) {
    tables.push_back(memoryTable(all[i]));
    tables.push_back(degreeTable(all[i]));
  }
  tables.push_back(splitTable(all.front()));
  if (SummaryTable ops = opTable(r, all.front(), top); !ops.title.empty())
    tables.push_back(std::move(ops));
  for (const TensorParallelFigures &f : all)
    tables.push_back(pipelineTable(f));
}

//===----------------------------------------------------------------------===//
// JSON
//===----------------------------------------------------------------------===//

static void tpJSON(const TensorParallelFigures &f, llvm::json::OStream &j) {
  auto number = [&](llvm::StringRef key, std::optional<double> v) {
    jsonNumber(j, key, v);
  };
  auto phase = [&](const TPPhaseFigures &p) {
    j.object([&] {
      number("flops_per_device", p.flops);
      number("gemm_flops_per_device", p.gemmFlops);
      number("bytes_per_device", p.bytes);
      number("op_time_s", p.opTime);
      number("op_roofline_s", p.opRoofline);
      number("comm_bytes", p.commBytes);
      number("comm_bytes_sent_per_device", p.commBytesSent);
      number("comm_time_s", p.commTime);
      number("comm_roofline_s", p.commRoofline);
      number("time_s", p.time());
      number("roofline_s", p.rooflineTime());
      j.attribute("allreduces", (int64_t)p.allReduces);
      j.attribute("allgathers", (int64_t)p.allGathers);
      j.attributeArray("allreduces_by_layer", [&] {
        for (unsigned n : p.allReducesByLayer)
          j.value((int64_t)n);
      });
      number("unsharded_flops", p.unshardedFlops);
      number("replicated_flops", p.replicatedFlops);
      number("duplicated_flops", p.duplicatedFlops);
      j.attributeObject("replicated_flops_by_block", [&] {
        for (unsigned k = 0; k < kNumBlockKinds; ++k)
          number(stringifyBlockKind((BlockKind)k), p.replicatedByBlock[k]);
      });
      j.attribute("unknown_ops", (int64_t)p.unknownOps);
    });
  };
  j.attribute("device", f.device);
  j.attribute("time_model", timeModelName(f.timing.model));
  j.attribute("kernels", kernelViewName(f.timing.view));
  j.attribute("collectives_model",
              f.calibratedCollectives ? "alpha_beta" : "ring");
  j.attributeObject("link", [&] {
    j.attribute("name", f.linkName);
    number("bw", f.linkBandwidth);
    number("latency_s", f.linkLatency);
  });
  j.attributeArray("degrees", [&] {
    for (const TPDegree &d : f.degrees)
      j.object([&] {
        bool ok = d.feasibility.feasible;
        auto opt = [&](double v) -> std::optional<double> {
          if (!ok)
            return std::nullopt;
          return v;
        };
        const TPPhaseFigures *c = d.commPhase();
        j.attribute("tp", d.tp);
        j.attribute("feasible", ok);
        if (d.feasibility.reason.empty())
          j.attribute("reason", nullptr);
        else
          j.attribute("reason", d.feasibility.reason);
        j.attributeArray("notes", [&] {
          for (const std::string &n : d.feasibility.notes)
            j.value(n);
        });
        j.attribute("kv_replicas", d.feasibility.kvReplicas);
        // Only for linear attention with fewer state heads than devices.
        if (d.feasibility.stateReplicas > 1)
          j.attribute("state_replicas", d.feasibility.stateReplicas);
        j.attribute("allreduce_per_layer",
                    (int64_t)(ok ? d.allReducePerLayer : 0));
        number("allreduce_per_step", ok && c ? std::optional<double>(c->allReduces) : std::nullopt);
        number("allgather_per_step", ok && c ? std::optional<double>(c->allGathers) : std::nullopt);
        if (ok && c)
          j.attribute("comm_phase", d.prefill ? "prefill" : "decode");
        else
          j.attribute("comm_phase", nullptr);
        number("comm_bytes_per_step", ok && c ? std::optional<double>(c->commBytes) : std::nullopt);
        number("comm_time_s", ok && c ? std::optional<double>(c->commTime) : std::nullopt);
        number("weights_bytes_per_device", opt(d.weightBytesPerDevice));
        number("kv_bytes_per_token_per_device",
               opt(d.kvBytesPerTokenPerDevice));
        number("kv_extra_bytes_per_token", opt(d.kvExtraBytesPerToken));
        number("kv_cache_bytes_per_device", opt(d.kvCacheBytesPerDevice));
        if (d.stateBytesPerDevice > 0)
          number("state_bytes_per_device", opt(d.stateBytesPerDevice));
        number("kv_capacity_tokens",
               ok ? d.kvCapacityTokens : std::optional<double>());
        if (ok)
          j.attribute("fits_memory", d.fitsMemory);
        else
          j.attribute("fits_memory", nullptr);
        number("prefill_time_s", ok && d.prefill
                                     ? std::optional<double>(d.prefill->time())
                                     : std::nullopt);
        number("decode_time_s", ok && d.decode
                                    ? std::optional<double>(d.decode->time())
                                    : std::nullopt);
        if (ok && d.prefill) {
          j.attributeBegin("prefill");
          phase(*d.prefill);
          j.attributeEnd();
        }
        if (ok && d.decode) {
          j.attributeBegin("decode");
          phase(*d.decode);
          j.attributeEnd();
        }
      });
  });
  number("recommended_tp", f.recommended
                               ? std::optional<double>(*f.recommended)
                               : std::nullopt);
  number("smallest_fitting_tp", f.smallestFitting
                                    ? std::optional<double>(*f.smallestFitting)
                                    : std::nullopt);
  // The ranking is by step time, so the fastest degree is the recommended
  // one (docs/report-schema.md).
  number("fastest_tp", f.recommended
                           ? std::optional<double>(*f.recommended)
                           : std::nullopt);
  j.attribute("ranked_by", f.rankedBy);
  j.attribute("reason", describeRecommendation(f));
  j.attributeObject("collectives", [&] {
    j.attribute("embedding_allreduces", (int64_t)f.embeddingAllReduces);
    j.attribute("logits_allgathers", (int64_t)f.logitsAllGathers);
    j.attribute("other_allgathers", (int64_t)f.otherAllGathers);
    j.attributeArray("gather_reasons", [&] {
      for (const std::string &g : f.gatherReasons)
        j.value(g);
    });
  });
  j.attributeObject("splits", [&] {
    for (unsigned k = 0; k < kNumSplitKinds; ++k) {
      const SplitSummary &s = f.splits[k];
      j.attributeObject(stringifySplitKind((SplitKind)k), [&] {
        j.attribute("ops", (int64_t)s.ops);
        number("weight_bytes", s.weightBytes);
        number("prefill_flops", s.prefillFlops);
        j.attributeArray("examples", [&] {
          for (const std::string &e : s.examples)
            j.value(e);
        });
      });
    }
  });
  j.attributeObject("pipeline", [&] {
    j.attribute("microbatches", f.microbatches);
    j.attributeArray("degrees", [&] {
      for (const PPDegree &p : f.pipeline)
        j.object([&] {
          j.attribute("pp", p.pp);
          j.attribute("feasible", p.feasible);
          if (p.reason.empty())
            j.attribute("reason", nullptr);
          else
            j.attribute("reason", p.reason);
          j.attributeArray("layers_per_stage", [&] {
            for (int64_t l : p.layersPerStage)
              j.value(l);
          });
          auto opt = [&](double v) -> std::optional<double> {
            if (!p.feasible)
              return std::nullopt;
            return v;
          };
          number("weights_bytes_per_device", opt(p.weightBytesPerDevice));
          number("kv_capacity_tokens", p.kvCapacityTokens);
          number("boundary_bytes_prefill", opt(p.boundaryBytesPrefill));
          number("boundary_bytes_decode", opt(p.boundaryBytesDecode));
          number("comm_bytes_per_step", opt(p.commBytesPerStep));
          number("bubble", opt(p.bubble));
          number("prefill_time_s", p.prefillTime);
          number("decode_latency_s", p.decodeLatency);
          number("decode_throughput_gain", p.decodeThroughputGain);
        });
    });
  });
}

void mlir::tfperf::printTensorParallelJSON(const Report &r,
                                           llvm::json::OStream &j) {
  if (!r.tensorParallel || r.tensorParallel->perDevice.empty())
    return;
  jsonFirstAndByDevice(
      j, "tensor_parallel", r.tensorParallel->perDevice,
      [&](const TensorParallelFigures &f) { tpJSON(f, j); });
}

void mlir::tfperf::printTensorParallelOpsJSON(const Report &r,
                                              ArrayRef<Operation *> members,
                                              llvm::StringRef key,
                                              llvm::json::OStream &j) {
  if (!r.tensorParallel || r.tensorParallel->perDevice.empty())
    return;
  const auto &all = r.tensorParallel->perDevice;
  // The degrees some device can run (they differ only by a missing link).
  auto feasible = [&](size_t device, size_t k) {
    return all[device].degrees[k].feasibility.feasible;
  };
  j.attributeArray(key, [&] {
    for (auto [k, d] : llvm::enumerate(all.front().degrees)) {
      if (llvm::none_of(llvm::seq(all.size()),
                        [&](size_t i) { return feasible(i, k); }))
        continue;
      j.object([&] {
        j.attribute("tp", d.tp);
        for (bool decode : {false, true}) {
          auto sumOn = [&](size_t device) {
            const TensorParallelFigures &f = all[device];
            return (decode ? f.decodeOps : f.prefillOps).sum(members, k);
          };
          std::optional<TPOpDegree> first = sumOn(0);
          llvm::StringRef phase = decode ? "decode" : "prefill";
          if (!first) {
            j.attribute(phase, nullptr);
            continue;
          }
          // Times on every device; null where the device rejects the
          // degree (no link).
          auto perDevice = [&](llvm::StringRef name,
                               double TPOpDegree::*figure) {
            j.attributeObject(name, [&] {
              for (size_t i = 0; i < all.size(); ++i) {
                std::optional<double> v;
                if (feasible(i, k))
                  if (auto o = sumOn(i))
                    v = (*o).*figure;
                jsonNumber(j, all[i].device, v);
              }
            });
          };
          j.attributeObject(phase, [&] {
            jsonNumber(j, "flops", first->flops);
            jsonNumber(j, "bytes", first->bytes);
            perDevice("time_s", &TPOpDegree::time);
            perDevice("roofline_s", &TPOpDegree::roofline);
            if (first->collective)
              j.attribute("collective", stringifyCollective(*first->collective));
            else
              j.attribute("collective", nullptr);
            jsonNumber(j, "collective_bytes", first->commBytes);
            perDevice("collective_time_s", &TPOpDegree::commTime);
          });
        }
      });
    }
  });
}
