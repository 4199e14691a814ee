//===- CSVReport.cpp - the per-op CSV report ------------------------------===//
//
// One row per op, in IR order, with every per-op figure of the JSON report;
// with the transformer analysis, its layer and block; with several devices,
// a time and bound column per device; with --tp, each op's per-device time
// and collective time at every feasible degree, per phase. Fields are
// quoted as RFC 4180 says (node names hold commas, slashes and quotes);
// rows end in "\n"; unknown numbers are empty fields.
//
//===----------------------------------------------------------------------===//

#include "Quoting.h"
#include "SummaryTables.h"
#include "SymbolicReport.h"
#include "tfperf/Analysis/ExpertParallel.h"
#include "tfperf/Report/Report.h"

#include "llvm/ADT/DenseSet.h"

#include <map>

using namespace mlir;
using namespace mlir::tfperf;

/// Per layer, the attention mechanisms of its blocks beyond softmax over
/// every key (`mla`, `sliding`, `linear`), space-separated; empty when the
/// graph has none (the column is then left out).
static std::map<int, std::string>
attentionMechanismsByLayer(const TransformerStructure &s) {
  std::map<int, std::string> byLayer;
  for (const AttentionBlock &a : s.getAttentions())
    for (auto [has, name] : {std::pair{a.latent.isRecognised(), "mla"},
                             std::pair{a.window.has_value(), "sliding"},
                             std::pair{a.linear, "linear"}}) {
      if (!has)
        continue;
      std::string &kinds = byLayer[a.layer];
      if (!llvm::StringRef(kinds).contains(name))
        kinds += (kinds.empty() ? "" : " ") + std::string(name);
    }
  return byLayer;
}

