//===- SymbolicAnalysis.h - cost formulas and their sweep -------*- C++ -*-===//
//
// The configuration's symbolic part as MLIR analyses: the cost formulas
// (SymbolicCosts.h) at its dtypes, split by the tensor-parallel plan when
// its sweep has a tp axis, and the sweep (Sweep.h) evaluated once over
// them, for tfperf-symbolic's sweep-out files and the report alike.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_SYMBOLICANALYSIS_H
#define TFPERF_ANALYSIS_SYMBOLICANALYSIS_H

#include "tfperf/Analysis/AnalysisConfig.h"
#include "tfperf/Analysis/Sweep.h"
#include "tfperf/Analysis/SymbolicCosts.h"
#include "tfperf/Analysis/TensorParallelAnalysis.h"

namespace mlir::tfperf {

class SymbolicCostsAnalysis {
public:
  SymbolicCostsAnalysis(Operation *root, AnalysisManager &am);

  /// Null on bad dtypes; getError() then says why.
  const SymbolicCosts *getCosts() const { return costs ? &*costs : nullptr; }
  const std::string &getError() const { return error; }
  /// The sweep's spec as parsed (before it is bound to the graph), when
  /// the configuration has one; getSpecError() says why it did not parse.
  const std::optional<SweepSpec> &getSpec() const { return spec; }
  const std::string &getSpecError() const { return specError; }

  static constexpr ConfigPart kReads = ConfigPart::Dtypes | ConfigPart::Symbolic;
  bool isInvalidated(const AnalysisManager::PreservedAnalyses &pa) {
    return !isAnalysisKept<SymbolicCostsAnalysis, CostAnalysis,
                           TransformerStructure, TensorParallelPlanAnalysis,
                           DtypeConfig>(pa, kReads);
  }

private:
  std::optional<SymbolicCosts> costs;
  std::string error;
  std::optional<SweepSpec> spec;
  std::string specError;
};

class SweepAnalysis {
public:
  SweepAnalysis(Operation *root, AnalysisManager &am);

  /// Null without a sweep in the configuration, or when it cannot be
  /// evaluated; getError() then says why (empty without a sweep).
  const SweepResult *getResult() const { return result ? &*result : nullptr; }
  const std::string &getError() const { return error; }

  static constexpr ConfigPart kReads =
      ConfigPart::Devices | ConfigPart::Dtypes | ConfigPart::Symbolic |
      ConfigPart::Timing;
  bool isInvalidated(const AnalysisManager::PreservedAnalyses &pa) {
    return !isAnalysisKept<SweepAnalysis, SymbolicCostsAnalysis, DeviceSet>(
        pa, kReads);
  }

private:
  std::optional<SweepResult> result;
  std::string error;
};

} // namespace mlir::tfperf

#endif
