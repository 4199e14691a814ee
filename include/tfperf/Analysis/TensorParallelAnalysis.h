//===- TensorParallelAnalysis.h - the tensor-parallel plan ------*- C++ -*-===//
//
// The TensorParallelPlan of a module's first function as an MLIR analysis,
// so tfperf-suggest-tp, the symbolic costs of a sweep's tp axis and the
// report's tensor-parallel figures share one propagation. It reads no
// configuration: the plan is the same for every degree.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_TENSORPARALLELANALYSIS_H
#define TFPERF_ANALYSIS_TENSORPARALLELANALYSIS_H

#include "tfperf/Analysis/TensorParallel.h"

namespace mlir::tfperf {

class TensorParallelPlanAnalysis {
public:
  TensorParallelPlanAnalysis(Operation *root, AnalysisManager &am);
  /// Null when the module has no function.
  const TensorParallelPlan *getPlan() const { return plan ? &*plan : nullptr; }

  bool isInvalidated(const AnalysisManager::PreservedAnalyses &pa) {
    return !isAnalysisKept<TensorParallelPlanAnalysis, TransformerStructure>(
        pa, ConfigPart::None);
  }

private:
  std::optional<TensorParallelPlan> plan;
};

} // namespace mlir::tfperf

#endif
