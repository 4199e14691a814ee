//===- HTMLReport.cpp - the self-contained HTML report --------------------===//
//
// One file that opens offline: inline CSS, inline SVG charts drawn by
// Charts.h, a little inline JavaScript to sort and filter the op table, and
// a Content-Security-Policy that forbids loading anything else. The page is
// a list of sections (see `sections` below); later analyses add theirs
// there and the navigation follows.
//
//===----------------------------------------------------------------------===//

#include "ServingReport.h"
#include "Charts.h"
#include "Quoting.h"
#include "SummaryTables.h"
#include "SymbolicReport.h"

#include <cmath>
#include <functional>

using namespace mlir;
using namespace mlir::tfperf;

static const char *const kStyle = R"css(
:root { --memory: #3f6fd1; --compute: #e07a2b; --unknown: #999; --ink: #1d2430;
  --muted: #5d6778; --rule: #d9dee7; --panel: #f6f8fb; }
* { box-sizing: border-box; }
body { margin: 0; padding: 20px 28px 40px; color: var(--ink); background: #fff;
  font: 14px/1.45 "DejaVu Sans", "Liberation Sans", system-ui, sans-serif; }
main { max-width: 1280px; }
h1 { font-size: 21px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 30px 0 10px; padding-bottom: 4px;
  border-bottom: 1px solid var(--rule); }
p.lede { margin: 2px 0; color: var(--muted); }
nav ol { list-style: none; padding: 0; margin: 12px 0 0; display: flex;
  flex-wrap: wrap; gap: 6px 18px; }
nav a { color: var(--memory); text-decoration: none; }
nav a:hover { text-decoration: underline; }
.charts { display: flex; flex-wrap: wrap; gap: 18px; }
.chart { background: var(--panel); border: 1px solid var(--rule);
  border-radius: 6px; padding: 8px; }
svg text { font: 12px "DejaVu Sans", "Liberation Sans", sans-serif;
  fill: var(--ink); }
svg .chart-title { font-size: 14px; font-weight: bold; }
svg .chart-subtitle { font-weight: normal; fill: var(--muted); }
svg .plot-bg { fill: #fff; stroke: var(--rule); }
svg .grid line { stroke: #e8ebf0; }
svg .axis line { stroke: #6b7280; }
svg .axis text { fill: var(--muted); font-size: 11px; }
svg .axis .axis-title { fill: var(--ink); font-size: 12px; }
svg .ceiling { fill: none; stroke: #222; stroke-width: 2; }
svg .vector-roof { stroke: #777; stroke-dasharray: 6 4; stroke-width: 1.5; }
svg .label { font-size: 11px; fill: #333; }
svg .ridge line { stroke: #b01e1e; stroke-dasharray: 2 3; }
svg .ridge circle { fill: #b01e1e; }
svg .ridge text { fill: #b01e1e; font-size: 11px; }
svg .mark { fill-opacity: 0.55; stroke-width: 1; }
svg .mark:hover { fill-opacity: 0.9; stroke-width: 2; }
svg .memory { fill: var(--memory); stroke: var(--memory); }
svg .compute { fill: var(--compute); stroke: var(--compute); }
svg .bar { stroke: none; }
svg .bar-row:hover .bar { opacity: 0.75; }
svg .bar-axis { stroke: #6b7280; }
svg .segment { stroke: #fff; stroke-width: 1; }
svg .segment:hover { opacity: 0.8; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.legend { margin: 8px 0 0; color: var(--muted); font-size: 13px; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 50%;
  margin: 0 4px 0 10px; vertical-align: -1px; }
.swatch.memory { background: var(--memory); }
.swatch.compute { background: var(--compute); }
.note { color: var(--muted); font-size: 13px; margin: 6px 0; }
table { border-collapse: collapse; font-size: 13px; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--rule);
  text-align: left; white-space: nowrap; }
th { background: var(--panel); position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.name { max-width: 420px; overflow: hidden; text-overflow: ellipsis; }
tbody tr:hover { background: #eef3fb; }
table.sortable th { cursor: pointer; user-select: none; }
table.sortable th[aria-sort=descending]::after { content: " \25BE"; }
table.sortable th[aria-sort=ascending]::after { content: " \25B4"; }
span.bound { padding: 0 6px; border-radius: 3px; color: #fff; font-size: 12px; }
span.bound.memory { background: var(--memory); }
span.bound.compute { background: var(--compute); }
span.bound.unknown { background: var(--unknown); }
.table-tools { margin: 6px 0 8px; }
.table-tools input { font: inherit; padding: 3px 6px; width: 280px; }
.scroll { max-height: 640px; overflow: auto; border: 1px solid var(--rule); }
footer { margin-top: 34px; color: var(--muted); font-size: 12px; }
)css";

// Sorts the op table by a clicked header (numbers by their data-v value,
// unknown last), filters it by name or op type, and says when it is done
// (the browser test reads the DOM after scripts ran).
static const char *const kScript = R"js(
(function () {
  function key(cell, numeric) {
    if (!numeric) return cell.textContent;
    var v = cell.getAttribute('data-v');
    return v === null || v === '' ? NaN : Number(v);
  }
  function sortBy(table, index, th) {
    var numeric = th.classList.contains('num');
    var current = th.getAttribute('aria-sort');
    var descending = current ? current === 'ascending' : numeric;
    Array.prototype.forEach.call(th.parentNode.cells, function (h) {
      h.removeAttribute('aria-sort');
    });
    th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[index], numeric), y = key(b.cells[index], numeric);
      if (numeric) {
        if (isNaN(x) || isNaN(y)) return isNaN(x) - isNaN(y);
        return descending ? y - x : x - y;
      }
      return descending ? y.localeCompare(x) : x.localeCompare(y);
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.tabIndex = 0;
      th.addEventListener('click', function () { sortBy(table, i, th); });
      th.addEventListener('keydown', function (e) {
        if (e.key === 'Enter') sortBy(table, i, th);
      });
    });
  });
  var filter = document.getElementById('op-filter');
  if (filter) filter.addEventListener('input', function () {
    var q = filter.value.toLowerCase();
    document.querySelectorAll('#op-table tbody tr').forEach(function (tr) {
      var text = (tr.cells[1].textContent + ' ' + tr.cells[2].textContent);
      tr.hidden = q !== '' && text.toLowerCase().indexOf(q) < 0;
    });
  });
  document.documentElement.setAttribute('data-tfperf-ready', 'true');
})();
)js";

namespace {
/// One section of the page; the navigation lists them in order.
struct Section {
  std::string id, title;
  std::function<void(llvm::raw_ostream &)> body;
};
} // namespace

static void summaryTableHTML(const SummaryTable &t, llvm::raw_ostream &os) {
  if (!t.header.empty()) {
    os << "<table class=\"summary\">\n<thead><tr>";
    for (size_t i = 0; i < t.header.size(); ++i)
      os << "<th" << (i >= t.firstNumeric ? " class=\"num\"" : "") << ">"
         << htmlEscape(t.header[i]) << "</th>";
    os << "</tr></thead>\n<tbody>\n";
    for (const auto &row : t.rows) {
      os << "<tr>";
      for (size_t i = 0; i < row.size(); ++i)
        os << "<td" << (i >= t.firstNumeric ? " class=\"num\"" : "") << ">"
           << htmlEscape(row[i]) << "</td>";
      os << "</tr>\n";
    }
    os << "</tbody></table>\n";
  }
  for (const std::string &n : t.notes)
    os << "<p class=\"note\">" << htmlEscape(n) << "</p>\n";
}

/// Each table of `s` that `pick` selects, under its title.
static void titledTables(const Summary &s,
                         llvm::function_ref<bool(llvm::StringRef id)> pick,
                         llvm::raw_ostream &os) {
  for (const SummaryTable &t : s.tables)
    if (pick(t.id)) {
      os << "<h3>" << htmlEscape(t.title) << "</h3>\n";
      summaryTableHTML(t, os);
    }
}

static void rooflineSection(const Report &r, const RooflinePlot &plot,
                            llvm::raw_ostream &os) {
  os << "<div class=\"charts\">\n";
  for (size_t d = 0; d < r.devices.size(); ++d) {
    os << "<div class=\"chart\">\n";
    writeRooflineSVG(r, plot, d, os);
    os << "</div>\n";
  }
  os << "</div>\n<p class=\"legend\">Each mark is one op, or the ops of one "
        "type with identical figures (the same op in every layer: hover "
        "for their names). Area is proportional to time;"
        "<span class=\"swatch memory\"></span>memory-bound"
        "<span class=\"swatch compute\"></span>compute-bound. Solid line: "
        "memory bandwidth, then the matmul peak; dashed: the vector peak "
        "(ops that are not matmuls). Marks sit under the ceiling of their "
        "own mix of matmul and vector FLOPs.</p>\n";
  os << "<p class=\"note\" id=\"roofline-counts\" data-marks=\""
     << plot.marks.size() << "\" data-ops=\"" << plot.plottedOps << "\">"
     << plot.marks.size() << " marks for " << plot.plottedOps << " ops.";
  if (plot.dataMovementOps) {
    const ReportDevice &primary = r.devices.front();
    char share[32] = "";
    if (primary.totals.time > 0)
      snprintf(share, sizeof(share), ", %.1f%%",
               100 * plot.dataMovementTime / primary.totals.time);
    os << " Not drawn: " << plot.dataMovementOps
       << " ops that only move data (no FLOPs, so no point on a log scale; "
       << formatTime(plot.dataMovementTime) << share << " of the time on "
       << htmlEscape(primary.spec.name) << ")";
  }
  if (plot.shapeOps)
    os << (plot.dataMovementOps ? ";" : " Not drawn:") << " " << plot.shapeOps
       << " shape computations (--show-shape-ops draws them)";
  if (plot.unknownOps)
    os << ((plot.dataMovementOps || plot.shapeOps) ? ";" : " Not drawn:") << " "
       << plot.unknownOps << " ops of unknown cost";
  if (plot.dataMovementOps || plot.shapeOps || plot.unknownOps)
    os << ".";
  os << "</p>\n";
}

static void barsSection(const Report &r, const Summary &s,
                        llvm::raw_ostream &os) {
  BarPlan plan = planTimeBars(r);
  os << "<div class=\"charts\">\n";
  for (size_t d = 0; d < r.devices.size(); ++d) {
    os << "<div class=\"chart\">\n";
    writeTimeBarsSVG(r, plan, d, os);
    os << "</div>\n";
  }
  os << "</div>\n<p class=\"legend\">Bars split into the time of"
        "<span class=\"swatch memory\"></span>memory-bound and"
        "<span class=\"swatch compute\"></span>compute-bound ops.</p>\n";
  for (const SummaryTable &t : s.tables)
    if (t.id == "op-types")
      summaryTableHTML(t, os);
}

/// Prefill vs decode: the chart per device, then the transformer tables.
static void transformerSection(const Report &r, const Summary &s,
                               llvm::raw_ostream &os) {
  bool anyPhase = false;
  for (const TransformerFigures &f : r.transformer->perDevice)
    anyPhase |= f.prefill || f.decode;
  if (anyPhase) {
    os << "<div class=\"charts\">\n";
    for (size_t d = 0; d < r.transformer->perDevice.size(); ++d) {
      const TransformerFigures &f = r.transformer->perDevice[d];
      if (!f.prefill && !f.decode)
        continue;
      os << "<div class=\"chart\">\n";
      writePhaseBlocksSVG(r, d, os);
      os << "</div>\n";
    }
    os << "</div>\n<p class=\"legend\">";
    for (unsigned k = 0; k < kNumBlockKinds; ++k)
      os << "<span class=\"swatch\" style=\"background:"
         << blockKindColor(static_cast<BlockKind>(k)) << "\"></span>"
         << stringifyBlockKind(static_cast<BlockKind>(k));
    os << "</p>\n";
  }
  titledTables(
      s,
      [](llvm::StringRef id) {
        return id == "transformer" || id == "phases" || id == "blocks" ||
               id == "layers";
      },
      os);
}

/// The formulas: symbols, totals, per layer, crossover, distinct ops.
static void symbolicSection(const Summary &s, llvm::raw_ostream &os) {
  titledTables(
      s, [](llvm::StringRef id) { return id.starts_with("symbolic-"); }, os);
}

/// The sweep: time along its x axis per device, then its table.
static void sweepSection(const Report &r, const Summary &s,
                         llvm::raw_ostream &os) {
  const SymbolicSection &sym = *r.symbolic;
  if (sym.xAxis >= 0) {
    os << "<div class=\"charts\">\n";
    writeSweepCharts(r, os);
    os << "</div>\n<p class=\"legend\">Roofline time (each op max(FLOPs / "
          "peak, bytes / bandwidth), summed) evaluated from the cost "
          "formulas at every point. The dashed vertical line is where the "
          "attention GEMM FLOPs of a layer overtake the MLP's (solved from "
          "the formulas); the dot is where attention time overtakes MLP "
          "time on the device.";
    if (sym.sweep->hasTensorParallel)
      os << " With tp: time per device, the collectives (ring all-reduce "
            "and all-gather over the device's link) included; the attention "
            "and MLP lines are those of the first series.";
    os << "</p>\n";
  }
  titledTables(s, [](llvm::StringRef id) { return id == "sweep"; }, os);
}

static void opTable(const Report &r, const TextReportOptions &opts,
                    llvm::raw_ostream &os) {
  const ReportDevice &primary = r.devices.front();
  bool several = r.devices.size() > 1;
  os << "<div class=\"table-tools\"><input id=\"op-filter\" type=\"search\" "
        "placeholder=\"filter by node or op type\" aria-label=\"filter\"> "
        "<span class=\"note\">Click a header to sort.</span></div>\n"
     << "<div class=\"scroll\"><table class=\"sortable\" id=\"op-table\">\n"
     << "<thead><tr><th class=\"num\">#</th><th>node</th><th>op</th>"
     << (r.transformer ? "<th>layer/block</th>" : "")
     << "<th class=\"num\">FLOPs</th><th class=\"num\">bytes</th>"
     << "<th class=\"num\">FLOP/B</th>";
  for (const ReportDevice &d : r.devices) {
    std::string suffix = several ? " " + htmlEscape(d.spec.name) : "";
    // The rows start sorted by time on the first device.
    os << "<th class=\"num\""
       << (&d == &primary ? " aria-sort=\"descending\"" : "") << ">time"
       << suffix << "</th><th>bound" << suffix << "</th>";
  }
  os << "<th class=\"num\">share</th></tr></thead>\n<tbody>\n";

  // Every op that costs something or whose cost is unknown, by time.
  std::vector<size_t> order = opsByTime(r, opts.showShapeOps);
  for (size_t i = 0; i < r.ops.size(); ++i)
    if (!r.ops[i].figures.front().problem.empty())
      order.push_back(i);
  auto cell = [&](double v, const std::string &text) {
    os << "<td class=\"num\" data-v=\"" << plainNumber(v) << "\">"
       << htmlEscape(text) << "</td>";
  };
  for (size_t i : order) {
    const ReportOpRow &row = r.ops[i];
    const OpFigures &f = row.figures.front();
    bool ok = f.problem.empty();
    os << "<tr><td class=\"num\" data-v=\"" << i << "\">" << i
       << "</td><td class=\"name\" title=\"" << htmlEscape(row.record->name)
       << "\">" << htmlEscape(row.record->name) << "</td><td>"
       << htmlEscape(row.record->opType) << "</td>";
    if (r.transformer)
      os << "<td>" << htmlEscape(layerBlockLabel(r, row)) << "</td>";
    cell(ok ? f.flops : NAN, ok ? formatFlops(f.flops) : "?");
    cell(ok ? f.bytes : NAN, ok ? formatBytes(f.bytes) : "?");
    char intensity[32] = "?";
    if (ok)
      snprintf(intensity, sizeof(intensity), "%.1f", f.intensity);
    cell(ok ? f.intensity : NAN, intensity);
    for (const OpFigures &fd : row.figures) {
      bool known = fd.problem.empty();
      cell(known ? fd.time : NAN, known ? formatTime(fd.time) : "?");
      llvm::StringRef bound = known ? stringifyBound(fd.bound) : "unknown";
      os << "<td><span class=\"bound " << bound << "\"";
      if (!known)
        os << " title=\"" << htmlEscape(fd.problem) << "\"";
      os << ">" << bound << "</span></td>";
    }
    double share = ok && primary.totals.time > 0
                       ? 100 * f.time / primary.totals.time
                       : NAN;
    char text[32] = "?";
    if (ok)
      snprintf(text, sizeof(text), "%.1f%%", share);
    cell(share, text);
    os << "</tr>\n";
  }
  os << "</tbody></table></div>\n<p class=\"note\">" << order.size() << " of "
     << r.ops.size()
     << " ops; not listed: weights, constants and views (they cost nothing)"
     << (opts.showShapeOps ? "" : " and shape computations (--show-shape-ops)")
     << ".</p>\n";
}

/// The sections of the page, in order. Later analyses (prefill vs decode
/// side by side, the tensor-parallel table, sweep plots) add theirs here,
/// each only when the report has it.
static std::vector<Section> sections(const Report &r,
                                     const TextReportOptions &opts,
                                     const Summary &s,
                                     const RooflinePlot &plot) {
  std::vector<Section> list;
  list.push_back({"summary", "Summary", [&](llvm::raw_ostream &os) {
                    for (const SummaryTable &t : s.tables)
                      if (t.id == "devices")
                        summaryTableHTML(t, os);
                  }});
  if (r.devices.empty())
    return list;
  list.push_back({"roofline", "Roofline", [&](llvm::raw_ostream &os) {
                    rooflineSection(r, plot, os);
                  }});
  if (r.transformer)
    list.push_back({"transformer", "Transformer: prefill and decode",
                    [&](llvm::raw_ostream &os) {
                      transformerSection(r, s, os);
                    }});
  if (r.training)
    list.push_back({"training", "Training: backward pass and memory",
                    [&](llvm::raw_ostream &os) {
                      titledTables(
                          s,
                          [](llvm::StringRef id) {
                            return id.starts_with("training");
                          },
                          os);
                    }});
  list.push_back({"op-types", "Time by op type",
                  [&](llvm::raw_ostream &os) { barsSection(r, s, os); }});
  list.push_back(
      {"ops", "Ops", [&](llvm::raw_ostream &os) { opTable(r, opts, os); }});
  if (r.tensorParallel)
    list.push_back({"tensor-parallel", "Tensor and pipeline parallelism",
                    [&](llvm::raw_ostream &os) {
                      titledTables(
                          s,
                          [](llvm::StringRef id) {
                            return id == "tensor-parallel" ||
                                   id == "tensor-parallel-time" ||
                                   id == "tp-splits" ||
                                   id == "tensor-parallel-ops" ||
                                   id == "pipeline-parallel" ||
                                   id == "expert-parallel";
                          },
                          os);
                    }});
  if (r.symbolic) {
    list.push_back({"symbolic", "Cost formulas",
                    [&](llvm::raw_ostream &os) { symbolicSection(s, os); }});
    if (r.symbolic->sweep)
      list.push_back({"sweep", "Sweep", [&](llvm::raw_ostream &os) {
                        sweepSection(r, s, os);
                      }});
  }
  if (r.serving)
    list.push_back({"serving", "Serving", [&](llvm::raw_ostream &os) {
                      writeServingCharts(*r.serving, os);
                      titledTables(
                          s,
                          [](llvm::StringRef id) {
                            return id.starts_with("serving");
                          },
                          os);
                    }});
  // New sections go here.
  bool notes = false;
  for (const SummaryTable &t : s.tables)
    notes |= t.id == "unknown" || t.id == "unbound";
  if (notes)
    list.push_back({"notes", "Notes", [&](llvm::raw_ostream &os) {
                      titledTables(
                          s,
                          [](llvm::StringRef id) {
                            return id == "unknown" || id == "unbound";
                          },
                          os);
                    }});
  return list;
}

void mlir::tfperf::printHTMLReport(const Report &r, llvm::raw_ostream &os,
                                   const TextReportOptions &opts) {
  Summary s = buildSummary(r, opts);
  RooflinePlot plot = planRoofline(r, opts.showShapeOps);
  std::string model = r.source.empty() ? r.function : r.source;
  os << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
        "charset=\"utf-8\">\n"
     << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
        "'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
     << "<meta name=\"viewport\" content=\"width=device-width, "
        "initial-scale=1\">\n<meta name=\"generator\" content=\"tfperf\">\n"
     << "<title>tfperf: " << htmlEscape(model) << "</title>\n<style>" << kStyle
     << "</style>\n</head>\n<body>\n<main>\n<header>\n<h1>"
     << htmlEscape(s.title) << "</h1>\n";
  for (const std::string &l : s.lines)
    os << "<p class=\"lede\">" << htmlEscape(l) << "</p>\n";
  std::vector<Section> list = sections(r, opts, s, plot);
  os << "<nav aria-label=\"sections\"><ol id=\"sections\">\n";
  for (const Section &sec : list)
    os << "<li><a href=\"#" << sec.id << "\">" << htmlEscape(sec.title)
       << "</a></li>\n";
  os << "</ol></nav>\n</header>\n";
  for (const Section &sec : list) {
    os << "<section id=\"" << sec.id << "\">\n<h2>" << htmlEscape(sec.title)
       << "</h2>\n";
    sec.body(os);
    os << "</section>\n";
  }
  os << "<footer>tfperf report";
  if (!r.config.getComputeDtype().empty())
    os << ", compute dtype " << htmlEscape(r.config.getComputeDtype());
  if (!r.config.getWeightDtype().empty())
    os << ", weight dtype " << htmlEscape(r.config.getWeightDtype());
  os << ". Roofline time: each op takes max(FLOPs / peak, bytes / bandwidth),"
        " ops run one at a time.</footer>\n</main>\n<script>"
     << kScript << "</script>\n</body>\n</html>\n";
}
