//===- TransformerStructure.cpp - layers, blocks and dims of a graph ------===//
//
// Recognition works on the dataflow only (docs/TransformerAnalysis.md):
//  1. linears: MatMul/Gemm/Einsum/Conv with a parameter operand;
//  2. attention cores: a softmax between a matmul of two activations
//     (Q K^T) and a matmul of its result with an activation (P V), or a fused
//     com.microsoft attention op; Q/K/V paths are walked back to their
//     projections, the context forward to the output projection;
//  3. MLPs: the remaining token-wise linears connected through activations
//     (gated ones through a Mul of two branches);
//  4. layers: one per MLP, with the attention blocks before it;
//  5. tags: norms are walked back from each block's input to the residual
//     stream, embeddings are table lookups, the head is the linear after the
//     last layer; every other op inherits the tag of its newest producer,
//     or failing that of its first user.
// TransformerRecognizer runs these as named phases, in order (see run()).
//
//===----------------------------------------------------------------------===//

#include "tfperf/Analysis/TransformerStructure.h"
#include "tfperf/Analysis/BandMask.h"
#include "tfperf/Analysis/PlainExperts.h"
#include "tfperf/Dialect/TFPerf/IR/ExpertGeometry.h"
#include "tfperf/Dialect/TFPerf/IR/QuantizedStorage.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfAttrs.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"
#include "tfperf/Interfaces/CostOpInterface.h"
#include "tfperf/Support/Einsum.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/EquivalenceClasses.h"
#include "llvm/ADT/SetVector.h"

#include <algorithm>
#include <deque>
#include <map>

using namespace mlir;
using namespace mlir::tfperf;

llvm::StringRef mlir::tfperf::attentionKindName(AttentionSource s,
                                                AttentionScope scope) {
  if (s == AttentionSource::Cross)
    return scope == AttentionScope::Spatial ? "spatial_cross" : "cross";
  switch (scope) {
  case AttentionScope::Spatial:
    return "spatial_self";
  case AttentionScope::Temporal:
    return "temporal_self";
  case AttentionScope::Global:
    return "self";
  }
  return "self";
}

//===----------------------------------------------------------------------===//
// Small dataflow helpers
//===----------------------------------------------------------------------===//

namespace {

std::optional<SmallVector<SymExpr, 4>> dimsOf(Value v) {
  return getSymbolicDims(v.getType());
}

SymExpr lastDim(Value v) {
  auto d = dimsOf(v);
  return d && !d->empty() ? d->back() : SymExpr::unknown();
}

SymExpr numel(Value v) {
  auto d = dimsOf(v);
  return d ? product(*d) : SymExpr::unknown();
}

/// Values that carry data from a graph input (not weights, constants or
/// shape metadata): the activations. Size cannot tell them apart, since a
/// decode step of a small model has activations of a few elements.
class Activations {
public:
  explicit Activations(ArrayRef<Operation *> opsInOrder, func::FuncOp func) {
    // A 2-D float input may be a weight fed from outside (ORT test graphs
    // do that) or the token stream of a graph without a batch dim: it is
    // the stream when something multiplies it from the left.
    for (BlockArgument a : func.getArguments())
      if (!isParameter(a) ||
          llvm::any_of(a.getUses(), [](OpOperand &use) {
            return use.getOperandNumber() == 0 &&
                   isa<MatMulOp, GemmOp>(use.getOwner());
          }))
        values.insert(a);
    for (Operation *op : opsInOrder) {
      if (isa<ShapeOp>(op))
        continue;
      bool fromInput = false;
      for (Value o : op->getOperands())
        fromInput |= values.contains(o);
      for (Region &r : op->getRegions())
        for (Block &b : r)
          for (BlockArgument a : b.getArguments())
            values.insert(a); // subgraph inputs: treat as activations
      if (fromInput)
        for (Value r : op->getResults())
          values.insert(r);
    }
  }
  bool contains(Value v) const { return values.contains(v); }

private:
  llvm::DenseSet<Value> values;
};

/// Walk-order positions of the ops in a function.
class Positions {
public:
  explicit Positions(Operation *root) {
    root->walk<WalkOrder::PreOrder>([&](Operation *op) { pos[op] = n++; });
  }
  size_t of(Operation *op) const { return pos.lookup(op); }
  size_t of(Value v) const {
    if (Operation *d = v.getDefiningOp())
      return of(d);
    return 0;
  }

private:
  llvm::DenseMap<Operation *, size_t> pos;
  size_t n = 0;
};
} // namespace

Value mlir::tfperf::getLinearInput(Operation *op) {
  // The weight is the operand that is more clearly a parameter.
  auto pick = [](Value a, Value b) -> Value {
    ParameterKind pa = getParameterKind(a), pb = getParameterKind(b);
    if (pb > pa)
      return a;
    if (pa > pb)
      return b;
    return {};
  };
  if (auto m = dyn_cast<MatMulOp>(op))
    return pick(m.getA(), m.getB());
  if (auto g = dyn_cast<GemmOp>(op))
    return pick(g.getA(), g.getB());
  if (auto c = dyn_cast<ConvOp>(op))
    return isParameter(c.getW()) ? c.getX() : Value();
  // Quantized GEMMs: the packed weight is always B.
  if (auto n = dyn_cast<MSMatMulNBitsOp>(op))
    return n.getA();
  if (auto n = dyn_cast<MSMatMulBnb4Op>(op))
    return n.getA();
  if (auto n = dyn_cast<MSMatMulBlockQuantizedFp8WeightOp>(op))
    return n.getA();
  if (auto n = dyn_cast<MSMatMulBlockQuantizedFp4WeightOp>(op))
    return n.getA();
  if (auto m = dyn_cast<MatMulIntegerOp>(op))
    return pick(m.getA(), m.getB());
  if (auto m = dyn_cast<QLinearMatMulOp>(op))
    return pick(m.getA(), m.getB());
  if (auto e = dyn_cast<EinsumOp>(op))
    if (e.getInputs().size() == 2) {
      Value a = e.getInputs()[0], b = e.getInputs()[1];
      if (Value in = pick(a, b))
        return in;
      // A per-head slice of a weight (absorbed MLA slices its K/V
      // up-projection into a Q and a V part) is still a weight.
      bool sa = getParameterStorage(a, /*throughSlices=*/true),
           sb = getParameterStorage(b, /*throughSlices=*/true);
      return sa == sb ? Value() : sa ? b : a;
    }
  return {};
}

