//===- BandMask.h - the window of a sliding-window mask ----------*- C++ -*-===//
//
// A plain export of sliding-window attention (Mistral as Hugging Face
// exports it) builds its mask from position ranges: Trilu, comparisons of
// Range outputs against a window offset, Where. When that mask folds from
// the graph's own constants, its allowed keys form a band below the causal
// diagonal; the band's width is the window (docs/TransformerAnalysis.md).
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_BANDMASK_H
#define TFPERF_ANALYSIS_BANDMASK_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/ArrayRef.h"

#include <memory>
#include <optional>

namespace mlir::tfperf {

class ShapeContext;

/// The window of a rows x cols mask (row-major, `allowed` true where the
/// query may attend the key) whose allowed keys are, per query i, the
/// `window` keys up to the bottom-right-aligned diagonal i + cols - rows
/// (fewer near the start): the largest count, when some query loses keys
/// at the start. Nullopt for any other pattern (a plain causal triangle
/// included: it has no window).
std::optional<int64_t> bandMaskWindow(llvm::ArrayRef<bool> allowed,
                                      int64_t rows, int64_t cols);

/// The values the graph's shape inference folds (small integer-valued
/// tensors: masks of up to ShapeContext::kMaxFoldedElements elements),
/// inferred once on demand.
class FoldedValues {
public:
  explicit FoldedValues(func::FuncOp func);
  ~FoldedValues();
  /// The window of the additive or boolean mask `mask` of [.., S, T]
  /// scores: the first tensor of known values shaped [.., S, T] among the
  /// ops that build it, read as allowed where non-zero or where zero
  /// (whichever is a band).
  std::optional<int64_t> maskWindow(Value mask);

private:
  func::FuncOp func;
  std::unique_ptr<ShapeContext> ctx;
};

} // namespace mlir::tfperf

#endif
