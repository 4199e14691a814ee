//===- AttentionDims.h - the dims of ONNX Attention ops ---------*- C++ -*-===//
//
// Private to the dialect library. ONNX Attention (3-D or 4-D inputs, GQA,
// a KV cache) and FlexAttention describe the same attention by their
// operand shapes; shape inference, the cost and the backward read them
// from here, so the three agree.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_LIB_DIALECT_ATTENTIONDIMS_H
#define TFPERF_LIB_DIALECT_ATTENTIONDIMS_H

#include "tfperf/Support/SymExpr.h"

#include "mlir/IR/Value.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <optional>
#include <string>

namespace mlir::tfperf {

/// B batches of Nq query heads (S queries each) attending to T = P + L keys
/// of Nkv KV heads (P cached, L new).
struct AttentionDims {
  SymExpr b, qHeads, kvHeads, s, l, t, headQK, headV;
  /// Q, K, V pack the heads in their last dim ([B, S, N*H]).
  bool packed = false;
};

/// Dims of a value, or nullopt when unranked.
using DimsGetter =
    llvm::function_ref<std::optional<ArrayRef<SymExpr>>(Value)>;

/// The dims of attention over `q`, `k`, `v` (4-D, or 3-D with the head
/// counts given) with an optional `pastKey` [B, Nkv, P, H]; nullopt with
/// `why` set when they cannot be read (`why` empty: an operand is unranked).
std::optional<AttentionDims>
readAttentionDims(DimsGetter dimsOf, Value q, Value k, Value v, Value pastKey,
                  std::optional<int64_t> qHeads,
                  std::optional<int64_t> kvHeads, std::string &why);

/// LinearAttention over B x T tokens: Nq query heads of Dk read the states
/// of Nkv KV heads, each Dk x Dv.
struct LinearAttentionDims {
  SymExpr b, t, qHeads, kvHeads, dk, dv;
};

/// The dims of linear attention over `query` [B, T, Nq*Dk] and `value`
/// [B, T, Nkv*Dv]; nullopt as for readAttentionDims.
std::optional<LinearAttentionDims>
readLinearAttentionDims(DimsGetter dimsOf, Value query, Value value,
                        int64_t qHeads, int64_t kvHeads, std::string &why);

} // namespace mlir::tfperf

#endif
