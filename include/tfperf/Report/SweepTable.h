//===- SweepTable.h - the sweep's rows as CSV and JSON ----------*- C++ -*-===//
//
// How a sweep (Sweep.h, evaluated by SweepAnalysis) is written out: the
// sweep-out files of tfperf-symbolic, and the figures of each row that the
// JSON report's sweep section uses too.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_REPORT_SWEEPTABLE_H
#define TFPERF_REPORT_SWEEPTABLE_H

#include "tfperf/Analysis/Sweep.h"

#include "llvm/Support/raw_ostream.h"

#include <utility>
#include <vector>

namespace mlir::tfperf {

/// The figures of a row after its axes and hw, by column name: flops,
/// gemm_flops, bytes, intensity, time_s, compute_time_s, memory_time_s,
/// memory_bound_share, attention_time_s, mlp_time_s, tokens_per_s,
/// unknown_ops, and with a tp axis comm_bytes, comm_time_s. NaN where
/// unknown (no transformer blocks, no seq axis).
std::vector<std::pair<const char *, double>>
sweepRowFigures(const SweepResult &r, const SweepRow &row);

/// The rows as CSV (header first) or as a JSON array of objects, with the
/// same columns: the numeric axes, hw, flops, gemm_flops, bytes, intensity,
/// time_s, compute_time_s, memory_time_s, memory_bound_share,
/// attention_time_s, mlp_time_s, tokens_per_s, unknown_ops.
void writeSweepCSV(const SweepResult &r, llvm::raw_ostream &os);
void writeSweepJSON(const SweepResult &r, llvm::raw_ostream &os);

} // namespace mlir::tfperf

#endif
