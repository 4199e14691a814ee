//===- TFPerfDialect.h - tfperf dialect -------------------------*- C++ -*-===//

#ifndef TFPERF_DIALECT_TFPERF_IR_TFPERFDIALECT_H
#define TFPERF_DIALECT_TFPERF_IR_TFPERFDIALECT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Dialect.h"

#include "tfperf/Dialect/TFPerf/IR/TFPerfOpsDialect.h.inc"

#endif
