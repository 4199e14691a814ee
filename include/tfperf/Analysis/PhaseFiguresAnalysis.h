//===- PhaseFiguresAnalysis.h - prefill, decode and TP per device -*- C++ -*-===//
//
// The transformer figures (PhaseAnalysis.h) of the configuration's phases
// on each of its devices, as an MLIR analysis. With a tensor_parallel part,
// the degrees (and the expert-parallel layouts) are costed on the same
// phase runs (TensorParallelAccumulator
// re-costs each phase op as it is visited): running the phases a second
// time for them would double the analysis's cost, so the tensor-parallel
// figures live here too, and a change of the degrees re-runs the phases.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_PHASEFIGURESANALYSIS_H
#define TFPERF_ANALYSIS_PHASEFIGURESANALYSIS_H

#include "tfperf/Analysis/AnalysisConfig.h"
#include "tfperf/Analysis/ExpertParallel.h"
#include "tfperf/Analysis/PhaseAnalysis.h"
#include "tfperf/Analysis/TensorParallelAnalysis.h"

namespace mlir::tfperf {

class PhaseFiguresAnalysis {
public:
  PhaseFiguresAnalysis(Operation *root, AnalysisManager &am);

  /// One entry per device of the configuration, in its order.
  ArrayRef<TransformerFigures> getPerDevice() const { return perDevice; }
  /// With a tensor_parallel part (and a function): one entry per device.
  bool hasTensorParallel() const { return tensorParallel.has_value(); }
  ArrayRef<TensorParallelFigures> getTensorParallel() const {
    return tensorParallel ? ArrayRef<TensorParallelFigures>(*tensorParallel)
                          : ArrayRef<TensorParallelFigures>();
  }
  /// With expert-parallel degrees: one entry per device (empty otherwise).
  ArrayRef<ExpertParallelFigures> getExpertParallel() const {
    return expertParallel;
  }
  /// False when the configuration or the graph cannot be analysed (bad
  /// dtypes or devices, options the graph cannot honour, no function);
  /// getError() says why when it can.
  bool succeeded() const { return ok; }
  const std::string &getError() const { return error; }

  static constexpr ConfigPart kReads =
      ConfigPart::Devices | ConfigPart::Dtypes | ConfigPart::Transformer |
      ConfigPart::TensorParallel | ConfigPart::Timing;
  bool isInvalidated(const AnalysisManager::PreservedAnalyses &pa) {
    return !isAnalysisKept<PhaseFiguresAnalysis, DtypeConfig, DeviceSet,
                           TransformerStructure, TensorParallelPlanAnalysis>(
        pa, kReads);
  }

private:
  std::vector<TransformerFigures> perDevice;
  std::optional<std::vector<TensorParallelFigures>> tensorParallel;
  std::vector<ExpertParallelFigures> expertParallel;
  bool ok = false;
  std::string error;
};

} // namespace mlir::tfperf

#endif
