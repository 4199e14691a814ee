//===- TensorParallelPlan.cpp - Megatron-style split propagation ----------===//
//
// The plan (SplitPropagation) walks the function once, in order, carrying a
// split state per value: the split dim, its units F (heads, d_ff columns,
// vocab rows), the extent I inside the dim that each unit spans (d_head for
// a [.., H * d_head] projection), and R, copies of each unit made by a
// broadcast (GQA's repeat of KV heads). Reshapes map the split through the
// strides of the unit; contractions read it off the op's index letters
// (einsum-style: a kept letter stays split, a contracted one leaves partial
// sums). docs/TensorParallel.md describes the rules; TensorParallelCost.cpp
// costs the plan at each degree.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Analysis/TensorParallelPlan.h"
#include "tfperf/Analysis/CostAnalysis.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfAttrs.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"
#include "tfperf/Support/Einsum.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/DenseSet.h"

#include <set>

using namespace mlir;
using namespace mlir::tfperf;
using namespace mlir::tfperf;

llvm::StringRef mlir::tfperf::splitKindName(SplitKind k) {
  switch (k) {
  case SplitKind::Replicated:
    return "replicated";
  case SplitKind::Column:
    return "column";
  case SplitKind::Row:
    return "row";
  case SplitKind::Heads:
    return "heads";
  case SplitKind::Vocab:
    return "vocab";
  case SplitKind::Sharded:
    return "sharded";
  }
  return "replicated";
}

llvm::StringRef mlir::tfperf::collectiveName(Collective c) {
  switch (c) {
  case Collective::AllReduce:
    return "all_reduce";
  case Collective::AllGather:
    return "all_gather";
  case Collective::None:
    return "";
  }
  return "";
}

//===----------------------------------------------------------------------===//
// Split propagation
//===----------------------------------------------------------------------===//

namespace {

/// The split of one value: dim `dim` (-1: replicated) holds F units of I
/// elements each (the unit's stride inside the dim), each unit copied R
/// times by broadcasts.
struct ValueSplit {
  int dim = -1;
  int64_t F = 1, I = 1, R = 1;
  int group = -1;
  bool isSplit() const { return dim >= 0; }
  int64_t units() const { return isSplit() ? F * R : 1; }
};

std::optional<SmallVector<SymExpr, 4>> dimsOf(Value v) {
  return getSymbolicDims(v.getType());
}

int rankOf(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t ? (int)t.getRank() : -1;
}

std::optional<int64_t> constDim(Value v, int d) {
  auto ds = dimsOf(v);
  if (!ds || d < 0 || d >= (int)ds->size())
    return std::nullopt;
  return (*ds)[d].getInt64();
}

/// True when dim `d` of `v` has more than one element (or is unknown).
bool hasExtent(Value v, int d) {
  auto ds = dimsOf(v);
  if (!ds || d < 0 || d >= (int)ds->size())
    return false;
  return !(*ds)[d].isConstant(1);
}

int normAxis(int64_t axis, int rank) {
  return axis < 0 ? (int)(axis + rank) : (int)axis;
}

} // namespace

bool mlir::tfperf::isParameterView(Operation *op) {
  return op->getNumResults() == 1 && !op->hasTrait<OpTrait::ConstantLike>() &&
         isa<TransposeOp, ReshapeOp, IdentityOp, CastOp, UnsqueezeOp,
             SqueezeOp, FlattenOp>(op) &&
         isParameterValue(op->getResult(0));
}

