//===- ShapeInferenceTensor.cpp - shape functions of data-movement ops ----===//
//
// Reshape, Slice, Gather, Concat and friends, including the folding of the
// integer shape tensors that exporters compute with them
// (Shape -> Gather -> Unsqueeze -> Concat -> Reshape).
//
//===----------------------------------------------------------------------===//

#include "InferenceUtils.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace mlir::tfperf;
using namespace mlir::tfperf::infer;

static Type i64Type(Operation *op) {
  return IntegerType::get(op->getContext(), 64);
}

/// Values of a rank-0/1 operand; nullptr if unknown.
static const Values *vectorValues(ShapeContext &ctx, Value v) {
  const TensorInfo &info = ctx.get(v);
  if (!info.values || !info.ranked || info.dims.size() > 1)
    return nullptr;
  return &*info.values;
}

//===----------------------------------------------------------------------===//
// Weights, constants, custom ops
//===----------------------------------------------------------------------===//

LogicalResult WeightOp::inferShapes(ShapeContext &ctx) {
  TensorInfo info = tensorInfoFromType(getType());
  if (auto v = getValueAttr())
    info.values = valuesFromAttr(v);
  ctx.set(getResult(), std::move(info));
  return success();
}

LogicalResult ConstantOp::inferShapes(ShapeContext &ctx) {
  TensorInfo info = tensorInfoFromType(getType());
  if (auto v = getValueAttr())
    info.values = valuesFromAttr(v);
  ctx.set(getResult(), std::move(info));
  return success();
}

LogicalResult CustomOp::inferShapes(ShapeContext &ctx) {
  return keepResultTypes(*this, ctx);
}

