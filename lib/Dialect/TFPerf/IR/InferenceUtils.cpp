//===- InferenceUtils.cpp - helpers for tfperf shape functions ------------===//

#include "InferenceUtils.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::tfperf;
using namespace mlir::tfperf::infer;

FailureOr<int64_t> infer::normalizeAxis(Operation *op, int64_t axis,
                                        int64_t rank, StringRef what) {
  // Callers index dims with the result, so a scalar has no valid axis.
  if (axis < -rank || axis >= rank)
    return op->emitOpError() << what << " " << axis
                             << " is out of range for rank " << rank;
  return axis < 0 ? axis + rank : axis;
}

LogicalResult infer::checkResultRank(Operation *op, int64_t rank) {
  if (rank > kMaxRank)
    return op->emitOpError() << "result rank " << rank
                             << " is more than tfperf accepts (" << kMaxRank
                             << ")";
  return success();
}

bool infer::isKnownPositive(const SymExpr &e) {
  if (!e.isKnown())
    return false;
  if (e.isConstant())
    return e.getConstant() >= 1;
  if (e.getConstantTerm() < 0)
    return false;
  return llvm::all_of(e.getTerms(),
                      [](const SymExpr::Term &t) { return t.coeff > 0; });
}

FailureOr<Dims> infer::broadcastShapes(Operation *op,
                                       ArrayRef<ArrayRef<SymExpr>> shapes,
                                       const ShapeContext *ctx) {
  size_t rank = 0;
  for (auto s : shapes)
    rank = std::max(rank, s.size());
  Dims out(rank, SymExpr(1));
  for (auto s : shapes) {
    size_t off = rank - s.size();
    for (size_t i = 0; i < s.size(); ++i) {
      SymExpr &o = out[off + i];
      const SymExpr &d = s[i];
      if (d.isConstant(1) || o == d)
        continue;
      if (o.isConstant(1)) {
        o = d;
        continue;
      }
      if (o.isConstant() && d.isConstant())
        return op->emitOpError()
               << "operand shapes are not broadcastable: dim " << (off + i)
               << " is " << o << " vs " << d;
      if (!o.isKnown() || !d.isKnown()) {
        // Only a known constant other than 1 pins an unknown dim.
        const SymExpr &known = o.isKnown() ? o : d;
        o = known.isConstant() ? known : SymExpr::unknown();
        continue;
      }
      // A symbolic dim against a constant c != 1: valid graphs need the
      // symbol to be c or 1 there, so the result is c -- unless the symbol
      // stands for c (shadow mode), then it stays symbolic.
      if (o.isConstant() || d.isConstant()) {
        const SymExpr &sym = o.isConstant() ? d : o;
        const SymExpr &cst = o.isConstant() ? o : d;
        if (ctx && ctx->hasShadow() &&
            ctx->shadowValue(sym) == cst.getInt64())
          o = sym;
        else
          o = cst;
        continue;
      }
      o = SymExpr::max(o, d);
    }
  }
  return out;
}

std::optional<int64_t> infer::smallStaticCount(ArrayRef<SymExpr> dims) {
  SymExpr n = product(dims);
  if (!n.isConstant() || n.getConstant() < 0 ||
      n.getConstant() > ShapeContext::kMaxFoldedElements)
    return std::nullopt;
  return static_cast<int64_t>(n.getConstant());
}

std::optional<SmallVector<int64_t>> infer::getConstInts(ShapeContext &ctx,
                                                        Value v) {
  const Values *vals = ctx.getValues(v);
  if (!vals)
    return std::nullopt;
  SmallVector<int64_t> out;
  for (const SymExpr &e : *vals) {
    auto i = e.getInt64();
    if (!i)
      return std::nullopt;
    out.push_back(*i);
  }
  return out;
}