namespace {

bool isBroadcastElementwise(Operation *op) {
  return isa<AddOp, SubOp, MulOp, DivOp, PowOp, EqualOp, GreaterOp, LessOp,
             AndOp, OrOp, MinOp, MaxOp, SumOp, SqrtOp, ErfOp, TanhOp,
             SigmoidOp, ReluOp, CosOp, SinOp, ExpOp, LogOp, NegOp, AbsOp,
             NotOp, ReciprocalOp, SoftplusOp, IdentityOp, GeluOp, CastOp,
             WhereOp, ClipOp, DropoutOp, MSFastGeluOp, MSBiasGeluOp>(op);
}

/// Constant integers of a value defined by a constant op.
std::optional<SmallVector<int64_t, 4>> constInts(Value v) {
  if (!v)
    return std::nullopt;
  auto c = v.getDefiningOp<ConstantOp>();
  if (!c || !c.getValue())
    return std::nullopt;
  auto dense = dyn_cast<DenseIntElementsAttr>(*c.getValue());
  if (!dense)
    return std::nullopt;
  SmallVector<int64_t, 4> out;
  for (const APInt &a : dense.getValues<APInt>())
    out.push_back(a.getSExtValue());
  return out;
}

/// Index letters of a contraction: one string per operand (with the op
/// operand index it belongs to), the output's, and letters that slide
/// (convolution windows), which cannot be split without halos.
struct Contraction {
  SmallVector<std::string, 3> in;
  SmallVector<unsigned, 3> operand;
  std::string out;
  std::string window;
};

std::string batchLetters(int total, int n) {
  std::string s;
  for (int i = total - n; i < total; ++i)
    s.push_back('0' + i);
  return s;
}

std::optional<Contraction> contractionOf(Operation *op) {
  Contraction c;
  if (auto m = dyn_cast<MatMulOp>(op)) {
    int ra = rankOf(m.getA()), rb = rankOf(m.getB());
    if (ra < 1 || rb < 1)
      return std::nullopt;
    int nb = std::max({ra - 2, rb - 2, 0});
    c.in.push_back(ra == 1 ? "k" : batchLetters(nb, ra - 2) + "mk");
    c.in.push_back(rb == 1 ? "k" : batchLetters(nb, rb - 2) + "kn");
    c.operand = {0, 1};
    c.out = batchLetters(nb, nb) + (ra > 1 ? "m" : "") + (rb > 1 ? "n" : "");
    return c;
  }
  if (auto g = dyn_cast<GemmOp>(op)) {
    c.in.push_back(g.getTransA() ? "km" : "mk");
    c.in.push_back(g.getTransB() ? "nk" : "kn");
    c.operand = {0, 1};
    c.out = "mn";
    if (g.getC()) {
      int rc = rankOf(g.getC());
      if (rc < 0 || rc > 2)
        return std::nullopt;
      c.in.push_back(std::string("mn").substr(2 - rc));
      c.operand.push_back(2);
    }
    return c;
  }
  if (auto e = dyn_cast<EinsumOp>(op)) {
    std::string error;
    auto spec = parseEinsum(e.getEquation(), error);
    if (!spec || spec->inputs.size() != e.getInputs().size())
      return std::nullopt;
    int ell = 0;
    SmallVector<int, 3> ellOf;
    for (auto [i, t] : llvm::enumerate(spec->inputs)) {
      int r = rankOf(e.getInputs()[i]);
      int n = t.ellipsisAt >= 0 ? r - (int)t.letters.size() : 0;
      if (r < 0 || n < 0)
        return std::nullopt;
      ellOf.push_back(n);
      ell = std::max(ell, n);
    }
    auto expand = [&](const EinsumTerm &t, int n) {
      if (t.ellipsisAt < 0)
        return t.letters;
      return t.letters.substr(0, t.ellipsisAt) + batchLetters(ell, n) +
             t.letters.substr(t.ellipsisAt);
    };
    for (auto [i, t] : llvm::enumerate(spec->inputs)) {
      c.in.push_back(expand(t, ellOf[i]));
      c.operand.push_back(i);
    }
    if (spec->implicitOutput)
      c.out = batchLetters(ell, ell) + spec->output.letters;
    else
      c.out = expand(spec->output, ell);
    return c;
  }
  if (auto cv = dyn_cast<ConvOp>(op)) {
    int r = rankOf(cv.getX());
    if (r < 3 || cv.getGroup() != 1)
      return std::nullopt;
    std::string sp, ker, osp;
    for (int i = 0; i < r - 2; ++i) {
      sp.push_back('p' + i);
      ker.push_back('u' + i);
      osp.push_back('P' + i);
    }
    c.in = {"nc" + sp, "oc" + ker};
    c.operand = {0, 1};
    c.out = "no" + osp;
    c.window = sp + ker;
    if (cv.getB()) {
      c.in.push_back("o");
      c.operand.push_back(2);
    }
    return c;
  }
  return std::nullopt;
}

} // namespace

namespace mlir::tfperf {

class SplitPropagation {
public:
  SplitPropagation(TensorParallelPlan &plan, func::FuncOp func,
                   const TransformerStructure &s)
      : plan(plan), func(func), s(s) {}

  void run();

private:
  TensorParallelPlan &plan;
  func::FuncOp func;
  const TransformerStructure &s;
  llvm::DenseMap<Value, ValueSplit> state;
  llvm::DenseMap<Operation *, int> columnGroup, vocabGroup;
  llvm::DenseSet<Value> gathered;
  std::string conflict;

  int addGroup(UnitKind kind, int64_t units, Operation *origin,
               int64_t heads = 0, int64_t kvHeads = 0) {
    UnitGroup g;
    g.kind = kind;
    g.units = std::max<int64_t>(units, 1);
    g.heads = heads;
    g.kvHeads = kvHeads;
    g.origin = origin ? getNodeName(origin) : std::string();
    plan.groups.push_back(std::move(g));
    return (int)plan.groups.size() - 1;
  }
  /// A group like `g` (kind, origin) with other units.
  int derivedGroup(int g, int64_t units, std::optional<UnitKind> kind = {}) {
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
    return (int)plan.groups.size() - 1;
  }

  ValueSplit get(Value v) const {
    if (!v || gathered.count(v))
      return {};
    auto it = state.find(v);
    return it == state.end() ? ValueSplit() : it->second;
  }
  void set(Value v, const ValueSplit &st) {
    if (st.isSplit())
      state[v] = st;
  }

