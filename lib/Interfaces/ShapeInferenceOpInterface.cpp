//===- ShapeInferenceOpInterface.cpp - ShapeContext -----------------------===//

#include "tfperf/Interfaces/ShapeInferenceOpInterface.h"
#include "tfperf/Interfaces/DimExprsEncodingAttrInterface.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace mlir::tfperf;

#include "tfperf/Interfaces/ShapeInferenceOpInterface.cpp.inc"

SymExpr TensorInfo::numElements() const {
  if (!ranked)
    return SymExpr::unknown();
  return product(dims);
}

bool TensorInfo::hasKnownShape() const {
  return ranked && llvm::all_of(dims, [](const SymExpr &d) { return d.isKnown(); });
}

bool TensorInfo::hasStaticShape() const {
  return ranked &&
         llvm::all_of(dims, [](const SymExpr &d) { return d.isConstant(); });
}

TensorInfo mlir::tfperf::tensorInfoFromType(Type type) {
  TensorInfo info;
  if (auto shaped = dyn_cast<TensorType>(type))
    info.elementType = shaped.getElementType();
  if (auto dims = getSymbolicDims(type)) {
    info.ranked = true;
    info.dims = std::move(*dims);
  }
  return info;
}

const TensorInfo &ShapeContext::get(Value v) {
  auto it = infos.find(v);
  if (it != infos.end())
    return *it->second;
  storage.push_back(tensorInfoFromType(v.getType()));
  infos[v] = &storage.back();
  return storage.back();
}

void ShapeContext::set(Value v, TensorInfo info) {
  auto it = infos.find(v);
  if (it != infos.end()) {
    *it->second = std::move(info);
    return;
  }
  storage.push_back(std::move(info));
  infos[v] = &storage.back();
}

std::optional<ArrayRef<SymExpr>> ShapeContext::getDims(Value v) {
  const TensorInfo &info = get(v);
  if (!info.ranked)
    return std::nullopt;
  return ArrayRef<SymExpr>(info.dims);
}

const SmallVector<SymExpr, 4> *ShapeContext::getValues(Value v) {
  const TensorInfo &info = get(v);
  return info.values ? &*info.values : nullptr;
}

void ShapeContext::setResult(Operation *op, unsigned idx, Type elementType,
                             ArrayRef<SymExpr> dims,
                             std::optional<SmallVector<SymExpr, 4>> values) {
  TensorInfo info;
  info.elementType = elementType;
  info.ranked = true;
  info.dims.assign(dims.begin(), dims.end());
  if (values) {
    // Only keep values whose count matches a static shape.
    SymExpr n = product(dims);
    if (n.isConstant() && n.getConstant() == (Int128)values->size())
      info.values = std::move(values);
  }
  set(op->getResult(idx), std::move(info));
}

std::optional<int64_t> ShapeContext::shadowValue(const SymExpr &e) const {
  if (e.isConstant())
    return e.getInt64();
  auto v = e.evaluate([&](llvm::StringRef s) -> std::optional<Int128> {
    for (auto &[name, value] : shadow)
      if (name == s)
        return Int128(value);
    return std::nullopt;
  });
  if (!v || *v > INT64_MAX || *v < INT64_MIN)
    return std::nullopt;
  return static_cast<int64_t>(*v);
}

std::optional<SymExpr> ShapeContext::matchShadow(const SymExpr &dim) const {
  if (auto c = dim.getInt64())
    return matchShadow(*c);
  return std::nullopt;
}

std::optional<SymExpr> ShapeContext::matchShadow(int64_t c) const {
  if (c <= 1)
    return std::nullopt;
  std::optional<SymExpr> found;
  for (auto &[name, value] : shadow)
    if (value == c) {
      if (found)
        return std::nullopt; // ambiguous
      found = SymExpr::symbol(name);
    }
  return found;
}
