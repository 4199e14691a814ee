//===- AttentionDims.cpp - the dims of ONNX Attention ops -----------------===//

#include "AttentionDims.h"

using namespace mlir;
using namespace mlir::tfperf;

std::optional<AttentionDims>
mlir::tfperf::readAttentionDims(DimsGetter dimsOf, Value q, Value k, Value v,
                                Value pastKey, std::optional<int64_t> qHeads,
                                std::optional<int64_t> kvHeads,
                                std::string &why) {
  auto qd = dimsOf(q), kd = dimsOf(k), vd = dimsOf(v);
  if (!qd || !kd || !vd)
    return std::nullopt;
  size_t r = qd->size();
  if ((r != 3 && r != 4) || kd->size() != r || vd->size() != r) {
    why = "Q, K and V must all be 3-D or all 4-D";
    return std::nullopt;
  }
  AttentionDims a;
  a.b = (*qd)[0];
  if (r == 4) {
    a.qHeads = (*qd)[1];
    a.s = (*qd)[2];
    a.headQK = (*qd)[3];
    a.kvHeads = (*kd)[1];
    a.l = (*kd)[2];
    a.headV = (*vd)[3];
  } else {
    if (!qHeads || !kvHeads || *qHeads <= 0 || *kvHeads <= 0) {
      why = "3-D Q, K and V need q_num_heads and kv_num_heads";
      return std::nullopt;
    }
    a.packed = true;
    a.qHeads = SymExpr(*qHeads);
    a.kvHeads = SymExpr(*kvHeads);
    a.s = (*qd)[1];
    a.l = (*kd)[1];
    auto hq = (*qd)[2].divExact(a.qHeads);
    auto hv = (*vd)[2].divExact(a.kvHeads);
    if (!hq || !hv) {
      why = "the hidden sizes of Q and V do not split into their heads";
      return std::nullopt;
    }
    a.headQK = *hq;
    a.headV = *hv;
  }
  a.t = a.l;
  if (pastKey) {
    auto pd = dimsOf(pastKey);
    if (!pd)
      return std::nullopt;
    if (pd->size() != 4) {
      why = "past_key must be [B, Nkv, P, H]";
      return std::nullopt;
    }
    a.t = (*pd)[2] + a.l;
  }
  return a;
}

std::optional<LinearAttentionDims>
mlir::tfperf::readLinearAttentionDims(DimsGetter dimsOf, Value query,
                                      Value value, int64_t qHeads,
                                      int64_t kvHeads, std::string &why) {
  auto qd = dimsOf(query), vd = dimsOf(value);
  if (!qd || !vd)
    return std::nullopt;
  if (qd->size() != 3 || vd->size() != 3) {
    why = "query and value must be [B, T, N*D]";
    return std::nullopt;
  }
  if (qHeads <= 0 || kvHeads <= 0) {
    why = "q_num_heads and kv_num_heads must be positive";
    return std::nullopt;
  }
  LinearAttentionDims a{(*qd)[0], (*qd)[1], SymExpr(qHeads), SymExpr(kvHeads),
                        SymExpr(), SymExpr()};
  auto dk = (*qd)[2].divExact(a.qHeads), dv = (*vd)[2].divExact(a.kvHeads);
  if (!dk || !dv) {
    why = "query and value widths do not split into heads";
    return std::nullopt;
  }
  a.dk = *dk;
  a.dv = *dv;
  return a;
}
