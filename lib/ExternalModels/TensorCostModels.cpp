//===- TensorCostModels.cpp - CostOpInterface for tensor ------------------===//
//
// The tensor dialect moves data and computes nothing: reshapes and casts are
// views (as ONNX Reshape), extract_slice reads only the elements it returns
// (as ONNX Slice), insert_slice reads the slice and writes it into place,
// concat and pad read their inputs and write their result, and
// tensor.empty, which only allocates, costs nothing.
//
//===----------------------------------------------------------------------===//

#include "ModelUtils.h"
#include "tfperf/ExternalModels/ExternalModels.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace mlir::tfperf;
using namespace mlir::tensor;

static LogicalResult extractSliceCost(ExtractSliceOp op, const ShapeQuery &q,
                                      OpCost &c) {
  return ext::moveElementsOf(q, op.getResult(), op.getSource(), op.getResult(),
                             c);
}

/// Writes the slice into the destination in place: the rest of the
/// destination does not move.
static LogicalResult insertSliceCost(InsertSliceOp op, const ShapeQuery &q,
                                     OpCost &c) {
  return ext::moveElementsOf(q, op.getSource(), op.getSource(), op.getResult(),
                             c);
}

static LogicalResult concatCost(ConcatOp op, const ShapeQuery &q, OpCost &c) {
  return ext::dataMovement(op, op.getInputs(), q, c);
}

/// The padding value is a scalar (the region yields it): not traffic.
static LogicalResult padCost(PadOp op, const ShapeQuery &q, OpCost &c) {
  return ext::dataMovement(op, {op.getSource()}, q, c);
}

void mlir::tfperf::registerTensorCostModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, TensorDialect *) {
    ext::attachCostFn<ext::viewCost, ReshapeOp, ExpandShapeOp, CollapseShapeOp,
                      CastOp, BitcastOp, EmptyOp>(ctx);
    ext::attachCostFn<extractSliceCost, ExtractSliceOp>(ctx);
    ext::attachCostFn<insertSliceCost, InsertSliceOp>(ctx);
    ext::attachCostFn<concatCost, ConcatOp>(ctx);
    ext::attachCostFn<padCost, PadOp>(ctx);
  });
}