//===----------------------------------------------------------------------===//
// Reshape family
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &in = ctx.get(getData());
  const TensorInfo &shapeInfo = ctx.get(getShape());
  if (!shapeInfo.ranked || shapeInfo.dims.size() != 1)
    return shapeInfo.ranked ? emitOpError() << "shape must be a 1-D tensor"
                            : success();
  auto len = shapeInfo.dims[0].getInt64();
  if (!len)
    return success();
  if (failed(checkResultRank(*this, *len)))
    return failure();
  Dims out(*len, SymExpr::unknown());
  const Values *target = vectorValues(ctx, getShape());
  if (!target) {
    ctx.setResult(*this, 0, in.elementType, out);
    return success();
  }
  int64_t inferIdx = -1;
  for (int64_t i = 0; i < *len; ++i) {
    const SymExpr &t = (*target)[i];
    if (t.isConstant(-1)) {
      if (inferIdx >= 0)
        return emitOpError() << "shape has more than one -1";
      inferIdx = i;
      continue;
    }
    if (t.isConstant(0) && !getAllowzero()) {
      if (!in.ranked)
        continue;
      if (i >= (int64_t)in.dims.size())
        return emitOpError() << "shape entry " << i
                             << " is 0 (copy) but the input has rank "
                             << in.dims.size();
      out[i] = in.dims[i];
      continue;
    }
    if (t.isConstant() && t.getConstant() < 0)
      return emitOpError() << "invalid shape entry " << t;
    out[i] = t;
  }
  SymExpr total = in.numElements();
  // Shadow mode: a constant target of a symbolic input (a static export's
  // reshape) takes the symbols back by matching groups of dims.
  if (ctx.hasShadow() && in.ranked && !total.isConstant() && total.isKnown()) {
    SmallVector<int64_t> inC, outC;
    bool ok = true;
    for (auto &d : in.dims) {
      auto v = ctx.shadowValue(d);
      ok &= v.has_value();
      inC.push_back(v.value_or(0));
    }
    for (int64_t i = 0; i < *len; ++i) {
      const SymExpr &d = out[i];
      // The -1 entry is solved below from the others.
      ok &= i == inferIdx || d.isConstant() || ctx.shadowValue(d).has_value();
      outC.push_back(ctx.shadowValue(d).value_or(-1));
    }
    if (inferIdx >= 0 && ok) {
      int64_t known = 1, all = 1;
      for (int64_t i = 0; i < *len; ++i)
        if (i != inferIdx)
          known *= outC[i];
      for (int64_t v : inC)
        all *= v;
      if (known > 0 && all % known == 0)
        outC[inferIdx] = all / known;
      else
        ok = false;
    }
    if (ok) {
      Dims res(*len);
      size_t i = 0, j = 0;
      while (ok && (i < inC.size() || j < outC.size())) {
        if (j < outC.size() && outC[j] == 1 &&
            (i == inC.size() || inC[i] != 1)) {
          res[j++] = SymExpr(1);
          continue;
        }
        if (i < inC.size() && inC[i] == 1 &&
            (j == outC.size() || outC[j] != 1)) {
          ++i;
          continue;
        }
        if (i == inC.size() || j == outC.size()) {
          ok = false;
          break;
        }
        size_t i0 = i, j0 = j;
        int64_t pi = inC[i++], pj = outC[j++];
        while (pi != pj && ok) {
          if (pi < pj && i < inC.size())
            pi *= inC[i++];
          else if (pj < pi && j < outC.size())
            pj *= outC[j++];
          else
            ok = false;
        }
        if (!ok)
          break;
        // The group's symbolic product goes to the first output dim whose
        // constant it can carry; the others keep their constants.
        SymExpr prod = product(ArrayRef<SymExpr>(in.dims).slice(i0, i - i0));
        for (size_t k = j0; k < j; ++k)
          res[k] = SymExpr(outC[k]);
        if (!prod.isConstant()) {
          bool placed = false;
          for (size_t k = j0; k < j && !placed; ++k) {
            SymExpr rest(1);
            for (size_t m = j0; m < j; ++m)
              if (m != k)
                rest = rest * SymExpr(outC[m]);
            if (auto q = prod.divExact(rest))
              if (ctx.shadowValue(*q) == outC[k]) {
                res[k] = *q;
                placed = true;
              }
          }
          ok = placed;
        }
      }
      if (ok) {
        std::optional<Values> vals;
        if (in.values)
          vals = *in.values;
        ctx.setResult(*this, 0, in.elementType, res, std::move(vals));
        return success();
      }
    }
  }
  if (inferIdx >= 0) {
    SymExpr known(1);
    for (int64_t i = 0; i < *len; ++i)
      if (i != inferIdx)
        known = known * out[i];
    if (total.isKnown() && known.isKnown()) {
      if (known.isConstant(0))
        return emitOpError() << "cannot infer -1 with a zero-sized dim";
      auto q = total.divExact(known);
      if (!q && total.isConstant() && known.isConstant())
        return emitOpError() << "cannot reshape " << total << " elements into "
                             << "a shape with " << known
                             << " elements per -1 entry";
      out[inferIdx] = q ? *q : SymExpr::floorDiv(total, known);
    }
  } else if (total.isConstant()) {
    SymExpr n = product(out);
    if (n.isConstant() && n != total)
      return emitOpError() << "cannot reshape " << total << " elements into "
                           << n << " elements";
  }
  std::optional<Values> vals;
  if (in.values)
    vals = *in.values;
  ctx.setResult(*this, 0, in.elementType, out, std::move(vals));
  return success();
}

LogicalResult FlattenOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &in = ctx.get(getInput());
  if (!in.ranked)
    return success();
  int64_t r = in.dims.size();
  int64_t axis = getAxis() < 0 ? getAxis() + r : getAxis();
  if (axis < 0 || axis > r)
    return emitOpError() << "axis " << getAxis() << " out of range for rank "
                         << r;
  ArrayRef<SymExpr> d = in.dims;
  SymExpr out[2] = {product(d.take_front(axis)), product(d.drop_front(axis))};
  std::optional<Values> vals;
  if (in.values)
    vals = *in.values;
  ctx.setResult(*this, 0, in.elementType, out, std::move(vals));
  return success();
}