namespace {
bool isLinear(Operation *op) { return (bool)getLinearInput(op); }

/// A matmul of two activations (Q K^T or P V).
bool isActivationMatmul(Operation *op) {
  if (auto m = dyn_cast<MatMulOp>(op))
    return !isParameter(m.getA()) && !isParameter(m.getB());
  if (auto e = dyn_cast<EinsumOp>(op))
    return e.getInputs().size() == 2 && !isParameter(e.getInputs()[0]) &&
           !isParameter(e.getInputs()[1]) && !isLinear(op);
  return false;
}

/// Output width of a linear (its last dim).
SymExpr linearWidth(Operation *op) { return lastDim(op->getResult(0)); }

/// Rows of a linear: output elements / width.
SymExpr linearRows(Operation *op) {
  auto q = numel(op->getResult(0)).divExact(linearWidth(op));
  return q ? *q : SymExpr::unknown();
}

/// Searches backward from `start` through ops accepted by `through` for an
/// op accepted by `target` (breadth first, bounded).
Operation *findBackward(Value start,
                        llvm::function_ref<bool(Operation *)> target,
                        llvm::function_ref<bool(Operation *)> through,
                        SmallVectorImpl<Operation *> *visited = nullptr,
                        unsigned limit = 24) {
  std::deque<Value> queue = {start};
  llvm::DenseSet<Operation *> seen;
  while (!queue.empty() && limit--) {
    Value v = queue.front();
    queue.pop_front();
    Operation *op = v.getDefiningOp();
    if (!op || !seen.insert(op).second)
      continue;
    if (target(op))
      return op;
    if (!through(op))
      continue;
    if (visited)
      visited->push_back(op);
    for (Value o : op->getOperands())
      if (!isParameter(o))
        queue.push_back(o);
  }
  return nullptr;
}

/// Searches forward from `start` through single-purpose ops accepted by
/// `through` for a user accepted by `target`.
Operation *findForward(Value start,
                       llvm::function_ref<bool(Operation *, Value)> target,
                       llvm::function_ref<bool(Operation *)> through,
                       SmallVectorImpl<Operation *> *visited = nullptr,
                       unsigned limit = 12) {
  std::deque<Value> queue = {start};
  llvm::DenseSet<Operation *> seen;
  while (!queue.empty() && limit--) {
    Value v = queue.front();
    queue.pop_front();
    for (Operation *user : v.getUsers()) {
      if (!seen.insert(user).second)
        continue;
      if (target(user, v))
        return user;
      if (!through(user))
        continue;
      if (visited)
        visited->push_back(user);
      for (Value r : user->getResults())
        queue.push_back(r);
    }
  }
  return nullptr;
}

/// What walking a Q/K/V operand back to its projection found.
struct PathInfo {
  SmallVector<Operation *, 8> ops;
  SmallVector<Operation *, 2> projections;
  SmallVector<Value, 2> sources;
  SmallVector<Value, 2> pastInputs;
  /// Width of the tensor right after the projection (or its split).
  SymExpr width = SymExpr::unknown();
  /// The width is the projection's own output (not a split of it).
  bool widthIsProjection = false;
};

bool isPathOp(Operation *op) {
  return (isDataMovement(op) || isElementwiseMath(op)) && !isLinear(op);
}

/// Walks an attention operand back through data movement and elementwise ops
/// (head reshapes, RoPE, scaling, KV-cache concats and scatters) to the
/// linear(s) that project it.
PathInfo walkToProjection(Value operand, SymExpr headDim,
                          const Activations &acts) {
  PathInfo info;
  struct Item {
    Value v;
    bool viaConcat;
  };
  std::deque<Item> queue = {{operand, false}};
  llvm::DenseSet<Operation *> seen;
  unsigned limit = 96;
  while (!queue.empty() && limit--) {
    auto [v, viaConcat] = queue.front();
    queue.pop_front();
    Operation *op = v.getDefiningOp();
    if (!op) {
      if (viaConcat)
        info.pastInputs.push_back(v);
      else
        info.sources.push_back(v);
      continue;
    }
    if (!seen.insert(op).second)
      continue;
    // The width right after the projection: the closest rank <= 3 tensor
    // produced by the projection, its bias add, or a split of a fused QKV.
    if (!info.width.isKnown()) {
      auto d = dimsOf(v);
      bool producer = isLinear(op) || isa<SplitOp, SliceOp, AddOp, GemmOp>(op);
      if (d && d->size() <= 3 && producer && headDim.isKnown() &&
          lastDim(v).divExact(headDim)) {
        info.width = lastDim(v);
        info.widthIsProjection = !isa<SplitOp, SliceOp>(op);
      }
    }
    if (isLinear(op)) {
      if (!llvm::is_contained(info.projections, op))
        info.projections.push_back(op);
      info.sources.push_back(getLinearInput(op));
      continue;
    }
    if (isFusedAttention(op)) {
      info.sources.push_back(v);
      continue;
    }
    // A per-head norm of Q or K (QK-norm, the L2 norm of linear attention)
    // and the depthwise causal conv of a linear-attention layer keep the
    // projected channels: the projection is behind their data operand.
    bool headNorm = isNormalization(op) && headDim.isKnown() &&
                    lastDim(v) == headDim && dimsOf(v) && dimsOf(v)->size() >= 4;
    if (headNorm || isa<CausalConvWithStateOp>(op)) {
      info.ops.push_back(op);
      if (acts.contains(op->getOperand(0)))
        queue.push_back({op->getOperand(0), viaConcat});
      continue;
    }
    if (!isPathOp(op)) {
      info.sources.push_back(v);
      continue;
    }
    info.ops.push_back(op);
    // A KV cache is extended by a Concat or written in place by a
    // TensorScatter: what it was is the past, not a source.
    bool concat = isa<ConcatOp, TensorScatterOp>(op);
    for (Value o : op->getOperands())
      if (acts.contains(o))
        queue.push_back({o, viaConcat || concat});
  }
  return info;
}

/// Per dim of a tensor on the Q path: its stride in the token index (dims
/// of the projection's rows), or kFeature for head/feature dims.
constexpr int64_t kFeature = -1;
using Strides = SmallVector<int64_t, 6>;

std::optional<SmallVector<int64_t, 6>> staticShape(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  if (!t || !t.hasStaticShape())
    return std::nullopt;
  return SmallVector<int64_t, 6>(t.getShape().begin(), t.getShape().end());
}

/// Strides through a reshape, matching contiguous groups of equal size.
std::optional<Strides> reshapeStrides(ArrayRef<int64_t> in, const Strides &s,
                                      ArrayRef<int64_t> out) {
  Strides res(out.size(), 0);
  size_t i = 0, j = 0;
  while (i < in.size() || j < out.size()) {
    // Dims of size 1 carry no index.
    if (i < in.size() && in[i] == 1) {
      ++i;
      continue;
    }
    if (j < out.size() && out[j] == 1) {
      res[j++] = 0;
      continue;
    }
    if (i == in.size() || j == out.size())
      return std::nullopt;
    size_t i0 = i, j0 = j;
    int64_t pi = in[i++], pj = out[j++];
    while (pi != pj) {
      if (pi < pj) {
        if (i == in.size())
          return std::nullopt;
        pi *= in[i++];
      } else {
        if (j == out.size())
          return std::nullopt;
        pj *= out[j++];
      }
    }
    // The input group must be all feature or one contiguous token run.
    bool feature = true, token = true;
    for (size_t k = i0; k < i; ++k) {
      feature &= s[k] == kFeature;
      token &= s[k] != kFeature;
    }
    for (size_t k = i0; k + 1 < i && token; ++k)
      if (in[k + 1] != 1 && s[k] != s[k + 1] * in[k + 1])
        token = false;
    if (!feature && !token)
      return std::nullopt;
    int64_t inner = token ? s[i - 1] : kFeature;
    if (token)
      for (size_t k = i; k-- > i0;)
        if (in[k] != 1) {
          inner = s[k];
          break;
        }
    int64_t acc = inner;
    for (size_t k = j; k-- > j0;) {
      res[k] = feature ? kFeature : acc;
      if (!feature)
        acc *= out[k];
    }
  }
  return res;
}

/// The token stride of the query-length dim of `qOperand`, following data
/// movement, elementwise ops and linears forward from `stream` ([..., d]:
/// every dim but the last indexes tokens).
std::optional<int64_t> queryTokenStride(Value stream, Value qOperand) {
  if (!stream)
    return std::nullopt;
  auto outShape = staticShape(stream);
  if (!outShape || outShape->empty())
    return std::nullopt;
  Strides s(outShape->size(), kFeature);
  int64_t acc = 1;
  for (size_t k = outShape->size() - 1; k-- > 0;) {
    s[k] = acc;
    acc *= (*outShape)[k];
  }
  llvm::DenseMap<Value, Strides> known;
  known[stream] = s;
  std::deque<Value> queue = {stream};
  unsigned limit = 200;
  while (!queue.empty() && limit--) {
    Value v = queue.front();
    queue.pop_front();
    Strides cur = known[v];
    if (v == qOperand) {
      auto shape = staticShape(v);
      if (!shape || shape->size() < 2)
        return std::nullopt;
      int64_t st = cur[shape->size() - 2];
      if (st == kFeature || st == 0)
        return std::nullopt;
      return st;
    }
    for (Operation *u : v.getUsers()) {
      bool linear = isLinear(u) && getLinearInput(u) == v;
      if (!isPathOp(u) && !linear)
        continue;
      Value r = u->getResult(0);
      if (known.count(r))
        continue;
      auto inShape = staticShape(v), outS = staticShape(r);
      if (!inShape || !outS)
        continue;
      std::optional<Strides> next;
      if (linear) {
        // A projection keeps the token dims and replaces the feature.
        if (outS->size() == inShape->size()) {
          next = cur;
          next->back() = kFeature;
        }
      } else if (isa<ReshapeOp, FlattenOp>(u)) {
        next = reshapeStrides(*inShape, cur, *outS);
      } else if (auto t = dyn_cast<TransposeOp>(u)) {
        if (auto perm = t.getPerm()) {
          Strides n;
          for (int64_t p : *perm)
            n.push_back(cur[p]);
          next = n;
        }
      } else if (outS->size() == inShape->size()) {
        // Elementwise, slices and splits keep the layout.
        next = cur;
      } else if (isa<UnsqueezeOp, SqueezeOp>(u)) {
        next = reshapeStrides(*inShape, cur, *outS);
      }
      if (!next)
        continue;
      for (Value res : u->getResults())
        if (staticShape(res) && staticShape(res)->size() == next->size()) {
          known[res] = *next;
          queue.push_back(res);
        }
    }
  }
  return std::nullopt;
}
} // namespace

//===----------------------------------------------------------------------===//
// Einsum cores and fused-op attributes (latent and windowed attention)
//===----------------------------------------------------------------------===//

namespace {
/// An einsum attention core names its dims by subscripts: the contraction
/// (in Q and K, not in the scores) is the head dim, the key length is in K
/// and the scores only, the batch is the scores' first subscript when Q and
/// K share it. Of Q's other subscripts kept in the scores, one is the query
/// length (a symbolic or unit extent when the layout does not tell) and
/// the rest are heads; K's share of the heads are its KV heads (none: K is
/// shared by the heads, as absorbed MLA's latent is). False on ellipses or
/// ranks that do not match the equation.
bool readEinsumCoreDims(EinsumOp scores, AttentionBlock &blk) {
  std::string error;
  auto spec = parseEinsum(scores.getEquation(), error);
  if (!spec || spec->inputs.size() != 2 || spec->implicitOutput)
    return false;
  StringRef q = spec->inputs[0].letters, k = spec->inputs[1].letters,
            o = spec->output.letters;
  auto qd = dimsOf(scores.getInputs()[0]), kd = dimsOf(scores.getInputs()[1]);
  if (spec->inputs[0].ellipsisAt >= 0 || spec->inputs[1].ellipsisAt >= 0 ||
      !qd || !kd || qd->size() != q.size() || kd->size() != k.size())
    return false;
  SymExpr headDim(1), heads(1), kvHeads(1);
  int keyIdx = -1;
  for (auto [i, c] : llvm::enumerate(k))
    if (o.contains(c) && !q.contains(c))
      keyIdx = keyIdx < 0 ? int(i) : -2;
  if (keyIdx < 0)
    return false;
  SmallVector<size_t> rest; // Q subscripts kept in the scores, not batch
  for (auto [i, c] : llvm::enumerate(q)) {
    if (k.contains(c) && !o.contains(c))
      headDim = headDim * (*qd)[i];
    else if (o.contains(c) && !(c == o.front() && k.contains(c)))
      rest.push_back(i);
  }
  // The query length is not in K; prefer a symbolic, then a unit extent.
  std::optional<size_t> query;
  for (int pass = 0; pass < 3 && !query; ++pass)
    for (size_t i : rest) {
      const SymExpr &e = (*qd)[i];
      if (!k.contains(q[i]) &&
          (pass == 2 || (pass == 0 ? !e.isConstant() : e.isConstant(1)))) {
        query = i;
        break;
      }
    }
  if (!query)
    return false;
  for (size_t i : rest)
    if (i != *query) {
      heads = heads * (*qd)[i];
      if (size_t j = k.find(q[i]); j != StringRef::npos)
        kvHeads = kvHeads * (*kd)[j];
    }
  blk.heads = heads;
  blk.kvHeads = kvHeads;
  blk.headDim = headDim;
  blk.queryLen = (*qd)[*query];
  blk.keyDimIndex = keyIdx - int(k.size());
  return true;
}

/// onnxruntime's PagedAttention: a sliding window, and the LATENT layout
/// of absorbed MLA (one cache of one KV head whose leading v_head_size
/// channels are the latent, the rest the rope key).
void readPagedAttention(MSPagedAttentionOp op, AttentionBlock &blk) {
  blk.causal = op.getIsCausal() != 0;
  blk.headDim = lastDim(op.getKeyCache());
  if (op.getLocalWindowSize() >= 0)
    blk.window = op.getLocalWindowSize() + 1;
  if (!op.isLatent() || op.getVHeadSize() <= 0 || !blk.headDim.isConstant())
    return;
  LatentAttention &l = blk.latent;
  l.cachesLatent = true;
  l.kvRank = SymExpr(op.getVHeadSize());
  l.ropeDim = blk.headDim - l.kvRank;
}
} // namespace

