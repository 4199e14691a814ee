//===- KernelAnalysis.cpp - the kernels an optimizing engine runs ----------===//
//
// Greedy fusion in walk (topological) order on a group graph, the rules of
// docs/Kernels.md:
//  1. the attention region (ops on a path from Q K^T to P V) is one group;
//  2. GEMMs, fused com.microsoft ops, gathers and ops without a cost model
//     start groups of their own (anchors);
//  3. a pointwise op or reduction joins the group of one of its producers:
//     a GEMM when the op is a bias/activation epilogue fed by that GEMM
//     alone, else a pointwise group, unless joining would make the group
//     graph cyclic;
//  4. a pointwise group whose results all go to one pointwise or attention
//     group is merged into it (producer fusion: RoPE halves, masks);
//  5. optionally, GEMMs on the same activation with the same K merge.
// Views, transposes and expands fold into their consumers' reads.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Analysis/KernelAnalysis.h"

#include "tfperf/Analysis/CostAnalysis.h"
#include "tfperf/Analysis/Roofline.h"
#include "tfperf/Analysis/TransformerStructure.h"
#include "tfperf/Support/AttentionWindow.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::tfperf;

namespace {

enum class Role {
  None,      // weights, constants, shape computations, terminators
  Fold,      // views, transposes, expands: folded into consumers' reads
  Gemm,      // matmul-like
  Anchor,    // fused contrib ops, gathers, unknown ops: a kernel each
  Pointwise, // elementwise and data movement fused into neighbours
  Reduction, // reductions, norms, softmax: fuse, but end GEMM epilogues
};

enum class GroupKind { Pointwise, Gemm, Attention, Anchor };

llvm::StringRef shortName(Operation *op) {
  llvm::StringRef n = op->getName().getStringRef();
  n.consume_front("tfperf.");
  return n;
}

bool isFoldName(llvm::StringRef n) {
  // Views in the engines' sense: a consumer reads through them (strided or
  // broadcast indexing), nothing is materialized.
  return llvm::is_contained({"reshape", "flatten", "transpose", "unsqueeze",
                             "squeeze", "expand", "identity", "dropout",
                             "slice", "split"},
                            n);
}

bool isReductionName(llvm::StringRef n) {
  return n.starts_with("reduce_") || n == "softmax" || n == "layer_norm";
}

/// Ops cuBLASLt-style epilogues apply to a GEMM's output: bias, scale,
/// ReLU/GELU (also decomposed), casts. SiLU (sigmoid) is left to the
/// gated-MLP kernel that also reads the up projection.
bool isEpilogueName(llvm::StringRef n) {
  return llvm::is_contained({"add", "sub", "mul", "div", "pow", "erf", "tanh",
                             "relu", "gelu", "cast", "clip"},
                            n);
}

struct Group {
  GroupKind kind = GroupKind::Pointwise;
  llvm::SmallVector<Operation *, 4> ops;
  llvm::SmallSetVector<unsigned, 4> succs;
  bool hasReduction = false;
  /// Attention block of an attention group.
  const AttentionBlock *attention = nullptr;
};

class Fuser {
public:
  Fuser(func::FuncOp func, const CostAnalysis &costs,
        const TransformerStructure &structure, KernelOptions options)
      : func(func), costs(costs), structure(structure), options(options) {}

