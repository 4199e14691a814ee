//===- RooflineChart.cpp - the roofline chart as inline SVG ---------------===//
//
// Log-log: arithmetic intensity (FLOP/byte) on x, attainable FLOP/s on y.
// Ceilings: memory bandwidth (the slope), the matmul peak the report quotes
// and the vector peak; the ridge point where slope meets matmul peak is
// marked. One mark per RooflineMark, area proportional to its total time,
// coloured by bound, with a <title> tooltip naming its ops and figures.
//
//===----------------------------------------------------------------------===//

#include "Charts.h"
#include "Quoting.h"

#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cmath>
#include <map>

using namespace mlir;
using namespace mlir::tfperf;

RooflinePlot mlir::tfperf::planRoofline(const Report &r, bool showShapeOps) {
  RooflinePlot p;
  if (r.devices.empty())
    return p;
  // Key: op type, then flops, gemm flops, bytes and the time on each device
  // (-1 for unknown, since NaN would break the ordering).
  std::map<std::pair<std::string, std::vector<double>>, size_t> index;
  // The fused view plots its kernels: one point per kernel at its boundary
  // bytes, named by its main op.
  bool plotKernels = r.kernels && r.timing.view == KernelView::Fused;
  if (plotKernels) {
    llvm::DenseMap<Operation *, size_t> rowOf;
    for (size_t i = 0; i < r.ops.size(); ++i)
      rowOf[r.ops[i].record->op] = i;
    const KernelTimesAnalysis &kt = *r.kernels;
    ArrayRef<Kernel> kernels = kt.getView(KernelView::Fused).getKernels();
    for (size_t i = 0; i < kernels.size(); ++i) {
      const KernelPrice &first = kt.getPrices(KernelView::Fused, 0)[i];
      auto flops = kernels[i].flops.getInt64();
      if (std::isnan(first.seconds) || !flops) {
        ++p.unknownOps;
        continue;
      }
      if (!(*flops > 0 && first.bytes > 0)) {
        ++p.dataMovementOps;
        p.dataMovementTime += first.seconds;
        continue;
      }
      std::string type = "kernel " + stringifyKernelClass(kernels[i].cls).str();
      std::vector<double> key = {double(*flops), first.bytes};
      for (size_t d = 0; d < r.devices.size(); ++d)
        key.push_back(kt.getPrices(KernelView::Fused, d)[i].seconds);
      auto [it, inserted] = index.try_emplace({type, key}, p.marks.size());
      if (inserted) {
        RooflineMark m;
        m.opType = type;
        m.flops = double(*flops);
        m.bytes = first.bytes;
        m.intensity = m.flops / m.bytes;
        for (size_t d = 0; d < r.devices.size(); ++d) {
          const DeviceSpec &spec = r.devices[d].spec;
          double peak = kernels[i].cls == KernelClass::Gemm ||
                                kernels[i].cls == KernelClass::Attention
                            ? r.devices[d].peakFlops
                            : spec.vectorPeak;
          m.time.push_back(kt.getPrices(KernelView::Fused, d)[i].seconds);
          m.bound.push_back(m.intensity * spec.memBandwidth < peak
                                ? Bound::Memory
                                : Bound::Compute);
        }
        p.marks.push_back(std::move(m));
      }
      p.marks[it->second].ops.push_back(rowOf.lookup(kernels[i].mainOp));
      ++p.plottedOps;
    }
  }
  for (size_t i = 0; !plotKernels && i < r.ops.size(); ++i) {
    const ReportOpRow &row = r.ops[i];
    const OpFigures &f = row.figures.front();
    if (!f.problem.empty()) {
      ++p.unknownOps;
      continue;
    }
    if (f.flops == 0 && f.bytes == 0)
      continue; // weights, constants, views: nothing to draw or say
    if (row.record->isShapeComputation && !showShapeOps) {
      ++p.shapeOps;
      continue;
    }
    if (!(f.flops > 0 && f.bytes > 0)) {
      ++p.dataMovementOps;
      p.dataMovementTime += f.time;
      continue;
    }
    std::vector<double> key = {f.flops, f.gemmFlops, f.bytes};
    for (const OpFigures &fd : row.figures)
      key.push_back(fd.problem.empty() ? fd.time : -1);
    auto [it, inserted] =
        index.try_emplace({row.record->opType, key}, p.marks.size());
    if (inserted) {
      RooflineMark m;
      m.opType = row.record->opType;
      m.flops = f.flops;
      m.bytes = f.bytes;
      m.intensity = f.flops / f.bytes;
      for (const OpFigures &fd : row.figures) {
        m.time.push_back(fd.problem.empty() ? fd.time : NAN);
        m.bound.push_back(fd.problem.empty() ? fd.bound : Bound::Unknown);
      }
      p.marks.push_back(std::move(m));
    }
    p.marks[it->second].ops.push_back(i);
    ++p.plottedOps;
  }
  std::stable_sort(p.marks.begin(), p.marks.end(), [](auto &a, auto &b) {
    return a.time[0] * a.ops.size() > b.time[0] * b.ops.size();
  });

  // Axes: every mark, ridge and ceiling in view, whole decades.
  double xLo = INFINITY, xHi = 0, yLo = INFINITY, yHi = 0;
  for (const ReportDevice &d : r.devices) {
    double bw = d.spec.memBandwidth;
    for (double peak : {d.peakFlops, d.spec.vectorPeak})
      if (peak > 0 && bw > 0) {
        xLo = std::min(xLo, peak / bw);
        xHi = std::max(xHi, peak / bw);
        yHi = std::max(yHi, peak);
        yLo = std::min(yLo, peak);
      }
  }
  for (const RooflineMark &m : p.marks) {
    xLo = std::min(xLo, m.intensity);
    xHi = std::max(xHi, m.intensity);
    for (size_t d = 0; d < m.time.size(); ++d) {
      if (!(m.time[d] > 0))
        continue;
      double y = m.flops / m.time[d];
      yLo = std::min(yLo, y);
      yHi = std::max(yHi, y);
      p.maxMarkTime = std::max(p.maxMarkTime, m.time[d] * m.ops.size());
    }
  }
  if (!(xHi > 0) || !std::isfinite(xLo))
    return p; // no device and no mark: keep the defaults
  // Room around edge marks, right of the ridge for the compute ceiling,
  // and above the peak.
  double lx0 = std::floor(std::log10(xLo / 1.5)),
         lx1 = std::ceil(std::log10(xHi * 3));
  lx0 = std::max(lx0, lx1 - 10);
  lx0 = std::min(lx0, lx1 - 3);
  double ly1 = std::ceil(std::log10(yHi * 2)),
         ly0 = std::floor(std::log10(yLo / 2));
  ly0 = std::max(ly0, ly1 - 10);
  ly0 = std::min(ly0, ly1 - 3);
  p.xMin = std::pow(10, lx0);
  p.xMax = std::pow(10, lx1);
  p.yMin = std::pow(10, ly0);
  p.yMax = std::pow(10, ly1);
  return p;
}

