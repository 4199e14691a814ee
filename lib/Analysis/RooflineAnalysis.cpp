//===- RooflineAnalysis.cpp - every op's figures on every device ----------===//

#include "tfperf/Analysis/RooflineAnalysis.h"

using namespace mlir;
using namespace mlir::tfperf;

RooflineAnalysis::RooflineAnalysis(Operation *root, AnalysisManager &am)
    : costs(am.getAnalysis<CostAnalysis>()) {
  auto pricing = getPricingConfig(am, error);
  if (!pricing)
    return;
  devices = pricing->devices;
  figures.reserve(costs.getRecords().size() * devices.size());
  for (const OpCostRecord &rec : costs.getRecords())
    for (const DeviceSpec &device : devices)
      figures.push_back(evaluateOp(rec, pricing->policy, device));
}
