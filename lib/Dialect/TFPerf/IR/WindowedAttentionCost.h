//===- WindowedAttentionCost.h - a fused attention's window ----*- C++ -*-===//
//
// Private to the dialect library. The fused attention ops with a sliding
// window (ONNX Attention-25, com.microsoft GroupQueryAttention) cost their
// window's pairs and cache reads the same way, exactly or, for a serving
// step, over the causal band (computeWindowBandCost).
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_LIB_DIALECT_WINDOWEDATTENTIONCOST_H
#define TFPERF_LIB_DIALECT_WINDOWEDATTENTIONCOST_H

#include "tfperf/Interfaces/CostOpInterface.h"
#include "tfperf/Support/AttentionWindow.h"

#include <array>

namespace mlir::tfperf::cost {

/// The query-key pairs of `s` queries at positions from `offset` on among
/// `t` keys under `window`, with the op's traffic (readWindowedKeys from
/// the window's first key). Without a window, or over the causal band
/// (`overBand`), all s t pairs and every operand read whole.
std::optional<SymExpr> windowPairsAndTraffic(
    Operation *op, const ShapeQuery &q, OpCost &cost,
    const AttentionWindow &window, bool overBand, const SymExpr &s,
    const SymExpr &t, const SymExpr &offset, std::array<Value, 2> pastKV,
    std::array<Value, 2> kv);

/// com.microsoft GroupQueryAttention's cost (`op`), over its causal band
/// when `overBand`.
LogicalResult groupQueryAttentionCost(Operation *op, const ShapeQuery &q,
                                      OpCost &cost, bool overBand);

} // namespace mlir::tfperf::cost

#endif
