//===- SymbolicReport.cpp - the symbolic section of the reports -----------===//
//
// Formulas print exactly: JSON carries SymExpr's parseable text
// (`3072*batch*seq^2 + 4718592*batch*seq`); the tables print them as
// `3072·batch·seq²`, and per layer also in base d_model
// (`4·d·batch·seq² + 60·batch·seq² + 8·d²·batch·seq + ...`), which is where
// the textbook `8·s·d² + 4·s²·d` shows.
//
//===----------------------------------------------------------------------===//

#include "SymbolicReport.h"
#include "Quoting.h"

#include "tfperf/Report/SweepTable.h"
#include "tfperf/Support/FormulaPrinter.h"

#include "mlir/IR/BuiltinOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tfperf;

//===----------------------------------------------------------------------===//
// Building
//===----------------------------------------------------------------------===//

const SweepRow &SymbolicSection::row(ArrayRef<size_t> index,
                                     unsigned device) const {
  size_t flat = 0;
  for (size_t i = 0; i < index.size(); ++i)
    flat = flat * sweep->numericAxis(i).values.size() + index[i];
  return sweep->rows[flat * sweep->devices.size() + device];
}

/// The x axis of the chart: the sequence when it varies, else kv_len, else
/// the first numeric axis that varies. The series axis: the tp axis when it
/// varies, else the first other numeric axis that varies.
static void chooseAxes(SymbolicSection &s) {
  const SweepResult &r = *s.sweep;
  const SymbolRoles &roles = s.costs->getRoles();
  auto varies = [&](size_t i) { return r.numericAxis(i).values.size() > 1; };
  for (size_t i = 0; i < r.numericAxes.size() && s.xAxis < 0; ++i)
    if (varies(i) && r.numericAxis(i).kind == SweepAxis::Kind::Symbol &&
        r.numericAxis(i).symbol == roles.seq)
      s.xAxis = i;
  for (size_t i = 0; i < r.numericAxes.size() && s.xAxis < 0; ++i)
    if (varies(i) && r.numericAxis(i).kind == SweepAxis::Kind::KvLen)
      s.xAxis = i;
  for (size_t i = 0; i < r.numericAxes.size() && s.xAxis < 0; ++i)
    if (varies(i))
      s.xAxis = i;
  // Swept tensor-parallel degrees make the series when they can: comparing
  // them is why they were swept.
  for (size_t i = 0; i < r.numericAxes.size() && s.seriesAxis < 0; ++i)
    if (varies(i) && (int)i != s.xAxis &&
        r.numericAxis(i).kind == SweepAxis::Kind::TensorParallel)
      s.seriesAxis = i;
  for (size_t i = 0; i < r.numericAxes.size() && s.seriesAxis < 0; ++i)
    if (varies(i) && (int)i != s.xAxis)
      s.seriesAxis = i;
}

/// Where attention time overtakes MLP time along x, interpolated between
/// the sweep's points (in log x for geometric axes).
static void findTimeCrossovers(SymbolicSection &s) {
  const SweepResult &r = *s.sweep;
  s.timeCrossover.assign(r.devices.size(), std::nullopt);
  if (s.xAxis < 0 || !r.hasBlocks)
    return;
  std::vector<size_t> index(r.numericAxes.size(), 0);
  const std::vector<int64_t> &xs = r.numericAxis(s.xAxis).values;
  for (unsigned d = 0; d < r.devices.size(); ++d) {
    double prevX = 0, prevDiff = 0;
    for (size_t k = 0; k < xs.size(); ++k) {
      index[s.xAxis] = k;
      const SweepRow &row = s.row(index, d);
      if (!(row.mlpTime > 0))
        break;
      double diff = std::log(row.attentionTime / row.mlpTime);
      if (k > 0 && prevDiff < 0 && diff >= 0) {
        double t = prevDiff / (prevDiff - diff);
        bool logX = prevX > 0;
        s.timeCrossover[d] =
            logX ? std::exp(std::log(prevX) + t * (std::log(xs[k]) -
                                                   std::log(prevX)))
                 : prevX + t * (xs[k] - prevX);
        break;
      }
      if (k == 0 && diff >= 0)
        break; // attention already takes longer at the first point
      prevX = xs[k];
      prevDiff = diff;
    }
  }
}

