//===- TFPerfOps.h - tfperf ops ---------------------------------*- C++ -*-===//

#ifndef TFPERF_DIALECT_TFPERF_IR_TFPERFOPS_H
#define TFPERF_DIALECT_TFPERF_IR_TFPERFOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfAttrs.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfDialect.h"
#include "tfperf/Dialect/TFPerf/IR/OpFamilies.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfTraits.h"
#include "tfperf/Interfaces/CostOpInterface.h"
#include "tfperf/Interfaces/ShapeInferenceOpInterface.h"

#define GET_OP_CLASSES
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h.inc"

#endif