std::optional<Values>
infer::foldElementwise(ShapeContext &ctx, ValueRange operands,
                       ArrayRef<SymExpr> outDims,
                       llvm::function_ref<SymExpr(ArrayRef<SymExpr>)> fn) {
  auto count = smallStaticCount(outDims);
  if (!count)
    return std::nullopt;
  size_t rank = outDims.size();
  SmallVector<int64_t> outShape;
  for (auto &d : outDims)
    outShape.push_back(*d.getInt64());
  struct Src {
    const Values *vals;
    SmallVector<int64_t> shape; // right-aligned to `rank`
  };
  SmallVector<Src> srcs;
  for (Value v : operands) {
    const TensorInfo &info = ctx.get(v);
    if (!info.values || !info.hasStaticShape())
      return std::nullopt;
    Src s{&*info.values, SmallVector<int64_t>(rank, 1)};
    size_t off = rank - info.dims.size();
    for (size_t i = 0; i < info.dims.size(); ++i)
      s.shape[off + i] = *info.dims[i].getInt64();
    srcs.push_back(std::move(s));
  }
  Values out;
  out.reserve(*count);
  SmallVector<int64_t> idx(rank, 0);
  SmallVector<SymExpr, 3> args(srcs.size());
  for (int64_t n = 0; n < *count; ++n) {
    for (size_t k = 0; k < srcs.size(); ++k) {
      int64_t lin = 0;
      for (size_t i = 0; i < rank; ++i)
        lin = lin * srcs[k].shape[i] + (srcs[k].shape[i] == 1 ? 0 : idx[i]);
      args[k] = (*srcs[k].vals)[lin];
    }
    out.push_back(fn(args));
    for (int64_t i = rank - 1; i >= 0; --i) {
      if (++idx[i] < outShape[i])
        break;
      idx[i] = 0;
    }
  }
  return out;
}

bool infer::isIntegerLike(Type t) {
  return t && (isa<IntegerType>(t) || isa<IndexType>(t));
}

std::optional<Values> infer::valuesFromAttr(Attribute attr) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || dense.getNumElements() > ShapeContext::kMaxFoldedElements)
    return std::nullopt;
  Type et = dense.getElementType();
  Values out;
  out.reserve(dense.getNumElements());
  if (auto it = dyn_cast<IntegerType>(et)) {
    for (APInt v : dense.getValues<APInt>())
      out.push_back(it.getWidth() == 1 ? SymExpr(v.getBoolValue() ? 1 : 0)
                    : it.isUnsigned()  ? SymExpr((int64_t)v.getZExtValue())
                                       : SymExpr(v.getSExtValue()));
    return out;
  }
  if (isa<FloatType>(et)) {
    for (APFloat f : dense.getValues<APFloat>()) {
      double d = f.convertToDouble();
      // Integral values only (shape arithmetic done in float); huge ones
      // such as INT64_MAX clamp bounds are exact in 128 bits.
      if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 1e36)
        return std::nullopt;
      out.push_back(SymExpr::fromInt128(static_cast<Int128>(d)));
    }
    return out;
  }
  return std::nullopt;
}

LogicalResult infer::keepResultTypes(Operation *op, ShapeContext &ctx) {
  for (Value r : op->getResults())
    (void)ctx.get(r);
  return success();
}

LogicalResult infer::inferUnarySameShape(Operation *op, ShapeContext &ctx,
                                         bool passValues) {
  const TensorInfo &in = ctx.get(op->getOperand(0));
  if (!in.ranked)
    return success();
  std::optional<Values> vals;
  if (passValues && in.values)
    vals = *in.values;
  ctx.setResult(op, 0, in.elementType, in.dims, std::move(vals));
  return success();
}

LogicalResult infer::inferBroadcastElementwise(
    Operation *op, ShapeContext &ctx, Type resultElementType,
    std::function<SymExpr(ArrayRef<SymExpr>)> fold) {
  SmallVector<ArrayRef<SymExpr>> shapes;
  for (Value v : op->getOperands()) {
    const TensorInfo &info = ctx.get(v);
    if (!info.ranked)
      return success();
    shapes.push_back(info.dims);
  }
  auto out = broadcastShapes(op, shapes, &ctx);
  if (failed(out))
    return failure();
  std::optional<Values> vals;
  if (fold)
    vals = foldElementwise(ctx, op->getOperands(), *out, fold);
  ctx.setResult(op, 0, resultElementType, *out, std::move(vals));
  return success();
}

SymExpr infer::dataDependentDim(Operation *op, StringRef what) {
  std::string name = what.str();
  // Ops of subgraphs and function bodies are named inside a call site.
  Location at = op->getLoc();
  while (auto call = dyn_cast<CallSiteLoc>(at))
    at = call.getCallee();
  if (auto loc = dyn_cast<NameLoc>(at)) {
    name += "_";
    for (char ch : loc.getName().getValue())
      name += llvm::isAlnum(ch) ? ch : '_';
  }
  return SymExpr::symbol(name);
}
