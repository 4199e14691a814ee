//===- Report.h - the analysis report and its formats -----------*- C++ -*-===//
//
// A Report is what tfperf tells the user about a module: per-op rows, per
// device totals and time by op type, and the sections of the later
// analyses. It assembles the cached analyses of the module (lib/Analysis:
// the configuration the analysis passes recorded in `tfperf.config`, the
// roofline figures, phases, tensor-parallel, training and symbolic
// analyses) and is printed by one emitter per format.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_REPORT_REPORT_H
#define TFPERF_REPORT_REPORT_H

#include "tfperf/Analysis/AnalysisConfig.h"
#include "tfperf/Analysis/CostAnalysis.h"
#include "tfperf/Analysis/KernelTimes.h"
#include "tfperf/Analysis/PhaseFiguresAnalysis.h"
#include "tfperf/Analysis/RooflineAnalysis.h"
#include "tfperf/Analysis/ServingAnalysis.h"
#include "tfperf/Analysis/SymbolicAnalysis.h"
#include "tfperf/Analysis/ParallelTraining.h"
#include "tfperf/Analysis/TrainingFiguresAnalysis.h"
#include "tfperf/Report/SymbolSources.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::tfperf {

/// The symbolic section (lib/Report/SymbolicReport.h).
struct SymbolicSection;

struct ReportTotals {
  double flops = 0, gemmFlops = 0, bytes = 0, time = 0;
  double memoryBoundTime = 0, computeBoundTime = 0;
  unsigned ops = 0, memoryBoundOps = 0, computeBoundOps = 0, unknownOps = 0;
  void add(const OpFigures &f);
};

/// Totals keyed by name, in order of first appearance.
class NamedTotals {
public:
  ReportTotals &operator[](llvm::StringRef name) {
    auto [it, inserted] = index.try_emplace(name, list.size());
    if (inserted)
      list.push_back({name.str(), ReportTotals()});
    return list[it->second].second;
  }
  ReportTotals lookup(llvm::StringRef name) const {
    auto it = index.find(name);
    return it == index.end() ? ReportTotals() : list[it->second].second;
  }
  auto begin() const { return list.begin(); }
  auto end() const { return list.end(); }
  size_t size() const { return list.size(); }

private:
  std::vector<std::pair<std::string, ReportTotals>> list;
  llvm::StringMap<size_t> index;
};

struct ReportOpRow {
  const OpCostRecord *record = nullptr;
  /// One entry per device, in the configuration's order.
  ArrayRef<OpFigures> figures;
};

struct ReportDevice {
  DeviceSpec spec;
  /// The matmul peak the report quotes (the policy's dtype, or the graph's
  /// dominant one) and its name.
  double peakFlops = 0;
  std::string peakDtype;
  ReportTotals totals;
  /// By ONNX op type, in order of first appearance.
  NamedTotals byOpType;
};

/// The transformer section (tfperf-analyze-transformer ran).
struct TransformerSection {
  const TransformerStructure *structure = nullptr;
  /// One entry per device, in the configuration's order.
  ArrayRef<TransformerFigures> perDevice;
};

/// The tensor-parallel section (tfperf-suggest-tp ran with degrees).
struct TensorParallelSection {
  const TensorParallelPlan *plan = nullptr;
  /// One entry per device, in the configuration's order.
  ArrayRef<TensorParallelFigures> perDevice;
  /// With expert-parallel degrees (--ep): one entry per device.
  ArrayRef<ExpertParallelFigures> expertPerDevice;
};

/// The training section (tfperf-analyze-training ran, --mode=train).
struct TrainingSection {
  const TrainingAnalysis *analysis = nullptr;
  /// Layers and dims.
  const TransformerStructure *structure = nullptr;
  /// One entry per device, in the configuration's order.
  ArrayRef<TrainingFigures> perDevice;
  /// The step over tensor, pipeline and data parallelism, when asked for
  /// (wantsParallelTraining).
  const ParallelTrainingAnalysis *parallel = nullptr;
};

struct Report {
  std::string source, producer, function;
  ConfigAttr config;
  std::vector<ReportDevice> devices;
  std::vector<ReportOpRow> ops;
  /// Initializer count, parameters (a packed low-bit weight counts the
  /// values it holds) and bytes (at the policy's weight size).
  unsigned numWeights = 0;
  double weightElements = 0, weightBytes = 0;
  /// Parameters and bytes per stored element type, in order of first use;
  /// `quantizedWeights` when some weight is quantized storage
  /// (docs/Quantization.md): the reports then list them.
  struct StorageRow {
    std::string dtype;
    double parameters = 0, bytes = 0;
  };
  std::vector<StorageRow> weightStorage;
  bool quantizedWeights = false;
  /// Symbols left unbound (costs that depend on them are unknown), and the
  /// graph inputs each one sizes.
  std::vector<std::string> unboundSymbols;
  std::vector<SymbolSource> unboundSymbolSources;
  /// The cost records the rows point to.
  const CostAnalysis *costs = nullptr;
  std::optional<TransformerSection> transformer;
  /// With tfperf-symbolic.
  std::shared_ptr<SymbolicSection> symbolic;
  std::optional<TensorParallelSection> tensorParallel;
  std::optional<TrainingSection> training;
  /// With tfperf-serve: the study (owned by its cached analysis).
  const ServingSection *serving = nullptr;
  /// The kernel view and time model of the times (`timing`).
  Timing timing;
  /// Both kernel views priced on every device, and the op figures with the
  /// chosen times; null when the times are every op's own roofline.
  const KernelTimesAnalysis *kernels = nullptr;
};

