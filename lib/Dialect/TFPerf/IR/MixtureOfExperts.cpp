//===- MixtureOfExperts.cpp - fused MoE ops: shapes, cost, split ----------===//
//
// com.microsoft MoE and QMoE (TFPerfOpsMoE.td). The cost counts the routed
// work, not the pool: each of the T tokens runs through its k experts
// (2 H (up rows + I) GEMM FLOPs each), so FLOPs scale with k, never with E.
// Each pass reads the weights of the experts its T tokens touch, on average
// E (1 - (1 - k/E)^T): at decode a few tokens touch a few experts, a long
// prefill all of them. QMoE reads its
// weights as stored (packed) and dequantizes each touched weight once.
// docs/CostModel.md. Under tensor parallelism each expert splits as a
// dense MLP does (docs/TensorParallel.md).
//
//===----------------------------------------------------------------------===//

#include "BackwardUtils.h"
#include "CostUtils.h"
#include "ParallelSplitUtils.h"
#include "tfperf/Dialect/TFPerf/IR/ExpertGeometry.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

using namespace mlir;
using namespace mlir::tfperf;

namespace {
constexpr int64_t kDequantizeFlops = 2;

/// FLOPs per intermediate element of an expert's activation (the gate's
/// multiply included for SwiGLU: alpha G, sigmoid, G s, L + beta, product).
int64_t activationFlops(StringRef activation) {
  return llvm::StringSwitch<int64_t>(activation)
      .Case("relu", 1)
      .Case("gelu", 5)
      .Case("silu", 2)
      .Case("swiglu", 5)
      .Default(0);
}

/// The fc1, fc2 and fc3 biases of fused MoE op `op` that are present.
SmallVector<Value, 3> expertBiases(Operation *op) {
  SmallVector<Value, 3> bs;
  if (auto m = dyn_cast<MSMoEOp>(op))
    bs = {m.getFc1ExpertsBias(), m.getFc2ExpertsBias(), m.getFc3ExpertsBias()};
  else if (auto m = dyn_cast<MSQMoEOp>(op))
    bs = {m.getFc1ExpertsBias(), m.getFc2ExpertsBias(), m.getFc3ExpertsBias()};
  llvm::erase_if(bs, [](Value v) { return !v; });
  return bs;
}

/// Forward cost of fused MoE op `op` with activation `activation`.
LogicalResult moeCost(Operation *op, StringRef activation, const ShapeQuery &q,
                      OpCost &c) {
  auto dims = [&](Value v) { return q.dims(v); };
  std::optional<ExpertGeometry> g =
      getExpertGeometry(op, dims, c.unknownReason);
  if (!g)
    return failure();
  Value input = op->getOperand(0), probs = op->getOperand(1);
  Value out = op->getResult(0);
  auto inElems = cost::readWhole(q, c, input);
  auto probElems = cost::readWhole(q, c, probs);
  if (!inElems || !probElems)
    return failure();
  SmallVector<Value> perExpert = getPerExpertOperands(op);
  // The other operands (router weights, activation scales) are read whole.
  for (Value v : op->getOperands().drop_front(2))
    if (!llvm::is_contained(perExpert, v) && !cost::readWhole(q, c, v))
      return failure();
  // Per-expert tensors [E, ...]: only the touched experts' slices.
  for (Value v : perExpert) {
    auto d = cost::dimsOf(q, v, c);
    if (!d)
      return failure();
    // A per-expert tensor leads with the expert axis; a scalar has none.
    if (d->empty()) {
      c.unknownReason = "a per-expert operand (weights, scales, zero points "
                        "or biases) is a scalar, not [num_experts, ...]";
      return failure();
    }
    SymExpr slice(1);
    for (const SymExpr &x : d->drop_front())
      slice = slice * x;
    c.read(v, g->overTouchedExperts(slice));
  }
  // Biases [E, rows]: an add per row of each routed token's projections.
  SymExpr biasRows(0);
  for (Value b : expertBiases(op))
    if (auto d = q.dims(b); d && d->size() == 2)
      biasRows = biasRows + (*d)[1];
  c.write(out, *inElems);

  SymExpr routed = g->routedTokens();
  // Router: one selection pass over the probabilities, a weight per pick
  // (its normalization folded in).
  cost::addPart(c, "top-k routing", *probElems + routed, false);
  cost::addPart(c, "expert GEMMs", routed * g->gemmFlopsPerRoutedToken(), true);
  int64_t act = activationFlops(activation);
  if (g->isGated() && activation != "swiglu")
    act += 1; // the gate's product
  cost::addPart(c, "activation", routed * g->inter * SymExpr(act), false);
  if (!biasRows.isConstant(0))
    cost::addPart(c, "biases", routed * biasRows, false);
  // Weighted sum of the k expert outputs: a multiply-add per element.
  cost::addPart(c, "combine", SymExpr(2) * routed * g->hidden, false);
  if (isa<MSQMoEOp>(op))
    cost::addPart(c, "dequantize",
                  g->overTouchedExperts((g->upRows + g->inter) * g->hidden *
                                        SymExpr(kDequantizeFlops)),
                  false);
  return success();
}

/// Shape function of both ops: the output has the input's shape and type.
LogicalResult moeShapes(Operation *op, ShapeContext &ctx) {
  const TensorInfo &in = ctx.get(op->getOperand(0));
  if (!in.ranked)
    return success();
  ctx.setResult(op, 0, in.elementType, in.dims);
  return success();
}
} // namespace