/// Decade labels: 0.01 .. 1000 plainly, else 1e-3 / 1e4.
static std::string intensityLabel(int e) {
  if (e >= -3 && e <= 4) {
    char buf[32];
    snprintf(buf, sizeof(buf), "%.*f", e < 0 ? -e : 0, std::pow(10, e));
    return buf;
  }
  return "1e" + std::to_string(e);
}

/// FLOP/s decades with SI prefixes: 100 G, 1 T, 10 T.
static std::string rateLabel(int e) {
  static const char *prefixes[] = {"", "k", "M", "G", "T", "P", "E"};
  if (e < 0 || e >= 21)
    return "1e" + std::to_string(e);
  std::string digits = "1" + std::string(e % 3, '0');
  return digits + (e >= 3 ? std::string(" ") + prefixes[e / 3] : "");
}

namespace {
/// Pixel geometry of one chart.
struct Frame : ChartFrame {
  double lx0, lx1, ly0, ly1;
  explicit Frame(const RooflinePlot &p)
      : ChartFrame{/*width=*/600, /*height=*/430, /*left=*/74, /*right=*/18,
                   /*top=*/40, /*bottom=*/52},
        lx0(std::log10(p.xMin)), lx1(std::log10(p.xMax)),
        ly0(std::log10(p.yMin)), ly1(std::log10(p.yMax)) {}
  /// Both axes are log10.
  double x(double v) const { return xAt((std::log10(v) - lx0) / (lx1 - lx0)); }
  double y(double v) const { return yAt((std::log10(v) - ly0) / (ly1 - ly0)); }
};
} // namespace

