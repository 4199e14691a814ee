//===- KernelTimes.h - op and kernel times of a time model ---*- C++ -*-===//
//
// The configuration's `timing` part (`--kernels`, `--time-model`) decides
// what the report's times are: the kernel view they are summed over
// (exported ops or fused kernels, docs/Kernels.md) and the model that
// prices each kernel (its roofline, or the calibrated TimeModel,
// docs/TimeModel.md). applyKernelTimes turns per-op roofline figures into
// the chosen times: each kernel is priced once and its time shared by its
// member ops in proportion to their roofline times, so roll-ups by layer,
// block, op type and phase sum to the kernels' times. KernelTimesAnalysis
// does this for the graph as it is, on every device of the configuration,
// and prices both views for the report's side-by-side table.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_KERNELTIMES_H
#define TFPERF_ANALYSIS_KERNELTIMES_H

#include "tfperf/Analysis/AnalysisConfig.h"
#include "tfperf/Analysis/KernelAnalysis.h"
#include "tfperf/Analysis/RooflineAnalysis.h"
#include "tfperf/Analysis/TensorParallelPlan.h"
#include "tfperf/Analysis/TimeModel.h"
#include "tfperf/Analysis/TransformerStructure.h"

#include "llvm/ADT/STLFunctionalExtras.h"

namespace mlir::tfperf {

enum class KernelView { Exported, Fused };
enum class TimeModelKind { Roofline, Calibrated };

llvm::StringRef kernelViewName(KernelView v);
llvm::StringRef timeModelName(TimeModelKind m);
std::optional<KernelView> parseKernelView(llvm::StringRef name);
std::optional<TimeModelKind> parseTimeModel(llvm::StringRef name);

/// What the report's times are.
struct Timing {
  KernelView view = KernelView::Exported;
  TimeModelKind model = TimeModelKind::Roofline;
  /// Every op of the graph at its own roofline: the figures RooflineAnalysis
  /// computes, unchanged (the report as it was before kernels and models).
  bool isPerOpRoofline() const {
    return view == KernelView::Exported && model == TimeModelKind::Roofline;
  }
};

/// The configuration's choice (its `timing` part, or the defaults).
Timing getTiming(ConfigAttr config);

/// One kernel on one device. NaN times when its bytes are unknown.
struct KernelPrice {
  /// The chosen model's time (the roofline under `roofline`).
  double seconds = NAN;
  /// max(flops / peak, bytes / mem_bw) at 100% of the datasheet.
  double roofline = NAN;
  /// Boundary bytes at the policy's element sizes.
  double bytes = NAN;
  /// The device has no entry for the kernel's class (priced as `add`).
  bool classFallback = false;
};

/// Prices `kernels` on `model`'s device and sets the `time` of their member
/// ops' figures (`figuresOf`, null for ops without figures) to each op's
/// share of its kernel's time, in proportion to their roofline times
/// (equal shares when those are all zero). Ops in no kernel (views, shape
/// computations) take no time; a kernel whose bytes or a member's cost is
/// unknown keeps its ops' figures. Kernel bytes are scaled to the policy's
/// element sizes by the members' bytes over the graph's. Returns one price
/// per kernel.
std::vector<KernelPrice>
applyKernelTimes(ArrayRef<Kernel> kernels, const TimeModel &model,
                 TimeModelKind kind, const DtypePolicy &policy,
                 llvm::function_ref<OpFigures *(Operation *)> figuresOf);

/// A GEMM kernel's per-device problem at degree `tp` when its main op
/// splits as `split`: N divided for a column or vocab split, K for a row
/// split, the batch of independent problems for a split by heads (each
/// rounded up).
void splitGemmDims(KernelWork &work, const OpSplit &split, int64_t tp);

/// Kernel `k`'s work on one device, from `costs` (numbers: the shapes the
/// kernels were formed on): FLOPs and each member's accesses at `policy`'s
/// element sizes, divided as `plan` splits them at degree `tp` (null or 1:
/// the whole kernel), the boundary bytes scaled by those members' bytes
/// over their bytes whole at the graph's sizes, and a GEMM's dims split.
/// nullopt when a member's cost or the kernel's bytes is not a number.
std::optional<KernelWork> kernelWorkAt(const Kernel &k,
                                       const CostAnalysis &costs,
                                       const DtypePolicy &policy,
                                       const TensorParallelPlan *plan = nullptr,
                                       int64_t tp = 1);

/// The figures RooflineAnalysis computed with the chosen times, both kernel
/// views priced on every device, and each device's time model. An MLIR
/// analysis.
class KernelTimesAnalysis {
public:
  KernelTimesAnalysis(Operation *root, AnalysisManager &am);

  const Timing &getTiming() const { return timing; }
  /// The figures of record `record` on every device (RooflineAnalysis's
  /// layout) with the chosen times.
  ArrayRef<OpFigures> getFigures(size_t record) const {
    return ArrayRef<OpFigures>(figures).slice(record * numDevices, numDevices);
  }
  /// Both views: the exported ops and the fused kernels.
  const KernelAnalysis &getView(KernelView v) const {
    return v == KernelView::Exported ? *exported : *fused;
  }
  /// Prices of getView(v)'s kernels on device `device`, in the chosen model.
  ArrayRef<KernelPrice> getPrices(KernelView v, size_t device) const {
    return prices[v == KernelView::Fused][device];
  }
  /// The time model of device `device` (calibrated or the uncalibrated rule).
  const TimeModel &getModel(size_t device) const { return models[device]; }
  const std::string &getError() const { return error; }

  static constexpr ConfigPart kReads =
      ConfigPart::Devices | ConfigPart::Dtypes | ConfigPart::Timing;
  bool isInvalidated(const AnalysisManager::PreservedAnalyses &pa) {
    return !isAnalysisKept<KernelTimesAnalysis, RooflineAnalysis, CostAnalysis,
                           TransformerStructure>(pa, kReads);
  }

private:
  Timing timing;
  size_t numDevices = 0;
  std::vector<OpFigures> figures;
  std::unique_ptr<KernelAnalysis> exported, fused;
  /// [view][device][kernel].
  std::vector<std::vector<KernelPrice>> prices[2];
  std::vector<TimeModel> models;
  std::string error;
};

} // namespace mlir::tfperf

#endif
