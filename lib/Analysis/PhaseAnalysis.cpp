//===- PhaseAnalysis.cpp - prefill, decode and the KV cache ---------------===//

#include "tfperf/Analysis/PhaseAnalysis.h"
#include "tfperf/Analysis/ExpertParallel.h"
#include "tfperf/Analysis/PlainExperts.h"
#include "tfperf/Analysis/RegionWeights.h"
#include "tfperf/Analysis/ShapeInference.h"
#include "tfperf/Dialect/TFPerf/IR/BeamSearchSchedule.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfAttrs.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"
#include "tfperf/Interfaces/DimExprsEncodingAttrInterface.h"
#include "tfperf/Support/Einsum.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "mlir/IR/Diagnostics.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tfperf;

static constexpr llvm::StringLiteral kBatchSym = "batch";
static constexpr llvm::StringLiteral kSeqSym = "seq";

/// "4.66 MFLOP" (notes only; reports format their own figures).
static std::string flopsText(double v) {
  static const char *const units[] = {"", "K", "M", "G", "T", "P"};
  int u = 0;
  while (v >= 1000 && u < 5) {
    v /= 1000;
    ++u;
  }
  char buf[48];
  snprintf(buf, sizeof(buf), u ? "%.2f %sFLOP" : "%.0f %sFLOP", v, units[u]);
  return buf;
}

//===----------------------------------------------------------------------===//
// TokenShapes
//===----------------------------------------------------------------------===//

static bool hasSymbolicInputs(func::FuncOp func) {
  for (BlockArgument a : func.getArguments())
    if (auto t = dyn_cast<RankedTensorType>(a.getType()))
      if (!t.hasStaticShape())
        return true;
  return false;
}

TokenShapes::TokenShapes(func::FuncOp func,
                         const TransformerStructure &structure) {
  SymExpr b = structure.getBatch(), s = structure.getSeq();
  if (hasSymbolicInputs(func)) {
    // A dynamic graph names its own dims.
    if (b.getSingleSymbol())
      batch = b;
    else if (b.isConstant())
      batch0 = *b.getInt64();
    if (s.getSingleSymbol())
      seq = s;
    else if (s.isConstant())
      seq0 = *s.getInt64();
    llvm::SmallVector<llvm::StringRef> syms;
    for (const AttentionBlock &a : structure.getAttentions())
      for (Value p : a.pastInputs)
        if (auto d = getSymbolicDims(p.getType()))
          for (const SymExpr &x : *d)
            if (auto name = x.getSingleSymbol())
              if (SymExpr::symbol(*name) != batch && SymExpr::symbol(*name) != seq &&
                  !llvm::is_contained(syms, *name))
                syms.push_back(*name);
    if (!syms.empty())
      past = SymExpr::symbol(syms.front());
    totals = findTotalLengthSymbols(func, structure, batch, seq, seq0, past,
                                    &totalNote);
    return;
  }
  if (!b.isConstant() || !s.isConstant())
    return;
  batch0 = *b.getInt64();
  seq0 = *s.getInt64();
  // Re-derive symbols: run shape inference with the inputs' batch and
  // sequence dims as symbols whose shadow values are the exported ones.
  ShapeContext ctx;
  ctx.setShadow(kBatchSym, batch0);
  bool seqSym = seq0 > 1 && seq0 != batch0;
  if (seqSym)
    ctx.setShadow(kSeqSym, seq0);
  bool tokenIds = hasTokenIdsInput(func);
  bool streamTaken = false, seqBound = false;
  for (BlockArgument a : func.getArguments()) {
    TensorInfo info = tensorInfoFromType(a.getType());
    auto t = dyn_cast<RankedTensorType>(a.getType());
    if (info.ranked && t && !isParameter(a)) {
      if (!info.dims.empty() && info.dims[0].isConstant(batch0))
        info.dims[0] = SymExpr::symbol(kBatchSym);
      bool isTokens = t.getRank() == 2 && isa<IntegerType>(t.getElementType());
      bool isStream = !tokenIds && !streamTaken && t.getRank() == 3 &&
                      isa<FloatType>(t.getElementType());
      if (seqSym && (isTokens || isStream) && info.dims[1].isConstant(seq0)) {
        info.dims[1] = SymExpr::symbol(kSeqSym);
        streamTaken |= isStream;
        seqBound = true;
      }
    }
    ctx.set(a, std::move(info));
  }
  {
    // The replay is a best effort: its errors are not the user's.
    ScopedDiagnosticHandler silence(func.getContext(),
                                    [](Diagnostic &) { return success(); });
    if (failed(inferShapesInRegion(func.getBody(), ctx, /*updateTypes=*/false)))
      return;
  }
  batch = SymExpr::symbol(kBatchSym);
  // Tokens made inside the graph (image patches) have no input dim to vary.
  if (seqBound)
    seq = SymExpr::symbol(kSeqSym);
  auto record = [&](Value v) {
    auto typeDims = getSymbolicDims(v.getType());
    if (!typeDims)
      return;
    const TensorInfo &info = ctx.get(v);
    bool ok = info.ranked && info.dims.size() == typeDims->size();
    for (size_t i = 0; ok && i < info.dims.size(); ++i)
      ok = ctx.shadowValue(info.dims[i]) == (*typeDims)[i].getInt64();
    // Values whose re-derived dims disagree with the graph stay concrete.
    if (!ok)
      return;
    if (llvm::any_of(info.dims, [](const SymExpr &d) { return !d.isConstant(); }))
      symbolic[v] = info.dims;
  };
  func.walk([&](Operation *op) {
    for (Region &r : op->getRegions())
      for (Block &blk : r)
        for (BlockArgument a : blk.getArguments())
          record(a);
    for (Value r : op->getResults())
      record(r);
  });
}

/// Whether `mask` flows into an attention block that reads a KV cache fed
/// from outside: its fused op, or its scores or context matmul.
static bool reachesCachedAttention(Value mask,
                                   const TransformerStructure &structure) {
  llvm::DenseSet<Operation *> targets;
  for (const AttentionBlock &a : structure.getAttentions())
    if (!a.pastInputs.empty() && a.source != AttentionSource::Cross)
      for (Operation *op : {a.fused, a.scores, a.context})
        if (op)
          targets.insert(op);
  SmallVector<Value> stack = {mask};
  llvm::DenseSet<Value> seen;
  while (!stack.empty() && seen.size() < 4096) {
    Value v = stack.pop_back_val();
    if (!seen.insert(v).second)
      continue;
    for (Operation *user : v.getUsers()) {
      if (targets.contains(user))
        return true;
      llvm::append_range(stack, user->getResults());
    }
  }
  return false;
}

/// The value symbol of a graph input that reaches `v` through casts and
/// reshapes (GroupQueryAttention's total_sequence_length fed as an input).
static std::optional<llvm::StringRef> valueSymbolOf(func::FuncOp func,
                                                    Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (!isa<CastOp, ReshapeOp, SqueezeOp, UnsqueezeOp, IdentityOp>(def))
      return std::nullopt;
    v = def->getOperand(0);
  }
  auto arg = dyn_cast<BlockArgument>(v);
  if (!arg || arg.getOwner() != &func.getBody().front())
    return std::nullopt;
  if (auto vs = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(),
                                                  kValueSymbolAttr))
    return vs.getValue();
  return std::nullopt;
}

/// Calls `fn` on every min/max/div atom of `e` (nested ones included).
static void forEachAtom(const SymExpr &e,
                        llvm::function_ref<void(const SymExpr::AtomInfo &)> fn) {
  for (const SymExpr::Term &t : e.getTerms())
    for (const SymExpr::Factor &f : t.mono)
      if (auto atom = SymExpr::lookupAtom(f.sym)) {
        fn(*atom);
        forEachAtom(*atom->lhs, fn);
        forEachAtom(*atom->rhs, fn);
      }
}

static bool usesSymbol(const SymExpr &e, llvm::StringRef sym) {
  llvm::SmallVector<llvm::StringRef> syms;
  e.collectSymbols(syms);
  return llvm::is_contained(syms, sym);
}

