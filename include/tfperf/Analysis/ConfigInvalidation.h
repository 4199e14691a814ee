//===- ConfigInvalidation.h - what a configuration change invalidates -*- C++ -*-===//
//
// The analysis passes change nothing in the IR that an analysis reads but
// the module's configuration (`#tfperf.config`, AnalysisConfig.h). When a
// pass changes a part of it (the devices, the dtypes, the transformer
// phases, ...), exactly the analyses that read that part must go:
// setConfig invalidates with a PreservedAnalyses that carries markers, one
// per part that stayed the same, and each analysis's isInvalidated asks
// isAnalysisKept whether every part it reads is among them. Any other
// invalidation (a pass that changes the IR) keeps an analysis only when it
// and the analyses it uses were preserved.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_CONFIGINVALIDATION_H
#define TFPERF_ANALYSIS_CONFIGINVALIDATION_H

#include "mlir/Pass/AnalysisManager.h"
#include "llvm/ADT/BitmaskEnum.h"

namespace mlir::tfperf {

/// The parts of the configuration, as a set of bits; each is written by one
/// pass.
enum class ConfigPart : unsigned {
  None = 0,
  /// hw, hw_file (tfperf-roofline).
  Devices = 1u << 0,
  /// compute_dtype, weight_dtype (tfperf-roofline).
  Dtypes = 1u << 1,
  /// transformer (tfperf-analyze-transformer).
  Transformer = 1u << 2,
  /// symbolic (tfperf-symbolic).
  Symbolic = 1u << 3,
  /// tensor_parallel (tfperf-suggest-tp).
  TensorParallel = 1u << 4,
  /// training (tfperf-analyze-training).
  Training = 1u << 5,
  /// serving (tfperf-serve).
  Serving = 1u << 6,
  /// timing: the kernel view and time model (tfperf-roofline).
  Timing = 1u << 7,
  All = (1u << 8) - 1,
  LLVM_MARK_AS_BITMASK_ENUM(/*LargestValue=*/Timing)
};
LLVM_ENABLE_BITMASK_ENUMS_IN_NAMESPACE();

/// The preserved set with which a change of the configuration parts
/// `changed` (and nothing else) invalidates analyses.
AnalysisManager::PreservedAnalyses configChange(ConfigPart changed);

/// True when `pa` comes from configChange and no part in `reads` changed.
bool isConfigChangeKeeping(const AnalysisManager::PreservedAnalyses &pa,
                           ConfigPart reads);
/// True when `pa` comes from configChange.
bool isConfigChange(const AnalysisManager::PreservedAnalyses &pa);

/// Whether analysis `Self` survives the invalidation `pa`: after a change of
/// the configuration, when no part it reads changed (`reads` includes what
/// the analyses it uses read); otherwise when it and every analysis it uses
/// (`Deps`) are preserved.
template <typename Self, typename... Deps>
bool isAnalysisKept(const AnalysisManager::PreservedAnalyses &pa,
                    ConfigPart reads) {
  if (isConfigChange(pa))
    return isConfigChangeKeeping(pa, reads);
  return pa.isPreserved<Self>() && (pa.isPreserved<Deps>() && ...);
}

} // namespace mlir::tfperf

#endif
