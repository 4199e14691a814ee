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

#include "mlir/IR/MLIRContext.h"
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

/// Moves as many elements as `counted` has: reads them from `from` and
/// writes them to `to` (a slice read out of a larger tensor, or written
/// into one in place); a null `from` or `to` is not accessed.
LogicalResult moveElementsOf(const ShapeQuery &q, Value counted, Value from,
                             Value to, OpCost &c);

/// The cost functions the models below take, of the op as its concrete
/// type `OpTy` or as an `Operation *`.
inline LogicalResult viewCost(Operation *, const ShapeQuery &, OpCost &c) {
  return view(c);
}
/// Pure data movement of the first operand (a transpose, tile or cast).
inline LogicalResult copyFirstOperandCost(Operation *op, const ShapeQuery &q,
                                          OpCost &c) {
  return dataMovement(op, {op->getOperand(0)}, q, c);
}
/// Reductions along one axis, the first operand into the first result.
inline LogicalResult reduceFirstOperandCost(Operation *op, const ShapeQuery &q,
                                            OpCost &c) {
  return reduction(op, op->getOperand(0), op->getResult(0), q, c);
}

/// The CostOpInterface model of `OpTy` that the function `Fn` computes:
/// each dialect's file writes its cost functions, the model is said once.
template <typename OpTy, auto Fn>
struct FnModel
    : public CostOpInterface::ExternalModel<FnModel<OpTy, Fn>, OpTy> {
  LogicalResult computeCost(Operation *op, const ShapeQuery &q,
                            OpCost &c) const {
    return Fn(cast<OpTy>(op), q, c);
  }
};

/// Attaches the model of `Fn` to each of `OpTys`.
template <auto Fn, typename... OpTys>
void attachCostFn(MLIRContext *ctx) {
  (OpTys::template attachInterface<FnModel<OpTys, Fn>>(*ctx), ...);
}

} // namespace mlir::tfperf::ext

#endif // TFPERF_LIB_EXTERNALMODELS_MODELUTILS_H
