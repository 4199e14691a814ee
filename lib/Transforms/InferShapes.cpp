//===- InferShapes.cpp - the tfperf-infer-shapes pass ---------------------===//

#include "tfperf/Dialect/TFPerf/Utils/ShapeInference.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"
#include "tfperf/Transforms/Passes.h"

namespace mlir::tfperf {
#define GEN_PASS_DEF_TFPERFINFERSHAPES
#include "tfperf/Transforms/Passes.h.inc"
} // namespace mlir::tfperf

using namespace mlir;
using namespace mlir::tfperf;

namespace {
struct InferShapesPass
    : public tfperf::impl::TFPerfInferShapesBase<InferShapesPass> {
  using Base::Base;
  void runOnOperation() override {
    std::string error;
    auto bindings = DimBindings::parse(bindDims, error);
    if (!bindings) {
      getOperation().emitError() << "bind-dims: " << error;
      return signalPassFailure();
    }
    ShapeContext ctx;
    if (failed(inferFunction(getOperation(), *bindings, ctx,
                             /*updateTypes=*/true)))
      return signalPassFailure();
  }
};
} // namespace
