//===- TrainingFiguresAnalysis.h - a training step per device ---*- C++ -*-===//
//
// The training figures (TrainingAnalysis.h, evaluateTraining) of the
// configuration's devices, as an MLIR analysis over the cached
// TrainingAnalysis, CostAnalysis and TransformerStructure.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_TRAININGFIGURESANALYSIS_H
#define TFPERF_ANALYSIS_TRAININGFIGURESANALYSIS_H

#include "tfperf/Analysis/AnalysisConfig.h"
#include "tfperf/Analysis/TrainingAnalysis.h"

namespace mlir::tfperf {

class TrainingFiguresAnalysis {
public:
  TrainingFiguresAnalysis(Operation *root, AnalysisManager &am);

  const TrainingAnalysis &getTraining() const { return training; }
  const TransformerStructure &getStructure() const { return structure; }
  /// One entry per device of the configuration, in its order.
  ArrayRef<TrainingFigures> getPerDevice() const { return perDevice; }
  /// False on bad dtypes or devices, or options the model cannot hold;
  /// getError() says why.
  bool succeeded() const { return ok; }
  const std::string &getError() const { return error; }

  static constexpr ConfigPart kReads =
      ConfigPart::Devices | ConfigPart::Dtypes | ConfigPart::Training;
  bool isInvalidated(const AnalysisManager::PreservedAnalyses &pa) {
    return !isAnalysisKept<TrainingFiguresAnalysis, TrainingAnalysis,
                           CostAnalysis, TransformerStructure, DtypeConfig,
                           DeviceSet>(pa, kReads);
  }

private:
  const TrainingAnalysis &training;
  const TransformerStructure &structure;
  std::vector<TrainingFigures> perDevice;
  bool ok = false;
  std::string error;
};

} // namespace mlir::tfperf

#endif
