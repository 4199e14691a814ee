//===- BarChart.cpp - time by op type as inline SVG bars ------------------===//
//
// One horizontal bar per op type, split into the time of its memory-bound
// and compute-bound ops, labelled with the time and share. Every device
// draws the same rows in the same order on the same time axis.
//
//===----------------------------------------------------------------------===//

#include "Charts.h"
#include "Quoting.h"
#include "SummaryTables.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::tfperf;

BarPlan mlir::tfperf::planTimeBars(const Report &r, size_t maxRows) {
  BarPlan p;
  if (r.devices.empty())
    return p;
  std::vector<std::string> rest;
  for (auto &[name, t] : opTypesByTime(r.devices.front())) {
    if (!(t->time > 0))
      continue;
    if (p.types.size() < maxRows)
      p.types.push_back(name);
    else
      rest.push_back(name);
  }
  // One "other" row for a single type would hide a name for no room saved.
  if (rest.size() == 1) {
    p.types.push_back(rest.front());
    rest.clear();
  }
  p.otherTypes = std::move(rest);
  for (const ReportDevice &d : r.devices) {
    for (const std::string &t : p.types)
      p.maxTime = std::max(p.maxTime, d.byOpType.lookup(t).time);
    double other = 0;
    for (const std::string &t : p.otherTypes)
      other += d.byOpType.lookup(t).time;
    p.maxTime = std::max(p.maxTime, other);
  }
  return p;
}

void mlir::tfperf::writeTimeBarsSVG(const Report &r, const BarPlan &plan,
                                    size_t device, llvm::raw_ostream &os) {
  const ReportDevice &d = r.devices[device];
  const double width = 600, labelWidth = 170, valueWidth = 130, rowHeight = 22,
               top = 34;
  const double barWidth = width - labelWidth - valueWidth;
  size_t rows = plan.types.size() + !plan.otherTypes.empty();
  double height = top + std::max<size_t>(rows, 1) * rowHeight + 14;
  os << "<svg class=\"bars\" id=\"bars-" << device << "\" data-device=\""
     << htmlEscape(d.spec.name)
     << "\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << width << " "
     << height << "\" width=\"" << width << "\" height=\"" << height
     << "\" role=\"img\">\n"
     << "<title>Time by op type on " << htmlEscape(d.spec.name)
     << "</title>\n<text class=\"chart-title\" x=\"0\" y=\"20\">"
     << htmlEscape(d.spec.name) << "<tspan class=\"chart-subtitle\"> \u2014 "
     << formatTime(d.totals.time) << " in all</tspan></text>\n";

  auto bar = [&](size_t index, const std::string &label, double memory,
                 double compute, unsigned memOps, unsigned compOps) {
    double y = top + index * rowHeight;
    double total = memory + compute;
    double scale = plan.maxTime > 0 ? barWidth / plan.maxTime : 0;
    char share[32] = "";
    if (d.totals.time > 0)
      snprintf(share, sizeof(share), "  %.1f%%", 100 * total / d.totals.time);
    std::string shown =
        label.size() > 26 ? "\u2026" + label.substr(label.size() - 25) : label;
    os << "<g class=\"bar-row\" data-op=\"" << htmlEscape(label)
       << "\" data-time=\"" << plainNumber(total) << "\">\n<title>"
       << htmlEscape(label) << " on " << htmlEscape(d.spec.name) << ": "
       << formatTime(total) << share << "\n"
       << memOps << " memory-bound ops: " << formatTime(memory) << "\n"
       << compOps << " compute-bound ops: " << formatTime(compute)
       << "</title>\n"
       << "<text class=\"bar-label\" x=\"" << svgCoord(labelWidth - 8)
       << "\" y=\"" << svgCoord(y + 15) << "\" text-anchor=\"end\">"
       << htmlEscape(shown) << "</text>\n";
    double x = labelWidth;
    for (auto [cls, t] : {std::pair{"memory", memory}, {"compute", compute}}) {
      if (!(t > 0))
        continue;
      os << "<rect class=\"bar " << cls << "\" x=\"" << svgCoord(x) << "\" y=\""
         << svgCoord(y + 3) << "\" width=\""
         << svgCoord(std::max(1.0, t * scale)) << "\" height=\""
         << svgCoord(rowHeight - 6) << "\"/>\n";
      x += t * scale;
    }
    os << "<text class=\"bar-value\" x=\"" << svgCoord(x + 6) << "\" y=\""
       << svgCoord(y + 15) << "\">" << formatTime(total) << share
       << "</text>\n</g>\n";
  };

  for (size_t i = 0; i < plan.types.size(); ++i) {
    ReportTotals t = d.byOpType.lookup(plan.types[i]);
    bar(i, plan.types[i], t.memoryBoundTime, t.computeBoundTime,
        t.memoryBoundOps, t.computeBoundOps);
  }
  if (!plan.otherTypes.empty()) {
    ReportTotals other;
    for (const std::string &name : plan.otherTypes) {
      ReportTotals t = d.byOpType.lookup(name);
      other.memoryBoundTime += t.memoryBoundTime;
      other.computeBoundTime += t.computeBoundTime;
      other.memoryBoundOps += t.memoryBoundOps;
      other.computeBoundOps += t.computeBoundOps;
    }
    bar(plan.types.size(),
        "other " + std::to_string(plan.otherTypes.size()) + " op types",
        other.memoryBoundTime, other.computeBoundTime, other.memoryBoundOps,
        other.computeBoundOps);
  }
  if (!rows)
    os << "<text class=\"bar-label\" x=\"" << svgCoord(labelWidth + 8)
       << "\" y=\"" << svgCoord(top + 15) << "\">no op of known cost</text>\n";
  double axisY = top + std::max<size_t>(rows, 1) * rowHeight + 2;
  os << "<line class=\"bar-axis\" x1=\"" << labelWidth << "\" x2=\""
     << labelWidth << "\" y1=\"" << top << "\" y2=\"" << svgCoord(axisY)
     << "\"/>\n</svg>\n";
}
