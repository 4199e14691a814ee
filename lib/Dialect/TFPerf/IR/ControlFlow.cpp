//===- ControlFlow.cpp - ONNX If, Loop and Scan ---------------------------===//
//
// Verifiers and shape functions of the control-flow ops, and how often
// their regions run (the trip count, the scan length, the folded
// condition), which CostAnalysis multiplies the ops inside by. The ops
// themselves cost nothing: their regions' ops carry the work.
//
//===----------------------------------------------------------------------===//

#include "BackwardUtils.h"
#include "InferenceUtils.h"
#include "ParallelSplitUtils.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::tfperf;
using namespace mlir::tfperf::infer;

static YieldOp yieldOf(Region &r) {
  return dyn_cast<YieldOp>(r.front().getTerminator());
}

/// The region's terminator is a tfperf.yield of `count` values.
static LogicalResult verifyYield(Operation *op, Region &r, StringRef what,
                                 size_t count) {
  if (r.empty() || r.front().empty())
    return op->emitOpError() << what << " is empty";
  YieldOp y = yieldOf(r);
  if (!y)
    return op->emitOpError() << what << " does not end in tfperf.yield";
  if (y.getNumOperands() != count)
    return op->emitOpError() << what << " yields " << y.getNumOperands()
                             << " values, expected " << count;
  return success();
}

/// `subgraph_names` lists the regions' ONNX attribute names, in order.
static LogicalResult verifySubgraphNames(Operation *op, ArrayAttr names,
                                         ArrayRef<StringRef> expected) {
  bool same = names.size() == expected.size();
  for (size_t i = 0; same && i < expected.size(); ++i)
    same = cast<StringAttr>(names[i]).getValue() == expected[i];
  if (!same)
    return op->emitOpError() << "needs the graph attributes "
                             << llvm::join(expected, ", ") << " in that order";
  return success();
}

/// The info of a value yielded by a region, as seen by the enclosing op.
static const TensorInfo &yielded(ShapeContext &ctx, Region &r, unsigned i) {
  return ctx.get(yieldOf(r).getOperand(i));
}

/// A value yielded once per iteration, stacked along `axis` into `length`
/// slices.
static LogicalResult setStacked(Operation *op, ShapeContext &ctx,
                                unsigned result, const TensorInfo &slice,
                                int64_t axis, const SymExpr &length) {
  if (!slice.ranked)
    return keepResultTypes(op, ctx);
  int64_t rank = slice.dims.size() + 1;
  auto a = normalizeAxis(op, axis, rank, "scan output axis");
  if (failed(a))
    return failure();
  Dims dims = slice.dims;
  dims.insert(dims.begin() + *a, length);
  ctx.setResult(op, result, slice.elementType, dims);
  return success();
}

//===----------------------------------------------------------------------===//
// If
//===----------------------------------------------------------------------===//

LogicalResult IfOp::verify() {
  if (failed(verifySubgraphNames(*this, getSubgraphNames(),
                                 {"then_branch", "else_branch"})))
    return failure();
  if (failed(verifyYield(*this, getThenBranch(), "then_branch",
                         getNumResults())) ||
      failed(verifyYield(*this, getElseBranch(), "else_branch",
                         getNumResults())))
    return failure();
  for (Region *r : {&getThenBranch(), &getElseBranch()})
    if (r->getNumArguments() != 0)
      return emitOpError() << "branches take no inputs";
  return success();
}

std::optional<bool> IfOp::foldCondition(ShapeContext &ctx) {
  const auto *vals = ctx.getValues(getCond());
  if (!vals || vals->size() != 1 || !vals->front().isConstant())
    return std::nullopt;
  return vals->front().getConstant() != 0;
}

