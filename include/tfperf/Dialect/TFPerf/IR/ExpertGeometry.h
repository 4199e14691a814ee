//===- ExpertGeometry.h - the experts of a fused MoE op ---------*- C++ -*-===//
//
// The sizes of onnxruntime's fused Mixture-of-Experts ops (MoE, QMoE) read
// from their operands: experts, top-k, tokens, hidden and intermediate
// sizes. The op's shape function, its cost and the transformer structure
// all read them here. docs/CostModel.md states the routed-work convention.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_DIALECT_TFPERF_IR_EXPERTGEOMETRY_H
#define TFPERF_DIALECT_TFPERF_IR_EXPERTGEOMETRY_H

#include "tfperf/Support/SymExpr.h"

#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir::tfperf {

/// Dims of a value, or nullopt when its rank is unknown.
using DimsLookup = function_ref<std::optional<ArrayRef<SymExpr>>(Value)>;

struct ExpertGeometry {
  /// E: experts in the pool.
  SymExpr experts;
  /// k: experts each token is routed to.
  int64_t topK = 1;
  /// T: tokens (the input's dims but the last).
  SymExpr tokens;
  /// H: hidden size.
  SymExpr hidden;
  /// I: one expert's intermediate size (unpacked).
  SymExpr inter;
  /// Output rows of the up projections together (fc1 plus fc3): I, or 2 I
  /// for a gated (SwiGLU) expert.
  SymExpr upRows;
  /// The experts' per-token inclusions under a skewed routing
  /// (tfperf-route-experts marked the op: zipf or loads), or empty:
  /// balanced.
  std::vector<double> inclusion;

  /// GEMM FLOPs of one token through one expert: 2 H (up rows + I).
  SymExpr gemmFlopsPerRoutedToken() const;
  /// (token, expert) pairs the router makes: T k.
  SymExpr routedTokens() const;
  /// `perExpert` (one expert's slice, in elements or FLOPs) times the
  /// experts a pass touches: the expected distinct experts
  /// E (1 - (1 - k/E)^T) (under a skewed routing, sum_i 1 - (1 - pi_i)^T) when E, T
  /// and the slice are numbers (rounded to a
  /// whole count), else the formula min(E, T k), their upper bound (every
  /// routed pair taken to hit a new expert until all are touched).
  SymExpr overTouchedExperts(const SymExpr &perExpert) const;
  /// True when the up projection is gated (fc1 and fc3, or fused SwiGLU).
  bool isGated() const { return upRows == inter * SymExpr(2); }
};

/// True for the fused MoE ops (com.microsoft MoE and QMoE).
bool isFusedMoE(Operation *op);

/// The operands of a fused MoE op that hold one slice per expert (weights,
/// biases, scales, zero points, global scales): each pass reads only the
/// touched experts' slices.
SmallVector<Value> getPerExpertOperands(Operation *op);

/// Values per stored weight element: 8 / `expert_weight_bits` for QMoE's
/// uint8-packed integer weights, 2 for its packed fp4, else 1.
int64_t getExpertWeightPacking(Operation *op);

/// The geometry of fused MoE op `op`, or nullopt with `why` set when a
/// shape it needs is unknown or inconsistent.
std::optional<ExpertGeometry> getExpertGeometry(Operation *op, DimsLookup dims,
                                                std::string &why);

} // namespace mlir::tfperf

#endif