/// Axes from an optional operand or attribute.
static FailureOr<std::optional<SmallVector<int64_t>>>
getAxesList(Operation *op, ShapeContext &ctx, Value operand,
            std::optional<ArrayRef<int64_t>> attr) {
  if (operand) {
    auto ints = getConstInts(ctx, operand);
    if (!ints)
      return FailureOr<std::optional<SmallVector<int64_t>>>(
          std::optional<SmallVector<int64_t>>());
    return std::optional<SmallVector<int64_t>>(*ints);
  }
  if (attr)
    return std::optional<SmallVector<int64_t>>(
        SmallVector<int64_t>(attr->begin(), attr->end()));
  return std::optional<SmallVector<int64_t>>(SmallVector<int64_t>());
}

LogicalResult UnsqueezeOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &in = ctx.get(getData());
  if (!in.ranked)
    return success();
  if (!getAxes() && !getStaticAxes())
    return emitOpError() << "needs axes";
  auto axes = getAxesList(*this, ctx, getAxes(), getStaticAxes());
  if (failed(axes) || !*axes)
    return success();
  int64_t outRank = in.dims.size() + (*axes)->size();
  if (failed(checkResultRank(*this, outRank)))
    return failure();
  SmallVector<bool> isNew(outRank, false);
  for (int64_t a : **axes) {
    auto n = normalizeAxis(*this, a, outRank, "unsqueeze axis");
    if (failed(n))
      return failure();
    if (isNew[*n])
      return emitOpError() << "repeated axis " << a;
    isNew[*n] = true;
  }
  Dims out;
  size_t j = 0;
  for (int64_t i = 0; i < outRank; ++i)
    out.push_back(isNew[i] ? SymExpr(1) : in.dims[j++]);
  std::optional<Values> vals;
  if (in.values)
    vals = *in.values;
  ctx.setResult(*this, 0, in.elementType, out, std::move(vals));
  return success();
}

LogicalResult SqueezeOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &in = ctx.get(getData());
  if (!in.ranked)
    return success();
  auto axes = getAxesList(*this, ctx, getAxes(), getStaticAxes());
  if (failed(axes) || !*axes)
    return success();
  int64_t r = in.dims.size();
  SmallVector<bool> drop(r, false);
  if ((*axes)->empty()) {
    // No axes: drop every dim that is 1. Symbolic dims are assumed > 1.
    for (int64_t i = 0; i < r; ++i) {
      if (!in.dims[i].isKnown())
        return success();
      drop[i] = in.dims[i].isConstant(1);
    }
  }
  for (int64_t a : **axes) {
    auto n = normalizeAxis(*this, a, r, "squeeze axis");
    if (failed(n))
      return failure();
    if (in.dims[*n].isConstant() && !in.dims[*n].isConstant(1))
      return emitOpError() << "cannot squeeze dim " << *n << " of size "
                           << in.dims[*n];
    drop[*n] = true;
  }
  Dims out;
  for (int64_t i = 0; i < r; ++i)
    if (!drop[i])
      out.push_back(in.dims[i]);
  std::optional<Values> vals;
  if (in.values)
    vals = *in.values;
  ctx.setResult(*this, 0, in.elementType, out, std::move(vals));
  return success();
}

//===----------------------------------------------------------------------===//
// Transpose, Gather, Slice
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &in = ctx.get(getData());
  if (!in.ranked)
    return success();
  int64_t r = in.dims.size();
  SmallVector<int64_t> perm;
  if (auto p = getPerm()) {
    if ((int64_t)p->size() != r)
      return emitOpError() << "perm has " << p->size() << " entries for rank "
                           << r;
    perm.assign(p->begin(), p->end());
  } else {
    for (int64_t i = r - 1; i >= 0; --i)
      perm.push_back(i);
  }
  Dims out;
  for (int64_t p : perm) {
    if (p < 0 || p >= r)
      return emitOpError() << "perm entry " << p << " out of range";
    out.push_back(in.dims[p]);
  }
  std::optional<Values> vals;
  if (in.values && r <= 1)
    vals = *in.values;
  ctx.setResult(*this, 0, in.elementType, out, std::move(vals));
  return success();
}

