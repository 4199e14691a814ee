//===- ParallelSplitNN.cpp - split rules of NN ops ------------------------===//
//
// Contractions (MatMul, Gemm, Einsum, Conv) read the split off their index
// letters, einsum-style: a split letter the output keeps stays split (a
// column-parallel linear splits its weight's output letter), a contracted
// one leaves partial sums and an all-reduce (row-parallel), a convolution
// window cannot be split. Softmax and norms conflict over the split dim;
// reductions keep a split they do not reduce over.
// docs/TensorParallel.md.
//
//===----------------------------------------------------------------------===//

#include "ParallelSplitUtils.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"
#include "tfperf/Support/Einsum.h"

using namespace mlir;
using namespace mlir::tfperf;
using namespace mlir::tfperf::split;

namespace {
/// Index letters of a contraction: one string per operand (with the op
/// operand index it belongs to), the output's, and letters that slide
/// (convolution windows), which cannot be split without halos.
struct Contraction {
  SmallVector<std::string, 3> in;
  SmallVector<unsigned, 3> operand;
  std::string out;
  std::string window;
};
} // namespace

static std::string batchLetters(int total, int n) {
  std::string s;
  for (int i = total - n; i < total; ++i)
    s.push_back('0' + i);
  return s;
}

/// MatMul: numpy-style batch letters, [.., m, k] x [.., k, n].
static std::optional<Contraction> lettersOf(MatMulOp m) {
  Contraction c;
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

/// Gemm: transposed operands and the broadcast bias C.
static std::optional<Contraction> lettersOf(GemmOp g) {
  Contraction c;
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

/// Einsum: the equation's letters, ellipses expanded to batch letters.
static std::optional<Contraction> lettersOf(EinsumOp e) {
  Contraction c;
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

/// Conv (group 1): spatial and kernel letters slide.
static std::optional<Contraction> lettersOf(ConvOp cv) {
  Contraction c;
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

/// A contraction of index letters `c` (nullopt: letters unknown): a split
/// letter the output keeps stays split; a contracted one leaves partial
/// sums, all-reduced (row-parallel when the op is a linear). A linear the
/// structure put in a column group splits its weight's output letter.
static LogicalResult contractionSplit(Operation *op,
                                      const std::optional<Contraction> &c,
                                      SplitContext &ctx, OpSplit &sp) {
  if (!c) {
    for (Value v : op->getOperands())
      if (ctx.getSplit(v).isSplit())
        return ctx.fail("an unsupported contraction of a split operand");
    return success();
  }
  Value act = ctx.getLinearInput(op);
  // The split letter, and the first operand (term) carrying it.
  char letter = 0;
  int first = -1;
  for (auto [j, idx] : llvm::enumerate(c->operand)) {
    ValueSplit st = ctx.getSplit(op->getOperand(idx));
    if (!st.isSplit())
      continue;
    if (st.dim >= (int)c->in[j].size())
      return ctx.fail("a split operand of unexpected rank");
    char l = c->in[j][st.dim];
    if (letter && l != letter)
      return ctx.fail("operands split on different dims");
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
    int g = ctx.getColumnGroup(op);
    if (g < 0 || !act)
      return success();
    // Column-parallel: split the weight's output letter.
    int w = -1;
    for (auto [j, idx] : llvm::enumerate(c->operand))
      if (op->getOperand(idx) != act && j < 2)
        w = j;
    int x = w == 0 ? 1 : 0;
    if (w < 0)
      return success();
    char n = 0;
    for (char l : c->in[w])
      if (c->out.find(l) != std::string::npos &&
          c->in[x].find(l) == std::string::npos) {
        n = l;
        break;
      }
    if (!n)
      return success();
    int outDim = (int)c->out.find(n);
    int64_t extent = constDim(op->getResult(0), outDim).value_or(0);
    if (extent <= 0)
      return success();
    int64_t F = ctx.getGroup(g).units, I = ctx.getGroup(g).unitSize;
    if (F <= 0 || I <= 0 || extent % (F * I) != 0) {
      F = extent;
      I = 1;
      ctx.getGroup(g).units = extent;
      ctx.getGroup(g).unitSize = 1;
    }
    ValueSplit st;
    st.dim = outDim;
    st.F = F;
    st.I = I;
    st.group = g;
    sp.kind = ctx.getGroup(g).kind == UnitKind::Vocab ? SplitKind::Vocab
                                                      : SplitKind::Column;
    sp.weightOperand = c->operand[w];
    sp.weightDim = (int)c->in[w].find(n);
    sp.group = g;
    sliceTerms(n, st.units());
    ctx.setResult(op, sp, 0, st);
    return success();
  }
  if (c->window.find(letter) != std::string::npos)
    return ctx.fail("a convolution window over the split dim");
  ValueSplit st = ctx.getSplit(op->getOperand(c->operand[first]));
  size_t outPos = c->out.find(letter);
  sliceTerms(letter, st.units());
  int w = -1;
  for (auto [j, idx] : llvm::enumerate(c->operand))
    if (act && op->getOperand(idx) != act && j < 2)
      w = j;
  if (outPos != std::string::npos) {
    // The letter is kept: each device computes its slice of the output.
    st.dim = (int)outPos;
    ctx.setResult(op, sp, 0, st);
    sp.kind = ctx.getShardedKind(op);
    return success();
  }
  // Contracted: partial sums, reduced across the devices.
  sp.kind = act ? SplitKind::Row : ctx.getShardedKind(op);
  sp.group = st.group;
  if (act && w >= 0) {
    sp.weightOperand = c->operand[w];
    sp.weightDim = (int)c->in[w].find(letter);
  }
  // A bias is added once, after the reduction.
  if (auto g = dyn_cast<GemmOp>(op); g && g.getC())
    sp.operandUnits[2] = 1;
  sp.collectives.push_back({0, Collective::AllReduce});
  return success();
}

/// A reduction keeps a split it does not reduce over.
static LogicalResult reduceSplit(Operation *op, SplitContext &ctx,
                                 OpSplit &sp) {
  if (!ctx.anyOperandSplit(op))
    return success();
  Value in = op->getOperand(0), out = op->getResult(0);
  // A split of the axes (only a malformed graph reduces over a tensor's
  // own values) leaves the data unsplit: no split dim to keep.
  if (anyParameterOperandSplit(op, ctx))
    return ctx.fail("a split axes operand");
  ValueSplit st = ctx.getSplit(in);
  int r = rankOf(in);
  int64_t keep = 1;
  std::optional<SmallVector<int64_t, 4>> axes;
  if (auto a = op->getAttrOfType<DenseI64ArrayAttr>("static_axes"))
    axes =
        SmallVector<int64_t, 4>(a.asArrayRef().begin(), a.asArrayRef().end());
  else if (op->getNumOperands() > 1)
    axes = constInts(op->getOperand(1));
  if (auto k = op->getAttrOfType<IntegerAttr>("keepdims"))
    keep = k.getInt();
  bool reduced;
  int newDim = st.dim;
  if (axes) {
    reduced = llvm::any_of(*axes,
                           [&](int64_t a) { return normAxis(a, r) == st.dim; });
    if (!keep)
      for (int64_t a : *axes)
        newDim -= normAxis(a, r) < st.dim;
  } else if (keep && rankOf(out) == r) {
    auto id = dimsOf(in), od = dimsOf(out);
    reduced = !id || !od || (*id)[st.dim] != (*od)[st.dim];
  } else {
    return ctx.fail("a reduction over unknown axes");
  }
  if (reduced)
    return ctx.fail("a reduction over the split dim");
  sp.operandUnits[0] = st.units();
  st.dim = newDim;
  ctx.setResult(op, sp, 0, st);
  sp.kind = ctx.getShardedKind(op);
  return success();
}

LogicalResult MatMulOp::propagateSplit(SplitContext &ctx, OpSplit &sp) {
  return contractionSplit(*this, lettersOf(*this), ctx, sp);
}

LogicalResult GemmOp::propagateSplit(SplitContext &ctx, OpSplit &sp) {
  return contractionSplit(*this, lettersOf(*this), ctx, sp);
}

LogicalResult EinsumOp::propagateSplit(SplitContext &ctx, OpSplit &sp) {
  return contractionSplit(*this, lettersOf(*this), ctx, sp);
}

LogicalResult ConvOp::propagateSplit(SplitContext &ctx, OpSplit &sp) {
  return contractionSplit(*this, lettersOf(*this), ctx, sp);
}

LogicalResult SoftmaxOp::propagateSplit(SplitContext &ctx, OpSplit &sp) {
  if (!ctx.anyOperandSplit(*this))
    return success();
  int r = rankOf(getInput());
  if (ctx.getSplit(getInput()).dim >= normAxis(getAxis(), r))
    return ctx.fail("softmax over the split dim");
  return elementwise(*this, ctx, sp, {0});
}

LogicalResult LayerNormOp::propagateSplit(SplitContext &ctx, OpSplit &sp) {
  return norm(*this, ctx, sp, normAxis(getAxis(), rankOf(getX())), {0});
}

#define REDUCTION(OP)                                                          \
  LogicalResult OP::propagateSplit(SplitContext &ctx, OpSplit &sp) {           \
    return reduceSplit(*this, ctx, sp);                                        \
  }
REDUCTION(ReduceMeanOp)
REDUCTION(ReduceSumOp)
REDUCTION(ReduceMaxOp)
REDUCTION(ReduceProdOp)
#undef REDUCTION

LogicalResult InstanceNormOp::propagateSplit(SplitContext &ctx, OpSplit &sp) {
  // Statistics over the spatial dims: a split there conflicts.
  return norm(*this, ctx, sp, 2, {0});
}

LogicalResult LpNormOp::propagateSplit(SplitContext &ctx, OpSplit &sp) {
  return norm(*this, ctx, sp, normAxis(getAxis(), rankOf(getInput())), {0});
}