  void buildColumnSet();
  void seedCaches();
  void visit(Operation *op);
  bool handle(Operation *op, OpSplit &sp);
  bool fail(llvm::StringRef why) {
    conflict = why.str();
    return false;
  }
  void gatherSplitOperands(Operation *op);
  void addGather(Value v);
  void finishParameters();

  // Handlers: false on a conflict (an all-gather goes in front).
  bool handleContraction(Operation *op, OpSplit &sp);
  bool handleFusedAttention(Operation *op, OpSplit &sp);
  bool handleElementwise(Operation *op, OpSplit &sp,
                         ArrayRef<unsigned> carried = {});
  bool handleReshape(Operation *op, OpSplit &sp);
  bool handleTranspose(TransposeOp op, OpSplit &sp);
  bool handleExpand(Operation *op, OpSplit &sp);
  bool handleSplit(Operation *op, OpSplit &sp);
  bool handleConcat(ConcatOp op, OpSplit &sp);
  bool handleGather(GatherOp op, OpSplit &sp);
  bool handleReduce(Operation *op, OpSplit &sp);
  bool handleNorm(Operation *op, OpSplit &sp, int firstNormDim,
                  ArrayRef<unsigned> inputs);
  bool handleVocabTable(Operation *op, OpSplit &sp, unsigned table);

  /// `st` mapped through a reshape from `in` dims to `out` dims.
  std::optional<ValueSplit> mapReshape(const ValueSplit &st, Value in,
                                       Value out) const;
  /// Marks result `i` of `op` with the split `st`.
  void setResult(Operation *op, OpSplit &sp, unsigned i, ValueSplit st) {
    if (!st.isSplit())
      return;
    set(op->getResult(i), st);
    sp.resultUnits[i] = st.units();
    if (sp.group < 0)
      sp.group = st.group;
  }
  SplitKind shardedKind(Operation *op) const {
    return s.isScoresOp(op) ? SplitKind::Heads : SplitKind::Sharded;
  }
};

} // namespace mlir::tfperf

void SplitPropagation::buildColumnSet() {
  auto width = [](Operation *op) -> int64_t {
    auto d = dimsOf(op->getResult(0));
    if (!d || d->empty())
      return 0;
    // Conv: output channels; others: the last dim.
    const SymExpr &w = isa<ConvOp>(op) && d->size() >= 2 ? (*d)[1] : d->back();
    return w.getInt64().value_or(0);
  };
  auto konst = [](const SymExpr &e) { return e.getInt64().value_or(0); };
  for (const AttentionBlock &a : s.getAttentions()) {
    int64_t H = konst(a.heads), Hkv = konst(a.kvHeads), dh = konst(a.headDim);
    auto add = [&](Operation *p) {
      if (isFusedAttentionOp(p) || columnGroup.count(p) || !getLinearInput(p))
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
  }
  for (const MLPBlock &m : s.getMLPs())
    for (Operation *u : m.up)
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
      auto d = dimsOf(g.getData());
      auto idx = dyn_cast<ShapedType>(g.getIndices().getType());
      if (isParameterValue(g.getData()) && d && d->size() == 2 &&
          (*d)[0].isConstant(*vocab) && g.getAxis() == 0 && idx &&
          isa<IntegerType>(idx.getElementType()))
        vocabGroup[op] = addGroup(UnitKind::Vocab, *vocab, op);
    } else if (auto e = dyn_cast<MSEmbedLayerNormOp>(op)) {
      auto d = dimsOf(e.getWordEmbedding());
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
      if (plan.groups[st.group].origin.empty())
        plan.groups[st.group].origin = "KV cache input";
      state[p] = st;
    }
  }
}

void SplitPropagation::run() {
  buildColumnSet();
  seedCaches();
  func.walk<WalkOrder::PreOrder>([&](Operation *op) {
    if (op == func.getOperation())
      return;
    visit(op);
  });
  finishParameters();
}