LogicalResult GatherOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &data = ctx.get(getData());
  const TensorInfo &idx = ctx.get(getIndices());
  if (!data.ranked || !idx.ranked)
    return success();
  int64_t r = data.dims.size();
  auto axis = normalizeAxis(*this, getAxis(), r);
  if (failed(axis))
    return failure();
  Dims out(data.dims.begin(), data.dims.begin() + *axis);
  out.append(idx.dims.begin(), idx.dims.end());
  out.append(data.dims.begin() + *axis + 1, data.dims.end());

  // Fold: gather from known values with constant indices.
  std::optional<Values> vals;
  auto indices = getConstInts(ctx, getIndices());
  if (data.values && data.hasStaticShape() && indices) {
    SmallVector<int64_t> shape;
    for (auto &d : data.dims)
      shape.push_back(*d.getInt64());
    int64_t outer = 1, inner = 1, n = shape[*axis];
    for (int64_t i = 0; i < *axis; ++i)
      outer *= shape[i];
    for (int64_t i = *axis + 1; i < r; ++i)
      inner *= shape[i];
    Values out2;
    bool ok = true;
    for (int64_t o = 0; o < outer && ok; ++o)
      for (int64_t k : *indices) {
        if (k < -n || k >= n) {
          return emitOpError() << "index " << k << " out of range for dim of size "
                               << n;
        }
        int64_t kk = k < 0 ? k + n : k;
        for (int64_t in = 0; in < inner; ++in)
          out2.push_back((*data.values)[(o * n + kk) * inner + in]);
      }
    vals = std::move(out2);
  } else if (indices) {
    // Range-check constant indices against constant dims even without data.
    const SymExpr &d = data.dims[*axis];
    if (auto n = d.getInt64())
      for (int64_t k : *indices)
        if (k < -*n || k >= *n)
          return emitOpError() << "index " << k
                               << " out of range for dim of size " << *n;
  }
  ctx.setResult(*this, 0, data.elementType, out, std::move(vals));
  return success();
}

/// Clamps a slice bound into [0, dim] the way ONNX does. Symbolic bounds are
/// assumed in range (exporters slice with sizes taken from the same tensors).
static SymExpr clampBound(SymExpr b, const SymExpr &dim, bool forEnd) {
  if (b.isConstant()) {
    Int128 v = b.getConstant();
    if (v < 0) {
      if (dim.isConstant()) {
        Int128 r = v + dim.getConstant();
        return SymExpr::fromInt128(r < 0 ? 0 : r);
      }
      // Huge negative sentinels clamp to 0.
      if (v <= -(Int128(1) << 31))
        return SymExpr(0);
      return dim + b;
    }
    if (dim.isConstant())
      return SymExpr::fromInt128(v > dim.getConstant() ? dim.getConstant() : v);
    // INT_MAX-style sentinels mean "to the end".
    if (v >= (Int128(1) << 31))
      return dim;
    return b;
  }
  if (!b.isKnown() || !dim.isKnown())
    return SymExpr::unknown();
  (void)forEnd;
  return b;
}