LogicalResult MSMoEOp::inferShapes(ShapeContext &ctx) {
  return moeShapes(*this, ctx);
}
LogicalResult MSQMoEOp::inferShapes(ShapeContext &ctx) {
  return moeShapes(*this, ctx);
}

LogicalResult MSMoEOp::computeCost(const ShapeQuery &q, OpCost &c) {
  return moeCost(*this, getActivationType(), q, c);
}
LogicalResult MSQMoEOp::computeCost(const ShapeQuery &q, OpCost &c) {
  return moeCost(*this, getActivationType(), q, c);
}

// Training through routed experts (the router's gradient, the dispatch's
// transpose) is not modelled: say so rather than count it as 0.
static LogicalResult noBackwardModel(BackwardCost &c, StringRef opType) {
  return bwd::unknown(
      c, (opType + ": the backward of fused Mixture-of-Experts is not modelled")
             .str());
}
LogicalResult MSMoEOp::computeBackwardCost(const ShapeQuery &,
                                           const GradientQuery &,
                                           BackwardCost &c) {
  return noBackwardModel(c, getONNXOpType());
}
LogicalResult MSQMoEOp::computeBackwardCost(const ShapeQuery &,
                                            const GradientQuery &,
                                            BackwardCost &c) {
  return noBackwardModel(c, getONNXOpType());
}

/// The operands a split of the experts' d_ff divides: fc1's and fc3's
/// weights, scales, zero points and biases (their rows are the d_ff
/// columns) and fc2's weights with their block scales and zero points
/// ([E, H, I / block]). fc2's bias is added once, after the reduction; its
/// per-row scales and the global scales are needed whole.
static SmallVector<Value> dffSplitOperands(Operation *op) {
  SmallVector<Value> up, downBlocks;
  Value down;
  if (auto m = dyn_cast<MSMoEOp>(op)) {
    up = {m.getFc1ExpertsWeights(), m.getFc1ExpertsBias(),
          m.getFc3ExpertsWeights(), m.getFc3ExpertsBias()};
    down = m.getFc2ExpertsWeights();
  } else if (auto m = dyn_cast<MSQMoEOp>(op)) {
    up = {m.getFc1ExpertsWeights(), m.getFc1Scales(), m.getFc1ZeroPoints(),
          m.getFc1ExpertsBias(),    m.getFc3ExpertsWeights(),
          m.getFc3Scales(),         m.getFc3ZeroPoints(),
          m.getFc3ExpertsBias()};
    down = m.getFc2ExpertsWeights();
    downBlocks = {m.getFc2Scales(), m.getFc2ZeroPoints()};
  }
  SmallVector<Value> divided = {down};
  for (Value v : up)
    if (v && split::rankOf(v) >= 2)
      divided.push_back(v);
  for (Value v : downBlocks)
    if (v && split::rankOf(v) == 3)
      divided.push_back(v);
  return divided;
}

/// Megatron-LM's split of the experts without expert parallelism: each
/// expert as a dense MLP, fc1/fc3 by their d_ff rows (column-parallel),
/// fc2 by its contracted d_ff (row-parallel); the input and the router's
/// probabilities are whole on every device, and each device's output is a
/// partial sum that one all-reduce completes.
static LogicalResult moeSplit(Operation *op, SplitContext &ctx, OpSplit &sp) {
  if (ctx.anyOperandSplit(op))
    return ctx.fail("a fused MoE op reads its input and router "
                    "probabilities whole");
  TypeShapeQuery q;
  std::string why;
  std::optional<ExpertGeometry> g =
      getExpertGeometry(op, [&](Value v) { return q.dims(v); }, why);
  std::optional<int64_t> dff = g ? g->inter.getInt64() : std::nullopt;
  if (!dff || *dff <= 0)
    return success(); // An unknown d_ff: the op runs whole.
  sp.kind = SplitKind::Row;
  sp.group = ctx.addGroup(UnitKind::Hidden, *dff, op);
  SmallVector<Value> divided = dffSplitOperands(op);
  for (OpOperand &o : op->getOpOperands()) {
    if (!llvm::is_contained(divided, o.get()))
      continue;
    sp.operandUnits[o.getOperandNumber()] = *dff;
    // The row-parallel weight, as a row linear's: fc2 along its d_ff.
    if (o.get() == divided.front() && sp.weightOperand < 0) {
      sp.weightOperand = o.getOperandNumber();
      sp.weightDim = 2;
    }
  }
  sp.collectives.push_back({0, Collective::AllReduce});
  return success();
}

LogicalResult MSMoEOp::propagateSplit(SplitContext &ctx, OpSplit &sp) {
  return moeSplit(*this, ctx, sp);
}
LogicalResult MSQMoEOp::propagateSplit(SplitContext &ctx, OpSplit &sp) {
  return moeSplit(*this, ctx, sp);
}
