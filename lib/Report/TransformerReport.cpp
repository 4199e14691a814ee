//===- TransformerReport.cpp - the transformer section of the reports -----===//
//
// Structure and dims, the KV cache, attention vs MLP per token, and the
// prefill and decode phases side by side, with roll-ups per block kind and
// per layer. JSON names follow docs/report-schema.md.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Report/Report.h"

#include "llvm/Support/Format.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tfperf;

namespace {
std::string dim(std::optional<int64_t> v) {
  return v ? std::to_string(*v) : std::string("?");
}

std::string num(double v, int digits = 1) {
  if (std::isnan(v) || std::isinf(v))
    return "-";
  char buf[64];
  snprintf(buf, sizeof(buf), "%.*f", digits, v);
  return buf;
}

/// Rows of label + one cell per column, aligned.
void printColumns(llvm::raw_ostream &os,
                  const std::vector<std::vector<std::string>> &rows) {
  std::vector<size_t> w;
  for (auto &r : rows)
    for (size_t i = 0; i < r.size(); ++i) {
      if (w.size() <= i)
        w.push_back(0);
      size_t n = 0;
      for (unsigned char c : r[i])
        n += (c & 0xC0) != 0x80;
      w[i] = std::max(w[i], n);
    }
  for (auto &r : rows) {
    os << "  ";
    for (size_t i = 0; i < r.size(); ++i) {
      size_t n = 0;
      for (unsigned char c : r[i])
        n += (c & 0xC0) != 0x80;
      if (i == 0)
        os << r[i] << std::string(w[i] - n, ' ');
      else
        os << "  " << std::string(w[i] - n, ' ') << r[i];
    }
    os << "\n";
  }
}

void phaseRows(std::vector<std::vector<std::string>> &rows,
               const std::vector<const PhaseResult *> &phases,
               const TransformerFigures &fig, const ReportDevice &dev) {
  auto add = [&](std::string label, auto cell) {
    std::vector<std::string> row = {std::move(label)};
    for (const PhaseResult *p : phases)
      row.push_back(cell(*p));
    rows.push_back(std::move(row));
  };
  add("batch x tokens", [](const PhaseResult &p) {
    return std::to_string(p.batch) + " x " + std::to_string(p.seq) +
           (p.name == "decode" ? " (KV " + std::to_string(p.kvLen) + ")" : "");
  });
  add("FLOPs", [](const PhaseResult &p) { return formatFlops(p.totals.flops); });
  add("bytes", [](const PhaseResult &p) { return formatBytes(p.totals.bytes); });
  add("intensity", [](const PhaseResult &p) { return num(p.intensity()) + " FLOP/B"; });
  add("time", [](const PhaseResult &p) { return formatTime(p.totals.time); });
  add("bound", [](const PhaseResult &p) {
    return boundName(p.bound()).str() +
           (p.totals.unknownOps ? " (" + std::to_string(p.totals.unknownOps) +
                                      " ops unknown)"
                                : "");
  });
  add("tokens/s", [](const PhaseResult &p) { return num(p.tokensPerSecond(), 0); });
  add("memory / compute time", [](const PhaseResult &p) {
    return p.totals.computeTime > 0
               ? num(p.totals.memoryTime / p.totals.computeTime)
               : std::string("-");
  });
  (void)fig;
  (void)dev;
}
} // namespace

