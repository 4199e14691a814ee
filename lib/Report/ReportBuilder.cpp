//===- ReportBuilder.cpp - building a Report from the IR ------------------===//

#include "tfperf/Dialect/TFPerf/IR/QuantizedStorage.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"
#include "tfperf/Report/Report.h"
#include "tfperf/Report/ReportInvariants.h"
#include "tfperf/Report/SymbolSources.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tfperf;

ReportAnalysis::ReportAnalysis(Operation *op, AnalysisManager &am) {
  auto module = dyn_cast<ModuleOp>(op);
  if (!module) {
    error = "the report is built on a builtin.module";
    return;
  }
  report = buildReport(module, am, error);
  // Every format is written from this report: a figure that breaks an
  // invariant stops all of them.
  if (report && failed(checkReportInvariants(*report, error)))
    report.reset();
}

void ReportTotals::add(const OpFigures &f) {
  ++ops;
  if (!f.problem.empty()) {
    ++unknownOps;
    return;
  }
  flops += f.flops;
  gemmFlops += f.gemmFlops;
  bytes += f.bytes;
  time += f.time;
  if (f.bound == Bound::Compute) {
    ++computeBoundOps;
    computeBoundTime += f.time;
  } else {
    ++memoryBoundOps;
    memoryBoundTime += f.time;
  }
}

/// The dtype whose matmul peak characterises the model: the policy's, or
/// the one most matmul FLOPs run at.
static std::string dominantDtype(const Report &r, const DtypePolicy &policy) {
  if (!policy.getComputeDtype().empty())
    return policy.getComputeDtype().str();
  llvm::StringMap<double> byDtype;
  for (const OpCostRecord &rec : r.costs->getRecords())
    if (rec.known && rec.cost.gemmFlops.isConstant())
      byDtype[policy.peakDtype(rec.op)] +=
          int128ToDouble(rec.cost.gemmFlops.getConstant());
  std::string best = "fp32";
  double most = -1;
  for (auto &e : byDtype)
    if (e.second > most) {
      most = e.second;
      best = e.first().str();
    }
  return best;
}

