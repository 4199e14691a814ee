//===- ReportBuilder.cpp - building a Report from the IR ------------------===//

#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"
#include "tfperf/Report/Report.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tfperf;

ReportConfig ReportConfig::fromModule(ModuleOp module) {
  ReportConfig c;
  auto dict = module->getAttrOfType<DictionaryAttr>(kConfigAttr);
  if (!dict)
    return c;
  if (auto hw = dict.getAs<ArrayAttr>("hw"))
    for (Attribute a : hw)
      if (auto s = dyn_cast<StringAttr>(a))
        c.devices.push_back(s.str());
  auto str = [&](llvm::StringRef key, std::string &out) {
    if (auto s = dict.getAs<StringAttr>(key))
      out = s.str();
  };
  str("hw_file", c.hwFile);
  str("compute_dtype", c.computeDtype);
  str("weight_dtype", c.weightDtype);
  if (auto t = dict.getAs<DictionaryAttr>("transformer")) {
    c.transformer = true;
    if (auto p = t.getAs<StringAttr>("phase"))
      c.phase = p.str();
    auto i64 = [&](llvm::StringRef key, int64_t &out) {
      if (auto a = t.getAs<IntegerAttr>(key))
        out = a.getInt();
    };
    i64("batch", c.batch);
    i64("seq", c.seq);
    i64("kv_len", c.kvLen);
    i64("devices", c.numDevices);
  }
  if (auto sym = dict.getAs<DictionaryAttr>("symbolic")) {
    c.symbolic = true;
    if (auto sweep = sym.getAs<StringAttr>("sweep"))
      c.sweep = sweep.str();
  }
  if (auto t = dict.getAs<DictionaryAttr>("tensor_parallel")) {
    if (auto d = t.getAs<ArrayAttr>("degrees"))
      for (Attribute a : d)
        if (auto i = dyn_cast<IntegerAttr>(a))
          c.tpDegrees.push_back(i.getInt());
    if (auto m = t.getAs<IntegerAttr>("microbatches"))
      c.ppMicrobatches = m.getInt();
  }
  if (auto t = dict.getAs<DictionaryAttr>("training")) {
    c.training = true;
    if (auto a = t.getAs<BoolAttr>("input_requires_grad"))
      c.inputRequiresGrad = a.getValue();
    if (auto a = t.getAs<FloatAttr>("optimizer_bytes_per_param"))
      c.optimizerBytesPerParam = a.getValueAsDouble();
  }
  return c;
}

void ReportConfig::writeToModule(ModuleOp module) const {
  Builder b(module.getContext());
  NamedAttrList attrs;
  if (auto old = module->getAttrOfType<DictionaryAttr>(kConfigAttr))
    attrs.append(old.getValue());
  SmallVector<Attribute> hw;
  for (auto &d : devices)
    hw.push_back(b.getStringAttr(d));
  attrs.set("hw", b.getArrayAttr(hw));
  attrs.set("hw_file", b.getStringAttr(hwFile));
  attrs.set("compute_dtype", b.getStringAttr(computeDtype));
  attrs.set("weight_dtype", b.getStringAttr(weightDtype));
  if (transformer)
    attrs.set("transformer",
              b.getDictionaryAttr(
                  {b.getNamedAttr("phase", b.getStringAttr(phase)),
                   b.getNamedAttr("batch", b.getI64IntegerAttr(batch)),
                   b.getNamedAttr("seq", b.getI64IntegerAttr(seq)),
                   b.getNamedAttr("kv_len", b.getI64IntegerAttr(kvLen)),
                   b.getNamedAttr("devices", b.getI64IntegerAttr(numDevices))}));
  if (symbolic)
    attrs.set("symbolic", b.getDictionaryAttr({b.getNamedAttr(
                              "sweep", b.getStringAttr(sweep))}));
  if (!tpDegrees.empty()) {
    SmallVector<Attribute> degrees;
    for (int64_t t : tpDegrees)
      degrees.push_back(b.getI64IntegerAttr(t));
    attrs.set("tensor_parallel",
              b.getDictionaryAttr(
                  {b.getNamedAttr("degrees", b.getArrayAttr(degrees)),
                   b.getNamedAttr("microbatches",
                                  b.getI64IntegerAttr(ppMicrobatches))}));
  }
  if (training)
    attrs.set("training",
              b.getDictionaryAttr(
                  {b.getNamedAttr("input_requires_grad",
                                  b.getBoolAttr(inputRequiresGrad)),
                   b.getNamedAttr("optimizer_bytes_per_param",
                                  b.getF64FloatAttr(optimizerBytesPerParam))}));
  module->setAttr(kConfigAttr, attrs.getDictionary(module.getContext()));
}

