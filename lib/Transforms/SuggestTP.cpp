//===- SuggestTP.cpp - the tfperf-suggest-tp pass -------------------------===//
//
// Annotates every op with its tensor-parallel split (TensorParallelPlan),
// lists the feasibility of each requested degree in the module, and records
// the degrees in `tfperf.config` for the report, which costs them.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Analysis/AnalysisConfig.h"
#include "tfperf/Analysis/ExpertParallel.h"
#include "tfperf/Analysis/TensorParallel.h"
#include "tfperf/Analysis/TensorParallelAnalysis.h"
#include "tfperf/ExternalModels/ExternalModels.h"
#include "tfperf/Transforms/TFPerfPass.h"
#include "tfperf/Transforms/Passes.h"

#include "mlir/IR/Builders.h"

namespace mlir::tfperf {
#define GEN_PASS_DEF_TFPERFSUGGESTTP
#include "tfperf/Transforms/Passes.h.inc"
} // namespace mlir::tfperf

using namespace mlir;
using namespace mlir::tfperf;

namespace {
struct SuggestTPPass
    : TFPerfPass<SuggestTPPass, tfperf::impl::TFPerfSuggestTPBase> {
  using TFPerfPass::TFPerfPass;
  LogicalResult runOnModule(ModuleOp module) override {
    SmallVector<int64_t> degrees;
    for (int64_t t : tp) {
      if (t < 1) {
        module.emitError() << "tensor-parallel degrees must be at least 1, got "
                           << t;
        return failure();
      }
      if (!llvm::is_contained(degrees, t))
        degrees.push_back(t);
    }
    SmallVector<int64_t> expertDegrees;
    for (int64_t e : ep) {
      if (e < 1 || e > kMaxExpertDegree) {
        module.emitError() << "expert-parallel degrees must be in [1, "
                           << kMaxExpertDegree << "], got " << e;
        return failure();
      }
      if (!llvm::is_contained(expertDegrees, e))
        expertDegrees.push_back(e);
    }
    llvm::sort(expertDegrees);
    // Expert parallelism is costed with each tensor-parallel degree.
    if (degrees.empty() && !expertDegrees.empty())
      degrees.push_back(1);
    llvm::sort(degrees);
    if (microbatches < 0) {
      module.emitError() << "pp-microbatches must be >= 0, got "
                         << static_cast<int64_t>(microbatches);
      return failure();
    }
    func::FuncOp func = firstFunction(module);
    if (!func) {
      markAllAnalysesPreserved();
      return success();
    }
    for (BlockArgument arg : func.getArguments()) {
      std::string why;
      if (!annotatedSplitUnits(func, arg, &why) && !why.empty()) {
        func.emitError() << "'" << kTPSplitAttrName << "' of argument "
                         << arg.getArgNumber() << " " << why;
        return failure();
      }
    }
    for (int64_t e : expertDegrees) {
      std::string why = checkExpertDegree(getAnalysis<TransformerStructure>(), e);
      if (!why.empty()) {
        module.emitError() << "expert-parallel degree " << e << ": " << why;
        return failure();
      }
    }
    const TensorParallelPlan &plan =
        *getAnalysis<TensorParallelPlanAnalysis>().getPlan();
    Builder b(&getContext());
    for (Operation *op : plan.getOps()) {
      const OpSplit *sp = plan.lookup(op);
      if (!sp || op->hasTrait<OpTrait::IsTerminator>())
        continue;
      op->setAttr("tfperf.tp", b.getStringAttr(stringifySplitKind(sp->kind)));
      if (sp->units > 1)
        op->setAttr("tfperf.tp_units", b.getI64IntegerAttr(sp->units));
      if (sp->weightDim >= 0)
        op->setAttr("tfperf.tp_weight_dim", b.getI64IntegerAttr(sp->weightDim));
      std::string coll;
      for (auto [res, kind] : sp->collectives)
        coll += (coll.empty() ? "" : ",") + stringifyCollective(kind).str();
      if (!coll.empty())
        op->setAttr("tfperf.tp_collective", b.getStringAttr(coll));
      if (!sp->gatherReason.empty())
        op->setAttr("tfperf.tp_gather", b.getStringAttr(sp->gatherReason));
    }
    SmallVector<Attribute> list;
    for (int64_t t : degrees) {
      TPFeasibility f = plan.check(t);
      NamedAttrList entry;
      entry.set("tp", b.getI64IntegerAttr(t));
      entry.set("feasible", b.getBoolAttr(f.feasible));
      if (!f.reason.empty())
        entry.set("reason", b.getStringAttr(f.reason));
      if (f.kvReplicas > 1)
        entry.set("kv_replicas", b.getI64IntegerAttr(f.kvReplicas));
      if (f.stateReplicas > 1)
        entry.set("state_replicas", b.getI64IntegerAttr(f.stateReplicas));
      list.push_back(entry.getDictionary(&getContext()));
    }
    if (!list.empty())
      module->setAttr("tfperf.tensor_parallel", b.getArrayAttr(list));

    if (degrees.empty()) {
      markAllAnalysesPreserved();
      return success();
    }
    ConfigAttr config = getConfig(module);
    // The degrees are costed on the transformer's phases.
    if (!config.getTransformer())
      config = config.withTransformer(PhasesConfigAttr::get(&getContext()));
    config = config.withTensorParallel(
        TensorParallelConfigAttr::get(&getContext(), degrees, microbatches,
                                      expertDegrees));
    setConfig(module, config, getAnalysisManager());
    markAllAnalysesPreserved();
    return success();
  }
};
} // namespace
