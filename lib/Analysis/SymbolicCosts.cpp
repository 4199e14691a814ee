//===- SymbolicCosts.cpp - costs as formulas in the graph's dims ----------===//

#include "tfperf/Analysis/SymbolicCosts.h"
#include "tfperf/Analysis/PhaseAnalysis.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfAttrs.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringMap.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tfperf;

void FormulaTotals::add(const SymbolicOpCost &op) {
  flops = flops + op.flops;
  gemmFlops = gemmFlops + op.gemmFlops;
  bits = bits + op.bits;
  ++ops;
}

FormulaTotals LayerFormulas::attention() const {
  FormulaTotals t = byBlock[(unsigned)BlockKind::Attention];
  const FormulaTotals &s = byBlock[(unsigned)BlockKind::AttentionScores];
  t.flops = t.flops + s.flops;
  t.gemmFlops = t.gemmFlops + s.gemmFlops;
  t.bits = t.bits + s.bits;
  t.ops += s.ops;
  return t;
}


std::string SymbolicSplit::key() const {
  std::string k = std::to_string(units);
  for (const ShardedBits &b : bits)
    k += "|" + std::to_string(b.units) + ":" + b.bits.str();
  for (const CollectiveBits &c : collectives)
    k += "|" + stringifyCollective(c.kind).str() + ":" + c.bits.str();
  return k;
}

/// The op's accesses by the units the plan splits them into, and its
/// collectives' payloads (TensorParallelAccumulator::visit, as formulas).
static SymbolicSplit splitOf(const OpCostRecord &rec, const OpSplit *sp,
                             const DtypePolicy &policy) {
  SymbolicSplit out;
  out.units = sp ? sp->units : 1;
  auto add = [&](const TensorAccess &a, int64_t units) {
    SymExpr bits = a.elements * SymExpr((int64_t)policy.bitsOf(a.value));
    for (ShardedBits &b : out.bits)
      if (b.units == units) {
        b.bits = b.bits + bits;
        return;
      }
    out.bits.push_back({units, bits});
  };
  for (const TensorAccess &a : rec.cost.reads)
    add(a, sp ? sp->readUnits(rec.op, a.value) : 1);
  for (const TensorAccess &a : rec.cost.writes)
    add(a, sp ? sp->writeUnits(rec.op, a.value) : 1);
  llvm::sort(out.bits, [](const ShardedBits &a, const ShardedBits &b) {
    return a.units < b.units;
  });
  if (sp)
    for (auto [res, kind] : sp->collectives) {
      SymExpr bits(0);
      for (const TensorAccess &a : rec.cost.writes)
        if (a.value == rec.op->getResult(res))
          bits = a.elements * SymExpr((int64_t)policy.bitsOf(a.value));
      out.collectives.push_back({kind, bits});
    }
  return out;
}

std::vector<SymbolUse> mlir::tfperf::collectSymbolUses(func::FuncOp func) {
  std::vector<SymbolUse> uses;
  for (BlockArgument arg : func.getArguments()) {
    auto d = getSymbolicDims(arg.getType());
    if (!d)
      continue;
    std::string argName = "arg" + std::to_string(arg.getArgNumber());
    if (auto n = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(),
                                                   "tfperf.name"))
      argName = n.str();
    for (size_t i = 0; i < d->size(); ++i) {
      llvm::SmallVector<llvm::StringRef> syms;
      (*d)[i].collectSymbols(syms);
      for (llvm::StringRef s : syms) {
        auto it = llvm::find_if(
            uses, [&](const SymbolUse &u) { return u.name == s; });
        if (it == uses.end()) {
          uses.push_back({s.str(), {}});
          it = uses.end() - 1;
        }
        it->uses.push_back(argName + "[" + std::to_string(i) + "]");
      }
    }
  }
  return uses;
}

