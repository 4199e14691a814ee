//===- CostAttributes.h - cost figures as op attributes ---------*- C++ -*-===//
//
// How the annotating passes (tfperf-annotate-cost, tfperf-analyze-training)
// spell exact counts on ops: an i64 when the count fits, else its formula
// text (symbolic dims) or "overflow".
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_TRANSFORMS_COSTATTRIBUTES_H
#define TFPERF_TRANSFORMS_COSTATTRIBUTES_H

#include "tfperf/Support/SymExpr.h"

#include "mlir/IR/Builders.h"

namespace mlir::tfperf {

/// An exact count as an i64 attribute when it fits, else its text.
Attribute countAttr(Builder &b, const SymExpr &e);

/// Bits to bytes: exact when every coefficient is a multiple of 8, else a
/// float (constants) or the text `(bits) / 8`.
Attribute bytesAttr(Builder &b, const SymExpr &bits);

} // namespace mlir::tfperf

#endif
