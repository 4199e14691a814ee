//===- CostOpInterface.cpp - ShapeQuery and the generated interface -------===//

#include "tfperf/Interfaces/CostOpInterface.h"
#include "tfperf/Interfaces/DimExprsEncodingAttrInterface.h"

using namespace mlir;
using namespace mlir::tfperf;

#include "tfperf/Interfaces/CostOpInterface.cpp.inc"

ShapeQuery::~ShapeQuery() = default;
GradientQuery::~GradientQuery() = default;

SymExpr ShapeQuery::numElements(Value v) const {
  auto d = dims(v);
  if (!d)
    return SymExpr::unknown();
  return product(*d);
}

std::optional<ArrayRef<SymExpr>> TypeShapeQuery::dims(Value v) const {
  Type t = v.getType();
  auto it = cache.find(t);
  if (it == cache.end()) {
    llvm::SmallVector<SymExpr, 4> *entry = nullptr;
    if (auto d = getSymbolicDims(t)) {
      storage.push_back(std::move(*d));
      entry = &storage.back();
    }
    it = cache.try_emplace(t, entry).first;
  }
  if (!it->second)
    return std::nullopt;
  return ArrayRef<SymExpr>(*it->second);
}
