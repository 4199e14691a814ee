//===- LinalgCostModels.cpp - CostOpInterface for linalg ------------------===//
//
// One model serves every structured op, named or generic, because every one
// of them carries the same three things: an iteration domain (derived from
// the operand shapes through the op's shapes-to-loops map), indexing maps and
// a scalar body. FLOPs are (FLOPs of one body execution) x (trip count); the
// matmul-like part is the multiply-accumulate pairs; traffic is each input
// read once and each init written once. The rules that make linalg agree
// with tfperf's own ops (docs/CostModel.md), and what is unknown, are stated
// in docs/ExternalModels.md.
//
//===----------------------------------------------------------------------===//

#include "ModelUtils.h"
#include "tfperf/ExternalModels/ExternalModels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Interfaces/CastInterfaces.h"

using namespace mlir;
using namespace mlir::tfperf;

/// Softmax: max, subtract, exp, sum, divide per element, as tfperf.softmax
/// and linalg.softmax's own decomposition.
static constexpr int64_t kSoftmaxFlops = 5;

//===----------------------------------------------------------------------===//
// The body
//===----------------------------------------------------------------------===//

namespace {
/// What one execution of a structured op's body computes.
struct BodyCost {
  /// All FLOPs of one iteration.
  int64_t flops = 0;
  /// Of which multiply-accumulate pairs: 2 per pair.
  int64_t gemmFlops = 0;
  /// Per init: the non-GEMM ops that fold a value into its accumulator.
  SmallVector<int64_t, 2> combiners;
};
} // namespace

/// FLOPs one execution of a body op performs, or nullopt (with `why`) when
/// there is no count for it. Terminators, constants, linalg.index, casts and
/// index arithmetic are free: they yield, convert or address data. Every
/// other arith/math op is 1 FLOP per result (transcendental ones too, and
/// comparisons and selects as ONNX Equal/Where count), except the 2-op
/// fused math.fma and math.clampf.
static std::optional<int64_t> bodyOpFlops(Operation *op, std::string &why) {
  if (op->hasTrait<OpTrait::IsTerminator>() ||
      op->hasTrait<OpTrait::ConstantLike>() || isa<linalg::IndexOp>(op) ||
      isa<CastOpInterface>(op))
    return 0;
  if (op->getNumRegions() > 0) {
    why = "its body has a nested region ('" +
          op->getName().getStringRef().str() + "')";
    return std::nullopt;
  }
  if (isa<math::FmaOp, math::ClampFOp>(op))
    return 2;
  if (isa_and_nonnull<arith::ArithDialect, math::MathDialect>(
          op->getDialect())) {
    if (llvm::all_of(op->getResultTypes(),
                     [](Type t) { return t.isIndex(); }))
      return 0;
    return op->getNumResults();
  }
  why = "its body has '" + op->getName().getStringRef().str() +
        "', which has no FLOP count";
  return std::nullopt;
}

/// Looks through value-preserving conversions (extf, sitofp, ...).
static Value stripCasts(Value v, Block *body) {
  while (Operation *def = v.getDefiningOp()) {
    if (def->getBlock() != body || !isa<CastOpInterface>(def) ||
        def->getNumOperands() != 1)
      break;
    v = def->getOperand(0);
  }
  return v;
}

/// The DPS input operand a multiplicand comes from, looking through casts
/// and zero-point subtractions (quantized matmul and conv bodies).
static std::optional<unsigned> inputSource(linalg::LinalgOp op, Value v) {
  Block *body = op.getBlock();
  while (true) {
    v = stripCasts(v, body);
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      if (arg.getOwner() != body)
        return std::nullopt;
      OpOperand *operand = op.getMatchingOpOperand(arg);
      if (!op.isDpsInput(operand))
        return std::nullopt;
      return operand->getOperandNumber();
    }
    Operation *def = v.getDefiningOp();
    if (!def || def->getBlock() != body || !isa<arith::SubIOp, arith::SubFOp>(def))
      return std::nullopt;
    v = def->getOperand(0);
  }
}

/// The init whose block argument `v` is (through casts), if any.
static std::optional<unsigned> accumulatorOf(linalg::LinalgOp op, Value v) {
  auto arg = dyn_cast<BlockArgument>(stripCasts(v, op.getBlock()));
  if (!arg || arg.getOwner() != op.getBlock())
    return std::nullopt;
  OpOperand *operand = op.getMatchingOpOperand(arg);
  if (!op.isDpsInit(operand))
    return std::nullopt;
  return operand->getOperandNumber() - op.getNumDpsInputs();
}