LogicalResult IfOp::inferShapes(ShapeContext &ctx) {
  std::optional<bool> taken = foldCondition(ctx);
  for (unsigned i = 0; i < getNumResults(); ++i) {
    const TensorInfo &t = yielded(ctx, getThenBranch(), i);
    const TensorInfo &e = yielded(ctx, getElseBranch(), i);
    if (taken) {
      TensorInfo info = *taken ? t : e;
      ctx.set(getResult(i), info);
      continue;
    }
    // Either branch may run: a dim the branches disagree on is unknown.
    if (!t.ranked || !e.ranked || t.dims.size() != e.dims.size()) {
      (void)ctx.get(getResult(i));
      continue;
    }
    Dims dims = t.dims;
    for (size_t d = 0; d < dims.size(); ++d)
      if (dims[d] != e.dims[d])
        dims[d] = SymExpr::unknown();
    ctx.setResult(*this, i, t.elementType ? t.elementType : e.elementType,
                  dims);
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Loop
//===----------------------------------------------------------------------===//

LogicalResult LoopOp::verify() {
  if (failed(verifySubgraphNames(*this, getSubgraphNames(), {"body"})))
    return failure();
  size_t carried = getVInitial().size();
  if (getNumResults() < carried)
    return emitOpError() << "has " << getNumResults()
                         << " results, fewer than its " << carried
                         << " loop-carried values";
  if (getBody().getNumArguments() != 2 + carried)
    return emitOpError() << "body takes " << getBody().getNumArguments()
                         << " inputs, expected " << 2 + carried
                         << " (iteration, condition, loop-carried values)";
  return verifyYield(*this, getBody(), "body", 1 + getNumResults());
}

FailureOr<SymExpr> LoopOp::inferTripCount(ShapeContext &ctx) {
  Value m = getMaxTripCount();
  if (!m)
    return dataDependentDim(*this, "trip");
  const auto *vals = ctx.getValues(m);
  if (!vals || vals->size() != 1 || !vals->front().isKnown())
    return dataDependentDim(*this, "trip");
  const SymExpr &n = vals->front();
  if (n.isConstant() && n.getConstant() < 0)
    return emitOpError() << "trip count M is negative (" << n << ")";
  return n;
}

SymExpr LoopOp::getIterations() {
  if (auto text = getTripCount())
    if (auto e = SymExpr::parse(*text))
      return *e;
  return dataDependentDim(*this, "trip");
}

LogicalResult LoopOp::inferShapes(ShapeContext &ctx) {
  FailureOr<SymExpr> trips = inferTripCount(ctx);
  if (failed(trips))
    return failure();
  size_t carried = getVInitial().size();
  // Yields: condition, carried values, scan output slices.
  for (unsigned i = 0; i < getNumResults(); ++i) {
    const TensorInfo &slice = yielded(ctx, getBody(), 1 + i);
    if (i < carried) {
      TensorInfo info = slice;
      info.values.reset();
      ctx.set(getResult(i), info);
    } else if (failed(setStacked(*this, ctx, i, slice, 0, *trips))) {
      return failure();
    }
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Scan
//===----------------------------------------------------------------------===//

/// Entry `i` of an optional per-input axis list (0 when absent).
static int64_t axisAt(std::optional<ArrayRef<int64_t>> axes, size_t i) {
  return axes && i < axes->size() ? (*axes)[i] : 0;
}

LogicalResult ScanOp::verify() {
  if (failed(verifySubgraphNames(*this, getSubgraphNames(), {"body"})))
    return failure();
  int64_t inputs = getInitialStateAndScanInputs().size();
  if (getNumScanInputs() < 1 || getNumScanInputs() > inputs)
    return emitOpError() << "num_scan_inputs " << getNumScanInputs()
                         << " must be in [1, " << inputs << "]";
  if (getNumResults() < (size_t)getNumStates())
    return emitOpError() << "has fewer results than its " << getNumStates()
                         << " states";
  if (getBody().getNumArguments() != (size_t)inputs)
    return emitOpError() << "body takes " << getBody().getNumArguments()
                         << " inputs, expected " << inputs;
  return verifyYield(*this, getBody(), "body", getNumResults());
}

/// The scan length: the first scan input's dim along its scan axis.
static SymExpr scanLength(ScanOp op, std::optional<ArrayRef<SymExpr>> dims) {
  if (!dims)
    return SymExpr::unknown();
  int64_t axis = axisAt(op.getScanInputAxes(), 0);
  if (axis < 0)
    axis += dims->size();
  if (axis < 0 || axis >= (int64_t)dims->size())
    return SymExpr::unknown();
  return (*dims)[axis];
}

SymExpr ScanOp::getScanLength(const ShapeQuery &q) {
  return scanLength(*this, q.dims(getInitialStateAndScanInputs()[getNumStates()]));
}

LogicalResult ScanOp::inferShapes(ShapeContext &ctx) {
  int64_t states = getNumStates();
  for (int64_t i = 0; i < getNumScanInputs(); ++i) {
    const TensorInfo &in = ctx.get(getInitialStateAndScanInputs()[states + i]);
    if (in.ranked && failed(normalizeAxis(*this, axisAt(getScanInputAxes(), i),
                                          in.dims.size(), "scan input axis")))
      return failure();
  }
  SymExpr length =
      scanLength(*this, ctx.getDims(getInitialStateAndScanInputs()[states]));
  for (unsigned i = 0; i < getNumResults(); ++i) {
    const TensorInfo &slice = yielded(ctx, getBody(), i);
    if ((int64_t)i < states) {
      TensorInfo info = slice;
      info.values.reset();
      ctx.set(getResult(i), info);
    } else if (failed(setStacked(*this, ctx, i, slice,
                                 axisAt(getScanOutputAxes(), i - states),
                                 length))) {
      return failure();
    }
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Costs: the ops in the regions carry the work (CostAnalysis weighs them).
//===----------------------------------------------------------------------===//

#define REGION_CARRIES_COST(OP)                                                \
  LogicalResult OP::computeCost(const ShapeQuery &, OpCost &) {                \
    return success();                                                          \
  }                                                                            \
  LogicalResult OP::computeBackwardCost(const ShapeQuery &,                    \
                                        const GradientQuery &,                 \
                                        BackwardCost &c) {                     \
    return bwd::unknown(c, "no backward model for control flow");              \
  }                                                                            \
  LogicalResult OP::propagateSplit(SplitContext &ctx, OpSplit &) {             \
    return ctx.noSplitRule(*this);                                             \
  }
REGION_CARRIES_COST(IfOp)
REGION_CARRIES_COST(LoopOp)
REGION_CARRIES_COST(ScanOp)