LogicalResult SliceOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &data = ctx.get(getData());
  if (!data.ranked)
    return success();
  int64_t r = data.dims.size();
  const Values *starts = vectorValues(ctx, getStarts());
  const Values *ends = vectorValues(ctx, getEnds());
  if (!starts || !ends) {
    // Unknown bounds: the rank is known, sliced dims are not.
    Dims out(r, SymExpr::unknown());
    if (auto axes = getAxes() ? getConstInts(ctx, getAxes()) : std::nullopt) {
      out = data.dims;
      for (int64_t a : *axes) {
        auto n = normalizeAxis(*this, a, r, "slice axis");
        if (failed(n))
          return failure();
        out[*n] = SymExpr::unknown();
      }
    }
    ctx.setResult(*this, 0, data.elementType, out);
    return success();
  }
  if (starts->size() != ends->size())
    return emitOpError() << "starts and ends have different lengths";
  SmallVector<int64_t> axes;
  if (getAxes()) {
    auto a = getConstInts(ctx, getAxes());
    if (!a)
      return success();
    axes = *a;
  } else {
    for (size_t i = 0; i < starts->size(); ++i)
      axes.push_back(i);
  }
  SmallVector<int64_t> steps(starts->size(), 1);
  if (getSteps()) {
    auto s = getConstInts(ctx, getSteps());
    if (!s)
      return success();
    steps = *s;
  }
  if (axes.size() != starts->size() || steps.size() != starts->size())
    return emitOpError() << "starts, ends, axes and steps differ in length";
  Dims out = data.dims;
  // For 1-D folding: the constant [begin, end, step) of axis 0.
  std::optional<std::tuple<int64_t, int64_t, int64_t>> foldRange;
  for (size_t i = 0; i < axes.size(); ++i) {
    auto ax = normalizeAxis(*this, axes[i], r, "slice axis");
    if (failed(ax))
      return failure();
    int64_t step = steps[i];
    if (step == 0)
      return emitOpError() << "slice step is 0";
    const SymExpr &dim = data.dims[*ax];
    if (step > 0) {
      SymExpr b = clampBound((*starts)[i], dim, false);
      SymExpr e = clampBound((*ends)[i], dim, true);
      // Shadow mode: a constant buffer cut at the exported length is cut at
      // the sequence. A slice to the dim's own end cuts nothing: that dim
      // merely equals the exported length (x[..., 8:] of a head dim of 16
      // at 16 tokens) and must stay a constant.
      if (dim.isConstant() && e.isConstant() &&
          e.getConstant() < dim.getConstant())
        if (auto sym = ctx.matchShadow(e))
          e = *sym;
      SymExpr len = SymExpr::ceilDiv(e - b, SymExpr(step));
      if (len.isConstant() && len.getConstant() < 0)
        len = SymExpr(0);
      out[*ax] = len;
      if (r == 1 && b.getInt64() && e.getInt64())
        foldRange = {*b.getInt64(), *e.getInt64(), step};
    } else {
      // Negative steps: only constant bounds on constant dims.
      auto d = dim.getInt64();
      auto s = (*starts)[i].getInt64();
      auto e = (*ends)[i].getInt64();
      if (!d || !s || !e) {
        out[*ax] = SymExpr::unknown();
        continue;
      }
      int64_t b = *s < 0 ? *s + *d : *s;
      b = std::clamp<int64_t>(b, -1, *d - 1);
      int64_t en = *e < 0 ? *e + *d : *e;
      en = std::clamp<int64_t>(en, -1, *d - 1);
      int64_t len = b > en ? (b - en + (-step) - 1) / (-step) : 0;
      out[*ax] = SymExpr(len);
      if (r == 1)
        foldRange = {b, en, step};
    }
  }
  std::optional<Values> vals;
  if (data.values && foldRange) {
    auto [b, e, s] = *foldRange;
    Values v;
    // A step past the int64 range (steps of INT64_MAX are legal) ends the
    // range instead of wrapping around.
    for (int64_t k = b; s > 0 ? k < e : k > e;) {
      if (k >= 0 && k < (int64_t)data.values->size())
        v.push_back((*data.values)[k]);
      if (__builtin_add_overflow(k, s, &k))
        break;
    }
    vals = std::move(v);
  }
  ctx.setResult(*this, 0, data.elementType, out, std::move(vals));
  return success();
}

//===----------------------------------------------------------------------===//
// Split, Concat, Expand, Tile
//===----------------------------------------------------------------------===//

