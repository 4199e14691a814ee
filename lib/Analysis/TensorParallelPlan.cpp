//===- TensorParallelPlan.cpp - Megatron-style split propagation ----------===//
//
// The plan (SplitPropagation) walks the function once, in order, carrying a
// split state per value: the split dim, its units F (heads, d_ff columns,
// vocab rows), the extent I inside the dim that each unit spans (d_head for
// a [.., H * d_head] projection), and R, copies of each unit made by a
// broadcast (GQA's repeat of KV heads). It seeds the splits the transformer
// structure chooses (column-parallel projections, vocabulary tables, KV
// caches) or that arguments are annotated with, and asks every op's split
// rule (ParallelSplitOpInterface, lib/Dialect/TFPerf/IR/ParallelSplit*.cpp
// and the linalg external model) what its results get; where a rule cannot
// carry a split, the operands are gathered in front of the op.
// docs/TensorParallel.md describes the rules; TensorParallelCost.cpp costs
// the plan at each degree.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Analysis/TensorParallelPlan.h"
#include "tfperf/Analysis/CostAnalysis.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfAttrs.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseSet.h"

#include <set>

using namespace mlir;
using namespace mlir::tfperf;

//===----------------------------------------------------------------------===//
// Split propagation
//===----------------------------------------------------------------------===//

bool mlir::tfperf::isParameterView(Operation *op) {
  return op->getNumResults() == 1 && !op->hasTrait<OpTrait::ConstantLike>() &&
         isa<TransposeOp, ReshapeOp, IdentityOp, CastOp, UnsqueezeOp, SqueezeOp,
             FlattenOp>(op) &&
         isParameter(op->getResult(0));
}

namespace {

/// Ranks and dims, as the plan's own seeding reads them.
int rankOf(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t ? (int)t.getRank() : -1;
}

std::optional<int64_t> constDim(Value v, int d) {
  auto ds = getSymbolicDims(v.getType());
  if (!ds || d < 0 || d >= (int)ds->size())
    return std::nullopt;
  return (*ds)[d].getInt64();
}

/// The column-parallel linears of an MLP block: a dense MLP's up (and gate)
/// projections; under Megatron-style TP a plain MoE replicates its router
/// (E columns, tiny) and splits each routed and shared expert like a dense
/// MLP: all of an expert's linears but its down projection. A fused MoE op
/// stays whole.
SmallVector<Operation *> mlpColumnLinears(const MLPBlock &m) {
  if (!m.nExperts)
    return SmallVector<Operation *>(m.up.begin(), m.up.end());
  SmallVector<Operation *> columns;
  if (m.experts)
    return columns;
  for (Operation *l : ArrayRef<Operation *>(m.linears).drop_front())
    if (!llvm::is_contained(m.routedDowns, l) && l != m.down)
      columns.push_back(l);
  return columns;
}

/// A plain MoE block's combine: the first op (walk order) whose data
/// depends on every routed expert's down projection and the shared
/// experts' (shapes read from them carry no data); null when none does.
Operation *expertCombine(ArrayRef<Operation *> ops, ArrayRef<Operation *> downs) {
  llvm::DenseMap<Operation *, llvm::BitVector> reach;
  for (Operation *op : ops) {
    if (isa<ShapeOp, SizeOp>(op))
      continue;
    llvm::BitVector mask(downs.size());
    for (Value v : op->getOperands())
      if (Operation *def = v.getDefiningOp()) {
        auto it = reach.find(def);
        if (it != reach.end())
          mask |= it->second;
      }
    const auto *down = llvm::find(downs, op);
    if (down != downs.end())
      mask.set(down - downs.begin());
    else if (mask.all())
      return op;
    if (mask.any())
      reach[op] = std::move(mask);
  }
  return nullptr;
}

} // namespace

namespace mlir::tfperf {

/// Walks the function in order and asks each op's split rule
/// (ParallelSplitOpInterface) for the splits of its results, given those of
/// its operands; the SplitContext it gives the rules is this walk's state.
class SplitPropagation : public SplitContext {
public:
  SplitPropagation(TensorParallelPlan &plan, func::FuncOp func,
                   const TransformerStructure &s)
      : plan(plan), func(func), s(s) {}

  void run();

