//===- BackwardUtils.h - helpers for tfperf backward costs ------*- C++ -*-===//
//
// Private to the dialect library. The conventions they implement are stated
// in docs/Training.md: a gradient has its value's shape and element type;
// a kernel reads every tensor it needs once and writes its gradients once;
// the gradient of an operand that was broadcast into the result is reduced
// back to the operand's shape inside the same kernel (one add per folded
// element).
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_LIB_DIALECT_BACKWARDUTILS_H
#define TFPERF_LIB_DIALECT_BACKWARDUTILS_H

#include "tfperf/Interfaces/CostOpInterface.h"

#include "mlir/IR/Operation.h"

namespace mlir::tfperf::bwd {

/// Dims of `v`, or nullopt with `cost.unknownReason` set.
std::optional<ArrayRef<SymExpr>> dimsOf(const ShapeQuery &q, Value v,
                                        BackwardCost &cost);
/// Element count of `v`, or nullopt with `cost.unknownReason` set.
std::optional<SymExpr> elements(const ShapeQuery &q, Value v,
                                BackwardCost &cost);

/// The gradient of `operand`, an input of the elementwise op that produced
/// `result`: `flopsPerElement` FLOPs per element of `result`, reading dY
/// and `reads` (saved tensors, at their own sizes), reduced to the
/// operand's shape when it was broadcast. With no FLOPs and no broadcast
/// the gradient is dY itself: no kernel.
LogicalResult elementwiseGrad(BackwardCost &cost, const ShapeQuery &q,
                              std::string name, Value result, Value operand,
                              int64_t flopsPerElement,
                              ArrayRef<Value> reads = {},
                              SymExpr extraFlops = SymExpr(0));

/// Saves `v` in full.
LogicalResult save(BackwardCost &cost, const ShapeQuery &q, Value v);

/// The gradient of one operand `x` of the elementwise op producing `y`:
/// nothing when `x` needs none, else the tensors in `saved` kept for
/// backward and one kernel `name` of `flopsPerElement` per element reading
/// dY and them.
LogicalResult operandGrad(BackwardCost &cost, const ShapeQuery &q,
                          const GradientQuery &g, std::string name, Value y,
                          Value x, int64_t flopsPerElement,
                          ArrayRef<Value> saved = {});

/// A unary elementwise op `Y = f(X)`: when X needs a gradient, one kernel
/// `name` of `flopsPerElement` per element reading dY and the saved tensor
/// (`X` or `Y`, or none).
LogicalResult unary(Operation *op, const ShapeQuery &q,
                    const GradientQuery &g, BackwardCost &cost,
                    std::string name, int64_t flopsPerElement,
                    Value saved);

/// A data-movement op whose gradient is the inverse movement of dY
/// (Transpose, Cast): reads dY, writes the operand's gradient, no FLOPs.
LogicalResult moveBack(Operation *op, const ShapeQuery &q,
                       const GradientQuery &g, BackwardCost &cost,
                       std::string name);

/// A view (Reshape, Squeeze, ...): the gradient is a view of dY.
LogicalResult view(BackwardCost &cost);

/// The backward of a normalization over the trailing dims (LayerNorm,
/// RMSNorm) from its saved input and per-row statistics; the counts are
/// derived in docs/Training.md.
struct NormBackward {
  /// FLOPs of dX per element (x^ recomputed included) and per row.
  int64_t dxPerElement, dxPerRow;
  /// The parameter kernel per element: x^ recomputed, dScale, dBias.
  int64_t xhatFlops, scaleFlops, biasFlops;
  const char *dxName, *paramName, *stats;
  /// Statistics kept per row (mean and rstd: 2; rrms: 1).
  int64_t statsPerRow;
};

/// LayerNorm: x^ = (x - mean) rstd (2); dX = rstd (g - mean(g) -
/// x^ mean(g x^)) with g = dY scale: g 1, mean(g) 1, g x^ and its mean 2,
/// the combination 4: 10 per element with x^, + 2 divides per row.
/// dScale = sum(dY x^) 2, dBias = sum(dY) 1, x^ recomputed 2.
constexpr NormBackward kLayerNorm = {10, 2, 2, 2, 1, "dX = LayerNorm'(dY)",
                                     "dScale, dBias = sums over rows",
                                     "mean, rstd", 2};
/// RMSNorm: x^ = x rrms (1); dX = rrms (g - x^ mean(g x^)): g 1, g x^ and
/// its mean 2, the combination 3: 7 per element with x^, + 1 per row.
/// dScale = sum(dY x^) 2, x^ recomputed 1.
constexpr NormBackward kRMSNorm = {7, 1, 1, 2, 0, "dX = RMSNorm'(dY)",
                                   "dScale = sum over rows", "rrms", 1};

/// `x` normalized over its dims from `axis` on, scaled by `scale` (+
/// `bias`) into `y`. `x` also gives dX's shape and is the tensor kept:
/// itself when `savedWhat` is empty, else an unnamed tensor of its shape
/// (the sum a skip variant normalizes).
LogicalResult normGrad(const NormBackward &nb, const ShapeQuery &q,
                       const GradientQuery &g, BackwardCost &cost, Value x,
                       int64_t axis, Value scale, Value bias, Value y,
                       bool dxNeeded, std::string savedWhat = "");

/// An op whose backward tfperf does not model.
LogicalResult unknown(BackwardCost &cost, std::string reason);

/// The attention core's backward for B*N heads of S queries against T
/// keys, as a fused (FlashAttention-style) kernel. `qkv` stands for the Q,
/// K, V tensors (read, and written as gradients when `writeGrads`),
/// `qkvElements` their elements; `out` is the op's output (O, and dO as its
/// gradient).
void attentionCoreGrad(BackwardCost &c, const SymExpr &bn, const SymExpr &s,
                       const SymExpr &t, const SymExpr &hk, const SymExpr &hv,
                       int64_t maskAdds, Value qkv,
                       const SymExpr &qkvElements, Value out,
                       const SymExpr &outElements, bool writeGrads);
/// The same over `pairs` query-key pairs per head (a sliding window visits
/// fewer than S x T).
void attentionCoreGradOver(BackwardCost &c, const SymExpr &bn,
                           const SymExpr &s, const SymExpr &pairs,
                           const SymExpr &hk, const SymExpr &hv,
                           int64_t maskAdds, Value qkv,
                           const SymExpr &qkvElements, Value out,
                           const SymExpr &outElements, bool writeGrads);

/// Saves each of `values` for the backward: their total element count, or
/// nullopt with the reason set.
std::optional<SymExpr> saveAll(BackwardCost &c, const ShapeQuery &q,
                               ArrayRef<Value> values);

/// What a fused attention keeps: its output and one log-sum-exp per row.
void saveOutputAndLse(BackwardCost &c, Value out, const SymExpr &outElements,
                      const SymExpr &rows);

/// A fused op whose backward runs its forward backwards (the recurrent
/// ops, the fused gates): twice the forward's FLOPs (GEMM FLOPs alike);
/// keeps and reads every operand, writes the gradients needed.
LogicalResult twiceForward(Operation *op, const ShapeQuery &q,
                           const GradientQuery &g, BackwardCost &c,
                           const char *name);

/// RoPE: dY rotated back by the same angles (the forward's FLOPs),
/// reading what the forward read with dY in place of `input`; writes dX.
LogicalResult rotateBack(Operation *op, Value input, Value output,
                         const ShapeQuery &q, const GradientQuery &g,
                         BackwardCost &c);

} // namespace mlir::tfperf::bwd

#endif
