//===- FuzzPipeline.h - every analysis and report, for the fuzzers -*- C++
//-*-===//
//
// The whole-pipeline fuzz targets import or parse a module and hand it here:
// every analysis tfperf has (roofline, transformer phases, tensor
// parallelism, training, symbolic costs with a small sweep, the kernel
// model, a tiny serving study) and every report format, written to
// /dev/null, with the report invariants on. A report that breaks an
// invariant is an internal error; the targets abort on it, so libFuzzer
// keeps the input as a crash.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_FUZZ_FUZZPIPELINE_H
#define TFPERF_FUZZ_FUZZPIPELINE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"

#include <memory>

namespace mlir::tfperf::fuzz {

/// The process's registry: every dialect tfperf reads and the importer's.
DialectRegistry &registry();

/// A context reused for a bounded number of inputs (creating one costs
/// more than analysing a small model).
MLIRContext &sharedContext();

/// Runs one of the analysis configurations (picked by `variant`) and every
/// report format on `module`. Diagnostics are swallowed; an internal error
/// (a report invariant broken) aborts with the message on stderr.
void analyzeEverything(ModuleOp module, unsigned variant);

} // namespace mlir::tfperf::fuzz

#endif