std::optional<int> mlir::tfperf::einsumKeyDim(Operation *op, bool scores) {
  auto e = dyn_cast_or_null<EinsumOp>(op);
  std::string error;
  auto spec = e ? parseEinsum(e.getEquation(), error) : std::nullopt;
  if (!spec || spec->inputs.size() != 2 || spec->inputs[1].ellipsisAt >= 0)
    return std::nullopt;
  StringRef a = spec->inputs[0].letters, b = spec->inputs[1].letters,
            o = spec->output.letters;
  for (auto [i, c] : llvm::enumerate(b))
    if (scores ? o.contains(c) && !a.contains(c)
               : a.contains(c) && !o.contains(c))
      return int(i) - int(b.size());
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Recognition
//===----------------------------------------------------------------------===//

bool mlir::tfperf::hasTokenIdsInput(func::FuncOp func) {
  return llvm::any_of(func.getArguments(), [](BlockArgument a) {
    auto t = dyn_cast<RankedTensorType>(a.getType());
    return t && t.getRank() == 2 && isa<IntegerType>(t.getElementType());
  });
}

func::FuncOp mlir::tfperf::firstFunction(Operation *root) {
  // A declaration has no body, so no arguments to read and no ops to cost.
  if (auto f = dyn_cast<func::FuncOp>(root))
    return f.isExternal() ? func::FuncOp() : f;
  func::FuncOp func;
  root->walk([&](func::FuncOp f) {
    if (!func && !f.isExternal())
      func = f;
  });
  return func;
}

//===----------------------------------------------------------------------===//
// The recognizer: the working state of one recognition and its phases
//===----------------------------------------------------------------------===//

namespace mlir::tfperf {
/// Recognises the transformer in one function, filling a
/// TransformerStructure. Each phase reads what the phases before it found;
/// `run` calls them in that order.
class TransformerRecognizer {
public:
  TransformerRecognizer(TransformerStructure &result, func::FuncOp func)
      : attentions(result.attentions), mlps(result.mlps), tags(result.tags),
        numLayers(result.numLayers), dims(result.dims), batch(result.batch),
        seq(result.seq), func(func), pos(func), allOps(opsOf(func)),
        acts(allOps, func) {}

  void run() {
    plainExperts = findPlainExpertBlocks(func);
    routedLinears = collectRoutedLinears(plainExperts);
    findAttentionBlocks();
    findStreamShape();
    findMLPBlocks();
    findExpertBlocks();
    assignLayers();
    tagBlockOps();
    tagNorms();
    tagEmbeddings();
    tagHead();
    inheritTags();
    labelAttentionScopes();
    inferDims();
    inferVocabulary();
    inferMaxPositions();
  }

private:
  static SmallVector<Operation *> opsOf(func::FuncOp func) {
    SmallVector<Operation *> ops;
    func.walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (op != func.getOperation())
        ops.push_back(op);
    });
    return ops;
  }

  // Attention (phase 1): unfused cores around a softmax, fused contrib ops.
  void findAttentionBlocks();
  bool recognizeUnfusedAttention(SoftmaxOp sm, AttentionBlock &blk);
  void classifyScoreMask(AttentionBlock &blk, Operation *scores,
                         ArrayRef<Operation *> pre,
                         Operation *otherScores = nullptr);
  void recognizeFusedAttention(Operation *op, AttentionBlock &blk);
  void finishAttentionBlock(AttentionBlock &blk);
  // Latent (MLA), windowed and linear attention (the end of this file).
  void recognizeLatentAttention(AttentionBlock &blk);
  Operation *latentDownProjection(Operation *up) const;
  void addLatentProjection(AttentionBlock &blk, Operation *op,
                           SmallVectorImpl<Operation *> &list);
  void recognizeAbsorbedLatent(AttentionBlock &blk);
  void recognizeLinearAttention(LinearAttentionOp op, AttentionBlock &blk);
  // The token stream: the rows most linears run over, as [batch, seq].
  void findStreamShape();
  // MLPs: token-wise linears connected through activations.
  void findMLPBlocks();
  bool activationThrough(Operation *op) const;
  // Fused Mixture-of-Experts ops, one MLP block each.
  void findExpertBlocks();
  // Layers and tags.
  void assignLayers();
  void tagBlockOps();
  void tagNorms();
  bool isResidualAdd(Operation *op, const SymExpr &big) const;
  void tagNormRegion(Value input, int layer);
  void tagEmbeddings();
  bool isTokenScale(Value v) const;
  void tagHead();
  void inheritTags();
  // Attention kinds and the model's dims.
  void labelAttentionScopes();
  void inferDims();
  void inferLatentDims();
  void inferVocabulary();
  void inferMaxPositions();

  // The result being filled.
  std::vector<AttentionBlock> &attentions;
  std::vector<MLPBlock> &mlps;
  llvm::DenseMap<Operation *, OpTag> &tags;
  int &numLayers;
  ModelDims &dims;
  SymExpr &batch, &seq;

  // Working state.
  func::FuncOp func;
  Positions pos;
  SmallVector<Operation *> allOps;
  Activations acts;
  /// Linears that project Q, K, V or the attention output.
  llvm::DenseSet<Operation *> projections;
  /// Every linear, in walk order.
  SmallVector<Operation *> linears;
  /// Plain Mixture-of-Experts blocks, and their gates and routed linears
  /// (not on the token stream).
  std::vector<PlainExpertBlock> plainExperts;
  llvm::DenseSet<Operation *> routedLinears;
  /// The rows of the most common linear: the token stream's.
  SymExpr tokenRows = SymExpr::unknown();
  /// Position of the last op of any block (an MLP's down projection, an
  /// attention output projection).
  size_t lastBlockPos = 0;
  /// Position where the head starts (its first linear or the final norm).
  size_t headStart = SIZE_MAX;
  /// The graph's folded values (for masks), inferred on first use.
  FoldedValues foldedValues{func};
};
} // namespace mlir::tfperf

static void setOnce(std::optional<int64_t> &dst, const SymExpr &e) {
  if (!dst && e.isConstant())
    dst = e.getInt64();
}

TransformerStructure::TransformerStructure(Operation *root) {
  if (func::FuncOp func = firstFunction(root))
    TransformerRecognizer(*this, func).run();
}

//===----------------------------------------------------------------------===//
// Attention cores
//===----------------------------------------------------------------------===//

void TransformerRecognizer::findAttentionBlocks() {
  for (Operation *op : allOps) {
    AttentionBlock blk;
    if (auto sm = dyn_cast<SoftmaxOp>(op)) {
      if (!recognizeUnfusedAttention(sm, blk))
        continue;
    } else if (isFusedAttention(op)) {
      recognizeFusedAttention(op, blk);
    } else if (auto la = dyn_cast<LinearAttentionOp>(op)) {
      recognizeLinearAttention(la, blk);
    } else {
      continue;
    }
    finishAttentionBlock(blk);
    if (!blk.fused)
      recognizeLatentAttention(blk);
    // One query against keys appended to a graph-input cache, unmasked
    // (self attention once the latent projections have said so): a decode
    // step (docs/TransformerAnalysis.md). Causal models export their step
    // without a mask, since the last row of a causal mask is all keys; an
    // encoder has no cache to append to.
    if (!blk.causal && !blk.inputMask && blk.source == AttentionSource::Self &&
        !blk.pastInputs.empty() && blk.queryLen.isConstant(1)) {
      blk.causal = true;
      blk.decodeStep = true;
    }
    // DecoderMaskedMultiHeadAttention's self attention is that step by
    // definition (onnxruntime's decoder kernel), a mask_index or not.
    if (isa_and_nonnull<MSDecoderMaskedMultiHeadAttentionOp>(blk.fused) &&
        blk.source == AttentionSource::Self) {
      blk.causal = true;
      blk.decodeStep = true;
    }
    attentions.push_back(std::move(blk));
  }
}