SymbolicCosts::SymbolicCosts(Operation *root, const CostAnalysis &costs,
                             const DtypePolicy &policy,
                             const TransformerStructure *structure,
                             const TensorParallelPlan *plan)
    : tpPlan(plan) {
  llvm::StringMap<unsigned> groupIndex;
  llvm::SmallVector<llvm::StringRef> used;
  for (const OpCostRecord &rec : costs.getRecords()) {
    SymbolicOpCost op;
    op.record = &rec;
    if (structure) {
      OpTag tag = structure->getTag(rec.op);
      op.layer = tag.layer;
      op.block = tag.block;
    }
    op.known = rec.known;
    if (!rec.known) {
      ++unknownOps;
      ops.push_back(std::move(op));
      continue;
    }
    op.flops = rec.cost.flops;
    op.gemmFlops = rec.cost.gemmFlops;
    op.bits = accessBits(rec.cost, policy);
    if (!op.bits.isKnown() || !op.flops.isKnown() || !op.gemmFlops.isKnown()) {
      // Overflow or a runaway expression: as unknown as a missing model.
      op.known = false;
      ++unknownOps;
      ops.push_back(std::move(op));
      continue;
    }
    op.peakDtype = policy.peakDtype(rec.op);
    op.flops.collectSymbols(used);
    op.bits.collectSymbols(used);
    totals.add(op);
    if (plan)
      op.split = splitOf(rec, plan->lookup(rec.op), policy);
    bool free = op.flops.isConstant(0) && op.bits.isConstant(0) &&
                op.split.collectives.empty();
    if (!free && !rec.op->hasTrait<OpTrait::ConstantLike>()) {
      std::string key = op.flops.str() + "|" + op.gemmFlops.str() + "|" +
                        op.bits.str() + "|" + op.peakDtype + "|" +
                        stringifyBlockKind(op.block).str();
      if (plan)
        key += "|" + op.split.key();
      auto [it, inserted] = groupIndex.try_emplace(key, groups.size());
      if (inserted)
        groups.emplace_back(op, ops.size());
      ++groups[it->second].count;
      op.group = it->second;
    }
    ops.push_back(std::move(op));
  }

  // Symbols: the order the function's inputs name them, then the rest.
  func::FuncOp func = firstFunction(root);
  if (func) {
    symbolUses = collectSymbolUses(func);
    llvm::StringMap<unsigned> dimIndex;
    auto record = [&](Value v) {
      auto d = getSymbolicDims(v.getType());
      if (!d)
        return;
      for (const SymExpr &x : *d) {
        if (x.isConstant())
          continue;
        auto [it, inserted] = dimIndex.try_emplace(x.str(), dims.size());
        if (inserted)
          dims.push_back({x, 0});
        ++dims[it->second].values;
      }
    };
    for (BlockArgument a : func.getArguments())
      record(a);
    func.walk([&](Operation *op) {
      for (Value r : op->getResults())
        record(r);
    });
  }
  for (const SymbolUse &u : symbolUses)
    symbols.push_back(u.name);
  for (llvm::StringRef s : used)
    if (!llvm::is_contained(symbols, s.str()))
      symbols.push_back(s.str());
  findFloors();

  findRoles(root, structure);

  if (structure && structure->getNumLayers() > 0) {
    if (structure->getDims().dModel)
      dModel = *structure->getDims().dModel;
    // Per layer, then layers with identical formulas merged.
    std::vector<LayerFormulas> perLayer(std::max(structure->getNumLayers(), 0));
    LayerFormulas outside;
    for (const SymbolicOpCost &op : ops) {
      // Free ops (views, weights) would only make the op counts differ.
      if (!op.known || op.group < 0)
        continue;
      if (op.layer >= 0 && op.layer < (int)perLayer.size())
        perLayer[op.layer].byBlock[(unsigned)op.block].add(op);
      else
        outside.byBlock[(unsigned)op.block].add(op);
    }
    for (size_t l = 0; l < perLayer.size(); ++l) {
      auto same = llvm::find_if(layers, [&](const LayerFormulas &g) {
        return g.byBlock == perLayer[l].byBlock;
      });
      if (same != layers.end()) {
        same->layers.push_back(l);
        continue;
      }
      perLayer[l].layers.push_back(l);
      layers.push_back(std::move(perLayer[l]));
    }
    if (llvm::any_of(outside.byBlock,
                     [](const FormulaTotals &t) { return t.ops > 0; }))
      layers.push_back(std::move(outside));
    solveCrossover();
  }
}

