//===- AttentionWindow.h - keys a sliding window lets queries see -*- C++ -*-===//
//
// Sliding-window attention in closed form, exact and symbolic: the query-key
// pairs a window lets S queries visit, summed over the queries. The cost of
// ONNX Attention's window (opset 25) and the fused-kernel view of a plain
// band-masked graph both read it (docs/CostModel.md).
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_SUPPORT_ATTENTIONWINDOW_H
#define TFPERF_SUPPORT_ATTENTIONWINDOW_H

#include "tfperf/Support/SymExpr.h"

namespace mlir::tfperf {

/// A sliding window (ONNX Attention's left/right_window_size, -1:
/// unbounded): the query at absolute position p attends the keys j in
/// [p - left, p + right] of [0, T), none after p when `causal`.
struct AttentionWindow {
  int64_t left = -1, right = -1;
  bool causal = false;
  bool isBounded() const { return left >= 0 || right >= 0; }
};

/// The query-key pairs `s` queries at positions offset .. offset + s - 1
/// visit among `t` keys under `w`: the exact sum over the queries of their
/// keys. Each query is assumed to see one key at least (offset + s <= t +
/// left), as every self-attention query does.
SymExpr windowedScores(const SymExpr &s, const SymExpr &t,
                       const SymExpr &offset, const AttentionWindow &w);

/// The first key any of those queries attends (0 without a left bound):
/// the keys before it are never read.
SymExpr firstWindowKey(const SymExpr &offset, const AttentionWindow &w);

} // namespace mlir::tfperf

#endif