/// Q K^T -> (scale, mask, ...) -> softmax -> P V around `sm`; false when
/// `sm` is not such a core.
bool TransformerRecognizer::recognizeUnfusedAttention(SoftmaxOp sm,
                                                      AttentionBlock &blk) {
  auto scoreThrough = [](Operation *op) {
  return isa<AddOp, MulOp, DivOp, SubOp, WhereOp, CastOp, DropoutOp,
             IdentityOp, ReshapeOp, MinOp, MaxOp, ClipOp, TanhOp>(op);
  };
  SmallVector<Operation *> pre, post;
  Operation *scores = findBackward(sm.getInput(), isActivationMatmul,
                                   scoreThrough, &pre);
  Operation *context = findForward(
      sm.getResult(),
      [](Operation *u, Value v) {
        return isActivationMatmul(u) && u->getOperand(0) == v;
      },
      [](Operation *u) { return isa<CastOp, DropoutOp, IdentityOp>(u); },
      &post);
  auto isCoreMatmul = [](Operation *op) {
    return isa<MatMulOp>(op) || isa<EinsumOp>(op);
  };
  if (!scores || !context || !isCoreMatmul(scores) || !isCoreMatmul(context))
    return false;
  blk.scores = scores;
  blk.context = context;
  blk.qOperand = scores->getOperand(0);
  blk.kOperand = scores->getOperand(1);
  blk.vOperand = context->getOperand(1);
  blk.headDim = lastDim(blk.qOperand);
  auto qd = dimsOf(blk.qOperand), kd = dimsOf(blk.kOperand);
  if (qd && qd->size() >= 2)
    blk.queryLen = (*qd)[qd->size() - 2];
  PathInfo q = walkToProjection(blk.qOperand, blk.headDim, acts);
  PathInfo k = walkToProjection(blk.kOperand, blk.headDim, acts);
  PathInfo v = walkToProjection(blk.vOperand, blk.headDim, acts);
  blk.qProj = q.projections;
  blk.kProj = k.projections;
  blk.vProj = v.projections;
  blk.qSource = q.sources.empty() ? Value() : q.sources.front();
  blk.kvSource = k.sources.empty() ? Value() : k.sources.front();
  blk.pastInputs = k.pastInputs;
  blk.pastInputs.append(v.pastInputs.begin(), v.pastInputs.end());
  // Heads: the Q operand's head dim ([B, H, S, dh]), else the width of
  // the projected Q over the head size ([B*H, S, dh] layouts).
  if (qd && qd->size() >= 4)
    blk.heads = (*qd)[qd->size() - 3];
  else if (q.width.isKnown())
    if (auto h = q.width.divExact(blk.headDim))
      blk.heads = *h;
  // KV heads from the width K is projected to (before any GQA repeat);
  // a fused QKV projection without a split is (H + 2 Hkv) * dh wide.
  if (k.width.isKnown())
    if (auto w = k.width.divExact(blk.headDim)) {
      bool fusedQKV = !blk.kProj.empty() && blk.kProj == blk.qProj &&
                      k.widthIsProjection && k.width == q.width;
      blk.kvHeads = *w;
      if (fusedQKV && blk.heads.isKnown())
        if (auto kv = (*w - blk.heads).divExact(SymExpr(2)))
          blk.kvHeads = *kv;
    }
  if (!blk.kvHeads.isKnown() && kd && kd->size() >= 4)
    blk.kvHeads = (*kd)[kd->size() - 3];
  if (auto e = dyn_cast<EinsumOp>(scores))
    if (!readEinsumCoreDims(e, blk))
      return false;
  if (!blk.heads.isKnown())
    blk.heads = blk.kvHeads;
  if (!blk.kvHeads.isKnown())
    blk.kvHeads = blk.heads;
  // Tag the path ops now; scores-region ops are tagged below.
  for (Operation *p : q.ops)
    tags.try_emplace(p, OpTag{-1, BlockKind::Attention});
  for (Operation *p : k.ops)
    tags.try_emplace(p, OpTag{-1, BlockKind::Attention});
  for (Operation *p : v.ops)
    tags.try_emplace(p, OpTag{-1, BlockKind::Attention});
  for (Operation *p : pre)
    tags[p] = OpTag{-1, BlockKind::AttentionScores};
  for (Operation *p : post)
    tags[p] = OpTag{-1, BlockKind::AttentionScores};
  tags[scores] = OpTag{-1, BlockKind::AttentionScores};
  tags[sm] = OpTag{-1, BlockKind::AttentionScores};
  tags[context] = OpTag{-1, BlockKind::AttentionScores};
  // Two score GEMMs added (MLA's latent and rope parts): the second is
  // the rope scores.
  for (Operation *p : pre)
    if (isa<AddOp>(p) && p->getOperand(0).getDefiningOp() == scores)
      if (Operation *o = p->getOperand(1).getDefiningOp();
          o && isActivationMatmul(o))
        blk.latent.ropeScores = o;
  classifyScoreMask(blk, scores, pre, blk.latent.ropeScores);
  return true;
}

/// Causal or input-masked: what the score path combines with the scores.
void TransformerRecognizer::classifyScoreMask(AttentionBlock &blk,
                                              Operation *scores,
                                              ArrayRef<Operation *> pre,
                                              Operation *otherScores) {
  // A causal mask comes from parameters/constants, not from an input:
  // look at what the score path combines with the scores (a second score
  // GEMM added to them, as MLA's rope scores, is scores too).
  llvm::DenseSet<Value> fromScores = {scores->getResult(0)};
  if (otherScores)
    fromScores.insert(otherScores->getResult(0));
  for (Operation *p : llvm::reverse(pre))
    if (llvm::any_of(p->getOperands(),
                     [&](Value o) { return fromScores.count(o); }))
      for (Value r : p->getResults())
        fromScores.insert(r);
  for (Operation *p : pre) {
    if (!llvm::any_of(p->getOperands(),
                      [&](Value o) { return fromScores.count(o); }))
      continue;
    for (Value o : p->getOperands()) {
      if (fromScores.count(o))
        continue;
      auto md = dimsOf(o);
      if (!md || md->size() < 2 || (*md)[md->size() - 1].isConstant(1))
        continue;
      // A mask of one query row (a decode step) is causal only if it is
      // cut from a square constant buffer; otherwise it may be padding.
      bool oneRow = (*md)[md->size() - 2].isConstant(1);
      bool fromInput = false, squareSource = false;
      SmallVector<Value> stack = {o};
      llvm::DenseSet<Value> seenV;
      while (!stack.empty() && seenV.size() < 256) {
        Value x = stack.pop_back_val();
        if (!seenV.insert(x).second)
          continue;
        if (auto xd = dimsOf(x); xd && xd->size() >= 2) {
          const SymExpr &r = (*xd)[xd->size() - 2];
          squareSource |= r.isConstant() && r.getConstant() > 1 &&
                          r == (*xd)[xd->size() - 1];
        }
        if (isa<BlockArgument>(x)) {
          fromInput |= !isParameter(x);
          continue;
        }
        // Shapes are metadata: a mask sliced to the input's length is
        // still a constant mask.
        if (isa<ShapeOp>(x.getDefiningOp()))
          continue;
        for (Value y : x.getDefiningOp()->getOperands())
          stack.push_back(y);
      }
      if (!fromInput && (!oneRow || squareSource))
        blk.causal = true;
      // A band below the diagonal (Mistral's sliding window, exported as
      // a mask): the window, when the mask folds from the graph's
      // constants. The graph still computes every score.
      if (!fromInput && !blk.window)
        blk.window = foldedValues.maskWindow(o);
      blk.inputMask |= fromInput;
    }
  }
}

/// onnxruntime's Attention, MultiHeadAttention, DecoderMaskedMultiHeadAttention
/// and GroupQueryAttention, and ONNX Attention and FlexAttention: heads from
/// their attributes (or per-head dims), projections walked back from their
/// inputs.
void TransformerRecognizer::recognizeFusedAttention(Operation *op,
                                                    AttentionBlock &blk) {
  blk.fused = op;
  int64_t n = 0, kv = 0;
  Value query = op->getOperand(0);
  SymExpr qWidth = lastDim(query);
  blk.qOperand = query;
  if (auto a = dyn_cast<MSAttentionOp>(op)) {
    n = kv = a.getNumHeads();
    blk.qProj = blk.kProj = blk.vProj = {op};
    blk.qSource = blk.kvSource = a.getInput();
    qWidth = lastDim(a.getWeights());
    if (auto third = qWidth.divExact(SymExpr(3)))
      qWidth = *third;
    blk.causal = a.getUnidirectional() != 0;
    if (a.getPast())
      blk.pastInputs.push_back(a.getPast());
  } else if (auto m = dyn_cast<MSMultiHeadAttentionOp>(op)) {
    n = kv = m.getNumHeads();
    blk.causal = m.getUnidirectional() != 0;
    blk.kOperand = m.getKey();
    blk.vOperand = m.getValue();
    for (Value pk : {m.getPastKey(), m.getPastValue()})
      if (pk)
        blk.pastInputs.push_back(pk);
    // Packed Q, K, V [B, S, N, 3, H].
    if (auto qd = dimsOf(query); qd && qd->size() == 5)
      qWidth = SymExpr(n) * qd->back();
  } else if (auto d = dyn_cast<MSDecoderMaskedMultiHeadAttentionOp>(op)) {
    // One decoding step; self or cross is decided with the sources below.
    n = kv = d.getNumHeads();
    blk.kOperand = d.getKey();
    blk.vOperand = d.getValue();
    for (Value pk : {d.getPastKey(), d.getPastValue()})
      if (pk)
        blk.pastInputs.push_back(pk);
    // Packed Q, K, V [B, 1, 2 D + D_v]: D_v is the output's width.
    if (!d.getKey())
      qWidth = lastDim(d.getOutput());
  } else if (auto g = dyn_cast<MSGroupQueryAttentionOp>(op)) {
    n = g.getNumHeads();
    kv = g.getKvNumHeads();
    blk.causal = true;
    blk.kOperand = g.getKey();
    blk.vOperand = g.getValue();
    qWidth = lastDim(g.getOutput());
    for (Value pk : {g.getPastKey(), g.getPastValue()})
      if (pk)
        blk.pastInputs.push_back(pk);
    if (g.getLocalWindowSize() >= 0)
      blk.window = g.getLocalWindowSize() + 1;
  } else if (auto p = dyn_cast<MSPagedAttentionOp>(op)) {
    readPagedAttention(p, blk);
    n = p.getNumHeads();
    kv = p.getKvNumHeads();
    qWidth = SymExpr(n) * blk.headDim;
  }
  // ONNX Attention/FlexAttention: heads from attributes (3-D) or dim 1
  // (4-D); a static cache written by TensorScatter is the block's past.
  bool perHead = false;
  if (isa<AttentionOp, FlexAttentionOp>(op)) {
    auto at = dyn_cast<AttentionOp>(op);
    auto qd = dimsOf(query), kd = dimsOf(op->getOperand(1));
    perHead = qd && qd->size() == 4;
    auto heads = [&](std::optional<ArrayRef<SymExpr>> d,
                     std::optional<int64_t> attr) -> int64_t {
      if (attr)
        return *attr;
      if (d && d->size() == 4 && (*d)[1].isConstant())
        return (*d)[1].getInt64().value_or(0);
      return 0;
    };
    n = heads(qd, at ? at.getQNumHeads() : std::nullopt);
    kv = heads(kd, at ? at.getKvNumHeads() : std::nullopt);
    if (perHead)
      qWidth = SymExpr(n) * lastDim(query);
    blk.kOperand = op->getOperand(1);
    blk.vOperand = op->getOperand(2);
    if (at) {
      blk.causal = at.getIsCausal() != 0;
      // Opset 25's window: the left keys and the query's own (and, without
      // the causal bound, the right window's).
      if (at.getLeftWindowSize() >= 0)
        blk.window = at.getLeftWindowSize() + 1 +
                     (blk.causal ? 0 : std::max<int64_t>(at.getRightWindowSize(), 0));
      for (Value pk : {at.getPastKey(), at.getPastValue()})
        if (pk)
          blk.pastInputs.push_back(pk);
    }
    for (Value kvOp : {blk.kOperand, blk.vOperand})
      if (auto scatter = kvOp.getDefiningOp<TensorScatterOp>())
        blk.pastInputs.push_back(scatter.getPastCache());
  }
  blk.heads = SymExpr(n);
  blk.kvHeads = SymExpr(kv);
  if (auto h = qWidth.divExact(SymExpr(n)))
    blk.headDim = *h;
  if (!isa<MSAttentionOp>(op)) {
    PathInfo q = walkToProjection(query, blk.headDim, acts);
    blk.qProj = q.projections;
    blk.qSource = q.sources.empty() ? Value() : q.sources.front();
    for (Operation *p : q.ops)
      tags.try_emplace(p, OpTag{-1, BlockKind::Attention});
    for (Value kvOp : {blk.kOperand, blk.vOperand}) {
      if (!kvOp)
        continue;
      PathInfo k = walkToProjection(kvOp, blk.headDim, acts);
      auto &dst = kvOp == blk.kOperand ? blk.kProj : blk.vProj;
      dst = k.projections;
      if (!blk.kvSource && !k.sources.empty())
        blk.kvSource = k.sources.front();
      for (Operation *p : k.ops)
        tags.try_emplace(p, OpTag{-1, BlockKind::Attention});
    }
    if (!blk.kOperand) // packed QKV or self attention on the query
      blk.kvSource = blk.qSource;
  }
  auto qd = dimsOf(query);
  if (qd && qd->size() >= 2)
    blk.queryLen = (*qd)[perHead ? 2 : 1];
  tags[op] = OpTag{-1, BlockKind::Attention};
}