void mlir::tfperf::printTransformerText(const Report &r, llvm::raw_ostream &os) {
  const TransformerSection &t = *r.transformer;
  const TransformerStructure &s = *t.structure;
  if (t.perDevice.empty())
    return;
  const TransformerFigures &f0 = t.perDevice.front();
  const ModelDims &d = f0.dims;
  os << "\nTransformer (from the graph)\n";
  if (!s.isTransformer() && s.getMLPs().empty()) {
    os << "  no attention or MLP blocks recognised\n";
    return;
  }
  os << "  " << dim(d.nLayers) << " layers, d_model " << dim(d.dModel);
  if (d.nHeads)
    os << ", " << *d.nHeads << " heads (" << dim(d.nKvHeads) << " KV) x "
       << dim(d.dHead);
  if (d.dFF)
    os << ", d_ff " << *d.dFF;
  if (d.vocab)
    os << ", vocab " << *d.vocab;
  if (d.maxPositions)
    os << ", max positions " << *d.maxPositions;
  os << "\n";
  if (!f0.attentionKinds.empty()) {
    os << "  attention:";
    for (auto &k : f0.attentionKinds)
      os << " " << k;
    os << (f0.causal ? " (causal)" : " (bidirectional)") << "\n";
  } else {
    os << "  no attention (MLP blocks only)\n";
  }
  if (f0.kvCacheBytesPerToken > 0) {
    os << "  KV cache: " << formatBytes(f0.kvCacheBytesPerToken)
       << " per token (2 x layers x KV heads x d_head x dtype)";
    if (f0.decode)
      os << "; " << formatBytes(f0.kvCacheBytes) << " at "
         << f0.decode->kvLen << " tokens x batch " << f0.decode->batch;
    os << "\n";
  }
  if (f0.mlpPerToken > 0) {
    os << "  per token, per layer: attention " << formatFlops(f0.attnProjPerToken)
       << " + " << formatFlops(f0.attnPerKeyPerToken) << " x s; MLP "
       << formatFlops(f0.mlpPerToken);
    if (f0.crossoverSeq)
      os << "; attention dominates beyond s = " << num(*f0.crossoverSeq, 0);
    if (!f0.crossoverNote.empty())
      os << " (" << f0.crossoverNote << ")";
    os << "\n";
  }
  if (!f0.note.empty())
    os << "  note: " << f0.note << "\n";

  for (size_t i = 0; i < t.perDevice.size(); ++i) {
    const TransformerFigures &f = t.perDevice[i];
    const ReportDevice &dev = r.devices[i];
    std::vector<const PhaseResult *> phases;
    if (f.prefill)
      phases.push_back(&*f.prefill);
    if (f.decode)
      phases.push_back(&*f.decode);
    if (phases.empty())
      continue;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header = {"phase (" + dev.spec.name + ")"};
    for (const PhaseResult *p : phases)
      header.push_back(p->name + (p->derived ? " (derived)" : ""));
    rows.push_back(header);
    phaseRows(rows, phases, f, dev);
    if (f.decode) {
      std::vector<std::string> crit = {"critical batch (decode)"};
      std::vector<std::string> cap = {"KV capacity (" +
                                      std::to_string(r.config.numDevices) +
                                      " device" +
                                      (r.config.numDevices > 1 ? "s" : "") + ")"};
      for (const PhaseResult *p : phases) {
        bool dec = p->name == "decode";
        crit.push_back(!dec ? "" : f.criticalBatch ? num(*f.criticalBatch, 0)
                                                   : "never (KV-bound)");
        cap.push_back(!dec ? "" : f.kvCapacityTokens
                                      ? num(*f.kvCapacityTokens, 0) + " tokens"
                                      : "-");
      }
      rows.push_back(crit);
      rows.push_back(cap);
    }
    os << "\n";
    printColumns(os, rows);
    for (const PhaseResult *p : phases)
      if (!p->note.empty())
        os << "  note (" << p->name << "): " << p->note << "\n";

    // Per block kind.
    std::vector<std::vector<std::string>> blocks;
    std::vector<std::string> bh = {"block"};
    for (const PhaseResult *p : phases) {
      bh.push_back(p->name + " FLOPs");
      bh.push_back("time");
      bh.push_back("share");
    }
    blocks.push_back(bh);
    for (unsigned k = 0; k < kNumBlockKinds; ++k) {
      bool any = false;
      for (const PhaseResult *p : phases)
        any |= p->byBlock[k].time > 0 || p->byBlock[k].flops > 0;
      if (!any)
        continue;
      std::vector<std::string> row = {blockKindName((BlockKind)k).str()};
      for (const PhaseResult *p : phases) {
        row.push_back(formatFlops(p->byBlock[k].flops));
        row.push_back(formatTime(p->byBlock[k].time));
        row.push_back(p->totals.time > 0
                          ? num(100 * p->byBlock[k].time / p->totals.time) + "%"
                          : "-");
      }
      blocks.push_back(row);
    }
    os << "\n";
    printColumns(os, blocks);
    // Per layer, compactly.
    const PhaseResult &lp = *phases.front();
    if (!lp.byLayer.empty()) {
      os << "\n  per layer (" << lp.name << " time):";
      for (size_t l = 0; l < lp.byLayer.size(); ++l) {
        if (l % 6 == 0)
          os << "\n   ";
        os << " " << l << ": " << formatTime(lp.byLayer[l].time);
      }
      os << "\n";
    }
  }
}

