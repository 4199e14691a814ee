//===- AnalyzeTransformer.cpp - the tfperf-analyze-transformer pass -------===//

#include "tfperf/Analysis/TransformerStructure.h"
#include "tfperf/Report/Report.h"
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
    constexpr int64_t kMaxSize = (int64_t(1) << 31) - 1;
    if (batch < 0 || seq < 0 || kvLen < 0 || devices < 1 ||
        batch > kMaxSize || seq > kMaxSize || kvLen > kMaxSize ||
        devices > 1000000) {
      module.emitError() << "batch, seq and kv-len must be in [0, "
                         << kMaxSize << "] and devices in [1, 1000000]";
      return signalPassFailure();
    }
    auto &structure = getAnalysis<TransformerStructure>();
    Builder b(&getContext());
    module.walk([&](Operation *op) {
      if (op->hasTrait<OpTrait::ConstantLike>() || isa<ModuleOp>(op) ||
          op->hasTrait<OpTrait::IsTerminator>() || isa<func::FuncOp>(op))
        return;
      OpTag tag = structure.getTag(op);
      op->setAttr("tfperf.block", b.getStringAttr(blockKindName(tag.block)));
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
    const ModelDims &d = structure.getDims();
    auto put = [&](llvm::StringRef key, std::optional<int64_t> v) {
      if (v)
        dims.set(key, b.getI64IntegerAttr(*v));
    };
    put("n_layers", d.nLayers);
    put("d_model", d.dModel);
    put("n_heads", d.nHeads);
    put("n_kv_heads", d.nKvHeads);
    put("d_head", d.dHead);
    put("d_ff", d.dFF);
    put("vocab", d.vocab);
    put("max_positions", d.maxPositions);
    module->setAttr("tfperf.transformer", dims.getDictionary(&getContext()));

    ReportConfig config = ReportConfig::fromModule(module);
    config.transformer = true;
    config.phase = phase;
    config.batch = batch;
    config.seq = seq;
    config.kvLen = kvLen;
    config.numDevices = devices;
    config.writeToModule(module);
    markAllAnalysesPreserved();
  }
};
} // namespace
