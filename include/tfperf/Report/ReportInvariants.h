//===- ReportInvariants.h - what every figure of a report must satisfy ----===//

#ifndef TFPERF_REPORT_REPORTINVARIANTS_H
#define TFPERF_REPORT_REPORTINVARIANTS_H

#include "mlir/Support/LogicalResult.h"

#include <string>

namespace mlir::tfperf {

struct Report;

/// Checks every figure of `r` (lib/Report/ReportInvariants.cpp: counts and
/// times >= 0 and finite or explicitly unknown, parts summing to totals,
/// per-device x degree, formulas against their values). On failure
/// `violation` is an internal error naming the op or section and the figure.
LogicalResult checkReportInvariants(const Report &r, std::string &violation);

} // namespace mlir::tfperf

#endif
