//===- ServingAnalysis.h - serving simulation of the graph ------*- C++ -*-===//
//
// What `--serve` reports: for every device, EP and TP degree, the step cost of
// the graph (ServingCost.h) and the KV blocks that fit next to the weights;
// then the continuous-batching simulation of the workload at every point of
// the study, the throughput/latency frontier and the best configuration
// under the service level (lib/Serving). One analysis over the graph's
// phase costs, not a second cost model; times in the configuration's kernel
// view and time model (`--kernels`, `--time-model`), and the section says
// which.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_SERVINGANALYSIS_H
#define TFPERF_ANALYSIS_SERVINGANALYSIS_H

#include "tfperf/Analysis/AnalysisConfig.h"
#include "tfperf/Analysis/Hardware.h"
#include "tfperf/Analysis/ServingCost.h"
#include "tfperf/Serving/ServingStudy.h"

#include <cmath>
#include <memory>
#include <optional>

namespace mlir::tfperf {

/// One engine replica's hardware, and why it is left out if it is.
struct ServingTargetInfo {
  std::string device;
  /// A layout of ep x tp devices (ep 1 without expert parallelism).
  int64_t tp = 1, ep = 1;
  /// Empty when the target serves; else why not (an infeasible degree, no
  /// memory left for the KV cache).
  std::string skipped;
  double weightBytesPerDevice = 0, kvBytesPerTokenPerDevice = 0;
  /// The recurrent state the engine holds for its most sequences
  /// (max_num_seqs x a sequence's state, with the draft's), per device.
  double stateBytesPerDevice = 0;
  int64_t kvBlocks = 0;
  /// Tokens of KV cache per replica.
  double kvTokens = 0;
  unsigned stepTerms = 0, unknownOps = 0;
  std::vector<std::string> approximations;
  /// Roofline time of a prefill of the workload's prompt and of one decode
  /// step at batch 1 (for orientation); NaN for a target that is skipped.
  double prefillTime = NAN, decodeStepTime = NAN;
  /// Of that prefill, the MoE all-to-alls' time (ep > 1).
  double prefillAllToAllTime = NAN;
  std::shared_ptr<ServingStepCost> cost;
  /// The draft model's step cost on this target (`draft=` of --serve),
  /// whose weights and KV cache share the memory; null without one.
  std::shared_ptr<ServingStepCost> draftCost;
  /// Its decode step at batch 1 (NaN without a draft or when skipped).
  double draftDecodeStepTime = NAN;
  /// Why the draft does not split at this degree, when it runs whole on
  /// every device of the group instead ("" when it splits).
  std::string draftUnsplit;
};

struct ServingSection {
  serving::ServingSpec spec;
  std::optional<serving::ServiceLevel> serviceLevel;
  std::string workload;
  /// The time model and kernel view of the step costs (`--time-model`,
  /// `--kernels`); per-op roofline: every op of the graph its own kernel at
  /// its roofline, as the phases print by default.
  std::string timeModel = "roofline", kernelView = "exported";
  bool perOpRoofline = true;
  std::vector<ServingTargetInfo> targets;
  /// Why the spec's `ep` is not applied ("" when it is, or not given).
  std::string epNote;
  /// Indices into `targets` of those that serve, as the study's targets.
  std::vector<size_t> studyTargets;
  serving::StudyResult study;
  /// Wall time of the simulations, seconds (reported, not part of any
  /// figure).
  double simulationSeconds = 0;
  /// Requests and steps simulated in all.
  int64_t simulatedRequests = 0, simulatedSteps = 0;
};

/// Runs the serving study of the first function of `module` on `devices`
/// (or the spec's `hw`, resolved with `hwFile`). Fails on a trace that
/// cannot be read, a graph the step cost cannot re-run, or when no device
/// and degree can hold the weights and any KV cache.
std::optional<ServingSection>
analyzeServing(ModuleOp module, const TransformerStructure &structure,
               const DtypePolicy &policy, llvm::ArrayRef<DeviceSpec> devices,
               llvm::StringRef hwFile, const serving::ServingSpec &spec,
               const serving::ServiceLevel *serviceLevel, std::string &error);

/// The serving study the configuration asks for (`serving`, written by
/// tfperf-serve), on its devices and dtypes, as an MLIR analysis.
class ServingStudyAnalysis {
public:
  ServingStudyAnalysis(Operation *root, AnalysisManager &am);

  /// Null when the configuration asks for no study or it failed.
  const ServingSection *getSection() const {
    return section ? &*section : nullptr;
  }
  /// Why the study failed (a bad spec, service level, trace or device).
  const std::string &getError() const { return error; }

  static constexpr ConfigPart kReads =
      ConfigPart::Devices | ConfigPart::Dtypes | ConfigPart::Serving |
      ConfigPart::Timing;
  bool isInvalidated(const AnalysisManager::PreservedAnalyses &pa) {
    return !isAnalysisKept<ServingStudyAnalysis, TransformerStructure,
                           DtypeConfig, DeviceSet>(pa, kReads);
  }

private:
  std::optional<ServingSection> section;
  std::string error;
};

} // namespace mlir::tfperf

#endif