/// Why the graph's dims contradict `total` = seq + past (empty: they do
/// not). Checked at two probe sizes (seq 3, past 5 and seq 2, past 0).
static std::string contradictsTotal(func::FuncOp func, llvm::StringRef total,
                                    const SymExpr &batch, const SymExpr &seq,
                                    int64_t seq0, const SymExpr &past) {
  auto pastName = *past.getSingleSymbol();
  auto seqName = seq.getSingleSymbol();
  auto isToken = [&](llvm::StringRef s) {
    return s == pastName || (seqName && s == *seqName);
  };
  auto probe = [&](int64_t s, int64_t p) {
    return [=, &batch, &seq](llvm::StringRef name) -> std::optional<SymExpr> {
      int64_t sv = seq.isKnown() ? s : std::max<int64_t>(seq0, 1);
      if (name == total)
        return SymExpr(sv + p);
      if (name == pastName)
        return SymExpr(p);
      if (seq.isKnown() && name == *seq.getSingleSymbol())
        return SymExpr(sv);
      if (batch.isKnown() && name == *batch.getSingleSymbol())
        return SymExpr(2);
      return std::nullopt;
    };
  };
  std::string why;
  auto check = [&](const SymExpr &dim) {
    forEachAtom(dim, [&](const SymExpr::AtomInfo &atom) {
      if (!why.empty())
        return;
      bool inL = usesSymbol(*atom.lhs, total), inR = usesSymbol(*atom.rhs, total);
      if (inL == inR)
        return;
      const SymExpr &other = inL ? *atom.rhs : *atom.lhs;
      if (atom.fn == "min") {
        // Cut to the tokens: the mask is a buffer at least that long.
        llvm::SmallVector<llvm::StringRef> syms;
        other.collectSymbols(syms);
        if (llvm::any_of(syms, isToken))
          why = "it is cut to " + other.str() + " (" + dim.str() +
                "): a buffer, not the keys";
        return;
      }
      if (atom.fn != "max")
        return;
      // A broadcast: both sides are equal, or one of them is 1.
      for (auto [s, p] : {std::pair<int64_t, int64_t>{3, 5}, {2, 0}}) {
        SymExpr a = atom.lhs->substitute(probe(s, p)),
                b = atom.rhs->substitute(probe(s, p));
        if (a.isConstant() && b.isConstant() && !a.isConstant(1) &&
            !b.isConstant(1) && a != b) {
          why = "it is broadcast against " + other.str() + " (" + dim.str() +
                ")";
          return;
        }
      }
    });
  };
  auto checkValue = [&](Value v) {
    if (auto d = getSymbolicDims(v.getType()))
      for (const SymExpr &x : *d)
        check(x);
  };
  // A slice of a dim in `total` to exactly the keys (seq + past): the
  // graph cuts a longer buffer, where `total` would already be the keys.
  SymExpr keys = (seq.isKnown() ? seq : SymExpr(std::max<int64_t>(seq0, 1))) +
                 past;
  auto checkSlice = [&](SliceOp op) {
    auto in = getSymbolicDims(op.getOperand(0).getType());
    auto out = getSymbolicDims(op.getResult().getType());
    if (!in || !out || in->size() != out->size())
      return;
    for (auto [i, o] : llvm::zip_equal(*in, *out))
      if (why.empty() && usesSymbol(i, total) && !usesSymbol(o, total) &&
          o == keys)
        why = "a slice cuts it to " + o.str() + ": a buffer, not the keys";
  };
  for (BlockArgument a : func.getArguments())
    checkValue(a);
  func.walk([&](Operation *op) {
    for (Value r : op->getResults())
      checkValue(r);
    if (auto slice = dyn_cast<SliceOp>(op))
      checkSlice(slice);
  });
  return why;
}

SmallVector<std::string, 1> mlir::tfperf::findTotalLengthSymbols(
    func::FuncOp func, const TransformerStructure &structure,
    const SymExpr &batch, const SymExpr &seq, int64_t seq0,
    const SymExpr &past, std::string *note) {
  SmallVector<std::string, 1> totals;
  if (!past.getSingleSymbol())
    return totals;
  auto taken = [&](llvm::StringRef s) {
    for (const SymExpr &x : {batch, seq, past})
      if (auto n = x.getSingleSymbol(); n && *n == s)
        return true;
    return false;
  };
  // Candidates: the key dim of integer/bool masks [batch, X] that reach a
  // cached attention, and GroupQueryAttention's total_sequence_length.
  llvm::SmallVector<llvm::StringRef> candidates;
  llvm::DenseSet<Value> masks;
  for (BlockArgument a : func.getArguments()) {
    auto t = dyn_cast<RankedTensorType>(a.getType());
    auto d = getSymbolicDims(a.getType());
    if (!t || !d || isParameter(a) || d->size() != 2 ||
        !isa<IntegerType>(t.getElementType()))
      continue;
    bool batchDim = batch.isKnown() ? (*d)[0] == batch : (*d)[0].isConstant();
    auto key = (*d)[1].getSingleSymbol();
    if (!batchDim || !key || taken(*key) ||
        !reachesCachedAttention(a, structure))
      continue;
    masks.insert(a);
    if (!llvm::is_contained(candidates, *key))
      candidates.push_back(*key);
  }
  func.walk([&](MSGroupQueryAttentionOp g) {
    if (!g.getPastKey() || !g.getTotalSequenceLength())
      return;
    if (auto vs = valueSymbolOf(func, g.getTotalSequenceLength()))
      if (!taken(*vs) && !llvm::is_contained(candidates, *vs))
        candidates.push_back(*vs);
  });
  for (llvm::StringRef x : candidates) {
    std::string why;
    // A dim of another input (an encoder's length, a buffer) is not ours.
    for (BlockArgument a : func.getArguments())
      if (!masks.contains(a))
        if (auto d = getSymbolicDims(a.getType()))
          if (llvm::any_of(*d, [&](const SymExpr &e) { return usesSymbol(e, x); })) {
            auto name =
                func.getArgAttrOfType<StringAttr>(a.getArgNumber(), kNameAttr);
            why = "it is also a dim of input '" +
                  (name ? name.str() : std::to_string(a.getArgNumber())) + "'";
            break;
          }
    if (why.empty())
      why = contradictsTotal(func, x, batch, seq, seq0, past);
    if (why.empty()) {
      totals.push_back(x.str());
      continue;
    }
    if (!note)
      continue;
    if (!note->empty())
      *note += "; ";
    *note += "'" + x.str() + "' is not bound to " +
             (seq.isKnown() ? seq.str() : std::to_string(seq0)) + " + " +
             past.str() + ": " + why;
  }
  return totals;
}

llvm::StringMap<SymExpr>
TokenShapes::substitution(std::optional<SymExpr> b, std::optional<SymExpr> s,
                          std::optional<SymExpr> p,
                          std::optional<SymExpr> total) const {
  llvm::StringMap<SymExpr> m;
  if (b && batch.getSingleSymbol())
    m[*batch.getSingleSymbol()] = *b;
  if (s && seq.getSingleSymbol())
    m[*seq.getSingleSymbol()] = *s;
  if (p && past.getSingleSymbol())
    m[*past.getSingleSymbol()] = *p;
  // The mask spans the cached tokens and the new ones.
  if (!total && s && p)
    total = *s + *p;
  if (total)
    for (const std::string &t : totals)
      m[t] = *total;
  return m;
}

std::optional<ArrayRef<SymExpr>> TokenShapes::dims(Value v) const {
  auto it = symbolic.find(v);
  if (it != symbolic.end())
    return ArrayRef<SymExpr>(it->second);
  return types.dims(v);
}

std::optional<ArrayRef<SymExpr>> SubstitutedShapes::dims(Value v) const {
  auto it = cache.find(v);
  if (it != cache.end())
    return it->second ? std::optional<ArrayRef<SymExpr>>(*it->second)
                      : std::nullopt;
  auto d = base.dims(v);
  if (!d) {
    cache[v] = nullptr;
    return std::nullopt;
  }
  auto lookupIn = [](const llvm::StringMap<SymExpr> &m) {
    return [&m](llvm::StringRef s) -> std::optional<SymExpr> {
      auto i = m.find(s);
      if (i == m.end())
        return std::nullopt;
      return i->second;
    };
  };
  SmallVector<SymExpr, 4> out;
  int kv = -1;
  auto k = kvDims.find(v);
  if (k != kvDims.end())
    kv = k->second < 0 ? (int)d->size() + k->second : k->second;
  for (size_t i = 0; i < d->size(); ++i) {
    const SymExpr &x = (*d)[i];
    if ((int)i == kv)
      out.push_back(x.substitute(lookupIn(kvSubst)).substitute(lookupIn(subst)));
    else
      out.push_back(x.substitute(lookupIn(subst)));
    // A dim such as `seq - 3` (a slice past the first tokens) at seq = 1,
    // a decode step's: the slice is empty, as ONNX's Slice clamps it, never
    // a negative size (it made negative bytes in the decode roll-up).
    if (out.back().isConstant() && out.back().getConstant() < 0)
      out.back() = SymExpr(0);
  }
  storage.push_back(std::move(out));
  cache[v] = &storage.back();
  return ArrayRef<SymExpr>(storage.back());
}

//===----------------------------------------------------------------------===//
// Phases
//===----------------------------------------------------------------------===//

double PhaseResult::tokensPerSecond() const {
  if (totals.time <= 0)
    return 0;
  double tokens = name == "decode" ? batch : double(batch) * seq;
  return tokens / totals.time;
}