LogicalResult SplitOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &in = ctx.get(getInput());
  if (!in.ranked)
    return success();
  int64_t r = in.dims.size();
  auto axis = normalizeAxis(*this, getAxis(), r);
  if (failed(axis))
    return failure();
  size_t n = getOutputs().size();
  const SymExpr &dim = in.dims[*axis];
  SmallVector<SymExpr> sizes;
  if (getSplit()) {
    const Values *s = vectorValues(ctx, getSplit());
    if (!s) {
      sizes.assign(n, SymExpr::unknown());
    } else {
      sizes.assign(s->begin(), s->end());
    }
  } else if (auto s = getStaticSplit()) {
    for (int64_t v : *s)
      sizes.push_back(SymExpr(v));
  } else {
    auto q = dim.divExact(SymExpr((int64_t)n));
    SymExpr chunk = q ? *q : SymExpr::ceilDiv(dim, SymExpr((int64_t)n));
    sizes.assign(n, chunk);
    if (!q)
      sizes.back() = dim - chunk * SymExpr((int64_t)n - 1);
  }
  if (sizes.size() != n)
    return emitOpError() << "split has " << sizes.size() << " sizes for " << n
                         << " outputs";
  SymExpr sum(0);
  for (auto &s : sizes)
    sum = sum + s;
  if (sum.isConstant() && dim.isConstant() && sum != dim)
    return emitOpError() << "split sizes sum to " << sum << " but the dim is "
                         << dim;
  Int128 offset = 0;
  bool offsetsKnown = in.values.has_value() && r == 1;
  for (size_t i = 0; i < n; ++i) {
    Dims out = in.dims;
    out[*axis] = sizes[i];
    std::optional<Values> vals;
    if (offsetsKnown && sizes[i].isConstant()) {
      Int128 len = sizes[i].getConstant();
      if (offset + len <= (Int128)in.values->size())
        vals = Values(in.values->begin() + (int64_t)offset,
                      in.values->begin() + (int64_t)(offset + len));
      offset += len;
    } else {
      offsetsKnown = false;
    }
    ctx.setResult(*this, i, in.elementType, out, std::move(vals));
  }
  return success();
}

LogicalResult ConcatOp::inferShapes(ShapeContext &ctx) {
  SmallVector<const TensorInfo *> ins;
  for (Value v : getInputs()) {
    const TensorInfo &info = ctx.get(v);
    if (!info.ranked)
      return success();
    ins.push_back(&info);
  }
  int64_t r = ins.front()->dims.size();
  auto axis = normalizeAxis(*this, getAxis(), r);
  if (failed(axis))
    return failure();
  Dims out = ins.front()->dims;
  out[*axis] = SymExpr(0);
  bool allValues = true;
  Values vals;
  for (auto *info : ins) {
    if ((int64_t)info->dims.size() != r)
      return emitOpError() << "inputs have different ranks";
    for (int64_t i = 0; i < r; ++i) {
      if (i == *axis)
        continue;
      const SymExpr &a = out[i], &b = info->dims[i];
      if (a.isConstant() && b.isConstant() && a != b)
        return emitOpError() << "inputs differ in dim " << i << ": " << a
                             << " vs " << b;
      bool keepSymbolic = ctx.hasShadow() && !a.isConstant() && b.isConstant();
      if (!a.isKnown() || (!a.isConstant() && b.isConstant() && !keepSymbolic) ||
          (ctx.hasShadow() && a.isConstant() && !b.isConstant() && b.isKnown()))
        out[i] = b;
    }
    out[*axis] = out[*axis] + info->dims[*axis];
    if (info->values && r == 1)
      vals.append(info->values->begin(), info->values->end());
    else
      allValues = false;
  }
  ctx.setResult(*this, 0, ins.front()->elementType, out,
                allValues ? std::optional<Values>(std::move(vals))
                          : std::nullopt);
  return success();
}

