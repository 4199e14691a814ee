//===- RouteExperts.cpp - the tfperf-route-experts pass -------------------===//

#include "tfperf/Dialect/TFPerf/IR/ExpertRouting.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"
#include "tfperf/Dialect/TFPerf/Utils/ShapeInference.h"
#include "tfperf/Transforms/Passes.h"

#include "mlir/IR/Builders.h"

namespace mlir::tfperf {
#define GEN_PASS_DEF_TFPERFROUTEEXPERTS
#include "tfperf/Transforms/Passes.h.inc"
} // namespace mlir::tfperf

using namespace mlir;
using namespace mlir::tfperf;

namespace {
struct RouteExpertsPass
    : public tfperf::impl::TFPerfRouteExpertsBase<RouteExpertsPass> {
  using Base::Base;
  void runOnOperation() override {
    if (routing != "balanced" && routing != "none") {
      getOperation().emitError()
          << "routing must be balanced or none, got '" << routing << "'";
      return signalPassFailure();
    }
    std::vector<ExpertRouter> routers;
    if (routing == "balanced")
      routers = findExpertRouters(getOperation());
    if (routers.empty())
      return markAllAnalysesPreserved();
    Builder b(&getContext());
    for (const ExpertRouter &r : routers)
      for (auto [i, sel] : llvm::enumerate(r.selections)) {
        sel->setAttr(kRoutedExpertsAttr, b.getI64IntegerAttr(r.experts));
        sel->setAttr(kRoutedExpertAttr, b.getI64IntegerAttr(i));
      }
    ShapeContext ctx;
    if (failed(inferFunction(getOperation(), DimBindings(), ctx,
                             /*updateTypes=*/true)))
      return signalPassFailure();
  }
};
} // namespace
