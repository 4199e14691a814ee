//===- DimExprsEncodingAttrInterface.h - named dynamic dims -----*- C++ -*-===//
//
// The generated DimExprsEncodingAttrInterface and getSymbolicDims, the one
// reading of a tensor type's dims as SymExprs.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_INTERFACES_DIMEXPRSENCODINGATTRINTERFACE_H
#define TFPERF_INTERFACES_DIMEXPRSENCODINGATTRINTERFACE_H

#include "tfperf/Support/SymExpr.h"
#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Types.h"

#include "tfperf/Interfaces/DimExprsEncodingAttrInterface.h.inc"

namespace mlir::tfperf {

/// The dims of a ranked tensor type as SymExprs: static dims as constants,
/// dynamic ones from its DimExprsEncodingAttrInterface encoding (Unknown
/// without one). Returns nullopt for unranked or non-tensor types.
std::optional<llvm::SmallVector<SymExpr, 4>> getSymbolicDims(Type type);

} // namespace mlir::tfperf

#endif // TFPERF_INTERFACES_DIMEXPRSENCODINGATTRINTERFACE_H
