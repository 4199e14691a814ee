//===- ReportInvariants.cpp - what every figure of a report must satisfy --===//
//
// The last gate before a report is written. A number that breaks one of
// these rules is a bug of tfperf, not a fact about the model, so it is
// reported as an internal error (naming the op or section and the figure)
// and no report is written: a wrong number must never look like a right one.
//
//  - counts (FLOPs, bytes, ops) are >= 0, times are finite and >= 0; an
//    unknown figure is NaN inside and null or `?` outside, never negative;
//  - parts sum to their totals: the ops of each device to its totals and
//    its per-op-type rows, each phase's blocks to the phase, its layers to
//    at most the phase;
//  - tensor parallelism: per-device FLOPs x degree = the unsharded FLOPs
//    plus what the devices duplicate;
//  - formulas: an op's formula, where it is a number, is that op's figure;
//    each sweep point's totals are the total formulas evaluated there;
//  - and generically, every number of the JSON rendering of the report
//    (the one format that carries all of them) is >= 0 unless its key is
//    one of the few signed figures.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Report/ReportInvariants.h"
#include "SymbolicReport.h"
#include "tfperf/Report/Report.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tfperf;

namespace {
/// A figure as the message shows it: whole numbers whole.
std::string show(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15)
    return std::to_string(static_cast<int64_t>(v));
  char shown[32];
  snprintf(shown, sizeof(shown), "%g", v);
  return shown;
}

/// Collects the first violation.
class InvariantChecker {
public:
  bool failed() const { return !violation.empty(); }
  std::string take() { return std::move(violation); }

  /// A count or time that must be known: finite and >= 0.
  void known(const llvm::Twine &where, llvm::StringRef figure, double v) {
    if (failed() || (std::isfinite(v) && v >= 0))
      return;
    fail(where, figure,
         llvm::formatv("is {0}; counts and times are never negative, "
                       "NaN or infinite",
                       show(v))
             .str());
  }
  /// A count or time that may be unknown (NaN, printed as `?` or null),
  /// but never negative or infinite.
  void nonNegative(const llvm::Twine &where, llvm::StringRef figure, double v) {
    if (!std::isnan(v))
      known(where, figure, v);
  }
  /// A figure of something not possible (a rejected degree): infinite
  /// ("never") or unknown is fine, negative is not.
  void notNegative(const llvm::Twine &where, llvm::StringRef figure, double v) {
    if (!failed() && v < 0)
      fail(where, figure,
           "is " + show(v) + "; counts and times are never negative");
  }
  using Figures = std::initializer_list<std::pair<llvm::StringRef, double>>;
  /// known() or nonNegative() of each figure.
  void each(const llvm::Twine &where, Figures figures, bool mustBeKnown) {
    for (auto [figure, v] : figures)
      mustBeKnown ? known(where, figure, v) : nonNegative(where, figure, v);
  }
  /// `parts` sums to `total` (relative tolerance for summation order).
  void sumsTo(const llvm::Twine &where, llvm::StringRef figure, double parts,
              double total) {
    if (failed() || std::isnan(parts) || std::isnan(total) ||
        closeEnough(parts, total))
      return;
    fail(where, figure,
         llvm::formatv("is {0} but its parts sum to {1}", show(total),
                       show(parts))
             .str());
  }
  /// `part` is at most `total`.
  void atMost(const llvm::Twine &where, llvm::StringRef figure, double part,
              double total) {
    if (failed() || !(part > total) || closeEnough(part, total))
      return;
    fail(where, figure,
         llvm::formatv("is {0}, more than its total {1}", show(part),
                       show(total))
             .str());
  }

  static bool closeEnough(double a, double b) {
    return std::fabs(a - b) <=
           1e-6 * std::max(std::fabs(a), std::fabs(b)) + 1e-12;
  }