/// The output projection, self or cross, and the block's position.
void TransformerRecognizer::finishAttentionBlock(AttentionBlock &blk) {
  // Output projection: the first linear after the context, also through
  // an output gate (Qwen3.5: a gated RMSNorm of linear attention, the
  // context times sigmoid(gate) of full attention).
  Value ctxOut = blk.fused ? blk.fused->getResult(0) : blk.context->getResult(0);
  auto isOutputGate = [](Operation *u) {
    if (isa<MSGatedRMSNormOp>(u))
      return true;
    return isa<MulOp>(u) && llvm::any_of(u->getOperands(), [](Value v) {
             return isa_and_nonnull<SigmoidOp>(v.getDefiningOp());
           });
  };
  SmallVector<Operation *> outPath;
  if (Operation *o = findForward(
          ctxOut, [](Operation *u, Value) { return isLinear(u); },
          [&](Operation *u) {
            return isa<TransposeOp, ReshapeOp, CastOp, IdentityOp,
                       FlattenOp>(u) ||
                   isOutputGate(u);
          },
          &outPath))
    blk.outProj.push_back(o);
  for (Operation *p : outPath)
    tags.try_emplace(p, OpTag{-1, BlockKind::Attention});
  for (auto *list : {&blk.qProj, &blk.kProj, &blk.vProj, &blk.outProj})
    for (Operation *p : *list)
      if (!isFusedAttention(p)) {
        projections.insert(p);
        tags[p] = OpTag{-1, BlockKind::Attention};
      }
  // Self or cross: K/V projected from another tensor than Q (views of
  // the same tensor, e.g. per-projection reshapes, are the same).
  auto root = [](Value v) {
    while (v && v.getDefiningOp() && isViewLike(v.getDefiningOp()))
      v = v.getDefiningOp()->getOperand(0);
    return v;
  };
  if (blk.kvSource && blk.qSource && root(blk.kvSource) != root(blk.qSource))
    blk.source = AttentionSource::Cross;
  // A per-head K [B, N, L, H] fed from outside is a cross-attention cache.
  if (blk.fused &&
      isa<MSMultiHeadAttentionOp, MSDecoderMaskedMultiHeadAttentionOp>(
          blk.fused) &&
      blk.kOperand && dimsOf(blk.kOperand) &&
      dimsOf(blk.kOperand)->size() == 4 && isa<BlockArgument>(blk.kOperand))
    blk.source = AttentionSource::Cross;
  // Position: the block's first projection (or core op).
  size_t first = pos.of(blk.fused ? blk.fused : blk.scores);
  for (auto *list : {&blk.qProj, &blk.kProj, &blk.vProj})
    for (Operation *p : *list)
      first = std::min(first, pos.of(p));
  blk.position = first;
}

//===----------------------------------------------------------------------===//
// The token stream, MLPs and layers
//===----------------------------------------------------------------------===//

void TransformerRecognizer::findStreamShape() {
  for (Operation *op : allOps)
    if (isLinear(op))
      linears.push_back(op);
  std::map<std::string, std::pair<unsigned, SymExpr>> rowCounts;
  for (Operation *l : linears) {
    SymExpr r = linearRows(l);
    if (!r.isKnown() || routedLinears.contains(l))
      continue;
    auto &e = rowCounts[r.str()];
    ++e.first;
    e.second = r;
  }
  unsigned best = 0;
  for (auto &[k, e] : rowCounts)
    if (e.first > best) {
      best = e.first;
      tokenRows = e.second;
    }
  if (func.getNumArguments() > 0)
    if (auto d = dimsOf(func.getArgument(0)); d && !d->empty())
      batch = (*d)[0];
  if (tokenRows.isKnown() && batch.isKnown())
    if (auto s = tokenRows.divExact(batch))
      seq = *s;
}

/// Ops an MLP's activation passes through between two of its linears.
bool TransformerRecognizer::activationThrough(Operation *op) const {
  if (isLinear(op) || isNormalization(op))
    return false;
  if (isa<AddOp, SubOp>(op)) {
    // A residual add joins two activations: not part of an MLP.
    unsigned joined = 0;
    for (Value o : op->getOperands())
      joined += acts.contains(o);
    return joined <= 1;
  }
  return isElementwiseMath(op) ||
         isa<CastOp, IdentityOp, DropoutOp, ReshapeOp, FlattenOp, SqueezeOp,
             UnsqueezeOp>(op);
}

void TransformerRecognizer::findMLPBlocks() {
  SmallVector<Operation *> candidates;
  for (Operation *l : linears)
    if (!projections.count(l) && !routedLinears.contains(l) &&
        linearRows(l) == tokenRows && tokenRows.isKnown())
      candidates.push_back(l);
  llvm::DenseSet<Operation *> candidateSet(candidates.begin(), candidates.end());
  llvm::EquivalenceClasses<Operation *> groups;
  llvm::DenseMap<Operation *, unsigned> inEdges, outEdges;
  for (Operation *l : candidates) {
    groups.insert(l);
    std::deque<Value> queue = {l->getResult(0)};
    llvm::DenseSet<Operation *> seen;
    unsigned limit = 40;
    while (!queue.empty() && limit--) {
      Value v = queue.front();
      queue.pop_front();
      for (Operation *u : v.getUsers()) {
        if (!seen.insert(u).second)
          continue;
        if (candidateSet.count(u) && getLinearInput(u) == v) {
          groups.unionSets(l, u);
          ++outEdges[l];
          ++inEdges[u];
          continue;
        }
        if (!activationThrough(u))
          continue;
        for (Value r : u->getResults())
          queue.push_back(r);
      }
    }
  }
  for (auto it = groups.begin(); it != groups.end(); ++it) {
    if (!(*it)->isLeader())
      continue;
    MLPBlock m;
    for (auto mi = groups.member_begin(**it); mi != groups.member_end(); ++mi)
      m.linears.push_back(*mi);
    if (m.linears.size() < 2)
      continue;
    llvm::sort(m.linears, [&](Operation *a, Operation *b) {
      return pos.of(a) < pos.of(b);
    });
    for (Operation *l : m.linears)
      if (!inEdges.lookup(l))
        m.up.push_back(l);
    for (Operation *l : m.linears)
      if (!outEdges.lookup(l))
        m.down = l;
    if (m.up.empty() || !m.down)
      continue;
    m.dIn = lastDim(getLinearInput(m.up.front()));
    m.dFF = linearWidth(m.up.front());
    m.position = pos.of(m.linears.front());
    mlps.push_back(std::move(m));
  }
}