static void axes(const Frame &f, llvm::raw_ostream &os) {
  os << "<g class=\"grid\">\n";
  for (int e = (int)f.lx0; e <= (int)f.lx1; ++e) {
    std::string x = svgCoord(f.x(std::pow(10, e)));
    os << "<line x1=\"" << x << "\" x2=\"" << x << "\" y1=\"" << f.top
       << "\" y2=\"" << svgCoord(f.bottomY()) << "\"/>\n";
  }
  for (int e = (int)f.ly0; e <= (int)f.ly1; ++e) {
    std::string y = svgCoord(f.y(std::pow(10, e)));
    os << "<line x1=\"" << f.left << "\" x2=\"" << svgCoord(f.rightX())
       << "\" y1=\"" << y << "\" y2=\"" << y << "\"/>\n";
  }
  os << "</g>\n";

  std::string bottom = svgCoord(f.bottomY());
  os << "<g class=\"axis x-axis\" data-min=\"" << plainNumber(f.lx0)
     << "\" data-max=\"" << plainNumber(f.lx1) << "\">\n"
     << "<line x1=\"" << f.left << "\" x2=\"" << svgCoord(f.rightX())
     << "\" y1=\"" << bottom << "\" y2=\"" << bottom << "\"/>\n";
  for (int e = (int)f.lx0; e <= (int)f.lx1; ++e) {
    std::string x = svgCoord(f.x(std::pow(10, e)));
    os << "<g class=\"tick\"><line x1=\"" << x << "\" x2=\"" << x << "\" y1=\""
       << bottom << "\" y2=\"" << svgCoord(f.bottomY() + 5) << "\"/><text x=\""
       << x << "\" y=\"" << svgCoord(f.bottomY() + 18)
       << "\" text-anchor=\"middle\">" << intensityLabel(e) << "</text></g>\n";
  }
  os << "<text class=\"axis-title\" x=\""
     << svgCoord(f.left + f.plotWidth() / 2) << "\" y=\""
     << svgCoord(f.height - 10)
     << "\" text-anchor=\"middle\">arithmetic intensity (FLOP/byte)</text>\n"
     << "</g>\n";

  os << "<g class=\"axis y-axis\" data-min=\"" << plainNumber(f.ly0)
     << "\" data-max=\"" << plainNumber(f.ly1) << "\">\n"
     << "<line x1=\"" << f.left << "\" x2=\"" << f.left << "\" y1=\"" << f.top
     << "\" y2=\"" << bottom << "\"/>\n";
  for (int e = (int)f.ly0; e <= (int)f.ly1; ++e) {
    std::string y = svgCoord(f.y(std::pow(10, e)));
    os << "<g class=\"tick\"><line x1=\"" << svgCoord(f.left - 5) << "\" x2=\""
       << f.left << "\" y1=\"" << y << "\" y2=\"" << y << "\"/><text x=\""
       << svgCoord(f.left - 8) << "\" y=\""
       << svgCoord(f.y(std::pow(10, e)) + 4) << "\" text-anchor=\"end\">"
       << rateLabel(e) << "</text></g>\n";
  }
  double midY = f.top + f.plotHeight() / 2;
  os << "<text class=\"axis-title\" x=\"16\" y=\"" << svgCoord(midY)
     << "\" text-anchor=\"middle\" transform=\"rotate(-90 16 " << svgCoord(midY)
     << ")\">attainable FLOP/s</text>\n</g>\n";
}