  void fail(const llvm::Twine &where, llvm::StringRef figure,
            const std::string &what) {
    if (failed())
      return;
    violation = where.str();
    if (!figure.empty())
      violation += ": figure '" + figure.str() + "' " + what;
  }

private:
  std::string violation;
};

/// FLOPs, bytes and time summed over parts, against their total with
/// sumsTo (the parts are all of it) or atMost (some of it).
struct Sum {
  double flops = 0, bytes = 0, time = 0;
  template <typename Totals> void add(const Totals &t) {
    flops += t.flops;
    bytes += t.bytes;
    time += t.time;
  }
  template <typename Totals>
  void check(const llvm::Twine &where, const Totals &total,
             void (InvariantChecker::*rule)(const llvm::Twine &,
                                            llvm::StringRef, double, double),
             InvariantChecker &c) const {
    (c.*rule)(where, "flops", flops, total.flops);
    (c.*rule)(where, "bytes", bytes, total.bytes);
    (c.*rule)(where, "time_s", time, total.time);
  }
};

/// The figures an op and a phase both have (OpFigures, PhaseTotals).
template <typename Figures>
void checkCostAndTime(const llvm::Twine &where, const Figures &t,
                      bool mustBeKnown, InvariantChecker &c) {
  c.each(where,
         {{"flops", t.flops},
          {"gemm_flops", t.gemmFlops},
          {"bytes", t.bytes},
          {"time_s", t.time},
          {"compute_time_s", t.computeTime},
          {"memory_time_s", t.memoryTime}},
         mustBeKnown);
}

void checkOps(const Report &r, InvariantChecker &c) {
  for (const ReportOpRow &row : r.ops)
    for (auto [dev, f] : llvm::zip_equal(r.devices, row.figures)) {
      if (!f.problem.empty())
        continue;
      std::string where = "op '" + row.record->name + "' on " + dev.spec.name;
      checkCostAndTime(where, f, /*mustBeKnown=*/true, c);
      c.known(where, "weight_bytes", f.weightBytes);
      c.atMost(where, "gemm_flops", f.gemmFlops, f.flops);
    }
}

void checkTotals(const Report &r, InvariantChecker &c) {
  for (const ReportDevice &dev : r.devices) {
    std::string where = "totals on " + dev.spec.name;
    const ReportTotals &t = dev.totals;
    c.each(where, {{"flops", t.flops}, {"bytes", t.bytes}, {"time_s", t.time}},
           /*mustBeKnown=*/true);
    Sum byType;
    unsigned ops = 0;
    for (const auto &[type, part] : dev.byOpType) {
      byType.add(part);
      ops += part.ops;
    }
    byType.check(where + " (by op type)", t, &InvariantChecker::sumsTo, c);
    c.sumsTo(where + " (by op type)", "ops", ops, t.ops);
    c.sumsTo(where, "time_s", t.memoryBoundTime + t.computeBoundTime, t.time);
  }
}

void checkPhaseTotals(const llvm::Twine &where, const PhaseTotals &t,
                      InvariantChecker &c) {
  checkCostAndTime(where, t, /*mustBeKnown=*/false, c);
}

void checkPhase(const std::string &device, const PhaseResult &p,
                InvariantChecker &c) {
  std::string where = p.name + " on " + device;
  // Each op at the phase's sizes (the phase keeps only the first bad one).
  if (!p.invalidOp.empty())
    c.fail(where + ": " + p.invalidOp, "", "");
  checkPhaseTotals(where, p.totals, c);
  checkPhaseTotals(where + " (attention scores fused)", p.fusedScores, c);
  Sum blocks, layers;
  for (auto [kind, b] : llvm::enumerate(p.byBlock)) {
    checkPhaseTotals(
        where + " block " + stringifyBlockKind(static_cast<BlockKind>(kind)), b, c);
    blocks.add(b);
  }
  for (auto [layer, l] : llvm::enumerate(p.byLayer)) {
    checkPhaseTotals(where + " layer " + llvm::Twine(layer), l, c);
    layers.add(l);
  }
  blocks.check(where + " (by block)", p.totals, &InvariantChecker::sumsTo, c);
  layers.check(where + " (layers)", p.totals, &InvariantChecker::atMost, c);
}