/// onnxruntime's fused MoE ops: one MLP block each, with the router GEMM
/// whose probabilities it reads; and plain MoE blocks (PlainExperts.h) with
/// their shared experts.
void TransformerRecognizer::findExpertBlocks() {
  TypeShapeQuery shapes;
  auto dimsOfValue = [&](Value v) { return shapes.dims(v); };
  auto routerPath = [](Operation *op) {
    return isViewLike(op) || isa<SoftmaxOp, SigmoidOp>(op);
  };
  // Two MoE ops may share expert weights (a graph calling one layer twice);
  // the model's parameters count each weight once, so the experts do too.
  llvm::DenseSet<Operation *> countedWeights;
  for (Operation *op : allOps) {
    if (!isFusedMoE(op))
      continue;
    std::string why;
    std::optional<ExpertGeometry> g = getExpertGeometry(op, dimsOfValue, why);
    if (!g || !g->experts.getInt64())
      continue;
    MLPBlock m;
    m.experts = op;
    m.up = {op};
    m.down = op;
    m.routedOps = {op};
    if (Operation *router = findBackward(op->getOperand(1), isLinear, routerPath))
      m.linears.push_back(router);
    m.linears.push_back(op);
    m.nExperts = *g->experts.getInt64();
    m.topK = g->topK;
    m.dIn = g->hidden;
    m.dFF = g->inter;
    for (Value v : getPerExpertOperands(op))
      if (auto w = v.getDefiningOp<WeightOp>();
          w && countedWeights.insert(w).second)
        m.expertParameters += getWeightStorage(w).parameters;
    m.position = pos.of(m.linears.front());
    mlps.push_back(std::move(m));
  }
  for (const PlainExpertBlock &b : plainExperts) {
    MLPBlock m = makeExpertMLPBlock(b);
    absorbSharedExperts(m, mlps);
    m.position = pos.of(m.linears.front());
    mlps.push_back(std::move(m));
  }
}

/// One layer per MLP, with the attention blocks before it.
void TransformerRecognizer::assignLayers() {
  llvm::sort(mlps, [](const MLPBlock &a, const MLPBlock &b) {
    return a.position < b.position;
  });
  llvm::sort(attentions, [](const AttentionBlock &a, const AttentionBlock &b) {
    return a.position < b.position;
  });
  size_t ai = 0;
  int layer = 0;
  for (MLPBlock &m : mlps) {
    while (ai < attentions.size() && attentions[ai].position < m.position)
      attentions[ai++].layer = layer;
    m.layer = layer++;
  }
  if (mlps.empty()) {
    for (AttentionBlock &a : attentions)
      a.layer = layer++;
  } else if (ai < attentions.size()) {
    for (; ai < attentions.size(); ++ai)
      attentions[ai].layer = layer - 1;
  }
  numLayers = layer;
}

//===----------------------------------------------------------------------===//
// Tags
//===----------------------------------------------------------------------===//

/// Attention and MLP ops get their block's layer.
void TransformerRecognizer::tagBlockOps() {
  // Re-tag attention ops with their layer.
  for (AttentionBlock &a : attentions) {
    auto setLayer = [&](Operation *op) {
      auto it = tags.find(op);
      if (it != tags.end() && it->second.layer < 0)
        it->second.layer = a.layer;
    };
    for (auto *list : {&a.qProj, &a.kProj, &a.vProj, &a.outProj})
      for (Operation *p : *list)
        setLayer(p);
    if (a.fused)
      setLayer(a.fused);
    for (Operation *g : a.gateSources)
      setLayer(g);
  }
  // Attention path and scores ops got layer -1 above; give them the layer
  // of the nearest attention block at or before them.
  for (Operation *op : allOps) {
    auto it = tags.find(op);
    if (it == tags.end() || it->second.layer >= 0)
      continue;
    if (it->second.block != BlockKind::Attention &&
        it->second.block != BlockKind::AttentionScores)
      continue;
    int layer = -1;
    size_t p = pos.of(op);
    for (const AttentionBlock &a : attentions)
      if (a.position <= p)
        layer = a.layer;
    it->second.layer = layer;
  }
  for (MLPBlock &m : mlps) {
    for (Operation *l : m.linears)
      tags[l] = OpTag{m.layer, BlockKind::MLP};
    // Activation ops between the MLP's linears.
    for (Operation *l : m.linears) {
      if (l == m.down)
        continue;
      SmallVector<Operation *> path;
      findForward(
          l->getResult(0),
          [&](Operation *u, Value) { return u == m.down; },
          [&](Operation *u) { return activationThrough(u); }, &path, 40);
      for (Operation *p : path)
        tags.try_emplace(p, OpTag{m.layer, BlockKind::MLP});
    }
  }
}

  // The residual stream: a value that a residual add (two full-size
  // activations) reads or writes.
bool TransformerRecognizer::isResidualAdd(Operation *op,
                                          const SymExpr &big) const {
  if (!isa<AddOp>(op) || !big.isKnown())
    return false;
  unsigned full = 0;
  for (Value o : op->getOperands())
    full += !isParameter(o) && numel(o) == big;
  return full >= 2;
}

/// Tags a decomposed norm: walks back from a block's input to the residual
/// stream.
void TransformerRecognizer::tagNormRegion(Value input, int layer) {
  if (!input)
    return;
  SymExpr big = numel(input);
  SmallVector<Value> stack = {input};
  llvm::DenseSet<Operation *> seen;
  while (!stack.empty() && seen.size() < 64) {
    Value v = stack.pop_back_val();
    Operation *op = v.getDefiningOp();
    if (!op || !seen.insert(op).second || tags.count(op))
      continue;
    if (isNormalization(op)) {
      tags[op] = OpTag{layer, BlockKind::Norm};
      continue;
    }
    bool normish = isElementwiseMath(op) ||
                   isa<ReduceMeanOp, ReduceSumOp, CastOp, UnsqueezeOp>(op);
    if (!normish || isLinear(op) || isResidualAdd(op, big))
      continue;
    // The norm reads the stream; it does not produce it.
    if (numel(v) == big &&
        llvm::any_of(v.getUsers(),
                     [&](Operation *u) { return isResidualAdd(u, big); }))
      continue;
    tags[op] = OpTag{layer, BlockKind::Norm};
    for (Value o : op->getOperands())
      if (!isParameter(o))
        stack.push_back(o);
  }
}

void TransformerRecognizer::tagNorms() {
  // Norms: explicit norm ops, and decomposed ones walked back from each
  // block's input to the residual stream.
  lastBlockPos = 0;
  for (const MLPBlock &m : mlps)
    lastBlockPos = std::max(lastBlockPos, pos.of(m.down));
  for (const AttentionBlock &a : attentions)
    for (Operation *o : a.outProj)
      lastBlockPos = std::max(lastBlockPos, pos.of(o));
  for (const AttentionBlock &a : attentions) {
    tagNormRegion(a.qSource, a.layer);
    if (a.kvSource != a.qSource)
      tagNormRegion(a.kvSource, a.layer);
  }
  for (const MLPBlock &m : mlps)
    for (Operation *u : m.up)
      tagNormRegion(m.experts ? m.experts->getOperand(0) : getLinearInput(u),
                    m.layer);
  for (Operation *op : allOps)
    if (isNormalization(op) && !tags.count(op)) {
      // Explicit norms not feeding a block: by position (final norm after
      // the last layer).
      int layer = -1;
      if (pos.of(op) < lastBlockPos) {
        for (const MLPBlock &m : mlps)
          if (m.position > pos.of(op)) {
            layer = m.layer;
            break;
          }
      }
      tags[op] = OpTag{layer, BlockKind::Norm};
    }
}

void TransformerRecognizer::tagEmbeddings() {
  // Embeddings: table lookups, and convolutions of a graph input (patches).
  for (Operation *op : allOps) {
    if (auto g = dyn_cast<GatherOp>(op)) {
      auto d = dimsOf(g.getData());
      if (isParameter(g.getData()) && d && d->size() == 2 &&
          isa<IntegerType>(
              cast<ShapedType>(g.getIndices().getType()).getElementType()))
        tags.try_emplace(op, OpTag{-1, BlockKind::Embedding});
    } else if (isa<MSEmbedLayerNormOp>(op)) {
      tags[op] = OpTag{-1, BlockKind::Embedding};
    } else if (auto c = dyn_cast<ConvOp>(op)) {
      if (isa<BlockArgument>(c.getX()) && pos.of(op) < (attentions.empty()
                                                            ? SIZE_MAX
                                                            : attentions.front().position))
        tags.try_emplace(op, OpTag{-1, BlockKind::Embedding});
    }
  }
}

/// Token-scale activations (a multiple of the token rows); side chains
/// such as a conditioning vector are not.
bool TransformerRecognizer::isTokenScale(Value v) const {
  SymExpr n = numel(v);
  if (!tokenRows.isKnown() || !n.isKnown())
    return false;
  auto q = n.divExact(tokenRows);
  return q && !q->isConstant(1) && !q->isConstant(0);
}

void TransformerRecognizer::tagHead() {
  // Head: linears after the last layer (and the norm before them).
  for (Operation *l : linears) {
    if (tags.count(l) && tags[l].block != BlockKind::Other)
      continue;
    if (numLayers > 0 && pos.of(l) > lastBlockPos) {
      tags[l] = OpTag{-1, BlockKind::Head};
      headStart = std::min(headStart, pos.of(l));
      if (isTokenScale(getLinearInput(l)) ||
          linearRows(l) != tokenRows)
        tagNormRegion(getLinearInput(l), -1);
    }
  }
  for (Operation *op : allOps) {
    OpTag t = tags.lookup(op);
    if (tags.count(op) && t.block == BlockKind::Norm && t.layer < 0 &&
        pos.of(op) > lastBlockPos)
      headStart = std::min(headStart, pos.of(op));
  }
}

