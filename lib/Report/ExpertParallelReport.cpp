//===- ExpertParallelReport.cpp - the expert-parallel section -------------===//
//
// Per device: the EP x TP layouts side by side (experts, memory, all-to-all
// volume and time, prefill and decode time per device), the recommended
// layout per device count and why. JSON names follow docs/report-schema.md.
//
//===----------------------------------------------------------------------===//

#include "SummaryTables.h"
#include "Quoting.h"

#include <cmath>
#include <set>

using namespace mlir;
using namespace mlir::tfperf;

namespace {

std::string layoutName(const EPLayout &l) {
  return "ep = " + std::to_string(l.ep) + " x tp = " + std::to_string(l.tp);
}

bool isRecommended(const ExpertParallelFigures &f, size_t i) {
  return llvm::any_of(f.recommended,
                      [&](const auto &r) { return r.second == i; });
}

std::string allToAllCell(const std::optional<EPPhaseFigures> &p,
                         const EPLayout &l) {
  if (!p)
    return "-";
  if (l.ep == 1)
    return "-";
  return formatBytes(p->allToAllBytesSent) + " in " +
         formatTime(p->allToAllTime);
}

std::string timeCell(const std::optional<EPPhaseFigures> &p) {
  return p ? formatTime(p->time()) : "-";
}

/// Why the recommended layout at `devices` devices (index `best`) won.
std::string describeChoice(const ExpertParallelFigures &f, int64_t devices,
                           size_t best) {
  const EPLayout &b = f.layouts[best];
  std::string line = "recommended at " + std::to_string(devices) +
                     " device" + (devices == 1 ? "" : "s") + ": " +
                     layoutName(b) + ": it fits (" +
                     formatBytes(b.weightBytesPerDevice) + " of weights + " +
                     formatBytes(b.kvCacheBytesPerDevice) +
                     " of KV cache per device, of " +
                     formatBytes(f.memCapacity) + ") and has the fastest " +
                     f.rankedBy + " step of the layouts that fit (" +
                     formatTime(f.stepTime(b));
  std::string others;
  for (auto [i, l] : llvm::enumerate(f.layouts)) {
    if (i == best || l.devices() != devices || !l.feasible)
      continue;
    others += (others.empty() ? "" : ", ") + layoutName(l) + ": ";
    others += l.fitsMemory ? formatTime(f.stepTime(l)) : "does not fit";
  }
  return line + (others.empty() ? ")" : "; " + others + ")");
}

/// What a skewed routing does to the layouts: the busiest device's share
/// of the routed work per ep, which the figures above are of.
std::string skewNote(const ExpertParallelFigures &f) {
  std::string shares;
  std::set<int64_t> seen;
  for (const EPLayout &l : f.layouts) {
    if (!l.feasible || l.ep == 1 || !seen.insert(l.ep).second)
      continue;
    auto share = [&](const std::optional<EPPhaseFigures> &p) {
      return fixedOrDash(100 * p->busiestShare, 1) + "% (" +
             fixedOrDash(p->loadFactor, 2) + "x the mean)";
    };
    shares += (shares.empty() ? "" : "; ") + ("ep = " + std::to_string(l.ep)) +
              ": ";
    if (l.prefill)
      shares += "prefill " + share(l.prefill);
    if (l.decode)
      shares += std::string(l.prefill ? ", " : "") + "decode " +
                share(l.decode);
  }
  return "routing " + f.routing->name +
         ": experts sit on the devices contiguously (" +
         (f.routing->zipf ? "device 0 holds the E/ep most popular"
                          : "in the graph's expert order") +
         "), so the busiest device runs more than 1/ep of the "
         "routed work and sets the step" +
         (f.routing->layers.size() > 1
              ? " (the MoE layers' mean of each layer's busiest device)"
              : "") +
         "; the pairs, experts touched, "
         "all-to-all volume and times above are its own. Its share of the "
         "routed work (prefill: of the (token, expert) pairs; decode: of the "
         "touched experts' weights): " +
         (shares.empty() ? std::string("no layout with ep > 1") : shares);
}

SummaryTable layoutTable(const ExpertParallelFigures &f) {
  SummaryTable tab;
  tab.id = "expert-parallel";
  tab.namesAreCode = false;
  if (!f.hasExperts) {
    tab.title = "Expert parallel (" + f.device + ")";
    tab.notes.push_back("no Mixture-of-Experts blocks in the graph: --ep "
                        "does not apply (the tensor-parallel section holds "
                        "the layouts)");
    return tab;
  }
  tab.title = "Expert parallel x tensor parallel: per device (" + f.device +
              "; " + std::to_string(f.experts) + " routed experts, top-" +
              std::to_string(f.topK) + ", " + std::to_string(f.moeLayers) +
              " MoE layer" + (f.moeLayers == 1 ? "" : "s") +
              (f.routing ? ", routing " + f.routing->name : "") + ")";
  tab.header = {"ep",           "tp",          "devices",
                "status",       "experts",     "weights",
                "KV cache",     "prefill pairs", "prefill all-to-all",
                "prefill time", "decode experts touched",
                "decode all-to-all", "decode time"};
  tab.firstNumeric = 4;
  for (auto [i, l] : llvm::enumerate(f.layouts)) {
    std::vector<std::string> row = {std::to_string(l.ep), std::to_string(l.tp),
                                    std::to_string(l.devices())};
    if (!l.feasible) {
      row.push_back("rejected");
      row.resize(tab.header.size(), "");
      tab.rows.push_back(std::move(row));
      tab.notes.push_back(layoutName(l) + " rejected: " + l.reason);
      continue;
    }
    std::string status = l.fitsMemory ? "ok" : "does not fit";
    if (isRecommended(f, i))
      status += " (recommended)";
    row.push_back(status);
    row.push_back(fixedOrDash(l.expertsPerDevice, 0));
    row.push_back(formatBytes(l.weightBytesPerDevice));
    row.push_back(formatBytes(l.kvCacheBytesPerDevice));
    row.push_back(l.prefill ? fixedOrDash(l.prefill->routedPairsPerDevice, 0)
                            : "-");
    row.push_back(allToAllCell(l.prefill, l));
    row.push_back(timeCell(l.prefill));
    row.push_back(l.touchedExpertsPerDevice
                      ? fixedOrDash(*l.touchedExpertsPerDevice, 2) + " of " +
                            fixedOrDash(l.expertsPerDevice, 0)
                      : "-");
    row.push_back(allToAllCell(l.decode, l));
    row.push_back(timeCell(l.decode));
    tab.rows.push_back(std::move(row));
  }
  std::set<int64_t> counts;
  for (const EPLayout &l : f.layouts)
    counts.insert(l.devices());
  for (int64_t n : counts) {
    auto it = llvm::find_if(f.recommended,
                            [&](const auto &r) { return r.first == n; });
    if (it != f.recommended.end())
      tab.notes.push_back(describeChoice(f, n, it->second));
    else
      tab.notes.push_back("at " + std::to_string(n) +
                          " devices: no feasible layout fits in memory");
  }
  if (f.routing)
    tab.notes.push_back(skewNote(f));
  tab.notes.push_back(
      "each device holds E/ep routed experts (each split over tp like a "
      "dense MLP) and attention, shared experts and the rest as at "
      "t = tp; at balanced routing it runs T k / ep of a step's (token, "
      "expert) pairs (prefill pairs: per MoE layer), and a decode step of "
      "B tokens touches E/ep (1 - (1 - k/E)^B) of its experts; two "
      "all-to-alls per MoE layer (dispatch, combine), each device sending "
      "(ep - 1)/ep of T k d_model x dtype; time a0 + (ep - 1) a + (ep - 1)/ep "
      "x size / bus bandwidth (pairwise exchange) on the device's " +
      std::string(f.calibratedCollectives ? "calibrated link tier"
                                          : "link") +
      ", not overlapped (docs/TensorParallel.md#expert-parallelism)");
  return tab;
}

/// One phase of a layout: its figures by name, then the all-to-all count.
void phaseJSON(const EPPhaseFigures &p, bool skewed,
               llvm::json::OStream &j) {
  const std::pair<const char *, double> figures[] = {
      {"tokens", p.tokens},
      {"routed_pairs_per_device", p.routedPairsPerDevice},
      {"flops_per_device", p.flops},
      {"bytes_per_device", p.bytes},
      {"op_time_s", p.opTime},
      {"routed_time_s", p.routedTime},
      {"tp_comm_time_s", p.tpCommTime},
      {"alltoall_bytes", p.allToAllBytes},
      {"alltoall_bytes_sent_per_device", p.allToAllBytesSent},
      {"alltoall_time_s", p.allToAllTime},
      {"alltoall_roofline_s", p.allToAllRoofline},
      {"time_s", p.time()}};
  j.object([&] {
    for (const auto &[key, value] : figures)
      jsonNumber(j, key, value);
    j.attribute("alltoalls", (int64_t)p.allToAlls);
    // Only under a skewed routing, so balanced reports stay as they were.
    if (skewed) {
      jsonNumber(j, "busiest_device_share", p.busiestShare);
      jsonNumber(j, "load_factor", p.loadFactor);
    }
  });
}

void layoutJSON(const ExpertParallelFigures &f, llvm::json::OStream &j) {
  auto number = [&](llvm::StringRef key, std::optional<double> v) {
    jsonNumber(j, key, v);
  };
  j.attribute("device", f.device);
  j.attribute("has_experts", f.hasExperts);
  if (!f.hasExperts)
    return;
  j.attribute("n_experts", f.experts);
  j.attribute("top_k", f.topK);
  j.attribute("moe_layers", f.moeLayers);
  if (f.routing)
    j.attribute("moe_routing", f.routing->name);
  j.attribute("calibrated_collectives", f.calibratedCollectives);
  j.attribute("ranked_by", f.rankedBy);
  j.attributeArray("layouts", [&] {
    for (const EPLayout &l : f.layouts)
      j.object([&] {
        const std::pair<const char *, int64_t> degrees[] = {
            {"ep", l.ep}, {"tp", l.tp}, {"devices", l.devices()}};
        for (const auto &[key, value] : degrees)
          j.attribute(key, value);
        j.attribute("feasible", l.feasible);
        if (!l.reason.empty())
          j.attribute("reason", l.reason);
        number("experts_per_device", l.expertsPerDevice);
        number("touched_experts_per_device", l.touchedExpertsPerDevice);
        number("weight_bytes_per_device", l.weightBytesPerDevice);
        number("routed_weight_bytes_per_device", l.routedWeightBytesPerDevice);
        number("kv_cache_bytes_per_device", l.kvCacheBytesPerDevice);
        j.attribute("fits_memory", l.fitsMemory);
        for (auto [key, p] : {std::pair{"prefill", &l.prefill},
                              std::pair{"decode", &l.decode}}) {
          if (*p) {
            j.attributeBegin(key);
            phaseJSON(**p, f.routing.has_value(), j);
            j.attributeEnd();
          } else {
            j.attribute(key, nullptr);
          }
        }
      });
  });
  j.attributeArray("recommended", [&] {
    for (const auto &r : f.recommended)
      j.object([&] {
        j.attribute("devices", r.first);
        j.attribute("ep", f.layouts[r.second].ep);
        j.attribute("tp", f.layouts[r.second].tp);
      });
  });
}

} // namespace

void mlir::tfperf::appendExpertParallelTables(
    const Report &r, std::vector<SummaryTable> &tables) {
  if (!r.tensorParallel)
    return;
  for (const ExpertParallelFigures &f : r.tensorParallel->expertPerDevice)
    tables.push_back(layoutTable(f));
}

void mlir::tfperf::printExpertParallelJSON(const Report &r,
                                           llvm::json::OStream &j) {
  if (r.tensorParallel)
    jsonFirstAndByDevice(j, "ep", r.tensorParallel->expertPerDevice,
                         [&](const ExpertParallelFigures &f) {
                           layoutJSON(f, j);
                         });
}
