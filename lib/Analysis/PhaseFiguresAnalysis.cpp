//===- PhaseFiguresAnalysis.cpp - prefill, decode and TP per device -------===//

#include "tfperf/Analysis/PhaseFiguresAnalysis.h"

using namespace mlir;
using namespace mlir::tfperf;

PhaseFiguresAnalysis::PhaseFiguresAnalysis(Operation *root,
                                           AnalysisManager &am) {
  auto pricing = getPricingConfig(am, error);
  if (!pricing)
    return;
  auto module = dyn_cast<ModuleOp>(root);
  if (!module)
    module = root->getParentOfType<ModuleOp>();
  ConfigAttr config = getConfig(root);
  PhasesConfigAttr phases = config.getTransformer();
  PhaseOptions opts;
  if (phases) {
    opts.phase = phases.getPhase().str();
    opts.batch = phases.getBatch();
    opts.seq = phases.getSeq();
    opts.kvLen = phases.getKvLen();
    opts.devices = phases.getDevices();
  }
  opts.timing = getTiming(config);
  const DtypePolicy &policy = pricing->policy;
  const TransformerStructure &structure = am.getAnalysis<TransformerStructure>();
  func::FuncOp func = firstFunction(module);
  TensorParallelConfigAttr tpConfig = config.getTensorParallel();
  const TensorParallelPlan *plan = nullptr;
  if (tpConfig && func) {
    plan = am.getAnalysis<TensorParallelPlanAnalysis>().getPlan();
    tensorParallel.emplace();
  }
  PhaseAnalysisCache cache;
  for (const DeviceSpec &device : pricing->devices) {
    std::optional<TensorParallelAccumulator> acc;
    if (plan) {
      acc.emplace(func, structure, *plan, tpConfig.getDegrees(), policy,
                  device, opts.timing);
      opts.onOp = [&](llvm::StringRef phase, const OpCostRecord &rec,
                      const OpFigures &f) { acc->visit(phase, rec, f); };
      opts.onKernels = [&](llvm::StringRef phase, const CostAnalysis &costs,
                           const KernelAnalysis &kernels) {
        acc->visitKernels(phase, costs, kernels);
      };
    }
    auto fig = analyzeTransformer(module, structure, opts, policy, device,
                                  error, &cache);
    opts.onOp = nullptr;
    opts.onKernels = nullptr;
    if (!fig)
      return;
    if (acc) {
      tensorParallel->push_back(acc->finish(*fig, tpConfig.getMicrobatches()));
      if (!tpConfig.getEp().empty())
        expertParallel.push_back(costExpertParallel(
            tensorParallel->back(), *plan, structure, tpConfig.getEp(), *fig,
            policy, device));
    }
    perDevice.push_back(std::move(*fig));
  }
  ok = true;
}
