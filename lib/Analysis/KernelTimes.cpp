//===- KernelTimes.cpp - op and kernel times of a time model -------------===//

#include "tfperf/Analysis/KernelTimes.h"

#include "tfperf/Analysis/TensorParallelCost.h"
#include "tfperf/Analysis/TransformerStructure.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tfperf;

llvm::StringRef mlir::tfperf::kernelViewName(KernelView v) {
  return v == KernelView::Exported ? "exported" : "fused";
}

llvm::StringRef mlir::tfperf::timeModelName(TimeModelKind m) {
  return m == TimeModelKind::Roofline ? "roofline" : "calibrated";
}

std::optional<KernelView> mlir::tfperf::parseKernelView(llvm::StringRef name) {
  for (KernelView v : {KernelView::Exported, KernelView::Fused})
    if (name == kernelViewName(v))
      return v;
  return std::nullopt;
}

std::optional<TimeModelKind>
mlir::tfperf::parseTimeModel(llvm::StringRef name) {
  for (TimeModelKind m : {TimeModelKind::Roofline, TimeModelKind::Calibrated})
    if (name == timeModelName(m))
      return m;
  return std::nullopt;
}

Timing mlir::tfperf::getTiming(ConfigAttr config) {
  TimingConfigAttr part = config.getTiming();
  llvm::StringRef view =
      part ? part.getKernels() : llvm::StringRef(kDefaultKernelView);
  llvm::StringRef model =
      part ? part.getTimeModel() : llvm::StringRef(kDefaultTimeModel);
  // The attribute's verifier admits only these names.
  return Timing{parseKernelView(view).value_or(KernelView::Exported),
                parseTimeModel(model).value_or(TimeModelKind::Roofline)};
}

std::vector<KernelPrice> mlir::tfperf::applyKernelTimes(
    ArrayRef<Kernel> kernels, const TimeModel &model, TimeModelKind kind,
    const DtypePolicy &policy,
    llvm::function_ref<OpFigures *(Operation *)> figuresOf) {
  std::vector<KernelPrice> prices;
  prices.reserve(kernels.size());
  llvm::DenseSet<Operation *> priced;
  for (const Kernel &k : kernels) {
    KernelPrice &p = prices.emplace_back();
    llvm::SmallVector<OpFigures *, 4> members;
    double memberBytes = 0, memberRoofline = 0;
    bool known = k.known && k.bytes && k.exportedBytes;
    for (Operation *op : k.ops) {
      priced.insert(op);
      OpFigures *f = figuresOf(op);
      if (!f || !f->problem.empty()) {
        known = false;
        continue;
      }
      members.push_back(f);
      memberBytes += f->bytes;
      memberRoofline += f->time;
    }
    if (!known)
      continue;
    // The kernel's boundary bytes at the policy's element sizes (what-if
    // dtypes): the members' bytes at those sizes over the graph's.
    double scale = *k.exportedBytes > 0 ? memberBytes / *k.exportedBytes : 1;
    KernelWork work = k.getWork(policy.peakDtype(k.mainOp));
    work.setTotals(work.flops * double(work.launches), *k.bytes * scale);
    KernelTime t = model.price(work);
    p.bytes = *k.bytes * scale;
    p.roofline = t.roofline;
    p.seconds = kind == TimeModelKind::Calibrated ? t.seconds : t.roofline;
    p.classFallback = t.classFallback;
    for (OpFigures *f : members)
      f->time = memberRoofline > 0 ? p.seconds * f->time / memberRoofline
                                   : p.seconds / members.size();
  }
  return prices;
}

void mlir::tfperf::splitGemmDims(KernelWork &work, const OpSplit &split,
                                 int64_t tp) {
  int64_t div = tpDivisor(split.units, tp);
  if (split.kind == SplitKind::Row)
    work.k = (work.k + div - 1) / div;
  else if (split.kind == SplitKind::Column || split.kind == SplitKind::Vocab)
    work.n = (work.n + div - 1) / div;
  else if (split.kind == SplitKind::Heads)
    // An unfused attention's QK^T or PV: each device runs its heads' problems.
    work.batch = (work.batch + div - 1) / div;
}

