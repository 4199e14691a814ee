//===- OpFamilies.cpp - is this value a model parameter -------------------===//

#include "tfperf/Dialect/TFPerf/IR/OpFamilies.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace mlir::tfperf;

/// Chains of views are short; the bound only guards against a malformed
/// graph.
static constexpr int kMaxViewChain = 16;

/// Float weights, or quantized ones (2 to 8-bit integers; not booleans).
static bool isWeightElementType(Type t) {
  if (isa<FloatType>(t))
    return true;
  auto i = dyn_cast<IntegerType>(t);
  return i && i.getWidth() >= 2 && i.getWidth() <= 8;
}

ParameterKind mlir::tfperf::getParameterKind(Value v) {
  for (int guard = 0; guard < kMaxViewChain; ++guard) {
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      auto t = dyn_cast<RankedTensorType>(arg.getType());
      bool weightLike = t && t.hasStaticShape() && t.getRank() >= 1 &&
                        t.getRank() <= 2 &&
                        isWeightElementType(t.getElementType()) &&
                        isa<func::FuncOp>(arg.getOwner()->getParentOp());
      return weightLike ? ParameterKind::GraphInput : ParameterKind::None;
    }
    Operation *def = v.getDefiningOp();
    if (isa<WeightOp, ConstantOp>(def))
      return ParameterKind::Stored;
    if (!isViewLike(def))
      return ParameterKind::None;
    v = def->getOperand(0);
  }
  return ParameterKind::None;
}

Operation *mlir::tfperf::getParameterStorage(Value v, bool throughSlices) {
  for (int guard = 0; guard < kMaxViewChain; ++guard) {
    Operation *def = v.getDefiningOp();
    if (!def)
      return nullptr;
    if (isa<WeightOp, ConstantOp>(def))
      return def;
    if (!isViewLike(def) && !(throughSlices && isa<SliceOp, ExpandOp>(def)))
      return nullptr;
    v = def->getOperand(0);
  }
  return nullptr;
}
