//===- FuseKernels.cpp - tfperf-fuse-kernels -------------------------------===//
//
// Writes KernelAnalysis's grouping onto the IR (docs/Kernels.md), and with a
// device each kernel's calibrated and roofline time (docs/TimeModel.md).
//
//===----------------------------------------------------------------------===//

#include "tfperf/Analysis/CostAnalysis.h"
#include "tfperf/Analysis/KernelAnalysis.h"
#include "tfperf/Analysis/Roofline.h"
#include "tfperf/Analysis/TimeModel.h"
#include "tfperf/Analysis/TransformerStructure.h"
#include "tfperf/ExternalModels/ExternalModels.h"
#include "tfperf/Transforms/TFPerfPass.h"
#include "tfperf/Transforms/Passes.h"

#include "mlir/IR/Builders.h"

namespace mlir::tfperf {
#define GEN_PASS_DEF_TFPERFFUSEKERNELS
#include "tfperf/Transforms/Passes.h.inc"
} // namespace mlir::tfperf

using namespace mlir;
using namespace mlir::tfperf;

namespace {
/// Integers when exact, the expression otherwise (symbolic shapes).
Attribute flopsAttr(Builder &b, const SymExpr &e) {
  if (auto v = e.getInt64())
    return b.getI64IntegerAttr(*v);
  return b.getStringAttr(e.str());
}

Attribute bytesAttr(Builder &b, std::optional<double> bytes) {
  if (!bytes)
    return b.getStringAttr("unknown");
  return b.getI64IntegerAttr(static_cast<int64_t>(*bytes));
}

struct FuseKernelsPass
    : TFPerfPass<FuseKernelsPass, tfperf::impl::TFPerfFuseKernelsBase> {
  using TFPerfPass::TFPerfPass;
  LogicalResult runOnModule(ModuleOp module) override {
    std::optional<TimeModel> model;
    if (!hw.empty() || !hwFile.empty()) {
      std::string error;
      auto devices = resolveDevices(hw, hwFile, error);
      if (devices && devices->size() != 1)
        error = "hw= takes one device, got " + std::to_string(devices->size());
      if (!devices || devices->size() != 1) {
        module.emitError() << error;
        return failure();
      }
      model.emplace(devices->front());
    }

    if (view != "fused" && view != "exported") {
      module.emitError() << "view must be fused or exported, got '" << view
                         << "'";
      return failure();
    }
    KernelOptions options;
    options.exported = view == "exported";
    options.mergeSiblings = mergeSiblings;
    KernelAnalysis kernels(module, getAnalysis<CostAnalysis>(),
                           getAnalysis<TransformerStructure>(), options);
    const CostAnalysis &costs = getAnalysis<CostAnalysis>();
    DtypePolicy policy;
    Builder b(&getContext());
    SmallVector<Attribute> list;
    SymExpr totalFlops = 0, exportedFlops = 0;
    double totalBytes = 0, exportedBytes = 0;
    bool bytesKnown = true, exportedKnown = true;
    // The exported view of the same function: every op a kernel, shape
    // plumbing left out as the report leaves it out.
    func::FuncOp func = firstFunction(module);
    for (const OpCostRecord &rec : costs.getRecords()) {
      if (!func || !func->isProperAncestor(rec.op) ||
          rec.op->hasTrait<OpTrait::ConstantLike>() || rec.isShapeComputation)
        continue;
      if (!rec.known) {
        exportedKnown = false;
        continue;
      }
      exportedFlops = exportedFlops + rec.cost.flops;
      auto bits = accessBits(rec.cost, policy).getInt64();
      exportedKnown &= bits.has_value();
      exportedBytes += static_cast<double>(bits.value_or(0)) / 8;
    }
    for (const Kernel &k : kernels.getKernels()) {
      StringAttr name = b.getStringAttr(k.name);
      SmallVector<Attribute> ops;
      for (Operation *op : k.ops) {
        op->setAttr("tfperf.kernel", name);
        const OpCostRecord *rec = costs.lookup(op);
        ops.push_back(b.getStringAttr(rec ? rec->name : getNodeName(op)));
      }
      SmallVector<NamedAttribute> entry = {
          b.getNamedAttr("name", name),
          b.getNamedAttr("class", b.getStringAttr(stringifyKernelClass(k.cls))),
          b.getNamedAttr("ops", b.getArrayAttr(ops)),
          b.getNamedAttr("flops", flopsAttr(b, k.flops)),
          b.getNamedAttr("bytes", bytesAttr(b, k.bytes)),
      };
      if (k.cls == KernelClass::Gemm)
        for (auto [key, v] : {std::pair<const char *, int64_t>{"m", k.m},
                              {"n", k.n},
                              {"k", k.k},
                              {"batch", k.batch}})
          entry.push_back(b.getNamedAttr(key, b.getI64IntegerAttr(v)));
      if (model && k.bytes && k.known && k.flops.getInt64()) {
        KernelTime t = model->price(k.getWork(policy.peakDtype(k.mainOp)));
        entry.push_back(b.getNamedAttr("time_s", b.getF64FloatAttr(t.seconds)));
        entry.push_back(
            b.getNamedAttr("roofline_s", b.getF64FloatAttr(t.roofline)));
        if (t.classFallback)
          entry.push_back(b.getNamedAttr("priced_as", b.getStringAttr("add")));
      }
      list.push_back(b.getDictionaryAttr(entry));
      totalFlops = totalFlops + k.flops;
      bytesKnown &= k.bytes.has_value();
      totalBytes += k.bytes.value_or(0);
    }
    module->setAttr("tfperf.kernels", b.getArrayAttr(list));
    module->setAttr(
        "tfperf.kernel_totals",
        b.getDictionaryAttr(
            {b.getNamedAttr("kernels", b.getI64IntegerAttr(list.size())),
             b.getNamedAttr("flops", flopsAttr(b, totalFlops)),
             b.getNamedAttr("bytes", bytesAttr(b, bytesKnown
                                                      ? std::optional(totalBytes)
                                                      : std::nullopt)),
             b.getNamedAttr("exported_bytes",
                            bytesAttr(b, exportedKnown
                                             ? std::optional(exportedBytes)
                                             : std::nullopt)),
             b.getNamedAttr("exported_flops", flopsAttr(b, exportedFlops))}));
    if (model) {
      SmallVector<NamedAttribute> tm = {
          b.getNamedAttr("device", b.getStringAttr(model->getDevice().name)),
          b.getNamedAttr("calibrated", b.getBoolAttr(model->isCalibrated()))};
      if (!model->isCalibrated())
        tm.push_back(b.getNamedAttr(
            "rule", b.getStringAttr(model->getCalibration().rule)));
      module->setAttr("tfperf.time_model", b.getDictionaryAttr(tm));
    }
    markAllAnalysesPreserved();
    return success();
  }
};
} // namespace
