//===- TransformerReport.cpp - the transformer section of the reports -----===//
//
// Structure and dims, the KV cache, attention vs MLP per token, and the
// prefill and decode phases side by side, with roll-ups per block kind and
// per layer. JSON names follow docs/report-schema.md.
//
//===----------------------------------------------------------------------===//

#include "SummaryTables.h"
#include "Quoting.h"
#include "tfperf/Dialect/TFPerf/IR/ExpertRouting.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tfperf;

namespace {
std::string dim(std::optional<int64_t> v) {
  return v ? std::to_string(*v) : std::string("?");
}

std::string num(double v, int digits = 1) { return fixedOrDash(v, digits); }

/// The model's parameters less the routed experts a token does not use.
double activeParameters(const Report &r) {
  return r.weightElements -
         r.transformer->structure->getInactiveExpertParameters();
}

/// The attention layers that keep a KV cache, each with its window (none:
/// every key): a model may alternate windowed and full layers (Gemma 2,
/// Mistral-style mixes), and only the windowed layers' caches are capped.
struct CacheWindows {
  std::vector<std::pair<int, int64_t>> windowed;
  bool everyLayer = false;
  /// Every layer with a cache has the model's one window.
  bool oneForAll = false;
};

CacheWindows cacheWindows(const TransformerFigures &f,
                          const TransformerStructure &s) {
  CacheWindows w;
  bool all = true;
  for (const AttentionBlock &a : s.getAttentions())
    if (kvCacheBytesPerToken(a, DtypePolicy())) {
      if (a.window)
        w.windowed.push_back({a.layer, *a.window});
      all &= a.window.has_value();
    }
  w.everyLayer = all && !w.windowed.empty();
  w.oneForAll = f.dims.window && w.everyLayer &&
                llvm::all_of(w.windowed, [&](const auto &lw) {
                  return lw.second == *f.dims.window;
                });
  return w;
}

/// The layers whose cache a window caps: "layer 0 (4 keys)", "layers 0, 2
/// (4 keys)", or with windows of several sizes "layer 0 (4 keys), layer 2
/// (8 keys)".
std::string windowedLayersText(const CacheWindows &w) {
  const auto &layers = w.windowed;
  auto keys = [](int64_t n) { return " (" + std::to_string(n) + " keys)"; };
  bool sameWindow = llvm::all_of(layers, [&](const auto &lw) {
    return lw.second == layers.front().second;
  });
  std::string text;
  if (sameWindow) {
    text = layers.size() == 1 ? "layer " : "layers ";
    for (size_t i = 0; i < layers.size(); ++i)
      text += (i ? ", " : "") + std::to_string(layers[i].first);
    return text + keys(layers.front().second);
  }
  for (size_t i = 0; i < layers.size(); ++i)
    text += (i ? ", layer " : "layer ") + std::to_string(layers[i].first) +
            keys(layers[i].second);
  return text;
}

/// How the cache per token is made up.
std::string kvCacheFormula(const TransformerFigures &f,
                           const CacheWindows &w) {
  if (f.kvExpandedBytesPerToken > 0)
    return f.cachesLatent ? "(the MLA latent: layers x (kv_lora_rank + rope "
                            "key) x dtype)"
                          : "(MLA expanded: layers x heads x (d_qk + d_v) x "
                            "dtype)";
  std::string formula = "(2 x layers x KV heads x d_head x dtype)";
  if (w.oneForAll)
    formula += ", capped at the window of " + std::to_string(*f.dims.window) +
               " keys";
  else if (!w.windowed.empty())
    formula += ", capped at the window in " + windowedLayersText(w) +
               (w.everyLayer ? "" : " only");
  return formula;
}

/// Multi-head latent attention's dims and both of its cache sizes.
void addLatentAndWindowNotes(const TransformerFigures &f,
                             const CacheWindows &w, SummaryTable &tab) {
  const ModelDims &d = f.dims;
  if (d.kvLoraRank && f.kvExpandedBytesPerToken > 0)
    tab.notes.push_back(
        "MLA: kv_lora_rank " + std::to_string(*d.kvLoraRank) +
        ", q_lora_rank " + dim(d.qLoraRank) + ", rope key " +
        dim(d.ropeHeadDim) + "; KV cache per token: latent " +
        formatBytes(f.kvLatentBytesPerToken) + ", per-head K/V " +
        formatBytes(f.kvExpandedBytesPerToken) + " (the graph caches the " +
        (f.cachesLatent ? "latent)" : "per-head K/V)"));
  if (!d.window)
    return;
  if (w.oneForAll || w.windowed.empty())
    tab.notes.push_back("sliding window: " + std::to_string(*d.window) +
                        " keys per query; the KV cache holds at most the "
                        "window");
  else
    tab.notes.push_back(
        "sliding window in " + windowedLayersText(w) +
        ": the windowed layers' KV cache holds at most the window" +
        (w.everyLayer ? "" : ", the other layers' every token"));
}

} // namespace