/// Every other op inherits the tag of its newest producer, or failing that
/// of its first user.
void TransformerRecognizer::inheritTags() {
  for (Operation *op : allOps) {
    if (tags.count(op) || op->hasTrait<OpTrait::ConstantLike>())
      continue;
    // The newest tagged producer of a token-scale activation.
    Operation *bestDef = nullptr;
    for (Value o : op->getOperands()) {
      Operation *d = o.getDefiningOp();
      if (!d || isParameter(o) || !isTokenScale(o) || !tags.count(d))
        continue;
      if (!bestDef || pos.of(d) > pos.of(bestDef))
        bestDef = d;
    }
    if (bestDef) {
      OpTag t = tags.lookup(bestDef);
      // Past the final norm, producers from the layers hand over to the
      // head (e.g. taking the last position before the lm-head).
      if (pos.of(op) > headStart)
        t = OpTag{-1, BlockKind::Head};
      tags[op] = t;
    }
  }
  for (auto it = allOps.rbegin(); it != allOps.rend(); ++it) {
    Operation *op = *it;
    if (tags.count(op) || op->hasTrait<OpTrait::ConstantLike>())
      continue;
    Operation *firstUser = nullptr;
    for (Value r : op->getResults())
      for (Operation *u : r.getUsers())
        if (tags.count(u) && (!firstUser || pos.of(u) < pos.of(firstUser)))
          firstUser = u;
    if (firstUser) {
      // Copy first: inserting `op` may move the entry of `firstUser`.
      OpTag t = tags.lookup(firstUser);
      tags[op] = t;
    }
  }
  // Before the first layer, untagged leftovers are embedding plumbing.
  size_t firstBlockPos = SIZE_MAX;
  if (!attentions.empty())
    firstBlockPos = attentions.front().position;
  if (!mlps.empty())
    firstBlockPos = std::min(firstBlockPos, mlps.front().position);
  for (Operation *op : allOps) {
    auto it = tags.find(op);
    if (it == tags.end() || it->second.block != BlockKind::Other)
      continue;
    if (pos.of(op) < firstBlockPos && numLayers > 0)
      it->second.block = BlockKind::Embedding;
  }
}

//===----------------------------------------------------------------------===//
// Latent (MLA) and linear attention
//===----------------------------------------------------------------------===//

/// The latent down projection behind an up projection `up` that widens a
/// latent: the single linear `up`'s input is computed from (through a
/// norm, a split), a GEMM narrower than what it reads, which is wider than
/// the latent. Null for projections
/// of the residual stream: walking back from those reaches several linears
/// (the residual adds) or a graph input.
Operation *TransformerRecognizer::latentDownProjection(Operation *up) const {
  Value in = getLinearInput(up);
  auto narrower = [](const SymExpr &a, const SymExpr &b) {
    return a.isConstant() && b.isConstant() && a.getConstant() < b.getConstant();
  };
  if (!in || !narrower(lastDim(in), linearWidth(up)))
    return nullptr;
  Operation *down = nullptr;
  SmallVector<Value> stack = {in};
  llvm::DenseSet<Value> seen;
  while (!stack.empty()) {
    Value v = stack.pop_back_val();
    if (!seen.insert(v).second)
      continue;
    Operation *def = v.getDefiningOp();
    if (!def || seen.size() > 32)
      return nullptr;
    if (isLinear(def)) {
      if (down && down != def)
        return nullptr;
      down = def;
      continue;
    }
    for (Value o : def->getOperands())
      if (acts.contains(o))
        stack.push_back(o);
  }
  // A GEMM narrower than what it reads, and the latent narrower than the
  // stream the down projection reads (a low rank, not a patch embedding).
  if (!down || isa<ConvOp>(down) ||
      !narrower(linearWidth(down), lastDim(getLinearInput(down))) ||
      !narrower(lastDim(in), lastDim(getLinearInput(down))))
    return nullptr;
  return down;
}

void TransformerRecognizer::addLatentProjection(
    AttentionBlock &blk, Operation *op, SmallVectorImpl<Operation *> &list) {
  if (!llvm::is_contained(list, op))
    list.push_back(op);
  projections.insert(op);
  tags[op] = OpTag{-1, BlockKind::Attention};
  blk.position = std::min(blk.position, pos.of(op));
}

/// Multi-head latent attention. Naive: the K/V up projection reads a
/// latent made by a down projection (which also emits the rope key), and
/// the graph caches per-head K and V. Absorbed: K and V are the latent
/// itself (one operand, no heads), a second score GEMM adds the rope
/// query x rope key, the K up projection is folded into Q and the V up
/// projection follows the context.
void TransformerRecognizer::recognizeLatentAttention(AttentionBlock &blk) {
  LatentAttention &l = blk.latent;
  if (blk.kvHeads.isConstant(1) && blk.kOperand && blk.kOperand == blk.vOperand) {
    recognizeAbsorbedLatent(blk);
  } else {
    l.ropeScores = nullptr;
    for (Operation *up : SmallVector<Operation *, 2>(blk.kProj))
      if (Operation *down = latentDownProjection(up)) {
        l.kvRank = lastDim(getLinearInput(up));
        SymExpr rope = linearWidth(down) - l.kvRank;
        l.ropeDim = rope.isConstant() && rope.getConstant() > 0 ? rope : SymExpr(0);
        addLatentProjection(blk, down, blk.kProj);
        addLatentProjection(blk, down, blk.vProj);
        l.downProj.push_back(down);
        break;
      }
    if (!l.isRecognised())
      return;
    l.kHeadDim = blk.headDim;
    l.vHeadDim = lastDim(blk.vOperand);
  }
  if (!l.isRecognised()) {
    l = LatentAttention();
    return;
  }
  for (Operation *up : SmallVector<Operation *, 2>(blk.qProj))
    if (Operation *down = latentDownProjection(up)) {
      l.qRank = lastDim(getLinearInput(up));
      addLatentProjection(blk, down, blk.qProj);
      l.downProj.push_back(down);
      break;
    }
  // The blocks read the stream through their down projections (first in
  // the lists): self-attention when Q's and K/V's are the same.
  auto downFirst = [&](SmallVectorImpl<Operation *> &list) {
    std::stable_partition(list.begin(), list.end(), [&](Operation *p) {
      return llvm::is_contained(l.downProj, p);
    });
  };
  downFirst(blk.qProj);
  downFirst(blk.kProj);
  downFirst(blk.vProj);
  if (!blk.qProj.empty() && !blk.kProj.empty()) {
    blk.qSource = getLinearInput(blk.qProj.front());
    blk.kvSource = getLinearInput(blk.kProj.front());
    if (blk.qSource == blk.kvSource)
      blk.source = AttentionSource::Self;
  }
}

void TransformerRecognizer::recognizeAbsorbedLatent(AttentionBlock &blk) {
  LatentAttention &l = blk.latent;
  // The K up projection folded into Q: a linear (per-head weight slice)
  // right before the latent scores.
  Operation *qAbsorb = blk.qOperand.getDefiningOp();
  if (!l.ropeScores || !qAbsorb || !isLinear(qAbsorb) || blk.outProj.empty())
    return;
  tags[l.ropeScores] = OpTag{-1, BlockKind::AttentionScores};
  l.cachesLatent = true;
  l.kvRank = lastDim(blk.kOperand);
  l.ropeDim = lastDim(l.ropeScores->getOperand(1));
  blk.headDim = l.kvRank + l.ropeDim;
  l.kHeadDim = lastDim(getLinearInput(qAbsorb)) + l.ropeDim;
  // The query before absorption comes from the Q projection (up from the
  // query latent); the rope query and key from the same projections.
  for (auto [operand, list] :
       {std::pair{getLinearInput(qAbsorb), &blk.qProj},
        std::pair{l.ropeScores->getOperand(0), &blk.qProj},
        std::pair{l.ropeScores->getOperand(1), &blk.kProj}}) {
    PathInfo path = walkToProjection(operand, SymExpr::unknown(), acts);
    for (Operation *p : path.ops)
      tags.try_emplace(p, OpTag{-1, BlockKind::Attention});
    for (Operation *p : path.projections)
      addLatentProjection(blk, p, *list);
  }
  for (Operation *p : blk.kProj)
    l.downProj.push_back(p);
  // The V up projection reads the context; the output projection follows.
  Operation *vUp = blk.outProj.front();
  l.vHeadDim = linearWidth(vUp);
  SmallVector<Operation *> outPath;
  if (Operation *o = findForward(
          vUp->getResult(0), [](Operation *u, Value) { return isLinear(u); },
          [](Operation *u) {
            return isa<TransposeOp, ReshapeOp, CastOp, IdentityOp, FlattenOp>(u);
          },
          &outPath)) {
    addLatentProjection(blk, o, blk.outProj);
    for (Operation *p : outPath)
      tags.try_emplace(p, OpTag{-1, BlockKind::Attention});
  }
}

/// ONNX LinearAttention (opset 27): heads from its attributes, a state per
/// head instead of scores and a KV cache.
void TransformerRecognizer::recognizeLinearAttention(LinearAttentionOp op,
                                                     AttentionBlock &blk) {
  blk.fused = op;
  blk.linear = true;
  blk.causal = true;
  blk.heads = SymExpr(op.getQNumHeads());
  blk.kvHeads = SymExpr(op.getKvNumHeads());
  if (auto h = lastDim(op.getQuery()).divExact(blk.heads))
    blk.headDim = *h;
  blk.qOperand = op.getQuery();
  blk.kOperand = op.getKey();
  blk.vOperand = op.getValue();
  for (auto [operand, list] : {std::pair{op.getQuery(), &blk.qProj},
                               std::pair{op.getKey(), &blk.kProj},
                               std::pair{op.getValue(), &blk.vProj}}) {
    PathInfo path = walkToProjection(operand, blk.headDim, acts);
    *list = path.projections;
    if (list == &blk.qProj && !path.sources.empty())
      blk.qSource = path.sources.front();
    if (list == &blk.kProj && !path.sources.empty())
      blk.kvSource = path.sources.front();
    for (Operation *p : path.ops)
      tags.try_emplace(p, OpTag{-1, BlockKind::Attention});
  }
  if (auto qd = dimsOf(op.getQuery()); qd && qd->size() == 3)
    blk.queryLen = (*qd)[1];
  // The gates' producers are the block's (they read the layer's normed
  // input, whose norm tag they would inherit otherwise).
  auto gateSource = [&](Value v) {
    if (Operation *d = v ? v.getDefiningOp() : nullptr;
        d && !isParameter(v) && !llvm::is_contained(blk.gateSources, d))
      blk.gateSources.push_back(d);
  };
  for (Value gate : {op.getDecay(), op.getBeta()}) {
    gateSource(gate);
    if (auto g = gate ? gate.getDefiningOp<MSLinearAttentionGateOp>() : nullptr)
      for (Value in : g->getOperands())
        gateSource(in);
  }
  for (Operation *u : op.getOutput().getUsers())
    if (auto norm = dyn_cast<MSGatedRMSNormOp>(u))
      gateSource(norm.getGate());
  for (Operation *g : blk.gateSources)
    tags.try_emplace(g, OpTag{-1, BlockKind::Attention});
  tags[op] = OpTag{-1, BlockKind::Attention};
}

