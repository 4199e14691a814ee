//===- AttentionWindow.cpp - keys a sliding window lets queries see -------===//

#include "tfperf/Support/AttentionWindow.h"

using namespace mlir::tfperf;

/// 0 + 1 + ... + k for k >= 0, 0 for k < 0.
static SymExpr triangle(const SymExpr &k) {
  SymExpr n = SymExpr::max(k, SymExpr(0));
  return SymExpr::floorDiv(n * (n + SymExpr(1)), SymExpr(2));
}

/// The sum of max(0, p - c) over p = offset .. offset + s - 1 (c >= -1).
static SymExpr sumAbove(const SymExpr &offset, const SymExpr &s,
                        const SymExpr &c) {
  SymExpr one(1);
  return triangle(offset + s - one - c) - triangle(offset - one - c);
}

SymExpr mlir::tfperf::windowedScores(const SymExpr &s, const SymExpr &t,
                                     const SymExpr &offset,
                                     const AttentionWindow &w) {
  SymExpr one(1), last = t - one;
  // Per query: min(T - 1, p + r) - max(0, p - left) + 1 keys, r the right
  // reach (0 when causal). With r capped at T - 1, min(T - 1, p + r) =
  // p + r - max(0, p - (T - 1 - r)) and T - 1 - r >= 0.
  SymExpr high = s * last;
  if (w.causal || w.right >= 0) {
    SymExpr r = SymExpr::min(SymExpr(w.causal ? 0 : w.right), last);
    SymExpr positions =
        s * offset + SymExpr::floorDiv(s * (s - one), SymExpr(2));
    high = positions + s * r - sumAbove(offset, s, last - r);
  }
  SymExpr low(0);
  if (w.left >= 0)
    low = sumAbove(offset, s, SymExpr(w.left));
  return high - low + s;
}

SymExpr mlir::tfperf::firstWindowKey(const SymExpr &offset,
                                     const AttentionWindow &w) {
  if (w.left < 0)
    return SymExpr(0);
  return SymExpr::max(offset - SymExpr(w.left), SymExpr(0));
}