/// The report of a module as an MLIR analysis, so that several
/// tfperf-emit-report passes in a row (text to stdout, then JSON, CSV, ...)
/// build it once. It points into the analyses it assembles, and reads every
/// part of the configuration: a change of any invalidates it.
struct ReportAnalysis {
  ReportAnalysis(Operation *op, AnalysisManager &am);
  std::optional<Report> report;
  /// Why `report` is empty.
  std::string error;

  bool isInvalidated(const AnalysisManager::PreservedAnalyses &pa) {
    return !isAnalysisKept<
        ReportAnalysis, CostAnalysis, DtypeConfig, DeviceSet, RooflineAnalysis,
        TransformerStructure, PhaseFiguresAnalysis, KernelTimesAnalysis,
        SymbolicCostsAnalysis, SweepAnalysis, TrainingAnalysis,
        TrainingFiguresAnalysis, ParallelTrainingAnalysis,
        ServingStudyAnalysis>(pa, ConfigPart::All);
  }
};

/// Builds the report of `module` from the analyses of `am`, its analysis
/// manager; sets `error` on a bad configuration (unknown device, unreadable
/// hw_file, bad dtype) or options the graph cannot honour.
std::optional<Report> buildReport(ModuleOp module, AnalysisManager &am,
                                  std::string &error);

/// Options of the human-readable formats (text, md, html).
struct TextReportOptions {
  unsigned top = 15;
  bool showShapeOps = false;
};

/// The report formats this build can write: text, json, csv, md, html.
llvm::ArrayRef<llvm::StringRef> supportedReportFormats();

/// The same, as a list for a message: "text, json, csv, md, html".
std::string supportedReportFormatList();

/// The table files of a sweep or serving study (option `option`, e.g.
/// `--sweep-out`) take their format from the extension, .csv or .json:
/// the message for the first file with another, or "" when all have one.
std::string tableFileError(llvm::StringRef option,
                           llvm::ArrayRef<std::string> files);

/// Writes `r` in `format` (one of supportedReportFormats()); false for an
/// unknown format.
bool printReport(const Report &r, llvm::StringRef format,
                 llvm::raw_ostream &os, const TextReportOptions &opts = {});

/// One emitter per format (lib/Report/<Format>Report.cpp).
void printTextReport(const Report &r, llvm::raw_ostream &os,
                     const TextReportOptions &opts = {});
void printJSONReport(const Report &r, llvm::raw_ostream &os);
void printCSVReport(const Report &r, llvm::raw_ostream &os);
void printMarkdownReport(const Report &r, llvm::raw_ostream &os,
                         const TextReportOptions &opts = {});
void printHTMLReport(const Report &r, llvm::raw_ostream &os,
                     const TextReportOptions &opts = {});

/// The transformer section of the JSON report (the tables of the others
/// come from lib/Report/SummaryTables.h).
void printTransformerJSON(const Report &r, llvm::json::OStream &j);
/// The tensor_parallel section of the JSON report.
void printTensorParallelJSON(const Report &r, llvm::json::OStream &j);
/// The ep section of the JSON report (--ep): the EP x TP layouts.
void printExpertParallelJSON(const Report &r, llvm::json::OStream &j);
/// Under `key`, the per-device figures of `members` together (an op of
/// `ops`, or a kernel's members) at each degree some device can run: per
/// phase its
/// FLOPs, bytes, time on every device and the collective after it, as the
/// tensor-parallel section costs them.
void printTensorParallelOpsJSON(const Report &r, ArrayRef<Operation *> members,
                                llvm::StringRef key, llvm::json::OStream &j);
/// Why the recommended degree (or none) was chosen, in words.
std::string describeRecommendation(const TensorParallelFigures &f);

/// Builds `r.symbolic` from the cached formulas and sweep (chart axes and
/// crossovers); false with `error` set on a sweep the graph cannot honour.
bool buildSymbolicSection(AnalysisManager &am, Report &r, std::string &error);

/// The symbolic section of the JSON report; the per-op and totals
/// `formula` objects are written with them.
void printSymbolicJSON(const Report &r, llvm::json::OStream &j);

/// The training section of the JSON report, and the backward figures of
/// one op row (lib/Report/TrainingReport.cpp).
void printTrainingJSON(const Report &r, llvm::json::OStream &j);
void printOpBackwardJSON(const Report &r, Operation *op,
                         llvm::json::OStream &j);
/// The training_parallel section (lib/Report/ParallelTrainingReport.cpp).
void printParallelTrainingJSON(const Report &r, llvm::json::OStream &j);

/// The kernel views and the time model of the JSON report (`time_model`,
/// `kernel_views`, `kernels`; lib/Report/KernelReport.cpp), when the times
/// are not every op's own roofline.
void printKernelsJSON(const Report &r, llvm::json::OStream &j);
/// How device `device`'s times were made: "roofline", "calibrated" or
/// "uncalibrated" (the calibrated model with derived parameters).
std::string timeModelLabel(const Report &r, size_t device);

/// Human units: 1.23 GFLOP, 45.6 MiB, 7.89 us.
std::string formatFlops(double flops);
std::string formatBytes(double bytes);
std::string formatTime(double seconds);
std::string formatRate(double perSecond, llvm::StringRef unit);

} // namespace mlir::tfperf

#endif