LogicalResult ExpandOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &in = ctx.get(getInput());
  const TensorInfo &shapeInfo = ctx.get(getShape());
  if (!in.ranked || !shapeInfo.ranked)
    return success();
  const Values *target = vectorValues(ctx, getShape());
  if (!target) {
    if (auto len = shapeInfo.dims.empty() ? std::optional<int64_t>(0)
                                          : shapeInfo.dims[0].getInt64()) {
      if (failed(checkResultRank(*this, *len)))
        return failure();
      Dims out(std::max<int64_t>(*len, in.dims.size()), SymExpr::unknown());
      ctx.setResult(*this, 0, in.elementType, out);
    }
    return success();
  }
  SmallVector<ArrayRef<SymExpr>> shapes = {in.dims, *target};
  auto out = broadcastShapes(*this, shapes, &ctx);
  if (failed(out))
    return failure();
  auto vals = foldElementwise(ctx, getInput(), *out,
                              [](ArrayRef<SymExpr> v) { return v[0]; });
  ctx.setResult(*this, 0, in.elementType, *out, std::move(vals));
  return success();
}

LogicalResult TileOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &in = ctx.get(getInput());
  if (!in.ranked)
    return success();
  const Values *reps = vectorValues(ctx, getRepeats());
  Dims out(in.dims.size(), SymExpr::unknown());
  if (reps) {
    if (reps->size() != in.dims.size())
      return emitOpError() << "repeats has " << reps->size()
                           << " entries for rank " << in.dims.size();
    for (size_t i = 0; i < out.size(); ++i)
      out[i] = in.dims[i] * (*reps)[i];
  }
  ctx.setResult(*this, 0, in.elementType, out);
  return success();
}

//===----------------------------------------------------------------------===//
// Shape, ConstantOfShape, Range
//===----------------------------------------------------------------------===//

LogicalResult ShapeOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &in = ctx.get(getData());
  if (!in.ranked)
    return success();
  int64_t r = in.dims.size();
  auto clampIdx = [r](int64_t i) {
    if (i < 0)
      i += r;
    return std::clamp<int64_t>(i, 0, r);
  };
  int64_t b = getStart() ? clampIdx(*getStart()) : 0;
  int64_t e = getEnd() ? clampIdx(*getEnd()) : r;
  Values vals;
  for (int64_t i = b; i < e; ++i)
    vals.push_back(in.dims[i]);
  SymExpr len(std::max<int64_t>(e - b, 0));
  ctx.setResult(*this, 0, i64Type(*this), len, std::move(vals));
  return success();
}

LogicalResult ConstantOfShapeOp::inferShapes(ShapeContext &ctx) {
  Type et = Float32Type::get(getContext());
  std::optional<Values> fill;
  if (auto v = getValueAttr()) {
    et = cast<ShapedType>(v.getType()).getElementType();
    fill = valuesFromAttr(v);
  }
  const TensorInfo &shapeInfo = ctx.get(getInput());
  if (!shapeInfo.ranked || shapeInfo.dims.size() != 1)
    return shapeInfo.ranked ? emitOpError() << "input must be a 1-D shape"
                            : success();
  const Values *target = vectorValues(ctx, getInput());
  Dims out;
  if (target) {
    for (auto &d : *target) {
      if (d.isConstant() && d.getConstant() < 0)
        return emitOpError() << "negative dim " << d << " in shape";
      std::optional<SymExpr> sym;
      sym = ctx.matchShadow(d);
      out.push_back(sym ? *sym : d);
    }
  } else if (auto len = shapeInfo.dims[0].getInt64()) {
    if (failed(checkResultRank(*this, *len)))
      return failure();
    out.assign(*len, SymExpr::unknown());
  } else {
    return success();
  }
  std::optional<Values> vals;
  if (fill && fill->size() == 1)
    if (auto n = smallStaticCount(out))
      vals = Values(*n, fill->front());
  ctx.setResult(*this, 0, et, out, std::move(vals));
  return success();
}

