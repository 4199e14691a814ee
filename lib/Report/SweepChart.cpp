//===- SweepChart.cpp - time along a sweep as inline SVG ------------------===//
//
// One chart per device: the sweep's x axis (the sequence when swept; log2
// scale for geometric ranges) against roofline time (log10). A solid line
// per series value (the batch, say), and for the first series the time of
// the attention blocks and of the MLPs, dashed; the FLOPs crossover solved
// from the formulas is a vertical line and the time crossover a dot.
//
//===----------------------------------------------------------------------===//

#include "Charts.h"
#include "Quoting.h"
#include "SymbolicReport.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::tfperf;

/// Okabe-Ito, colour-blind safe.
static const char *const kSeriesColors[] = {"#0072B2", "#D55E00", "#009E73",
                                            "#CC79A7", "#E69F00", "#56B4E9"};

namespace {
struct SweepFrame : ChartFrame {
  SweepFrame()
      : ChartFrame{/*width=*/600, /*height=*/400, /*left=*/78, /*right=*/20,
                   /*top=*/58, /*bottom=*/48} {}
  bool logX = false;
  double x0 = 0, x1 = 1, ly0 = 0, ly1 = 1;
  /// x linear or log2, y log10.
  double x(double v) const {
    return xAt(logX ? (std::log2(v) - x0) / (x1 - x0) : (v - x0) / (x1 - x0));
  }
  double y(double v) const { return yAt((std::log10(v) - ly0) / (ly1 - ly0)); }
};

/// Decades of seconds: 10 ns, 100 µs, 1 s, 1e3 s.
std::string timeLabel(int e) {
  static const char *units[] = {"ns", "\u00b5s", "ms", "s"};
  if (e == 3)
    return "1000 s";
  if (e < -9 || e > 2)
    return "1e" + std::to_string(e) + " s";
  int k = (e + 9) / 3; // 0: ns ... 3: s
  return std::string(e - (k * 3 - 9) == 0   ? "1"
                     : e - (k * 3 - 9) == 1 ? "10"
                                            : "100") +
         " " + units[k];
}

std::string countLabel(double v) {
  char buf[32];
  if (v >= 1e6 && std::fmod(v, 1048576) == 0)
    snprintf(buf, sizeof(buf), "%gM", v / 1048576);
  else if (v >= 1024 && std::fmod(v, 1024) == 0)
    snprintf(buf, sizeof(buf), "%gK", v / 1024);
  else
    snprintf(buf, sizeof(buf), "%g", v);
  return buf;
}
} // namespace

/// Series drawn per chart: the values of the series axis, at most six.
static size_t seriesCount(const SymbolicSection &s) {
  return s.seriesAxis < 0
             ? 1
             : std::min<size_t>(s.sweep->numericAxis(s.seriesAxis).values.size(),
                                6);
}

/// The axes every device's chart shares: x from the sweep's x axis, y from
/// every plotted time on every device.
static SweepFrame planSweepFrame(const SymbolicSection &s) {
  const SweepResult &w = *s.sweep;
  const std::vector<int64_t> &xs = w.numericAxis(s.xAxis).values;
  size_t numSeries = seriesCount(s);
  SweepFrame f;
  double xMin = *std::min_element(xs.begin(), xs.end()),
         xMax = *std::max_element(xs.begin(), xs.end());
  f.logX = xMin > 0 && xMax / xMin >= 8;
  f.x0 = f.logX ? std::log2(xMin) : xMin;
  f.x1 = f.logX ? std::log2(xMax) : xMax;
  if (f.x1 <= f.x0)
    f.x1 = f.x0 + 1;

  // Every plotted time, across all devices, so charts share the y axis.
  std::vector<size_t> index(w.numericAxes.size(), 0);
  double tMin = INFINITY, tMax = 0;
  for (unsigned d = 0; d < w.devices.size(); ++d)
    for (size_t si = 0; si < numSeries; ++si)
      for (size_t k = 0; k < xs.size(); ++k) {
        index[s.xAxis] = k;
        if (s.seriesAxis >= 0)
          index[s.seriesAxis] = si;
        const SweepRow &row = s.row(index, d);
        for (double t : {row.time, si == 0 && w.hasBlocks ? row.attentionTime
                                                          : 0.0,
                         si == 0 && w.hasBlocks ? row.mlpTime : 0.0})
          if (t > 0) {
            tMin = std::min(tMin, t);
            tMax = std::max(tMax, t);
          }
      }
  if (!(tMax > 0)) {
    tMin = 1e-6;
    tMax = 1e-3;
  }
  f.ly0 = std::floor(std::log10(tMin));
  f.ly1 = std::ceil(std::log10(tMax));
  if (f.ly1 <= f.ly0)
    f.ly1 = f.ly0 + 1;
  return f;
}

