//===- BandMask.cpp - the window of a sliding-window mask -----------------===//

#include "tfperf/Analysis/BandMask.h"
#include "tfperf/Dialect/TFPerf/Utils/ShapeInference.h"
#include "tfperf/Interfaces/ShapeInferenceOpInterface.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

using namespace mlir;
using namespace mlir::tfperf;

std::optional<int64_t> mlir::tfperf::bandMaskWindow(ArrayRef<bool> allowed,
                                                    int64_t rows,
                                                    int64_t cols) {
  if (rows < 2 || cols < rows || int64_t(allowed.size()) != rows * cols)
    return std::nullopt;
  // Per row: the allowed keys must run from `first` to the diagonal.
  SmallVector<int64_t> counts;
  bool cut = false;
  for (int64_t i = 0; i < rows; ++i) {
    ArrayRef<bool> row = allowed.slice(i * cols, cols);
    int64_t diagonal = i + cols - rows;
    int64_t first = diagonal + 1;
    while (first > 0 && row[first - 1])
      --first;
    if (first > diagonal)
      return std::nullopt; // the query does not see itself
    for (int64_t j = 0; j < cols; ++j)
      if (row[j] != (j >= first && j <= diagonal))
        return std::nullopt;
    counts.push_back(diagonal - first + 1);
    cut |= first > 0;
  }
  if (!cut)
    return std::nullopt;
  // A band: every query sees min(its position + 1, window) keys.
  int64_t window = *llvm::max_element(counts);
  for (int64_t i = 0; i < rows; ++i)
    if (counts[i] != std::min(i + cols - rows + 1, window))
      return std::nullopt;
  return window;
}

FoldedValues::FoldedValues(func::FuncOp func) : func(func) {}
FoldedValues::~FoldedValues() = default;

std::optional<int64_t> FoldedValues::maskWindow(Value mask) {
  auto type = dyn_cast<RankedTensorType>(mask.getType());
  if (!type || type.getRank() < 2)
    return std::nullopt;
  int64_t rows = type.getDimSize(type.getRank() - 2),
          cols = type.getDimSize(type.getRank() - 1);
  if (ShapedType::isDynamic(rows) || ShapedType::isDynamic(cols) ||
      rows < 2 || rows * cols > ShapeContext::kMaxFoldedElements)
    return std::nullopt;
  if (!ctx) {
    ctx = std::make_unique<ShapeContext>();
    // A best effort over a graph already imported: its errors are not
    // the user's.
    ScopedDiagnosticHandler silence(func.getContext(),
                                    [](Diagnostic &) { return success(); });
    (void)inferFunction(func, DimBindings(), *ctx, /*updateTypes=*/false);
  }
  // Breadth first over the ops that build the mask (a bounded cone).
  llvm::SetVector<Value> cone;
  cone.insert(mask);
  for (size_t next = 0; next < cone.size() && next < 256; ++next) {
    Value v = cone[next];
    const TensorInfo &info = ctx->get(v);
    if (info.values && info.dims.size() >= 2 &&
        info.dims[info.dims.size() - 2].isConstant(rows) &&
        info.dims.back().isConstant(cols)) {
      // The last [rows, cols] slice (leading dims broadcast the same mask).
      ArrayRef<SymExpr> last =
          ArrayRef<SymExpr>(*info.values).take_back(rows * cols);
      SmallVector<bool> nonZero, zero;
      bool known = true;
      for (const SymExpr &e : last) {
        known &= e.isConstant();
        nonZero.push_back(!e.isConstant(0));
        zero.push_back(e.isConstant(0));
      }
      if (known)
        for (ArrayRef<bool> allowed : {ArrayRef<bool>(nonZero), ArrayRef<bool>(zero)})
          if (auto w = bandMaskWindow(allowed, rows, cols))
            return w;
    }
    if (Operation *def = v.getDefiningOp())
      cone.insert(def->operand_begin(), def->operand_end());
  }
  return std::nullopt;
}