  void run(std::vector<Kernel> &kernels,
           llvm::DenseMap<Operation *, size_t> &kernelOf);

private:
  Role roleOf(Operation *op) const;
  /// The value a read really touches: through folded views to their source.
  Value traceRoot(Value v) const;
  /// How a reader of a kernel's result takes it: metadata only (Shape),
  /// through a view, as a member of some kernel, or as an op in none (the
  /// function's return, a reader CostAnalysis deems shape plumbing).
  enum class UserKind { MetadataOnly, View, Kernel, NoKernel };
  UserKind classifyUser(Operation *user) const;
  /// Whether a read of `v` picks part of its source (a slice or split):
  /// an epilogue sees whole output tiles, so such a reader is not one.
  bool readsThroughSlice(Value v) const;
  unsigned find(unsigned g) {
    while (parent[g] != g)
      g = parent[g] = parent[parent[g]];
    return g;
  }
  unsigned newGroup(GroupKind kind) {
    groups.emplace_back();
    groups.back().kind = kind;
    parent.push_back(groups.size() - 1);
    return groups.size() - 1;
  }
  void assign(Operation *op, unsigned g) {
    groupOf[op] = g;
    groups[g].ops.push_back(op);
    if (roleOf(op) == Role::Reduction)
      groups[g].hasReduction = true;
  }
  /// Group of the op producing `v` (through views); none for graph inputs,
  /// weights, constants and shape computations.
  std::optional<unsigned> sourceGroup(Value v) {
    Value root = traceRoot(v);
    Operation *def = root.getDefiningOp();
    if (!def)
      return std::nullopt;
    auto it = groupOf.find(def);
    if (it == groupOf.end())
      return std::nullopt;
    return find(it->second);
  }
  bool reachable(unsigned from, unsigned to);
  void merge(unsigned from, unsigned into);
  /// Groups consuming `op`'s results (through views); `escapes` is set when
  /// an op in no kernel reads one (the function's return included).
  void consumerGroups(Operation *op, llvm::SmallSetVector<unsigned, 4> &out,
                      bool &escapes);
  void placeAttention();
  void placeOp(Operation *op);
  void absorbProducers();
  void mergeSiblings();
  Kernel makeKernel(unsigned g);
  /// The block an attention group computes: its scores region's, or the
  /// fused attention op's when `mainOp` is one.
  const AttentionBlock *attentionOf(const Group &grp, Operation *mainOp) const {
    for (const AttentionBlock &blk : structure.getAttentions())
      if (blk.fused && blk.fused == mainOp)
        return &blk;
    return grp.attention;
  }
  /// The dims of `v` as op `at` sees them: the options' shapes, else the
  /// IR's types.
  std::optional<ArrayRef<SymExpr>> dimsAt(Value v, Operation *at) const {
    if (options.shapes)
      return options.shapes(at).dims(v);
    return types.dims(v);
  }
  /// Elements of `v` (-1 when not constant).
  int64_t numElements(Value v, Operation *at) const {
    auto d = dimsAt(v, at);
    if (!d)
      return -1;
    return product(*d).getInt64().value_or(-1);
  }
  /// Dim `fromEnd` counted from the last (1: the last); 0 when unknown.
  int64_t dimFromEnd(Value v, unsigned fromEnd, Operation *at) const {
    auto d = dimsAt(v, at);
    if (!d || d->size() < fromEnd)
      return 0;
    return (*d)[d->size() - fromEnd].getInt64().value_or(0);
  }

