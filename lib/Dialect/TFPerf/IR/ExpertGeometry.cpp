//===- ExpertGeometry.cpp - the experts of a fused MoE op -----------------===//

#include "tfperf/Dialect/TFPerf/IR/ExpertGeometry.h"
#include "tfperf/Dialect/TFPerf/IR/ExpertRouting.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace mlir::tfperf;

SymExpr ExpertGeometry::gemmFlopsPerRoutedToken() const {
  return SymExpr(2) * hidden * (upRows + inter);
}

SymExpr ExpertGeometry::routedTokens() const {
  return tokens * SymExpr(topK);
}

SymExpr ExpertGeometry::overTouchedExperts(const SymExpr &perExpert) const {
  if (experts.isConstant() && tokens.isConstant()) {
    double e = int128ToDouble(experts.getConstant()),
           t = int128ToDouble(tokens.getConstant());
    double share = touchedExpertShare(e, double(topK), t);
    if (!inclusion.empty() && (double)inclusion.size() == e)
      share = expectedTouchedExperts(inclusion, t) / e;
    if (auto n = scaleByShare(perExpert * experts, share))
      return *n;
  }
  return perExpert * SymExpr::min(experts, routedTokens());
}

bool mlir::tfperf::isFusedMoE(Operation *op) {
  return isa<MSMoEOp, MSQMoEOp>(op);
}

SmallVector<Value> mlir::tfperf::getPerExpertOperands(Operation *op) {
  SmallVector<Value> vs;
  if (auto m = dyn_cast<MSMoEOp>(op))
    vs = {m.getFc1ExpertsWeights(), m.getFc1ExpertsBias(),
          m.getFc2ExpertsWeights(), m.getFc2ExpertsBias(),
          m.getFc3ExpertsWeights(), m.getFc3ExpertsBias()};
  else if (auto m = dyn_cast<MSQMoEOp>(op))
    vs = {m.getFc1ExpertsWeights(), m.getFc1Scales(),     m.getFc1ExpertsBias(),
          m.getFc1ZeroPoints(),     m.getFc1GlobalScale(), m.getFc2ExpertsWeights(),
          m.getFc2Scales(),         m.getFc2ExpertsBias(), m.getFc2ZeroPoints(),
          m.getFc2GlobalScale(),    m.getFc3ExpertsWeights(), m.getFc3Scales(),
          m.getFc3ExpertsBias(),    m.getFc3ZeroPoints()};
  llvm::erase_if(vs, [](Value v) { return !v; });
  return vs;
}

int64_t mlir::tfperf::getExpertWeightPacking(Operation *op) {
  auto m = dyn_cast<MSQMoEOp>(op);
  if (!m)
    return 1;
  // Only a byte-typed weight packs several values per element; fp8 and the
  // typed sub-byte element types hold one value each.
  auto t = dyn_cast<ShapedType>(m.getFc1ExpertsWeights().getType());
  if (!t || !t.getElementType().isInteger(8))
    return 1;
  StringRef quant = m.getQuantType();
  if (quant == "fp4" || quant == "nvfp4" || quant == "wfp4afp8")
    return 2;
  int64_t bits = m.getExpertWeightBits();
  return bits > 0 && bits < 8 && 8 % bits == 0 ? 8 / bits : 1;
}

/// Dims of `v` of rank `rank`, or nullopt with `why` set.
static std::optional<ArrayRef<SymExpr>> dimsOfRank(DimsLookup dims, Value v,
                                                   size_t rank, StringRef name,
                                                   std::string &why) {
  auto d = dims(v);
  if (!d || d->size() != rank || llvm::any_of(*d, [](const SymExpr &e) {
        return !e.isKnown();
      })) {
    why = ("MoE " + name + " must have a known rank-" + Twine(rank) + " shape")
              .str();
    return std::nullopt;
  }
  return d;
}

std::optional<ExpertGeometry>
mlir::tfperf::getExpertGeometry(Operation *op, DimsLookup dims,
                                std::string &why) {
  if (!isFusedMoE(op)) {
    why = "not a fused MoE op";
    return std::nullopt;
  }
  // Both ops start (input, router_probs, fc1_experts_weights); fc2 and fc3
  // come by name.
  Value fc2, fc3;
  int64_t k = 1;
  if (auto m = dyn_cast<MSMoEOp>(op)) {
    fc2 = m.getFc2ExpertsWeights();
    fc3 = m.getFc3ExpertsWeights();
    k = m.getK();
  } else {
    auto q = cast<MSQMoEOp>(op);
    fc2 = q.getFc2ExpertsWeights();
    fc3 = q.getFc3ExpertsWeights();
    k = q.getK();
  }
  auto in = dims(op->getOperand(0));
  if (!in || in->empty()) {
    why = "MoE input must have a known rank";
    return std::nullopt;
  }
  auto fc1d = dimsOfRank(dims, op->getOperand(2), 3, "fc1_experts_weights", why);
  auto fc2d = dimsOfRank(dims, fc2, 3, "fc2_experts_weights", why);
  if (!fc1d || !fc2d)
    return std::nullopt;
  if (k < 1) {
    why = "MoE k must be at least 1";
    return std::nullopt;
  }
  ExpertGeometry g;
  g.experts = (*fc1d)[0];
  if (auto e = g.experts.getInt64(); e && isRoutingSkewed(op))
    g.inclusion = getRoutingInclusion(op, *e, k);
  g.topK = k;
  g.tokens = SymExpr(1);
  for (const SymExpr &d : in->drop_back())
    g.tokens = g.tokens * d;
  g.hidden = in->back();
  SymExpr pack(getExpertWeightPacking(op));
  g.inter = (*fc2d)[2] * pack;
  g.upRows = (*fc1d)[1];
  if (fc3) {
    auto fc3d = dimsOfRank(dims, fc3, 3, "fc3_experts_weights", why);
    if (!fc3d)
      return std::nullopt;
    g.upRows = g.upRows + (*fc3d)[1];
  }
  if ((*fc1d)[2] * pack != g.hidden || (*fc2d)[1] != g.hidden) {
    why = "MoE expert weights do not match the input's hidden size";
    return std::nullopt;
  }
  return g;
}