  // SplitContext.
  ValueSplit getSplit(Value v) const override {
    if (!v || gathered.count(v))
      return {};
    auto it = state.find(v);
    return it == state.end() ? ValueSplit() : it->second;
  }
  void setSplit(Value v, const ValueSplit &st) override {
    if (st.isSplit())
      state[v] = st;
  }
  UnitGroup &getGroup(int g) override { return plan.groups[g]; }
  int addGroup(UnitKind kind, int64_t units, Operation *origin,
               int64_t heads = 0, int64_t kvHeads = 0) override {
    UnitGroup g;
    g.kind = kind;
    g.units = std::max<int64_t>(units, 1);
    g.heads = heads;
    g.kvHeads = kvHeads;
    g.origin = origin ? getNodeName(origin) : std::string();
    plan.groups.push_back(std::move(g));
    int index = (int)plan.groups.size() - 1;
    if (auto it = origin ? linearOrigins.find(origin) : linearOrigins.end();
        it != linearOrigins.end())
      plan.linearGroups[index] = it->second;
    return index;
  }
  int derivedGroup(int g, int64_t units,
                   std::optional<UnitKind> kind = {}) override {
    UnitGroup n = plan.groups[g];
    n.units = std::max<int64_t>(units, 1);
    if (kind) {
      n.kind = *kind;
      n.heads = n.kvHeads = 0;
    }
    if (n.kind == plan.groups[g].kind && n.units == plan.groups[g].units &&
        n.heads == plan.groups[g].heads)
      return g;
    plan.groups.push_back(std::move(n));
    int index = (int)plan.groups.size() - 1;
    if (auto it = plan.linearGroups.find(g); it != plan.linearGroups.end()) {
      int64_t stateHeads = it->second;
      plan.linearGroups[index] = stateHeads;
    }
    return index;
  }
  int getColumnGroup(Operation *op) const override {
    auto it = columnGroup.find(op);
    return it == columnGroup.end() ? -1 : it->second;
  }
  int getVocabGroup(Operation *op) const override {
    auto it = vocabGroup.find(op);
    return it == vocabGroup.end() ? -1 : it->second;
  }
  Value getLinearInput(Operation *op) const override {
    return tfperf::getLinearInput(op);
  }
  SplitKind getShardedKind(Operation *op) const override {
    return s.isScoresOp(op) ? SplitKind::Heads : SplitKind::Sharded;
  }

private:
  TensorParallelPlan &plan;
  func::FuncOp func;
  const TransformerStructure &s;
  llvm::DenseMap<Value, ValueSplit> state;
  llvm::DenseMap<Operation *, int> columnGroup, vocabGroup;
  llvm::DenseSet<Value> gathered;
  /// The ops of linear-attention blocks that start unit groups, with the
  /// block's state heads (TensorParallelPlan::linearGroups).
  llvm::DenseMap<Operation *, int64_t> linearOrigins;

  void buildColumnSet();
  void seedCaches();
  void seedAnnotatedArguments();
  void visit(Operation *op);
  /// The op's split rule: failure on a conflict (an all-gather goes in
  /// front), with the reason in getFailure().
  LogicalResult applyRule(Operation *op, OpSplit &sp);
  void gatherSplitOperands(Operation *op);
  void addGather(Value v);
  void finishParameters();
  void reduceExpertsOnce();
};

} // namespace mlir::tfperf

