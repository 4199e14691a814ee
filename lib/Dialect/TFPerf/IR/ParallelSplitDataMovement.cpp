//===- ParallelSplitDataMovement.cpp - split rules of data movement -------===//
//
// Views and copies carry a split to the dim it lands on: a reshape maps it
// through the strides of one unit (it may merge GQA's broadcast copies into
// units, and conflicts where it cuts across units), a transpose permutes
// it, an expand keeps it (a broadcast right after the unit dim copies each
// unit), a split or slice along it divides the units (a fused QKV's pieces
// become Q heads and KV heads), a concat along it adds them, and a gather
// keeps it unless it gathers along it. docs/TensorParallel.md.
//
//===----------------------------------------------------------------------===//

#include "ParallelSplitUtils.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

using namespace mlir;
using namespace mlir::tfperf;
using namespace mlir::tfperf::split;

/// `st` mapped through a reshape from `in` dims to `out` dims.
static std::optional<ValueSplit> mapReshape(const ValueSplit &st, Value in,
                                            Value out) {
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

/// Reshape, Flatten, Squeeze, Unsqueeze: the split lands on the output dim
/// that holds whole units.
static LogicalResult reshapeSplit(Operation *op, SplitContext &ctx,
                                  OpSplit &sp) {
  if (!ctx.anyOperandSplit(op))
    return success();
  Value in = op->getOperand(0);
  ValueSplit st = ctx.getSplit(in);
  if (anyParameterOperandSplit(op, ctx))
    return ctx.fail("a split shape operand");
  auto r = mapReshape(st, in, op->getResult(0));
  if (!r)
    return ctx.fail("a reshape that cuts across the split units");
  sp.operandUnits[0] = st.units();
  ctx.setResult(op, sp, 0, *r);
  sp.kind = ctx.getShardedKind(op);
  return success();
}

/// Transpose: the split dim moves with the permutation.
static LogicalResult transposeSplit(TransposeOp op, SplitContext &ctx,
                                    OpSplit &sp) {
  if (!ctx.anyOperandSplit(op))
    return success();
  ValueSplit st = ctx.getSplit(op.getData());
  int r = rankOf(op.getData());
  SmallVector<int64_t> perm;
  if (auto p = op.getPerm())
    perm.assign(p->begin(), p->end());
  else
    for (int i = r - 1; i >= 0; --i)
      perm.push_back(i);
  auto it = llvm::find(perm, st.dim);
  if (it == perm.end())
    return ctx.fail("a transpose without the split dim");
  sp.operandUnits[0] = st.units();
  st.dim = (int)(it - perm.begin());
  ctx.setResult(op, sp, 0, st);
  sp.kind = ctx.getShardedKind(op);
  return success();
}

/// Expand, Tile: the split dim is kept; a broadcast of the dim right after
/// it copies each unit (GQA's repeat of KV heads).
static LogicalResult expandSplit(Operation *op, SplitContext &ctx,
                                 OpSplit &sp) {
  if (!ctx.anyOperandSplit(op))
    return success();
  Value in = op->getOperand(0), out = op->getResult(0);
  if (anyParameterOperandSplit(op, ctx))
    return ctx.fail("a split shape operand");
  ValueSplit st = ctx.getSplit(in);
  int r = rankOf(in), R = rankOf(out);
  auto id = dimsOf(in), od = dimsOf(out);
  if (!id || !od || R < r)
    return ctx.fail("an expand of unknown shape");
  int d = st.dim + (R - r);
  if ((*od)[d] != (*id)[st.dim])
    return ctx.fail("an expand or tile of the split dim");
  // A broadcast of the dim right after the units copies each unit (GQA's
  // repeat of KV heads for the query heads that share them).
  if (d + 1 < R && st.dim + 1 < r && (*id)[st.dim + 1].isConstant(1))
    if (auto n = (*od)[d + 1].getInt64(); n && *n > 1)
      st.R *= *n;
  sp.operandUnits[0] = ctx.getSplit(in).units();
  st.dim = d;
  ctx.setResult(op, sp, 0, st);
  sp.kind = ctx.getShardedKind(op);
  return success();
}

/// Split, Slice: pieces along the split dim take their share of the units
/// (a fused QKV's pieces become Q heads and KV heads); others keep them.
static LogicalResult sliceSplit(Operation *op, SplitContext &ctx, OpSplit &sp) {
  if (!ctx.anyOperandSplit(op))
    return success();
  Value in = op->getOperand(0);
  if (anyParameterOperandSplit(op, ctx))
    return ctx.fail("a split size operand");
  ValueSplit st = ctx.getSplit(in);
  int r = rankOf(in);
  auto id = dimsOf(in);
  if (!id || st.dim >= r)
    return ctx.fail("a split of unknown shape");
  sp.operandUnits[0] = st.units();
  const UnitGroup parent = ctx.getGroup(st.group);
  // Slices before `k` along the split dim, to tell Q from K and V.
  int64_t before = 0;
  for (auto [k, res] : llvm::enumerate(op->getResults())) {
    auto od = dimsOf(res);
    if (!od || (int)od->size() != r)
      return ctx.fail("a split of unknown shape");
    ValueSplit piece = st;
    if ((*od)[st.dim] != (*id)[st.dim]) {
      auto e = (*od)[st.dim].getInt64();
      if (!e || *e % (st.I * st.R) != 0)
        return ctx.fail("a slice that cuts across the split units");
      piece.F = *e / (st.I * st.R);
      if (parent.kind == UnitKind::FusedQKV) {
        int64_t start = before;
        if (auto sl = dyn_cast<SliceOp>(op))
          if (auto s0 = constInts(sl.getStarts()); s0 && s0->size() == 1)
            start = (*s0)[0] / (st.I * st.R);
        bool isQ = parent.heads > 0 && start == 0;
        piece.group = ctx.derivedGroup(
            st.group, piece.F, isQ ? UnitKind::Heads : UnitKind::KVHeads);
      } else {
        piece.group = ctx.derivedGroup(st.group, piece.F);
      }
      before += piece.F;
    }
    ctx.setResult(op, sp, k, piece);
  }
  sp.kind = ctx.getShardedKind(op);
  return success();
}

/// Concat: along the split dim the units add up (every input split alike);
/// along another dim the split is kept (the KV cache).
static LogicalResult concatSplit(ConcatOp op, SplitContext &ctx, OpSplit &sp) {
  if (!ctx.anyOperandSplit(op))
    return success();
  int R = rankOf(op.getResult());
  int axis = normAxis(op.getAxis(), R);
  ValueSplit base;
  int64_t totalF = 0;
  bool alongSplit = false;
  for (Value v : op.getInputs()) {
    ValueSplit st = ctx.getSplit(v);
    if (!st.isSplit())
      continue;
    if (base.isSplit() && st.dim != base.dim)
      return ctx.fail("operands split on different dims");
    if (!base.isSplit())
      base = st;
    alongSplit = st.dim == axis;
    totalF += st.F;
  }
  if (alongSplit) {
    for (Value v : op.getInputs())
      if (!ctx.getSplit(v).isSplit() || ctx.getSplit(v).I != base.I ||
          ctx.getSplit(v).R != base.R)
        return ctx.fail(
            "a concat of split and whole tensors along the split dim");
    base.F = totalF;
    base.group = ctx.derivedGroup(base.group, totalF);
  }
  for (auto [i, v] : llvm::enumerate(op.getInputs()))
    if (ctx.getSplit(v).isSplit() || (!alongSplit && hasExtent(v, base.dim)))
      sp.operandUnits[i] = std::max(ctx.getSplit(v).units(), base.units());
  ctx.setResult(op, sp, 0, base);
  sp.kind = ctx.getShardedKind(op);
  return success();
}

/// Gather: a split on another dim than the gathered axis is kept.
static LogicalResult gatherSplit(GatherOp op, SplitContext &ctx, OpSplit &sp) {
  if (!ctx.anyOperandSplit(op))
    return success();
  ValueSplit st = ctx.getSplit(op.getData());
  if (ctx.getSplit(op.getIndices()).isSplit())
    return ctx.fail("split gather indices");
  int axis = normAxis(op.getAxis(), rankOf(op.getData()));
  if (st.dim == axis)
    return ctx.fail("a gather along the split dim");
  sp.operandUnits[0] = st.units();
  if (st.dim > axis)
    st.dim += rankOf(op.getIndices()) - 1;
  ctx.setResult(op, sp, 0, st);
  sp.kind = ctx.getShardedKind(op);
  return success();
}

#define RESHAPES(OP)                                                           \
  LogicalResult OP::propagateSplit(SplitContext &ctx, OpSplit &sp) {           \
    return reshapeSplit(*this, ctx, sp);                                       \
  }
RESHAPES(ReshapeOp)
RESHAPES(FlattenOp)
RESHAPES(SqueezeOp)
RESHAPES(UnsqueezeOp)
#undef RESHAPES

LogicalResult TransposeOp::propagateSplit(SplitContext &ctx, OpSplit &sp) {
  return transposeSplit(*this, ctx, sp);
}

LogicalResult ExpandOp::propagateSplit(SplitContext &ctx, OpSplit &sp) {
  return expandSplit(*this, ctx, sp);
}

LogicalResult TileOp::propagateSplit(SplitContext &ctx, OpSplit &sp) {
  return expandSplit(*this, ctx, sp);
}

LogicalResult SplitOp::propagateSplit(SplitContext &ctx, OpSplit &sp) {
  return sliceSplit(*this, ctx, sp);
}

LogicalResult SliceOp::propagateSplit(SplitContext &ctx, OpSplit &sp) {
  return sliceSplit(*this, ctx, sp);
}

LogicalResult ConcatOp::propagateSplit(SplitContext &ctx, OpSplit &sp) {
  return concatSplit(*this, ctx, sp);
}

LogicalResult GatherOp::propagateSplit(SplitContext &ctx, OpSplit &sp) {
  // The token embedding, when the structure split it by vocabulary.
  if (int g = ctx.getVocabGroup(*this); g >= 0)
    return vocabTable(*this, ctx, sp, /*table=*/0, g);
  return gatherSplit(*this, ctx, sp);
}

LogicalResult DropoutOp::propagateSplit(SplitContext &ctx, OpSplit &sp) {
  return elementwise(*this, ctx, sp);
}

LogicalResult ShapeOp::propagateSplit(SplitContext &ctx, OpSplit &sp) {
  // Shape metadata does not need the data.
  return success();
}

// Ops that make new tensors or wrap unknown computations take whole
// operands.
#define NO_SPLIT_RULE(OP)                                                      \
  LogicalResult OP::propagateSplit(SplitContext &ctx, OpSplit &sp) {           \
    return ctx.noSplitRule(*this);                                             \
  }
NO_SPLIT_RULE(ConstantOfShapeOp)
NO_SPLIT_RULE(RangeOp)
NO_SPLIT_RULE(WeightOp)
NO_SPLIT_RULE(ConstantOp)
NO_SPLIT_RULE(CustomOp)
NO_SPLIT_RULE(MSBeamSearchOp)
NO_SPLIT_RULE(MSWhisperBeamSearchOp)
NO_SPLIT_RULE(MSGreedySearchOp)
NO_SPLIT_RULE(MSSamplingOp)
// Selections, gathers and scatters index along dims a split could cut; a
// running sum's axis may be the split dim.
NO_SPLIT_RULE(TriluOp)
NO_SPLIT_RULE(NonZeroOp)
NO_SPLIT_RULE(TopKOp)
NO_SPLIT_RULE(GatherElementsOp)
NO_SPLIT_RULE(GatherNDOp)
NO_SPLIT_RULE(ScatterNDOp)
NO_SPLIT_RULE(ScatterElementsOp)
NO_SPLIT_RULE(CumSumOp)
NO_SPLIT_RULE(OneHotOp)
#undef NO_SPLIT_RULE
