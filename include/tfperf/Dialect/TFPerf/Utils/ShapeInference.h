//===- ShapeInference.h - driving tfperf shape inference --------*- C++ -*-===//
//
// Runs each op's shape function in order over a region (the importer, the
// tfperf-infer-shapes pass and the phase analysis use this), writes the
// results into the IR's types, and binds dim symbols to values. It belongs
// to the dialect, not to Analysis: the importer needs it and depends on the
// dialect only.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_DIALECT_TFPERF_UTILS_SHAPEINFERENCE_H
#define TFPERF_DIALECT_TFPERF_UTILS_SHAPEINFERENCE_H

#include "tfperf/Interfaces/ShapeInferenceOpInterface.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringMap.h"

namespace mlir::tfperf {

/// Name of the argument attribute holding an ONNX graph input's name.
constexpr llvm::StringLiteral kNameAttr = "tfperf.name";
/// Argument attribute on scalar integer inputs whose value is a symbol
/// (e.g. BeamSearch's `max_length`), bindable like a dim.
constexpr llvm::StringLiteral kValueSymbolAttr = "tfperf.value_symbol";

/// `--bind-dims=name=value,...`, in the order given.
struct DimBindings {
  std::vector<std::pair<std::string, int64_t>> values;
  bool empty() const { return values.empty(); }
  /// The value bound to `name`, if any.
  std::optional<int64_t> lookup(llvm::StringRef name) const {
    for (auto &[n, v] : values)
      if (n == name)
        return v;
    return std::nullopt;
  }
  /// Parses the flag's text; sets `error` on bad syntax or values.
  static std::optional<DimBindings> parse(llvm::StringRef spec,
                                          std::string &error);
  /// Substitutes bound symbols into `e`.
  SymExpr apply(const SymExpr &e) const;
};

/// Infers every op nested in `region` (nested regions first), writing the
/// results into `ctx` and, with `updateTypes`, into the result types.
/// Fails after the first op whose shape function fails.
LogicalResult inferShapesInRegion(Region &region, ShapeContext &ctx,
                                  bool updateTypes);

/// Infers a whole function: argument entries come from their types (with
/// `bindings` applied and value symbols attached), argument and result types
/// are rewritten when `updateTypes`. A binding naming no symbol the function
/// uses is an error.
LogicalResult inferFunction(func::FuncOp func, const DimBindings &bindings,
                            ShapeContext &ctx, bool updateTypes);

/// Symbols (dim_params and value symbols) used by the function's arguments.
llvm::SmallVector<std::string> collectInputSymbols(func::FuncOp func);

/// How completely the values under `root` are shaped.
struct ShapeCoverage {
  unsigned values = 0;   // tensor-typed SSA values
  unsigned unranked = 0; // rank unknown
  unsigned symbolic = 0; // ranked, some dim a named expression
  unsigned unknown = 0;  // ranked, some dim unknown
  bool allStatic() const { return !unranked && !symbolic && !unknown; }
};
ShapeCoverage measureShapeCoverage(Operation *root);

} // namespace mlir::tfperf

#endif
