//===- SymbolicReport.h - the symbolic section of the reports ---*- C++ -*-===//
//
// What tfperf-symbolic adds to a report: the graph's symbols, cost
// formulas (totals, per layer and block, per distinct op), the
// attention/MLP crossover solved from them, and the sweep with its chart.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_LIB_REPORT_SYMBOLICREPORT_H
#define TFPERF_LIB_REPORT_SYMBOLICREPORT_H

#include "SummaryTables.h"

#include "tfperf/Analysis/SymbolicCosts.h"
#include "tfperf/Analysis/Sweep.h"
#include "tfperf/Support/FormulaPrinter.h"

#include <memory>
#include <optional>
#include <vector>

namespace mlir::tfperf {

struct SymbolicSection {
  /// The cached formulas (SymbolicCostsAnalysis) and sweep (SweepAnalysis).
  const SymbolicCosts *costs = nullptr;
  const SweepResult *sweep = nullptr;
  /// The numeric sweep axis the chart puts on x (the sequence when swept),
  /// and the one that makes its series (the batch, say); -1 for none.
  int xAxis = -1, seriesAxis = -1;
  /// Per sweep device: the x value beyond which the attention blocks take
  /// longer than the MLPs (other axes at their first value).
  std::vector<std::optional<double>> timeCrossover;

  /// The row of a sweep point given per numeric axis as value indices.
  const SweepRow &row(ArrayRef<size_t> index, unsigned device) const;
};

/// The text/Markdown/HTML tables: symbols, formulas, per layer, crossover,
/// distinct op formulas, the sweep.
void appendSymbolicTables(const Report &r, const TextReportOptions &opts,
                          std::vector<SummaryTable> &tables);

/// Per sweep device, a chart (`<div class="chart">`) of time against the
/// sweep's x axis, on y axes they share: one line per series value,
/// attention and MLP time dashed, crossovers marked.
void writeSweepCharts(const Report &r, llvm::raw_ostream &os);

/// `"formula": {"flops", "gemm_flops", "bytes"}` of op `index` (a known
/// op) or of the totals (`index` < 0); nothing without the section.
void printFormulaJSON(const Report &r, int index, llvm::json::OStream &j);

} // namespace mlir::tfperf

#endif