void checkTransformer(const Report &r, InvariantChecker &c) {
  if (!r.transformer)
    return;
  for (auto [dev, fig] : llvm::zip_equal(r.devices, r.transformer->perDevice)) {
    std::string where = "transformer on " + dev.spec.name;
    c.nonNegative(where, "kv_cache_bytes_per_token", fig.kvCacheBytesPerToken);
    c.nonNegative(where, "kv_cache_bytes", fig.kvCacheBytes);
    c.nonNegative(where, "weight_bytes", fig.weightBytes);
    if (fig.kvCapacityTokens)
      c.nonNegative(where, "kv_capacity_tokens", *fig.kvCapacityTokens);
    for (const PhaseResult *p : fig.phases())
      checkPhase(dev.spec.name, *p, c);
    if (fig.noCacheStep)
      checkPhaseTotals(where + " step without KV cache",
                       fig.noCacheStep->totals, c);
  }
}

/// The ops' per-device figures at degree `k` sum to the phase's: op time,
/// collective bytes and time, FLOPs and bytes (with no op unknown).
void checkTensorParallelOps(const std::string &phase, const TPOpTable &ops,
                            size_t k, const TPPhaseFigures &p,
                            InvariantChecker &c) {
  double flops = 0, bytes = 0, time = 0, commBytes = 0, commTime = 0;
  for (const TPOpFigures &op : ops.getOps()) {
    const TPOpDegree &o = op.degrees[k];
    commBytes += o.commBytes;
    commTime += o.commTime;
    if (std::isnan(o.time))
      continue;
    std::string where = phase + " op '" + getNodeName(op.op) + "'";
    c.each(where, {{"flops", o.flops}, {"bytes", o.bytes}, {"time_s", o.time}},
           /*mustBeKnown=*/true);
    c.known(where, "collective_time_s", o.commTime);
    flops += o.flops;
    bytes += o.bytes;
    time += o.time;
  }
  std::string sum = phase + " (its ops per device)";
  c.sumsTo(sum, "op_time_s", time, p.opTime);
  c.sumsTo(sum, "comm_bytes", commBytes, p.commBytes);
  c.sumsTo(sum, "comm_time_s", commTime, p.commTime);
  if (p.unknownOps == 0) {
    c.sumsTo(sum, "flops_per_device", flops, p.flops);
    c.sumsTo(sum, "bytes_per_device", bytes, p.bytes);
  }
}

void checkTensorParallel(const Report &r, InvariantChecker &c) {
  if (!r.tensorParallel)
    return;
  for (const TensorParallelFigures &fig : r.tensorParallel->perDevice)
    for (auto [k, d] : llvm::enumerate(fig.degrees)) {
      std::string where =
          "tensor parallel tp=" + std::to_string(d.tp) + " on " + fig.device;
      // A rejected degree's collectives may take forever (no link).
      bool feasible = d.feasibility.feasible;
      auto check = [&](const std::string &w, llvm::StringRef figure, double v) {
        if (feasible)
          c.nonNegative(w, figure, v);
        else
          c.notNegative(w, figure, v);
      };
      check(where, "weights_bytes_per_device", d.weightBytesPerDevice);
      check(where, "kv_bytes_per_token_per_device", d.kvBytesPerTokenPerDevice);
      check(where, "kv_cache_bytes_per_device", d.kvCacheBytesPerDevice);
      for (auto [name, p] :
           {std::pair{"prefill", &d.prefill}, std::pair{"decode", &d.decode}}) {
        if (!*p)
          continue;
        std::string phase = where + " " + name;
        const TPPhaseFigures &f = **p;
        check(phase, "flops_per_device", f.flops);
        check(phase, "bytes_per_device", f.bytes);
        check(phase, "op_time_s", f.opTime);
        check(phase, "comm_bytes", f.commBytes);
        check(phase, "comm_time_s", f.commTime);
        // Per device x degree: the unsharded graph plus what the devices
        // do twice.
        if (f.unknownOps == 0)
          c.sumsTo(phase + " (flops_per_device x tp)", "flops",
                   f.flops * double(d.tp),
                   f.unshardedFlops + f.duplicatedFlops);
        if (feasible)
          checkTensorParallelOps(phase, p == &d.prefill ? fig.prefillOps
                                                        : fig.decodeOps,
                                 k, f, c);
      }
    }
}