  func::FuncOp func;
  const CostAnalysis &costs;
  const TransformerStructure &structure;
  KernelOptions options;
  /// The graph's own element sizes.
  DtypePolicy policy;
  TypeShapeQuery types;
  std::vector<Group> groups;
  std::vector<unsigned> parent;
  llvm::DenseMap<Operation *, unsigned> groupOf;
  llvm::DenseMap<Operation *, size_t> position;
};

Role Fuser::roleOf(Operation *op) const {
  if (op->hasTrait<OpTrait::IsTerminator>() ||
      op->hasTrait<OpTrait::ConstantLike>())
    return Role::None;
  llvm::StringRef n = shortName(op);
  // Shape reads metadata only; weights and constants are inputs.
  if (n == "weight" || n == "constant" || n == "shape")
    return Role::None;
  const OpCostRecord *rec = costs.lookup(op);
  if (rec && rec->isShapeComputation)
    return Role::None;
  if (rec && rec->known && rec->cost.isView)
    return Role::Fold;
  if (isFoldName(n))
    return Role::Fold;
  if (!rec || !rec->known)
    return Role::Anchor;
  if (n.starts_with("ms.") || n == "gather" || n == "custom")
    return Role::Anchor;
  if (llvm::is_contained({"matmul", "gemm", "conv", "einsum"}, n))
    return Role::Gemm;
  if (isReductionName(n))
    return Role::Reduction;
  if (op->getDialect() && op->getDialect()->getNamespace() != "tfperf" &&
      !rec->cost.gemmFlops.isConstant(0))
    return Role::Gemm;
  return Role::Pointwise;
}

Value Fuser::traceRoot(Value v) const {
  while (Operation *def = v.getDefiningOp()) {
    if (def->getNumOperands() == 0 || roleOf(def) != Role::Fold)
      break;
    v = def->getOperand(0);
  }
  return v;
}

Fuser::UserKind Fuser::classifyUser(Operation *user) const {
  if (user->hasTrait<OpTrait::IsTerminator>())
    return UserKind::NoKernel;
  if (shortName(user) == "shape")
    return UserKind::MetadataOnly;
  Role r = roleOf(user);
  if (r == Role::Fold)
    return UserKind::View;
  if (r != Role::None)
    return UserKind::Kernel;
  // Tiny tensors count as shape plumbing (CostAnalysis) even when they are
  // data: look through views, and count any other reader as reading.
  const OpCostRecord *rec = costs.lookup(user);
  if (isFoldName(shortName(user)) || (rec && rec->known && rec->cost.isView))
    return UserKind::View;
  return UserKind::NoKernel;
}

bool Fuser::readsThroughSlice(Value v) const {
  while (Operation *def = v.getDefiningOp()) {
    if (def->getNumOperands() == 0 || roleOf(def) != Role::Fold)
      return false;
    llvm::StringRef n = shortName(def);
    if (n == "slice" || n == "split")
      return true;
    v = def->getOperand(0);
  }
  return false;
}

bool Fuser::reachable(unsigned from, unsigned to) {
  from = find(from);
  to = find(to);
  llvm::SmallVector<unsigned> stack{from};
  llvm::DenseSet<unsigned> seen{from};
  while (!stack.empty()) {
    unsigned g = stack.pop_back_val();
    if (g == to)
      return true;
    for (unsigned s : groups[g].succs) {
      s = find(s);
      if (s != g && seen.insert(s).second)
        stack.push_back(s);
    }
  }
  return false;
}

void Fuser::merge(unsigned from, unsigned into) {
  from = find(from);
  into = find(into);
  if (from == into)
    return;
  Group &src = groups[from], &dst = groups[into];
  for (Operation *op : src.ops) {
    groupOf[op] = into;
    dst.ops.push_back(op);
  }
  llvm::sort(dst.ops, [&](Operation *a, Operation *b) {
    return position.lookup(a) < position.lookup(b);
  });
  for (unsigned s : src.succs)
    dst.succs.insert(s);
  dst.hasReduction |= src.hasReduction;
  src.ops.clear();
  src.succs.clear();
  parent[from] = into;
}

void Fuser::consumerGroups(Operation *op,
                           llvm::SmallSetVector<unsigned, 4> &out,
                           bool &escapes) {
  llvm::SmallVector<Value> work(op->getResults().begin(),
                                op->getResults().end());
  while (!work.empty()) {
    Value v = work.pop_back_val();
    for (Operation *user : v.getUsers()) {
      switch (classifyUser(user)) {
      case UserKind::MetadataOnly:
        continue;
      case UserKind::View:
        work.append(user->getResults().begin(), user->getResults().end());
        continue;
      case UserKind::NoKernel:
        escapes = true;
        continue;
      case UserKind::Kernel:
        break;
      }
      auto it = groupOf.find(user);
      if (it != groupOf.end())
        out.insert(find(it->second));
    }
  }
}

void Fuser::placeAttention() {
  for (const AttentionBlock &blk : structure.getAttentions()) {
    if (!blk.scores || !blk.context)
      continue;
    // Descendants of the scores matmul that reach the context matmul.
    llvm::DenseSet<Operation *> down;
    llvm::SmallVector<Operation *> work{blk.scores};
    size_t last = position.lookup(blk.context);
    while (!work.empty()) {
      Operation *op = work.pop_back_val();
      if (!down.insert(op).second)
        continue;
      for (Operation *user : op->getUsers())
        if (position.count(user) && position.lookup(user) <= last)
          work.push_back(user);
    }
    llvm::DenseSet<Operation *> region;
    work.push_back(blk.context);
    while (!work.empty()) {
      Operation *op = work.pop_back_val();
      if (!down.count(op) || !region.insert(op).second)
        continue;
      for (Value v : op->getOperands())
        if (Operation *def = v.getDefiningOp())
          work.push_back(def);
    }
    if (llvm::any_of(region, [&](Operation *op) { return groupOf.count(op); }))
      continue; // overlapping regions: leave the second to the greedy rules
    unsigned g = newGroup(GroupKind::Attention);
    groups[g].attention = &blk;
    llvm::SmallVector<Operation *> ordered(region.begin(), region.end());
    llvm::sort(ordered, [&](Operation *a, Operation *b) {
      return position.lookup(a) < position.lookup(b);
    });
    for (Operation *op : ordered) {
      Role r = roleOf(op);
      if (r != Role::None && r != Role::Fold)
        assign(op, g);
    }
  }
}

void Fuser::placeOp(Operation *op) {
  Role role = roleOf(op);
  if (role == Role::None || role == Role::Fold)
    return;
  llvm::SmallSetVector<unsigned, 4> sources;
  for (Value v : op->getOperands())
    if (auto g = sourceGroup(v))
      sources.insert(*g);

  std::optional<unsigned> target;
  auto it = groupOf.find(op);
  if (it != groupOf.end()) {
    target = find(it->second); // pre-placed (attention region)
  } else if (role == Role::Pointwise || role == Role::Reduction) {
    llvm::StringRef n = shortName(op);
    // A GEMM epilogue: fed by that GEMM alone.
    if (sources.size() == 1 && role == Role::Pointwise && isEpilogueName(n) &&
        llvm::none_of(op->getOperands(),
                      [&](Value v) { return readsThroughSlice(v); })) {
      Group &g = groups[sources[0]];
      if (g.kind == GroupKind::Gemm && !g.hasReduction)
        target = sources[0];
    }
    // Else the most recent pointwise producer group that keeps the group
    // graph acyclic.
    if (!target) {
      llvm::SmallVector<unsigned> cands;
      for (unsigned s : sources)
        if (groups[s].kind == GroupKind::Pointwise)
          cands.push_back(s);
      llvm::sort(cands, [&](unsigned a, unsigned b) {
        return position.lookup(groups[a].ops.back()) >
               position.lookup(groups[b].ops.back());
      });
      for (unsigned c : cands) {
        bool cyclic = llvm::any_of(sources, [&](unsigned s) {
          return s != c && reachable(c, s);
        });
        if (!cyclic) {
          target = c;
          break;
        }
      }
    }
    if (!target)
      target = newGroup(GroupKind::Pointwise);
    assign(op, *target);
  } else {
    target = newGroup(role == Role::Gemm ? GroupKind::Gemm : GroupKind::Anchor);
    assign(op, *target);
  }
  for (unsigned s : sources)
    if (find(s) != *target)
      groups[find(s)].succs.insert(*target);
}

void Fuser::absorbProducers() {
  bool changed = true;
  while (changed) {
    changed = false;
    for (unsigned g = 0; g < groups.size(); ++g) {
      if (find(g) != g || groups[g].kind != GroupKind::Pointwise ||
          groups[g].ops.empty())
        continue;
      llvm::SmallSetVector<unsigned, 4> consumers;
      bool escapes = false;
      for (Operation *op : groups[g].ops)
        consumerGroups(op, consumers, escapes);
      consumers.remove(g);
      if (escapes || consumers.size() != 1)
        continue;
      unsigned c = consumers[0];
      GroupKind k = groups[c].kind;
      // Attention takes in what is computed from graph inputs and constants
      // (masks, position biases); RoPE on Q and K stays a kernel of its own
      // as in the engines the time model was fitted on.
      bool fromInputsOnly = llvm::none_of(groups[g].ops, [&](Operation *op) {
        return llvm::any_of(op->getOperands(), [&](Value v) {
          auto s = sourceGroup(v);
          return s && *s != g;
        });
      });
      if (k != GroupKind::Pointwise &&
          !(k == GroupKind::Attention && fromInputsOnly))
        continue;
      merge(g, c);
      changed = true;
    }
  }
}

void Fuser::mergeSiblings() {
  // GEMM groups whose only dynamic input is the same activation.
  llvm::DenseMap<std::pair<Value, int64_t>, unsigned> first;
  for (unsigned g = 0; g < groups.size(); ++g) {
    if (find(g) != g || groups[g].kind != GroupKind::Gemm)
      continue;
    Operation *gemm = groups[g].ops.front();
    Value in = getLinearInput(gemm);
    if (!in)
      continue;
    Value root = traceRoot(in);
    bool single = true;
    for (Operation *op : groups[g].ops)
      for (Value v : op->getOperands()) {
        Value r = traceRoot(v);
        auto s = sourceGroup(v);
        if (r != root && s && *s != g)
          single = false;
      }
    if (!single)
      continue;
    int64_t k = dimFromEnd(in, 1, gemm);
    auto [it, inserted] = first.try_emplace({root, k}, g);
    if (!inserted)
      merge(g, it->second);
  }
}

void Fuser::run(std::vector<Kernel> &kernels,
                llvm::DenseMap<Operation *, size_t> &kernelOf) {
  // Every op in walk order, those in control-flow bodies (Loop, Scan, If,
  // BeamSearch's subgraphs) after the op that owns them.
  llvm::SmallVector<Operation *> nested;
  size_t pos = 0;
  func.getBody().walk<WalkOrder::PreOrder>([&](Operation *op) {
    position[op] = pos++;
    if (op->getParentOp() != func.getOperation())
      nested.push_back(op);
  });
  // The ops the report counts (not weights, constants or shape plumbing),
  // less pure views: they alias their input, no kernel even in an executor
  // that runs the graph node by node. Each its own kernel.
  auto ownKernel = [&](Operation *op) {
    const OpCostRecord *rec = costs.lookup(op);
    if (!rec || op->hasTrait<OpTrait::ConstantLike>() ||
        rec->isShapeComputation || (rec->known && rec->cost.isView) ||
        groupOf.count(op))
      return;
    Role r = roleOf(op);
    assign(op, newGroup(r == Role::Gemm ? GroupKind::Gemm : GroupKind::Anchor));
  };
  if (options.exported) {
    for (Operation &op : func.getBody().front())
      ownKernel(&op);
  } else {
    placeAttention();
    for (Operation &op : func.getBody().front())
      placeOp(&op);
    absorbProducers();
    if (options.mergeSiblings)
      mergeSiblings();
  }
  // A body's ops run once per iteration, their own kernels (no fusion
  // across the region's boundary), launched `runs` times.
  for (Operation *op : nested)
    ownKernel(op);

  llvm::SmallVector<unsigned> live;
  for (unsigned g = 0; g < groups.size(); ++g)
    if (find(g) == g && !groups[g].ops.empty())
      live.push_back(g);
  llvm::sort(live, [&](unsigned a, unsigned b) {
    return position.lookup(groups[a].ops.front()) <
           position.lookup(groups[b].ops.front());
  });
  llvm::StringSet<> names;
  for (unsigned g : live) {
    Kernel k = makeKernel(g);
    std::string base = k.name;
    for (int i = 2; !names.insert(k.name).second; ++i)
      k.name = base + "#" + std::to_string(i);
    for (Operation *op : k.ops)
      kernelOf[op] = kernels.size();
    kernels.push_back(std::move(k));
  }
}

/// The class of a memory-bound group: the first matching rule decides.
KernelClass memoryClass(ArrayRef<Operation *> ops, Operation *&main) {
  auto has = [&](llvm::StringRef n) -> Operation * {
    for (Operation *op : ops)
      if (shortName(op) == n)
        return op;
    return nullptr;
  };
  struct Rule {
    const char *op;
    KernelClass cls;
  };
  static const Rule direct[] = {
      {"ms.skip_simplified_layer_norm", KernelClass::RMSNorm},
      {"ms.simplified_layer_norm", KernelClass::RMSNorm},
      {"ms.skip_layer_norm", KernelClass::LayerNorm},
      {"ms.embed_layer_norm", KernelClass::LayerNorm},
      {"layer_norm", KernelClass::LayerNorm},
      {"softmax", KernelClass::Softmax},
      {"ms.rotary_embedding", KernelClass::Rope},
      {"ms.fast_gelu", KernelClass::ActGelu},
      {"ms.bias_gelu", KernelClass::ActGelu},
      {"gather", KernelClass::Gather},
  };
  for (const Rule &r : direct)
    if (Operation *op = has(r.op)) {
      main = op;
      return r.cls;
    }
  if (Operation *mean = has("reduce_mean")) {
    main = mean;
    return has("sub") ? KernelClass::LayerNorm : KernelClass::RMSNorm;
  }
  if (Operation *mx = has("reduce_max"))
    if (has("exp")) {
      main = mx;
      return KernelClass::Softmax;
    }
  // Rotary embedding: halves (or pairs) read through slices, rotated with a
  // negation or subtraction, multiplied by cos/sin and put back together.
  if (Operation *cat = has("concat"))
    if ((has("neg") || has("sub")) && has("mul")) {
      main = cat;
      return KernelClass::Rope;
    }
  if (Operation *sig = has("sigmoid"))
    if (has("mul")) {
      main = sig;
      return KernelClass::ActSiluMul;
    }
  for (const char *act : {"gelu", "erf", "tanh", "relu", "sigmoid"})
    if (Operation *op = has(act)) {
      main = op;
      return KernelClass::ActGelu;
    }
  main = ops.front();
  return KernelClass::Add;
}

/// The sign of `a - b` for all values of the dims (which are not
/// negative, and each `atLeast` pair's first not below its second): 1, 0
/// or -1 when every coefficient has it (or is 0), nullopt when that
/// depends on the dims or either side is unknown.
static std::optional<int>
signOfDifference(const SymExpr &a, const SymExpr &b,
                 ArrayRef<std::pair<std::string, std::string>> atLeast) {
  SymExpr d = a - b;
  // x >= y: x = y + (x - y), a dim of its own that is not negative.
  for (const auto &[x, y] : atLeast)
    d = d.substitute([&](llvm::StringRef name) -> std::optional<SymExpr> {
      if (name == x)
        return SymExpr::symbol(y) + SymExpr::symbol(x + "-" + y);
      return std::nullopt;
    });
  if (!d.isKnown())
    return std::nullopt;
  bool pos = d.getConstantTerm() > 0, neg = d.getConstantTerm() < 0;
  for (const SymExpr::Term &t : d.getTerms()) {
    pos |= t.coeff > 0;
    neg |= t.coeff < 0;
  }
  if (pos && neg)
    return std::nullopt;
  return pos ? 1 : neg ? -1 : 0;
}

Kernel Fuser::makeKernel(unsigned g) {
  Group &grp = groups[g];
  Kernel k;
  k.ops.assign(grp.ops.begin(), grp.ops.end());
  llvm::DenseSet<Operation *> members(grp.ops.begin(), grp.ops.end());

  switch (grp.kind) {
  case GroupKind::Attention:
    k.cls = KernelClass::Attention;
    k.mainOp = grp.attention->scores;
    break;
  case GroupKind::Gemm:
    k.cls = KernelClass::Gemm;
    k.mainOp = grp.ops.front();
    break;
  case GroupKind::Anchor:
  case GroupKind::Pointwise: {
    k.mainOp = grp.ops.front();
    if (llvm::any_of(grp.ops, isFusedAttention)) {
      k.cls = KernelClass::Attention;
      k.mainOp = *llvm::find_if(grp.ops, isFusedAttention);
    } else {
      k.cls = memoryClass(grp.ops, k.mainOp);
    }
    break;
  }
  }
  const OpCostRecord *mainRec = costs.lookup(k.mainOp);
  k.name = mainRec ? mainRec->name : getNodeName(k.mainOp);
  if (mainRec)
    if (std::optional<int64_t> runs = mainRec->runs.getInt64(); runs && *runs > 1)
      k.launches = *runs;

  // FLOPs and the exported view's bits: sums over the members.
  SymExpr exported = 0;
  for (Operation *op : grp.ops) {
    const OpCostRecord *rec = costs.lookup(op);
    if (!rec || !rec->known) {
      k.known = false;
      exported = SymExpr::unknown();
      continue;
    }
    k.flops = k.flops + rec->cost.flops;
    exported += accessBits(rec->cost, policy);
  }
  k.exportedBits = exported;

  // Boundary bits: each outside value once, each escaping result once. A
  // value read through several views (Q, K and V split off one projection,
  // the two halves of RoPE) counts the elements of each distinct view, at
  // most its size: an expanded K/V (GQA repeat_kv) is read once. Formulas
  // in the shapes' dims (numbers at concrete shapes).
  SymExpr boundary = k.known ? SymExpr(0) : SymExpr::unknown();
  llvm::MapVector<Value, llvm::MapVector<Value, SymExpr>> inputs;
  // A body's accesses are summed over its runs (exact multiples): one
  // launch's boundary, capped by the values' sizes, times the launches.
  auto perLaunch = [&](const SymExpr &elements) {
    return k.launches > 1 ? SymExpr::ceilDiv(elements, SymExpr(k.launches))
                          : elements;
  };
  for (Operation *op : grp.ops) {
    const OpCostRecord *rec = costs.lookup(op);
    if (!rec || !rec->known)
      continue;
    for (const TensorAccess &a : rec->cost.reads) {
      Value root = traceRoot(a.value);
      if (Operation *def = root.getDefiningOp())
        if (members.count(def))
          continue;
      SymExpr elements = perLaunch(a.elements);
      auto [slot, fresh] = inputs[root].try_emplace(a.value, elements);
      if (fresh)
        continue;
      std::optional<int> sign = signOfDifference(slot->second, elements,
                                                 options.atLeast);
      if (!sign)
        slot->second = SymExpr::max(slot->second, elements);
      else if (*sign < 0)
        slot->second = elements;
    }
    for (const TensorAccess &a : rec->cost.writes) {
      llvm::SmallSetVector<unsigned, 4> consumers;
      bool escapes = false;
      Operation *def = a.value.getDefiningOp();
      if (!def)
        continue;
      // Only this result's consumers matter.
      llvm::SmallVector<Value> work{a.value};
      while (!work.empty() && !escapes) {
        Value v = work.pop_back_val();
        for (Operation *user : v.getUsers()) {
          switch (classifyUser(user)) {
          case UserKind::MetadataOnly:
            break;
          case UserKind::View:
            work.append(user->getResults().begin(), user->getResults().end());
            break;
          case UserKind::NoKernel:
            escapes = true;
            break;
          case UserKind::Kernel:
            escapes |= !members.count(user);
            break;
          }
        }
      }
      if (escapes)
        boundary +=
            perLaunch(a.elements) * SymExpr((int64_t)policy.bitsOf(a.value));
    }
  }
  for (auto &[root, views] : inputs) {
    SymExpr n = 0;
    for (auto &[view, elems] : views)
      n += elems;
    Operation *reader = root.getDefiningOp() ? root.getDefiningOp() : k.mainOp;
    // A size that cannot be compared with the views' (a symbolic one) caps
    // nothing.
    if (auto d = dimsAt(root, reader))
      if (signOfDifference(n, product(*d), options.atLeast).value_or(0) > 0)
        n = product(*d);
    boundary += n * SymExpr((int64_t)policy.bitsOf(root));
  }
  if (k.launches > 1)
    boundary = boundary * SymExpr(k.launches);
  if (options.uncachedKVBytes && k.cls == KernelClass::Attention)
    if (const AttentionBlock *blk = attentionOf(grp, k.mainOp))
      boundary += SymExpr(
          static_cast<int64_t>(std::llround(options.uncachedKVBytes(*blk) * 8)));
  // The exported view: one op, as exported, with its own reads and writes.
  k.boundaryBits = options.exported ? exported : boundary;
  if (auto bits = exported.getInt64())
    k.exportedBytes = static_cast<double>(*bits) / 8;
  if (auto bits = k.boundaryBits.getInt64(); bits && k.known)
    k.bytes = static_cast<double>(*bits) / 8;

  // Shapes the time model needs.
  Operation *mainOp = k.mainOp;
  if (k.cls == KernelClass::Gemm && mainOp->getNumResults() == 1) {
    Value out = mainOp->getResult(0);
    int64_t outElems = numElements(out, mainOp);
    int64_t gemmFlops =
        mainRec ? mainRec->cost.gemmFlops.getInt64().value_or(0) : 0;
    k.n = dimFromEnd(out, 1, mainOp);
    if (shortName(mainOp) == "matmul" && mainOp->getNumOperands() == 2) {
      Value a = mainOp->getOperand(0), b = mainOp->getOperand(1);
      k.k = dimFromEnd(a, 1, mainOp);
      auto bt = dyn_cast<ShapedType>(b.getType());
      bool broadcastWeight =
          bt && bt.hasRank() &&
          (bt.getRank() <= 2 || isParameter(b) ||
           llvm::all_of(bt.getShape().drop_back(2),
                        [](int64_t d) { return d == 1; }));
      if (broadcastWeight) {
        k.m = (outElems > 0 && k.n > 0) ? outElems / k.n : 0;
      } else {
        k.m = dimFromEnd(out, 2, mainOp);
        // Divided one factor at a time: m * n or 2 * elements can pass
        // int64 for outputs near the limits (the quotients are the same).
        k.batch = (outElems > 0 && k.m > 0 && k.n > 0) ? outElems / k.m / k.n
                                                       : 1;
      }
    } else if (outElems > 0 && k.n > 0) {
      k.m = outElems / k.n;
      k.k = gemmFlops / 2 / outElems;
    }
    // Sibling GEMMs merged: one GEMM over the concatenated outputs (0,
    // unknown, when the sum passes int64).
    bool nOverflows = false;
    for (Operation *op : grp.ops)
      if (op != mainOp && roleOf(op) == Role::Gemm)
        nOverflows |=
            llvm::AddOverflow(k.n, dimFromEnd(op->getResult(0), 1, op), k.n);
    if (nOverflows)
      k.n = 0;
  } else if (k.cls == KernelClass::Attention) {
    double gemmFlops = 0;
    for (Operation *op : grp.ops)
      if (const OpCostRecord *rec = costs.lookup(op))
        gemmFlops += static_cast<double>(
            rec->cost.gemmFlops.getInt64().value_or(0));
    const AttentionBlock *owner = attentionOf(grp, mainOp);
    // A decode step's one query sees every key: no masked half to skip.
    k.causal = owner && owner->causal && !owner->decodeStep;
    k.attentionFlops = gemmFlops * (k.causal ? 0.5 : 1.0);
    // A fused windowed op counts the window's keys already.
    if (owner && owner->window && owner->fused)
      k.attentionFlops = gemmFlops;
    if (const AttentionBlock *blk = grp.attention) {
      k.headDim = blk->headDim.getInt64().value_or(0);
      Value scores = blk->scores->getResult(0);
      k.kvLen = dimFromEnd(scores, 1, blk->scores);
      int64_t queries = dimFromEnd(scores, 2, blk->scores);
      k.decode = queries == 1;
      // Queries after cached keys (the last queries of the key range): each
      // sees the cache and the chunk's keys up to its own (a half only when
      // there is no cache, set above).
      if (k.causal && queries > 0 && k.kvLen > queries)
        k.attentionFlops = gemmFlops *
                           causalPairs(double(queries), double(k.kvLen)) /
                           (double(queries) * double(k.kvLen));
      // A band-masked graph computes every score; the flash kernel visits
      // the window's blocks only (the queries end at the last key).
      if (blk->window && queries > 0 && k.kvLen >= queries) {
        SymExpr s(queries), t(k.kvLen);
        SymExpr pairs = windowedScores(
            s, t, t - s, AttentionWindow{*blk->window - 1, -1, true});
        if (auto n = pairs.getInt64())
          k.attentionFlops = gemmFlops * double(*n) / double(queries * k.kvLen);
      }
    } else {
      for (const AttentionBlock &blk : structure.getAttentions())
        if (blk.fused == mainOp) {
          k.headDim = blk.headDim.getInt64().value_or(0);
          // One query per sequence at these shapes (its output's [.., S,
          // width]), else at the graph's: a decode step streams the cache.
          k.decode = dimFromEnd(mainOp->getResult(0), 2, mainOp) == 1 ||
                     blk.queryLen.getInt64() == std::optional<int64_t>(1);
          // Its keys: the present K's length, [.., T, d_head] in every
          // fused layout that returns one (GroupQueryAttention,
          // MultiHeadAttention, Attention's [2, .., T, d_head]), as the
          // serving step's kernel has it. Without one the factor stays 1.
          if (mainOp->getNumResults() > 1)
            k.kvLen = dimFromEnd(mainOp->getResult(1), 2, mainOp);
        }
    }
  } else if (mainOp->getNumOperands() > 0) {
    switch (k.cls) {
    case KernelClass::RMSNorm:
    case KernelClass::LayerNorm:
    case KernelClass::Softmax:
      k.row = dimFromEnd(mainOp->getOperand(0), 1, mainOp);
      break;
    case KernelClass::ActSiluMul:
    case KernelClass::Rope:
      if (mainOp->getNumResults())
        k.row = dimFromEnd(mainOp->getResult(0), 1, mainOp);
      break;
    default:
      break;
    }
  }
  return k;
}

} // namespace