/// True when `add` is `acc + a * b` (either order) with `a` and `b` from
/// two different inputs: a multiply-accumulate, the matmul-like part.
static bool isMultiplyAccumulate(linalg::LinalgOp op, Operation *add) {
  if (!isa<arith::AddFOp, arith::AddIOp>(add))
    return false;
  for (unsigned i = 0; i < 2; ++i) {
    if (!accumulatorOf(op, add->getOperand(i)))
      continue;
    Value other = stripCasts(add->getOperand(1 - i), op.getBlock());
    Operation *mul = other.getDefiningOp();
    if (!mul || mul->getBlock() != op.getBlock() ||
        !isa<arith::MulFOp, arith::MulIOp>(mul))
      continue;
    auto a = inputSource(op, mul->getOperand(0));
    auto b = inputSource(op, mul->getOperand(1));
    if (a && b && *a != *b)
      return true;
  }
  return false;
}

static std::optional<BodyCost> analyzeBody(linalg::LinalgOp op,
                                           std::string &why) {
  BodyCost cost;
  cost.combiners.assign(op.getNumDpsInits(), 0);
  Block *body = op.getBlock();
  if (!body) {
    why = "it has no body";
    return std::nullopt;
  }
  for (Operation &inner : *body) {
    auto flops = bodyOpFlops(&inner, why);
    if (!flops)
      return std::nullopt;
    cost.flops += *flops;
    if (*flops == 0)
      continue;
    if (op.getNumReductionLoops() > 0 && isMultiplyAccumulate(op, &inner)) {
      cost.gemmFlops += 2; // the add and its multiply
      continue;
    }
    for (Value v : inner.getOperands())
      if (auto init = accumulatorOf(op, v)) {
        ++cost.combiners[*init];
        break;
      }
  }
  return cost;
}

//===----------------------------------------------------------------------===//
// The iteration domain
//===----------------------------------------------------------------------===//

/// Evaluates a shapes-to-loops expression over the flattened operand dims.
static std::optional<SymExpr> evaluate(AffineExpr e, ArrayRef<SymExpr> dims) {
  if (auto c = dyn_cast<AffineConstantExpr>(e))
    return SymExpr(c.getValue());
  if (auto d = dyn_cast<AffineDimExpr>(e)) {
    if (d.getPosition() >= dims.size())
      return std::nullopt;
    return dims[d.getPosition()];
  }
  auto bin = dyn_cast<AffineBinaryOpExpr>(e);
  if (!bin)
    return std::nullopt; // a symbol
  auto l = evaluate(bin.getLHS(), dims);
  auto r = evaluate(bin.getRHS(), dims);
  if (!l || !r)
    return std::nullopt;
  switch (e.getKind()) {
  case AffineExprKind::Add:
    return *l + *r;
  case AffineExprKind::Mul:
    return *l * *r;
  case AffineExprKind::FloorDiv:
    return SymExpr::floorDiv(*l, *r);
  case AffineExprKind::CeilDiv:
    return SymExpr::ceilDiv(*l, *r);
  case AffineExprKind::Mod:
    return SymExpr::mod(*l, *r);
  default:
    return std::nullopt;
  }
}

/// The number of iterations: the product of the loop ranges the operand
/// shapes determine (symbolic dims stay symbolic).
static std::optional<SymExpr> tripCount(linalg::LinalgOp op,
                                        const ShapeQuery &q, OpCost &c) {
  SmallVector<SymExpr> flat;
  for (OpOperand &operand : op->getOpOperands()) {
    if (!isa<ShapedType>(operand.get().getType()))
      continue; // a scalar operand has no dims in the flattened list
    auto d = ext::dims(q, operand.get(), c);
    if (!d)
      return std::nullopt;
    flat.append(d->begin(), d->end());
  }
  AffineMap shapesToLoops = op.getShapesToLoopsMap();
  if (!shapesToLoops || shapesToLoops.getNumDims() != flat.size()) {
    c.unknownReason = "its loop ranges cannot be derived from the operand "
                      "shapes (indexing maps are not invertible)";
    return std::nullopt;
  }
  SymExpr trip(1);
  for (AffineExpr e : shapesToLoops.getResults()) {
    auto range = evaluate(e, flat);
    if (!range || range->isUnknown()) {
      c.unknownReason = "a loop range is not an expression of the shapes";
      return std::nullopt;
    }
    trip = trip * *range;
  }
  return trip;
}

//===----------------------------------------------------------------------===//
// Traffic conventions
//===----------------------------------------------------------------------===//

/// An init that holds no data yet: a kernel initialises such accumulators
/// in registers, so reading them is not traffic.
static bool isFreshInit(Value init) {
  return isa_and_nonnull<linalg::FillOp, tensor::EmptyOp>(init.getDefiningOp());
}

/// A fill that only initialises the inits of linalg ops is fused into them
/// (destination-passing style's zero accumulator): it costs nothing. Those
/// ops overwrite their whole init; a partial writer such as
/// tensor.insert_slice leaves the filled values in memory, so a fill under
/// it is real.
static bool isFusedFill(linalg::FillOp fill) {
  if (!fill.hasPureTensorSemantics() || fill->use_empty())
    return false;
  return llvm::all_of(fill->getUses(), [](OpOperand &use) {
    Operation *user = use.getOwner();
    if (auto linalgOp = dyn_cast<linalg::LinalgOp>(user))
      return linalgOp.isDpsInit(&use);
    return isa<linalg::SoftmaxOp>(user);
  });
}

