//===- ModelUtils.h - helpers shared by the external models -----*- C++ -*-===//
//
// Private to lib/ExternalModels. The same conventions as the tfperf ops'
// cost functions (docs/CostModel.md): counts are elements, not bytes; every
// input is read once and every output written once; a failure leaves the
// reason in OpCost::unknownReason.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_LIB_EXTERNALMODELS_MODELUTILS_H
#define TFPERF_LIB_EXTERNALMODELS_MODELUTILS_H

#include "tfperf/Interfaces/CostOpInterface.h"

#include "mlir/IR/Operation.h"

namespace mlir::tfperf::ext {

/// Dims of a tensor (through the query, so bound and what-if shapes apply)
/// or of a statically shaped memref. Sets the reason and returns nullopt
/// when they are unknown.
std::optional<SmallVector<SymExpr, 4>> dims(const ShapeQuery &q, Value v,
                                            OpCost &c);

/// Element count of `v` (see dims()).
std::optional<SymExpr> elements(const ShapeQuery &q, Value v, OpCost &c);

/// Records a full read (write) of `v`.
LogicalResult readAll(const ShapeQuery &q, Value v, OpCost &c);
LogicalResult writeAll(const ShapeQuery &q, Value v, OpCost &c);

/// Reads `inputs` and writes every result of `op` in full;
/// `flopsPerElement` FLOPs per element of each result.
LogicalResult elementwise(Operation *op, ValueRange inputs,
                          const ShapeQuery &q, OpCost &c,
                          int64_t flopsPerElement);

/// Moves data without computing: reads `inputs`, writes every result.
inline LogicalResult dataMovement(Operation *op, ValueRange inputs,
                                  const ShapeQuery &q, OpCost &c) {
  return elementwise(op, inputs, q, c, 0);
}

/// A view: no data moves, nothing is computed.
inline LogicalResult view(OpCost &c) {
  c.isView = true;
  return success();
}

/// A reduction from `in` to `out`: numel(in) - numel(out) combines (n - 1
/// per output, tfperf's ReduceSum/ReduceMax convention).
LogicalResult reduction(Operation *op, Value in, Value out,
                        const ShapeQuery &q, OpCost &c);

} // namespace mlir::tfperf::ext

#endif // TFPERF_LIB_EXTERNALMODELS_MODELUTILS_H