void SplitPropagation::addGather(Value v) {
  gathered.insert(v);
  // Gathering before a pure view moves the same bytes; the producer that
  // writes them is where the collective goes.
  while (auto r = dyn_cast<OpResult>(v)) {
    Operation *def = r.getOwner();
    if (isa<ReshapeOp, SqueezeOp, UnsqueezeOp, IdentityOp, FlattenOp>(def) &&
        get(def->getOperand(0)).isSplit()) {
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
    if (get(v).isSplit())
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
      ValueSplit st = get(v);
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
  conflict.clear();
  if (!handle(op, sp)) {
    // What could not be split is gathered, and the op runs whole.
    gatherSplitOperands(op);
    for (Value r : op->getResults())
      state.erase(r);
    sp = OpSplit();
    sp.operandUnits.assign(op->getNumOperands(), 1);
    sp.resultUnits.assign(op->getNumResults(), 1);
    sp.gatherReason = conflict;
    (void)handle(op, sp);
  }
  for (int64_t u : sp.operandUnits)
    sp.units = std::max(sp.units, u);
  for (int64_t u : sp.resultUnits)
    sp.units = std::max(sp.units, u);
  if (sp.kind == SplitKind::Replicated && sp.units > 1)
    sp.kind = isFusedAttentionOp(op) ? SplitKind::Heads : shardedKind(op);
  plan.splits[op] = std::move(sp);
}

bool SplitPropagation::handle(Operation *op, OpSplit &sp) {
  // Shape metadata does not need the data.
  if (isa<ShapeOp>(op))
    return true;
  if (auto it = vocabGroup.find(op); it != vocabGroup.end()) {
    unsigned table = isa<GatherOp>(op) ? 0 : 2;
    return handleVocabTable(op, sp, table);
  }
  if (isFusedAttentionOp(op))
    return handleFusedAttention(op, sp);
  if (isa<MatMulOp, GemmOp, EinsumOp, ConvOp>(op))
    return handleContraction(op, sp);
  bool anySplit = llvm::any_of(op->getOperands(),
                               [&](Value v) { return get(v).isSplit(); });
  if (!anySplit)
    return true;
  if (isBroadcastElementwise(op))
    return handleElementwise(op, sp);
  if (isa<MSRotaryEmbeddingOp>(op))
    return handleElementwise(op, sp, {0});
  if (isa<ReshapeOp, FlattenOp, SqueezeOp, UnsqueezeOp>(op))
    return handleReshape(op, sp);
  if (auto t = dyn_cast<TransposeOp>(op))
    return handleTranspose(t, sp);
  if (isa<ExpandOp, TileOp>(op))
    return handleExpand(op, sp);
  if (isa<SplitOp, SliceOp>(op))
    return handleSplit(op, sp);
  if (auto c = dyn_cast<ConcatOp>(op))
    return handleConcat(c, sp);
  if (auto g = dyn_cast<GatherOp>(op))
    return handleGather(g, sp);
  if (isa<ReduceMeanOp, ReduceSumOp, ReduceMaxOp, ReduceProdOp>(op))
    return handleReduce(op, sp);
  if (auto sm = dyn_cast<SoftmaxOp>(op)) {
    int r = rankOf(sm.getInput());
    if (get(sm.getInput()).dim >= normAxis(sm.getAxis(), r))
      return fail("softmax over the split dim");
    return handleElementwise(op, sp, {0});
  }
  if (auto ln = dyn_cast<LayerNormOp>(op))
    return handleNorm(op, sp, normAxis(ln.getAxis(), rankOf(ln.getX())), {0});
  if (auto ln = dyn_cast<MSSimplifiedLayerNormOp>(op))
    return handleNorm(op, sp, normAxis(ln.getAxis(), rankOf(ln.getX())), {0});
  if (isa<MSSkipLayerNormOp, MSSkipSimplifiedLayerNormOp>(op))
    return handleNorm(op, sp, rankOf(op->getOperand(0)) - 1, {0, 1});
  return fail("'" + op->getName().getStringRef().str() +
              "' has no split rule");
}

bool SplitPropagation::handleVocabTable(Operation *op, OpSplit &sp,
                                        unsigned table) {
  for (auto [i, v] : llvm::enumerate(op->getOperands()))
    if (get(v).isSplit())
      return fail("the token ids are split");
  int g = vocabGroup.lookup(op);
  // Each device looks up the ids in its vocabulary range (zeros elsewhere);
  // an all-reduce sums the partial embeddings.
  sp.kind = SplitKind::Vocab;
  sp.group = g;
  sp.weightOperand = table;
  sp.weightDim = 0;
  sp.operandUnits[table] = plan.groups[g].units;
  sp.collectives.push_back({0, Collective::AllReduce});
  return true;
}

bool SplitPropagation::handleContraction(Operation *op, OpSplit &sp) {
  auto c = contractionOf(op);
  if (!c) {
    for (Value v : op->getOperands())
      if (get(v).isSplit())
        return fail("an unsupported contraction of a split operand");
    return true;
  }
  Value act = getLinearInput(op);
  // The split letter, and the first operand (term) carrying it.
  char letter = 0;
  int first = -1;
  for (auto [j, idx] : llvm::enumerate(c->operand)) {
    ValueSplit st = get(op->getOperand(idx));
    if (!st.isSplit())
      continue;
    if (st.dim >= (int)c->in[j].size())
      return fail("a split operand of unexpected rank");
    char l = c->in[j][st.dim];
    if (letter && l != letter)
      return fail("operands split on different dims");
    if (!letter) {
      letter = l;
      first = j;
    }
  }
  auto sliceTerms = [&](char l, int64_t units) {
    for (auto [j, idx] : llvm::enumerate(c->operand)) {
      size_t p = c->in[j].find(l);
      if (p != std::string::npos && hasExtent(op->getOperand(idx), (int)p))
        sp.operandUnits[idx] = units;
    }
  };
  if (!letter) {
    auto it = columnGroup.find(op);
    if (it == columnGroup.end() || !act)
      return true;
    // Column-parallel: split the weight's output letter.
    int w = -1;
    for (auto [j, idx] : llvm::enumerate(c->operand))
      if (op->getOperand(idx) != act && j < 2)
        w = j;
    int x = w == 0 ? 1 : 0;
    if (w < 0)
      return true;
    char n = 0;
    for (char l : c->in[w])
      if (c->out.find(l) != std::string::npos &&
          c->in[x].find(l) == std::string::npos) {
        n = l;
        break;
      }
    if (!n)
      return true;
    int outDim = (int)c->out.find(n);
    int g = it->second;
    int64_t extent = constDim(op->getResult(0), outDim).value_or(0);
    if (extent <= 0)
      return true;
    int64_t F = plan.groups[g].units, I = plan.groups[g].unitSize;
    if (F <= 0 || I <= 0 || extent % (F * I) != 0) {
      F = extent;
      I = 1;
      plan.groups[g].units = extent;
      plan.groups[g].unitSize = 1;
    }
    ValueSplit st;
    st.dim = outDim;
    st.F = F;
    st.I = I;
    st.group = g;
    sp.kind = plan.groups[g].kind == UnitKind::Vocab ? SplitKind::Vocab
                                                     : SplitKind::Column;
    sp.weightOperand = c->operand[w];
    sp.weightDim = (int)c->in[w].find(n);
    sp.group = g;
    sliceTerms(n, st.units());
    setResult(op, sp, 0, st);
    return true;
  }
  if (c->window.find(letter) != std::string::npos)
    return fail("a convolution window over the split dim");
  ValueSplit st = get(op->getOperand(c->operand[first]));
  size_t outPos = c->out.find(letter);
  sliceTerms(letter, st.units());
  int w = -1;
  for (auto [j, idx] : llvm::enumerate(c->operand))
    if (act && op->getOperand(idx) != act && j < 2)
      w = j;
  if (outPos != std::string::npos) {
    // The letter is kept: each device computes its slice of the output.
    st.dim = (int)outPos;
    setResult(op, sp, 0, st);
    sp.kind = shardedKind(op);
    return true;
  }
  // Contracted: partial sums, reduced across the devices.
  sp.kind = act ? SplitKind::Row : shardedKind(op);
  sp.group = st.group;
  if (act && w >= 0) {
    sp.weightOperand = c->operand[w];
    sp.weightDim = (int)c->in[w].find(letter);
  }
  // A bias is added once, after the reduction.
  if (auto g = dyn_cast<GemmOp>(op); g && g.getC())
    sp.operandUnits[2] = 1;
  sp.collectives.push_back({0, Collective::AllReduce});
  return true;
}

bool SplitPropagation::handleFusedAttention(Operation *op, OpSplit &sp) {
  int64_t H = 0, Hkv = 0;
  if (auto a = dyn_cast<MSAttentionOp>(op))
    H = Hkv = a.getNumHeads();
  else if (auto m = dyn_cast<MSMultiHeadAttentionOp>(op))
    H = Hkv = m.getNumHeads();
  else if (auto g = dyn_cast<MSGroupQueryAttentionOp>(op)) {
    H = g.getNumHeads();
    Hkv = g.getKvNumHeads();
  }
  if (H <= 0)
    return fail("attention without a head count");
  int heads = addGroup(UnitKind::Heads, H, op);
  int kvg = addGroup(UnitKind::KVHeads, Hkv, op);
  // Expects operand `v` split (or sliceable) on `dim` in `units`.
  auto expect = [&](Value v, int dim, int64_t units) -> bool {
    if (!v)
      return true;
    ValueSplit st = get(v);
    if (st.isSplit() && st.dim != dim)
      return false;
    if (dim >= 0 && hasExtent(v, dim))
      for (auto [i, o] : llvm::enumerate(op->getOperands()))
        if (o == v)
          sp.operandUnits[i] = units;
    return true;
  };
  auto replicatedOnly = [&](Value v) { return !v || !get(v).isSplit(); };
  bool ok = true;
  auto lastOf = [](Value v) { return v ? rankOf(v) - 1 : -1; };
  if (auto a = dyn_cast<MSAttentionOp>(op)) {
    addGroup(UnitKind::FusedQKV, H, op, H, H);
    ok &= replicatedOnly(a.getInput()) && replicatedOnly(a.getMaskIndex());
    // Each device holds the Q, K and V columns of its heads.
    ok &= expect(a.getWeights(), 1, H);
    ok &= expect(a.getBias(), 0, H);
    ok &= expect(a.getPast(), 2, H);
    ok &= expect(a.getRelativePositionBias(), 1, H);
    sp.weightOperand = 1;
    sp.weightDim = 1;
    if (!ok)
      return fail("fused attention inputs split on other dims");
    ValueSplit out;
    out.dim = rankOf(a.getOutput()) - 1;
    out.F = H;
    out.I = std::max<int64_t>(
        1, constDim(a.getOutput(), out.dim).value_or(H) / H);
    out.group = heads;
    setResult(op, sp, 0, out);
    if (a.getPresent()) {
      ValueSplit p;
      p.dim = 2;
      p.F = H;
      p.group = kvg;
      setResult(op, sp, 1, p);
    }
  } else {
    Value query = op->getOperand(0), key, value, pastK, pastV;
    if (auto m = dyn_cast<MSMultiHeadAttentionOp>(op)) {
      key = m.getKey();
      value = m.getValue();
      pastK = m.getPastKey();
      pastV = m.getPastValue();
      ok &= replicatedOnly(m.getKeyPaddingMask());
      ok &= expect(m.getAttentionBias(), 1, H);
      ok &= expect(m.getBias(), 0, H);
    } else {
      auto g = cast<MSGroupQueryAttentionOp>(op);
      key = g.getKey();
      value = g.getValue();
      pastK = g.getPastKey();
      pastV = g.getPastValue();
      for (Value v : {g.getSeqlensK(), g.getTotalSequenceLength(),
                      g.getCosCache(), g.getSinCache()})
        ok &= replicatedOnly(v);
    }
    int64_t qUnits = key ? H : H + 2 * Hkv;
    ok &= expect(query, lastOf(query), qUnits);
    for (Value kv : {key, value})
      if (kv)
        ok &= expect(kv, rankOf(kv) == 4 ? 1 : lastOf(kv), Hkv);
    ok &= expect(pastK, 1, Hkv) && expect(pastV, 1, Hkv);
    if (!ok)
      return fail("fused attention inputs split on other dims");
    ValueSplit out;
    Value o = op->getResult(0);
    out.dim = rankOf(o) - 1;
    out.F = H;
    out.I = std::max<int64_t>(1, constDim(o, out.dim).value_or(H) / H);
    out.group = heads;
    setResult(op, sp, 0, out);
    for (unsigned i = 1; i < op->getNumResults(); ++i) {
      ValueSplit p;
      p.dim = 1;
      p.F = Hkv;
      p.group = kvg;
      if (rankOf(op->getResult(i)) == 4)
        setResult(op, sp, i, p);
    }
  }
  sp.kind = SplitKind::Heads;
  sp.group = heads;
  return true;
}

bool SplitPropagation::handleElementwise(Operation *op, OpSplit &sp,
                                         ArrayRef<unsigned> carried) {
  if (op->getNumResults() == 0)
    return true;
  int R = rankOf(op->getResult(0));
  if (R < 0)
    return fail("an unranked result");
  auto considered = [&](unsigned i) {
    return carried.empty() || llvm::is_contained(carried, i);
  };
  int outDim = -1;
  ValueSplit base;
  for (auto [i, v] : llvm::enumerate(op->getOperands())) {
    ValueSplit st = get(v);
    if (!st.isSplit())
      continue;
    if (!considered(i))
      return fail("a split side input");
    int d = st.dim + (R - rankOf(v));
    if (outDim >= 0 && d != outDim)
      return fail("operands split on different dims");
    if (outDim < 0) {
      outDim = d;
      base = st;
    }
  }
  if (outDim < 0)
    return true;
  base.dim = outDim;
  for (auto [i, v] : llvm::enumerate(op->getOperands())) {
    if (!considered(i))
      continue;
    int d = outDim - (R - rankOf(v));
    if (d >= 0 && hasExtent(v, d))
      sp.operandUnits[i] = base.units();
  }
  for (unsigned i = 0; i < op->getNumResults(); ++i)
    if (rankOf(op->getResult(i)) == R)
      setResult(op, sp, i, base);
  sp.kind = shardedKind(op);
  return true;
}

std::optional<ValueSplit>
SplitPropagation::mapReshape(const ValueSplit &st, Value in, Value out) const {
  auto id = dimsOf(in), od = dimsOf(out);
  if (!id || !od || st.dim >= (int)id->size())
    return std::nullopt;
  SymExpr after = product(ArrayRef<SymExpr>(*id).drop_front(st.dim + 1));
  SymExpr stride = after * SymExpr(st.I);
  SymExpr span = stride * SymExpr(st.F);
  SymExpr P(1);
  for (int e = (int)od->size() - 1; e >= 0; --e) {
    SymExpr full = P * (*od)[e];
    if (!(*od)[e].isConstant(1)) {
      auto inner = stride.divExact(P);
      auto outer = full.divExact(span);
      if (inner && outer && inner->isConstant()) {
        ValueSplit r = st;
        r.dim = e;
        r.I = *inner->getInt64();
        // Broadcast copies merged into the unit's dim become units.
        if (r.R > 1 && r.I % r.R == 0) {
          r.F *= r.R;
          r.I /= r.R;
          r.R = 1;
        }
        return r;
      }
    }
    P = full;
  }
  return std::nullopt;
}

bool SplitPropagation::handleReshape(Operation *op, OpSplit &sp) {
  Value in = op->getOperand(0);
  ValueSplit st = get(in);
  for (unsigned i = 1; i < op->getNumOperands(); ++i)
    if (get(op->getOperand(i)).isSplit())
      return fail("a split shape operand");
  auto r = mapReshape(st, in, op->getResult(0));
  if (!r)
    return fail("a reshape that cuts across the split units");
  sp.operandUnits[0] = st.units();
  setResult(op, sp, 0, *r);
  sp.kind = shardedKind(op);
  return true;
}

bool SplitPropagation::handleTranspose(TransposeOp op, OpSplit &sp) {
  ValueSplit st = get(op.getData());
  int r = rankOf(op.getData());
  SmallVector<int64_t> perm;
  if (auto p = op.getPerm())
    perm.assign(p->begin(), p->end());
  else
    for (int i = r - 1; i >= 0; --i)
      perm.push_back(i);
  auto it = llvm::find(perm, st.dim);
  if (it == perm.end())
    return fail("a transpose without the split dim");
  sp.operandUnits[0] = st.units();
  st.dim = (int)(it - perm.begin());
  setResult(op, sp, 0, st);
  sp.kind = shardedKind(op);
  return true;
}

bool SplitPropagation::handleExpand(Operation *op, OpSplit &sp) {
  Value in = op->getOperand(0), out = op->getResult(0);
  if (get(op->getOperand(1)).isSplit())
    return fail("a split shape operand");
  ValueSplit st = get(in);
  int r = rankOf(in), R = rankOf(out);
  auto id = dimsOf(in), od = dimsOf(out);
  if (!id || !od || R < r)
    return fail("an expand of unknown shape");
  int d = st.dim + (R - r);
  if ((*od)[d] != (*id)[st.dim])
    return fail("an expand or tile of the split dim");
  // A broadcast of the dim right after the units copies each unit (GQA's
  // repeat of KV heads for the query heads that share them).
  if (d + 1 < R && st.dim + 1 < r && (*id)[st.dim + 1].isConstant(1))
    if (auto n = (*od)[d + 1].getInt64(); n && *n > 1)
      st.R *= *n;
  sp.operandUnits[0] = get(in).units();
  st.dim = d;
  setResult(op, sp, 0, st);
  sp.kind = shardedKind(op);
  return true;
}

bool SplitPropagation::handleSplit(Operation *op, OpSplit &sp) {
  Value in = op->getOperand(0);
  for (unsigned i = 1; i < op->getNumOperands(); ++i)
    if (get(op->getOperand(i)).isSplit())
      return fail("a split size operand");
  ValueSplit st = get(in);
  int r = rankOf(in);
  auto id = dimsOf(in);
  if (!id || st.dim >= r)
    return fail("a split of unknown shape");
  sp.operandUnits[0] = st.units();
  const UnitGroup parent = plan.groups[st.group];
  // Slices before `k` along the split dim, to tell Q from K and V.
  int64_t before = 0;
  for (auto [k, res] : llvm::enumerate(op->getResults())) {
    auto od = dimsOf(res);
    if (!od || (int)od->size() != r)
      return fail("a split of unknown shape");
    ValueSplit piece = st;
    if ((*od)[st.dim] != (*id)[st.dim]) {
      auto e = (*od)[st.dim].getInt64();
      if (!e || *e % (st.I * st.R) != 0)
        return fail("a slice that cuts across the split units");
      piece.F = *e / (st.I * st.R);
      if (parent.kind == UnitKind::FusedQKV) {
        int64_t start = before;
        if (auto sl = dyn_cast<SliceOp>(op))
          if (auto s0 = constInts(sl.getStarts()); s0 && s0->size() == 1)
            start = (*s0)[0] / (st.I * st.R);
        bool isQ = parent.heads > 0 && start == 0;
        piece.group = derivedGroup(st.group, piece.F,
                                   isQ ? UnitKind::Heads : UnitKind::KVHeads);
      } else {
        piece.group = derivedGroup(st.group, piece.F);
      }
      before += piece.F;
    }
    setResult(op, sp, k, piece);
  }
  sp.kind = shardedKind(op);
  return true;
}

bool SplitPropagation::handleConcat(ConcatOp op, OpSplit &sp) {
  int R = rankOf(op.getResult());
  int axis = normAxis(op.getAxis(), R);
  ValueSplit base;
  int64_t totalF = 0;
  bool alongSplit = false;
  for (Value v : op.getInputs()) {
    ValueSplit st = get(v);
    if (!st.isSplit())
      continue;
    if (base.isSplit() && st.dim != base.dim)
      return fail("operands split on different dims");
    if (!base.isSplit())
      base = st;
    alongSplit = st.dim == axis;
    totalF += st.F;
  }
  if (alongSplit) {
    for (Value v : op.getInputs())
      if (!get(v).isSplit() || get(v).I != base.I || get(v).R != base.R)
        return fail("a concat of split and whole tensors along the split dim");
    base.F = totalF;
    base.group = derivedGroup(base.group, totalF);
  }
  for (auto [i, v] : llvm::enumerate(op.getInputs()))
    if (get(v).isSplit() || (!alongSplit && hasExtent(v, base.dim)))
      sp.operandUnits[i] = std::max(get(v).units(), base.units());
  setResult(op, sp, 0, base);
  sp.kind = shardedKind(op);
  return true;
}

bool SplitPropagation::handleGather(GatherOp op, OpSplit &sp) {
  ValueSplit st = get(op.getData());
  if (get(op.getIndices()).isSplit())
    return fail("split gather indices");
  int axis = normAxis(op.getAxis(), rankOf(op.getData()));
  if (st.dim == axis)
    return fail("a gather along the split dim");
  sp.operandUnits[0] = st.units();
  if (st.dim > axis)
    st.dim += rankOf(op.getIndices()) - 1;
  setResult(op, sp, 0, st);
  sp.kind = shardedKind(op);
  return true;
}

bool SplitPropagation::handleReduce(Operation *op, OpSplit &sp) {
  Value in = op->getOperand(0), out = op->getResult(0);
  ValueSplit st = get(in);
  int r = rankOf(in);
  int64_t keep = 1;
  std::optional<SmallVector<int64_t, 4>> axes;
  if (auto a = op->getAttrOfType<DenseI64ArrayAttr>("static_axes"))
    axes = SmallVector<int64_t, 4>(a.asArrayRef().begin(), a.asArrayRef().end());
  else if (op->getNumOperands() > 1)
    axes = constInts(op->getOperand(1));
  if (auto k = op->getAttrOfType<IntegerAttr>("keepdims"))
    keep = k.getInt();
  bool reduced;
  int newDim = st.dim;
  if (axes) {
    reduced = llvm::any_of(*axes, [&](int64_t a) {
      return normAxis(a, r) == st.dim;
    });
    if (!keep)
      for (int64_t a : *axes)
        newDim -= normAxis(a, r) < st.dim;
  } else if (keep && rankOf(out) == r) {
    auto id = dimsOf(in), od = dimsOf(out);
    reduced = !id || !od || (*id)[st.dim] != (*od)[st.dim];
  } else {
    return fail("a reduction over unknown axes");
  }
  if (reduced)
    return fail("a reduction over the split dim");
  sp.operandUnits[0] = st.units();
  st.dim = newDim;
  setResult(op, sp, 0, st);
  sp.kind = shardedKind(op);
  return true;
}

bool SplitPropagation::handleNorm(Operation *op, OpSplit &sp, int firstNormDim,
                                  ArrayRef<unsigned> inputs) {
  for (auto [i, v] : llvm::enumerate(op->getOperands())) {
    ValueSplit st = get(v);
    if (!st.isSplit())
      continue;
    if (!llvm::is_contained(inputs, i))
      return fail("a split norm weight");
    if (st.dim >= firstNormDim)
      return fail("a norm over the split dim");
  }
  return handleElementwise(op, sp, inputs);
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
      if (isParameterValue(v))
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

int64_t OpSplit::readUnits(Operation *op, Value v) const {
  for (auto [i, operand] : llvm::enumerate(op->getOperands()))
    if (operand == v)
      return i < operandUnits.size() ? operandUnits[i] : 1;
  return 1;
}

int64_t OpSplit::writeUnits(Operation *op, Value v) const {
  for (auto [i, result] : llvm::enumerate(op->getResults()))
    if (result == v)
      return i < resultUnits.size() ? resultUnits[i] : 1;
  return 1;
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
  auto heads = [&](int64_t h) {
    if (h > 0 && h % t != 0)
      reasons.insert(std::to_string(h) + " attention heads are not divisible by " +
                     std::to_string(t));
  };
  auto kv = [&](int64_t h) {
    if (h == modelHeads)
      return heads(h);
    if (h <= 0 || h % t == 0)
      return;
    if (t % h == 0) {
      f.kvReplicas = std::max(f.kvReplicas, t / h);
      notes.insert(std::to_string(h) + " KV heads for " + std::to_string(t) +
                   " devices: each KV head (its K/V projection columns and "
                   "its KV cache) is replicated on " +
                   std::to_string(t / h) + " devices");
      return;
    }
    reasons.insert(std::to_string(h) + " KV heads neither divide into nor "
                   "are a divisor of " + std::to_string(t) + " devices");
  };
  for (const UnitGroup &g : groups) {
    switch (g.kind) {
    case UnitKind::Heads:
      heads(g.units);
      break;
    case UnitKind::KVHeads:
      kv(g.units);
      break;
    case UnitKind::FusedQKV:
      if (g.heads || g.kvHeads) {
        heads(g.heads);
        kv(g.kvHeads);
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