std::vector<std::pair<std::string, std::string>>
mlir::tfperf::transformerStructureFields(const Report &r) {
  std::vector<std::pair<std::string, std::string>> fields;
  if (!r.transformer || r.transformer->perDevice.empty())
    return fields;
  const TransformerFigures &f = r.transformer->perDevice.front();
  const ModelDims &d = f.dims;
  auto integer = [&](const char *name, std::optional<int64_t> v) {
    fields.emplace_back(name, v ? std::to_string(*v) : std::string());
  };
  if (d.nExperts) {
    integer("n_experts", d.nExperts);
    integer("top_k", d.topK);
    integer("n_shared_experts", d.nSharedExperts);
    fields.emplace_back("active_parameters",
                        plainNumber(activeParameters(r)));
  }
  if (d.kvLoraRank)
    integer("kv_lora_rank", d.kvLoraRank);
  if (d.window)
    integer("window", d.window);
  if (fields.empty() && !llvm::is_contained(f.attentionKinds, "linear"))
    return fields;
  std::string kinds;
  for (const std::string &k : f.attentionKinds)
    kinds += (kinds.empty() ? "" : " ") + k;
  fields.emplace_back("attention_kinds", kinds);
  return fields;
}

namespace {
/// The MoE blocks' routing, when a skewed routing sized them.
std::optional<RoutingSkew> reportedRouting(const TransformerFigures &f) {
  if (!f.routing || !f.dims.nExperts || !f.dims.topK)
    return std::nullopt;
  return f.routing;
}

/// How the skewed routing sets the experts' popularity p_i.
std::string popularityOf(const RoutingSkew &skew) {
  if (skew.zipf)
    return "p_i ~ (i+1)^-" + skew.name.substr(5);
  return skew.layers.size() > 1 ? "p_i its share of the layer's measured "
                                  "loads (the first MoE layer's figures)"
                                : "p_i its share of the measured loads";
}

/// The structure recognised in the graph, as notes.
SummaryTable structureTable(const Report &r) {
  const TransformerSection &t = *r.transformer;
  const TransformerStructure &s = *t.structure;
  const TransformerFigures &f0 = t.perDevice.front();
  const ModelDims &d = f0.dims;
  CacheWindows windows = cacheWindows(f0, s);
  SummaryTable tab;
  tab.id = "transformer";
  tab.title = "Transformer (from the graph)";
  if (!s.isTransformer() && s.getMLPs().empty()) {
    tab.notes.push_back("no attention or MLP blocks recognised");
    return tab;
  }
  std::string line = dim(d.nLayers) + (d.nLayers == 1 ? " layer" : " layers") +
                     ", d_model " + dim(d.dModel);
  if (d.nHeads)
    line += ", " + std::to_string(*d.nHeads) + " heads (" + dim(d.nKvHeads) +
            " KV) x " + dim(d.dHead);
  if (d.dFF)
    line += ", d_ff " + std::to_string(*d.dFF);
  if (d.vocab)
    line += ", vocab " + std::to_string(*d.vocab);
  if (d.maxPositions)
    line += ", max positions " +
            std::string(f0.maxPositionsLowerBound ? ">= " : "") +
            std::to_string(*d.maxPositions);
  tab.notes.push_back(line);
  if (d.nExperts)
    tab.notes.push_back(
        "experts: " + std::to_string(*d.nExperts) + " routed, top-" +
        dim(d.topK) + " per token" +
        (d.nSharedExperts.value_or(0) > 0
             ? ", " + dim(d.nSharedExperts) + " shared"
             : std::string()) +
        ", d_ff " + dim(d.dExpertFF) +
        " per expert; parameters " + formatRate(r.weightElements, "") +
        " total, " + formatRate(activeParameters(r), "") +
        " active per token");
  for (const std::string &b : f0.expertBlocks)
    tab.notes.push_back("  MoE " + b);
  std::optional<RoutingSkew> skew = reportedRouting(f0);
  if (skew)
    tab.notes.push_back(
        "  routing " + skew->name + ": expert i's per-token inclusion k p_i, " +
        popularityOf(*skew) + " (capped at 1); the busiest expert gets " +
        llvm::formatv("{0:F1}", 100 * skew->busiestExpertShare).str() +
        "% of the (token, expert) pairs, " +
        llvm::formatv("{0:F2}", skew->busiestExpertLoadFactor).str() +
        "x the mean " +
        llvm::formatv("{0:F1}", 100.0 / double(*d.nExperts)).str() + "%");
  if (d.nExperts && d.topK && f0.decode) {
    // Tokens pick experts independently: the expected distinct experts.
    double batch = double(f0.decode->batch);
    double touched =
        skew ? skew->expectedTouchedExperts(batch)
             : expectedTouchedExperts(double(*d.nExperts), double(*d.topK),
                                      batch);
    tab.notes.push_back(
        "  decode at batch " + std::to_string(f0.decode->batch) +
        " touches " + llvm::formatv("{0:F2}", touched).str() + " of " +
        std::to_string(*d.nExperts) + " routed experts per layer on average (" +
        (skew ? "sum_i 1 - (1 - pi_i)^B, " + skew->name
              : std::string("E (1 - (1 - k/E)^B)")) +
        "), the experts whose weights it reads");
  }
  if (!f0.attentionKinds.empty()) {
    line = "attention:";
    for (auto &k : f0.attentionKinds)
      line += " " + k;
    line += f0.causalDecodeStep
                ? " (causal: a decode step, one query against the cached keys)"
            : f0.causal    ? " (causal)"
            : f0.inputMask ? " (masked by a graph input: causal or padding, "
                             "the graph does not say)"
                           : " (bidirectional)";
    tab.notes.push_back(line);
  } else {
    tab.notes.push_back("no attention (MLP blocks only)");
  }
  if (f0.kvCacheBytesPerToken > 0) {
    line = "KV cache: " + formatBytes(f0.kvCacheBytesPerToken) + " per token " +
           kvCacheFormula(f0, windows);
    if (f0.decode)
      line += "; " + formatBytes(f0.kvCacheBytes) + " at " +
              std::to_string(f0.decode->kvLen) +
              (f0.decode->kvLen == 1 ? " token" : " tokens") + " x batch " +
              std::to_string(f0.decode->batch);
    tab.notes.push_back(line);
  }
  if (f0.stateBytesPerSequence() > 0) {
    line = "recurrent state: " + formatBytes(f0.stateBytesPerSequence()) +
           " per sequence, constant in the KV length (";
    if (f0.linearStateBytesPerSequence > 0)
      line += "linear attention " +
              formatBytes(f0.linearStateBytesPerSequence) +
              ": KV heads x d_k x d_v x dtype" +
              (f0.convStateBytesPerSequence > 0 ? "; " : "");
    if (f0.convStateBytesPerSequence > 0)
      line += "causal conv " + formatBytes(f0.convStateBytesPerSequence) +
              ": channels x (kernel - 1) x dilation x dtype";
    line += ")";
    if (f0.decode)
      line += "; " + formatBytes(f0.stateBytes) + " x batch " +
              std::to_string(f0.decode->batch);
    tab.notes.push_back(line);
  }
  addLatentAndWindowNotes(f0, windows, tab);
  if (f0.mlpPerToken > 0) {
    line = "per token, per layer: self-attention " +
           formatFlops(f0.attnProjPerToken) + " + " +
           formatFlops(f0.attnPerKeyPerToken) + " x s";
    if (f0.attnFixedPerToken > 0)
      line += ", fixed-key attention " + formatFlops(f0.attnFixedPerToken);
    line += "; MLP " + formatFlops(f0.mlpPerToken);
    if (f0.crossoverSeq)
      line += "; attention dominates beyond s = " + num(*f0.crossoverSeq, 0);
    if (!f0.crossoverNote.empty())
      line += " (" + f0.crossoverNote + ")";
    tab.notes.push_back(line);
  }
  if (!f0.note.empty())
    tab.notes.push_back("note: " + f0.note);
  return tab;
}


/// Prefill and decode side by side on one device.
SummaryTable phaseTable(const Report &r, const TransformerFigures &f,
                        const ReportDevice &dev) {
  std::vector<const PhaseResult *> phases = f.phases();
  SummaryTable tab;
  tab.id = "phases";
  tab.namesAreCode = false;
  tab.title = "Prefill and decode (" + dev.spec.name + ")";
  tab.header = {"phase"};
  for (const PhaseResult *p : phases)
    tab.header.push_back(p->name + (p->derived ? " (derived)" : ""));
  auto add = [&](std::string label, auto cell) {
    std::vector<std::string> row = {std::move(label)};
    for (const PhaseResult *p : phases)
      row.push_back(cell(*p));
    tab.rows.push_back(std::move(row));
  };
  add("batch x tokens", [](const PhaseResult &p) {
    return std::to_string(p.batch) + " x " + std::to_string(p.seq) +
           (p.name == "decode" ? " (KV " + std::to_string(p.kvLen) + ")" : "");
  });
  add("FLOPs", [](const PhaseResult &p) { return formatFlops(p.totals.flops); });
  add("bytes", [](const PhaseResult &p) { return formatBytes(p.totals.bytes); });
  add("intensity",
      [](const PhaseResult &p) { return num(p.intensity()) + " FLOP/B"; });
  add("time", [](const PhaseResult &p) {
    return p.totals.time > 0 || !p.totals.unknownOps ? formatTime(p.totals.time)
                                                     : std::string("-");
  });
  // A phase none of whose ops has a known time has no bound and no rate
  // (its sums are of the known ops: none).
  add("bound", [](const PhaseResult &p) {
    return (p.totals.time > 0 ? stringifyBound(p.bound()).str() : "-") +
           (p.totals.unknownOps ? " (" + std::to_string(p.totals.unknownOps) +
                                      " ops unknown)"
                                : "");
  });
  add("tokens/s", [](const PhaseResult &p) {
    return p.totals.time > 0 ? num(p.tokensPerSecond(), 0) : std::string("-");
  });
  add("memory / compute time", [](const PhaseResult &p) {
    return p.totals.computeTime > 0
               ? num(p.totals.memoryTime / p.totals.computeTime)
               : std::string("-");
  });
  bool anyFused = llvm::any_of(phases, [](const PhaseResult *p) {
    return p->fusedScores.bytes > 0;
  });
  if (anyFused) {
    add("scores bytes, fused (flash)", [](const PhaseResult &p) {
      return p.fusedScores.bytes > 0
                 ? formatBytes(p.fusedScores.bytes) + " vs " +
                       formatBytes(p.byBlock[(unsigned)BlockKind::AttentionScores]
                                       .bytes)
                 : std::string("-");
    });
    add("time, scores fused", [](const PhaseResult &p) {
      if (!(p.fusedScores.bytes > 0))
        return std::string("-");
      const PhaseTotals &s = p.byBlock[(unsigned)BlockKind::AttentionScores];
      return formatTime(p.totals.time - s.time + p.fusedScores.time);
    });
  }
  if (f.noCacheStep && f.decode) {
    add("step without KV cache", [&](const PhaseResult &p) -> std::string {
      if (p.name != "decode")
        return "";
      const PhaseResult &n = *f.noCacheStep;
      return formatFlops(n.totals.flops) + ", " + formatTime(n.totals.time) +
             " (" + num(n.totals.flops / std::max(1.0, p.totals.flops), 0) +
             "x FLOPs)";
    });
  }
  if (f.decode) {
    int64_t numDevices = r.config.getTransformer()
                             ? r.config.getTransformer().getDevices()
                             : 1;
    std::string devices = std::to_string(numDevices) + " device" +
                          (numDevices > 1 ? "s" : "");
    add("critical batch (decode)", [&](const PhaseResult &p) -> std::string {
      if (p.name != "decode")
        return "";
      return f.criticalBatch ? num(*f.criticalBatch, 0) : "never (KV-bound)";
    });
    add("KV capacity (" + devices + ")",
        [&](const PhaseResult &p) -> std::string {
          if (p.name != "decode")
            return "";
          return f.kvCapacityTokens ? num(*f.kvCapacityTokens, 0) + " tokens"
                                    : "-";
        });
  }
  for (const PhaseResult *p : phases)
    if (!p->note.empty())
      tab.notes.push_back("note (" + p->name + "): " + p->note);
  return tab;
}

/// A table of one row per part (block, layer) and the phases' columns side
/// by side; the caller adds the columns.
SummaryTable partTable(llvm::StringRef id, llvm::StringRef part,
                       const ReportDevice &dev) {
  SummaryTable tab;
  tab.id = id.str();
  tab.namesAreCode = false;
  tab.title = "Time by " + part.str() + " (" + dev.spec.name + ")";
  tab.header = {part.str()};
  return tab;
}

/// Time per block kind, the phases side by side.
SummaryTable blockTable(const TransformerFigures &f, const ReportDevice &dev) {
  std::vector<const PhaseResult *> phases = f.phases();
  SummaryTable tab = partTable("blocks", "block", dev);
  for (const PhaseResult *p : phases)
    tab.header.insert(tab.header.end(),
                      {p->name + " FLOPs", p->name + " time", "share"});
  for (unsigned k = 0; k < kNumBlockKinds; ++k) {
    bool any = false;
    for (const PhaseResult *p : phases)
      any |= p->byBlock[k].time > 0 || p->byBlock[k].flops > 0;
    if (!any)
      continue;
    std::vector<std::string> row = {stringifyBlockKind((BlockKind)k).str()};
    for (const PhaseResult *p : phases) {
      row.push_back(formatFlops(p->byBlock[k].flops));
      row.push_back(formatTime(p->byBlock[k].time));
      row.push_back(p->totals.time > 0
                        ? num(100 * p->byBlock[k].time / p->totals.time) + "%"
                        : "-");
    }
    tab.rows.push_back(row);
  }
  return tab;
}

/// Time per layer, the phases side by side.
SummaryTable layerTable(const TransformerFigures &f, const ReportDevice &dev) {
  std::vector<const PhaseResult *> phases = f.phases();
  SummaryTable tab = partTable("layers", "layer", dev);
  size_t layers = 0;
  for (const PhaseResult *p : phases) {
    tab.header.insert(tab.header.end(), {p->name + " FLOPs", p->name + " time"});
    layers = std::max(layers, p->byLayer.size());
  }
  appendLayerRuns(tab, layers, [&](size_t l) {
    std::vector<std::string> cells;
    for (const PhaseResult *p : phases) {
      bool has = l < p->byLayer.size();
      cells.push_back(has ? formatFlops(p->byLayer[l].flops) : "");
      cells.push_back(has ? formatTime(p->byLayer[l].time) : "");
    }
    return cells;
  });
  if (tab.rows.size() < layers)
    tab.notes.push_back("a range row gives the figures of each of its layers");
  return tab;
}
} // namespace

