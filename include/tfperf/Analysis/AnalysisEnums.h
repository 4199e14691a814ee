//===- AnalysisEnums.h - names the analyses print ----------------*- C++ -*-===//
//
// Bound, BlockKind and KernelClass, generated from AnalysisEnums.td with
// their report spellings (stringifyBound, symbolizeKernelClass, ...).
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_ANALYSISENUMS_H
#define TFPERF_ANALYSIS_ANALYSISENUMS_H

#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

#include "tfperf/Analysis/AnalysisEnums.h.inc"

#endif