void mlir::tfperf::printCSVReport(const Report &r, llvm::raw_ostream &os) {
  auto row = [&](llvm::ArrayRef<std::string> fields) {
    for (size_t i = 0; i < fields.size(); ++i)
      os << (i ? "," : "") << csvField(fields[i]);
    os << "\n";
  };
  bool perDevice = r.devices.size() > 1;
  std::vector<std::string> header = {
      "name",      "op",    "flops",  "gemm_flops",        "bytes",
      "intensity", "bound", "time_s", "shape_computation", "unknown_reason"};
  // The transformer analysis tags each op with its layer and block.
  bool tagged = r.transformer.has_value();
  if (tagged)
    header.insert(header.begin() + 2, {"layer", "block"});
  if (perDevice)
    for (const ReportDevice &d : r.devices) {
      header.push_back("time_s@" + d.spec.name);
      header.push_back("bound@" + d.spec.name);
    }
  // With a kernel view or time model: each op's fused kernel (its rows
  // grouped by `kernel` are the kernels table) and how its times were made.
  bool kernels = r.kernels != nullptr;
  if (kernels) {
    header.insert(header.end(), {"kernel", "kernel_class", "time_model"});
    if (perDevice)
      for (const ReportDevice &d : r.devices)
        header.push_back("time_model@" + d.spec.name);
  }
  // With --tp: each op's time and the collective's after it on one device
  // of the first, per phase and feasible degree (ops[].tp.per_device).
  const TensorParallelFigures *tp =
      r.tensorParallel && !r.tensorParallel->perDevice.empty()
          ? &r.tensorParallel->perDevice.front()
          : nullptr;
  std::vector<std::pair<const TPOpTable *, size_t>> tpColumns;
  if (tp)
    for (bool decode : {false, true}) {
      const TPOpTable &ops = decode ? tp->decodeOps : tp->prefillOps;
      if (ops.getOps().empty())
        continue;
      for (auto [k, d] : llvm::enumerate(tp->degrees)) {
        if (!d.feasibility.feasible)
          continue;
        tpColumns.push_back({&ops, k});
        std::string phase = decode ? "decode" : "prefill";
        std::string at = "@tp" + std::to_string(d.tp);
        header.push_back(phase + "_time_s" + at);
        header.push_back(phase + "_comm_time_s" + at);
      }
    }
  // With --ep on a MoE graph: each op's time on one device of each layout
  // with ep > 1, per phase: its time at the layout's tp, a routed expert's
  // divided by ep (the all-to-alls belong to no op); under a skewed routing
  // the busiest device's share of it.
  struct EPColumn {
    const TPOpTable *ops;
    size_t k;
    double routedShare;
  };
  std::vector<EPColumn> epColumns;
  llvm::DenseSet<Operation *> routed;
  if (tp && !r.tensorParallel->expertPerDevice.empty() &&
      r.tensorParallel->expertPerDevice.front().hasExperts) {
    routed = routedExpertOps(routedExpertBlocks(*r.transformer->structure));
    for (bool decode : {false, true}) {
      const TPOpTable &ops = decode ? tp->decodeOps : tp->prefillOps;
      if (ops.getOps().empty())
        continue;
      const ExpertParallelFigures &ep = r.tensorParallel->expertPerDevice.front();
      for (const EPLayout &l : ep.layouts) {
        if (l.ep == 1 || !l.feasible)
          continue;
        const auto &phase = decode ? l.decode : l.prefill;
        double share = ep.routing && phase ? phase->busiestShare
                                           : 1.0 / double(l.ep);
        for (auto [k, d] : llvm::enumerate(tp->degrees))
          if (d.tp == l.tp)
            epColumns.push_back({&ops, k, share});
        header.push_back((decode ? "decode" : "prefill") +
                         std::string("_time_s@ep") + std::to_string(l.ep) +
                         "tp" + std::to_string(l.tp));
      }
    }
  }
  // With --symbolic: each op's formulas (empty for ops of unknown cost).
  bool symbolic = r.symbolic != nullptr;
  if (symbolic)
    header.insert(header.end(),
                  {"flops_formula", "gemm_flops_formula", "bytes_formula"});
  // With latent, windowed or linear attention: each attention op's
  // mechanism (its layer's).
  std::map<int, std::string> mechanisms;
  if (tagged)
    mechanisms = attentionMechanismsByLayer(*r.transformer->structure);
  if (!mechanisms.empty())
    header.push_back("attention_mechanism");
  // The model's schema-1.2 structure fields (experts, latent, window,
  // kinds): the same in every row, columns only where the graph has them.
  auto structure = transformerStructureFields(r);
  for (const auto &field : structure)
    header.push_back(field.first);
  auto structureColumns = [&](std::vector<std::string> &fields) {
    for (const auto &field : structure)
      fields.push_back(field.second);
  };
  auto mechanism = [&](Operation *op, std::vector<std::string> &fields) {
    if (mechanisms.empty())
      return;
    OpTag tag = r.transformer->structure->getTag(op);
    bool attention = tag.block == BlockKind::Attention ||
                     tag.block == BlockKind::AttentionScores;
    auto it = mechanisms.find(tag.layer);
    fields.push_back(attention && it != mechanisms.end() ? it->second : "");
  };
  row(header);
  auto formulas = [&](size_t index, std::vector<std::string> &fields) {
    if (!symbolic)
      return;
    const SymbolicOpCost &c = r.symbolic->costs->getOps()[index];
    FormulaStyle exact;
    exact.unicode = false;
    fields.push_back(c.known ? c.flops.str() : "");
    fields.push_back(c.known ? c.gemmFlops.str() : "");
    fields.push_back(c.known ? formatBytesFormula(c.bits, exact) : "");
  };

  auto bound = [](const OpFigures &f) {
    return (f.problem.empty() ? stringifyBound(f.bound) : "unknown").str();
  };
  for (size_t index = 0; index < r.ops.size(); ++index) {
    const ReportOpRow &op = r.ops[index];
    const OpCostRecord &rec = *op.record;
    std::vector<std::string> fields = {rec.name, rec.opType};
    if (tagged) {
      OpTag tag = r.transformer->structure->getTag(rec.op);
      fields.push_back(tag.layer >= 0 ? std::to_string(tag.layer) : "");
      fields.push_back(stringifyBlockKind(tag.block).str());
    }
    if (op.figures.empty()) {
      // No device: the costs alone.
      fields.resize(header.size() - (symbolic ? 3 : 0) -
                    (mechanisms.empty() ? 0 : 1) - structure.size());
      fields[tagged ? 10 : 8] = rec.isShapeComputation ? "true" : "false";
      formulas(index, fields);
      mechanism(rec.op, fields);
      structureColumns(fields);
      row(fields);
      continue;
    }
    const OpFigures &f = op.figures.front();
    bool ok = f.problem.empty();
    auto known = [&](double v) { return ok ? plainNumber(v) : ""; };
    fields.push_back(known(f.flops));
    fields.push_back(known(f.gemmFlops));
    fields.push_back(known(f.bytes));
    fields.push_back(known(f.intensity));
    fields.push_back(bound(f));
    fields.push_back(known(f.time));
    fields.push_back(rec.isShapeComputation ? "true" : "false");
    fields.push_back(f.problem);
    if (perDevice)
      for (const OpFigures &fd : op.figures) {
        fields.push_back(fd.problem.empty() ? plainNumber(fd.time) : "");
        fields.push_back(bound(fd));
      }
    if (kernels) {
      const Kernel *k = r.kernels->getView(KernelView::Fused).lookup(rec.op);
      fields.push_back(k ? k->name : "");
      fields.push_back(k ? stringifyKernelClass(k->cls).str() : "");
      fields.push_back(timeModelLabel(r, 0));
      if (perDevice)
        for (size_t d = 0; d < r.devices.size(); ++d)
          fields.push_back(timeModelLabel(r, d));
    }
    for (auto [ops, k] : tpColumns) {
      const TPOpFigures *o = ops->lookup(rec.op);
      fields.push_back(o ? plainNumber(o->degrees[k].time) : "");
      fields.push_back(o ? plainNumber(o->degrees[k].commTime) : "");
    }
    for (const EPColumn &c : epColumns) {
      const TPOpFigures *o = c.ops->lookup(rec.op);
      double share = routed.count(rec.op) ? c.routedShare : 1.0;
      fields.push_back(o ? plainNumber(o->degrees[c.k].time * share) : "");
    }
    formulas(index, fields);
    mechanism(rec.op, fields);
    structureColumns(fields);
    row(fields);
  }
}