/// a * s + c when `dim` is linear in its one symbol `s` (checked at four
/// points, so floordiv and the like are not taken for lines).
static std::optional<std::pair<int64_t, int64_t>> linearIn(const SymExpr &dim,
                                                           StringRef s) {
  auto at = [&](int64_t x) -> std::optional<int64_t> {
    auto v = dim.evaluate([&](StringRef n) -> std::optional<Int128> {
      return n == s ? std::optional<Int128>(x) : std::nullopt;
    });
    if (!v || *v > INT64_MAX || *v < INT64_MIN)
      return std::nullopt;
    return (int64_t)*v;
  };
  auto c = at(0), a1 = at(1), a2 = at(2), big = at(1 << 20);
  if (!c || !a1 || !a2 || !big)
    return std::nullopt;
  int64_t a = *a1 - *c;
  if (*a2 != 2 * a + *c || *big != (int64_t(1) << 20) * a + *c)
    return std::nullopt;
  return std::make_pair(a, *c);
}

void SymbolicCosts::findFloors() {
  for (const SymbolicDim &d : dims) {
    SmallVector<StringRef> syms;
    d.dim.collectSymbols(syms);
    if (syms.size() != 1)
      continue;
    auto line = linearIn(d.dim, syms.front());
    // a * s + c >= 0 with a > 0 and c < 0: s >= ceil(-c / a).
    if (!line || line->first <= 0 || line->second >= 0)
      continue;
    int64_t a = line->first, c = line->second;
    int64_t min = (-c + a - 1) / a;
    auto it = llvm::find_if(
        floors, [&](const SymbolFloor &f) { return f.symbol == syms.front(); });
    if (it == floors.end())
      floors.push_back({syms.front().str(), min, d.dim});
    else if (min > it->min)
      *it = {it->symbol, min, d.dim};
  }
  llvm::sort(floors, [&](const SymbolFloor &x, const SymbolFloor &y) {
    return llvm::find(symbols, x.symbol) < llvm::find(symbols, y.symbol);
  });
}

void SymbolicCosts::findRoles(Operation *root,
                              const TransformerStructure *structure) {
  auto isSymbol = [&](llvm::StringRef s) {
    return llvm::is_contained(symbols, s.str());
  };
  if (structure) {
    if (auto b = structure->getBatch().getSingleSymbol(); b && isSymbol(*b))
      roles.batch = b->str();
    if (auto s = structure->getSeq().getSingleSymbol(); s && isSymbol(*s))
      roles.seq = s->str();
    // The past length: a dim of the KV-cache inputs that is neither.
    for (const AttentionBlock &a : structure->getAttentions())
      for (Value p : a.pastInputs)
        if (auto d = getSymbolicDims(p.getType()))
          for (const SymExpr &x : *d)
            if (auto name = x.getSingleSymbol())
              if (roles.past.empty() && *name != roles.batch &&
                  *name != roles.seq && isSymbol(*name))
                roles.past = name->str();
  }
  // Graphs the structure does not explain: go by the dim_param names
  // exporters use (batch_size, seq_len, past_sequence_length, ...).
  auto lower = [](llvm::StringRef s) { return s.lower(); };
  for (const std::string &s : symbols) {
    std::string n = lower(s);
    auto taken = [&] {
      return s == roles.batch || s == roles.seq || s == roles.past;
    };
    if (roles.past.empty() && !taken() && n.find("past") != std::string::npos)
      roles.past = s;
    else if (roles.batch.empty() && !taken() &&
             n.find("batch") != std::string::npos &&
             n.find("seq") == std::string::npos)
      roles.batch = s;
    else if (roles.seq.empty() && !taken() &&
             n.find("seq") != std::string::npos &&
             n.find("total") == std::string::npos &&
             n.find("max") == std::string::npos)
      roles.seq = s;
  }
  // The mask's total length, as the phases find it (from the graph).
  func::FuncOp func = firstFunction(root);
  if (!structure || !func || roles.past.empty())
    return;
  auto sym = [](const std::string &s) {
    return s.empty() ? SymExpr::unknown() : SymExpr::symbol(s);
  };
  for (std::string &t :
       findTotalLengthSymbols(func, *structure, sym(roles.batch),
                              sym(roles.seq), 0, sym(roles.past)))
    if (isSymbol(t))
      roles.totals.push_back(std::move(t));
}

