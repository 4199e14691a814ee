//===- TrainingFiguresAnalysis.cpp - a training step per device -----------===//

#include "tfperf/Analysis/TrainingFiguresAnalysis.h"

using namespace mlir;
using namespace mlir::tfperf;

TrainingFiguresAnalysis::TrainingFiguresAnalysis(Operation *root,
                                                 AnalysisManager &am)
    : training(am.getAnalysis<TrainingAnalysis>()),
      structure(am.getAnalysis<TransformerStructure>()) {
  const DtypeConfig &dtypes = am.getAnalysis<DtypeConfig>();
  const DeviceSet &devices = am.getAnalysis<DeviceSet>();
  if (!dtypes.getPolicy()) {
    error = dtypes.getError();
    return;
  }
  if (!devices.isValid()) {
    error = devices.getError();
    return;
  }
  const CostAnalysis &forward = am.getAnalysis<CostAnalysis>();
  for (const DeviceSpec &device : devices.getDevices()) {
    auto fig = evaluateTraining(training, forward, &structure,
                                *dtypes.getPolicy(), device, error);
    if (!fig)
      return;
    perDevice.push_back(std::move(*fig));
  }
  ok = true;
}