void SplitPropagation::buildColumnSet() {
  auto width = [](Operation *op) -> int64_t {
    auto d = getSymbolicDims(op->getResult(0).getType());
    if (!d || d->empty())
      return 0;
    // Conv: output channels; others: the last dim.
    const SymExpr &w = isa<ConvOp>(op) && d->size() >= 2 ? (*d)[1] : d->back();
    return w.getInt64().value_or(0);
  };
  auto konst = [](const SymExpr &e) { return e.getInt64().value_or(0); };
  for (const AttentionBlock &a : s.getAttentions())
    if (a.linear) {
      int64_t stateHeads = konst(a.kvHeads);
      for (auto *list : {&a.qProj, &a.kProj, &a.vProj})
        for (Operation *p : *list)
          linearOrigins[p] = stateHeads;
      for (Operation *p : a.gateSources)
        linearOrigins[p] = stateHeads;
      if (a.fused)
        linearOrigins[a.fused] = stateHeads;
    }
  for (const AttentionBlock &a : s.getAttentions()) {
    int64_t H = konst(a.heads), Hkv = konst(a.kvHeads), dh = konst(a.headDim);
    auto add = [&](Operation *p) {
      if (isFusedAttention(p) || columnGroup.count(p) || !getLinearInput(p))
        return;
      bool q = llvm::is_contained(a.qProj, p);
      bool k = llvm::is_contained(a.kProj, p);
      bool v = llvm::is_contained(a.vProj, p);
      int64_t w = width(p);
      // Units of d_head elements; a fused QKV of equal parts ([3, H, dh])
      // splits H in each part (Megatron orders the columns that way).
      int64_t units = dh > 0 && w % dh == 0 ? w / dh : w, size = dh;
      if (dh <= 0 || w % dh != 0) {
        size = 1;
        units = w;
      }
      int g;
      if ((q && (k || v)) || (k && v)) {
        if (q && H > 0 && H == Hkv && w == 3 * H * dh)
          units = H;
        else if (!q && Hkv > 0 && w == 2 * Hkv * dh)
          units = Hkv;
        g = addGroup(UnitKind::FusedQKV, units, p, q ? H : 0, Hkv);
      } else {
        g = addGroup(q ? UnitKind::Heads : UnitKind::KVHeads, units, p);
      }
      plan.groups[g].unitSize = size;
      columnGroup[p] = g;
    };
    for (auto *list : {&a.qProj, &a.kProj, &a.vProj})
      for (Operation *p : *list)
        add(p);
    // The linears among a linear attention's gate sources split with its
    // state heads (Qwen3-Next's and Qwen3.5's z, a and b).
    if (auto la = dyn_cast_or_null<LinearAttentionOp>(a.fused)) {
      int64_t nkv = la.getKvNumHeads();
      for (Operation *p : a.gateSources) {
        int64_t w = width(p);
        if (columnGroup.count(p) || !getLinearInput(p) || w <= 0 || w % nkv)
          continue;
        int g = addGroup(UnitKind::Heads, nkv, p);
        plan.groups[g].unitSize = w / nkv;
        columnGroup[p] = g;
      }
    }
  }
  for (const MLPBlock &m : s.getMLPs())
    for (Operation *u : mlpColumnLinears(m))
      if (!columnGroup.count(u) && getLinearInput(u))
        columnGroup[u] = addGroup(UnitKind::Hidden, width(u), u);
  std::optional<int64_t> vocab = s.getDims().vocab;
  if (!vocab)
    return;
  func.walk([&](Operation *op) {
    OpTag tag = s.getTag(op);
    if (tag.block == BlockKind::Head && getLinearInput(op) &&
        width(op) == *vocab && !columnGroup.count(op))
      columnGroup[op] = addGroup(UnitKind::Vocab, *vocab, op);
    if (tag.block != BlockKind::Embedding)
      return;
    if (auto g = dyn_cast<GatherOp>(op)) {
      auto d = getSymbolicDims(g.getData().getType());
      auto idx = dyn_cast<ShapedType>(g.getIndices().getType());
      if (isParameter(g.getData()) && d && d->size() == 2 &&
          (*d)[0].isConstant(*vocab) && g.getAxis() == 0 && idx &&
          isa<IntegerType>(idx.getElementType()))
        vocabGroup[op] = addGroup(UnitKind::Vocab, *vocab, op);
    } else if (auto e = dyn_cast<MSEmbedLayerNormOp>(op)) {
      auto d = getSymbolicDims(e.getWordEmbedding().getType());
      if (d && d->size() == 2 && (*d)[0].isConstant(*vocab))
        vocabGroup[op] = addGroup(UnitKind::Vocab, *vocab, op);
    }
  });
}

void SplitPropagation::seedCaches() {
  // KV-cache inputs live on the devices of their heads.
  for (const AttentionBlock &a : s.getAttentions()) {
    auto kv = a.kvHeads.getInt64();
    if (!kv || *kv <= 0)
      continue;
    for (Value p : a.pastInputs) {
      if (state.count(p))
        continue;
      int r = rankOf(p);
      int d = r == 5 ? 2 : r == 4 ? 1 : -1;
      if (d < 0 || constDim(p, d) != *kv)
        continue;
      ValueSplit st;
      st.dim = d;
      st.F = *kv;
      st.group = addGroup(UnitKind::KVHeads, *kv,
                          p.getDefiningOp() ? p.getDefiningOp() : nullptr);
      if (a.linear)
        plan.linearGroups[st.group] = *kv;
      if (plan.groups[st.group].origin.empty())
        plan.groups[st.group].origin =
            a.linear ? "recurrent state input" : "KV cache input";
      state[p] = st;
    }
  }
}

