//===- ShapeInference.cpp - driving tfperf shape inference ----------------===//

#include "tfperf/Dialect/TFPerf/Utils/ShapeInference.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfAttrs.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Verifier.h"

using namespace mlir;
using namespace mlir::tfperf;

std::optional<DimBindings> DimBindings::parse(llvm::StringRef spec,
                                              std::string &error) {
  DimBindings b;
  llvm::SmallVector<llvm::StringRef> items;
  spec.split(items, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef item : items) {
    auto [name, value] = item.split('=');
    name = name.trim();
    value = value.trim();
    int64_t v;
    if (name.empty() || !item.contains('=')) {
      error = "expected name=value, got '" + item.str() + "'";
      return std::nullopt;
    }
    if (value.getAsInteger(10, v) || v < 0 || v > kMaxDimValue) {
      error = "value of '" + name.str() + "' must be an integer in [0, 2^62], got '" +
              value.str() + "'";
      return std::nullopt;
    }
    if (b.lookup(name)) {
      error = "'" + name.str() + "' is bound twice";
      return std::nullopt;
    }
    b.values.emplace_back(name.str(), v);
  }
  return b;
}

SymExpr DimBindings::apply(const SymExpr &e) const {
  if (values.empty() || e.isConstant())
    return e;
  return e.substitute([&](llvm::StringRef s) -> std::optional<SymExpr> {
    if (auto v = lookup(s))
      return SymExpr(*v);
    return std::nullopt;
  });
}

/// Writes what ctx knows of `v` into its type.
static LogicalResult updateValueType(Value v, ShapeContext &ctx,
                                     Operation *owner) {
  const TensorInfo &info = ctx.get(v);
  if (!info.elementType)
    return success();
  Type newType;
  if (!info.ranked) {
    newType = UnrankedTensorType::get(info.elementType);
  } else {
    if ((int64_t)info.dims.size() > kMaxRank)
      return owner->emitOpError() << "result rank " << info.dims.size()
                                  << " is more than tfperf accepts ("
                                  << kMaxRank << ")";
    for (const SymExpr &d : info.dims) {
      if (d.isOverflow())
        return owner->emitOpError()
               << "a result dim overflows (128-bit coefficients or "
               << kMaxSymTerms << " terms)";
      if (d.isConstant() &&
          (d.getConstant() < 0 || d.getConstant() > kMaxDimValue))
        return owner->emitOpError()
               << "result dim " << d << " is "
               << (d.getConstant() < 0 ? "negative" : "absurdly large (> 2^62)");
    }
    if (hasTooManyElements(info.dims))
      return owner->emitOpError() << "a result has more than 2^62 elements";
    auto t = buildTensorType(v.getContext(), info.elementType, info.dims);
    if (failed(t))
      return owner->emitOpError() << "cannot build a type for a result";
    newType = *t;
  }
  if (newType != v.getType())
    v.setType(newType);
  return success();
}

LogicalResult mlir::tfperf::inferShapesInRegion(Region &region,
                                                ShapeContext &ctx,
                                                bool updateTypes) {
  for (Block &block : region) {
    for (Operation &op : block) {
      for (Region &nested : op.getRegions())
        if (failed(inferShapesInRegion(nested, ctx, updateTypes)))
          return failure();
      auto iface = dyn_cast<ShapeInferenceOpInterface>(op);
      if (!iface)
        continue;
      // Shape functions rely on the op's invariants (required attributes,
      // operand counts): check them first.
      if (failed(mlir::verify(&op, /*verifyRecursively=*/false)))
        return failure();
      if (failed(iface.inferShapes(ctx)))
        return failure();
      if (updateTypes)
        for (Value r : op.getResults())
          if (failed(updateValueType(r, ctx, &op)))
            return failure();
    }
  }
  return success();
}