LogicalResult RangeOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &st = ctx.get(getStart());
  auto scalar = [&](Value v) -> std::optional<SymExpr> {
    const Values *vals = ctx.getValues(v);
    if (!vals || vals->size() != 1)
      return std::nullopt;
    return vals->front();
  };
  auto s = scalar(getStart()), l = scalar(getLimit()), d = scalar(getDelta());
  SymExpr n = SymExpr::unknown();
  if (s && l && d)
    if (auto sym = ctx.matchShadow(*l))
      l = *sym;
  if (s && l && d) {
    if (d->isConstant(0))
      return emitOpError() << "delta is 0";
    n = SymExpr::ceilDiv(*l - *s, *d);
    if (n.isConstant() && n.getConstant() < 0)
      n = SymExpr(0);
  }
  std::optional<Values> vals;
  if (s && d && s->isConstant() && d->isConstant())
    if (auto cnt = smallStaticCount(n)) {
      Values v;
      for (int64_t i = 0; i < *cnt; ++i)
        v.push_back(*s + SymExpr(i) * *d);
      vals = std::move(v);
    }
  ctx.setResult(*this, 0, st.elementType, n, std::move(vals));
  return success();
}

LogicalResult DropoutOp::inferShapes(ShapeContext &ctx) {
  const TensorInfo &in = ctx.get(getData());
  if (!in.ranked)
    return success();
  ctx.setResult(*this, 0, in.elementType, in.dims);
  if (getMask())
    ctx.setResult(*this, 1, IntegerType::get(getContext(), 1), in.dims);
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

template <typename OpT>
static LogicalResult inferReduce(OpT op, ShapeContext &ctx,
                                 llvm::function_ref<SymExpr(ArrayRef<SymExpr>)>
                                     combine) {
  const TensorInfo &in = ctx.get(op.getData());
  if (!in.ranked)
    return success();
  int64_t r = in.dims.size();
  auto axes = getAxesList(op, ctx, op.getAxes(), op.getStaticAxes());
  if (failed(axes))
    return failure();
  if (!*axes) {
    // Axes unknown: with keepdims the rank is still known.
    if (op.getKeepdims())
      ctx.setResult(op, 0, in.elementType, Dims(r, SymExpr::unknown()));
    return success();
  }
  SmallVector<bool> reduce(r, false);
  if ((*axes)->empty()) {
    if (!op.getNoopWithEmptyAxes())
      reduce.assign(r, true);
  }
  for (int64_t a : **axes) {
    auto n = normalizeAxis(op, a, r, "reduce axis");
    if (failed(n))
      return failure();
    reduce[*n] = true;
  }
  Dims out;
  for (int64_t i = 0; i < r; ++i) {
    if (!reduce[i])
      out.push_back(in.dims[i]);
    else if (op.getKeepdims())
      out.push_back(SymExpr(1));
  }
  std::optional<Values> vals;
  // Fold reductions of a known 1-D vector (keras2onnx's ReduceProd of
  // shape slices).
  if (combine && in.values && r == 1 && reduce[0])
    vals = Values{combine(*in.values)};
  else if (combine && in.values && llvm::none_of(reduce, [](bool b) { return b; }))
    vals = *in.values;
  ctx.setResult(op, 0, in.elementType, out, std::move(vals));
  return success();
}

LogicalResult ReduceMeanOp::inferShapes(ShapeContext &ctx) {
  return inferReduce(*this, ctx, nullptr);
}
LogicalResult ReduceProdOp::inferShapes(ShapeContext &ctx) {
  return inferReduce(*this, ctx, [](ArrayRef<SymExpr> v) { return product(v); });
}
LogicalResult ReduceSumOp::inferShapes(ShapeContext &ctx) {
  return inferReduce(*this, ctx, [](ArrayRef<SymExpr> v) {
    SymExpr s(0);
    for (auto &x : v)
      s = s + x;
    return s;
  });
}
LogicalResult ReduceMaxOp::inferShapes(ShapeContext &ctx) {
  return inferReduce(*this, ctx, [](ArrayRef<SymExpr> v) {
    SymExpr m = v.empty() ? SymExpr::unknown() : v.front();
    for (auto &x : v.drop_front())
      m = SymExpr::max(m, x);
    return m;
  });
}