namespace {
void accumulate(PhaseTotals &t, const OpFigures &f) {
  if (!f.problem.empty()) {
    ++t.unknownOps;
    return;
  }
  t.flops += f.flops;
  t.gemmFlops += f.gemmFlops;
  t.bytes += f.bytes;
  t.time += f.time;
  t.computeTime += f.computeTime;
  t.memoryTime += f.memoryTime;
}

/// The chosen kernel view and time model at a phase's shapes: the kernels
/// formed on them, priced, their times shared by their ops; ops in no
/// kernel take none. Returns the kernels.
std::shared_ptr<const KernelAnalysis> applyPhaseTiming(
    func::FuncOp func, const CostAnalysis &costs,
    const TransformerStructure &structure,
    llvm::function_ref<const ShapeQuery &(Operation *)> select,
    const DtypePolicy &policy, const DeviceSpec &device, const Timing &timing,
    std::vector<OpFigures> &figures,
    std::shared_ptr<const KernelAnalysis> *slot,
    const std::function<double(const AttentionBlock &)> &uncachedKVBytes) {
  std::shared_ptr<const KernelAnalysis> own;
  std::shared_ptr<const KernelAnalysis> &cached = slot ? *slot : own;
  if (!cached) {
    KernelOptions opts;
    opts.exported = timing.view == KernelView::Exported;
    opts.shapes = [&](Operation *op) -> const ShapeQuery & {
      return select(op);
    };
    opts.uncachedKVBytes = uncachedKVBytes;
    cached = std::make_shared<KernelAnalysis>(func, costs, structure, opts);
  }
  const KernelAnalysis &kernels = *cached;
  llvm::DenseMap<Operation *, size_t> index;
  for (auto [i, rec] : llvm::enumerate(costs.getRecords()))
    index[rec.op] = i;
  applyKernelTimes(kernels.getKernels(), TimeModel(device), timing.model,
                   policy, [&](Operation *op) -> OpFigures * {
                     auto it = index.find(op);
                     return it == index.end() ? nullptr : &figures[it->second];
                   });
  for (auto [rec, f] : llvm::zip_equal(costs.getRecords(), figures))
    if (!kernels.lookup(rec.op) && f.problem.empty())
      f.time = 0;
  return cached;
}

/// The graph every phase of an analyzer prices, and on what.
struct PhaseGraph {
  func::FuncOp func;
  const TransformerStructure &structure;
  const DtypePolicy &policy;
  const DeviceSpec &device;
};

/// One phase's run: its name, its ops' shapes, and what it reports.
struct PhaseRun {
  llvm::StringRef name;
  /// The shapes each op runs at in the phase.
  std::function<const ShapeQuery &(Operation *)> select;
  /// Visits every op's figures and the kernels (the reported runs only).
  const PhaseOptions *visit = nullptr;
  /// Ops run once per sequence, left out of the phase (derived decode).
  const llvm::DenseSet<Operation *> *cached = nullptr;
  /// The kernel view and time model; none (or the per-op roofline): each
  /// op at its roofline.
  const Timing *timing = nullptr;
  /// The slot that keeps the phase's kernels between devices (may be null).
  std::shared_ptr<const KernelAnalysis> *kernels = nullptr;
  /// Derived decode: the cached K and V an attention kernel reads besides
  /// what the graph computes (uncachedKVReadBytes).
  std::function<double(const AttentionBlock &)> uncachedKVBytes;
  /// Why an op cannot be costed in the phase whatever its shapes say (a
  /// search's subgraph that cannot run at the step); empty: it can.
  std::function<std::string(Operation *)> problemOf;
};

PhaseResult runPhase(const PhaseGraph &graph, const PhaseRun &run) {
  llvm::StringRef name = run.name;
  func::FuncOp func = graph.func;
  const TransformerStructure &structure = graph.structure;
  const auto &select = run.select;
  const DtypePolicy &policy = graph.policy;
  const DeviceSpec &device = graph.device;
  const PhaseOptions *visit = run.visit;
  const llvm::DenseSet<Operation *> *cached = run.cached;
  const Timing *timing = run.timing;
  PhaseResult r;
  r.name = name.str();
  r.byLayer.resize(std::max(structure.getNumLayers(), 0));
  CostAnalysis costs(func, select);
  // Per attention block (by its scores op): compute time of its scores
  // region, for the fused figures below.
  llvm::DenseMap<Operation *, double> regionCompute;
  llvm::DenseMap<int, Operation *> scoresOfLayer;
  for (const AttentionBlock &a : structure.getAttentions())
    if (a.scores)
      scoresOfLayer.try_emplace(a.layer, a.scores);
  std::vector<OpFigures> figures;
  figures.reserve(costs.getRecords().size());
  for (const OpCostRecord &rec : costs.getRecords()) {
    if (cached && cached->contains(rec.op)) {
      figures.emplace_back();
      continue;
    }
    std::string problem = run.problemOf ? run.problemOf(rec.op) : "";
    figures.push_back(problem.empty() ? evaluateOp(rec, policy, device)
                                      : OpFigures());
    if (!problem.empty())
      figures.back().problem = std::move(problem);
  }
  std::shared_ptr<const KernelAnalysis> phaseKernels;
  if (timing && !timing->isPerOpRoofline())
    phaseKernels = applyPhaseTiming(func, costs, structure, select, policy,
                                    device, *timing, figures, run.kernels,
                                    run.uncachedKVBytes);
  for (auto [rec, f] : llvm::zip_equal(costs.getRecords(), figures)) {
    if (cached && cached->contains(rec.op))
      continue;
    if (visit && visit->onOp)
      visit->onOp(name, rec, f);
    if (f.problem.empty() && r.invalidOp.empty())
      for (auto [figure, v] : {std::pair{"flops", f.flops},
                               std::pair{"bytes", f.bytes},
                               std::pair{"time_s", f.time}})
        if (!(v >= 0) || std::isinf(v)) {
          r.invalidOp = "op '" + rec.name + "': figure '" + figure +
                        "' is " + std::to_string(v);
          break;
        }
    accumulate(r.totals, f);
    OpTag tag = structure.getTag(rec.op);
    if (rec.op->hasTrait<OpTrait::ConstantLike>())
      continue;
    accumulate(r.byBlock[(unsigned)tag.block], f);
    if (tag.layer >= 0 && tag.layer < (int)r.byLayer.size())
      accumulate(r.byLayer[tag.layer], f);
    if (tag.block == BlockKind::AttentionScores && f.problem.empty()) {
      r.fusedScores.flops += f.flops;
      r.fusedScores.gemmFlops += f.gemmFlops;
      if (Operation *s = scoresOfLayer.lookup(tag.layer))
        regionCompute[s] += f.computeTime;
    }
  }
  if (visit && visit->onKernels && phaseKernels)
    visit->onKernels(name, costs, *phaseKernels);
  // Fused: per block, Q, K, V read and the context written once.
  auto bytesOf = [&](Operation *at, Value v) -> double {
    auto d = v ? select(at).dims(v) : std::nullopt;
    if (!d)
      return NAN;
    SymExpr n = product(*d);
    return n.isConstant() ? int128ToDouble(n.getConstant()) *
                                policy.bitsOf(v) / 8.0
                          : NAN;
  };
  // In block order, so the sum (and the report) does not depend on addresses.
  llvm::MapVector<Operation *, double> regionBytes;
  for (const AttentionBlock &a : structure.getAttentions()) {
    if (!a.scores || !a.context || (cached && cached->contains(a.scores)))
      continue;
    double b = bytesOf(a.scores, a.qOperand) + bytesOf(a.scores, a.kOperand) +
               bytesOf(a.context, a.vOperand) +
               bytesOf(a.context, a.context->getResult(0));
    if (std::isnan(b))
      continue;
    Operation *key = scoresOfLayer.lookup(a.layer);
    regionBytes[key ? key : a.scores] += b;
  }
  for (auto &[s, b] : regionBytes) {
    double compute = regionCompute.lookup(s);
    double memory = b / device.memBandwidth;
    r.fusedScores.bytes += b;
    r.fusedScores.computeTime += compute;
    r.fusedScores.memoryTime += memory;
    r.fusedScores.time += std::max(compute, memory);
  }
  return r;
}

} // namespace

llvm::DenseSet<Operation *> mlir::tfperf::oncePerSequence(func::FuncOp func,
                                            const ShapeQuery &tokens,
                                            const SymExpr &seq) {
  llvm::DenseSet<Operation *> once;
  if (!seq.isKnown())
    return once;
  llvm::DenseSet<Value> stream, other;
  for (BlockArgument a : func.getArguments()) {
    if (isParameter(a))
      continue;
    auto d = tokens.dims(a);
    bool isStream = d && llvm::any_of(*d, [&](const SymExpr &x) {
      llvm::SmallVector<llvm::StringRef> syms;
      x.collectSymbols(syms);
      return llvm::is_contained(syms, *seq.getSingleSymbol());
    });
    (isStream ? stream : other).insert(a);
  }
  func.walk([&](Operation *op) {
    bool s = false, o = false;
    for (Value v : op->getOperands()) {
      s |= stream.contains(v);
      o |= other.contains(v);
    }
    if (s) {
      for (Value r : op->getResults())
        stream.insert(r);
    } else if (o && !isa<ShapeOp>(op)) {
      once.insert(op);
      for (Value r : op->getResults())
        other.insert(r);
    }
  });
  return once;
}

llvm::DenseMap<Value, int>
mlir::tfperf::kvDimsOf(func::FuncOp func,
                       const TransformerStructure &structure) {
  llvm::DenseMap<Value, int> kv;
  func.walk([&](Operation *op) {
    if (!structure.isScoresOp(op))
      return;
    for (Value r : op->getResults())
      if (auto d = getSymbolicDims(r.getType()); d && d->size() >= 2)
        kv.try_emplace(r, -1);
    for (Value o : op->getOperands())
      if (auto d = getSymbolicDims(o.getType()); d && d->size() >= 2)
        kv.try_emplace(o, -1);
  });
  for (const AttentionBlock &a : structure.getAttentions()) {
    if (!a.scores)
      continue;
    kv.erase(a.qOperand);                  // [.., S, dh]: no key dim
    kv[a.kOperand] = -1;                   // K^T [.., dh, T]
    kv[a.vOperand] = -2;                   // V [.., T, dv]
    kv.erase(a.context->getResult(0));     // [.., S, dv]
    // Einsum cores name the key dim by its subscript (MLA's rope scores
    // add a second Q, K pair).
    if (auto k = einsumKeyDim(a.scores, /*scores=*/true))
      kv[a.kOperand] = *k;
    if (auto v = einsumKeyDim(a.context, /*scores=*/false))
      kv[a.vOperand] = *v;
    if (Operation *rope = a.latent.ropeScores) {
      kv.erase(rope->getOperand(0));
      if (auto k = einsumKeyDim(rope, /*scores=*/true))
        kv[rope->getOperand(1)] = *k;
    }
  }
  return kv;
}

