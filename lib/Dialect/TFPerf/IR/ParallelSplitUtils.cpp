//===- ParallelSplitUtils.cpp - helpers of tfperf split rules -------------===//

#include "ParallelSplitUtils.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfAttrs.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace mlir::tfperf;

std::optional<SmallVector<SymExpr, 4>> split::dimsOf(Value v) {
  return getSymbolicDims(v.getType());
}

int split::rankOf(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t ? (int)t.getRank() : -1;
}

std::optional<int64_t> split::constDim(Value v, int d) {
  auto ds = dimsOf(v);
  if (!ds || d < 0 || d >= (int)ds->size())
    return std::nullopt;
  return (*ds)[d].getInt64();
}

bool split::hasExtent(Value v, int d) {
  auto ds = dimsOf(v);
  if (!ds || d < 0 || d >= (int)ds->size())
    return false;
  return !(*ds)[d].isConstant(1);
}

bool split::anyParameterOperandSplit(Operation *op, SplitContext &ctx) {
  return llvm::any_of(op->getOperands().drop_front(), [&](Value v) {
    return ctx.getSplit(v).isSplit();
  });
}

int split::normAxis(int64_t axis, int rank) {
  return axis < 0 ? (int)(axis + rank) : (int)axis;
}

/// Constant integers of a value defined by a constant op.
std::optional<SmallVector<int64_t, 4>> split::constInts(Value v) {
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

bool split::readSliced(Operation *op, SplitContext &ctx, OpSplit &sp, Value v,
                       int dim, int64_t units) {
  if (!v)
    return true;
  ValueSplit st = ctx.getSplit(v);
  if (st.isSplit() && st.dim != dim)
    return false;
  if (dim >= 0 && hasExtent(v, dim))
    for (OpOperand &o : op->getOpOperands())
      if (o.get() == v)
        sp.operandUnits[o.getOperandNumber()] = units;
  return true;
}

LogicalResult split::elementwise(Operation *op, SplitContext &ctx, OpSplit &sp,
                                 ArrayRef<unsigned> carried) {
  // Whole operands stay whole (an unranked result included).
  if (!ctx.anyOperandSplit(op))
    return success();
  if (op->getNumResults() == 0)
    return success();
  int R = rankOf(op->getResult(0));
  if (R < 0)
    return ctx.fail("an unranked result");
  auto considered = [&](unsigned i) {
    return carried.empty() || llvm::is_contained(carried, i);
  };
  int outDim = -1;
  ValueSplit base;
  for (auto [i, v] : llvm::enumerate(op->getOperands())) {
    ValueSplit st = ctx.getSplit(v);
    if (!st.isSplit())
      continue;
    if (!considered(i))
      return ctx.fail("a split side input");
    int d = st.dim + (R - rankOf(v));
    if (outDim >= 0 && d != outDim)
      return ctx.fail("operands split on different dims");
    if (outDim < 0) {
      outDim = d;
      base = st;
    }
  }
  if (outDim < 0)
    return success();
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
      ctx.setResult(op, sp, i, base);
  sp.kind = ctx.getShardedKind(op);
  return success();
}

LogicalResult split::norm(Operation *op, SplitContext &ctx, OpSplit &sp,
                          int firstNormDim, ArrayRef<unsigned> inputs) {
  if (!ctx.anyOperandSplit(op))
    return success();
  for (auto [i, v] : llvm::enumerate(op->getOperands())) {
    ValueSplit st = ctx.getSplit(v);
    if (!st.isSplit())
      continue;
    if (!llvm::is_contained(inputs, i))
      return ctx.fail("a split norm weight");
    if (st.dim >= firstNormDim)
      return ctx.fail("a norm over the split dim");
  }
  return elementwise(op, ctx, sp, inputs);
}

LogicalResult split::vocabTable(Operation *op, SplitContext &ctx, OpSplit &sp,
                                unsigned table, int g) {
  for (auto [i, v] : llvm::enumerate(op->getOperands()))
    if (ctx.getSplit(v).isSplit())
      return ctx.fail("the token ids are split");
  // Each device looks up the ids in its vocabulary range (zeros elsewhere);
  // an all-reduce sums the partial embeddings.
  sp.kind = SplitKind::Vocab;
  sp.group = g;
  sp.weightOperand = table;
  sp.weightDim = 0;
  sp.operandUnits[table] = ctx.getGroup(g).units;
  sp.collectives.push_back({0, Collective::AllReduce});
  return success();
}