ReportAnalysis::ReportAnalysis(Operation *op) {
  auto module = dyn_cast<ModuleOp>(op);
  if (!module) {
    error = "the report is built on a builtin.module";
    return;
  }
  report = buildReport(module, error);
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
                                                std::string &error) {
  Report r;
  r.config = ReportConfig::fromModule(module);
  if (auto s = module->getAttrOfType<StringAttr>("tfperf.source"))
    r.source = s.str();
  if (auto s = module->getAttrOfType<StringAttr>("tfperf.producer"))
    r.producer = s.str();
  module.walk([&](func::FuncOp f) {
    if (r.function.empty())
      r.function = f.getSymName().str();
  });
  auto policy = DtypePolicy::parse(r.config.computeDtype,
                                   r.config.weightDtype, error);
  if (!policy)
    return std::nullopt;
  std::string names;
  for (auto &d : r.config.devices)
    names += (names.empty() ? "" : ",") + d;
  auto devices = resolveDevices(names, r.config.hwFile, error);
  if (!devices)
    return std::nullopt;

  r.costs = std::make_shared<CostAnalysis>(module);
  for (const DeviceSpec &d : *devices) {
    ReportDevice dev;
    dev.spec = d;
    r.devices.push_back(std::move(dev));
  }
  for (ReportDevice &dev : r.devices) {
    dev.peakDtype = dominantDtype(r, *policy);
    dev.peakFlops = dev.spec.gemmPeak(dev.peakDtype).value_or(0);
  }
  llvm::SmallVector<llvm::StringRef> unbound;
  for (const OpCostRecord &rec : r.costs->getRecords()) {
    ReportOpRow row;
    row.record = &rec;
    for (ReportDevice &dev : r.devices) {
      OpFigures f = evaluateOp(rec, *policy, dev.spec);
      dev.totals.add(f);
      dev.byOpType[rec.opType].add(f);
      row.figures.push_back(std::move(f));
    }
    if (rec.known) {
      rec.cost.flops.collectSymbols(unbound);
      for (auto &a : rec.cost.reads)
        a.elements.collectSymbols(unbound);
    }
    if (auto w = dyn_cast<WeightOp>(rec.op)) {
      auto t = cast<ShapedType>(w.getType());
      ++r.numWeights;
      r.weightElements += t.getNumElements();
      r.weightBytes += double(t.getNumElements()) *
                       policy->bitsOf(w.getResult()) / 8;
    }
    r.ops.push_back(std::move(row));
  }
  for (auto s : unbound)
    r.unboundSymbols.push_back(s.str());
  if (r.config.transformer) {
    TransformerSection t;
    t.structure = std::make_shared<TransformerStructure>(module);
    PhaseOptions opts;
    opts.phase = r.config.phase;
    opts.batch = r.config.batch;
    opts.seq = r.config.seq;
    opts.kvLen = r.config.kvLen;
    opts.devices = r.config.numDevices;
    func::FuncOp func = firstFunction(module);
    std::optional<TensorParallelSection> tp;
    if (!r.config.tpDegrees.empty() && func) {
      tp.emplace();
      tp->plan = std::make_shared<TensorParallelPlan>(func, *t.structure);
    }
    PhaseAnalysisCache phaseCache;
    for (const ReportDevice &d : r.devices) {
      // The tensor-parallel figures re-cost the phases' ops per device.
      std::optional<TensorParallelAccumulator> acc;
      if (tp) {
        acc.emplace(func, *t.structure, *tp->plan, r.config.tpDegrees, *policy,
                    d.spec);
        opts.onOp = [&](llvm::StringRef phase, const OpCostRecord &rec,
                        const OpFigures &f) { acc->visit(phase, rec, f); };
      }
      auto fig = analyzeTransformer(module, *t.structure, opts, *policy, d.spec,
                                    error, &phaseCache);
      opts.onOp = nullptr;
      if (!fig)
        return std::nullopt;
      if (acc)
        tp->perDevice.push_back(acc->finish(*fig, r.config.ppMicrobatches));
      t.perDevice.push_back(std::move(*fig));
    }
    r.transformer = std::move(t);
    r.tensorParallel = std::move(tp);
  }
  if (r.config.symbolic && !buildSymbolicSection(module, r, *policy, error))
    return std::nullopt;
  if (r.config.training) {
    TrainingSection t;
    TrainingOptions options;
    options.inputRequiresGrad = r.config.inputRequiresGrad;
    options.optimizerBytesPerParam = r.config.optimizerBytesPerParam;
    t.analysis = std::make_shared<TrainingAnalysis>(module, options);
    t.structure = r.transformer ? r.transformer->structure
                                : std::make_shared<TransformerStructure>(module);
    for (const ReportDevice &d : r.devices) {
      auto fig = evaluateTraining(*t.analysis, *r.costs, t.structure.get(),
                                  *policy, d.spec, error);
      if (!fig)
        return std::nullopt;
      t.perDevice.push_back(std::move(*fig));
    }
    r.training = std::move(t);
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
