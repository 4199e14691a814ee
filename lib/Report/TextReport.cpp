//===- TextReport.cpp - the terminal report -------------------------------===//
//
// Aligned tables with human units and a stable order: totals per device,
// time by op type, the top ops by time, and what could not be costed.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Report/Report.h"

#include "llvm/Support/Format.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::tfperf;

namespace {
/// A table printed with each column padded to its widest cell.
class Table {
public:
  explicit Table(std::vector<std::string> header) { rows.push_back(header); }
  void add(std::vector<std::string> row) { rows.push_back(std::move(row)); }
  /// Columns from `firstNumeric` on are right-aligned.
  void print(llvm::raw_ostream &os, size_t firstNumeric, llvm::StringRef indent = "  ") {
    std::vector<size_t> width;
    for (auto &r : rows)
      for (size_t i = 0; i < r.size(); ++i) {
        if (width.size() <= i)
          width.push_back(0);
        width[i] = std::max(width[i], displayWidth(r[i]));
      }
    for (size_t ri = 0; ri < rows.size(); ++ri) {
      os << indent;
      for (size_t i = 0; i < rows[ri].size(); ++i) {
        const std::string &c = rows[ri][i];
        size_t pad = width[i] - displayWidth(c);
        if (i >= firstNumeric)
          os.indent(pad) << c;
        else
          os << c << std::string(i + 1 < rows[ri].size() ? pad : 0, ' ');
        if (i + 1 < rows[ri].size())
          os << "  ";
      }
      os << "\n";
    }
  }

private:
  static size_t displayWidth(const std::string &s) {
    size_t n = 0;
    for (unsigned char c : s)
      n += (c & 0xC0) != 0x80; // count UTF-8 code points
    return n;
  }
  std::vector<std::vector<std::string>> rows;
};

std::string fixed(double v, int digits = 1) {
  if (std::isnan(v) || std::isinf(v))
    return "-";
  char buf[64];
  snprintf(buf, sizeof(buf), "%.*f", digits, v);
  return buf;
}

std::string percent(double part, double whole) {
  return whole > 0 ? fixed(100 * part / whole) + "%" : "-";
}

std::string truncateName(const std::string &s, size_t n = 48) {
  if (s.size() <= n)
    return s;
  return "..." + s.substr(s.size() - (n - 3));
}
} // namespace