static std::string markTitle(const Report &r, const RooflineMark &m,
                             size_t device) {
  const ReportDevice &d = r.devices[device];
  std::string t;
  const std::string &first = r.ops[m.ops.front()].record->name;
  if (m.ops.size() == 1) {
    t = first + " (" + m.opType + ")";
  } else {
    t = m.opType + " \u00d7" + std::to_string(m.ops.size()) + ": " + first;
    for (size_t k = 1; k < std::min<size_t>(3, m.ops.size()); ++k)
      t += ", " + r.ops[m.ops[k]].record->name;
    if (m.ops.size() > 3)
      t += " and " + std::to_string(m.ops.size() - 3) + " more";
  }
  char intensity[32];
  snprintf(intensity, sizeof(intensity), "%.3g", m.intensity);
  t += "\n" + formatFlops(m.flops) + ", " + formatBytes(m.bytes) + ", " +
       intensity + " FLOP/B" + (m.ops.size() > 1 ? " (each)" : "");
  double time = m.time[device];
  t += "\n" + formatRate(m.flops / time, "FLOP/s") + " on " + d.spec.name +
       ", " + stringifyBound(m.bound[device]).str() + "-bound";
  double total = time * m.ops.size();
  t += "\ntime " + formatTime(time);
  if (m.ops.size() > 1)
    t += " each, " + formatTime(total) + " in all";
  if (d.totals.time > 0) {
    char share[32];
    snprintf(share, sizeof(share), " (%.1f%% of the total)",
             100 * total / d.totals.time);
    t += share;
  }
  return t;
}

/// 3 significant digits: 312 TFLOP/s, 1.55 TB/s, 19.5 TFLOP/s.
static std::string shortRate(double v, llvm::StringRef unit) {
  static const char *prefixes[] = {"", "k", "M", "G", "T", "P", "E"};
  int i = 0;
  while (std::fabs(v) >= 1000 && i < 6) {
    v /= 1000;
    ++i;
  }
  char buf[64];
  snprintf(buf, sizeof(buf), "%.3g %s", v, prefixes[i]);
  return buf + unit.str();
}

namespace {
struct Circle {
  double x, y, r;
};
} // namespace

static double markRadius(const RooflinePlot &plot, double total) {
  double share = plot.maxMarkTime > 0 ? total / plot.maxMarkTime : 0;
  return std::max(2.5, 16 * std::sqrt(share));
}

/// Where the marks of `device` are drawn, in pixels.
static std::vector<Circle> markCircles(const RooflinePlot &plot, const Frame &f,
                                       size_t device) {
  std::vector<Circle> circles;
  for (const RooflineMark &m : plot.marks) {
    double time = m.time[device];
    if (time > 0)
      circles.push_back({f.x(m.intensity), f.y(m.flops / time),
                         markRadius(plot, time * m.ops.size())});
  }
  return circles;
}