llvm::DenseSet<Operation *>
mlir::tfperf::cacheAppendOps(const TransformerStructure &structure) {
  llvm::DenseSet<Operation *> path;
  for (const AttentionBlock &a : structure.getAttentions())
    for (Value p : a.pastInputs) {
      SmallVector<Value> stack = {p};
      while (!stack.empty()) {
        Value v = stack.pop_back_val();
        for (Operation *u : v.getUsers()) {
          if (structure.isScoresOp(u) || isFusedAttention(u) ||
              !path.insert(u).second)
            continue;
          for (Value r : u->getResults())
            stack.push_back(r);
        }
      }
    }
  return path;
}

/// Bytes of one cached K/V element: K's type under the policy (Q's when
/// the block has no K operand), else 2.
static double cachedElementBytes(const AttentionBlock &a,
                                 const DtypePolicy &policy) {
  Value k = a.kOperand ? a.kOperand : a.qOperand;
  return k ? policy.bitsOf(k) / 8.0 : 2.0;
}

std::optional<double>
mlir::tfperf::uncachedKVReadBytes(const AttentionBlock &a,
                                  const DtypePolicy &policy,
                                  double contextTokens, double newTokens) {
  std::optional<double> perToken = kvCacheBytesPerToken(a, policy);
  if (!perToken)
    return std::nullopt;
  return *perToken * (contextTokens - newTokens);
}

std::optional<double>
mlir::tfperf::kvCacheBytesPerToken(const AttentionBlock &a,
                                   const DtypePolicy &policy) {
  if (a.latent.isRecognised())
    return latentKVBytesPerToken(a, policy, a.latent.cachesLatent);
  if (a.source == AttentionSource::Cross || a.linear ||
      !a.kvHeads.isConstant() || !a.headDim.isConstant())
    return std::nullopt;
  double bytes = cachedElementBytes(a, policy);
  // A quantized GroupQueryAttention cache is stored at its past input's
  // type: int8, or 4-bit values packed two per byte.
  if (auto g = dyn_cast_or_null<MSGroupQueryAttentionOp>(a.fused))
    if (g.getKvCacheBitWidth() && g.getPastKey())
      bytes = *g.getKvCacheBitWidth() == 4 ? 0.5
                                           : policy.bitsOf(g.getPastKey()) / 8.0;
  return 2.0 * int128ToDouble(a.kvHeads.getConstant()) *
         int128ToDouble(a.headDim.getConstant()) * bytes;
}

std::optional<double>
mlir::tfperf::latentKVBytesPerToken(const AttentionBlock &a,
                                    const DtypePolicy &policy, bool latent) {
  const LatentAttention &l = a.latent;
  SymExpr elems = latent ? l.kvRank + l.ropeDim
                         : a.heads * (l.kHeadDim + l.vHeadDim);
  if (!l.isRecognised() || !elems.isConstant())
    return std::nullopt;
  double bytes = cachedElementBytes(a, policy);
  return int128ToDouble(elems.getConstant()) * bytes;
}