void mlir::tfperf::printTextReport(const Report &r, llvm::raw_ostream &os,
                                   const TextReportOptions &opts) {
  os << "tfperf roofline: " << (r.source.empty() ? r.function : r.source);
  if (!r.function.empty() && !r.source.empty())
    os << " (" << r.function << ")";
  if (!r.producer.empty())
    os << ", exported by " << r.producer;
  os << "\n";
  size_t unknown = 0, shapeOps = 0;
  for (auto &row : r.ops) {
    unknown += !row.record->known;
    shapeOps += row.record->isShapeComputation;
  }
  os << r.ops.size() << " ops, " << r.numWeights << " weights ("
     << formatRate(r.weightElements, "") << " parameters, "
     << formatBytes(r.weightBytes) << ")";
  if (!r.config.computeDtype.empty())
    os << ", compute dtype " << r.config.computeDtype;
  if (!r.config.weightDtype.empty())
    os << ", weight dtype " << r.config.weightDtype;
  os << "\n\n";

  // Totals per device.
  Table totals({"device", "matmul peak", "vector peak", "mem BW", "ridge",
                "FLOPs", "GEMM FLOPs", "bytes", "time", "memory-bound"});
  for (const ReportDevice &d : r.devices) {
    double ridge = d.peakFlops / d.spec.memBandwidth;
    totals.add({d.spec.name,
                formatRate(d.peakFlops, "FLOP/s") + " " + d.peakDtype,
                formatRate(d.spec.vectorPeak, "FLOP/s"),
                formatRate(d.spec.memBandwidth, "B/s"),
                fixed(ridge) + " FLOP/B", formatFlops(d.totals.flops),
                formatFlops(d.totals.gemmFlops), formatBytes(d.totals.bytes),
                formatTime(d.totals.time),
                percent(d.totals.memoryBoundTime, d.totals.time) + " of time"});
  }
  os << "Totals (roofline time is the sum over ops, one at a time)\n";
  totals.print(os, 1);

  if (r.devices.empty())
    return;
  const ReportDevice &primary = r.devices.front();
  if (r.transformer)
    printTransformerText(r, os);

  // Time by op type, sorted by time on the first device.
  std::vector<std::pair<std::string, const ReportTotals *>> types;
  for (auto &e : primary.byOpType)
    types.push_back({e.first, &e.second});
  std::stable_sort(types.begin(), types.end(), [](auto &a, auto &b) {
    return a.second->time > b.second->time;
  });
  std::vector<std::string> header = {"op type", "ops", "FLOPs", "bytes"};
  for (const ReportDevice &d : r.devices)
    header.push_back("time " + d.spec.name);
  header.push_back("share");
  header.push_back("mem/comp ops");
  Table byType(header);
  unsigned zeroCostOps = 0;
  for (auto &[name, t] : types) {
    if (t->flops == 0 && t->bytes == 0 && !t->unknownOps) {
      zeroCostOps += t->ops;
      continue;
    }
    std::vector<std::string> row = {name, std::to_string(t->ops),
                                    formatFlops(t->flops), formatBytes(t->bytes)};
    for (const ReportDevice &d : r.devices)
      row.push_back(formatTime(d.byOpType.lookup(name).time));
    row.push_back(percent(t->time, primary.totals.time));
    row.push_back(std::to_string(t->memoryBoundOps) + "/" +
                  std::to_string(t->computeBoundOps) +
                  (t->unknownOps ? " (" + std::to_string(t->unknownOps) +
                                       " unknown)"
                                 : ""));
    byType.add(row);
  }
  os << "\nTime by op type (" << primary.spec.name << ")\n";
  byType.print(os, 1);
  if (zeroCostOps)
    os << "  (" << zeroCostOps
       << " more ops cost nothing: weights, constants and views)\n";

  // Top ops.
  std::vector<size_t> order;
  for (size_t i = 0; i < r.ops.size(); ++i) {
    const OpFigures &f = r.ops[i].figures[0];
    bool zeroCost = f.flops == 0 && f.bytes == 0;
    if (r.ops[i].record->known && !zeroCost &&
        (opts.showShapeOps || !r.ops[i].record->isShapeComputation))
      order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return r.ops[a].figures[0].time > r.ops[b].figures[0].time;
  });
  std::vector<std::string> th = {"node", "op", "FLOPs", "bytes", "FLOP/B", "bound"};
  if (r.transformer)
    th.insert(th.begin() + 2, "layer/block");
  for (const ReportDevice &d : r.devices)
    th.push_back("time " + d.spec.name);
  Table top(th);
  for (size_t k = 0; k < std::min<size_t>(opts.top, order.size()); ++k) {
    const ReportOpRow &row = r.ops[order[k]];
    const OpFigures &f = row.figures[0];
    std::vector<std::string> cells = {
        truncateName(row.record->name), row.record->opType,
        formatFlops(f.flops), formatBytes(f.bytes), fixed(f.intensity),
        f.problem.empty() ? boundName(f.bound).str() : "unknown"};
    if (r.transformer) {
      OpTag tag = r.transformer->structure->getTag(row.record->op);
      cells.insert(cells.begin() + 2,
                   (tag.layer >= 0 ? std::to_string(tag.layer) + " " : "") +
                       blockKindName(tag.block).str());
    }
    for (auto &fd : row.figures)
      cells.push_back(formatTime(fd.time));
    top.add(cells);
  }
  os << "\nTop " << std::min<size_t>(opts.top, order.size())
     << " ops by time (" << primary.spec.name << ")\n";
  top.print(os, 2);

  if (shapeOps && !opts.showShapeOps)
    os << "\n" << shapeOps
       << " shape-computation ops are counted in the totals but not listed "
          "(--show-shape-ops lists them).\n";
  if (unknown) {
    os << "\nCost unknown for " << unknown << " ops (never counted as 0):\n";
    size_t shown = 0;
    for (auto &row : r.ops)
      if (!row.record->known && shown++ < 20)
        os << "  " << row.record->name << " (" << row.record->opType
           << "): " << row.record->cost.unknownReason << "\n";
    if (shown > 20)
      os << "  ... and " << shown - 20 << " more\n";
  }
  if (!r.unboundSymbols.empty()) {
    os << "\nUnbound symbolic dims (bind with --bind-dims):";
    for (auto &s : r.unboundSymbols)
      os << " " << s;
    os << "\n";
  }
}