void checkTraining(const Report &r, InvariantChecker &c) {
  if (!r.training)
    return;
  llvm::DenseMap<Operation *, llvm::StringRef> names;
  for (const ReportOpRow &row : r.ops)
    names[row.record->op] = row.record->name;
  ArrayRef<BackwardRecord> records = r.training->analysis->getRecords();
  for (auto [dev, t] : llvm::zip_equal(r.devices, r.training->perDevice)) {
    // The ops first, so that a bad total names the op that made it.
    for (auto [rec, b] : llvm::zip(records, t.ops)) {
      std::string where = "op '" + names.lookup(rec.op).str() +
                          "' backward on " + dev.spec.name;
      c.nonNegative(where, "flops", b.flops);
      c.nonNegative(where, "bytes", b.bytes);
      c.nonNegative(where, "time_s", b.time);
    }
    std::string where = "training on " + dev.spec.name;
    c.nonNegative(where, "tokens", t.tokens);
    c.nonNegative(where, "forward_flops", t.forwardFlops);
    c.nonNegative(where, "backward_flops", t.backwardFlops);
    c.nonNegative(where, "forward_bytes", t.forwardBytes);
    c.nonNegative(where, "backward_bytes", t.backwardBytes);
    c.nonNegative(where, "forward_time_s", t.forwardTime);
    c.nonNegative(where, "backward_time_s", t.backwardTime);
    c.nonNegative(where, "optimizer_time_s", t.optimizerTime);
    c.nonNegative(where, "activation_bytes", t.activationBytes);
    c.nonNegative(where, "model_state_bytes", t.modelStateBytes);
    for (auto [layer, l] : llvm::enumerate(t.byLayer)) {
      std::string w = where + " layer " + std::to_string(layer);
      c.nonNegative(w, "forward_flops", l.forwardFlops);
      c.nonNegative(w, "backward_flops", l.backwardFlops);
      c.nonNegative(w, "activation_bytes", l.activationBytes);
    }
  }
}

/// The parallel training step: each layer's collectives split into the
/// forward's and the backward's.
void checkParallelTraining(const Report &r, InvariantChecker &c) {
  if (!r.training || !r.training->parallel)
    return;
  for (const ParallelTrainingFigures &dev :
       r.training->parallel->getPerDevice())
    for (const ParallelStepFigures &step : dev.degrees)
      for (auto [layer, l] : llvm::enumerate(step.byLayer)) {
        std::string w = "parallel training on " + dev.device + " at tp " +
                        std::to_string(step.tp) + " layer " +
                        std::to_string(layer);
        c.nonNegative(w, "forward_comm_time_s", l.forwardCommTime);
        c.nonNegative(w, "backward_comm_time_s", l.backwardCommTime);
        c.sumsTo(w, "comm_time_s", l.forwardCommTime + l.backwardCommTime,
                 l.commTime);
      }
}

