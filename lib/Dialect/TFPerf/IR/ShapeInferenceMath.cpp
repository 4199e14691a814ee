//===- ShapeInferenceMath.cpp - shape functions of elementwise ops --------===//
//
// Elementwise ops broadcast their operands. Integer-valued results (shape
// arithmetic such as `seq + past` or `dim * heads`) are folded exactly,
// symbolically where needed.
//
//===----------------------------------------------------------------------===//

#include "InferenceUtils.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::tfperf;
using namespace mlir::tfperf::infer;

static Type i1Type(Operation *op) {
  return IntegerType::get(op->getContext(), 1);
}
static Type elemOf(ShapeContext &ctx, Value v) {
  return ctx.get(v).elementType;
}

/// Integer division as ONNX does it on integers (truncation); symbolic dims
/// are non-negative, where truncation and floor agree.
static SymExpr truncDiv(const SymExpr &a, const SymExpr &b) {
  if (a.isConstant() && b.isConstant() && b.getConstant() != 0)
    return SymExpr::fromInt128(a.getConstant() / b.getConstant());
  return SymExpr::floorDiv(a, b);
}

/// 1 / 0 for a comparison when it is decidable, else Unknown.
static SymExpr compare(const SymExpr &a, const SymExpr &b, int kind) {
  // kind: 0 ==, 1 >, 2 <
  if (a.isConstant() && b.isConstant()) {
    Int128 x = a.getConstant(), y = b.getConstant();
    bool r = kind == 0 ? x == y : kind == 1 ? x > y : x < y;
    return SymExpr(r ? 1 : 0);
  }
  if (!a.isKnown() || !b.isKnown())
    return SymExpr::unknown();
  if (kind == 0 && a == b)
    return SymExpr(1);
  // Symbolic dims are >= 1: they differ from constants <= 0.
  SymExpr diff = a - b;
  if (isKnownPositive(diff))
    return SymExpr(kind == 1 ? 1 : 0);
  if (isKnownPositive(-diff))
    return SymExpr(kind == 2 ? 1 : 0);
  return SymExpr::unknown();
}

/// Logical not of a decided comparison.
static SymExpr negate(const SymExpr &b) {
  return b.isConstant() ? SymExpr(b.getConstant() == 0 ? 1 : 0) : b;
}

/// ONNX Mod of two constants: the sign of the divisor, or of the dividend
/// with `fmod` (C's %); Unknown otherwise.
static SymExpr remainder(const SymExpr &a, const SymExpr &b, int64_t fmod) {
  if (!a.isConstant() || !b.isConstant() || b.getConstant() == 0)
    return SymExpr::unknown();
  Int128 x = a.getConstant(), y = b.getConstant(), r = x % y;
  if (!fmod && r != 0 && ((r < 0) != (y < 0)))
    r += y;
  return SymExpr::fromInt128(r);
}

static bool isIntValued(ShapeContext &ctx, Operation *op) {
  // Values are folded for integer tensors and integral float tensors alike.
  return llvm::all_of(op->getOperands(),
                      [&](Value v) { return ctx.getValues(v) != nullptr; });
}

#define BINARY(OP, ELEM, BODY)                                                 \
  LogicalResult OP::inferShapes(ShapeContext &ctx) {                           \
    bool fold = isIntValued(ctx, *this);                                       \
    Type et = ELEM;                                                            \
    std::function<SymExpr(ArrayRef<SymExpr>)> fn;                              \
    if (fold)                                                                  \
      fn = [&](ArrayRef<SymExpr> v) -> SymExpr { BODY };                       \
    return inferBroadcastElementwise(*this, ctx, et, fn);                      \
  }

BINARY(AddOp, elemOf(ctx, getLhs()), return v[0] + v[1];)
BINARY(SubOp, elemOf(ctx, getLhs()), return v[0] - v[1];)
BINARY(MulOp, elemOf(ctx, getLhs()), return v[0] * v[1];)
BINARY(DivOp, elemOf(ctx, getLhs()),
       if (isIntegerLike(et)) return truncDiv(v[0], v[1]);
       auto q = v[0].divExact(v[1]); return q ? *q : SymExpr::unknown();)
BINARY(PowOp, elemOf(ctx, getLhs()),
       auto e = v[1].getInt64();
       if (!e || *e < 0 || *e > 64) return SymExpr::unknown();
       SymExpr r(1); for (int64_t i = 0; i < *e; ++i) r = r * v[0];
       return r;)
BINARY(EqualOp, i1Type(*this), return compare(v[0], v[1], 0);)
BINARY(GreaterOp, i1Type(*this), return compare(v[0], v[1], 1);)
BINARY(LessOp, i1Type(*this), return compare(v[0], v[1], 2);)
BINARY(GreaterOrEqualOp, i1Type(*this), return negate(compare(v[0], v[1], 2));)
BINARY(LessOrEqualOp, i1Type(*this), return negate(compare(v[0], v[1], 1));)
BINARY(ModOp, elemOf(ctx, getLhs()), return remainder(v[0], v[1], getFmod());)
BINARY(AndOp, i1Type(*this),
       if (!v[0].isConstant() || !v[1].isConstant()) return SymExpr::unknown();
       return SymExpr(v[0].getConstant() != 0 && v[1].getConstant() != 0);)
BINARY(OrOp, i1Type(*this),
       if (!v[0].isConstant() || !v[1].isConstant()) return SymExpr::unknown();
       return SymExpr(v[0].getConstant() != 0 || v[1].getConstant() != 0);)
