//===- AttentionWindow.h - keys a sliding window lets queries see -*- C++ -*-===//
//
// Sliding-window attention in closed form, exact and symbolic: the query-key
// pairs a window lets S queries visit, summed over the queries. The cost of
// ONNX Attention's window (opset 25) and the fused-kernel view of a plain
// band-masked graph both read it (docs/CostModel.md); the serving
// simulator evaluates the same formula on numbers for every sequence of a
// step (docs/Serving.md).
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_SUPPORT_ATTENTIONWINDOW_H
#define TFPERF_SUPPORT_ATTENTIONWINDOW_H

#include "tfperf/Support/SymExpr.h"

#include <algorithm>
#include <cstdint>

namespace mlir::tfperf {

/// A sliding window (ONNX Attention's left/right_window_size, -1:
/// unbounded): the query at absolute position p attends the keys j in
/// [p - left, p + right] of [0, T), none after p when `causal`.
struct AttentionWindow {
  int64_t left = -1, right = -1;
  bool causal = false;
  bool isBounded() const { return left >= 0 || right >= 0; }
};

namespace window_detail {
/// The arithmetic the formulas below need, on formulas and on numbers.
inline SymExpr maxOf(const SymExpr &a, const SymExpr &b) {
  return SymExpr::max(a, b);
}
inline SymExpr minOf(const SymExpr &a, const SymExpr &b) {
  return SymExpr::min(a, b);
}
inline SymExpr halfOf(const SymExpr &a) {
  return SymExpr::floorDiv(a, SymExpr(2));
}
inline int64_t maxOf(int64_t a, int64_t b) { return std::max(a, b); }
inline int64_t minOf(int64_t a, int64_t b) { return std::min(a, b); }
/// Of a product of two consecutive integers: even, so exact.
inline int64_t halfOf(int64_t a) { return a / 2; }

/// 0 + 1 + ... + k for k >= 0, 0 for k < 0.
template <typename N> N triangle(const N &k) {
  N n = maxOf(k, N(0));
  return halfOf(n * (n + N(1)));
}

/// The sum of max(0, p - c) over p = offset .. offset + s - 1 (c >= -1).
template <typename N> N sumAbove(const N &offset, const N &s, const N &c) {
  N one(1);
  return triangle(offset + s - one - c) - triangle(offset - one - c);
}

template <typename N>
N windowedScores(const N &s, const N &t, const N &offset,
                 const AttentionWindow &w) {
  N one(1), last = t - one;
  // Per query: min(T - 1, p + r) - max(0, p - left) + 1 keys, r the right
  // reach (0 when causal). With r capped at T - 1, min(T - 1, p + r) =
  // p + r - max(0, p - (T - 1 - r)) and T - 1 - r >= 0.
  N high = s * last;
  if (w.causal || w.right >= 0) {
    N r = minOf(N(w.causal ? 0 : w.right), last);
    N positions = s * offset + halfOf(s * (s - one));
    high = positions + s * r - sumAbove(offset, s, last - r);
  }
  N low(0);
  if (w.left >= 0)
    low = sumAbove(offset, s, N(w.left));
  return high - low + s;
}

template <typename N>
N firstWindowKey(const N &offset, const AttentionWindow &w) {
  if (w.left < 0)
    return N(0);
  return maxOf(offset - N(w.left), N(0));
}
} // namespace window_detail

/// The query-key pairs `s` queries at positions offset .. offset + s - 1
/// visit among `t` keys under `w`: the exact sum over the queries of their
/// keys. Each query is assumed to see one key at least (offset + s <= t +
/// left), as every self-attention query does.
inline SymExpr windowedScores(const SymExpr &s, const SymExpr &t,
                              const SymExpr &offset, const AttentionWindow &w) {
  return window_detail::windowedScores(s, t, offset, w);
}
/// The same on numbers (a serving step's sequence).
inline int64_t windowedScores(int64_t s, int64_t t, int64_t offset,
                              const AttentionWindow &w) {
  return window_detail::windowedScores(s, t, offset, w);
}

/// The query-key pairs a causal flash kernel visits when `s` queries come
/// last of `t` keys (a chunk after t - s cached keys): every cached key,
/// and half of the chunk's own s x s block, as the kernel view counts a
/// prompt (windowedScores' exact count adds s / 2).
inline double causalPairs(double s, double t) { return s * (t - s / 2); }

/// The first key any of those queries attends (0 without a left bound):
/// the keys before it are never read.
inline SymExpr firstWindowKey(const SymExpr &offset, const AttentionWindow &w) {
  return window_detail::firstWindowKey(offset, w);
}
inline int64_t firstWindowKey(int64_t offset, const AttentionWindow &w) {
  return window_detail::firstWindowKey(offset, w);
}

} // namespace mlir::tfperf

#endif
