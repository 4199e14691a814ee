//===- RooflineAnalysis.cpp - every op's figures on every device ----------===//

#include "tfperf/Analysis/RooflineAnalysis.h"

using namespace mlir;
using namespace mlir::tfperf;

RooflineAnalysis::RooflineAnalysis(Operation *root, AnalysisManager &am)
    : costs(am.getAnalysis<CostAnalysis>()) {
  const DtypeConfig &dtypes = am.getAnalysis<DtypeConfig>();
  const DeviceSet &deviceSet = am.getAnalysis<DeviceSet>();
  if (!dtypes.getPolicy()) {
    error = dtypes.getError();
    return;
  }
  if (!deviceSet.isValid()) {
    error = deviceSet.getError();
    return;
  }
  devices = deviceSet.getDevices();
  figures.reserve(costs.getRecords().size() * devices.size());
  for (const OpCostRecord &rec : costs.getRecords())
    for (const DeviceSpec &device : devices)
      figures.push_back(evaluateOp(rec, *dtypes.getPolicy(), device));
}