static void writeSweepSVG(const Report &r, const SweepFrame &f, size_t device,
                          llvm::raw_ostream &os) {
  const SymbolicSection &s = *r.symbolic;
  const SweepResult &w = *s.sweep;
  const SweepAxis &xAxis = w.numericAxis(s.xAxis);
  const std::vector<int64_t> &xs = xAxis.values;
  size_t numSeries = seriesCount(s);
  std::vector<size_t> index(w.numericAxes.size(), 0);
  double xMin = *std::min_element(xs.begin(), xs.end()),
         xMax = *std::max_element(xs.begin(), xs.end());
  const DeviceSpec &dev = w.devices[device];
  std::string id = "sweep-" + std::to_string(device);
  os << "<svg class=\"sweep\" id=\"" << id << "\" data-device=\""
     << htmlEscape(dev.name) << "\" data-x=\"" << htmlEscape(xAxis.name)
     << "\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << f.width
     << " " << f.height << "\" width=\"" << f.width << "\" height=\""
     << f.height << "\" role=\"img\">\n<title>Time against "
     << htmlEscape(xAxis.name) << " on " << htmlEscape(dev.name)
     << "</title>\n<text class=\"chart-title\" x=\"" << f.left
     << "\" y=\"20\">" << htmlEscape(dev.name)
     << "<tspan class=\"chart-subtitle\"> \u2014 time against "
     << htmlEscape(xAxis.name) << "</tspan></text>\n"
     << "<rect class=\"plot-bg\" x=\"" << f.left << "\" y=\"" << f.top
     << "\" width=\"" << svgCoord(f.plotWidth()) << "\" height=\""
     << svgCoord(f.plotHeight()) << "\"/>\n";

  // Grid and axes.
  std::vector<double> ticks;
  if (f.logX) {
    int step = std::max(1, (int)std::ceil((f.x1 - f.x0) / 8));
    for (int e = (int)std::ceil(f.x0); e <= (int)std::floor(f.x1); e += step)
      ticks.push_back(std::ldexp(1.0, e));
  } else {
    size_t step = std::max<size_t>(1, xs.size() / 8);
    for (size_t k = 0; k < xs.size(); k += step)
      ticks.push_back(xs[k]);
  }
  os << "<g class=\"grid\">\n";
  for (double t : ticks)
    os << "<line x1=\"" << svgCoord(f.x(t)) << "\" x2=\"" << svgCoord(f.x(t))
       << "\" y1=\"" << f.top << "\" y2=\"" << svgCoord(f.bottomY())
       << "\"/>\n";
  for (int e = (int)f.ly0; e <= (int)f.ly1; ++e)
    os << "<line x1=\"" << f.left << "\" x2=\"" << svgCoord(f.rightX())
       << "\" y1=\"" << svgCoord(f.y(std::pow(10, e))) << "\" y2=\""
       << svgCoord(f.y(std::pow(10, e))) << "\"/>\n";
  os << "</g>\n<g class=\"axis x-axis\" data-log=\"" << (f.logX ? 2 : 0)
     << "\">\n<line x1=\"" << f.left << "\" x2=\"" << svgCoord(f.rightX())
     << "\" y1=\"" << svgCoord(f.bottomY()) << "\" y2=\""
     << svgCoord(f.bottomY()) << "\"/>\n";
  for (double t : ticks)
    os << "<text x=\"" << svgCoord(f.x(t)) << "\" y=\""
       << svgCoord(f.bottomY() + 17) << "\" text-anchor=\"middle\">"
       << countLabel(t) << "</text>\n";
  os << "<text class=\"axis-title\" x=\""
     << svgCoord(f.left + f.plotWidth() / 2) << "\" y=\""
     << svgCoord(f.height - 8) << "\" text-anchor=\"middle\">"
     << htmlEscape(xAxis.name)
     << (xAxis.name != xAxis.symbol && !xAxis.symbol.empty() &&
                 xAxis.kind == SweepAxis::Kind::Symbol
             ? " (" + htmlEscape(xAxis.symbol) + ")"
             : std::string())
     << "</text>\n</g>\n<g class=\"axis y-axis\">\n<line x1=\"" << f.left
     << "\" x2=\"" << f.left << "\" y1=\"" << f.top << "\" y2=\""
     << svgCoord(f.bottomY()) << "\"/>\n";
  for (int e = (int)f.ly0; e <= (int)f.ly1; ++e)
    os << "<text x=\"" << svgCoord(f.left - 6) << "\" y=\""
       << svgCoord(f.y(std::pow(10, e)) + 4) << "\" text-anchor=\"end\">"
       << htmlEscape(timeLabel(e)) << "</text>\n";
  double midY = f.top + f.plotHeight() / 2;
  os << "<text class=\"axis-title\" x=\"12\" y=\"" << svgCoord(midY)
     << "\" text-anchor=\"middle\" transform=\"rotate(-90 12 "
     << svgCoord(midY) << ")\">roofline time</text>\n</g>\n";

  // Lines.
  auto polyline = [&](size_t si, auto pick, const char *cls,
                      const std::string &color, const std::string &label) {
    std::string points;
    for (size_t k = 0; k < xs.size(); ++k) {
      index[s.xAxis] = k;
      if (s.seriesAxis >= 0)
        index[s.seriesAxis] = si;
      double t = pick(s.row(index, device));
      if (!(t > 0))
        continue;
      points += (points.empty() ? "" : " ") + svgCoord(f.x(xs[k])) + "," +
                svgCoord(f.y(t));
    }
    bool dashed = llvm::StringRef(cls) != "series total";
    os << "<polyline class=\"" << cls << "\" fill=\"none\" stroke=\"" << color
       << "\" stroke-width=\"2\""
       << (dashed ? " stroke-dasharray=\"5 3\"" : "") << " points=\"" << points << "\"><title>" << htmlEscape(label)
       << "</title></polyline>\n";
  };
  os << "<g class=\"lines\">\n";
  std::vector<std::pair<std::string, std::string>> legend; // colour, label
  for (size_t si = 0; si < numSeries; ++si) {
    std::string label = "total";
    if (s.seriesAxis >= 0)
      label = w.numericAxis(s.seriesAxis).name + " = " +
              std::to_string(w.numericAxis(s.seriesAxis).values[si]);
    polyline(
        si, [](const SweepRow &row) { return row.time; }, "series total",
        kSeriesColors[si], label);
    legend.push_back({kSeriesColors[si], label});
  }
  if (w.hasBlocks) {
    std::string suffix =
        s.seriesAxis >= 0 ? " (" + legend.front().second + ")" : "";
    polyline(
        0, [](const SweepRow &row) { return row.attentionTime; },
        "series attention", "#555", "attention" + suffix);
    polyline(
        0, [](const SweepRow &row) { return row.mlpTime; }, "series mlp",
        "#999", "MLP" + suffix);
  }
  os << "</g>\n";

  // Crossovers.
  const FormulaCrossover &x = s.costs->getCrossover();
  if (x.value && xAxis.kind == SweepAxis::Kind::Symbol &&
      xAxis.symbol == s.costs->getRoles().seq && *x.value >= xMin &&
      *x.value <= xMax) {
    double px = f.x(*x.value);
    os << "<g class=\"crossover flops\" data-x=\"" << plainNumber(*x.value)
       << "\"><line x1=\"" << svgCoord(px) << "\" x2=\"" << svgCoord(px)
       << "\" y1=\"" << f.top << "\" y2=\"" << svgCoord(f.bottomY())
       << "\" stroke=\"#b01e1e\" stroke-dasharray=\"4 3\"/><text x=\""
       << svgCoord(px + 4) << "\" y=\"" << svgCoord(f.top + 12)
       << "\" class=\"label\">FLOPs: attention = MLP at "
       << plainNumber(std::round(*x.value)) << "</text></g>\n";
  }
  if (s.timeCrossover[device]) {
    double cx = *s.timeCrossover[device];
    // On the attention line, interpolated like the crossover.
    size_t k = 0;
    while (k + 1 < xs.size() && xs[k + 1] < cx)
      ++k;
    index[s.xAxis] = k;
    if (s.seriesAxis >= 0)
      index[s.seriesAxis] = 0;
    double t0 = s.row(index, device).attentionTime;
    index[s.xAxis] = std::min(k + 1, xs.size() - 1);
    double t1 = s.row(index, device).attentionTime;
    double lx0 = f.logX ? std::log(xs[k]) : xs[k],
           lx1 = f.logX ? std::log(xs[index[s.xAxis]]) : xs[index[s.xAxis]];
    double u = lx1 > lx0 ? ((f.logX ? std::log(cx) : cx) - lx0) / (lx1 - lx0) : 0;
    double t = std::exp(std::log(t0) + u * (std::log(t1) - std::log(t0)));
    os << "<g class=\"crossover time\" data-x=\"" << plainNumber(std::round(cx))
       << "\"><circle cx=\"" << svgCoord(f.x(cx)) << "\" cy=\""
       << svgCoord(f.y(t)) << "\" r=\"4.5\" fill=\"#b01e1e\"/><text x=\""
       << svgCoord(f.x(cx) + 6) << "\" y=\"" << svgCoord(f.y(t) + 14)
       << "\" class=\"label\">time: attention = MLP at \u2248 "
       << plainNumber(std::round(cx)) << "</text></g>\n";
  }

  // Legend, above the plot.
  double lx = f.left;
  os << "<g class=\"legend\">\n";
  auto item = [&](const std::string &color, const std::string &label,
                  bool dashed) {
    os << "<line x1=\"" << svgCoord(lx) << "\" x2=\"" << svgCoord(lx + 18)
       << "\" y1=\"38\" y2=\"38\" stroke=\"" << color << "\" stroke-width=\"2\""
       << (dashed ? " stroke-dasharray=\"5 3\"" : "") << "/><text x=\""
       << svgCoord(lx + 22) << "\" y=\"42\" class=\"label\">"
       << htmlEscape(label) << "</text>\n";
    lx += 30 + 6.3 * label.size();
  };
  for (auto &[color, label] : legend)
    item(color, label, false);
  if (w.hasBlocks) {
    item("#555", "attention", true);
    item("#999", "MLP", true);
  }
  os << "</g>\n</svg>\n";
}

void mlir::tfperf::writeSweepCharts(const Report &r, llvm::raw_ostream &os) {
  SweepFrame frame = planSweepFrame(*r.symbolic);
  for (size_t d = 0; d < r.symbolic->sweep->devices.size(); ++d) {
    os << "<div class=\"chart\">\n";
    writeSweepSVG(r, frame, d, os);
    os << "</div>\n";
  }
}
