//===- TFPerfAttrs.h - tfperf attributes ------------------------*- C++ -*-===//

#ifndef TFPERF_DIALECT_TFPERF_IR_TFPERFATTRS_H
#define TFPERF_DIALECT_TFPERF_IR_TFPERFATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "tfperf/Interfaces/DimExprsEncodingAttrInterface.h"
#include "tfperf/Support/SymExpr.h"

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