void mlir::tfperf::printTransformerJSON(const Report &r, llvm::json::OStream &j) {
  const TransformerSection &t = *r.transformer;
  if (t.perDevice.empty())
    return;
  auto number = [&](llvm::StringRef key, std::optional<double> v) {
    j.attributeBegin(key);
    if (!v || std::isnan(*v) || std::isinf(*v))
      j.value(nullptr);
    else if (*v == std::floor(*v) && std::fabs(*v) < 9.0e15)
      j.value(static_cast<int64_t>(*v));
    else
      j.value(*v);
    j.attributeEnd();
  };
  auto optInt = [&](llvm::StringRef key, std::optional<int64_t> v) {
    if (v)
      j.attribute(key, *v);
    else
      j.attribute(key, nullptr);
  };
  const TransformerFigures &f0 = t.perDevice.front();
  j.attributeObject("transformer", [&] {
    const ModelDims &d = f0.dims;
    optInt("n_layers", d.nLayers);
    optInt("d_model", d.dModel);
    optInt("n_heads", d.nHeads);
    optInt("n_kv_heads", d.nKvHeads);
    optInt("d_head", d.dHead);
    optInt("d_ff", d.dFF);
    optInt("vocab", d.vocab);
    optInt("max_positions", d.maxPositions);
    number("kv_cache_bytes_per_token", f0.kvCacheBytesPerToken);
    number("attention_mlp_crossover_seq", f0.crossoverSeq);
    j.attribute("causal", f0.causal);
    j.attributeArray("attention_kinds", [&] {
      for (auto &k : f0.attentionKinds)
        j.value(k);
    });
    j.attributeObject("per_token_gemm_flops", [&] {
      number("attention_fixed", f0.attnProjPerToken);
      number("attention_per_key", f0.attnPerKeyPerToken);
      number("mlp", f0.mlpPerToken);
    });
    if (!f0.crossoverNote.empty())
      j.attribute("crossover_note", f0.crossoverNote);
    number("weight_bytes", f0.weightBytes);
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
      j.attribute("bound", boundName(p.bound()));
      number("tokens_per_s", p.tokensPerSecond());
      j.attribute("unknown_ops", (int64_t)p.totals.unknownOps);
      if (p.name == "decode") {
        j.attribute("derived", p.derived);
        j.attribute("applicable", p.applicable);
        number("critical_batch", f.criticalBatch);
        number("mem_to_compute_time_ratio", f.memToComputeTimeRatio);
        number("kv_capacity_tokens", f.kvCapacityTokens);
        number("kv_cache_bytes", f.kvCacheBytes);
      }
      if (!p.note.empty())
        j.attribute("note", p.note);
      j.attributeObject("by_block", [&] {
        for (unsigned k = 0; k < kNumBlockKinds; ++k)
          j.attributeObject(blockKindName((BlockKind)k), [&] {
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