void SplitPropagation::seedAnnotatedArguments() {
  // IR without a recognised transformer (lowered linalg, say) says where
  // to split: `tfperf.tp_split = d` on an argument splits its dim d, one
  // unit per element. An annotation that does not fit is ignored here;
  // tfperf-suggest-tp reports it.
  for (BlockArgument arg : func.getArguments()) {
    std::optional<int64_t> units = annotatedSplitUnits(func, arg);
    if (!units || state.count(arg))
      continue;
    ValueSplit st;
    st.dim =
        (int)func
            .getArgAttrOfType<IntegerAttr>(arg.getArgNumber(), kTPSplitAttrName)
            .getInt();
    st.F = *units;
    st.group = addGroup(UnitKind::Other, *units, nullptr);
    plan.groups[st.group].origin =
        "argument " + std::to_string(arg.getArgNumber());
    state[arg] = st;
  }
}

std::optional<int64_t> mlir::tfperf::annotatedSplitUnits(func::FuncOp func,
                                                         BlockArgument arg,
                                                         std::string *error) {
  Attribute attr = func.getArgAttr(arg.getArgNumber(), kTPSplitAttrName);
  if (!attr)
    return std::nullopt;
  auto fail = [&](const llvm::Twine &why) -> std::optional<int64_t> {
    if (error)
      *error = why.str();
    return std::nullopt;
  };
  auto dim = dyn_cast<IntegerAttr>(attr);
  if (!dim)
    return fail("must be an integer: the dim to split");
  auto type = dyn_cast<RankedTensorType>(arg.getType());
  if (!type)
    return fail("needs a ranked tensor argument");
  int64_t d = dim.getInt();
  if (d < 0 || d >= type.getRank())
    return fail("dim " + std::to_string(d) + " is out of range for rank " +
                std::to_string(type.getRank()));
  if (type.isDynamicDim(d) || type.getDimSize(d) < 2)
    return fail("dim " + std::to_string(d) +
                " needs a static extent of at least 2");
  return type.getDimSize(d);
}

void SplitPropagation::run() {
  buildColumnSet();
  seedCaches();
  seedAnnotatedArguments();
  func.walk<WalkOrder::PreOrder>([&](Operation *op) {
    if (op == func.getOperation())
      return;
    visit(op);
  });
  finishParameters();
  reduceExpertsOnce();
}

void SplitPropagation::reduceExpertsOnce() {
  // Each expert's row-parallel down projection leaves partial sums; the
  // weighting and the scatters that combine the experts are linear, so one
  // all-reduce of the combined output (shared experts' partial sums added
  // in) replaces one per expert, as Megatron-LM's MoE layer does.
  for (const MLPBlock &m : s.getMLPs()) {
    if (!m.nExperts || m.experts || m.routedDowns.empty())
      continue;
    SmallVector<Operation *> downs(m.routedDowns.begin(), m.routedDowns.end());
    if (!m.sharedLinears.empty() && m.down)
      downs.push_back(m.down);
    auto reduced = [&](Operation *op) {
      auto it = plan.splits.find(op);
      return it != plan.splits.end() && it->second.collectives.size() == 1 &&
             it->second.collectives[0].second == Collective::AllReduce;
    };
    if (!llvm::all_of(downs, reduced))
      continue;
    Operation *combine = expertCombine(plan.ops, downs);
    if (!combine || !plan.splits.count(combine) ||
        !plan.splits[combine].collectives.empty() ||
        combine->getNumResults() != 1)
      continue;
    for (Operation *d : downs)
      plan.splits[d].collectives.clear();
    plan.splits[combine].collectives.push_back({0, Collective::AllReduce});
  }
}

void SplitPropagation::addGather(Value v) {
  gathered.insert(v);
  // Gathering before a pure view moves the same bytes; the producer that
  // writes them is where the collective goes.
  while (auto r = dyn_cast<OpResult>(v)) {
    Operation *def = r.getOwner();
    if (isa<ReshapeOp, SqueezeOp, UnsqueezeOp, IdentityOp, FlattenOp>(def) &&
        getSplit(def->getOperand(0)).isSplit()) {
      v = def->getOperand(0);
      continue;
    }
    auto it = plan.splits.find(def);
    if (it != plan.splits.end())
      it->second.collectives.push_back(
          {r.getResultNumber(), Collective::AllGather});
    return;
  }
}