/// The value a write of init `operand` is recorded against: the tied result
/// on tensors, the buffer itself on memrefs.
static Value writtenValue(DestinationStyleOpInterface op, OpOperand *init) {
  if (op.hasPureTensorSemantics())
    return op.getTiedOpResult(init);
  return init->get();
}

//===----------------------------------------------------------------------===//
// Models
//===----------------------------------------------------------------------===//

static LogicalResult structuredOpCost(linalg::LinalgOp op, const ShapeQuery &q,
                                      OpCost &c) {
  if (!op.hasPureTensorSemantics() && !op.hasPureBufferSemantics()) {
    c.unknownReason = "it mixes tensor and buffer operands";
    return failure();
  }
  if (auto fill = dyn_cast<linalg::FillOp>(op.getOperation());
      fill && isFusedFill(fill))
    return success();

  std::string why;
  auto body = analyzeBody(op, why);
  if (!body) {
    c.unknownReason = "no FLOP count for " +
                      op->getName().getStringRef().str() + ": " + why;
    return failure();
  }
  auto trip = tripCount(op, q, c);
  if (!trip)
    return failure();

  for (OpOperand *input : op.getDpsInputOperands()) {
    // Scalars live in registers; a tensor.empty input (a pooling window)
    // only carries a shape.
    if (!isa<ShapedType>(input->get().getType()) ||
        isa_and_nonnull<tensor::EmptyOp>(input->get().getDefiningOp()))
      continue;
    if (failed(ext::readAll(q, input->get(), c)))
      return failure();
  }

  c.flops = SymExpr(body->flops) * *trip;
  c.gemmFlops = SymExpr(body->gemmFlops) * *trip;
  auto dps = cast<DestinationStyleOpInterface>(op.getOperation());
  for (auto [i, init] : llvm::enumerate(op.getDpsInitsMutable())) {
    auto n = ext::elements(q, init.get(), c);
    if (!n)
      return failure();
    bool fresh = isFreshInit(init.get());
    // Accumulating into real data reads it; a fresh accumulator is not read.
    if (op.payloadUsesValueFromOperand(&init) && !fresh)
      c.read(init.get(), *n);
    c.write(writtenValue(dps, &init), *n);
    // Folding n values into a fresh accumulator takes n - 1 combines per
    // output (tfperf's ReduceSum convention); multiply-accumulates keep 2
    // per MAC (MatMul's).
    if (fresh && op.getNumReductionLoops() > 0)
      c.flops = c.flops - SymExpr(body->combiners[i]) * *n;
  }
  return success();
}

static LogicalResult structuredCost(Operation *op, const ShapeQuery &q,
                                    OpCost &c) {
  return structuredOpCost(cast<linalg::LinalgOp>(op), q, c);
}

static LogicalResult softmaxCost(linalg::SoftmaxOp softmax, const ShapeQuery &q,
                                 OpCost &c) {
  auto n = ext::elements(q, softmax.getOutput(), c);
  if (!n || failed(ext::readAll(q, softmax.getInput(), c)))
    return failure();
  // The init is a destination only: softmax never reads it.
  c.write(writtenValue(softmax, &softmax.getOutputMutable()), *n);
  c.flops = SymExpr(kSoftmaxFlops) * *n;
  return success();
}

/// linalg.pack / linalg.unpack: a relayout, read once and written once.
template <typename OpTy>
static LogicalResult relayoutCost(OpTy relayout, const ShapeQuery &q,
                                  OpCost &c) {
  auto n = ext::elements(q, relayout.getDest(), c);
  if (!n || failed(ext::readAll(q, relayout.getSource(), c)))
    return failure();
  c.write(writtenValue(relayout, &relayout.getDestMutable()), *n);
  return success();
}

void mlir::tfperf::registerLinalgCostModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, linalg::LinalgDialect *) {
    // Every structured op MLIR 22 defines: generic, map, reduce, transpose,
    // broadcast, elementwise, matmul, contract, the batch forms and all the
    // OpDSL named ops (convolutions, pooling, fill, copy, unary/binary).
    ext::attachCostFn<structuredCost,
#define GET_OP_LIST
#include "mlir/Dialect/Linalg/IR/LinalgStructuredOps.cpp.inc"
                      >(ctx);
    ext::attachCostFn<softmaxCost, linalg::SoftmaxOp>(ctx);
    ext::attachCostFn<relayoutCost<linalg::PackOp>, linalg::PackOp>(ctx);
    ext::attachCostFn<relayoutCost<linalg::UnPackOp>, linalg::UnPackOp>(ctx);
  });
}
