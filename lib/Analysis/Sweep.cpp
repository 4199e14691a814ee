//===- Sweep.cpp - evaluating the cost formulas over a grid ---------------===//
//
// An axis kind changes the figures of a group of ops at a point in one
// place, the group loop of `runSweep`. The tp axis divides each group's
// work and accesses by the units the tensor-parallel plan gives them
// (SymbolicSplit) and adds its collectives' time, exactly as
// TensorParallelAccumulator does with numbers: the calibrated α-β tier
// under a calibrated, kernel-priced sweep, else the ring over the link.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Analysis/Sweep.h"
#include "tfperf/Analysis/PhaseAnalysis.h"
#include "tfperf/Support/CompiledFormulas.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

#include <charconv>
#include <chrono>
#include <cmath>

using namespace mlir;
using namespace mlir::tfperf;

uint64_t SweepSpec::numPoints() const {
  uint64_t n = 1;
  for (const SweepAxis &a : axes) {
    if (a.size() && n > kMaxSweepPoints * 16 / a.size())
      return UINT64_MAX; // saturate: far beyond the limit
    n *= a.size();
  }
  return n;
}

const SweepAxis *SweepSpec::find(llvm::StringRef name) const {
  for (const SweepAxis &a : axes)
    if (a.name == name)
      return &a;
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Parsing
//===----------------------------------------------------------------------===//

static std::optional<int64_t> parseCount(llvm::StringRef s) {
  s = s.trim();
  uint64_t v;
  if (s.empty() || !llvm::all_of(s, llvm::isDigit) || s.getAsInteger(10, v) ||
      v > (uint64_t)kMaxDimValue)
    return std::nullopt;
  return (int64_t)v;
}

/// Appends the values of one item (`64`, `1..8`, `128..32768*2`,
/// `0..1024+256`).
static LogicalResult parseItem(llvm::StringRef axis, llvm::StringRef item,
                               std::vector<int64_t> &out, std::string &error) {
  auto bad = [&](const std::string &why) {
    error = "axis '" + axis.str() + "': " + why;
    return failure();
  };
  size_t dots = item.find("..");
  if (dots == llvm::StringRef::npos) {
    auto v = parseCount(item);
    if (!v)
      return bad("'" + item.str() +
                 "' is not a non-negative integer or a range (a..b, a..b*k, "
                 "a..b+k)");
    out.push_back(*v);
    return success();
  }
  llvm::StringRef loText = item.substr(0, dots), rest = item.substr(dots + 2);
  char stepKind = '+';
  llvm::StringRef hiText = rest, stepText = "1";
  size_t op = rest.find_first_of("*+");
  if (op != llvm::StringRef::npos) {
    stepKind = rest[op];
    hiText = rest.substr(0, op);
    stepText = rest.substr(op + 1);
  }
  auto lo = parseCount(loText), hi = parseCount(hiText),
       step = parseCount(stepText);
  if (!lo || !hi || !step)
    return bad("'" + item.str() +
               "' is not a range a..b, a..b*k or a..b+k of non-negative "
               "integers");
  if (*lo > *hi)
    return bad("range '" + item.str() + "' is empty (" + std::to_string(*lo) +
               " > " + std::to_string(*hi) + ")");
  if (stepKind == '*' && *step < 2)
    return bad("range '" + item.str() + "' needs a factor of at least 2");
  if (stepKind == '*' && *lo == 0)
    return bad("geometric range '" + item.str() + "' cannot start at 0");
  if (stepKind == '+' && *step < 1)
    return bad("range '" + item.str() + "' needs a step of at least 1");
  if (stepKind == '+' &&
      uint64_t(*hi - *lo) / *step + out.size() >= kMaxSweepPoints)
    return bad("range '" + item.str() + "' has more than " +
               std::to_string(kMaxSweepPoints) + " values");
  for (int64_t v = *lo; v <= *hi;) {
    out.push_back(v);
    if (stepKind == '*') {
      if (v > *hi / *step)
        break;
      v *= *step;
    } else {
      if (v > *hi - *step)
        break;
      v += *step;
    }
  }
  return success();
}

std::optional<SweepSpec> mlir::tfperf::parseSweepSpec(llvm::StringRef text,
                                                      std::string &error) {
  SweepSpec spec;
  spec.text = text.str();
  if (text.trim().empty()) {
    error = "the sweep is empty (expected name=values;..., e.g. "
            "batch=1,8;seq=128..4096*2)";
    return std::nullopt;
  }
  llvm::SmallVector<llvm::StringRef> parts;
  text.split(parts, ';');
  llvm::StringSet<> seen;
  for (llvm::StringRef part : parts) {
    part = part.trim();
    if (part.empty()) {
      error = "empty axis in '" + text.str() + "' (axes are separated by ';')";
      return std::nullopt;
    }
    size_t eq = part.find('=');
    if (eq == llvm::StringRef::npos) {
      error = "axis '" + part.str() + "' has no '=' (expected name=values)";
      return std::nullopt;
    }
    SweepAxis axis;
    axis.name = part.substr(0, eq).trim().str();
    llvm::StringRef values = part.substr(eq + 1).trim();
    if (axis.name.empty()) {
      error = "no axis name before '=' in '" + part.str() + "'";
      return std::nullopt;
    }
    if (!seen.insert(axis.name).second) {
      error = "axis '" + axis.name + "' is given twice";
      return std::nullopt;
    }
    if (values.empty()) {
      error = "axis '" + axis.name + "' has no values";
      return std::nullopt;
    }
    llvm::SmallVector<llvm::StringRef> items;
    values.split(items, ',');
    if (axis.name == "hw")
      axis.kind = SweepAxis::Kind::Hardware;
    else if (axis.name == "tp")
      axis.kind = SweepAxis::Kind::TensorParallel;
    else if (axis.name == "kv_len")
      axis.kind = SweepAxis::Kind::KvLen;
    for (llvm::StringRef item : items) {
      item = item.trim();
      if (item.empty()) {
        error = "axis '" + axis.name + "': empty value in '" + values.str() +
                "'";
        return std::nullopt;
      }
      if (axis.kind == SweepAxis::Kind::Hardware) {
        axis.deviceNames.push_back(item.str());
        continue;
      }
      if (failed(parseItem(axis.name, item, axis.values, error)))
        return std::nullopt;
    }
    if (axis.kind == SweepAxis::Kind::TensorParallel &&
        llvm::is_contained(axis.values, 0)) {
      error = "axis 'tp': the tensor-parallel degree is at least 1";
      return std::nullopt;
    }
    spec.axes.push_back(std::move(axis));
  }
  if (spec.numPoints() > kMaxSweepPoints) {
    error = "the sweep has " +
            (spec.numPoints() == UINT64_MAX
                 ? std::string("too many")
                 : std::to_string(spec.numPoints())) +
            " points, more than the limit of " +
            std::to_string(kMaxSweepPoints) + " (narrow the ranges)";
    return std::nullopt;
  }
  return spec;
}

//===----------------------------------------------------------------------===//
// Resolution against the graph
//===----------------------------------------------------------------------===//

static std::string joined(ArrayRef<std::string> names) {
  std::string s;
  for (const std::string &n : names)
    s += (s.empty() ? "" : ", ") + n;
  return s;
}

LogicalResult mlir::tfperf::resolveSweepSpec(SweepSpec &spec,
                                             const SymbolicCosts &costs,
                                             llvm::StringRef hwFile,
                                             std::string &error) {
  ArrayRef<std::string> symbols = costs.getSymbols();
  const SymbolRoles &roles = costs.getRoles();
  auto isSymbol = [&](llvm::StringRef s) {
    return llvm::is_contained(symbols, s.str());
  };
  auto known = [&] {
    std::string s = symbols.empty()
                        ? std::string("the graph has no symbolic dims (it is "
                                      "static, or --bind-dims bound them)")
                        : "this graph's symbols are " + joined(symbols);
    std::vector<std::string> aliases;
    for (auto [alias, target] :
         {std::pair<const char *, const std::string *>{"batch", &roles.batch},
          {"seq", &roles.seq},
          {"past", &roles.past}})
      if (!target->empty() && *target != alias)
        aliases.push_back(std::string(alias) + " = " + *target);
    if (!aliases.empty())
      s += " (aliases: " + joined(aliases) + ")";
    s += "; other axes: hw";
    if (!roles.past.empty() && !roles.seq.empty())
      s += ", kv_len";
    return s;
  };
  llvm::StringMap<std::string> setBy; // symbol -> axis name
  const SweepAxis *kvAxis = nullptr;
  for (SweepAxis &a : spec.axes) {
    switch (a.kind) {
    case SweepAxis::Kind::TensorParallel: {
      const TensorParallelPlan *plan = costs.getTensorParallelPlan();
      if (!plan) {
        error = "axis 'tp' needs the tensor-parallel plan of the graph";
        return failure();
      }
      for (int64_t t : a.values) {
        if (t == 1)
          continue;
        if (!plan->hasSplits()) {
          error = "axis 'tp': tp = " + std::to_string(t) +
                  ": the graph has no attention or MLP projections to split "
                  "(only tp = 1 applies)";
          return failure();
        }
        TPFeasibility f = plan->check(t);
        if (!f.feasible) {
          error = "axis 'tp': tp = " + std::to_string(t) + " is rejected: " +
                  f.reason;
          return failure();
        }
      }
      continue;
    }
    case SweepAxis::Kind::Hardware: {
      auto devices = resolveDevices(joined(a.deviceNames), hwFile, error);
      if (!devices) {
        error = "axis 'hw': " + error;
        return failure();
      }
      a.devices = std::move(*devices);
      continue;
    }
    case SweepAxis::Kind::KvLen:
      if (roles.past.empty() || roles.seq.empty()) {
        error = "axis 'kv_len' needs a graph with past-KV inputs (a past "
                "length symbol) and a sequence symbol; " + known();
        return failure();
      }
      a.symbol = roles.past;
      kvAxis = &a;
      break;
    case SweepAxis::Kind::Symbol:
      if (isSymbol(a.name))
        a.symbol = a.name;
      else if (a.name == "batch" && !roles.batch.empty())
        a.symbol = roles.batch;
      else if (a.name == "seq" && !roles.seq.empty())
        a.symbol = roles.seq;
      else if (a.name == "past" && !roles.past.empty())
        a.symbol = roles.past;
      else {
        error = "unknown axis '" + a.name + "': " + known();
        return failure();
      }
      break;
    }
    auto [it, inserted] = setBy.try_emplace(a.symbol, a.name);
    if (!inserted) {
      error = "axes '" + it->second + "' and '" + a.name + "' both set '" +
              a.symbol + "'";
      return failure();
    }
    bool mayBeZero = a.symbol == roles.past && a.kind == SweepAxis::Kind::Symbol;
    if (!mayBeZero && llvm::is_contained(a.values, 0)) {
      error = "axis '" + a.name + "': dims are at least 1 (only the past "
              "length may be 0)";
      return failure();
    }
  }
  if (kvAxis) {
    const SweepAxis *seqAxis = nullptr;
    for (const SweepAxis &a : spec.axes)
      if (a.kind == SweepAxis::Kind::Symbol && a.symbol == roles.seq)
        seqAxis = &a;
    if (!seqAxis) {
      error = "axis 'kv_len' needs an axis for the sequence ('" + roles.seq +
              "', e.g. seq=1 for decode): past = kv_len - seq";
      return failure();
    }
    int64_t maxSeq = *llvm::max_element(seqAxis->values);
    int64_t minKv = *llvm::min_element(kvAxis->values);
    if (minKv < maxSeq) {
      error = "axis 'kv_len': " + std::to_string(minKv) +
              " is less than seq " + std::to_string(maxSeq) +
              " (kv_len counts the cached tokens and the new ones)";
      return failure();
    }
  }
  // A total length (seq + past) follows the seq and past axes unless an
  // axis sets it (those two are missing themselves when not set).
  bool totalsDerived = isSymbol(roles.seq) && isSymbol(roles.past);
  std::vector<std::string> missing;
  for (const std::string &s : symbols)
    if (!setBy.count(s) && !(totalsDerived && roles.roleOf(s) == "total"))
      missing.push_back(s);
  if (!missing.empty()) {
    error = "no axis sets " +
            std::string(missing.size() == 1 ? "symbol '" : "symbols '") +
            joined(missing) + "': give each a value (e.g. " + missing.front() +
            "=" + (missing.front() == roles.past ? "0" : "1") + ")";
    return failure();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Evaluation
//===----------------------------------------------------------------------===//

double SweepResult::tokensPerSecond(const SweepRow &r) const {
  if (seqSymbol.empty() || !(r.time > 0))
    return NAN;
  double tokens = 1;
  for (size_t i = 0; i < numericAxes.size(); ++i) {
    const SweepAxis &a = numericAxis(i);
    if (a.kind == SweepAxis::Kind::Symbol &&
        (a.symbol == seqSymbol || a.symbol == batchSymbol))
      tokens *= point(r)[i];
  }
  return tokens / r.time;
}

namespace {
/// A group's compiled formulas and its peak per device.
struct CompiledGroup {
  unsigned flops = 0, gemm = 0, bits = 0;
  double count = 0;
  bool attention = false, mlp = false;
  /// Per device: the matmul peak (NaN when the device has none).
  std::vector<double> peak;
  /// Under a tp axis: units of the work, the bits by their units, the
  /// collectives' payload bits.
  int64_t units = 1;
  llvm::SmallVector<std::pair<int64_t, unsigned>, 2> shardedBits;
  llvm::SmallVector<std::pair<Collective, unsigned>, 1> collectives;
};
} // namespace

namespace {
/// The graph at one point's dims: re-costed there and grouped into the
/// view's kernels.
struct KernelsAtPoint {
  TypeShapeQuery types;
  std::unique_ptr<SubstitutedShapes> shapes;
  std::unique_ptr<CostAnalysis> costs;
  std::unique_ptr<KernelAnalysis> kernels;

  KernelsAtPoint(const SweepKernelPricing &p, ArrayRef<std::string> symbols,
                 ArrayRef<double> values) {
    llvm::StringMap<SymExpr> subst;
    for (auto [name, v] : llvm::zip_equal(symbols, values))
      subst[name] = SymExpr(int64_t(v));
    shapes = std::make_unique<SubstitutedShapes>(types, std::move(subst));
    func::FuncOp func = firstFunction(p.root);
    costs = std::make_unique<CostAnalysis>(func, *shapes);
    KernelOptions opts;
    opts.exported = p.timing.view == KernelView::Exported;
    opts.shapes = [this](Operation *) -> const ShapeQuery & { return *shapes; };
    kernels = std::make_unique<KernelAnalysis>(func, *costs, *p.structure,
                                               opts);
  }

  /// Sets `row`'s times to the kernels' on `model`'s device at degree tp
  /// (the formulas' roofline kept as the bound).
  void price(const SweepKernelPricing &p, const TimeModel &model,
             const TensorParallelPlan *plan, int64_t tp, SweepRow &row) const {
    row.rooflineTime = row.time;
    row.time = row.memoryBoundTime = row.attentionTime = row.mlpTime = 0;
    for (const Kernel &k : kernels->getKernels()) {
      auto work = kernelWorkAt(k, *costs, *p.policy, plan, tp);
      if (!work)
        continue;
      KernelTime t = model.price(*work);
      double seconds = p.timing.model == TimeModelKind::Calibrated
                           ? t.seconds
                           : t.roofline;
      row.time += seconds;
      double bytes = work->bytes * double(work->launches);
      if (!(bytes / model.getDevice().memBandwidth < t.roofline))
        row.memoryBoundTime += seconds;
      BlockKind block = p.structure->getTag(k.mainOp).block;
      if (block == BlockKind::Attention || block == BlockKind::AttentionScores)
        row.attentionTime += seconds;
      if (block == BlockKind::MLP)
        row.mlpTime += seconds;
    }
  }
};
} // namespace

SweepResult mlir::tfperf::runSweep(const SymbolicCosts &costs,
                                   const SweepSpec &spec,
                                   ArrayRef<DeviceSpec> defaultDevices,
                                   const SweepKernelPricing *pricing) {
  auto start = std::chrono::steady_clock::now();
  SweepResult r;
  r.spec = spec;
  r.batchSymbol = costs.getRoles().batch;
  r.seqSymbol = costs.getRoles().seq;
  r.hasBlocks = !costs.getLayers().empty();
  for (size_t i = 0; i < r.spec.axes.size(); ++i) {
    const SweepAxis &a = r.spec.axes[i];
    if (a.kind == SweepAxis::Kind::Hardware)
      r.devices = a.devices;
    else
      r.numericAxes.push_back(i);
  }
  if (r.devices.empty())
    r.devices.assign(defaultDevices.begin(), defaultDevices.end());
  // numPoints counts a hardware axis too.
  uint64_t pointCount = spec.numPoints();
  if (pricing && pointCount > kMaxKernelPricedPoints) {
    r.unpricedReason =
        std::to_string(pointCount) + " points exceed the " +
        std::to_string(kMaxKernelPricedPoints) +
        " a kernel-priced sweep evaluates (each re-costs the graph), so the "
        "times are the formulas' per-op roofline; narrow the sweep for " +
        timeModelName(pricing->timing.model).str() + " times";
    pricing = nullptr;
  }
  std::vector<TimeModel> models;
  if (pricing) {
    r.kernelPriced = true;
    r.timing = pricing->timing;
    for (const DeviceSpec &d : r.devices)
      models.emplace_back(d);
  }
  bool calibratedCollectives =
      pricing && pricing->timing.model == TimeModelKind::Calibrated;
  std::unique_ptr<KernelsAtPoint> atPoint;
  std::vector<double> atValues;

  // Compile every group's formulas over the symbols.
  ArrayRef<std::string> symbols = costs.getSymbols();
  CompiledFormulas formulas(symbols);
  std::vector<CompiledGroup> groups;
  unsigned staticUnknown = costs.getUnknownOps();
  int tpAxis = -1;
  for (size_t i = 0; i < r.numericAxes.size(); ++i)
    if (r.numericAxis(i).kind == SweepAxis::Kind::TensorParallel)
      tpAxis = i;
  r.hasTensorParallel = tpAxis >= 0;
  for (const SymbolicGroup &g : costs.getGroups()) {
    auto f = formulas.add(g.flops), m = formulas.add(g.gemmFlops),
         b = formulas.add(g.bits);
    CompiledGroup cg;
    cg.flops = f.value_or(0);
    cg.gemm = m.value_or(0);
    cg.bits = b.value_or(0);
    cg.count = double(g.count);
    cg.attention = g.block == BlockKind::Attention ||
                   g.block == BlockKind::AttentionScores;
    cg.mlp = g.block == BlockKind::MLP;
    bool compiled = f && m && b;
    if (tpAxis >= 0) {
      cg.units = g.split.units;
      for (const ShardedBits &sb : g.split.bits) {
        auto i = formulas.add(sb.bits);
        compiled &= i.has_value();
        cg.shardedBits.push_back({sb.units, i.value_or(0)});
      }
      for (const CollectiveBits &c : g.split.collectives) {
        auto i = formulas.add(c.bits);
        compiled &= i.has_value();
        cg.collectives.push_back({c.kind, i.value_or(0)});
      }
    }
    if (!compiled) {
      staticUnknown += g.count;
      continue;
    }
    for (const DeviceSpec &d : r.devices)
      cg.peak.push_back(d.gemmPeak(g.peakDtype).value_or(NAN));
    groups.push_back(std::move(cg));
  }
  r.groups = groups.size();
  // The graph's own dims: a point where one goes below zero (`seq - 3` at
  // seq = 1) has no graph, as binding those dims is an import error; its
  // ops are all unknown there, never priced from formulas that were
  // derived for dims that exist.
  std::vector<unsigned> dimFormulas;
  for (const SymbolicDim &d : costs.getDims())
    if (auto i = formulas.add(d.dim))
      dimFormulas.push_back(*i);
  unsigned knownOps = 0;
  for (const CompiledGroup &g : groups)
    knownOps += unsigned(g.count);

  // For each numeric axis: which symbol slot it sets; kv_len sets past from
  // the seq axis's value.
  std::vector<int> slot(r.numericAxes.size(), -1);
  int seqAxis = -1;
  for (size_t i = 0; i < r.numericAxes.size(); ++i) {
    const SweepAxis &a = r.numericAxis(i);
    auto it = llvm::find(symbols, a.symbol);
    if (it != symbols.end())
      slot[i] = it - symbols.begin();
    if (a.kind == SweepAxis::Kind::Symbol && a.symbol == r.seqSymbol)
      seqAxis = i;
  }

  // Total lengths no axis sets: seq + past at each point, as the phases
  // bind them (resolveSweepSpec let them through only then).
  const SymbolRoles &roles = costs.getRoles();
  auto symbolSlot = [&](llvm::StringRef s) -> int {
    auto it = llvm::find(symbols, s.str());
    return it == symbols.end() ? -1 : int(it - symbols.begin());
  };
  int seqSlot = symbolSlot(roles.seq), pastSlot = symbolSlot(roles.past);
  std::vector<int> derivedTotals;
  for (const std::string &t : roles.totals)
    if (int ts = symbolSlot(t); ts >= 0 && seqSlot >= 0 && pastSlot >= 0 &&
                                !llvm::is_contained(slot, ts))
      derivedTotals.push_back(ts);

  size_t n = r.numericAxes.size();
  std::vector<size_t> odometer(n, 0);
  std::vector<double> values(symbols.size(), 1), out(formulas.size());
  uint64_t points = 1;
  for (size_t i = 0; i < n; ++i)
    points *= r.numericAxis(i).values.size();
  r.rows.reserve(points * r.devices.size());
  r.points.reserve(points * n);
  std::vector<int64_t> point(n);
  for (uint64_t p = 0; p < points; ++p) {
    for (size_t i = 0; i < n; ++i)
      point[i] = r.numericAxis(i).values[odometer[i]];
    r.points.insert(r.points.end(), point.begin(), point.end());
    for (size_t i = 0; i < n; ++i) {
      if (slot[i] < 0)
        continue;
      double v = point[i];
      if (r.numericAxis(i).kind == SweepAxis::Kind::KvLen && seqAxis >= 0)
        v -= point[seqAxis];
      values[slot[i]] = v;
    }
    for (int t : derivedTotals)
      values[t] = values[seqSlot] + values[pastSlot];
    formulas.evaluate(values, out);
    int64_t tp = tpAxis >= 0 ? point[tpAxis] : 1;
    // The kernels change with the dims only (not with tp or the device).
    if (pricing && (!atPoint || atValues != values)) {
      atPoint = std::make_unique<KernelsAtPoint>(*pricing, symbols, values);
      atValues = values;
    }
    for (unsigned d = 0; d < r.devices.size(); ++d) {
      const DeviceSpec &dev = r.devices[d];
      SweepRow row;
      double commRing = 0;
      row.pointIndex = p;
      row.device = d;
      row.unknownOps = staticUnknown;
      bool graphExists = llvm::all_of(
          dimFormulas, [&](unsigned i) { return out[i] >= 0; });
      if (!graphExists) {
        row.noGraph = true;
        row.unknownOps += knownOps;
        r.rows.push_back(std::move(row));
        continue;
      }
      // Mirrors evaluateOp (Roofline.cpp) per group of identical ops, and
      // TensorParallelAccumulator::visit under a tp axis.
      for (const CompiledGroup &g : groups) {
        double flops = out[g.flops], gemm = out[g.gemm],
               bytes = out[g.bits] / 8;
        // A formula below zero here (`seq - 3` at seq = 1): the op's shape
        // does not exist at this point, so its cost is unknown, never
        // negative.
        // So is a vector part below zero (more GEMM FLOPs than FLOPs).
        if (flops < 0 || gemm < 0 || bytes < 0 ||
            gemm - flops > 1e-9 * gemm) {
          row.unknownOps += g.count;
          continue;
        }
        if (tp > 1) {
          for (auto [kind, idx] : g.collectives) {
            double payload = out[idx] / 8;
            // As the tensor-parallel section prices them.
            CollectiveTimes c = priceCollective(
                kind, payload, tp, dev,
                calibratedCollectives ? &models[d] : nullptr);
            row.commBytes += g.count * payload;
            row.commTime += g.count * c.time;
            commRing += g.count * c.ring;
          }
          double div = double(tpDivisor(g.units, tp));
          flops /= div;
          gemm /= div;
          bytes = 0;
          for (auto [units, idx] : g.shardedBits)
            bytes += out[idx] / 8 / double(tpDivisor(units, tp));
        }
        double compute = std::max(0.0, flops - gemm) / dev.vectorPeak;
        if (gemm > 0) {
          if (std::isnan(g.peak[d])) {
            row.unknownOps += g.count;
            continue;
          }
          compute += gemm / g.peak[d];
        }
        double memory = bytes / dev.memBandwidth;
        double time = std::max(compute, memory);
        row.flops += g.count * flops;
        row.gemmFlops += g.count * gemm;
        row.bytes += g.count * bytes;
        row.time += g.count * time;
        row.computeTime += g.count * compute;
        row.memoryTime += g.count * memory;
        if (!(compute > memory))
          row.memoryBoundTime += g.count * time;
        if (g.attention)
          row.attentionTime += g.count * time;
        if (g.mlp)
          row.mlpTime += g.count * time;
      }
      if (atPoint)
        atPoint->price(*pricing, models[d], costs.getTensorParallelPlan(), tp,
                       row);
      row.time += row.commTime;
      if (atPoint)
        row.rooflineTime += commRing;
      r.rows.push_back(std::move(row));
    }
    for (size_t i = n; i-- > 0;) {
      if (++odometer[i] < r.numericAxis(i).values.size())
        break;
      odometer[i] = 0;
    }
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                            start)
                  .count();
  return r;
}
