//===- SummaryTables.cpp - the summary shared by text and Markdown --------===//

#include "ServingReport.h"
#include "SummaryTables.h"
#include "Quoting.h"
#include "SymbolicReport.h"

#include "llvm/ADT/MapVector.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::tfperf;

static std::string fixed(double v, int digits = 1) {
  return fixedOrDash(v, digits);
}

static std::string percent(double part, double whole) {
  return whole > 0 ? fixed(100 * part / whole) + "%" : "-";
}

void mlir::tfperf::appendLayerRuns(
    SummaryTable &t, size_t n,
    llvm::function_ref<std::vector<std::string>(size_t layer)> cells) {
  size_t first = 0;
  std::vector<std::string> prev;
  auto flush = [&](size_t end) {
    if (end == first)
      return;
    std::vector<std::string> row = {
        end - first == 1 ? std::to_string(first)
                         : std::to_string(first) + "-" + std::to_string(end - 1)};
    row.insert(row.end(), prev.begin(), prev.end());
    t.rows.push_back(row);
  };
  for (size_t l = 0; l < n; ++l) {
    std::vector<std::string> c = cells(l);
    if (l && c != prev) {
      flush(l);
      first = l;
    }
    prev = std::move(c);
  }
  flush(n);
}

std::string mlir::tfperf::truncateName(const std::string &s, size_t n) {
  if (s.size() <= n)
    return s;
  return "..." + s.substr(s.size() - (n - 3));
}

std::string mlir::tfperf::layerBlockLabel(const Report &r,
                                         const ReportOpRow &row) {
  if (!r.transformer)
    return "";
  OpTag tag = r.transformer->structure->getTag(row.record->op);
  return (tag.layer >= 0 ? std::to_string(tag.layer) + " " : "") +
         stringifyBlockKind(tag.block).str();
}

static bool isFree(const ReportTotals &t) {
  return t.flops == 0 && t.bytes == 0 && !t.unknownOps;
}

std::vector<size_t> mlir::tfperf::opsByTime(const Report &r,
                                            bool showShapeOps) {
  std::vector<size_t> order;
  if (r.devices.empty())
    return order;
  for (size_t i = 0; i < r.ops.size(); ++i) {
    const OpFigures &f = r.ops[i].figures[0];
    bool listable = f.problem.empty() && (f.flops != 0 || f.bytes != 0);
    if (listable && (showShapeOps || !r.ops[i].record->isShapeComputation))
      order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return r.ops[a].figures[0].time > r.ops[b].figures[0].time;
  });
  return order;
}

std::vector<std::pair<std::string, const ReportTotals *>>
mlir::tfperf::opTypesByTime(const ReportDevice &d) {
  std::vector<std::pair<std::string, const ReportTotals *>> types;
  for (auto &e : d.byOpType)
    types.push_back({e.first, &e.second});
  std::stable_sort(types.begin(), types.end(), [](auto &a, auto &b) {
    return a.second->time > b.second->time;
  });
  return types;
}

static SummaryTable devicesTable(const Report &r) {
  const ReportTotals &first = r.devices.front().totals;
  bool sameWork = true, anyUnknown = false;
  for (const ReportDevice &d : r.devices) {
    sameWork &= d.totals.flops == first.flops && d.totals.bytes == first.bytes;
    anyUnknown |= d.totals.unknownOps > 0;
  }
  SummaryTable t;
  t.id = "devices";
  t.title = "Devices (roofline time: the sum over ops, run one at a time)";
  if (r.kernels)
    t.title =
        "Devices (" + timeModelName(r.timing.model).str() +
        " time: the sum over the " +
        (r.timing.view == KernelView::Fused ? "fused kernels"
                                            : "graph's ops, one kernel each") +
        ")";
  t.header = {"device", "matmul peak", "vector peak", "mem BW", "ridge"};
  if (!sameWork)
    t.header.insert(t.header.end(), {"FLOPs", "bytes"});
  t.header.insert(t.header.end(), {"time", "memory-bound"});
  if (r.devices.size() > 1)
    t.header.push_back("speedup");
  if (anyUnknown)
    t.header.push_back("unknown ops");
  if (r.kernels)
    t.header.push_back("time model");
  for (auto [index, d] : llvm::enumerate(r.devices)) {
    bool hasPeak = d.peakFlops > 0;
    std::vector<std::string> row = {
        d.spec.name,
        hasPeak ? formatRate(d.peakFlops, "FLOP/s") + " " + d.peakDtype
                : "no " + d.peakDtype,
        formatRate(d.spec.vectorPeak, "FLOP/s"),
        formatRate(d.spec.memBandwidth, "B/s"),
        hasPeak ? fixed(d.peakFlops / d.spec.memBandwidth) + " FLOP/B" : "-"};
    if (!sameWork)
      row.insert(row.end(),
                 {formatFlops(d.totals.flops), formatBytes(d.totals.bytes)});
    row.push_back(formatTime(d.totals.time));
    row.push_back(percent(d.totals.memoryBoundTime, d.totals.time) +
                  " of time");
    // Only the same work compares (a device may leave ops unknown).
    bool comparable = d.totals.flops == first.flops &&
                      d.totals.bytes == first.bytes && d.totals.time > 0;
    if (r.devices.size() > 1)
      row.push_back(comparable ? fixed(first.time / d.totals.time, 2) + "\u00d7"
                               : "-");
    if (anyUnknown)
      row.push_back(std::to_string(d.totals.unknownOps));
    if (r.kernels)
      row.push_back(timeModelLabel(r, index));
    t.rows.push_back(row);
  }
  if (r.devices.size() > 1)
    t.notes.push_back("speedup: time on " + r.devices.front().spec.name +
                      " / time on the device");
  return t;
}