void mlir::tfperf::appendTransformerTables(const Report &r,
                                           std::vector<SummaryTable> &tables) {
  if (!r.transformer || r.transformer->perDevice.empty())
    return;
  tables.push_back(structureTable(r));
  for (size_t i = 0; i < r.transformer->perDevice.size(); ++i) {
    const TransformerFigures &f = r.transformer->perDevice[i];
    if (f.phases().empty())
      continue;
    tables.push_back(phaseTable(r, f, r.devices[i]));
    tables.push_back(blockTable(f, r.devices[i]));
  }
}

void mlir::tfperf::appendLayerTable(const Report &r,
                                    std::vector<SummaryTable> &tables) {
  if (!r.transformer || r.transformer->perDevice.empty())
    return;
  const TransformerFigures &f = r.transformer->perDevice.front();
  std::vector<const PhaseResult *> phases = f.phases();
  if (!phases.empty() && !phases.front()->byLayer.empty())
    tables.push_back(layerTable(f, r.devices.front()));
}

void mlir::tfperf::printTransformerJSON(const Report &r, llvm::json::OStream &j) {
  const TransformerSection &t = *r.transformer;
  if (t.perDevice.empty())
    return;
  auto number = [&](llvm::StringRef key, std::optional<double> v) {
    jsonNumber(j, key, v);
  };
  auto optInt = [&](llvm::StringRef key, std::optional<int64_t> v) {
    if (v)
      j.attribute(key, *v);
    else
      j.attribute(key, nullptr);
  };
  const TransformerFigures &f0 = t.perDevice.front();
  j.attributeObject("transformer", [&] {
    f0.dims.forEach(optInt);
    // Mixture-of-Experts fields: only for graphs with experts.
    f0.dims.forEachExpertDim(optInt);
    if (f0.dims.nExperts) {
      number("active_parameters", activeParameters(r));
      j.attributeArray("expert_blocks", [&] {
        for (const std::string &b : f0.expertBlocks)
          j.value(b);
      });
    }
    // Only under a skewed routing, so balanced reports stay as they were.
    if (std::optional<RoutingSkew> skew = reportedRouting(f0))
      j.attributeObject("moe_routing", [&] {
        j.attribute("model", skew->name);
        if (skew->zipf)
          number("zipf_s", *skew->zipf);
        j.attributeArray("inclusion", [&] {
          for (double p : skew->inclusion)
            j.value(p);
        });
        number("busiest_expert_pair_share", skew->busiestExpertShare);
        number("busiest_expert_load_factor", skew->busiestExpertLoadFactor);
        if (f0.decode)
          number("decode_touched_experts",
                 skew->expectedTouchedExperts(double(f0.decode->batch)));
      });
    // Latent-attention and window fields: only for graphs with them.
    f0.dims.forEachLatentDim(optInt);
    if (f0.kvExpandedBytesPerToken > 0) {
      j.attribute("kv_cache_layout", f0.cachesLatent ? "latent" : "per_head");
      number("kv_cache_latent_bytes_per_token", f0.kvLatentBytesPerToken);
      number("kv_cache_per_head_bytes_per_token", f0.kvExpandedBytesPerToken);
    }
    if (f0.dims.window)
      j.attribute("window", *f0.dims.window);
    j.attribute("max_positions_lower_bound", f0.maxPositionsLowerBound);
    number("kv_cache_bytes_per_token", f0.kvCacheBytesPerToken);
    // Recurrent state: only for graphs with linear attention or causal
    // convolutions.
    if (f0.stateBytesPerSequence() > 0)
      j.attributeObject("state_bytes_per_sequence", [&] {
        number("total", f0.stateBytesPerSequence());
        number("linear_attention", f0.linearStateBytesPerSequence);
        number("causal_conv", f0.convStateBytesPerSequence);
      });
    number("attention_mlp_crossover_seq", f0.crossoverSeq);
    j.attribute("causal", f0.causal);
    j.attribute("mask", f0.causalDecodeStep ? "decode_step"
                        : f0.causal     ? "causal"
                        : f0.inputMask  ? "input"
                                        : "none");
    j.attributeArray("attention_kinds", [&] {
      for (auto &k : f0.attentionKinds)
        j.value(k);
    });
    j.attributeObject("per_token_gemm_flops", [&] {
      number("attention_projections", f0.attnProjPerToken);
      number("attention_per_key", f0.attnPerKeyPerToken);
      number("attention_fixed_keys", f0.attnFixedPerToken);
      number("mlp", f0.mlpPerToken);
    });
    if (!f0.crossoverNote.empty())
      j.attribute("crossover_note", f0.crossoverNote);
    number("weight_bytes", f0.weightBytes);
    j.attributeArray("blocks", [&] {
      for (const BlockGemm &b : f0.blockGemms)
        j.object([&] {
          if (b.layer >= 0)
            j.attribute("layer", (int64_t)b.layer);
          else
            j.attribute("layer", nullptr);
          j.attribute("kind", b.kind);
          number("gemm_flops", b.gemmFlops);
        });
    });
  });
  auto phase = [&](const PhaseResult &p, const TransformerFigures &f) {
    j.object([&] {
      j.attribute("batch", p.batch);
      j.attribute("seq", p.seq);
      j.attribute("kv_len", p.kvLen);
      number("flops", p.totals.flops);
      number("gemm_flops", p.totals.gemmFlops);
      number("bytes", p.totals.bytes);
      number("intensity", p.intensity());
      number("time_s", p.totals.time);
      number("compute_time_s", p.totals.computeTime);
      number("memory_time_s", p.totals.memoryTime);
      j.attribute("bound", stringifyBound(p.bound()));
      number("tokens_per_s", p.totals.time > 0
                                 ? std::optional<double>(p.tokensPerSecond())
                                 : std::nullopt);
      j.attribute("unknown_ops", (int64_t)p.totals.unknownOps);
      if (p.name == "decode") {
        j.attribute("derived", p.derived);
        j.attribute("applicable", p.applicable);
        number("critical_batch", f.criticalBatch);
        number("mem_to_compute_time_ratio", f.memToComputeTimeRatio);
        number("kv_capacity_tokens", f.kvCapacityTokens);
        number("kv_cache_bytes", f.kvCacheBytes);
        if (f.stateBytes > 0)
          number("state_bytes", f.stateBytes);
      }
      if (!p.note.empty())
        j.attribute("note", p.note);
      if (p.fusedScores.bytes > 0)
        j.attributeObject("attention_scores_fused", [&] {
          number("flops", p.fusedScores.flops);
          number("bytes", p.fusedScores.bytes);
          number("time_s", p.fusedScores.time);
        });
      if (p.name == "decode" && f.noCacheStep)
        j.attributeObject("no_kv_cache_step", [&] {
          const PhaseResult &n = *f.noCacheStep;
          j.attribute("seq", n.seq);
          number("flops", n.totals.flops);
          number("bytes", n.totals.bytes);
          number("time_s", n.totals.time);
        });
      j.attributeObject("by_block", [&] {
        for (unsigned k = 0; k < kNumBlockKinds; ++k)
          j.attributeObject(stringifyBlockKind((BlockKind)k), [&] {
            number("flops", p.byBlock[k].flops);
            number("bytes", p.byBlock[k].bytes);
            number("time_s", p.byBlock[k].time);
          });
      });
      j.attributeArray("by_layer", [&] {
        for (const PhaseTotals &l : p.byLayer)
          j.object([&] {
            number("flops", l.flops);
            number("bytes", l.bytes);
            number("time_s", l.time);
          });
      });
    });
  };
  auto phases = [&](const TransformerFigures &f) {
    if (f.prefill) {
      j.attributeBegin("prefill");
      phase(*f.prefill, f);
      j.attributeEnd();
    }
    if (f.decode) {
      j.attributeBegin("decode");
      phase(*f.decode, f);
      j.attributeEnd();
    }
  };
  j.attributeObject("phases", [&] { phases(f0); });
  if (t.perDevice.size() > 1)
    j.attributeObject("phases_by_device", [&] {
      for (size_t i = 0; i < t.perDevice.size(); ++i)
        j.attributeObject(r.devices[i].spec.name,
                          [&] { phases(t.perDevice[i]); });
    });
}
