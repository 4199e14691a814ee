//===- BackwardIndexing.cpp - backward of indexing ops --------------------===//
//
// A gather's gradient is a scatter-add of dY into a zero gradient of the
// data, a scatter's the gather of dY at the written places; indices and
// masks (NonZero, OneHot: BackwardDataMovement.cpp) have none
// (docs/Training.md).
//
//===----------------------------------------------------------------------===//

#include "BackwardUtils.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

using namespace mlir;
using namespace mlir::tfperf;

/// dData gets dY scattered (added) at the gathered places: `n` gradient
/// elements of `from` moved into `to`, written whole.
static LogicalResult scatterBack(BackwardCost &c, const ShapeQuery &q,
                                 const char *name, Value from, Value to,
                                 bool add) {
  auto n = bwd::elements(q, from, c);
  auto whole = bwd::elements(q, to, c);
  if (!n || !whole)
    return failure();
  BackwardOp &k = c.add(name);
  if (add)
    k.flops = *n;
  k.read(from, *n);
  k.write(to, add ? *whole : *n);
  return success();
}

/// A selection or gather: dY scattered (added) into a zero gradient of
/// `data`.
#define SCATTER_ADD_BACK(OP, NAME, FROM, DATA)                                 \
  LogicalResult OP::computeBackwardCost(const ShapeQuery &q,                   \
                                        const GradientQuery &g,                \
                                        BackwardCost &c) {                     \
    if (!g.needsGrad(DATA))                                                    \
      return success();                                                        \
    return scatterBack(c, q, NAME, FROM, DATA, true);                          \
  }
SCATTER_ADD_BACK(TopKOp, "dX = scatter(dValues at indices)", getValues(),
                 getInput())
SCATTER_ADD_BACK(GatherElementsOp, "dData = scatter_add(dY at indices)",
                 getOutput(), getData())
SCATTER_ADD_BACK(GatherNDOp, "dData = scatter_add(dY at index tuples)",
                 getOutput(), getData())
#undef SCATTER_ADD_BACK

/// dUpdates gathers dY at the written places; dData is dY with them zeroed
/// (or kept, for reductions that add).
static LogicalResult scatterGrad(Operation *op, const ShapeQuery &q,
                                 const GradientQuery &g, BackwardCost &c) {
  Value data = op->getOperand(0), updates = op->getOperand(2);
  if (g.needsGrad(updates) &&
      failed(scatterBack(c, q, "dUpdates = gather(dY at indices)", updates,
                         updates, false)))
    return failure();
  if (g.needsGrad(data))
    return bwd::moveBack(op, q, g, c, "dData = dY, written places zeroed");
  return success();
}

#define SCATTER_GRAD(OP)                                                       \
  LogicalResult OP::computeBackwardCost(const ShapeQuery &q,                   \
                                        const GradientQuery &g,                \
                                        BackwardCost &c) {                     \
    return scatterGrad(*this, q, g, c);                                        \
  }
SCATTER_GRAD(ScatterNDOp)
SCATTER_GRAD(ScatterElementsOp)
#undef SCATTER_GRAD
