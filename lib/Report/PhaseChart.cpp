//===- PhaseChart.cpp - where the time goes, prefill vs decode ------------===//
//
// One horizontal bar per phase, each 100% of that phase's time, split into
// the block kinds (embedding, attention, attention scores, MLP, norm,
// head, other). Side by side they show what the analysis is about: decode
// spends its time on the weights and the KV cache, not where prefill does.
//
//===----------------------------------------------------------------------===//

#include "Charts.h"
#include "Quoting.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tfperf;

/// Colour-blind-safe (Okabe-Ito) fills, one per block kind.
static const char *const kBlockColors[kNumBlockKinds] = {
    "#999999", "#0072B2", "#56B4E9", "#E69F00", "#009E73", "#CC79A7",
    "#D55E00"};

llvm::StringRef mlir::tfperf::blockKindColor(BlockKind k) {
  return kBlockColors[static_cast<unsigned>(k)];
}

void mlir::tfperf::writePhaseBlocksSVG(const Report &r, size_t device,
                                       llvm::raw_ostream &os) {
  const TransformerFigures &f = r.transformer->perDevice[device];
  std::vector<const PhaseResult *> phases = f.phases();
  const double left = 150, width = 420, barH = 26, gap = 14, top = 34;
  double height = top + phases.size() * (barH + gap) + 24;
  std::string w = svgCoord(left + width + 20), h = svgCoord(height);
  os << "<svg class=\"phase-blocks\" role=\"img\" width=\"" << w
     << "\" height=\"" << h << "\" viewBox=\"0 0 " << w << " " << h
     << "\" aria-label=\"share of time by block, "
     << htmlEscape(r.devices[device].spec.name) << "\">\n"
     << "<text class=\"chart-title\" x=\"0\" y=\"16\">Share of time by block"
     << "<tspan class=\"chart-subtitle\"> "
     << htmlEscape(r.devices[device].spec.name) << "</tspan></text>\n";
  for (size_t i = 0; i < phases.size(); ++i) {
    const PhaseResult &p = *phases[i];
    double y = top + i * (barH + gap);
    os << "<g class=\"phase-row\" data-phase=\"" << p.name << "\">"
       << "<text x=\"" << svgCoord(left - 8) << "\" y=\""
       << svgCoord(y + barH / 2 + 4)
       << "\" text-anchor=\"end\">" << p.name << " ("
       << htmlEscape(formatTime(p.totals.time)) << ")</text>\n";
    double x = left;
    for (unsigned k = 0; k < kNumBlockKinds; ++k) {
      double t = p.byBlock[k].time;
      if (!(t > 0) || !(p.totals.time > 0))
        continue;
      double share = t / p.totals.time;
      double w = width * share;
      char pct[32];
      snprintf(pct, sizeof(pct), "%.1f%%", 100 * share);
      llvm::StringRef name = stringifyBlockKind(static_cast<BlockKind>(k));
      os << "<rect class=\"segment\" data-block=\"" << name << "\" x=\""
         << svgCoord(x) << "\" y=\"" << svgCoord(y) << "\" width=\""
         << svgCoord(w) << "\" height=\"" << svgCoord(barH)
         << "\" fill=\"" << blockKindColor(static_cast<BlockKind>(k))
         << "\"><title>" << p.name << ", " << name << ": "
         << htmlEscape(formatTime(t)) << " (" << pct << ")</title></rect>";
      if (w > 38)
        os << "<text class=\"label\" x=\"" << svgCoord(x + w / 2) << "\" y=\""
           << svgCoord(y + barH / 2 + 4) << "\" text-anchor=\"middle\" fill=\"#fff\">"
           << pct << "</text>";
      os << "\n";
      x += w;
    }
    os << "</g>\n";
  }
  os << "</svg>\n";
}