static SummaryTable opTypeTable(const Report &r) {
  const ReportDevice &primary = r.devices.front();
  SummaryTable t;
  t.id = "op-types";
  t.title = "Time by op type (" + primary.spec.name + ")";
  t.header = {"op type", "ops", "FLOPs", "bytes"};
  for (const ReportDevice &d : r.devices)
    t.header.push_back("time " + d.spec.name);
  t.header.insert(t.header.end(), {"share", "mem/comp ops"});
  unsigned freeOps = 0;
  for (auto &[name, tot] : opTypesByTime(primary)) {
    if (isFree(*tot)) {
      freeOps += tot->ops;
      continue;
    }
    // A type none of whose ops is known has no figures, not zero ones.
    auto known = [&](const ReportTotals &t, std::string text) {
      return t.unknownOps == t.ops ? std::string("?") : text;
    };
    std::vector<std::string> row = {name, std::to_string(tot->ops),
                                    known(*tot, formatFlops(tot->flops)),
                                    known(*tot, formatBytes(tot->bytes))};
    for (const ReportDevice &d : r.devices) {
      ReportTotals t = d.byOpType.lookup(name);
      row.push_back(known(t, formatTime(t.time)));
    }
    row.push_back(known(*tot, percent(tot->time, primary.totals.time)));
    std::string bounds = std::to_string(tot->memoryBoundOps) + "/" +
                         std::to_string(tot->computeBoundOps);
    if (tot->unknownOps)
      bounds += " (" + std::to_string(tot->unknownOps) + " unknown)";
    row.push_back(bounds);
    t.rows.push_back(row);
  }
  if (freeOps)
    t.notes.push_back("(" + std::to_string(freeOps) +
                      " more ops cost nothing: weights, constants and views)");
  return t;
}

static SummaryTable topOpsTable(const Report &r,
                                const TextReportOptions &opts) {
  const ReportDevice &primary = r.devices.front();
  std::vector<size_t> order = opsByTime(r, opts.showShapeOps);
  size_t shown = std::min<size_t>(opts.top, order.size());
  SummaryTable t;
  t.id = "top-ops";
  t.title = (shown ? "Top " + std::to_string(shown) + " ops" : "Top ops") +
            " by time (" + primary.spec.name + ")";
  t.firstNumeric = 2;
  t.header = {"node", "op", "FLOPs", "bytes", "FLOP/B", "bound"};
  if (r.transformer) {
    t.header.insert(t.header.begin() + 2, "layer/block");
    t.firstNumeric = 3;
  }
  for (const ReportDevice &d : r.devices)
    t.header.push_back("time " + d.spec.name);
  t.header.push_back("share");
  for (size_t k = 0; k < shown; ++k) {
    const ReportOpRow &row = r.ops[order[k]];
    const OpFigures &f = row.figures[0];
    std::vector<std::string> cells = {truncateName(row.record->name),
                                      row.record->opType,
                                      formatFlops(f.flops),
                                      formatBytes(f.bytes),
                                      fixed(f.intensity),
                                      stringifyBound(f.bound).str()};
    if (r.transformer)
      cells.insert(cells.begin() + 2, layerBlockLabel(r, row));
    for (const OpFigures &fd : row.figures)
      cells.push_back(fd.problem.empty() ? formatTime(fd.time) : "?");
    cells.push_back(percent(f.time, primary.totals.time));
    t.rows.push_back(cells);
  }
  if (!shown) {
    t.header.clear();
    t.notes.push_back("(no op of known cost)");
  }
  size_t shapeOps = 0;
  for (const ReportOpRow &row : r.ops)
    shapeOps += row.record->isShapeComputation;
  if (shapeOps && !opts.showShapeOps)
    t.notes.push_back(std::to_string(shapeOps) +
                      " shape-computation ops are counted in the totals but "
                      "not listed (--show-shape-ops lists them).");
  return t;
}

