//===- AnnotateCost.cpp - the tfperf-annotate-cost pass -------------------===//

#include "tfperf/Analysis/CostAnalysis.h"
#include "tfperf/Analysis/Roofline.h"
#include "tfperf/ExternalModels/ExternalModels.h"
#include "tfperf/Transforms/CostAttributes.h"
#include "tfperf/Transforms/ExternalModelsPass.h"
#include "tfperf/Transforms/Passes.h"

#include "mlir/IR/Builders.h"

namespace mlir::tfperf {
#define GEN_PASS_DEF_TFPERFANNOTATECOST
#include "tfperf/Transforms/Passes.h.inc"
} // namespace mlir::tfperf

using namespace mlir;
using namespace mlir::tfperf;

namespace {
struct AnnotateCostPass
    : public WithExternalModels<
          tfperf::impl::TFPerfAnnotateCostBase<AnnotateCostPass>> {
  using WithExternalModels::WithExternalModels;
  void runOnOperation() override {
    std::string error;
    auto policy = DtypePolicy::parse(computeDtype, weightDtype, error);
    if (!policy) {
      getOperation()->emitError() << error;
      return signalPassFailure();
    }
    auto &costs = getAnalysis<CostAnalysis>();
    Builder b(&getContext());
    for (const OpCostRecord &rec : costs.getRecords()) {
      // Weights and constants cost nothing themselves; their readers do.
      if (rec.op->hasTrait<OpTrait::ConstantLike>())
        continue;
      Operation *op = rec.op;
      if (!rec.note.empty())
        op->emitRemark() << rec.note;
      if (!rec.known) {
        op->setAttr("tfperf.cost", b.getStringAttr("unknown"));
        op->emitRemark() << "cost unknown: " << rec.cost.unknownReason;
        continue;
      }
      op->setAttr("tfperf.flops", countAttr(b, rec.cost.flops));
      if (!rec.cost.gemmFlops.isConstant(0))
        op->setAttr("tfperf.gemm_flops", countAttr(b, rec.cost.gemmFlops));
      op->setAttr("tfperf.bytes", bytesAttr(b, accessBits(rec.cost, *policy)));
      if (rec.isShapeComputation)
        op->setAttr("tfperf.shape_computation", b.getUnitAttr());
    }
    markAllAnalysesPreserved();
  }
};
} // namespace