std::optional<double>
mlir::tfperf::solveFirstPositiveCrossing(const SymExpr &f,
                                         llvm::StringRef symbol) {
  auto at = [&](double x) {
    return f.evaluateDouble([&](llvm::StringRef s) -> std::optional<double> {
      if (s == symbol)
        return x;
      return std::nullopt;
    });
  };
  // Scan doublings for the first sign change, then bisect it.
  double lo = 0, flo = at(0);
  if (std::isnan(flo))
    return std::nullopt;
  for (double hi = 1; hi <= std::ldexp(1.0, 50); hi *= 2) {
    double fhi = at(hi);
    if (std::isnan(fhi))
      return std::nullopt;
    if (flo <= 0 && fhi > 0) {
      for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; ++i) {
        double mid = 0.5 * (lo + hi);
        (at(mid) > 0 ? hi : lo) = mid;
      }
      double x = 0.5 * (lo + hi);
      // Exact integer crossings (s = 2d) print as integers.
      double r = std::round(x);
      if (std::fabs(x - r) < 1e-6 * std::max(1.0, x))
        x = r;
      return x > 0 ? std::optional<double>(x) : std::nullopt;
    }
    lo = hi;
    flo = fhi;
  }
  return std::nullopt;
}

void SymbolicCosts::solveCrossover() {
  auto layer = llvm::find_if(
      layers, [](const LayerFormulas &l) { return !l.layers.empty(); });
  if (layer == layers.end())
    return;
  crossover.symbol = roles.seq;
  crossover.attention = layer->attention().gemmFlops;
  crossover.mlp = layer->byBlock[(unsigned)BlockKind::MLP].gemmFlops;
  // Per token: divide by batch·seq (only the symbols the formulas have).
  SymExpr tokens(1);
  for (const std::string &s : {roles.batch, roles.seq})
    if (!s.empty())
      tokens = tokens * SymExpr::symbol(s);
  if (auto a = crossover.attention.divExact(tokens))
    crossover.attentionPerToken = *a;
  if (auto m = crossover.mlp.divExact(tokens))
    crossover.mlpPerToken = *m;
  if (roles.seq.empty()) {
    crossover.note = "no sequence symbol in the graph";
    return;
  }
  if (crossover.mlp.isConstant(0)) {
    crossover.note = "no MLP GEMM in the layer";
    return;
  }
  if (crossover.attention.isConstant(0)) {
    crossover.note = "no attention GEMM in the layer";
    return;
  }
  // Prefill at batch 1: past 0, any other symbol 1.
  bool others = false;
  auto bind = [&](llvm::StringRef s) -> std::optional<SymExpr> {
    if (s == roles.seq)
      return std::nullopt;
    if (s == roles.past)
      return SymExpr(0);
    if (roles.roleOf(s) == "total")
      return SymExpr::symbol(roles.seq);
    others |= s != roles.batch;
    return SymExpr(1);
  };
  SymExpr diff = crossover.attention.substitute(bind) -
                 crossover.mlp.substitute(bind);
  crossover.value = solveFirstPositiveCrossing(diff, roles.seq);
  if (!crossover.value)
    crossover.note = diff.substitute([&](llvm::StringRef) {
                       return std::optional<SymExpr>(SymExpr(1));
                     }).getInt64().value_or(0) > 0
                         ? "attention costs more than the MLP at any length"
                         : "attention never overtakes the MLP";
  else if (others)
    crossover.note = "symbols other than batch, seq and past set to 1";
}