void SplitPropagation::gatherSplitOperands(Operation *op) {
  for (Value v : op->getOperands())
    if (getSplit(v).isSplit())
      addGather(v);
}

void SplitPropagation::visit(Operation *op) {
  if (op->hasTrait<OpTrait::ConstantLike>())
    return;
  OpSplit sp;
  sp.operandUnits.assign(op->getNumOperands(), 1);
  sp.resultUnits.assign(op->getNumResults(), 1);
  plan.ops.push_back(op);
  if (isParameterView(op)) {
    plan.splits[op] = sp; // units settled by finishParameters
    return;
  }
  // Results leave the function: KV caches stay on their devices, anything
  // else split is gathered.
  if (op->hasTrait<OpTrait::IsTerminator>()) {
    for (auto [i, v] : llvm::enumerate(op->getOperands())) {
      ValueSplit st = getSplit(v);
      if (!st.isSplit())
        continue;
      if (plan.groups[st.group].kind == UnitKind::KVHeads) {
        sp.operandUnits[i] = st.units();
        continue;
      }
      addGather(v);
    }
    plan.splits[op] = sp;
    return;
  }
  clearFailure();
  if (failed(applyRule(op, sp))) {
    // What could not be split is gathered, and the op runs whole.
    gatherSplitOperands(op);
    for (Value r : op->getResults())
      state.erase(r);
    sp = OpSplit();
    sp.operandUnits.assign(op->getNumOperands(), 1);
    sp.resultUnits.assign(op->getNumResults(), 1);
    sp.gatherReason = getFailure();
    (void)applyRule(op, sp);
  }
  for (int64_t u : sp.operandUnits)
    sp.units = std::max(sp.units, u);
  for (int64_t u : sp.resultUnits)
    sp.units = std::max(sp.units, u);
  if (sp.kind == SplitKind::Replicated && sp.units > 1)
    sp.kind = isFusedAttention(op) ? SplitKind::Heads : getShardedKind(op);
  plan.splits[op] = std::move(sp);
}

LogicalResult SplitPropagation::applyRule(Operation *op, OpSplit &sp) {
  if (auto rule = dyn_cast<ParallelSplitOpInterface>(op))
    return rule.propagateSplit(*this, sp);
  return noSplitRule(op);
}

void SplitPropagation::finishParameters() {
  // The fewest units any use of a weight (through its views) reads it in.
  llvm::DenseMap<Value, int64_t> minUse;
  auto record = [&](Value v, int64_t units) {
    for (int guard = 0; v && guard < 16; ++guard) {
      auto [it, inserted] = minUse.try_emplace(v, units);
      if (!inserted)
        it->second = std::min(it->second, units);
      Operation *def = v.getDefiningOp();
      if (!def || !isParameterView(def))
        break;
      v = def->getOperand(0);
    }
  };
  for (Operation *op : plan.ops) {
    if (isParameterView(op))
      continue;
    auto it = plan.splits.find(op);
    if (it == plan.splits.end())
      continue;
    for (auto [i, v] : llvm::enumerate(op->getOperands()))
      if (isParameter(v))
        record(v, it->second.operandUnits[i]);
  }
  for (Operation *op : plan.ops) {
    if (!isParameterView(op))
      continue;
    OpSplit &sp = plan.splits[op];
    int64_t u = minUse.lookup(op->getResult(0));
    u = std::max<int64_t>(u, 1);
    sp.operandUnits[0] = sp.resultUnits[0] = sp.units = u;
    if (u > 1)
      sp.kind = SplitKind::Sharded;
  }
  for (auto &[v, u] : minUse) {
    Operation *def = v.getDefiningOp();
    if (isa<BlockArgument>(v) || (def && isa<WeightOp, ConstantOp>(def)))
      plan.weightUnits[v] = std::max<int64_t>(u, 1);
  }
}

//===----------------------------------------------------------------------===//
// TensorParallelPlan
//===----------------------------------------------------------------------===//

TensorParallelPlan::TensorParallelPlan(func::FuncOp func,
                                       const TransformerStructure &structure) {
  if (!func)
    return;
  modelHeads = structure.getDims().nHeads.value_or(0);
  SplitPropagation(*this, func, structure).run();
}

const OpSplit *TensorParallelPlan::lookup(Operation *op) const {
  auto it = splits.find(op);
  return it == splits.end() ? nullptr : &it->second;
}