bool mlir::tfperf::buildSymbolicSection(AnalysisManager &am, Report &r,
                                        std::string &error) {
  auto s = std::make_shared<SymbolicSection>();
  const SymbolicCostsAnalysis &symbolic =
      am.getAnalysis<SymbolicCostsAnalysis>();
  if (!symbolic.getCosts()) {
    error = symbolic.getError();
    return false;
  }
  s->costs = symbolic.getCosts();
  if (!r.config.getSymbolic().getSweep().empty()) {
    const SweepAnalysis &sweep = am.getAnalysis<SweepAnalysis>();
    if (!sweep.getResult()) {
      error = sweep.getError();
      return false;
    }
    s->sweep = sweep.getResult();
    chooseAxes(*s);
    findTimeCrossovers(*s);
  }
  r.symbolic = std::move(s);
  return true;
}

//===----------------------------------------------------------------------===//
// Tables
//===----------------------------------------------------------------------===//

namespace {
FormulaStyle pretty() { return FormulaStyle(); }

/// d_model as the base of the d-form; toy widths (d = 4) would only turn
/// every coefficient into digits.
std::optional<int64_t> dBase(const SymbolicCosts &c) {
  if (c.getDModel() && *c.getDModel() >= 16)
    return c.getDModel();
  return std::nullopt;
}

FormulaStyle inD(int64_t d) {
  FormulaStyle st;
  st.baseD = d;
  return st;
}

std::string shorten(const std::string &s, size_t n = 72) {
  // Count code points so that `·` and superscripts are not cut in half.
  size_t points = 0, cut = std::string::npos;
  for (size_t i = 0; i < s.size(); ++i)
    if (((unsigned char)s[i] & 0xC0) != 0x80 && ++points == n)
      cut = i;
  return cut == std::string::npos ? s : s.substr(0, cut) + "\u2026";
}

/// "0-11", "0, 2, 4-7".
std::string layerRanges(const std::vector<int> &layers) {
  std::string s;
  for (size_t i = 0; i < layers.size();) {
    size_t j = i;
    while (j + 1 < layers.size() && layers[j + 1] == layers[j] + 1)
      ++j;
    s += (s.empty() ? "" : ", ") + std::to_string(layers[i]);
    if (j > i)
      s += "-" + std::to_string(layers[j]);
    i = j + 1;
  }
  return s;
}

std::string ratioToD(double v, int64_t d) {
  char buf[64];
  snprintf(buf, sizeof(buf), "%.4g\u00b7d", v / d);
  return buf;
}

std::string fixed(double v, int digits) {
  char buf[64];
  snprintf(buf, sizeof(buf), "%.*f", digits, v);
  return buf;
}

/// The rows of the layer table, in a fixed order: attention (projections
/// and scores), MLP, norms, then the rest.
std::vector<std::pair<std::string, FormulaTotals>>
blockRows(const LayerFormulas &l) {
  std::vector<std::pair<std::string, FormulaTotals>> rows;
  auto add = [&](std::string name, const FormulaTotals &t) {
    if (t.ops)
      rows.push_back({std::move(name), t});
  };
  add("attention", l.attention());
  for (BlockKind k : {BlockKind::MLP, BlockKind::Norm, BlockKind::Embedding,
                      BlockKind::Head, BlockKind::Other})
    add(stringifyBlockKind(k).str(), l.byBlock[(unsigned)k]);
  return rows;
}

SummaryTable symbolsTable(const SymbolicSection &s) {
  const SymbolicCosts &c = *s.costs;
  SummaryTable t;
  t.id = "symbolic-symbols";
  t.title = "Symbols (the graph's dim_params)";
  if (c.getSymbols().empty()) {
    t.notes.push_back("none: every dim is static (a static export, or "
                      "--bind-dims bound them), so every formula is a number");
    return t;
  }
  t.header = {"symbol", "role", "inputs"};
  t.firstNumeric = 3;
  for (const std::string &name : c.getSymbols()) {
    std::string role = c.getRoles().roleOf(name).str(), inputs;
    for (const SymbolUse &u : c.getSymbolUses())
      if (u.name == name)
        for (size_t i = 0; i < u.uses.size(); ++i) {
          if (i == 4) {
            inputs += ", \u2026";
            break;
          }
          inputs += (inputs.empty() ? "" : ", ") + u.uses[i];
        }
    t.rows.push_back({name, role, inputs.empty() ? "-" : inputs});
  }
  return t;
}

SummaryTable dimsTable(const SymbolicSection &s) {
  SummaryTable t;
  t.id = "symbolic-dims";
  t.title = "Symbolic dims (each ? of the types, spelled out)";
  t.header = {"dim", "values"};
  ArrayRef<SymbolicDim> dims = s.costs->getDims();
  size_t shown = std::min<size_t>(dims.size(), 12);
  for (size_t i = 0; i < shown; ++i)
    t.rows.push_back({shorten(formatFormula(dims[i].dim, pretty())),
                      std::to_string(dims[i].values)});
  if (dims.size() > shown)
    t.notes.push_back(std::to_string(dims.size() - shown) +
                      " more dims (the JSON report lists them all)");
  return t;
}

SummaryTable totalsTable(const SymbolicSection &s) {
  const SymbolicCosts &c = *s.costs;
  SummaryTable t;
  t.id = "symbolic-totals";
  t.namesAreCode = false;
  t.firstNumeric = 2;
  unsigned withFormulas = 0;
  for (const SymbolicGroup &g : c.getGroups())
    withFormulas += g.count;
  t.title = "Cost formulas (exact; " + std::to_string(withFormulas) +
            " ops in " + std::to_string(c.getGroups().size()) +
            " groups of identical formulas)";
  t.header = {"total", "formula"};
  const FormulaTotals &tot = c.getTotals();
  t.rows.push_back({"FLOPs", formatFormula(tot.flops, pretty())});
  t.rows.push_back({"GEMM FLOPs", formatFormula(tot.gemmFlops, pretty())});
  t.rows.push_back({"bytes", formatBytesFormula(tot.bits, pretty())});
  if (c.getUnknownOps())
    t.notes.push_back(std::to_string(c.getUnknownOps()) +
                      " ops of unknown cost are not in the formulas");
  // Below a floor some dim of the graph is negative: no graph has that size.
  for (const SymbolFloor &f : c.getFloors())
    t.notes.push_back("the formulas hold for " + f.symbol +
                      " \u2265 " + std::to_string(f.min) +
                      ": below it the graph's dim " +
                      formatFormula(f.dim, pretty()) + " is negative");
  if (!c.getSymbols().empty())
    t.notes.push_back("ops whose cost depends on the symbols count as "
                      "unknown in the tables of numbers; they are in these "
                      "formulas (--bind-dims or --sweep gives numbers)");
  return t;
}

SummaryTable layerTable(const SymbolicSection &s) {
  const SymbolicCosts &c = *s.costs;
  std::optional<int64_t> d = dBase(c);
  SummaryTable t;
  t.id = "symbolic-layers";
  t.namesAreCode = false;
  t.title = "Formulas per layer and block";
  if (d)
    t.title += " (d = d_model = " + std::to_string(*d) + ")";
  t.header = {"layers", "block", "FLOPs"};
  if (d)
    t.header.insert(t.header.end(), {"FLOPs in d", "GEMM FLOPs in d"});
  else
    t.header.push_back("GEMM FLOPs");
  t.header.push_back("bytes");
  t.firstNumeric = t.header.size();
  for (const LayerFormulas &l : c.getLayers()) {
    std::string label =
        l.layers.empty() ? "outside layers" : layerRanges(l.layers);
    bool first = true;
    for (auto &[name, tot] : blockRows(l)) {
      std::vector<std::string> row = {first ? label : "", name,
                                      formatFormula(tot.flops, pretty())};
      if (d) {
        row.push_back(formatFormula(tot.flops, inD(*d)));
        row.push_back(formatFormula(tot.gemmFlops, inD(*d)));
      } else {
        row.push_back(formatFormula(tot.gemmFlops, pretty()));
      }
      row.push_back(formatBytesFormula(tot.bits, pretty()));
      t.rows.push_back(std::move(row));
      first = false;
    }
  }
  if (c.getLayers().size() >= 1 && !c.getLayers().front().layers.empty() &&
      c.getLayers().front().layers.size() > 1)
    t.notes.push_back("a row of several layers gives the formulas of each "
                      "of them (they are identical)");
  return t;
}

SummaryTable crossoverTable(const SymbolicSection &s) {
  const SymbolicCosts &c = *s.costs;
  const FormulaCrossover &x = c.getCrossover();
  std::optional<int64_t> d = dBase(c);
  SummaryTable t;
  t.id = "symbolic-crossover";
  t.title = "Attention vs MLP, from the formulas";
  auto both = [&](const SymExpr &e) {
    std::string text = formatFormula(e, pretty());
    if (d) {
      std::string inBase = formatFormula(e, inD(*d));
      if (inBase != text)
        text += " (= " + inBase + ")";
    }
    return text;
  };
  if (x.attentionPerToken.isKnown() && x.mlpPerToken.isKnown())
    t.notes.push_back("GEMM FLOPs per token of one layer: attention " +
                      both(x.attentionPerToken) + ", MLP " +
                      both(x.mlpPerToken));
  else if (x.attention.isKnown())
    t.notes.push_back("GEMM FLOPs of one layer: attention " +
                      both(x.attention) + ", MLP " + both(x.mlp));
  if (x.value) {
    std::string line = "attention exceeds the MLP beyond " + x.symbol + " = " +
                       fixed(*x.value, *x.value == std::floor(*x.value) ? 0 : 1);
    if (d)
      line += " (= " + ratioToD(*x.value, *d) + ")";
    line += ", solved from the formulas at batch 1";
    if (!c.getRoles().past.empty())
      line += ", " + c.getRoles().past + " = 0";
    t.notes.push_back(line);
  }
  if (!x.note.empty())
    t.notes.push_back("note: " + x.note);
  return t;
}

SummaryTable opFormulasTable(const SymbolicSection &s,
                             const TextReportOptions &opts) {
  const SymbolicCosts &c = *s.costs;
  // Largest first, at every symbol = 1000 (a neutral scale).
  auto at1000 = [](const SymExpr &e) {
    return e.evaluateDouble(
        [](llvm::StringRef) -> std::optional<double> { return 1000.0; });
  };
  std::vector<size_t> order;
  for (size_t g = 0; g < c.getGroups().size(); ++g)
    if (!c.getGroups()[g].flops.isConstant() ||
        !c.getGroups()[g].bits.isConstant())
      order.push_back(g);
  std::vector<double> weight(c.getGroups().size());
  for (size_t g : order)
    weight[g] = at1000(c.getGroups()[g].flops) * c.getGroups()[g].count;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return weight[a] > weight[b]; });
  SummaryTable t;
  t.id = "symbolic-ops";
  size_t shown = std::min<size_t>(order.size(), opts.top);
  t.title = "Distinct op formulas (" + std::to_string(shown) + " of " +
            std::to_string(order.size()) + " that depend on symbols)";
  t.header = {"op", "example node", "block", "ops", "FLOPs", "bytes"};
  t.firstNumeric = 3;
  for (size_t k = 0; k < shown; ++k) {
    const SymbolicGroup &g = c.getGroups()[order[k]];
    const SymbolicOpCost &op = c.getOps()[g.firstOp];
    std::string name = truncateName(op.record->name, 40);
    t.rows.push_back({op.record->opType, name,
                      stringifyBlockKind(g.block).str(), std::to_string(g.count),
                      formatFormula(g.flops, pretty()),
                      formatBytesFormula(g.bits, pretty())});
  }
  if (!order.empty())
    t.notes.push_back("largest FLOPs first, with every symbol at 1000; the "
                      "JSON report has every op's formula");
  return t;
}

