//===- SymbolicAnalysis.cpp - cost formulas and their sweep ---------------===//

#include "tfperf/Analysis/SymbolicAnalysis.h"

using namespace mlir;
using namespace mlir::tfperf;

/// The sweep of the configuration ("" for none).
static llvm::StringRef configuredSweep(Operation *root) {
  SymbolicConfigAttr symbolic = getConfig(root).getSymbolic();
  return symbolic ? symbolic.getSweep() : llvm::StringRef();
}

SymbolicCostsAnalysis::SymbolicCostsAnalysis(Operation *root,
                                             AnalysisManager &am) {
  const DtypeConfig &dtypes = am.getAnalysis<DtypeConfig>();
  if (!dtypes.getPolicy()) {
    error = dtypes.getError();
    return;
  }
  llvm::StringRef sweep = configuredSweep(root);
  if (!sweep.empty())
    spec = parseSweepSpec(sweep, specError);
  const TransformerStructure &structure = am.getAnalysis<TransformerStructure>();
  // A tp axis needs the ops split by the tensor-parallel plan.
  const TensorParallelPlan *plan = nullptr;
  if (spec && spec->find("tp"))
    plan = am.getAnalysis<TensorParallelPlanAnalysis>().getPlan();
  costs.emplace(root, am.getAnalysis<CostAnalysis>(), *dtypes.getPolicy(),
                &structure, plan);
}

SweepAnalysis::SweepAnalysis(Operation *root, AnalysisManager &am) {
  llvm::StringRef sweep = configuredSweep(root);
  if (sweep.empty())
    return;
  const SymbolicCostsAnalysis &symbolic =
      am.getAnalysis<SymbolicCostsAnalysis>();
  const DeviceSet &devices = am.getAnalysis<DeviceSet>();
  if (!symbolic.getCosts()) {
    error = symbolic.getError();
    return;
  }
  if (!devices.isValid()) {
    error = devices.getError();
    return;
  }
  if (!symbolic.getSpec()) {
    error = "--sweep: " + symbolic.getSpecError();
    return;
  }
  SweepSpec spec = *symbolic.getSpec();
  std::string resolveError;
  if (failed(resolveSweepSpec(spec, *symbolic.getCosts(),
                              getConfig(root).getHwFile(), resolveError))) {
    error = "--sweep: " + resolveError;
    return;
  }
  // Priced as the report's times are: the kernel view and time model of
  // the configuration, unless every op is its own roofline.
  SweepKernelPricing pricing;
  pricing.timing = getTiming(getConfig(root));
  pricing.root = root;
  pricing.structure = &am.getAnalysis<TransformerStructure>();
  pricing.policy = am.getAnalysis<DtypeConfig>().getPolicy();
  bool priced = !pricing.timing.isPerOpRoofline() && pricing.policy;
  result = runSweep(*symbolic.getCosts(), spec, devices.getDevices(),
                    priced ? &pricing : nullptr);
}
