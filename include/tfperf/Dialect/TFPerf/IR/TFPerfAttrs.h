//===- TFPerfAttrs.h - tfperf attributes ------------------------*- C++ -*-===//

#ifndef TFPERF_DIALECT_TFPERF_IR_TFPERFATTRS_H
#define TFPERF_DIALECT_TFPERF_IR_TFPERFATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpImplementation.h"
#include "tfperf/Interfaces/DimExprsEncodingAttrInterface.h"
#include "tfperf/Support/SymExpr.h"

namespace mlir::tfperf {
/// The syntax of `#tfperf.config`'s lists (`[1, 2]`, `["a", "b"]`), flags
/// and numbers (lib/Dialect/TFPerf/IR/ConfigAttr.cpp).
void printConfigList(AsmPrinter &printer, ArrayRef<int64_t> list);
void printConfigList(AsmPrinter &printer, ArrayRef<StringAttr> list);
FailureOr<SmallVector<int64_t>> parseConfigIntList(AsmParser &parser);
FailureOr<SmallVector<StringAttr>> parseConfigStringList(AsmParser &parser);
FailureOr<bool> parseConfigBool(AsmParser &parser);
FailureOr<llvm::APFloat> parseConfigDouble(AsmParser &parser);

/// Limits of the transformer phase options (`#tfperf.phases`): past 2^31
/// tokens no real workload exists, and element counts of the phase shapes
/// could leave the range the cost model keeps exact.
constexpr int64_t kMaxPhaseSize = (int64_t(1) << 31) - 1;
constexpr int64_t kMaxCapacityDevices = 1000000;
/// Limits of the parallel training options (`#tfperf.training`): far beyond
/// any machine, so a value past them is a typo rather than a plan.
constexpr int64_t kMaxPipelineStages = 4096;
constexpr int64_t kMaxPipelineVirtualStages = 1024;
constexpr int64_t kMaxTrainingRanks = int64_t(1) << 20;
/// Model state per parameter: Adam keeps 16-20 bytes, no optimizer a
/// kilobyte; past it the step's byte counts would leave double's range.
constexpr double kMaxOptimizerBytesPerParam = 1024;
/// The kernel view and time model of a configuration without a `timing`
/// part (`#tfperf.timing`; docs/Kernels.md says why).
constexpr llvm::StringLiteral kDefaultKernelView = "fused";
constexpr llvm::StringLiteral kDefaultTimeModel = "calibrated";
} // namespace mlir::tfperf

#define GET_ATTRDEF_CLASSES
#include "tfperf/Dialect/TFPerf/IR/TFPerfAttrs.h.inc"

namespace mlir::tfperf {

/// True when the static dims of `dims` multiply to more than 2^62 (zeros
/// aside, in any order): MLIR counts elements in int64
/// (ShapedType::getNumElements), so such a type must never be built.
bool hasTooManyElements(ArrayRef<SymExpr> dims);

/// The ranked tensor type for `dims`: constant dims stay static, others
/// become `?` with their expressions in a `#tfperf.dims` encoding (omitted
/// when every dynamic dim is Unknown). Fails on a negative or too large dim.
FailureOr<RankedTensorType> buildTensorType(MLIRContext *ctx, Type elementType,
                                            ArrayRef<SymExpr> dims);

} // namespace mlir::tfperf

#endif
