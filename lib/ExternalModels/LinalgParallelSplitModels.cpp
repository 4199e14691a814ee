//===- LinalgParallelSplitModels.cpp - split rules of linalg ops ----------===//
//
// One ParallelSplitOpInterface model serves every structured op, named or
// generic, from its indexing maps and iterator types, so lowered IR gets
// tensor-parallel splits too. A split operand dim names the loop that
// indexes it; the operands must agree on that loop. Then:
//  - a parallel loop stays split: each result is split on the dim its
//    indexing map gives the loop, and the op runs on its slice (sharded);
//  - a reduction loop leaves partial sums on every device: the op is
//    row-parallel and every result is all-reduced;
// and every operand indexed by the loop is read in slices (the one that
// was whole, such as the weight of a row-parallel matmul, is the weight).
// A split dim indexed by anything but a plain loop (a convolution window
// `oh + kh`, a constant) cannot be carried. linalg.softmax carries a split
// it does not normalise over. docs/ExternalModels.md.
//
//===----------------------------------------------------------------------===//

#include "tfperf/ExternalModels/ExternalModels.h"
#include "tfperf/Interfaces/ParallelSplitOpInterface.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace mlir::tfperf;

/// True when dim `d` of `v` has more than one element (or is dynamic).
static bool hasExtent(Value v, int64_t d) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t && d >= 0 && d < t.getRank() && t.getDimSize(d) != 1;
}

/// The loop that indexes result `dim` of `map`, when it is a plain loop.
static std::optional<unsigned> loopOf(AffineMap map, int dim) {
  if (dim < 0 || dim >= (int)map.getNumResults())
    return std::nullopt;
  auto d = dyn_cast<AffineDimExpr>(map.getResult(dim));
  if (!d)
    return std::nullopt;
  return d.getPosition();
}

/// The result of `map` that is exactly loop `loop`, or -1.
static int dimOf(AffineMap map, unsigned loop) {
  for (auto [i, e] : llvm::enumerate(map.getResults()))
    if (auto d = dyn_cast<AffineDimExpr>(e); d && d.getPosition() == loop)
      return (int)i;
  return -1;
}

static LogicalResult structuredOpSplit(linalg::LinalgOp op, SplitContext &ctx,
                                       OpSplit &sp) {
  if (!ctx.anyOperandSplit(op))
    return success();
  if (!op.hasPureTensorSemantics())
    return ctx.fail("a structured op on buffers");
  // The loop the split runs along.
  std::optional<unsigned> loop;
  ValueSplit base;
  for (OpOperand &o : op->getOpOperands()) {
    ValueSplit st = ctx.getSplit(o.get());
    if (!st.isSplit())
      continue;
    auto l = loopOf(op.getMatchingIndexingMap(&o), st.dim);
    if (!l)
      return ctx.fail("a split dim indexed by a window or a constant");
    if (loop && *l != *loop)
      return ctx.fail("operands split on different dims");
    if (!loop) {
      loop = l;
      base = st;
    }
  }
  bool reduction = op.getIteratorTypesArray()[*loop] ==
                   utils::IteratorType::reduction;
  // Every operand indexed by the loop is read in slices; the first one that
  // arrives whole is the weight of a row-parallel op.
  for (OpOperand &o : op->getOpOperands()) {
    int d = dimOf(op.getMatchingIndexingMap(&o), *loop);
    if (d < 0 || !hasExtent(o.get(), d))
      continue;
    unsigned i = o.getOperandNumber();
    sp.operandUnits[i] = base.units();
    if (reduction && sp.weightOperand < 0 && !ctx.getSplit(o.get()).isSplit() &&
        op.isDpsInput(&o)) {
      sp.weightOperand = (int)i;
      sp.weightDim = d;
    }
  }
  if (reduction) {
    // Partial sums on every device, reduced across them.
    sp.kind = SplitKind::Row;
    sp.group = base.group;
    for (unsigned r = 0; r < op->getNumResults(); ++r)
      sp.collectives.push_back({r, Collective::AllReduce});
    return success();
  }
  for (OpOperand &init : op.getDpsInitsMutable()) {
    int d = dimOf(op.getMatchingIndexingMap(&init), *loop);
    if (d < 0)
      return ctx.fail("a parallel loop the result does not index");
    ValueSplit r = base;
    r.dim = d;
    ctx.setResult(op, sp, op.getTiedOpResult(&init).getResultNumber(), r);
  }
  sp.kind = ctx.getShardedKind(op);
  return success();
}

namespace {
template <typename OpTy>
struct StructuredOpSplitModel : public ParallelSplitOpInterface::ExternalModel<
                                    StructuredOpSplitModel<OpTy>, OpTy> {
  LogicalResult propagateSplit(Operation *op, SplitContext &ctx,
                               OpSplit &sp) const {
    return structuredOpSplit(cast<linalg::LinalgOp>(op), ctx, sp);
  }
};

/// linalg.softmax normalises over `dimension`: a split elsewhere stays.
struct SoftmaxSplitModel
    : public ParallelSplitOpInterface::ExternalModel<SoftmaxSplitModel,
                                                     linalg::SoftmaxOp> {
  LogicalResult propagateSplit(Operation *op, SplitContext &ctx,
                               OpSplit &sp) const {
    auto softmax = cast<linalg::SoftmaxOp>(op);
    if (!ctx.anyOperandSplit(op))
      return success();
    ValueSplit st = ctx.getSplit(softmax.getInput());
    if (!st.isSplit() || ctx.getSplit(softmax.getOutput()).isSplit())
      return ctx.fail("a split softmax destination");
    if (st.dim == (int)softmax.getDimension())
      return ctx.fail("softmax over the split dim");
    for (Value v : {softmax.getInput(), softmax.getOutput()})
      if (hasExtent(v, st.dim))
        sp.operandUnits[v == softmax.getInput() ? 0 : 1] = st.units();
    ctx.setResult(op, sp, 0, st);
    sp.kind = ctx.getShardedKind(op);
    return success();
  }
};
} // namespace

template <typename... OpTys>
static void attachStructuredModels(MLIRContext *ctx) {
  (OpTys::template attachInterface<StructuredOpSplitModel<OpTys>>(*ctx), ...);
}

void mlir::tfperf::registerLinalgParallelSplitModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, linalg::LinalgDialect *) {
    attachStructuredModels<
#define GET_OP_LIST
#include "mlir/Dialect/Linalg/IR/LinalgStructuredOps.cpp.inc"
        >(ctx);
    linalg::SoftmaxOp::attachInterface<SoftmaxSplitModel>(*ctx);
  });
}
