//===- WindowBandCost.h - a windowed attention op over its band -*- C++ -*-===//
//
// A fused attention op with a sliding window (ONNX Attention-25's
// left_window_size, com.microsoft GroupQueryAttention's local_window_size)
// costs the exact closed form of its window's pairs (AttentionWindow.h),
// which holds max and floordiv of the op's lengths. A serving step sums
// the window over each of its sequences instead (serving::WindowSums), so
// it reads the op's cost over the whole causal band (every new query
// scores all T keys, the cache read whole) and moves the per-pair and
// per-cached-key terms onto the window's sums: per sequence the op's own
// formula again (docs/Serving.md).
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_DIALECT_TFPERF_IR_WINDOWBANDCOST_H
#define TFPERF_DIALECT_TFPERF_IR_WINDOWBANDCOST_H

#include "tfperf/Interfaces/CostOpInterface.h"

namespace mlir::tfperf {

/// When `op` is a fused attention op with a sliding window: its cost over
/// the causal band in `c` (the window's mask FLOPs kept), and the window's
/// keys (its own included); 0, `c` untouched, for any other op. Fails,
/// with `c.unknownReason`, for a window that is not causal (it reaches
/// right of the query as well, which the step's causal sums do not count).
FailureOr<int64_t> computeWindowBandCost(Operation *op, const ShapeQuery &q,
                                         OpCost &c);

} // namespace mlir::tfperf

#endif
