//===- Passes.h - tfperf passes ---------------------------------*- C++ -*-===//

#ifndef TFPERF_TRANSFORMS_PASSES_H
#define TFPERF_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfAttrs.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfDialect.h"

namespace mlir::tfperf {

#define GEN_PASS_DECL
#include "tfperf/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "tfperf/Transforms/Passes.h.inc"

} // namespace mlir::tfperf

#endif