/// Ops without figures on some device, grouped by reason so that a graph
/// with unbound dims says so once rather than once per op.
static SummaryTable unknownOps(const Report &r) {
  llvm::MapVector<llvm::StringRef, std::vector<const ReportOpRow *>> byReason;
  size_t count = 0;
  for (const ReportOpRow &row : r.ops)
    for (const OpFigures &f : row.figures)
      if (!f.problem.empty()) {
        byReason[f.problem].push_back(&row);
        ++count;
        break;
      }
  SummaryTable t;
  t.id = "unknown";
  if (!count)
    return t;
  t.title =
      "Cost unknown for " + std::to_string(count) + " ops (never counted as 0)";
  auto nameOf = [](const ReportOpRow *row) {
    return row->record->name + " (" + row->record->opType + ")";
  };
  for (auto &[reason, rows] : byReason) {
    if (rows.size() <= 3) {
      for (const ReportOpRow *row : rows)
        t.notes.push_back(nameOf(row) + ": " + reason.str());
      continue;
    }
    t.notes.push_back(std::to_string(rows.size()) + " ops, e.g. " +
                      nameOf(rows[0]) + ", " + nameOf(rows[1]) + ": " +
                      reason.str());
  }
  return t;
}

Summary mlir::tfperf::buildSummary(const Report &r,
                                   const TextReportOptions &opts) {
  Summary s;
  s.title = "tfperf roofline: " + (r.source.empty() ? r.function : r.source);
  if (!r.function.empty() && !r.source.empty())
    s.title += " (" + r.function + ")";
  if (!r.producer.empty())
    s.title += ", exported by " + r.producer;

  std::string size = std::to_string(r.ops.size()) + " ops, " +
                     std::to_string(r.numWeights) + " weights (" +
                     formatRate(r.weightElements, "") + " parameters, " +
                     formatBytes(r.weightBytes) + ")";
  if (!r.config.getComputeDtype().empty())
    size += ", compute dtype " + r.config.getComputeDtype().str();
  if (!r.config.getWeightDtype().empty())
    size += ", weight dtype " + r.config.getWeightDtype().str();
  s.lines.push_back(size);
  if (r.quantizedWeights) {
    std::string storage = "Weight storage:";
    for (auto [i, row] : llvm::enumerate(r.weightStorage))
      storage += std::string(i ? "," : "") + " " + row.dtype + " " +
                 formatRate(row.parameters, "") + " parameters (" +
                 formatBytes(row.bytes) + ")";
    s.lines.push_back(storage);
  }
  if (r.devices.empty())
    return s;

  const ReportTotals &t = r.devices.front().totals;
  std::string work = "Work: " + formatFlops(t.flops) + " (" +
                     percent(t.gemmFlops, t.flops) + " in matmuls), " +
                     formatBytes(t.bytes) + " of memory traffic, " +
                     fixed(t.bytes > 0 ? t.flops / t.bytes : 0) + " FLOP/B";
  if (t.unknownOps)
    work += " (ops of known cost)";
  s.lines.push_back(work);

  s.tables.push_back(devicesTable(r));
  appendKernelTables(r, s.tables);
  // Tables of later analyses go here, so text, Markdown and HTML show them
  // alike.
  appendTransformerTables(r, s.tables);
  appendSymbolicTables(r, opts, s.tables);
  appendTrainingTables(r, s.tables);
  appendParallelTrainingTables(r, s.tables);
  if (r.serving)
    appendServingTables(*r.serving, s.tables);
  s.tables.push_back(opTypeTable(r));
  s.tables.push_back(topOpsTable(r, opts));
  if (r.transformer)
    appendLayerTable(r, s.tables);
  appendTensorParallelTables(r, s.tables, opts.top);
  appendExpertParallelTables(r, s.tables);
  appendTrainingOpTable(r, s.tables);
  if (SummaryTable u = unknownOps(r); !u.title.empty())
    s.tables.push_back(std::move(u));
  if (!r.unboundSymbols.empty()) {
    SummaryTable u;
    u.id = "unbound";
    u.title = "Unbound symbolic dims (bind with --bind-dims)";
    std::string names;
    for (const std::string &n : r.unboundSymbols)
      names += (names.empty() ? "" : " ") + n;
    u.notes.push_back(names);
    // Where each one comes from: the first few inputs it sizes, and what a
    // quantization parameter's length may be.
    constexpr size_t kInputsShown = 3;
    for (const SymbolSource &src : r.unboundSymbolSources) {
      if (src.inputs.empty())
        continue;
      std::string line = src.symbol + ": ";
      for (size_t i = 0; i < std::min(src.inputs.size(), kInputsShown); ++i)
        line += (i ? ", " : "") + src.inputs[i];
      if (src.inputs.size() > kInputsShown)
        line += " (+" + std::to_string(src.inputs.size() - kInputsShown) +
                " more)";
      if (!src.note.empty())
        line += "; " + src.note;
      u.notes.push_back(line);
    }
    s.tables.push_back(std::move(u));
  }
  return s;
}