KernelWork Kernel::getWork(llvm::StringRef dtype) const {
  KernelWork w;
  w.cls = cls;
  w.flops = cls == KernelClass::Attention && attentionFlops > 0
                ? attentionFlops
                : static_cast<double>(flops.getInt64().value_or(0));
  w.bytes = bytes.value_or(0);
  w.dtype = dtype.str();
  w.m = m;
  w.n = n;
  w.k = k;
  w.batch = batch;
  w.row = row;
  w.headDim = headDim;
  w.kvLen = kvLen;
  w.decode = decode;
  if (launches > 1) {
    w.launches = launches;
    w.setTotals(w.flops, w.bytes);
  }
  return w;
}

KernelAnalysis::KernelAnalysis(Operation *root, KernelOptions options) {
  CostAnalysis costs(root);
  TransformerStructure structure(root);
  build(root, costs, structure, options);
}

KernelAnalysis::KernelAnalysis(Operation *root, AnalysisManager &am,
                               KernelOptions options) {
  build(root, am.getAnalysis<CostAnalysis>(),
        am.getAnalysis<TransformerStructure>(), options);
}

KernelAnalysis::KernelAnalysis(Operation *root, const CostAnalysis &costs,
                               const TransformerStructure &structure,
                               KernelOptions options) {
  build(root, costs, structure, options);
}

void KernelAnalysis::build(Operation *root, const CostAnalysis &costs,
                           const TransformerStructure &structure,
                           KernelOptions options) {
  func::FuncOp func = firstFunction(root);
  if (!func || func.getBody().empty())
    return;
  Fuser(func, costs, structure, options).run(kernels, kernelOf);
}

const Kernel *KernelAnalysis::lookup(Operation *op) const {
  auto it = kernelOf.find(op);
  return it == kernelOf.end() ? nullptr : &kernels[it->second];
}
