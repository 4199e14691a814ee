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

namespace {
template <typename OpTy>
struct ViewModel : public CostOpInterface::ExternalModel<ViewModel<OpTy>, OpTy> {
  LogicalResult computeCost(Operation *, const ShapeQuery &, OpCost &c) const {
    return ext::view(c);
  }
};

struct ExtractSliceModel
    : public CostOpInterface::ExternalModel<ExtractSliceModel, ExtractSliceOp> {
  LogicalResult computeCost(Operation *op, const ShapeQuery &q,
                            OpCost &c) const {
    auto slice = cast<ExtractSliceOp>(op);
    auto n = ext::elements(q, slice.getResult(), c);
    if (!n)
      return failure();
    c.read(slice.getSource(), *n);
    c.write(slice.getResult(), *n);
    return success();
  }
};

/// Writes the slice into the destination in place: the rest of the
/// destination does not move.
struct InsertSliceModel
    : public CostOpInterface::ExternalModel<InsertSliceModel, InsertSliceOp> {
  LogicalResult computeCost(Operation *op, const ShapeQuery &q,
                            OpCost &c) const {
    auto insert = cast<InsertSliceOp>(op);
    auto n = ext::elements(q, insert.getSource(), c);
    if (!n)
      return failure();
    c.read(insert.getSource(), *n);
    c.write(insert.getResult(), *n);
    return success();
  }
};

struct ConcatModel
    : public CostOpInterface::ExternalModel<ConcatModel, ConcatOp> {
  LogicalResult computeCost(Operation *op, const ShapeQuery &q,
                            OpCost &c) const {
    return ext::dataMovement(op, cast<ConcatOp>(op).getInputs(), q, c);
  }
};

/// The padding value is a scalar (the region yields it): not traffic.
struct PadModel : public CostOpInterface::ExternalModel<PadModel, PadOp> {
  LogicalResult computeCost(Operation *op, const ShapeQuery &q,
                            OpCost &c) const {
    return ext::dataMovement(op, {cast<PadOp>(op).getSource()}, q, c);
  }
};
} // namespace

void mlir::tfperf::registerTensorCostModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, TensorDialect *) {
    ReshapeOp::attachInterface<ViewModel<ReshapeOp>>(*ctx);
    ExpandShapeOp::attachInterface<ViewModel<ExpandShapeOp>>(*ctx);
    CollapseShapeOp::attachInterface<ViewModel<CollapseShapeOp>>(*ctx);
    CastOp::attachInterface<ViewModel<CastOp>>(*ctx);
    BitcastOp::attachInterface<ViewModel<BitcastOp>>(*ctx);
    EmptyOp::attachInterface<ViewModel<EmptyOp>>(*ctx);
    ExtractSliceOp::attachInterface<ExtractSliceModel>(*ctx);
    InsertSliceOp::attachInterface<InsertSliceModel>(*ctx);
    ConcatOp::attachInterface<ConcatModel>(*ctx);
    PadOp::attachInterface<PadModel>(*ctx);
  });
}
