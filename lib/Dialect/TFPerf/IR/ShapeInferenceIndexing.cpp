//===- ShapeInferenceIndexing.cpp - shape functions of indexing ops -------===//
//
// Gathers take the indices' shape, scatters the data's. A count that only
// the data decides (NonZero's, a TopK k that is not a constant) becomes a
// symbol named after the node, never an unknown dim; a routed expert's
// selection sized by a routing model (ExpertRouting.h) is its share instead.
//
//===----------------------------------------------------------------------===//

#include "InferenceUtils.h"
#include "tfperf/Dialect/TFPerf/IR/ExpertRouting.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::tfperf;
using namespace mlir::tfperf::infer;

/// The single value of a scalar or 1-element operand, else the fallback.
static SymExpr scalarValue(ShapeContext &ctx, Value v, SymExpr fallback) {
  const auto *vals = ctx.getValues(v);
  if (vals && vals->size() == 1 && vals->front().isKnown())
    return vals->front();
  return fallback;
}

static Type i64Type(Operation *op) {
  return IntegerType::get(op->getContext(), 64);
}

/// A routed expert's token count: the routing model's share of the (token,
/// expert) pairs in its selection mask when tfperf-route-experts sized it,
/// else a symbol.
static SymExpr selectedCount(NonZeroOp op, const TensorInfo &mask) {
  auto experts = op->getAttrOfType<IntegerAttr>(kRoutedExpertsAttr);
  auto index = op->getAttrOfType<IntegerAttr>(kRoutedExpertAttr);
  if (!experts || !index || experts.getInt() < 1 || index.getInt() < 0)
    return dataDependentDim(op, "nnz");
  if (isRoutingSkewed(op)) {
    // A skewed count needs its k and an expert of the router.
    auto topK = op->getAttrOfType<IntegerAttr>(kRoutedTopKAttr);
    std::vector<double> inclusion =
        topK ? getRoutingInclusion(op, experts.getInt(), topK.getInt())
             : std::vector<double>();
    if (inclusion.empty() || index.getInt() >= experts.getInt())
      return dataDependentDim(op, "nnz");
    return skewedRoutedTokens(product(mask.dims), inclusion, index.getInt());
  }
  return balancedRoutedTokens(product(mask.dims), experts.getInt(),
                              index.getInt());
}

LogicalResult NonZeroOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &in = ctx.get(getInput());
  if (!in.ranked)
    return success();
  ctx.setResult(*this, 0, i64Type(*this),
                Dims{SymExpr((int64_t)in.dims.size()), selectedCount(*this, in)});
  return success();
}

LogicalResult TopKOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &in = ctx.get(getInput());
  if (!in.ranked)
    return success();
  auto axis = normalizeAxis(*this, getAxis(), in.dims.size());
  if (failed(axis))
    return failure();
  Dims out = in.dims;
  out[*axis] = scalarValue(ctx, getK(), dataDependentDim(*this, "k"));
  ctx.setResult(*this, 0, in.elementType, out);
  ctx.setResult(*this, 1, i64Type(*this), out);
  return success();
}

LogicalResult GatherElementsOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &data = ctx.get(getData()), &idx = ctx.get(getIndices());
  if (!data.ranked || !idx.ranked)
    return success();
  if (data.dims.size() != idx.dims.size())
    return emitOpError() << "indices must have the data's rank";
  if (failed(normalizeAxis(*this, getAxis(), data.dims.size())))
    return failure();
  ctx.setResult(*this, 0, data.elementType, idx.dims);
  return success();
}

LogicalResult GatherNDOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &data = ctx.get(getData()), &idx = ctx.get(getIndices());
  if (!data.ranked || !idx.ranked)
    return success();
  if (idx.dims.empty())
    return emitOpError() << "indices must have rank >= 1";
  auto tuple = idx.dims.back().getInt64();
  int64_t b = getBatchDims();
  if (!tuple || b < 0 || b + *tuple > (int64_t)data.dims.size())
    return emitOpError() << "index tuples of length " << idx.dims.back()
                         << " do not fit data of rank " << data.dims.size();
  Dims out(idx.dims.begin(), idx.dims.end() - 1);
  out.append(data.dims.begin() + b + *tuple, data.dims.end());
  ctx.setResult(*this, 0, data.elementType, out);
  return success();
}

static LogicalResult inferScatter(Operation *op, ShapeContext &ctx) {
  const TensorInfo &data = ctx.get(op->getOperand(0));
  if (!data.ranked)
    return success();
  ctx.setResult(op, 0, data.elementType, data.dims);
  return success();
}

LogicalResult ScatterNDOp::inferShapes(ShapeContext &ctx) {
  return inferScatter(*this, ctx);
}

LogicalResult ScatterElementsOp::inferShapes(ShapeContext &ctx) {
  return inferScatter(*this, ctx);
}

LogicalResult OneHotOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &idx = ctx.get(getIndices());
  if (!idx.ranked)
    return success();
  auto axis = normalizeAxis(*this, getAxis(), idx.dims.size() + 1);
  if (failed(axis))
    return failure();
  Dims out = idx.dims;
  out.insert(out.begin() + *axis,
             scalarValue(ctx, getDepth(), dataDependentDim(*this, "depth")));
  ctx.setResult(*this, 0, ctx.get(getValues()).elementType, out);
  return success();
}
