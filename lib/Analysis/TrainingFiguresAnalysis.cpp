//===- TrainingFiguresAnalysis.cpp - a training step per device -----------===//

#include "tfperf/Analysis/TrainingFiguresAnalysis.h"

using namespace mlir;
using namespace mlir::tfperf;

TrainingFiguresAnalysis::TrainingFiguresAnalysis(Operation *root,
                                                 AnalysisManager &am)
    : training(am.getAnalysis<TrainingAnalysis>()),
      structure(am.getAnalysis<TransformerStructure>()) {
  auto pricing = getPricingConfig(am, error);
  if (!pricing)
    return;
  const CostAnalysis &forward = am.getAnalysis<CostAnalysis>();
  for (const DeviceSpec &device : pricing->devices) {
    auto fig = evaluateTraining(training, forward, &structure,
                                pricing->policy, device, error);
    if (!fig)
      return;
    perDevice.push_back(std::move(*fig));
  }
  ok = true;
}