SummaryTable sweepTable(const SymbolicSection &s) {
  const SweepResult &w = *s.sweep;
  SummaryTable t;
  t.id = "sweep";
  uint64_t points = w.rows.size() / std::max<size_t>(w.devices.size(), 1);
  std::string ms = formatTime(w.seconds);
  t.title = "Sweep: " + std::to_string(points) + " points x " +
            std::to_string(w.devices.size()) + " devices, " +
            std::to_string(w.groups) + " distinct op formulas, evaluated in " +
            ms;
  for (size_t i = 0; i < w.numericAxes.size(); ++i)
    t.header.push_back(w.numericAxis(i).name);
  t.header.push_back("hw");
  t.firstNumeric = t.header.size();
  t.header.insert(t.header.end(), {"FLOPs", "bytes", "time", "memory-bound"});
  if (w.hasTensorParallel)
    t.header.push_back("collectives");
  if (w.hasBlocks)
    t.header.insert(t.header.end(), {"attention", "MLP"});
  if (!w.seqSymbol.empty())
    t.header.push_back("tokens/s");
  // Along x (at most 16 values, evenly picked), the other axes at their
  // first value, each device.
  std::vector<size_t> index(w.numericAxes.size(), 0);
  std::vector<size_t> xs = {0};
  if (s.xAxis >= 0) {
    size_t n = w.numericAxis(s.xAxis).values.size();
    size_t want = std::min<size_t>(n, 16);
    xs.clear();
    for (size_t k = 0; k < want; ++k)
      xs.push_back(want == 1 ? 0 : k * (n - 1) / (want - 1));
  }
  // Every tp degree: the point of sweeping it is comparing them.
  int tpAxis = -1;
  for (size_t i = 0; i < w.numericAxes.size(); ++i)
    if (w.numericAxis(i).kind == SweepAxis::Kind::TensorParallel &&
        (int)i != s.xAxis)
      tpAxis = i;
  size_t tps = tpAxis >= 0 ? w.numericAxis(tpAxis).values.size() : 1;
  for (unsigned d = 0; d < w.devices.size(); ++d)
    for (size_t tpIndex = 0; tpIndex < tps; ++tpIndex)
    for (size_t k : xs) {
      if (s.xAxis >= 0)
        index[s.xAxis] = k;
      if (tpAxis >= 0)
        index[tpAxis] = tpIndex;
      const SweepRow &row = s.row(index, d);
      std::vector<std::string> cells;
      for (int64_t v : w.point(row))
        cells.push_back(std::to_string(v));
      cells.push_back(w.devices[d].name);
      if (row.noGraph) {
        // Not counts: the graph has no shape at this point.
        cells.push_back("no graph");
        cells.resize(t.header.size(), "-");
        t.rows.push_back(std::move(cells));
        continue;
      }
      cells.push_back(formatFlops(row.flops));
      cells.push_back(formatBytes(row.bytes));
      cells.push_back(formatTime(row.time));
      cells.push_back(row.time > 0
                          ? fixed(100 * row.memoryBoundTime / row.time, 1) + "%"
                          : "-");
      if (w.hasTensorParallel)
        cells.push_back(row.commBytes > 0 ? formatBytes(row.commBytes) +
                                                " in " +
                                                formatTime(row.commTime)
                                          : "-");
      if (w.hasBlocks) {
        cells.push_back(formatTime(row.attentionTime));
        cells.push_back(formatTime(row.mlpTime));
      }
      if (!w.seqSymbol.empty()) {
        double tps = w.tokensPerSecond(row);
        cells.push_back(std::isnan(tps) ? "-" : fixed(tps, 0));
      }
      t.rows.push_back(std::move(cells));
    }
  if (w.kernelPriced)
    t.notes.push_back(
        "time: the " + timeModelName(w.timing.model).str() +
        " time model of the " + kernelViewName(w.timing.view).str() +
        " kernels at each point's dims (the graph re-costed there; "
        "--time-model, --kernels); FLOPs and bytes are the formulas' exact "
        "counts, roofline_time_s of --sweep-out their per-op roofline bound");
  if (!w.unpricedReason.empty())
    t.notes.push_back("time: " + w.unpricedReason);
  if (w.hasTensorParallel)
    t.notes.push_back("with tp: FLOPs, bytes and time per device; time "
                      "includes the collectives (ring all-reduce/all-gather "
                      "over the device's link, not overlapped)");
  if (s.xAxis >= 0 && (w.numericAxes.size() > 1 || xs.size() < points))
    t.notes.push_back("rows along " + w.numericAxis(s.xAxis).name +
                      (tpAxis >= 0 ? " for each tp" : "") +
                      (w.numericAxes.size() > (tpAxis >= 0 ? 2u : 1u)
                           ? ", the other axes at their first value"
                           : "") +
                      "; --sweep-out=FILE.csv|.json writes every point");
  for (unsigned d = 0; d < w.devices.size(); ++d) {
    if (s.timeCrossover[d])
      t.notes.push_back("on " + w.devices[d].name + ", attention takes longer "
                        "than the MLPs beyond " +
                        w.numericAxis(s.xAxis).name + " \u2248 " +
                        fixed(*s.timeCrossover[d], 0));
  }
  const FormulaCrossover &x = s.costs->getCrossover();
  if (x.value && s.xAxis >= 0 &&
      w.numericAxis(s.xAxis).symbol == s.costs->getRoles().seq &&
      w.numericAxis(s.xAxis).kind == SweepAxis::Kind::Symbol)
    t.notes.push_back("(in FLOPs the crossover is at " + x.symbol + " = " +
                      fixed(*x.value, 0) + ")");
  // Unknown ops per point: the same everywhere unless a formula goes below
  // zero at some points (its op's shape does not exist there).
  unsigned fewest = ~0u, most = 0;
  bool noGraph = false;
  for (const SweepRow &row : w.rows) {
    noGraph |= row.noGraph;
    if (row.noGraph)
      continue;
    fewest = std::min(fewest, row.unknownOps);
    most = std::max(most, row.unknownOps);
  }
  if (most && fewest == most)
    t.notes.push_back(std::to_string(most) +
                      " ops of unknown cost are left out of every point");
  else if (most)
    t.notes.push_back(std::to_string(fewest) + " to " + std::to_string(most) +
                      " ops of unknown cost are left out of a point (those "
                      "whose shape does not exist there among them; "
                      "unknown_ops of --sweep-out gives each point's)");
  if (noGraph)
    t.notes.push_back("no graph: a dim of the graph is below zero at that "
                      "point (binding it there is an error); its ops are all "
                      "unknown");
  return t;
}
} // namespace