/// Formulas against the numbers: an op's formula that is a number is its
/// figure; the sweep's totals at each point are the total formulas there.
void checkFormulas(const Report &r, InvariantChecker &c) {
  if (!r.symbolic || !r.symbolic->costs)
    return;
  const SymbolicCosts &costs = *r.symbolic->costs;
  for (auto [row, sym] : llvm::zip_equal(r.ops, costs.getOps())) {
    if (!sym.known || !sym.flops.isConstant() || row.figures.empty() ||
        !row.figures.front().problem.empty())
      continue;
    c.sumsTo("op '" + row.record->name + "' (formula)", "flops",
             int128ToDouble(sym.flops.getConstant()),
             row.figures.front().flops);
  }
  const SweepResult *sweep = r.symbolic->sweep;
  if (!sweep || sweep->hasTensorParallel || costs.getUnknownOps())
    return;
  const FormulaTotals &totals = costs.getTotals();
  for (const SweepRow &row : sweep->rows) {
    ArrayRef<int64_t> point = sweep->point(row);
    auto lookup = [&](llvm::StringRef symbol) -> std::optional<double> {
      for (auto [i, v] : llvm::enumerate(point))
        if (sweep->numericAxis(i).symbol == symbol)
          return double(v);
      return std::nullopt;
    };
    double flops = totals.flops.evaluateDouble(lookup);
    if (std::isnan(flops) || row.unknownOps)
      continue;
    c.nonNegative("sweep point " + std::to_string(row.pointIndex), "flops",
                  row.flops);
    c.sumsTo("sweep point " + std::to_string(row.pointIndex) +
                 " (the total formula there)",
             "flops", row.flops, flops);
    if (c.failed())
      return;
  }
}

/// Signed figures: differences and savings may be negative.
bool isSignedFigure(llvm::StringRef key) {
  return llvm::StringSwitch<bool>(key)
      .Cases({"delta", "delta_s", "saving", "savings", "change"}, true)
      .StartsWith("delta_", true)
      .EndsWith("_delta", true)
      .EndsWith("_saving", true)
      .Default(false);
}

/// Every number of the JSON report; `where` is the path, and the nearest
/// object's `name` or `op` says which op it belongs to.
void checkJSONNumbers(const llvm::json::Value &v, const std::string &path,
                      llvm::StringRef owner, InvariantChecker &c) {
  if (c.failed())
    return;
  if (const llvm::json::Object *o = v.getAsObject()) {
    std::string name = owner.str();
    for (llvm::StringRef key : {"name", "op"})
      if (std::optional<llvm::StringRef> s = o->getString(key)) {
        name = s->str();
        break;
      }
    for (const auto &[key, child] : *o) {
      if (isSignedFigure(key))
        continue;
      checkJSONNumbers(child, path + "." + key.str(), name, c);
    }
    return;
  }
  if (const llvm::json::Array *a = v.getAsArray()) {
    for (auto [i, child] : llvm::enumerate(*a))
      checkJSONNumbers(child, path + "[" + std::to_string(i) + "]", owner, c);
    return;
  }
  if (std::optional<double> n = v.getAsNumber()) {
    std::string where =
        owner.empty() ? std::string("the report") : "'" + owner.str() + "'";
    c.nonNegative(where, path.substr(1), *n);
  }
}

void checkJSON(const Report &r, InvariantChecker &c) {
  std::string text;
  llvm::raw_string_ostream os(text);
  printJSONReport(r, os);
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(text);
  if (!parsed) {
    c.fail("the JSON report", "(any)",
           "does not parse: " + llvm::toString(parsed.takeError()));
    return;
  }
  checkJSONNumbers(*parsed, "", "", c);
}
} // namespace

LogicalResult mlir::tfperf::checkReportInvariants(const Report &r,
                                                  std::string &violation) {
  InvariantChecker c;
  checkOps(r, c);
  checkTotals(r, c);
  checkTransformer(r, c);
  checkTensorParallel(r, c);
  checkTraining(r, c);
  checkParallelTraining(r, c);
  checkFormulas(r, c);
  if (!c.failed())
    checkJSON(r, c);
  if (!c.failed())
    return success();
  violation = "internal error: " + c.take() +
              " (a bug of tfperf: no report was written)";
  return failure();
}
