//===- AnalyzeTraining.cpp - the tfperf-analyze-training pass -------------===//
//
// Annotates every op on the gradient path with its backward kernels,
// FLOPs, bytes and the activations it keeps, the module with the training
// totals, and records the options for tfperf-emit-report.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Analysis/AnalysisConfig.h"
#include "tfperf/Analysis/ParallelTraining.h"
#include "tfperf/Analysis/TrainingAnalysis.h"
#include "tfperf/ExternalModels/ExternalModels.h"
#include "tfperf/Transforms/CostAttributes.h"
#include "tfperf/Transforms/TFPerfPass.h"
#include "tfperf/Transforms/Passes.h"

#include "mlir/IR/Builders.h"

namespace mlir::tfperf {
#define GEN_PASS_DEF_TFPERFANALYZETRAINING
#include "tfperf/Transforms/Passes.h.inc"
} // namespace mlir::tfperf

using namespace mlir;
using namespace mlir::tfperf;

namespace {
struct AnalyzeTrainingPass
    : TFPerfPass<AnalyzeTrainingPass, tfperf::impl::TFPerfAnalyzeTrainingBase> {
  using TFPerfPass::TFPerfPass;
  LogicalResult runOnModule(ModuleOp module) override {
    std::string error;
    auto policy = DtypePolicy::parse(computeDtype, weightDtype, error);
    if (!policy) {
      module.emitError() << error;
      return failure();
    }
    if (!(optimizerBytesPerParam > 0)) {
      module.emitError() << "optimizer-bytes-per-param must be positive, got "
                         << optimizerBytesPerParam.getValue();
      return failure();
    }
    // The training analyses read their options from the configuration;
    // its verifier checks each option's range, checkPipelineOptions how
    // the pipeline's fit together.
    TrainingConfigAttr part = TrainingConfigAttr::getChecked(
        [&] { return module.emitError(); }, &getContext(),
        bool(inputRequiresGrad), llvm::APFloat(double(optimizerBytesPerParam)),
        llvm::StringRef(recompute), bool(sequenceParallel), bool(dropout),
        int64_t(pp),
        llvm::StringRef(ppSchedule), int64_t(ppVirtualStages),
        microbatches == 0 ? int64_t(1) : int64_t(microbatches), int64_t(dp));
    if (!part)
      return failure();
    std::string problem = checkPipelineOptions(
        ParallelTrainingOptions::pipelineOf(part));
    if (!problem.empty()) {
      module.emitError() << problem;
      return failure();
    }
    setConfig(module, getConfig(module).withTraining(part),
              getAnalysisManager());
    const TrainingAnalysis &training = getAnalysis<TrainingAnalysis>();
    auto &forward = getAnalysis<CostAnalysis>();
    Builder b(&getContext());

    SymExpr bwdFlops(0), bwdGemm(0), activationBits(0);
    unsigned unknown = 0;
    for (const BackwardRecord &rec : training.getRecords()) {
      Operation *op = rec.op;
      if (!rec.known) {
        ++unknown;
        op->setAttr("tfperf.bwd", b.getStringAttr("unknown"));
        op->emitRemark() << "backward unknown: " << rec.cost.unknownReason;
        continue;
      }
      SymExpr flops(0), gemm(0), bits(0);
      SmallVector<Attribute> names;
      for (const BackwardOp *k : rec.kernels()) {
        flops = flops + k->flops;
        gemm = gemm + k->gemmFlops;
        bits = bits + accessBits(k->reads, k->writes, *policy);
        names.push_back(b.getStringAttr(k->name));
      }
      SymExpr saved(0);
      for (unsigned i : rec.firstSaved) {
        const SavedTensor &s = rec.cost.saved[i];
        saved = saved + s.elements * SymExpr((int64_t)policy->bitsOf(s.value));
      }
      bwdFlops = bwdFlops + flops;
      bwdGemm = bwdGemm + gemm;
      activationBits = activationBits + saved;
      op->setAttr("tfperf.bwd_ops", b.getArrayAttr(names));
      op->setAttr("tfperf.bwd_flops", countAttr(b, flops));
      if (!gemm.isConstant(0))
        op->setAttr("tfperf.bwd_gemm_flops", countAttr(b, gemm));
      op->setAttr("tfperf.bwd_bytes", bytesAttr(b, bits));
      if (!saved.isConstant(0))
        op->setAttr("tfperf.saved_bytes", bytesAttr(b, saved));
    }

    SymExpr fwdFlops(0), fwdGemm(0), params(0);
    for (const OpCostRecord &rec : forward.getRecords())
      if (rec.known) {
        fwdFlops = fwdFlops + rec.cost.flops;
        fwdGemm = fwdGemm + rec.cost.gemmFlops;
      }
    for (Value w : training.getTrainableWeights())
      params = params +
               SymExpr(cast<ShapedType>(w.getType()).getNumElements());
    NamedAttrList totals;
    totals.set("forward_flops", countAttr(b, fwdFlops));
    totals.set("forward_gemm_flops", countAttr(b, fwdGemm));
    totals.set("backward_flops", countAttr(b, bwdFlops));
    totals.set("backward_gemm_flops", countAttr(b, bwdGemm));
    totals.set("backward_unknown_ops", b.getI64IntegerAttr(unknown));
    totals.set("activation_bytes", bytesAttr(b, activationBits));
    totals.set("parameters", countAttr(b, params));
    totals.set("input_requires_grad", b.getBoolAttr(inputRequiresGrad));
    module->setAttr("tfperf.training", totals.getDictionary(&getContext()));

    // The configuration's change invalidated what it had to; the op
    // annotations are read by no analysis.
    markAllAnalysesPreserved();
    return success();
  }
};
} // namespace
