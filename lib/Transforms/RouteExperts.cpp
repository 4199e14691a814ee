//===- RouteExperts.cpp - the tfperf-route-experts pass -------------------===//

#include "tfperf/Analysis/PlainExperts.h"
#include "tfperf/Dialect/TFPerf/IR/ExpertGeometry.h"
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
    std::optional<MoeRouting> model = parseMoeRouting(routing);
    if (!model) {
      getOperation().emitError() << "routing must be " << kMoeRoutingSyntax
                                 << ", got '" << routing << "'";
      return signalPassFailure();
    }
    Builder b(&getContext());
    // A skewed routing marks every op whose counts or touched experts it
    // decides with s (and a selection with its k).
    std::optional<FloatAttr> zipf;
    if (model->isSkewed())
      zipf = b.getF64FloatAttr(model->zipf);
    bool changed = false;
    if (zipf)
      getOperation().walk([&](Operation *op) {
        if (isFusedMoE(op)) {
          op->setAttr(kRoutedZipfAttr, *zipf);
          changed = true;
        }
      });
    std::vector<ExpertRouter> routers;
    if (model->kind != MoeRouting::Kind::None)
      routers = findExpertRouters(getOperation());
    if (routers.empty()) {
      if (!changed)
        markAllAnalysesPreserved();
      return;
    }
    for (const ExpertRouter &r : routers)
      for (auto [i, sel] : llvm::enumerate(r.selections)) {
        sel->setAttr(kRoutedExpertsAttr, b.getI64IntegerAttr(r.experts));
        sel->setAttr(kRoutedExpertAttr, b.getI64IntegerAttr(i));
        if (zipf) {
          sel->setAttr(kRoutedTopKAttr, b.getI64IntegerAttr(r.k));
          sel->setAttr(kRoutedZipfAttr, *zipf);
        }
      }
    // Routed linears read the share of their weights a step's tokens touch.
    for (const PlainExpertBlock &blk : findPlainExpertBlocks(getOperation()))
      for (const auto &linears : blk.experts)
        for (Operation *l : linears) {
          l->setAttr(kRoutedExpertsAttr,
                     b.getI64IntegerAttr(blk.router.experts));
          l->setAttr(kRoutedTopKAttr, b.getI64IntegerAttr(blk.router.k));
          if (zipf)
            l->setAttr(kRoutedZipfAttr, *zipf);
        }
    ShapeContext ctx;
    if (failed(inferFunction(getOperation(), DimBindings(), ctx,
                             /*updateTypes=*/true)))
      return signalPassFailure();
  }
};
} // namespace
