//===- AnalyzeTransformer.cpp - the tfperf-analyze-transformer pass -------===//

#include "tfperf/Analysis/AnalysisConfig.h"
#include "tfperf/Analysis/TransformerStructure.h"
#include "tfperf/Transforms/Passes.h"

#include "mlir/IR/Builders.h"

namespace mlir::tfperf {
#define GEN_PASS_DEF_TFPERFANALYZETRANSFORMER
#include "tfperf/Transforms/Passes.h.inc"
} // namespace mlir::tfperf

using namespace mlir;
using namespace mlir::tfperf;

namespace {
struct AnalyzeTransformerPass
    : public tfperf::impl::TFPerfAnalyzeTransformerBase<AnalyzeTransformerPass> {
  using Base::Base;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (phase != "prefill" && phase != "decode" && phase != "both") {
      module.emitError() << "phase must be prefill, decode or both, got '"
                         << phase << "'";
      return signalPassFailure();
    }
    if (batch < 0 || seq < 0 || kvLen < 0 || devices < 1 ||
        batch > kMaxPhaseSize || seq > kMaxPhaseSize ||
        kvLen > kMaxPhaseSize || devices > kMaxCapacityDevices) {
      module.emitError() << "batch, seq and kv-len must be in [0, "
                         << kMaxPhaseSize << "] and devices in [1, "
                         << kMaxCapacityDevices << "]";
      return signalPassFailure();
    }
    auto &structure = getAnalysis<TransformerStructure>();
    Builder b(&getContext());
    module.walk([&](Operation *op) {
      if (op->hasTrait<OpTrait::ConstantLike>() || isa<ModuleOp>(op) ||
          op->hasTrait<OpTrait::IsTerminator>() || isa<func::FuncOp>(op))
        return;
      OpTag tag = structure.getTag(op);
      op->setAttr("tfperf.block", b.getStringAttr(stringifyBlockKind(tag.block)));
      if (tag.layer >= 0)
        op->setAttr("tfperf.layer", b.getI64IntegerAttr(tag.layer));
    });
    for (const AttentionBlock &a : structure.getAttentions()) {
      Operation *core = a.fused ? a.fused : a.scores;
      core->setAttr("tfperf.attention",
                    b.getStringAttr(attentionKindName(a.source, a.scope)));
      if (a.causal)
        core->setAttr("tfperf.causal", b.getUnitAttr());
    }
    NamedAttrList dims;
    auto setDim = [&](llvm::StringRef key, std::optional<int64_t> v) {
      if (v)
        dims.set(key, b.getI64IntegerAttr(*v));
    };
    structure.getDims().forEach(setDim);
    structure.getDims().forEachExpertDim(setDim);
    structure.getDims().forEachLatentDim(setDim);
    setDim("window", structure.getDims().window);
    module->setAttr("tfperf.transformer", dims.getDictionary(&getContext()));

    setConfig(module,
              getConfig(module).withTransformer(PhasesConfigAttr::get(
                  &getContext(), phase, batch, seq, kvLen, devices)),
              getAnalysisManager());
    // The configuration's change invalidated what it had to; the op tags
    // are read by no analysis.
    markAllAnalysesPreserved();
  }
};
} // namespace