std::optional<KernelWork>
mlir::tfperf::kernelWorkAt(const Kernel &k, const CostAnalysis &costs,
                           const DtypePolicy &policy,
                           const TensorParallelPlan *plan, int64_t tp) {
  if (!k.known || !k.bytes || !k.exportedBytes)
    return std::nullopt;
  static const OpSplit replicated;
  auto splitOf = [&](Operation *op) -> const OpSplit & {
    const OpSplit *s = plan && tp > 1 ? plan->lookup(op) : nullptr;
    return s ? *s : replicated;
  };
  double flops = 0, bits = 0;
  for (Operation *op : k.ops) {
    const OpCostRecord *rec = costs.lookup(op);
    if (!rec || !rec->known)
      return std::nullopt;
    const OpSplit &split = splitOf(op);
    auto f = rec->cost.flops.getInt64();
    if (!f)
      return std::nullopt;
    flops += double(*f) / double(tpDivisor(split.units, tp));
    for (auto [accesses, read] :
         {std::pair{ArrayRef<TensorAccess>(rec->cost.reads), true},
          std::pair{ArrayRef<TensorAccess>(rec->cost.writes), false}})
      for (const TensorAccess &a : accesses) {
        auto elems = a.elements.getInt64();
        if (!elems)
          return std::nullopt;
        int64_t units = read ? split.readUnits(op, a.value)
                             : split.writeUnits(op, a.value);
        bits += double(*elems) * policy.bitsOf(a.value) /
                double(tpDivisor(units, tp));
      }
  }
  KernelWork work = k.getWork(policy.peakDtype(k.mainOp));
  double whole = *k.exportedBytes;
  // Attention keeps its F (the causal half), split by heads.
  if (k.cls == KernelClass::Attention)
    flops = work.flops * double(work.launches) /
            double(tpDivisor(splitOf(k.mainOp).units, tp));
  work.setTotals(flops, *k.bytes * (whole > 0 ? bits / 8 / whole : 1));
  splitGemmDims(work, splitOf(k.mainOp), tp);
  return work;
}

KernelTimesAnalysis::KernelTimesAnalysis(Operation *root, AnalysisManager &am)
    : timing(tfperf::getTiming(getConfig(root))) {
  const RooflineAnalysis &roofline = am.getAnalysis<RooflineAnalysis>();
  error = roofline.getError();
  const DtypeConfig &dtypes = am.getAnalysis<DtypeConfig>();
  if (!error.empty() || !dtypes.getPolicy())
    return;
  const CostAnalysis &costs = roofline.getCosts();
  const TransformerStructure &structure =
      am.getAnalysis<TransformerStructure>();
  ArrayRef<DeviceSpec> devices = roofline.getDevices();
  numDevices = devices.size();
  size_t numRecords = costs.getRecords().size();
  llvm::DenseMap<Operation *, size_t> recordOf;
  for (auto [i, rec] : llvm::enumerate(costs.getRecords())) {
    recordOf[rec.op] = i;
    llvm::append_range(figures, roofline.getFigures(i));
  }
  for (const DeviceSpec &d : devices)
    models.emplace_back(d);
  KernelOptions opts;
  opts.exported = true;
  exported = std::make_unique<KernelAnalysis>(root, costs, structure, opts);
  fused = std::make_unique<KernelAnalysis>(root, costs, structure);

  // The figures of each device, priced in each view; the chosen view's
  // op times are kept.
  for (KernelView v : {KernelView::Exported, KernelView::Fused}) {
    bool chosen = v == timing.view;
    for (size_t d = 0; d < numDevices; ++d) {
      std::vector<OpFigures> scratch;
      if (!chosen || timing.isPerOpRoofline()) {
        scratch.reserve(numRecords);
        for (size_t i = 0; i < numRecords; ++i)
          scratch.push_back(figures[i * numDevices + d]);
      }
      auto figuresOf = [&](Operation *op) -> OpFigures * {
        auto it = recordOf.find(op);
        if (it == recordOf.end())
          return nullptr;
        return scratch.empty() ? &figures[it->second * numDevices + d]
                               : &scratch[it->second];
      };
      prices[v == KernelView::Fused].push_back(
          applyKernelTimes(getView(v).getKernels(), models[d], timing.model,
                           *dtypes.getPolicy(), figuresOf));
    }
  }
  if (timing.isPerOpRoofline())
    return;
  // Ops in no kernel of the chosen view run no kernel.
  const KernelAnalysis &view = getView(timing.view);
  for (auto [i, rec] : llvm::enumerate(costs.getRecords()))
    if (!view.lookup(rec.op))
      for (size_t d = 0; d < numDevices; ++d) {
        OpFigures &f = figures[i * numDevices + d];
        if (f.problem.empty())
          f.time = 0;
      }
}
