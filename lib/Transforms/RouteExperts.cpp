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
/// One MoE layer: a plain router or a fused MoE op, its E and k.
struct MoELayer {
  Operation *anchor = nullptr; // the router's TopK, or the fused op
  const ExpertRouter *router = nullptr;
  int64_t experts = 0, k = 0;
};

/// The fused MoE op's E (its fc1 weights' first dim) and k; E 0 when not
/// static.
static std::pair<int64_t, int64_t> fusedExpertsAndK(Operation *op) {
  auto fc1 = dyn_cast<ShapedType>(op->getOperand(2).getType());
  int64_t e = fc1 && fc1.hasRank() && fc1.getRank() == 3 &&
                      !fc1.isDynamicDim(0)
                  ? fc1.getDimSize(0)
                  : 0;
  int64_t k = 1;
  if (auto m = dyn_cast<MSMoEOp>(op))
    k = m.getK();
  else if (auto q = dyn_cast<MSQMoEOp>(op))
    k = q.getK();
  return {e, k};
}

struct RouteExpertsPass
    : public tfperf::impl::TFPerfRouteExpertsBase<RouteExpertsPass> {
  using Base::Base;

  /// The attributes a skewed routing puts on each layer's ops (none for a
  /// layer it leaves balanced); failure, reported, on loads that do not fit
  /// the layers.
  LogicalResult layerMarks(const MoeRouting &model,
                           const std::optional<ExpertLoads> &loads,
                           ArrayRef<MoELayer> layers,
                           SmallVectorImpl<NamedAttrList> &marks) {
    Builder b(&getContext());
    marks.assign(layers.size(), NamedAttrList());
    if (model.isSkewed())
      for (NamedAttrList &m : marks)
        m.set(kRoutedZipfAttr, b.getF64FloatAttr(model.zipf));
    if (!loads)
      return success();
    size_t lists = loads->popularity.size();
    if (lists != 1 && lists != layers.size())
      return getOperation().emitError()
             << "--moe-routing=loads:" << loads->file << ": " << lists
             << " lists of loads for " << layers.size()
             << " MoE layers (give one line per MoE layer, in graph order, "
                "or one for all)";
    for (auto [j, layer] : llvm::enumerate(layers)) {
      size_t list = lists == 1 ? 0 : j;
      ArrayRef<double> p = loads->popularity[list];
      auto where = [&]() {
        return "--moe-routing=loads:" + loads->file + ":" +
               std::to_string(loads->lines[list]) + ": ";
      };
      if ((int64_t)p.size() != layer.experts)
        return layer.anchor->emitError()
               << where() << p.size() << " loads for MoE layer " << j
               << ", which has " << layer.experts << " experts";
      int64_t used = llvm::count_if(p, [](double x) { return x > 0; });
      if (used < layer.k)
        return layer.anchor->emitError()
               << where() << used << " of the loads for MoE layer " << j
               << " are above 0, fewer than the " << layer.k
               << " experts it picks per token";
      // Uniform loads are balanced routing, byte for byte.
      if (loads->isUniform(list))
        continue;
      marks[j].set(kRoutedLoadsAttr, b.getDenseF64ArrayAttr(p));
      marks[j].set(kRoutedModelAttr,
                   b.getStringAttr("loads:" + loads->file));
    }
    return success();
  }

  void runOnOperation() override {
    std::optional<MoeRouting> model = parseMoeRouting(routing);
    if (!model) {
      getOperation().emitError() << "routing must be " << kMoeRoutingSyntax
                                 << ", got '" << routing << "'";
      return signalPassFailure();
    }
    std::optional<ExpertLoads> loads;
    if (model->kind == MoeRouting::Kind::Loads) {
      std::string error;
      loads = readExpertLoads(model->loadsFile, error);
      if (!loads) {
        getOperation().emitError() << "--moe-routing=loads:" << error;
        return signalPassFailure();
      }
    }
    Builder b(&getContext());
    // The MoE layers in graph order: fused MoE ops and plain routers.
    std::vector<ExpertRouter> routers;
    if (model->kind != MoeRouting::Kind::None)
      routers = findExpertRouters(getOperation());
    SmallVector<MoELayer> layers;
    getOperation().walk([&](Operation *op) {
      if (isFusedMoE(op)) {
        auto [e, k] = fusedExpertsAndK(op);
        layers.push_back({op, nullptr, e, k});
      }
    });
    for (const ExpertRouter &r : routers)
      layers.push_back({r.topK, &r, r.experts, r.k});
    SmallVector<Operation *> anchors;
    for (const MoELayer &l : layers)
      anchors.push_back(l.anchor);
    WalkPositions(getOperation()).sort(anchors);
    llvm::sort(layers, [&](const MoELayer &x, const MoELayer &y) {
      return llvm::find(anchors, x.anchor) < llvm::find(anchors, y.anchor);
    });
    // A skewed routing marks every op whose counts or touched experts it
    // decides (and a selection with its k).
    SmallVector<NamedAttrList> marks;
    if (failed(layerMarks(*model, loads, layers, marks)))
      return signalPassFailure();
    bool changed = false;
    llvm::DenseMap<Operation *, size_t> layerOfTopK;
    for (auto [j, l] : llvm::enumerate(layers)) {
      if (l.router) {
        layerOfTopK[l.anchor] = j;
        continue;
      }
      for (const NamedAttribute &a : marks[j]) {
        l.anchor->setAttr(a.getName(), a.getValue());
        changed = true;
      }
    }
    if (routers.empty()) {
      if (!changed)
        markAllAnalysesPreserved();
      return;
    }
    for (const MoELayer &l : layers)
      if (l.router)
        for (auto [i, sel] : llvm::enumerate(l.router->selections)) {
          sel->setAttr(kRoutedExpertsAttr, b.getI64IntegerAttr(l.experts));
          sel->setAttr(kRoutedExpertAttr, b.getI64IntegerAttr(i));
          const NamedAttrList &mark = marks[layerOfTopK[l.anchor]];
          if (!mark.empty())
            sel->setAttr(kRoutedTopKAttr, b.getI64IntegerAttr(l.k));
          for (const NamedAttribute &a : mark)
            sel->setAttr(a.getName(), a.getValue());
        }
    // Routed linears read the share of their weights a step's tokens touch.
    for (const PlainExpertBlock &blk : findPlainExpertBlocks(getOperation())) {
      auto j = layerOfTopK.find(blk.router.topK);
      for (const auto &linears : blk.experts)
        for (Operation *l : linears) {
          l->setAttr(kRoutedExpertsAttr,
                     b.getI64IntegerAttr(blk.router.experts));
          l->setAttr(kRoutedTopKAttr, b.getI64IntegerAttr(blk.router.k));
          if (j != layerOfTopK.end())
            for (const NamedAttribute &a : marks[j->second])
              l->setAttr(a.getName(), a.getValue());
        }
    }
    ShapeContext ctx;
    if (failed(inferFunction(getOperation(), DimBindings(), ctx,
                             /*updateTypes=*/true)))
      return signalPassFailure();
  }
};
} // namespace