int64_t TensorParallelPlan::getWeightUnits(Value weight) const {
  auto it = weightUnits.find(weight);
  return it == weightUnits.end() ? 1 : it->second;
}

TPFeasibility TensorParallelPlan::check(int64_t t) const {
  TPFeasibility f;
  if (t < 1) {
    f.feasible = false;
    f.reason = "the degree must be at least 1";
    return f;
  }
  if (t == 1)
    return f;
  if (!hasSplits()) {
    f.feasible = false;
    f.reason = "nothing to split: no attention or MLP blocks recognised";
    return f;
  }
  std::set<std::string> reasons, notes;
  // A linear attention's heads: its KV heads are state heads, holding a
  // recurrent state (and the convolution channels on them), no KV cache;
  // under inverse GQA the fewer are its query/key heads.
  enum class Unit { KV, State, QueryKey };
  auto heads = [&](int64_t h, bool linear) {
    if (h > 0 && h % t != 0)
      reasons.insert(std::to_string(h) +
                     (linear ? " linear-attention heads" : " attention heads") +
                     " are not divisible by " + std::to_string(t));
  };
  auto kv = [&](int64_t h, Unit unit) {
    if (unit == Unit::KV && h == modelHeads)
      return heads(h, false);
    if (h <= 0 || h % t == 0)
      return;
    std::string name = unit == Unit::KV      ? "KV head"
                       : unit == Unit::State ? "state head"
                                             : "query/key head";
    if (t % h == 0) {
      if (unit != Unit::QueryKey) {
        int64_t &replicas =
            unit == Unit::KV ? f.kvReplicas : f.stateReplicas;
        replicas = std::max(replicas, t / h);
      }
      notes.insert(
          std::to_string(h) + " " + name + "s for " + std::to_string(t) +
          " devices: each " + name +
          (unit == Unit::KV ? " (its K/V projection columns and its KV cache)"
           : unit == Unit::State
               ? " (its K/V projection columns, the causal-convolution "
                 "channels on them and its recurrent state)"
               : " (its Q/K projection columns and the causal-convolution "
                 "channels on them)") +
          " is replicated on " + std::to_string(t / h) + " devices");
      return;
    }
    reasons.insert(std::to_string(h) + " " + name +
                   "s neither divide into nor "
                   "are a divisor of " +
                   std::to_string(t) + " devices");
  };
  for (auto [i, g] : llvm::enumerate(groups)) {
    auto it = linearGroups.find((int)i);
    bool linear = it != linearGroups.end();
    // A linear attention's KV-heads units: its state heads when as many.
    auto kvUnit = [&](int64_t h) {
      return !linear ? Unit::KV
             : h == it->second ? Unit::State
                               : Unit::QueryKey;
    };
    switch (g.kind) {
    case UnitKind::Heads:
      heads(g.units, linear);
      break;
    case UnitKind::KVHeads:
      kv(g.units, kvUnit(g.units));
      break;
    case UnitKind::FusedQKV:
      if (g.heads || g.kvHeads) {
        heads(g.heads, linear);
        kv(g.kvHeads, kvUnit(g.kvHeads));
      } else if (g.units % t) {
        reasons.insert("the fused QKV projection of " + g.origin + " (" +
                       std::to_string(g.units) +
                       " head slots) is not divisible by " + std::to_string(t));
      }
      break;
    case UnitKind::Hidden:
      if (g.units % t)
        reasons.insert("d_ff = " + std::to_string(g.units) +
                       " is not divisible by " + std::to_string(t));
      break;
    case UnitKind::Vocab:
      if (g.units % t) {
        int64_t padded = (g.units + t - 1) / t * t;
        notes.insert("vocabulary " + std::to_string(g.units) +
                     " is padded to " + std::to_string(padded) + " rows (" +
                     std::to_string(padded / t) + " per device)");
      }
      break;
    case UnitKind::Other:
      if (g.units % t && !(t % g.units == 0))
        reasons.insert("a split dim of " + std::to_string(g.units) +
                       " units (from " + g.origin + ") is not divisible by " +
                       std::to_string(t));
      break;
    }
  }
  for (const std::string &r : reasons)
    f.reason += (f.reason.empty() ? "" : "; ") + r;
  f.feasible = reasons.empty();
  f.notes.assign(notes.begin(), notes.end());
  return f;
}