/// Calls `fn` on every block argument of the function and of the regions
/// nested in it (ONNX subgraph inputs), in order.
static void forEachInput(func::FuncOp func,
                         llvm::function_ref<void(BlockArgument)> fn) {
  for (BlockArgument a : func.getArguments())
    fn(a);
  func.getBody().walk([&](Operation *op) {
    for (Region &r : op->getRegions())
      for (Block &b : r)
        for (BlockArgument a : b.getArguments())
          fn(a);
  });
}

llvm::SmallVector<std::string> mlir::tfperf::collectInputSymbols(func::FuncOp func) {
  llvm::SmallVector<llvm::StringRef> syms;
  forEachInput(func, [&](BlockArgument a) {
    if (auto dims = getSymbolicDims(a.getType()))
      for (const SymExpr &d : *dims)
        d.collectSymbols(syms);
  });
  for (unsigned i = 0; i < func.getNumArguments(); ++i)
    if (auto vs = func.getArgAttrOfType<StringAttr>(i, kValueSymbolAttr))
      if (!llvm::is_contained(syms, vs.getValue()))
        syms.push_back(vs.getValue());
  return llvm::SmallVector<std::string>(syms.begin(), syms.end());
}

LogicalResult mlir::tfperf::inferFunction(func::FuncOp func,
                                          const DimBindings &bindings,
                                          ShapeContext &ctx, bool updateTypes) {
  if (!bindings.empty()) {
    auto known = collectInputSymbols(func);
    for (auto &[name, value] : bindings.values)
      if (!llvm::is_contained(known, name)) {
        std::string list;
        for (auto &k : known)
          list += (list.empty() ? "" : ", ") + k;
        return func.emitError()
               << "--bind-dims names '" << name
               << "', which is not a dim of this graph"
               << (known.empty() ? std::string(" (it has no symbolic dims)")
                                 : " (its dims are: " + list + ")");
      }
  }
  LogicalResult result = success();
  forEachInput(func, [&](BlockArgument arg) {
    TensorInfo info = tensorInfoFromType(arg.getType());
    for (SymExpr &d : info.dims)
      d = bindings.apply(d);
    if (arg.getOwner()->isEntryBlock() &&
        arg.getOwner()->getParentOp() == func.getOperation())
      if (auto vs = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(),
                                                      kValueSymbolAttr))
        info.values = llvm::SmallVector<SymExpr, 4>{
            bindings.apply(SymExpr::symbol(vs.getValue()))};
    if (updateTypes && info.ranked && info.elementType) {
      auto t = buildTensorType(func.getContext(), info.elementType, info.dims);
      if (failed(t)) {
        result = func.emitError() << "an input has an invalid dim";
        return;
      }
      arg.setType(*t);
    }
    ctx.set(arg, std::move(info));
  });
  if (failed(result))
    return failure();
  if (failed(inferShapesInRegion(func.getBody(), ctx, updateTypes)))
    return failure();
  if (updateTypes) {
    auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
    func.setType(FunctionType::get(func.getContext(),
                                   func.getBody().getArgumentTypes(),
                                   ret.getOperandTypes()));
  }
  return success();
}

ShapeCoverage mlir::tfperf::measureShapeCoverage(Operation *root) {
  ShapeCoverage cov;
  auto visit = [&](Value v) {
    if (!isa<TensorType>(v.getType()))
      return;
    ++cov.values;
    auto dims = getSymbolicDims(v.getType());
    if (!dims) {
      ++cov.unranked;
      return;
    }
    bool sym = false, unk = false;
    for (auto &d : *dims) {
      sym |= d.isKnown() && !d.isConstant();
      unk |= !d.isKnown();
    }
    cov.unknown += unk;
    cov.symbolic += sym && !unk;
  };
  root->walk([&](Operation *op) {
    for (Region &r : op->getRegions())
      for (Block &b : r)
        for (BlockArgument a : b.getArguments())
          visit(a);
    for (Value r : op->getResults())
      visit(r);
  });
  return cov;
}