//===----------------------------------------------------------------------===//
// Attention kinds and dims
//===----------------------------------------------------------------------===//

/// Attention over a factorized token grid: within or across frames.
void TransformerRecognizer::labelAttentionScopes() {
  for (AttentionBlock &a : attentions) {
    if (a.source == AttentionSource::Cross || a.fused || a.qProj.empty() ||
        !a.queryLen.isKnown() || !seq.isKnown() || a.queryLen == seq)
      continue;
    // Attention over part of the sequence: within a frame when the query
    // length is a run of consecutive tokens (spatial), across frames when
    // its tokens are strided (temporal). Follow token strides from the Q
    // projection to the Q operand.
    // Start where the tokens are still [batch, seq, d]: before any reshape
    // or transpose that regroups them for this attention.
    Value stream = getLinearInput(a.qProj.front());
    while (stream && stream.getDefiningOp() &&
           isa<ReshapeOp, TransposeOp, SqueezeOp, UnsqueezeOp>(
               stream.getDefiningOp()))
      stream = stream.getDefiningOp()->getOperand(0);
    std::optional<int64_t> stride = queryTokenStride(stream, a.qOperand);
    if (!stride)
      continue;
    a.scope = *stride == 1 ? AttentionScope::Spatial : AttentionScope::Temporal;
  }
}

void TransformerRecognizer::inferDims() {
  if (numLayers > 0)
    dims.nLayers = numLayers;
  // The heads of softmax attention when the model has any: a hybrid
  // stack's linear-attention layers (Qwen3.5) have their own head counts.
  bool softmaxAttention = llvm::any_of(
      attentions, [](const AttentionBlock &a) { return !a.linear; });
  for (const AttentionBlock &a : attentions) {
    if (!a.linear || !softmaxAttention) {
      setOnce(dims.nHeads, a.heads);
      setOnce(dims.nKvHeads, a.kvHeads);
      setOnce(dims.dHead, a.headDim);
    }
    if (a.source == AttentionSource::Self || !dims.dModel) {
      if (!a.qProj.empty() && !isFusedAttention(a.qProj.front()))
        setOnce(dims.dModel, lastDim(getLinearInput(a.qProj.front())));
      else if (a.qSource)
        setOnce(dims.dModel, lastDim(a.qSource));
    }
  }
  inferLatentDims();
  for (const MLPBlock &m : mlps) {
    setOnce(dims.dModel, m.dIn);
    if (!m.nExperts) {
      setOnce(dims.dFF, m.dFF);
      continue;
    }
    setOnce(dims.nExperts, SymExpr(m.nExperts));
    setOnce(dims.topK, SymExpr(m.topK));
    setOnce(dims.nSharedExperts, SymExpr(m.nSharedExperts));
    setOnce(dims.dExpertFF, m.dFF);
  }
}

/// MLA's latent dims and the sliding window (the first block's).
void TransformerRecognizer::inferLatentDims() {
  for (const AttentionBlock &a : attentions) {
    if (a.window)
      setOnce(dims.window, SymExpr(*a.window));
    if (!a.latent.isRecognised())
      continue;
    setOnce(dims.kvLoraRank, a.latent.kvRank);
    setOnce(dims.qLoraRank, a.latent.qRank);
    setOnce(dims.ropeHeadDim, a.latent.ropeDim);
  }
}

double TransformerStructure::getInactiveExpertParameters() const {
  double inactive = 0;
  for (const MLPBlock &m : mlps)
    if (m.nExperts > 0)
      inactive += m.expertParameters *
                  (1.0 - double(std::min(m.topK, m.nExperts)) / m.nExperts);
  return inactive;
}

void TransformerRecognizer::inferVocabulary() {
  // Vocabulary: the token table, or the head's width. Several tables may
  // be looked up with graph inputs (HF exports take position_ids as an
  // input, and may list it before or after input_ids): the input's name
  // says which is the position table; failing that, the table whose rows
  // match the head's width is the vocabulary, else the first looked up.
  // Token-type (segment) tables are looked up by an input as well; they
  // are neither.
  enum class LookupKind { Token, Position, TokenType };
  struct InputLookup {
    SymExpr rows;
    LookupKind kind;
  };
  SmallVector<InputLookup> inputLookups;
  for (Operation *op : allOps)
    if (auto g = dyn_cast<GatherOp>(op)) {
      if (tags.lookup(op).block != BlockKind::Embedding)
        continue;
      auto d = dimsOf(g.getData());
      BlockArgument input;
      Value idx = g.getIndices();
      // Token ids may be cast, reshaped or sliced (HF exports slice
      // input_ids to the last position) on their way to the lookup.
      for (int i = 0; i < 6 && idx; ++i) {
        if ((input = dyn_cast<BlockArgument>(idx)))
          break;
        Operation *def = idx.getDefiningOp();
        idx = isViewLike(def) || isa<SliceOp, ExpandOp>(def)
                  ? def->getOperand(0)
                  : Value();
      }
      bool fromInput = static_cast<bool>(input);
      auto idxDims = dimsOf(g.getIndices());
      bool tokenIds = fromInput && idxDims && idxDims->size() >= 2;
      if (tokenIds && d) {
        // Only the function's own inputs carry names: a subgraph's block
        // arguments (a BeamSearch decoder's) are numbered in their own
        // block, so their numbers index nothing on the function.
        StringRef name;
        if (input.getOwner()->getParentOp() == func.getOperation())
          if (auto n = func.getArgAttrOfType<StringAttr>(
                  input.getArgNumber(), "tfperf.name"))
            name = n.getValue();
        LookupKind kind = LookupKind::Token;
        if (name.contains_insensitive("position") ||
            name.contains_insensitive("pos_id"))
          kind = LookupKind::Position;
        else if (name.contains_insensitive("type") ||
                 name.contains_insensitive("segment"))
          kind = LookupKind::TokenType;
        inputLookups.push_back({(*d)[0], kind});
      } else if (d && !fromInput && idxDims && !idxDims->empty()) {
        setOnce(dims.maxPositions, (*d)[0]);
      }
    } else if (auto e = dyn_cast<MSEmbedLayerNormOp>(op)) {
      setOnce(dims.vocab, (*dimsOf(e.getWordEmbedding()))[0]);
      setOnce(dims.maxPositions, (*dimsOf(e.getPositionEmbedding()))[0]);
    }
  llvm::erase_if(inputLookups, [](const InputLookup &l) {
    return l.kind == LookupKind::TokenType;
  });
  if (!inputLookups.empty()) {
    const InputLookup *token = nullptr;
    for (const InputLookup &l : inputLookups)
      if (l.kind == LookupKind::Token && !token)
        token = &l;
    bool namesTell = token && llvm::any_of(inputLookups, [](auto &l) {
                       return l.kind == LookupKind::Position;
                     });
    if (!namesTell && inputLookups.size() > 1)
      for (const InputLookup &l : inputLookups)
        for (Operation *lin : linears)
          if (tags.lookup(lin).block == BlockKind::Head &&
              linearWidth(lin) == l.rows)
            token = &l;
    if (!token)
      token = &inputLookups.front();
    setOnce(dims.vocab, token->rows);
    for (const InputLookup &l : inputLookups)
      if (&l != token)
        setOnce(dims.maxPositions, l.rows);
  }
  if (!dims.vocab && hasTokenIdsInput(func))
    for (Operation *l : linears)
      if (tags.lookup(l).block == BlockKind::Head && dims.dModel &&
          linearWidth(l).isConstant() &&
          linearWidth(l).getConstant() > *dims.dModel)
        setOnce(dims.vocab, linearWidth(l));
}

void TransformerRecognizer::inferMaxPositions() {
  // Max positions: a position table (looked up, sliced or added), else a
  // causal-mask buffer. Token tables and linear weights are not.
  if (!dims.maxPositions) {
    std::optional<int64_t> table, mask;
    for (Operation *op : allOps) {
      auto w = dyn_cast<WeightOp>(op);
      if (!w)
        continue;
      auto d = dimsOf(w.getResult());
      if (!d || d->size() < 2)
        continue;
      const SymExpr &a = (*d)[d->size() - 2], &b = (*d)[d->size() - 1];
      if (!a.isConstant() || a.getConstant() <= 1)
        continue;
      bool tokenTable = false, linearWeight = false, inScores = false;
      for (Operation *u : w->getUsers()) {
        tokenTable |= isa<GatherOp>(u) && tags.lookup(u).block == BlockKind::Embedding &&
                      dims.vocab && a.isConstant(*dims.vocab);
        linearWeight |= isLinear(u) || isa<TransposeOp>(u) || isFusedMoE(u);
        inScores |= tags.lookup(u).block == BlockKind::AttentionScores ||
                    isa<IdentityOp, SliceOp>(u);
      }
      if (tokenTable || linearWeight)
        continue;
      bool posLike = dims.dModel && b.isConstant(*dims.dModel) &&
                     (d->size() == 2 || (d->size() == 3 && (*d)[0].isConstant(1)));
      if (posLike && !table)
        table = a.getInt64();
      if (a == b && inScores && !mask)
        mask = a.getInt64();
    }
    if (table)
      dims.maxPositions = table;
    else if (mask)
      dims.maxPositions = mask;
  }
}