void mlir::tfperf::writeRooflineSVG(const Report &r, const RooflinePlot &plot,
                                    size_t device, llvm::raw_ostream &os) {
  const ReportDevice &d = r.devices[device];
  Frame f(plot);
  std::string id = "roofline-" + std::to_string(device);
  // Without a matmul peak for the dtype (TPU v5e has no fp32 MXU rate) the
  // roof is the vector peak.
  bool hasPeak = d.peakFlops > 0;
  double bw = d.spec.memBandwidth, vector = d.spec.vectorPeak;
  double peak = hasPeak ? d.peakFlops : vector;
  double ridge = peak / bw;
  os << "<svg class=\"roofline\" id=\"" << id << "\" data-device=\""
     << htmlEscape(d.spec.name)
     << "\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << f.width
     << " " << f.height << "\" width=\"" << f.width << "\" height=\""
     << f.height << "\" role=\"img\">\n"
     << "<title>Roofline on " << htmlEscape(d.spec.name) << "</title>\n"
     << "<text class=\"chart-title\" x=\"" << f.left << "\" y=\"22\">"
     << htmlEscape(d.spec.name) << "<tspan class=\"chart-subtitle\"> \u2014 "
     << htmlEscape(d.spec.description) << "</tspan></text>\n"
     << "<defs><clipPath id=\"" << id << "-clip\"><rect x=\"" << f.left
     << "\" y=\"" << f.top << "\" width=\"" << svgCoord(f.plotWidth())
     << "\" height=\"" << svgCoord(f.plotHeight()) << "\"/></clipPath></defs>\n"
     << "<rect class=\"plot-bg\" x=\"" << f.left << "\" y=\"" << f.top
     << "\" width=\"" << svgCoord(f.plotWidth()) << "\" height=\""
     << svgCoord(f.plotHeight()) << "\"/>\n";
  axes(f, os);

  // Ceilings, clipped to the plot; the slope enters it at its left or
  // bottom edge.
  double xStart = std::max(plot.xMin, plot.yMin / bw);
  os << "<g class=\"ceilings\" clip-path=\"url(#" << id << "-clip)\">\n";
  os << "<polyline class=\"ceiling memory-roof\" points=\""
     << svgCoord(f.x(xStart)) << "," << svgCoord(f.y(bw * xStart)) << " "
     << svgCoord(f.x(ridge)) << "," << svgCoord(f.y(peak)) << " "
     << svgCoord(f.rightX()) << "," << svgCoord(f.y(peak))
     << "\"><title>memory " << formatRate(bw, "B/s") << ", then the "
     << (hasPeak ? htmlEscape(d.peakDtype) + " matmul peak " : "vector peak ")
     << formatRate(peak, "FLOP/s") << "</title></polyline>\n";
  bool sameAsPeak = std::fabs(std::log10(peak / vector)) < 0.05;
  if (!sameAsPeak)
    os << "<line class=\"ceiling vector-roof\" x1=\""
       << svgCoord(f.x(vector / bw)) << "\" x2=\"" << svgCoord(f.rightX())
       << "\" y1=\"" << svgCoord(f.y(vector)) << "\" y2=\""
       << svgCoord(f.y(vector)) << "\"><title>vector peak "
       << formatRate(vector, "FLOP/s")
       << " (every op that is not a matmul)</title></line>\n";
  os << "</g>\n";

  // Ceiling labels go to the first place on their list that covers no
  // mark, else where they cover the least.
  std::vector<Circle> circles = markCircles(plot, f, device);
  auto place = [&](llvm::StringRef cls, const std::string &text, double angle,
                   llvm::ArrayRef<std::pair<double, double>> starts) {
    double width = 6.3 * text.size(), rad = angle * llvm::numbers::pi / 180;
    double dx = std::cos(rad), dy = std::sin(rad);
    std::pair<double, double> best = starts.front();
    double bestScore = -INFINITY;
    for (auto [x, y] : starts) {
      double score = INFINITY;
      // Points along the middle of the text's box.
      for (int k = 0; k <= 6; ++k) {
        double along = width * k / 6;
        double px = x + dx * along + dy * 4, py = y + dy * along - dx * 4;
        for (const Circle &c : circles)
          score = std::min(score, std::hypot(px - c.x, py - c.y) - c.r);
      }
      // The first clear place wins (callers list their favourite first).
      if (score >= 5) {
        best = {x, y};
        break;
      }
      if (score > bestScore + 1) {
        bestScore = score;
        best = {x, y};
      }
    }
    std::string x = svgCoord(best.first), y = svgCoord(best.second);
    os << "<text class=\"label " << cls << "\" x=\"" << x << "\" y=\"" << y
       << "\"";
    if (angle != 0)
      os << " transform=\"rotate(" << svgCoord(angle) << " " << x << " " << y
         << ")\"";
    os << ">" << htmlEscape(text) << "</text>\n";
  };
  auto peakStarts = [&](double level, const std::string &text, double from,
                        double offset) {
    double width = 6.3 * text.size();
    // At the right end; then left of where the line starts, above the
    // roof, where no op can be; then anywhere along the line.
    std::vector<std::pair<double, double>> starts = {
        {f.rightX() - 6 - width, f.y(level) + offset}};
    if (offset < 0 && f.x(from) - 8 - width > f.left + 2)
      starts.push_back({f.x(from) - 8 - width, f.y(level) + offset});
    for (double x = f.x(from) + 8; x + width < f.rightX() - 6; x += 20)
      starts.push_back({x, f.y(level) + offset});
    return starts;
  };
  os << "<g class=\"ceiling-labels\">\n";
  std::string peakText = hasPeak ? d.peakDtype + " matmul " +
                                       shortRate(peak, "FLOP/s") +
                                       (sameAsPeak ? " = vector peak" : "")
                                 : "vector " + shortRate(peak, "FLOP/s") +
                                       " (no " + d.peakDtype + " matmul peak)";
  place("tensor-label", peakText, 0, peakStarts(peak, peakText, ridge, -6));
  if (!sameAsPeak) {
    // Below the line when it is close under the matmul peak.
    bool below = f.y(vector) - f.y(peak) < 16;
    std::string text = "vector " + shortRate(vector, "FLOP/s");
    place("vector-label", text, 0,
          peakStarts(vector, text, vector / bw, below ? 13 : -6));
  }
  double slopePx =
      (f.plotHeight() / (f.ly1 - f.ly0)) / (f.plotWidth() / (f.lx1 - f.lx0));
  double angle = -std::atan(slopePx) * 180 / llvm::numbers::pi;
  std::string bwText = "memory " + shortRate(bw, "B/s");
  std::vector<std::pair<double, double>> slopeStarts;
  double width = 6.3 * bwText.size() * std::cos(std::atan(slopePx));
  // From the middle of the slope outwards.
  for (int step = 0; step <= 20; ++step) {
    int k = 10 + (step % 2 ? -(step + 1) / 2 : step / 2);
    if (k < 0 || k > 20)
      continue;
    double x = xStart * std::pow(ridge / xStart, k / 20.0);
    // Above the line, the text ending before the ridge.
    double px = f.x(x) - 9 * std::sin(std::atan(slopePx)),
           py = f.y(bw * x) - 9 * std::cos(std::atan(slopePx));
    if (px + width < f.x(ridge) - 8 && px > f.left + 2)
      slopeStarts.push_back({px, py});
  }
  if (slopeStarts.empty())
    slopeStarts.push_back({f.left + 4, f.y(bw * xStart) - 7});
  place("memory-label", bwText, angle, slopeStarts);
  os << "</g>\n";

  // The ridge point.
  char ridgeText[64];
  snprintf(ridgeText, sizeof(ridgeText), "ridge %.1f FLOP/B", ridge);
  os << "<g class=\"ridge\" data-intensity=\"" << plainNumber(ridge)
     << "\" data-flops=\"" << plainNumber(peak) << "\">\n"
     << "<line x1=\"" << svgCoord(f.x(ridge)) << "\" x2=\""
     << svgCoord(f.x(ridge)) << "\" y1=\"" << svgCoord(f.y(peak)) << "\" y2=\""
     << svgCoord(f.bottomY()) << "\"/>\n"
     << "<circle cx=\"" << svgCoord(f.x(ridge)) << "\" cy=\""
     << svgCoord(f.y(peak)) << "\" r=\"4.5\"/>\n"
     << "<text x=\"" << svgCoord(f.x(ridge) + 6) << "\" y=\""
     << svgCoord(f.bottomY() - 6) << "\">" << ridgeText << "</text>\n"
     << "<title>" << ridgeText << ": ops below it are memory-bound, above it "
     << "compute-bound (the roof's peak / memory bandwidth)</title>\n</g>\n";

  // Marks, biggest first so that small ones stay on top.
  os << "<g class=\"marks\" clip-path=\"url(#" << id << "-clip)\">\n";
  for (const RooflineMark &m : plot.marks) {
    double time = m.time[device];
    if (!(time > 0))
      continue;
    double total = time * m.ops.size();
    double radius = markRadius(plot, total);
    os << "<circle class=\"mark " << stringifyBound(m.bound[device]) << "\" cx=\""
       << svgCoord(f.x(m.intensity)) << "\" cy=\""
       << svgCoord(f.y(m.flops / time)) << "\" r=\"" << svgCoord(radius)
       << "\" data-op=\"" << htmlEscape(m.opType) << "\" data-count=\""
       << m.ops.size() << "\" data-time=\"" << plainNumber(total)
       << "\"><title>" << htmlEscape(markTitle(r, m, device))
       << "</title></circle>\n";
  }
  os << "</g>\n</svg>\n";
}