std::optional<RecurrentState>
mlir::tfperf::recurrentStatePerSequence(Operation *op,
                                        const DtypePolicy &policy) {
  auto dim = [](Value v, int d) -> std::optional<int64_t> {
    auto dims = getSymbolicDims(v.getType());
    if (!dims || d >= (int)dims->size())
      return std::nullopt;
    return (*dims)[d < 0 ? dims->size() + d : d].getInt64();
  };
  auto elementBytes = [&](Value present, Value past, Value input) {
    Value v = present ? present : past ? past : input;
    return policy.bitsOf(v) / 8.0;
  };
  RecurrentState st;
  if (auto la = dyn_cast<LinearAttentionOp>(op)) {
    // Nkv states of Dk x Dv: Dk = query width / Nq, Dv = value width / Nkv.
    auto qWidth = dim(la.getQuery(), -1), vWidth = dim(la.getValue(), -1);
    int64_t nq = la.getQNumHeads(), nkv = la.getKvNumHeads();
    if (!qWidth || !vWidth || nq <= 0 || nkv <= 0 || *qWidth % nq ||
        *vWidth % nkv)
      return std::nullopt;
    st.units = nkv;
    st.linearAttention = true;
    st.bytes = double(*qWidth / nq) * double(*vWidth) *
               elementBytes(la.getPresentState(), la.getPastState(),
                            la.getQuery());
    return st;
  }
  if (auto conv = dyn_cast<CausalConvWithStateOp>(op)) {
    // The carry: the last (K - 1) x dilation positions of each channel.
    auto channels = dim(conv.getWeight(), 0), k = dim(conv.getWeight(), 2);
    if (!channels || !k || *k < 1)
      return std::nullopt;
    st.units = *channels;
    st.bytes = double(*channels) * double((*k - 1) * conv.getDilation()) *
               elementBytes(conv.getPresentState(), conv.getPastState(),
                            conv.getInput());
    return st;
  }
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Per-token GEMMs: attention against the MLP, and per block
//===----------------------------------------------------------------------===//

/// GEMM FLOPs per token of one layer: self-attention as projections + per
/// key x s, attention with keys fixed by a context or a frame grid as a
/// fixed amount, and the MLP.
struct LayerGemms {
  double proj = 0, perKey = 0, fixedAttn = 0, mlp = 0;
  bool anyCross = false, anyFactorized = false;
};

/// The dims of a linear's result that index tokens: all but the last,
/// less those an einsum's weight names (a per-head weight, as absorbed MLA
/// folds its up projection into each head, makes heads of its output).
static SmallVector<SymExpr, 4> einsumTokenDims(Operation *op,
                                               ArrayRef<SymExpr> result) {
  SmallVector<SymExpr, 4> rows(result.drop_back());
  auto e = dyn_cast<EinsumOp>(op);
  std::string error;
  auto spec = e ? parseEinsum(e.getEquation(), error) : std::nullopt;
  if (!spec || spec->inputs.size() != 2 || spec->output.ellipsisAt >= 0 ||
      spec->output.letters.size() != result.size())
    return rows;
  unsigned weight = getLinearInput(op) == e.getInputs()[0] ? 1 : 0;
  StringRef w = spec->inputs[weight].letters;
  rows.clear();
  for (auto [i, c] :
       llvm::enumerate(StringRef(spec->output.letters).drop_back()))
    if (!w.contains(c))
      rows.push_back(result[i]);
  return rows;
}

/// GEMM FLOPs of the recognised blocks at the graph's own shapes.
class PerTokenGemms {
public:
  /// `shapesOf`, when given, the shapes each op runs at instead of the
  /// graph's (a Whisper search's decoder step).
  PerTokenGemms(func::FuncOp func, const TransformerStructure &structure,
                const TokenShapes &tokens, int64_t kvLen, bool pastSym,
                std::function<const ShapeQuery &(Operation *)> shapesOf = {})
      : structure(structure), tokens(tokens), kvLen(kvLen), pastSym(pastSym),
        shapesOf(std::move(shapesOf)),
        costs(func, [&](Operation *op) -> const ShapeQuery & {
          return this->shapesOf ? this->shapesOf(op) : tokens;
        }) {
    // The value symbols of shared past buffers' lengths (a graph input
    // past_sequence_length): a cache length too.
    func.walk([&](Operation *op) {
      if (auto v = op->getAttrOfType<StringAttr>(kPastLengthValueAttr))
        if (auto e = SymExpr::parse(v.getValue()))
          if (auto name = e->getSingleSymbol())
            pastValues.insert(*name);
    });
  }

  /// The first layer's figures.
  LayerGemms firstLayer() const;
  /// Every attention and MLP block, by layer.
  std::vector<BlockGemm> perBlock() const;

private:
  double atGraphSizes(const SymExpr &e) const {
    SymExpr v = e.substitute([&](llvm::StringRef s) -> std::optional<SymExpr> {
      if (tokens.batch.isKnown() && s == tokens.batch.str())
        return SymExpr(tokens.batch0 ? tokens.batch0 : 1);
      if (tokens.seq.isKnown() && s == tokens.seq.str())
        return SymExpr(tokens.seq0 ? tokens.seq0 : 1);
      // Any cache length gives the same FLOPs per key.
      if (pastSym && (s == tokens.past.str() || pastValues.contains(s)))
        return SymExpr(kvLen);
      // The total length is the cache and the graph's tokens.
      if (pastSym && llvm::is_contained(tokens.totals, s))
        return SymExpr((tokens.seq0 ? tokens.seq0 : 1) + kvLen);
      return std::nullopt;
    });
    // Below zero a dim of the op does not exist at these sizes (`seq - 4`
    // at seq = 1): unknown, never a negative count.
    if (!v.isConstant() || v.getConstant() < 0)
      return NAN;
    return int128ToDouble(v.getConstant());
  }
  /// GEMM FLOPs per row of a linear's output.
  double perRow(Operation *op) const {
    const OpCostRecord *rec = costs.lookup(op);
    auto d = dimsAt(op, op->getResult(0));
    if (!rec || !rec->known || !d || d->empty())
      return 0;
    double rows = atGraphSizes(product(einsumTokenDims(op, *d)));
    double g = atGraphSizes(rec->cost.gemmFlops);
    return rows > 0 && !std::isnan(g) ? g / rows : 0;
  }
  /// An MLP block's GEMM FLOPs per token. A plain MoE's routed experts run
  /// on a share of the tokens each: its linears' FLOPs over the rows of its
  /// router (every token).
  double mlpPerToken(const MLPBlock &m) const {
    double sum = 0;
    if (!m.nExperts || m.experts) {
      for (Operation *l : m.linears)
        sum += perRow(l);
      return sum;
    }
    auto d = dimsAt(m.up.front(), m.up.front()->getResult(0));
    double rows = d && !d->empty() ? atGraphSizes(product(d->drop_back())) : 0;
    if (!(rows > 0))
      return 0;
    for (Operation *l : m.linears)
      if (double g = gemmOf(l); !std::isnan(g))
        sum += g / rows;
    return sum;
  }
  /// A fused attention op's GEMM parts: its projections or its scores.
  double gemmOfParts(const OpCostRecord &rec, bool projection) const {
    double sum = 0;
    for (const CostPart &part : rec.cost.parts)
      if (part.isGemm &&
          llvm::StringRef(part.name).contains("projection") == projection)
        sum += atGraphSizes(part.flops);
    return sum;
  }
  double gemmOf(Operation *op) const {
    const OpCostRecord *rec = op ? costs.lookup(op) : nullptr;
    return rec && rec->known ? atGraphSizes(rec->cost.gemmFlops) : NAN;
  }

  /// `v`'s dims where `at` runs.
  std::optional<ArrayRef<SymExpr>> dimsAt(Operation *at, Value v) const {
    return shapesOf ? shapesOf(at).dims(v) : tokens.dims(v);
  }

  const TransformerStructure &structure;
  const TokenShapes &tokens;
  int64_t kvLen;
  bool pastSym;
  std::function<const ShapeQuery &(Operation *)> shapesOf;
  CostAnalysis costs;
  llvm::StringSet<> pastValues;
};

LayerGemms PerTokenGemms::firstLayer() const {
  int layer = 0;
  // A hybrid stack (Qwen3.5) that starts with linear-attention layers (a
  // state, no per-key cost) is figured at its first softmax-attention
  // layer.
  auto blocks = structure.getAttentions();
  auto inLayer0 = [&](bool linear) {
    return llvm::any_of(blocks, [&](const AttentionBlock &a) {
      return a.layer == 0 && a.linear == linear;
    });
  };
  if (inLayer0(/*linear=*/true) && !inLayer0(/*linear=*/false))
    for (const AttentionBlock &a : blocks)
      if (!a.linear && a.layer > 0) {
        layer = a.layer;
        break;
      }
  // Self-attention: projections + perKey x s per token. Cross-attention
  // (a fixed context) and attention within a frame or across frames (keys
  // fixed by the grid) cost a fixed amount per token: `fixedAttn`.
  double proj = 0, perKey = 0, fixedAttn = 0, mlp = 0;
  bool anyCross = false, anyFactorized = false;
  llvm::SmallPtrSet<Operation *, 8> seen;
  for (const AttentionBlock &a : structure.getAttentions()) {
    if (a.layer != layer || (!a.fused && !a.scores))
      continue;
    bool cross = a.source == AttentionSource::Cross;
    bool fixedKeys = cross || a.scope != AttentionScope::Global;
    anyCross |= cross;
    anyFactorized |= a.scope != AttentionScope::Global;
    // A cross-attention's K/V projections run over the context once per
    // sequence, not per generated token.
    double p = 0;
    for (auto *list : {&a.qProj, &a.kProj, &a.vProj, &a.outProj}) {
      if (cross && (list == &a.kProj || list == &a.vProj))
        continue;
      for (Operation *op : *list)
        if (seen.insert(op).second)
          p += perRow(op);
    }
    // Score GEMMs (Q K^T and P V) per query, and the keys they attend.
    double queries = 0, keys = 0, gemm = 0;
    if (a.fused) {
      const OpCostRecord *rec = costs.lookup(a.fused);
      auto od = dimsAt(a.fused, a.fused->getResult(0));
      if (!rec || !rec->known || !od || od->empty())
        continue;
      double rows = atGraphSizes(product(od->drop_back()));
      queries = rows * (a.heads.isConstant()
                            ? int128ToDouble(a.heads.getConstant())
                            : NAN);
      gemm = gemmOfParts(*rec, /*projection=*/false);
      p += gemmOfParts(*rec, /*projection=*/true) / rows;
      // Keys attended (past included): Q K^T is 2 x rows x H x dh x keys.
      for (const CostPart &part : rec->cost.parts)
        if (llvm::StringRef(part.name).starts_with("scores") &&
            a.headDim.isConstant())
          keys = atGraphSizes(part.flops) /
                 (2 * queries * int128ToDouble(a.headDim.getConstant()));
    } else {
      const OpCostRecord *sc = costs.lookup(a.scores);
      const OpCostRecord *cx = costs.lookup(a.context);
      auto qd = dimsAt(a.scores, a.qOperand);
      auto kd = dimsAt(a.scores, a.kOperand);
      if (!sc || !cx || !sc->known || !cx->known || !qd || qd->empty() ||
          !kd || kd->empty())
        continue;
      queries = atGraphSizes(product(qd->drop_back()));
      int keyDim = int(kd->size()) + a.keyDimIndex;
      keys = keyDim >= 0 ? atGraphSizes((*kd)[keyDim]) : NAN;
      gemm = atGraphSizes(sc->cost.gemmFlops) +
             atGraphSizes(cx->cost.gemmFlops);
      if (a.latent.ropeScores)
        gemm += gemmOf(a.latent.ropeScores);
    }
    if (!a.heads.isConstant() || !(queries > 0) || !(keys > 0) ||
        std::isnan(gemm) || std::isnan(p))
      continue;
    // Per token of the stream: all heads of one query position.
    double perToken = gemm / queries * int128ToDouble(a.heads.getConstant());
    if (fixedKeys) {
      fixedAttn += p + perToken;
    } else {
      proj += p;
      perKey += perToken / keys;
    }
  }
  for (const MLPBlock &m : structure.getMLPs())
    if (m.layer == layer)
      mlp += mlpPerToken(m);
  return {proj, perKey, fixedAttn, mlp, anyCross, anyFactorized};
}

std::vector<BlockGemm> PerTokenGemms::perBlock() const {
  std::vector<BlockGemm> blocks;
  for (const AttentionBlock &a : structure.getAttentions()) {
    double g = 0;
    llvm::SmallPtrSet<Operation *, 8> counted;
    for (auto *list : {&a.qProj, &a.kProj, &a.vProj, &a.outProj})
      for (Operation *op : *list)
        if (counted.insert(op).second)
          g += gemmOf(op);
    // A linear attention's gate projections (Qwen3.5's z, a and b).
    for (Operation *op : a.gateSources)
      if (getLinearInput(op) && counted.insert(op).second)
        g += gemmOf(op);
    g += a.fused ? gemmOf(a.fused) : gemmOf(a.scores) + gemmOf(a.context);
    if (a.latent.ropeScores)
      g += gemmOf(a.latent.ropeScores);
    blocks.push_back(
        {a.layer, attentionKindName(a.source, a.scope).str(), g});
  }
  for (const MLPBlock &m : structure.getMLPs()) {
    double g = 0;
    for (Operation *l : m.linears)
      g += gemmOf(l);
    blocks.push_back({m.layer, "mlp", g});
  }
  llvm::stable_sort(blocks, [](const BlockGemm &x, const BlockGemm &y) {
    return x.layer < y.layer;
  });
  return blocks;
}

/// The per-token figures of one layer, and the sequence length at which
/// self-attention costs as much as the MLP.
static void setCrossover(LayerGemms g, TransformerFigures &fig) {
  double proj = g.proj, perKey = g.perKey, fixedAttn = g.fixedAttn,
         mlp = g.mlp;
  bool anyCross = g.anyCross, anyFactorized = g.anyFactorized;
  if (perKey == 0 && mlp > 0 && fig.dims.dModel) {
    // No self-attention in the graph: compare with vanilla multi-head
    // attention of the same width (8 d^2 + 4 d s per token).
    double d = double(*fig.dims.dModel);
    proj = 8 * d * d;
    perKey = 4 * d;
    fig.crossoverNote = "no self-attention in the graph: compared with "
                        "vanilla multi-head attention of width d_model";
  }
  fig.attnProjPerToken = proj;
  fig.attnPerKeyPerToken = perKey;
  fig.attnFixedPerToken = fixedAttn;
  fig.mlpPerToken = mlp;
  // The crossover is the doc's: self-attention (projections + s keys)
  // against the MLP. Fixed-key attention is reported beside it.
  if (perKey > 0 && mlp > 0) {
    double s = (mlp - proj) / perKey;
    if (s > 0)
      fig.crossoverSeq = s;
    else
      fig.crossoverNote =
          "self-attention costs more than the MLP at any length";
  }
  if (fixedAttn > 0) {
    std::string what = anyCross && anyFactorized
                           ? "cross-attention and attention within/across "
                             "frames"
                       : anyCross ? "cross-attention (its K/V projections "
                                    "run once per context)"
                                  : "attention within/across frames (keys "
                                    "fixed by the frame grid)";
    std::string note = what + (anyCross && anyFactorized ? " add" : " adds") +
                       " a fixed " +
                       flopsText(fixedAttn) + " per token";
    fig.crossoverNote = fig.crossoverNote.empty()
                            ? note
                            : fig.crossoverNote + "; " + note;
  }
}

//===----------------------------------------------------------------------===//
// analyzeTransformer, phase by phase
//===----------------------------------------------------------------------===//

/// MLA's cache both ways (the latent and the per-head K/V it expands to),
/// summed over the blocks.
static void sizeLatentAndWindowedCache(const TransformerStructure &structure,
                                       const DtypePolicy &policy,
                                       TransformerFigures &fig) {
  for (const AttentionBlock &a : structure.getAttentions()) {
    auto latent = latentKVBytesPerToken(a, policy, /*latent=*/true);
    auto expanded = latentKVBytesPerToken(a, policy, /*latent=*/false);
    if (latent && expanded) {
      fig.kvLatentBytesPerToken += *latent;
      fig.kvExpandedBytesPerToken += *expanded;
      fig.cachesLatent |= a.latent.cachesLatent;
    }
  }
}

/// The attention kinds seen, whether any is causal or input-masked, and
/// the Mixture-of-Experts blocks. Beside the source and scope, the
/// mechanism when it is not softmax over every key: `mla` (latent K/V),
/// `sliding` (a window), `linear` (a state).
static void labelAttentionKinds(const TransformerStructure &structure,
                                TransformerFigures &fig) {
  for (const AttentionBlock &a : structure.getAttentions()) {
    SmallVector<std::string, 2> kinds = {
        attentionKindName(a.source, a.scope).str()};
    if (a.latent.isRecognised())
      kinds.push_back("mla");
    if (a.window)
      kinds.push_back("sliding");
    if (a.linear)
      kinds.push_back("linear");
    for (std::string &k : kinds)
      if (!llvm::is_contained(fig.attentionKinds, k))
        fig.attentionKinds.push_back(k);
    fig.causal |= a.causal;
    fig.inputMask |= a.inputMask;
  }
  fig.causalDecodeStep =
      fig.causal && llvm::all_of(structure.getAttentions(),
                                 [](const AttentionBlock &a) {
                                   return !a.causal || a.decodeStep;
                                 });
  for (const MLPBlock &m : structure.getMLPs())
    if (m.nExperts)
      fig.expertBlocks.push_back(describeExpertBlock(m));
  fig.routing = routingSkewOf(routedExpertBlocks(structure));
}

int64_t mlir::tfperf::cachedKeysAt(std::optional<int64_t> window,
                                   int64_t kvLen) {
  return window ? std::min<int64_t>(kvLen, *window) : kvLen;
}

/// The keys block `a` caches (and a decode step reads) at KV length `kvLen`.
static int64_t cachedKeys(const AttentionBlock &a, int64_t kvLen) {
  return cachedKeysAt(a.window, kvLen);
}

//===----------------------------------------------------------------------===//
// A Whisper search's step
//===----------------------------------------------------------------------===//

namespace {
/// A Whisper search (BeamSearch with model_type 2, WhisperBeamSearch) whose
/// subgraphs the phases run as onnxruntime runs one step of it
/// (docs/TransformerAnalysis.md#phases): prefill is its encoder subgraph
/// (the audio encoder and the decoder's pass over the start tokens, its
/// first run) on B rows of S start tokens; decode one run of its decoder on
/// B rows, one token after a self past of L - 1, its cross K/V the
/// encoder's at the search's input_features. Its decoder's own dims (rows,
/// the buffers' length, the frames) are symbols of the subgraph that no
/// substitution of the graph's batch and sequence binds: the subgraphs are
/// re-shaped from their inputs instead, as for the whole generation
/// (BeamSearchSchedule.h).
struct WhisperSearch {
  Operation *op = nullptr;
  Region *encoder = nullptr, *decoder = nullptr;
  /// At the graph's shapes: the default sizes, whether the self K/V are
  /// shared buffers and how long.
  BeamSearchSchedule schedule;
  /// Why no step of it can run (onnxruntime rejects the search); empty
  /// when one can.
  std::string problem;
};

/// The graph's one Whisper search with both subgraphs, if it has one.
static std::optional<WhisperSearch> findWhisperSearch(func::FuncOp func) {
  SmallVector<Operation *, 1> searches;
  func.walk([&](Operation *op) {
    if (isSearchOp(op) && getSearchModel(op) == SearchModel::Whisper)
      searches.push_back(op);
  });
  if (searches.size() != 1)
    return std::nullopt;
  WhisperSearch w;
  w.op = searches.front();
  w.encoder = getSearchSubgraph(w.op, "encoder");
  w.decoder = getSearchSubgraph(w.op, "decoder");
  if (!w.encoder || !w.decoder)
    return std::nullopt;
  TypeShapeQuery types;
  w.schedule = getBeamSearchSchedule(w.op, types);
  // An unknown batch, max_length or num_beams only leaves a default to
  // choose; start tokens of unknown length, or as many as max_length
  // (onnxruntime rejects the search), leave no step to cost.
  std::optional<int64_t> n = w.schedule.maxLength.getInt64(),
                         p = w.schedule.prompt.getInt64();
  if (!w.schedule.prompt.isKnown() || (n && p && *n <= *p))
    w.problem = (getSearchOpName(w.op) + " '" + getNodeName(w.op) + "': " +
                 w.schedule.unknownReason)
                    .str();
  return w;
}

/// One step of a Whisper search: its subgraphs re-shaped for `rows` rows,
/// the encoder over `startTokens`, the decoder at `run`. A shared self
/// buffer is bound to the run's past, as a phase binds any shared buffer
/// (docs/TransformerAnalysis.md, causality): the self attention attends
/// over those keys and the new one.
class WhisperStep : public ShapeQuery {
public:
  WhisperStep(const WhisperSearch &search, const ShapeQuery &base,
              int64_t rows, int64_t startTokens, const DecoderRun &run)
      : search(search), base(base) {
    if (!search.problem.empty()) {
      encoderProblem = decoderProblem = search.problem;
      return;
    }
    BeamSearchSchedule step = search.schedule;
    step.batch = SymExpr(rows);
    step.beams = SymExpr(1);
    step.prompt = SymExpr(startTokens);
    if (step.shareBuffer)
      step.maxLength = run.past;
    Operation *op = search.op;
    Region &enc = *search.encoder, &dec = *search.decoder;
    // input_features' feature size and frames are the graph's: one that is
    // a symbol leaves the ops it sizes a formula, unknown in the phase.
    if (auto features = base.dims(op->getOperand(0)))
      for (const SymExpr &d : features->drop_front())
        if (!d.isConstant())
          unbound.push_back(d.str());
    auto seedEncoder = [&](ShapeContext &ctx, std::string &why) {
      if (failed(seedWhisperEncoder(op, enc, base, step, ctx, why)))
        return failure();
      // input_features at the step's rows.
      TensorInfo features = ctx.get(enc.getArgument(0));
      if (!features.dims.empty())
        features.dims.front() = SymExpr(rows);
      ctx.set(enc.getArgument(0), std::move(features));
      return success();
    };
    if (failed(replaySearchSubgraph(op, enc, encoder, seedEncoder,
                                    encoderProblem))) {
      decoderProblem = "its cross K/V come from the encoder: " + encoderProblem;
      return;
    }
    auto seedDecoder = [&](ShapeContext &ctx, std::string &why) {
      return seedDecoderRun(op, dec, base, step, run, ctx, why, &encoder);
    };
    (void)replaySearchSubgraph(op, dec, decoder, seedDecoder, decoderProblem);
  }

  /// The search's values in the decoder (its step scores the decoder's
  /// logits) at the decoder's shapes, the others at the graph's.
  std::optional<ArrayRef<SymExpr>> dims(Value v) const override {
    Region *r = v.getParentRegion();
    if (r && search.decoder->isAncestor(r))
      return decoder.dims(v);
    return base.dims(v);
  }
  /// The shapes `op` runs at in the step.
  const ShapeQuery &of(Operation *op) const {
    Region *r = op->getParentRegion();
    if (search.decoder->isAncestor(r))
      return decoder;
    if (search.encoder->isAncestor(r))
      return encoder;
    return op == search.op ? *this : base;
  }
  /// Why `op` cannot be costed at the step; empty when it can.
  std::string problemOf(Operation *op) const {
    // A constant costs nothing at any shapes.
    if (op->hasTrait<OpTrait::ConstantLike>())
      return "";
    Region *r = op->getParentRegion();
    if (search.decoder->isAncestor(r) || op == search.op)
      return decoderProblem;
    if (search.encoder->isAncestor(r))
      return encoderProblem;
    return "";
  }
  /// The phase's note when a subgraph cannot run at the step, or runs on
  /// input_features of unbound dims.
  std::string note(bool decode) const {
    const std::string &p = decode ? decoderProblem : encoderProblem;
    if (!p.empty())
      return "its " + std::string(decode ? "decoder" : "encoder") +
             " cannot run at this step: " + p;
    if (unbound.empty())
      return "";
    return "input_features has unbound dims (" + llvm::join(unbound, ", ") +
           "): the ops they size are unknown (bind them with --bind-dims)";
  }

private:
  const WhisperSearch &search;
  const ShapeQuery &base;
  ContextShapes encoder, decoder;
  std::string encoderProblem, decoderProblem;
  SmallVector<std::string, 2> unbound;
};

/// The ops of `region` (a subgraph a phase does not run).
static llvm::DenseSet<Operation *> opsIn(Region &region) {
  llvm::DenseSet<Operation *> ops;
  region.walk([&](Operation *op) { ops.insert(op); });
  return ops;
}
} // namespace

namespace {
/// One analyzeTransformer call on one device: the sizes asked for, the
/// graph's token shapes, and the figures each phase fills in.
class PhaseAnalyzer {
public:
  PhaseAnalyzer(func::FuncOp func, const TransformerStructure &structure,
                const PhaseOptions &opts, const DtypePolicy &policy,
                const DeviceSpec &device, const TokenShapes &tokens,
                TransformerFigures &fig)
      : func(func), structure(structure), opts(opts), policy(policy),
        device(device), tokens(tokens), fig(fig),
        hasPast(llvm::any_of(structure.getAttentions(),
                             [](const AttentionBlock &a) {
                               return !a.pastInputs.empty();
                             })),
        pastSym(tokens.past.isKnown()), whisper(findWhisperSearch(func)) {}

  /// Batch, sequence and KV length: the options, else the graph's own.
  /// Fails on sizes the graph cannot take.
  LogicalResult chooseSizes(std::string &error);
  /// Weight bytes, the KV cache and how many tokens of it fit.
  void sizeWeightsAndKVCache();
  /// The graph at (B, S).
  void analyzePrefill();
  /// Without a cache, every step re-runs all tokens so far.
  void analyzeNoCacheStep();
  /// One new token per sequence against a KV cache of L tokens, and the
  /// batch at which that turns compute-bound.
  void analyzeDecode();
  /// Per-token attention and MLP GEMMs, per-block GEMMs, the crossover.
  void analyzePerToken();
  /// Shared with the other devices' analyzers (may be null).
  PhaseAnalysisCache *cache = nullptr;

private:
  /// The cache's slot for the kernels of phase `name`, or null.
  std::shared_ptr<const KernelAnalysis> *kernelsOf(llvm::StringRef name) {
    return cache ? &cache->phaseKernels[name] : nullptr;
  }
  PhaseGraph graph() const { return {func, structure, policy, device}; }
  llvm::StringMap<SymExpr>
  substitution(std::optional<int64_t> b, std::optional<int64_t> s,
               std::optional<int64_t> p,
               std::optional<int64_t> total = std::nullopt) const;
  /// Ops between a past-KV input and the attention scores.
  std::optional<PhaseResult> decodeAt(int64_t batch, bool reported = false);
  /// A Whisper search's sizes: B its rows, S its start tokens, L = S.
  LogicalResult chooseWhisperSizes(std::string &error);
  /// One step of the Whisper search at `batch` rows: its encoder (prefill)
  /// or one decoder run (decode).
  PhaseResult whisperPhase(bool decode, int64_t batch, bool reported);

  func::FuncOp func;
  const TransformerStructure &structure;
  const PhaseOptions &opts;
  const DtypePolicy &policy;
  const DeviceSpec &device;
  const TokenShapes &tokens;
  TransformerFigures &fig;
  /// The graph takes a KV cache; its length is a symbol of its own.
  bool hasPast, pastSym;
  /// The past length of a graph whose past-KV inputs have a fixed size.
  std::optional<int64_t> fixedPast;
  int64_t B = 1, S = 1, L = 1;
  // Derived decode, found once for every batch decoded.
  llvm::DenseSet<Operation *> cachePath, cached;
  std::optional<llvm::DenseMap<Value, int>> kvDims;
  /// The graph's Whisper search, whose steps the phases cost.
  std::optional<WhisperSearch> whisper;
};
} // namespace

/// The tokens a graph with fixed-size past-KV inputs has cached: a past
/// input's length along the axis its cache-append Concat extends (none for
/// a static buffer written in place, whose length is its capacity).
static std::optional<int64_t>
fixedPastLength(const TransformerStructure &structure) {
  for (const AttentionBlock &a : structure.getAttentions())
    for (Value past : a.pastInputs) {
      auto type = dyn_cast<RankedTensorType>(past.getType());
      if (!type || !type.hasStaticShape())
        continue;
      for (Operation *user : past.getUsers()) {
        auto concat = dyn_cast<ConcatOp>(user);
        if (!concat)
          continue;
        int64_t axis = concat.getAxis();
        if (axis < 0)
          axis += type.getRank();
        if (axis >= 0 && axis < type.getRank())
          return type.getDimSize(axis);
      }
    }
  return std::nullopt;
}

LogicalResult PhaseAnalyzer::chooseWhisperSizes(std::string &error) {
  const BeamSearchSchedule &s = whisper->schedule;
  // The default step is the search's: batch x num_beams rows after its
  // start tokens.
  std::optional<int64_t> rows = (s.batch * s.beams).getInt64(),
                         batch = s.batch.getInt64(),
                         start = s.prompt.getInt64(),
                         maxLength = s.maxLength.getInt64();
  B = opts.batch ? opts.batch : rows ? *rows : batch ? *batch : 1;
  S = opts.seq ? opts.seq : start ? std::max<int64_t>(*start, 1) : 1;
  L = opts.kvLen ? opts.kvLen : S;
  std::string name =
      (getSearchOpName(whisper->op) + " '" + getNodeName(whisper->op) + "'")
          .str();
  if (maxLength && opts.seq && S >= *maxLength) {
    error = "--seq: " + name + " generates up to max_length = " +
            std::to_string(*maxLength) +
            " tokens, so it starts from fewer (onnxruntime rejects more)";
    return failure();
  }
  if (maxLength && s.shareBuffer && opts.kvLen && L > *maxLength) {
    error = "--kv-len: the self K/V buffers of " + name + " hold max_length = " +
            std::to_string(*maxLength) +
            " tokens (past_present_share_buffer)";
    return failure();
  }
  return success();
}

LogicalResult PhaseAnalyzer::chooseSizes(std::string &error) {
  if (whisper)
    return chooseWhisperSizes(error);
  B = opts.batch ? opts.batch : (tokens.batch0 ? tokens.batch0 : 1);
  S = opts.seq ? opts.seq : tokens.seq0;
  if (opts.seq && !tokens.seq.isKnown() && opts.seq != tokens.seq0) {
    error = "--seq: this graph's sequence length is fixed at " +
            std::to_string(tokens.seq0) +
            " (no sequence dim to bind, e.g. image patches or a decode-step graph)";
    return failure();
  }
  if (opts.batch && !tokens.batch.isKnown() && opts.batch != tokens.batch0) {
    error = "--batch: this graph's batch is fixed at " +
            std::to_string(tokens.batch0);
    return failure();
  }
  if (S == 0)
    S = 1;
  L = opts.kvLen ? opts.kvLen : std::max<int64_t>(S, 1);
  if (hasPast && !pastSym)
    fixedPast = fixedPastLength(structure);
  if (fixedPast) {
    // The step runs at the graph's own past length: its KV is that plus
    // the step's tokens, whatever --kv-len says.
    int64_t kv = *fixedPast + std::max<int64_t>(tokens.seq0, 1);
    if (opts.kvLen && opts.kvLen != kv) {
      error = "--kv-len: this graph's past KV length is fixed at " +
              std::to_string(*fixedPast) + " (KV " + std::to_string(kv) +
              " at its step); leave the past dim symbolic to choose it";
      return failure();
    }
    L = kv;
  }
  return success();
}

void PhaseAnalyzer::sizeWeightsAndKVCache() {
  double weightBytes = 0;
  func.walk([&](WeightOp w) {
    weightBytes += double(cast<ShapedType>(w.getType()).getNumElements()) *
                   policy.bitsOf(w.getResult()) / 8;
  });
  fig.weightBytes = weightBytes;
  // Each layer's cache holds its own keys: a sliding window caps only the
  // layers that have one.
  double bytesAtL = 0;
  for (const AttentionBlock &a : structure.getAttentions())
    if (auto bytes = kvCacheBytesPerToken(a, policy)) {
      fig.kvCacheBytesPerToken += *bytes;
      bytesAtL += *bytes * double(cachedKeys(a, L));
    }
  sizeLatentAndWindowedCache(structure, policy, fig);
  fig.kvCacheBytes = bytesAtL * B;
  // Linear attention and causal convolutions keep a state per sequence,
  // whatever its length.
  func.walk([&](Operation *op) {
    if (auto st = recurrentStatePerSequence(op, policy))
      (st->linearAttention ? fig.linearStateBytesPerSequence
                           : fig.convStateBytesPerSequence) += st->bytes;
  });
  fig.stateBytes = fig.stateBytesPerSequence() * double(B);
  if (fig.kvCacheBytesPerToken > 0) {
    double free =
        opts.devices * device.memCapacity - weightBytes - fig.stateBytes;
    fig.kvCapacityTokens = std::max(0.0, free / fig.kvCacheBytesPerToken);
  }
}

llvm::StringMap<SymExpr>
PhaseAnalyzer::substitution(std::optional<int64_t> b, std::optional<int64_t> s,
                            std::optional<int64_t> p,
                            std::optional<int64_t> total) const {
  auto sym = [](std::optional<int64_t> v) -> std::optional<SymExpr> {
    if (v)
      return SymExpr(*v);
    return std::nullopt;
  };
  return tokens.substitution(sym(b), sym(s), sym(p), sym(total));
}

PhaseResult PhaseAnalyzer::whisperPhase(bool decode, int64_t batch,
                                        bool reported) {
  SubstitutedShapes base(tokens, substitution(batch, S, std::nullopt));
  WhisperStep step(*whisper, base, batch, S,
                   decode ? DecoderRun{1, SymExpr(L - 1)}
                          : DecoderRun{1, SymExpr(S)});
  // Decode leaves out the encoder (once per sequence), prefill the decoder.
  llvm::DenseSet<Operation *> notRun =
      opsIn(decode ? *whisper->encoder : *whisper->decoder);
  PhaseRun run;
  run.name = decode ? "decode" : "prefill";
  run.select = [&](Operation *op) -> const ShapeQuery & { return step.of(op); };
  run.problemOf = [&](Operation *op) { return step.problemOf(op); };
  run.cached = &notRun;
  run.visit = reported ? &opts : nullptr;
  run.timing = reported ? &opts.timing : nullptr;
  run.kernels = reported ? kernelsOf(run.name) : nullptr;
  PhaseResult r = runPhase(graph(), run);
  r.batch = batch;
  r.seq = decode ? 1 : S;
  r.kvLen = decode ? L : S;
  r.note = step.note(decode);
  return r;
}

void PhaseAnalyzer::analyzePrefill() {
  if (whisper) {
    if (opts.phase != "decode")
      fig.prefill = whisperPhase(/*decode=*/false, B, /*reported=*/true);
    return;
  }
  bool prefillPossible = tokens.seq.isKnown() || !hasPast || tokens.seq0 > 1;
  if (opts.phase == "decode" || !prefillPossible)
    return;
  SubstitutedShapes q(tokens, substitution(B, S, 0));
  PhaseRun run;
  run.name = "prefill";
  run.select = [&](Operation *) -> const ShapeQuery & { return q; };
  run.visit = &opts;
  run.timing = &opts.timing;
  run.kernels = kernelsOf("prefill");
  PhaseResult r = runPhase(graph(), run);
  r.batch = B;
  r.seq = S;
  r.kvLen = S;
  fig.prefill = std::move(r);
}

std::optional<PhaseResult> PhaseAnalyzer::decodeAt(int64_t batch,
                                                   bool reported) {
  if (whisper)
    return whisperPhase(/*decode=*/true, batch, reported);
  const PhaseOptions *visit = reported ? &opts : nullptr;
  // The critical-batch fit reads the roofline times only.
  const Timing *timing = reported ? &opts.timing : nullptr;
  if (pastSym || (hasPast && !tokens.seq.isKnown())) {
    // The cache is appended in place and read once by the scores ops:
    // the ops on its path run at the new token only (past = 0).
    SubstitutedShapes q(tokens, substitution(batch, 1, L - 1));
    SubstitutedShapes append(tokens, substitution(batch, 1, 0, L));
    PhaseRun run;
    run.name = "decode";
    run.select = [&](Operation *op) -> const ShapeQuery & {
      return cachePath.count(op) ? append : q;
    };
    run.visit = visit;
    run.timing = timing;
    run.kernels = reported ? kernelsOf("decode") : nullptr;
    PhaseResult r = runPhase(graph(), run);
    r.batch = batch;
    r.seq = 1;
    r.kvLen = pastSym || fixedPast ? L : tokens.seq0;
    return r;
  }
  // Derived decode: the graph has no cache; run it at one token, its
  // attention scores against L keys.
  if (!tokens.seq.isKnown())
    return std::nullopt;
  SubstitutedShapes one(tokens, substitution(batch, 1, std::nullopt));
  llvm::StringMap<SymExpr> kvSubst;
  kvSubst[*tokens.seq.getSingleSymbol()] = SymExpr(L);
  if (!kvDims)
    kvDims = kvDimsOf(func, structure);
  SubstitutedShapes scores(tokens, substitution(batch, 1, std::nullopt),
                           *kvDims, kvSubst);
  // An engine's flash kernel reads the L - 1 cached tokens' K and V besides
  // the new token's, which are all the graph computes here. At the graph's
  // element sizes, as kernels' bytes are (the what-if dtypes scale them).
  // A sliding window's kernel reads the window's keys only.
  PhaseRun run;
  run.name = "decode";
  run.select = [&](Operation *op) -> const ShapeQuery & {
    return structure.isScoresOp(op) ? scores : one;
  };
  run.visit = visit;
  run.cached = &cached;
  run.timing = timing;
  run.kernels = reported ? kernelsOf("decode") : nullptr;
  run.uncachedKVBytes = [&](const AttentionBlock &a) {
    int64_t keys = cachedKeys(a, L);
    return uncachedKVReadBytes(a, DtypePolicy(), double(batch) * double(keys),
                               double(batch))
        .value_or(0.0);
  };
  PhaseResult r = runPhase(graph(), run);
  r.batch = batch;
  r.seq = 1;
  r.kvLen = L;
  r.derived = true;
  return r;
}

void PhaseAnalyzer::analyzeNoCacheStep() {
  if (opts.phase == "prefill" || !structure.isTransformer() ||
      !tokens.seq.isKnown() || pastSym || hasPast || whisper)
    return;
  SubstitutedShapes q(tokens, substitution(B, L + 1, std::nullopt));
  PhaseRun run;
  run.name = "decode without KV cache";
  run.select = [&](Operation *) -> const ShapeQuery & { return q; };
  run.timing = &opts.timing;
  run.kernels = kernelsOf("no-cache");
  PhaseResult r = runPhase(graph(), run);
  r.batch = B;
  r.seq = L + 1;
  r.kvLen = 0;
  fig.noCacheStep = std::move(r);
}

void PhaseAnalyzer::analyzeDecode() {
  if (opts.phase == "prefill" || !structure.isTransformer())
    return;
  cachePath = cacheAppendOps(structure);
  cached = oncePerSequence(func, tokens, tokens.seq);
  fig.decode = decodeAt(B, /*reported=*/true);
  if (!fig.decode) {
    if (!tokens.seq.isKnown())
      fig.note += std::string(fig.note.empty() ? "" : "; ") +
                  "decode: the graph has no sequence dim to re-run at one token";
    return;
  }
  if (!fig.causal && !hasPast) {
    fig.decode->applicable = false;
    fig.decode->note =
        fig.inputMask
            ? "no causal mask in the graph (the mask is a graph input): "
              "a decode step holds only if the model is a decoder"
            : "the attention is not causal (an encoder): a decode step "
              "is hypothetical";
  }
  PhaseTotals &t = fig.decode->totals;
  fig.memToComputeTimeRatio = t.computeTime > 0 ? t.memoryTime / t.computeTime : 0;
  // Both times are linear in the batch: solve compute = memory.
  // The reported step is one of the two when the batch is 1 or 2.
  auto d1 = B == 1 ? fig.decode : decodeAt(1);
  auto d2 = B == 2 ? fig.decode : decodeAt(2);
  if (d1 && d2) {
    double c1 = d2->totals.computeTime - d1->totals.computeTime;
    double m1 = d2->totals.memoryTime - d1->totals.memoryTime;
    double c0 = d1->totals.computeTime - c1, m0 = d1->totals.memoryTime - m1;
    if (c1 > m1 && c1 > 0)
      fig.criticalBatch = std::max(1.0, (m0 - c0) / (c1 - m1));
  }
}

void PhaseAnalyzer::analyzePerToken() {
  // A Whisper search's per-token figures are its decode step's, whose
  // decoder has no dims of the graph's to substitute.
  std::optional<SubstitutedShapes> base;
  std::optional<WhisperStep> step;
  std::function<const ShapeQuery &(Operation *)> shapesOf;
  if (whisper) {
    base.emplace(tokens, substitution(B, S, std::nullopt));
    step.emplace(*whisper, *base, B, S, DecoderRun{1, SymExpr(L - 1)});
    shapesOf = [&](Operation *op) -> const ShapeQuery & {
      return step->of(op);
    };
  }
  PerTokenGemms gemms(func, structure, tokens, L, pastSym, shapesOf);
  LayerGemms layer = gemms.firstLayer();
  fig.blockGemms = gemms.perBlock();
  setCrossover(layer, fig);
}

std::optional<TransformerFigures>
mlir::tfperf::analyzeTransformer(ModuleOp module,
                                 const TransformerStructure &structure,
                                 const PhaseOptions &opts,
                                 const DtypePolicy &policy,
                                 const DeviceSpec &device, std::string &error,
                                 PhaseAnalysisCache *cache) {
  func::FuncOp func = firstFunction(module);
  if (!func)
    return std::nullopt;
  TransformerFigures fig;
  fig.dims = structure.getDims();
  // Phases, KV cache and crossover are about blocks: a graph without any
  // (a lone Einsum, a CNN) has none to report.
  if (!structure.isTransformer() && structure.getMLPs().empty())
    return fig;
  labelAttentionKinds(structure, fig);
  std::unique_ptr<TokenShapes> ownTokens;
  std::unique_ptr<TokenShapes> &tokensSlot = cache ? cache->tokens : ownTokens;
  if (!tokensSlot)
    tokensSlot = std::make_unique<TokenShapes>(func, structure);
  const TokenShapes &tokens = *tokensSlot;
  fig.maxPositionsLowerBound =
      fig.dims.maxPositions && *fig.dims.maxPositions == tokens.seq0;
  fig.note = tokens.totalNote;

  PhaseAnalyzer phases(func, structure, opts, policy, device, tokens, fig);
  phases.cache = cache;
  if (failed(phases.chooseSizes(error)))
    return std::nullopt;
  phases.sizeWeightsAndKVCache();
  phases.analyzePrefill();
  phases.analyzeNoCacheStep();
  phases.analyzeDecode();
  // The per-token figures depend on the graph alone.
  if (cache && cache->perToken) {
    const TransformerFigures &c = *cache->perToken;
    fig.blockGemms = c.blockGemms;
    fig.attnProjPerToken = c.attnProjPerToken;
    fig.attnPerKeyPerToken = c.attnPerKeyPerToken;
    fig.attnFixedPerToken = c.attnFixedPerToken;
    fig.mlpPerToken = c.mlpPerToken;
    fig.crossoverSeq = c.crossoverSeq;
    fig.crossoverNote = c.crossoverNote;
  } else {
    phases.analyzePerToken();
    if (cache)
      cache->perToken = fig;
  }
  return fig;
}