BINARY(MinOp, elemOf(ctx, getInputs().front()),
       SymExpr r = v[0]; for (auto &x : v.drop_front()) r = SymExpr::min(r, x);
       return r;)
BINARY(MaxOp, elemOf(ctx, getInputs().front()),
       SymExpr r = v[0]; for (auto &x : v.drop_front()) r = SymExpr::max(r, x);
       return r;)
BINARY(SumOp, elemOf(ctx, getInputs().front()),
       SymExpr r = v[0]; for (auto &x : v.drop_front()) r = r + x; return r;)
#undef BINARY

LogicalResult WhereOp::inferShapes(ShapeContext &ctx) {
  std::function<SymExpr(ArrayRef<SymExpr>)> fn;
  if (isIntValued(ctx, *this))
    fn = [](ArrayRef<SymExpr> v) -> SymExpr {
      if (!v[0].isConstant())
        return SymExpr::unknown();
      return v[0].getConstant() != 0 ? v[1] : v[2];
    };
  return inferBroadcastElementwise(*this, ctx, elemOf(ctx, getX()), fn);
}

LogicalResult ClipOp::inferShapes(ShapeContext &ctx) {
  return inferUnarySameShape(*this, ctx, /*passValues=*/false);
}

// Unary ops that keep values: Identity passes them; Neg/Abs fold them.
LogicalResult IdentityOp::inferShapes(ShapeContext &ctx) {
  return inferUnarySameShape(*this, ctx, /*passValues=*/true);
}

static LogicalResult inferUnaryFold(Operation *op, ShapeContext &ctx,
                                    llvm::function_ref<SymExpr(const SymExpr &)> fn) {
  if (failed(inferUnarySameShape(op, ctx, /*passValues=*/false)))
    return failure();
  const TensorInfo &in = ctx.get(op->getOperand(0));
  if (!in.values || !in.ranked)
    return success();
  Values out;
  for (auto &v : *in.values)
    out.push_back(fn(v));
  ctx.setResult(op, 0, in.elementType, in.dims, std::move(out));
  return success();
}

LogicalResult NegOp::inferShapes(ShapeContext &ctx) {
  return inferUnaryFold(*this, ctx, [](const SymExpr &v) { return -v; });
}

LogicalResult AbsOp::inferShapes(ShapeContext &ctx) {
  return inferUnaryFold(*this, ctx, [](const SymExpr &v) {
    if (v.isConstant())
      return v.getConstant() < 0 ? -v : v;
    return isKnownPositive(v) ? v : SymExpr::unknown();
  });
}

LogicalResult NotOp::inferShapes(ShapeContext &ctx) {
  return inferUnaryFold(*this, ctx, [](const SymExpr &v) {
    if (!v.isConstant())
      return SymExpr::unknown();
    return SymExpr(v.getConstant() == 0 ? 1 : 0);
  });
}

#define UNARY(OP)                                                              \
  LogicalResult OP::inferShapes(ShapeContext &ctx) {                           \
    return inferUnarySameShape(*this, ctx, /*passValues=*/false);              \
  }
UNARY(SqrtOp)
UNARY(ErfOp)
UNARY(TanhOp)
UNARY(SigmoidOp)
UNARY(ReluOp)
UNARY(CosOp)
UNARY(SinOp)
UNARY(ExpOp)
UNARY(LogOp)
UNARY(ReciprocalOp)
UNARY(SoftplusOp)
UNARY(GeluOp)
UNARY(SoftmaxOp)
UNARY(MSFastGeluOp)
UNARY(SwishOp)
UNARY(CumSumOp)
#undef UNARY

// Folds known values too: attention masks are built from triangles (and a
// sliding window from a band: two Trilus), which the structure reads back.
LogicalResult TriluOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &in = ctx.get(getInput());
  if (!in.ranked)
    return success();
  std::optional<Values> vals;
  std::optional<SmallVector<int64_t>> k = SmallVector<int64_t>{0};
  if (getK())
    k = getConstInts(ctx, getK());
  size_t r = in.dims.size();
  int64_t rows = r >= 2 ? in.dims[r - 2].getInt64().value_or(0) : 0,
          cols = r >= 2 ? in.dims[r - 1].getInt64().value_or(0) : 0;
  if (in.values && k && k->size() == 1 && rows > 0 && cols > 0) {
    vals = *in.values;
    for (auto [e, v] : llvm::enumerate(*vals)) {
      int64_t i = int64_t(e) / cols % rows, j = int64_t(e) % cols;
      bool kept = getUpper() ? j - i >= k->front() : j - i <= k->front();
      if (!kept)
        v = SymExpr(0);
    }
  }
  ctx.setResult(*this, 0, in.elementType, in.dims, std::move(vals));
  return success();
}

LogicalResult CastOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &in = ctx.get(getInput());
  if (!in.ranked)
    return success();
  std::optional<Values> vals;
  Type to = getTo();
  if (in.values) {
    // Integral values survive casts between integer and float types; a
    // cast to bool maps them to 0/1 where decidable.
    vals = *in.values;
    if (to.isInteger(1))
      for (auto &v : *vals)
        v = v.isConstant() ? SymExpr(v.getConstant() != 0 ? 1 : 0)
            : isKnownPositive(v) ? SymExpr(1)
                                 : SymExpr::unknown();
  }
  ctx.setResult(*this, 0, to, in.dims, std::move(vals));
  return success();
}

LogicalResult MSBiasGeluOp::inferShapes(ShapeContext &ctx) {
  return inferBroadcastElementwise(*this, ctx, elemOf(ctx, getA()), nullptr);
}