void mlir::tfperf::appendSymbolicTables(const Report &r,
                                        const TextReportOptions &opts,
                                        std::vector<SummaryTable> &tables) {
  if (!r.symbolic)
    return;
  const SymbolicSection &s = *r.symbolic;
  tables.push_back(symbolsTable(s));
  if (!s.costs->getDims().empty())
    tables.push_back(dimsTable(s));
  tables.push_back(totalsTable(s));
  // Without symbols every formula is a number the other tables show.
  if (s.costs->getSymbols().empty()) {
    if (s.sweep)
      tables.push_back(sweepTable(s));
    return;
  }
  if (!s.costs->getLayers().empty())
    tables.push_back(layerTable(s));
  if (SummaryTable x = crossoverTable(s); !x.notes.empty())
    tables.push_back(std::move(x));
  tables.push_back(opFormulasTable(s, opts));
  if (s.sweep)
    tables.push_back(sweepTable(s));
}

//===----------------------------------------------------------------------===//
// JSON
//===----------------------------------------------------------------------===//

namespace {
void formulas(llvm::json::OStream &j, const SymExpr &flops,
              const SymExpr &gemm, const SymExpr &bits) {
  FormulaStyle exact;
  exact.unicode = false;
  j.attribute("flops", flops.str());
  j.attribute("gemm_flops", gemm.str());
  j.attribute("bytes", formatBytesFormula(bits, exact));
}

void totalsJSON(llvm::json::OStream &j, const FormulaTotals &t) {
  formulas(j, t.flops, t.gemmFlops, t.bits);
  j.attribute("ops", (int64_t)t.ops);
}

llvm::StringRef axisKind(SweepAxis::Kind k) {
  switch (k) {
  case SweepAxis::Kind::Symbol:
    return "symbol";
  case SweepAxis::Kind::KvLen:
    return "kv_len";
  case SweepAxis::Kind::Hardware:
    return "hw";
  case SweepAxis::Kind::TensorParallel:
    return "tp";
  }
  return "symbol";
}
} // namespace

