//===- ServingRows.h - the serving study's rows as CSV and JSON -*- C++ -*-===//
//
// The serve-out files of tfperf-serve: one row per study point (device,
// TP degree, token budget, load; latency percentiles; throughput per GPU
// and per user; KV use), as CSV with a header or a JSON array of objects.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_REPORT_SERVINGROWS_H
#define TFPERF_REPORT_SERVINGROWS_H

#include "tfperf/Analysis/ServingAnalysis.h"

#include "llvm/Support/raw_ostream.h"

namespace mlir::tfperf {

/// `format` is "csv" or "json".
void writeServingRows(const ServingSection &s, llvm::StringRef format,
                      llvm::raw_ostream &os);

} // namespace mlir::tfperf

#endif
