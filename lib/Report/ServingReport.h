//===- ServingReport.h - the serving section in every format ----*- C++ -*-===//
//
// The serving study (ServingAnalysis.h) as summary tables (text, Markdown
// and HTML lay them out), a JSON object, CSV/JSON rows (one per study
// point, for --serve-out) and the HTML charts: tokens/s per GPU against
// tokens/s per user with each device's frontier, latency percentiles per
// point, and KV-cache occupancy over time at the best point.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_LIB_REPORT_SERVINGREPORT_H
#define TFPERF_LIB_REPORT_SERVINGREPORT_H

#include "SummaryTables.h"

#include "tfperf/Analysis/ServingAnalysis.h"
#include "tfperf/Report/ServingRows.h"

namespace mlir::tfperf {

void appendServingTables(const ServingSection &s,
                         std::vector<SummaryTable> &tables);
/// The `serving` object of the JSON report.
void printServingJSON(const ServingSection &s, llvm::json::OStream &j);
/// The charts of the HTML report's serving section.
void writeServingCharts(const ServingSection &s, llvm::raw_ostream &os);

} // namespace mlir::tfperf

#endif