void mlir::tfperf::printFormulaJSON(const Report &r, int index,
                                    llvm::json::OStream &j) {
  if (!r.symbolic)
    return;
  const SymbolicCosts &c = *r.symbolic->costs;
  if (index < 0) {
    const FormulaTotals &t = c.getTotals();
    j.attributeObject("formula",
                      [&] { formulas(j, t.flops, t.gemmFlops, t.bits); });
    return;
  }
  const SymbolicOpCost &op = c.getOps()[index];
  if (!op.known)
    return;
  j.attributeObject("formula",
                    [&] { formulas(j, op.flops, op.gemmFlops, op.bits); });
}

void mlir::tfperf::printSymbolicJSON(const Report &r, llvm::json::OStream &j) {
  if (!r.symbolic)
    return;
  const SymbolicSection &s = *r.symbolic;
  const SymbolicCosts &c = *s.costs;
  j.attributeObject("symbolic", [&] {
    j.attributeArray("symbols", [&] {
      for (const std::string &name : c.getSymbols())
        j.object([&] {
          j.attribute("name", name);
          j.attribute("role", c.getRoles().roleOf(name));
          j.attributeArray("inputs", [&] {
            for (const SymbolUse &u : c.getSymbolUses())
              if (u.name == name)
                for (const std::string &use : u.uses)
                  j.value(use);
          });
        });
    });
    j.attributeArray("dims", [&] {
      for (const SymbolicDim &d : c.getDims())
        j.object([&] {
          j.attribute("dim", d.dim.str());
          j.attribute("values", (int64_t)d.values);
        });
    });
    j.attributeArray("floors", [&] {
      for (const SymbolFloor &f : c.getFloors())
        j.object([&] {
          j.attribute("symbol", f.symbol);
          j.attribute("min", f.min);
          j.attribute("dim", f.dim.str());
        });
    });
    j.attributeObject("totals", [&] {
      totalsJSON(j, c.getTotals());
      j.attribute("unknown_ops", (int64_t)c.getUnknownOps());
    });
    j.attribute("groups", (int64_t)c.getGroups().size());
    if (c.getDModel())
      j.attribute("d_model", *c.getDModel());
    else
      j.attribute("d_model", nullptr);
    j.attributeArray("layers", [&] {
      for (const LayerFormulas &l : c.getLayers())
        j.object([&] {
          j.attributeArray("layers", [&] {
            for (int k : l.layers)
              j.value((int64_t)k);
          });
          j.attributeObject("blocks", [&] {
            for (unsigned k = 0; k < kNumBlockKinds; ++k)
              if (l.byBlock[k].ops)
                j.attributeObject(stringifyBlockKind((BlockKind)k), [&] {
                  totalsJSON(j, l.byBlock[k]);
                });
          });
          FormulaTotals a = l.attention();
          if (a.ops)
            j.attributeObject("attention_total", [&] { totalsJSON(j, a); });
        });
    });
    const FormulaCrossover &x = c.getCrossover();
    if (!x.attention.isKnown()) {
      j.attribute("crossover", nullptr);
    } else {
      j.attributeObject("crossover", [&] {
        j.attribute("symbol", x.symbol);
        j.attribute("attention_gemm_flops", x.attention.str());
        j.attribute("mlp_gemm_flops", x.mlp.str());
        auto perToken = [&](llvm::StringRef key, const SymExpr &e) {
          if (e.isKnown())
            j.attribute(key, e.str());
          else
            j.attribute(key, nullptr);
        };
        perToken("attention_per_token", x.attentionPerToken);
        perToken("mlp_per_token", x.mlpPerToken);
        jsonNumber(j, "value", x.value);
        if (!x.note.empty())
          j.attribute("note", x.note);
      });
    }
    if (!s.sweep)
      return;
    const SweepResult &w = *s.sweep;
    j.attributeObject("sweep", [&] {
      j.attribute("spec", w.spec.text);
      if (w.kernelPriced) {
        j.attribute("time_model", timeModelName(w.timing.model));
        j.attribute("kernels", kernelViewName(w.timing.view));
      }
      if (!w.unpricedReason.empty()) {
        j.attribute("time_model", timeModelName(TimeModelKind::Roofline));
        j.attribute("kernels", kernelViewName(KernelView::Exported));
      }
      j.attributeArray("axes", [&] {
        for (const SweepAxis &a : w.spec.axes)
          j.object([&] {
            j.attribute("name", a.name);
            j.attribute("kind", axisKind(a.kind));
            if (a.kind == SweepAxis::Kind::Hardware) {
              j.attributeArray("values", [&] {
                for (const DeviceSpec &d : a.devices)
                  j.value(d.name);
              });
              return;
            }
            if (!a.symbol.empty())
              j.attribute("symbol", a.symbol);
            j.attributeArray("values", [&] {
              for (int64_t v : a.values)
                j.value(v);
            });
          });
      });
      j.attributeArray("devices", [&] {
        for (const DeviceSpec &d : w.devices)
          j.value(d.name);
      });
      j.attribute("points", (int64_t)(w.rows.size() /
                                      std::max<size_t>(w.devices.size(), 1)));
      j.attribute("groups", (int64_t)w.groups);
      j.attributeObject("time_crossover", [&] {
        for (unsigned d = 0; d < w.devices.size(); ++d)
          jsonNumber(j, w.devices[d].name, s.timeCrossover[d]);
      });
      j.attributeArray("rows", [&] {
        for (const SweepRow &row : w.rows)
          j.object([&] {
            for (size_t i = 0; i < w.numericAxes.size(); ++i)
              j.attribute(w.numericAxis(i).name, w.point(row)[i]);
            j.attribute("hw", w.devices[row.device].name);
            for (auto &[name, v] : sweepRowFigures(w, row))
              jsonNumber(j, name, v);
          });
      });
    });
  });
}