std::optional<Report> mlir::tfperf::buildReport(ModuleOp module,
                                                AnalysisManager &am,
                                                std::string &error) {
  Report r;
  r.config = getConfig(module);
  if (auto s = module->getAttrOfType<StringAttr>("tfperf.source"))
    r.source = s.str();
  if (auto s = module->getAttrOfType<StringAttr>("tfperf.producer"))
    r.producer = s.str();
  module.walk([&](func::FuncOp f) {
    if (r.function.empty())
      r.function = f.getSymName().str();
  });
  const DtypeConfig &dtypes = am.getAnalysis<DtypeConfig>();
  const DtypePolicy *policy = dtypes.getPolicy();
  if (!policy) {
    error = dtypes.getError();
    return std::nullopt;
  }
  const RooflineAnalysis &roofline = am.getAnalysis<RooflineAnalysis>();
  if (!roofline.getError().empty()) {
    error = roofline.getError();
    return std::nullopt;
  }

  r.costs = &roofline.getCosts();
  r.timing = getTiming(r.config);
  if (!r.timing.isPerOpRoofline())
    r.kernels = &am.getAnalysis<KernelTimesAnalysis>();
  for (const DeviceSpec &d : roofline.getDevices()) {
    ReportDevice dev;
    dev.spec = d;
    r.devices.push_back(std::move(dev));
  }
  for (ReportDevice &dev : r.devices) {
    dev.peakDtype = dominantDtype(r, *policy);
    dev.peakFlops = dev.spec.gemmPeak(dev.peakDtype).value_or(0);
  }
  llvm::SmallVector<llvm::StringRef> unbound;
  for (auto [i, rec] : llvm::enumerate(r.costs->getRecords())) {
    ReportOpRow row;
    row.record = &rec;
    row.figures = r.kernels ? r.kernels->getFigures(i) : roofline.getFigures(i);
    for (auto [dev, f] : llvm::zip_equal(r.devices, row.figures)) {
      dev.totals.add(f);
      dev.byOpType[rec.opType].add(f);
    }
    if (rec.known) {
      rec.cost.flops.collectSymbols(unbound);
      for (auto &a : rec.cost.reads)
        a.elements.collectSymbols(unbound);
    }
    if (auto w = dyn_cast<WeightOp>(rec.op)) {
      auto t = cast<ShapedType>(w.getType());
      WeightStorage st = getWeightStorage(w);
      double bytes = double(t.getNumElements()) *
                     policy->bitsOf(w.getResult()) / 8;
      ++r.numWeights;
      r.weightElements += st.parameters;
      r.weightBytes += bytes;
      r.quantizedWeights |= st.quantized;
      auto row = llvm::find_if(r.weightStorage, [&](const Report::StorageRow &x) {
        return x.dtype == st.dtype;
      });
      if (row == r.weightStorage.end())
        row = r.weightStorage.insert(row, {st.dtype, 0, 0});
      row->parameters += st.parameters;
      row->bytes += bytes;
    }
    r.ops.push_back(std::move(row));
  }
  for (auto s : unbound)
    r.unboundSymbols.push_back(s.str());
  r.unboundSymbolSources = describeSymbolSources(module, r.unboundSymbols);
  if (r.config.getTransformer()) {
    const PhaseFiguresAnalysis &phases = am.getAnalysis<PhaseFiguresAnalysis>();
    if (!phases.succeeded()) {
      error = phases.getError();
      return std::nullopt;
    }
    TransformerSection t;
    t.structure = &am.getAnalysis<TransformerStructure>();
    t.perDevice = phases.getPerDevice();
    r.transformer = t;
    if (phases.hasTensorParallel()) {
      TensorParallelSection tp;
      tp.plan = am.getAnalysis<TensorParallelPlanAnalysis>().getPlan();
      tp.perDevice = phases.getTensorParallel();
      tp.expertPerDevice = phases.getExpertParallel();
      r.tensorParallel = tp;
    }
  }
  if (r.config.getSymbolic() && !buildSymbolicSection(am, r, error))
    return std::nullopt;
  if (r.config.getTraining()) {
    const TrainingFiguresAnalysis &training =
        am.getAnalysis<TrainingFiguresAnalysis>();
    if (!training.succeeded()) {
      error = training.getError();
      return std::nullopt;
    }
    TrainingSection t;
    t.analysis = &training.getTraining();
    t.structure = &training.getStructure();
    t.perDevice = training.getPerDevice();
    if (wantsParallelTraining(module)) {
      const ParallelTrainingAnalysis &parallel =
          am.getAnalysis<ParallelTrainingAnalysis>();
      if (!parallel.succeeded()) {
        error = parallel.getError();
        return std::nullopt;
      }
      t.parallel = &parallel;
    }
    r.training = t;
  }
  if (r.config.getServing()) {
    const ServingStudyAnalysis &study = am.getAnalysis<ServingStudyAnalysis>();
    r.serving = study.getSection();
    if (!r.serving) {
      error = study.getError();
      return std::nullopt;
    }
  }
  return r;
}

//===----------------------------------------------------------------------===//
// Units
//===----------------------------------------------------------------------===//

static std::string withPrefix(double v, llvm::StringRef unit, bool binary) {
  if (std::isnan(v))
    return "?";
  static const char *si[] = {"", "K", "M", "G", "T", "P", "E"};
  static const char *bin[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  double base = binary ? 1024 : 1000;
  int i = 0;
  double a = std::fabs(v);
  while (a >= base && i < 6) {
    a /= base;
    v /= base;
    ++i;
  }
  char buf[64];
  snprintf(buf, sizeof(buf), i == 0 && v == std::floor(v) ? "%.0f %s%s"
                                                          : "%.2f %s%s",
           v, binary ? bin[i] : si[i], unit.str().c_str());
  // A bare count ("42", no prefix, no unit) has no trailing space.
  return llvm::StringRef(buf).rtrim(' ').str();
}

std::string mlir::tfperf::formatFlops(double flops) {
  return withPrefix(flops, "FLOP", false);
}
std::string mlir::tfperf::formatBytes(double bytes) {
  return withPrefix(bytes, "B", true);
}
std::string mlir::tfperf::formatRate(double perSecond, llvm::StringRef unit) {
  return withPrefix(perSecond, unit, false);
}
std::string mlir::tfperf::formatTime(double s) {
  if (std::isnan(s))
    return "?";
  char buf[64];
  if (s == 0)
    return "0";
  if (s < 1e-6)
    snprintf(buf, sizeof(buf), "%.2f ns", s * 1e9);
  else if (s < 1e-3)
    snprintf(buf, sizeof(buf), "%.2f \u00b5s", s * 1e6);
  else if (s < 1)
    snprintf(buf, sizeof(buf), "%.2f ms", s * 1e3);
  else
    snprintf(buf, sizeof(buf), "%.3f s", s);
  return buf;
}
