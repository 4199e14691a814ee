//===- Charts.h - inline SVG charts of the HTML report ----------*- C++ -*-===//
//
// The roofline chart and the time-by-op-type bars, drawn as inline SVG by
// our own code (the report must open offline, from one file). Each device
// gets its own chart; all devices share axes, so charts side by side
// compare at a glance.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_LIB_REPORT_CHARTS_H
#define TFPERF_LIB_REPORT_CHARTS_H

#include "tfperf/Report/Report.h"

#include <algorithm>
#include <string>
#include <vector>

namespace mlir::tfperf {

/// The pixel box of one chart: its size, the margins that hold the axes and
/// their labels, and the plot area between them, on which a fraction of an
/// axis maps to a pixel (clamped to the area).
struct ChartFrame {
  double width, height;
  double left, right, top, bottom;
  double plotWidth() const { return width - left - right; }
  double plotHeight() const { return height - top - bottom; }
  /// The pixel at fraction `t` of the x axis (0: left) and of the y axis
  /// (0: bottom).
  double xAt(double t) const {
    return left + std::clamp(t, 0.0, 1.0) * plotWidth();
  }
  double yAt(double t) const {
    return top + (1 - std::clamp(t, 0.0, 1.0)) * plotHeight();
  }
  double bottomY() const { return top + plotHeight(); }
  double rightX() const { return left + plotWidth(); }
};

/// One mark of the roofline chart: the ops of one type whose FLOPs, GEMM
/// FLOPs, bytes and times are identical on every device, typically the same
/// op in every layer. They sit on the same point, so one mark (sized by
/// their total time) shows them all and its tooltip names them.
struct RooflineMark {
  std::string opType;
  /// Indices into Report::ops, in IR order.
  std::vector<size_t> ops;
  double flops = 0, bytes = 0, intensity = 0;
  /// Per device: the time of one op (NaN when unknown there) and its bound.
  std::vector<double> time;
  std::vector<Bound> bound;
};

/// What the roofline charts draw and what they leave off.
struct RooflinePlot {
  /// By decreasing total time on the first device (big marks first, so
  /// small ones stay visible on top).
  std::vector<RooflineMark> marks;
  /// Ops drawn: known cost on the first device, FLOPs > 0 and bytes > 0,
  /// and not shape computations unless asked.
  size_t plottedOps = 0;
  /// Left off: ops that only move data (no FLOPs, so no point on a log
  /// axis), their time on the first device; unknown ops; shape
  /// computations.
  size_t dataMovementOps = 0;
  double dataMovementTime = 0;
  size_t unknownOps = 0, shapeOps = 0;
  /// Shared axes (decades), and the longest total mark time (mark area is
  /// proportional to time on every chart).
  double xMin = 0.01, xMax = 1000, yMin = 1e9, yMax = 1e15;
  double maxMarkTime = 0;
};

RooflinePlot planRoofline(const Report &r, bool showShapeOps);

/// The roofline of device `device` as an `<svg class="roofline">`.
void writeRooflineSVG(const Report &r, const RooflinePlot &plot, size_t device,
                      llvm::raw_ostream &os);

/// The rows of the time-by-op-type bars: the op types that take time, by
/// decreasing time on the first device, the rest summed into one "other"
/// row; and the longest bar over all devices (the shared time axis).
struct BarPlan {
  std::vector<std::string> types;
  /// Op types summed into the "other" row (none: no such row).
  std::vector<std::string> otherTypes;
  double maxTime = 0;
};

BarPlan planTimeBars(const Report &r, size_t maxRows = 12);

/// Time by op type on device `device` as an `<svg class="bars">`, each bar
/// split into memory-bound and compute-bound time.
void writeTimeBarsSVG(const Report &r, const BarPlan &plan, size_t device,
                      llvm::raw_ostream &os);

/// The fill of a block kind in the phase chart and its legend.
llvm::StringRef blockKindColor(BlockKind k);

/// Prefill and decode on device `device` as 100% bars split by block kind,
/// an `<svg class="phase-blocks">` (needs the transformer section).
void writePhaseBlocksSVG(const Report &r, size_t device,
                         llvm::raw_ostream &os);

} // namespace mlir::tfperf

#endif
