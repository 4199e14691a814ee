//===- ExpertRouting.cpp - routers of plain Mixture-of-Experts graphs -----===//

#include "tfperf/Dialect/TFPerf/IR/ExpertRouting.h"
#include "tfperf/Dialect/TFPerf/IR/OpFamilies.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "mlir/IR/BuiltinTypes.h"

#include <cmath>
#include <deque>

using namespace mlir;
using namespace mlir::tfperf;

std::optional<MoeRouting> mlir::tfperf::parseMoeRouting(llvm::StringRef name) {
  if (name == "balanced")
    return MoeRouting::Balanced;
  if (name == "none")
    return MoeRouting::None;
  return std::nullopt;
}

/// The gate GEMM behind a TopK's scores: back through the score function
/// (softmax, sigmoid), a bias, casts and views.
static Operation *findGate(Value scores) {
  for (int steps = 0; steps < 8 && scores; ++steps) {
    Operation *def = scores.getDefiningOp();
    if (!def)
      return nullptr;
    if (isa<MatMulOp, GemmOp>(def))
      return def;
    if (!isa<SoftmaxOp, SigmoidOp, CastOp, AddOp>(def) && !isViewLike(def))
      return nullptr;
    scores = def->getOperand(0);
  }
  return nullptr;
}

static bool isIndexValue(Value v) {
  auto t = dyn_cast<ShapedType>(v.getType());
  return t && t.getElementType().isInteger();
}

/// The NonZero ops that select tokens by the picked expert indices: forward
/// from the indices through integer and boolean values only (masks,
/// one-hot, comparisons, views), never into the data path.
static SmallVector<Operation *, 16> findSelections(Value indices) {
  SmallVector<Operation *, 16> found;
  llvm::DenseSet<Operation *> seen;
  std::deque<Value> queue = {indices};
  while (!queue.empty()) {
    Value v = queue.front();
    queue.pop_front();
    for (Operation *u : v.getUsers()) {
      if (!seen.insert(u).second)
        continue;
      if (isa<NonZeroOp>(u)) {
        found.push_back(u);
        continue;
      }
      if (isContraction(u) || isa<TopKOp>(u))
        continue;
      for (Value r : u->getResults())
        if (isIndexValue(r))
          queue.push_back(r);
    }
  }
  return found;
}

WalkPositions::WalkPositions(func::FuncOp func) {
  func.walk([&](Operation *op) { positions[op] = positions.size(); });
}

void WalkPositions::sort(MutableArrayRef<Operation *> ops) const {
  llvm::sort(ops, [&](Operation *a, Operation *b) {
    return positions.lookup(a) < positions.lookup(b);
  });
}

std::vector<ExpertRouter> mlir::tfperf::findExpertRouters(func::FuncOp func) {
  std::vector<ExpertRouter> routers;
  WalkPositions order(func);
  func.walk([&](TopKOp topK) {
    // E and k as the shapes say (k folded from shape math or a constant).
    auto scores = dyn_cast<RankedTensorType>(topK.getInput().getType());
    auto picked = dyn_cast<RankedTensorType>(topK.getIndices().getType());
    if (!scores || !picked || scores.getRank() != picked.getRank())
      return;
    int64_t axis = topK.getAxis() < 0 ? topK.getAxis() + scores.getRank()
                                      : topK.getAxis();
    if (axis < 0 || axis >= scores.getRank() || scores.isDynamicDim(axis) ||
        picked.isDynamicDim(axis))
      return;
    ExpertRouter r;
    r.gate = findGate(topK.getInput());
    r.topK = topK;
    r.experts = scores.getDimSize(axis);
    r.k = picked.getDimSize(axis);
    r.selections = findSelections(topK.getIndices());
    if (!r.gate || r.selections.empty() || r.k < 1 || r.k > r.experts)
      return;
    order.sort(r.selections);
    routers.push_back(std::move(r));
  });
  return routers;
}

SymExpr mlir::tfperf::balancedRoutedTokens(const SymExpr &pairs,
                                           int64_t experts, int64_t index) {
  return SymExpr::floorDiv(pairs + SymExpr(index % experts), SymExpr(experts));
}

double mlir::tfperf::touchedExpertShare(double experts, double topK,
                                        double tokens) {
  if (experts <= 0 || tokens <= 0)
    return 0;
  double miss = 1.0 - std::min(topK, experts) / experts;
  return 1.0 - std::pow(miss, tokens);
}

double mlir::tfperf::expectedTouchedExperts(double experts, double topK,
                                            double tokens) {
  return experts * touchedExpertShare(experts, topK, tokens);
}

std::optional<SymExpr> mlir::tfperf::scaleByShare(const SymExpr &elements,
                                                  double share) {
  if (!elements.isConstant())
    return std::nullopt;
  return SymExpr((int64_t)std::llround(
      int128ToDouble(elements.getConstant()) * share));
}

/// The selection a routed linear runs on: the nearest NonZero the routing
/// model sized, upstream of its operands (its gathered tokens' index path is
/// a few ops long; another expert's selection lies past a whole block).
static NonZeroOp findRoutedSelection(Operation *linear) {
  std::deque<Operation *> queue = {linear};
  llvm::DenseSet<Operation *> seen = {linear};
  constexpr size_t kMaxVisited = 64;
  while (!queue.empty() && seen.size() < kMaxVisited) {
    Operation *op = queue.front();
    queue.pop_front();
    for (Value v : op->getOperands()) {
      Operation *def = v.getDefiningOp();
      if (!def || !seen.insert(def).second)
        continue;
      if (auto sel = dyn_cast<NonZeroOp>(def);
          sel && sel->hasAttr(kRoutedExpertsAttr))
        return sel;
      queue.push_back(def);
    }
  }
  return nullptr;
}

std::optional<double> mlir::tfperf::routedWeightShare(Operation *linear,
                                                      DimsLookup dims) {
  auto experts = linear->getAttrOfType<IntegerAttr>(kRoutedExpertsAttr);
  auto topK = linear->getAttrOfType<IntegerAttr>(kRoutedTopKAttr);
  if (!experts || !topK || experts.getInt() < 1 || topK.getInt() < 1)
    return std::nullopt;
  NonZeroOp sel = findRoutedSelection(linear);
  if (!sel)
    return std::nullopt;
  auto mask = dims(sel.getInput());
  if (!mask)
    return std::nullopt;
  SymExpr pairs = product(*mask);
  if (!pairs.isConstant())
    return std::nullopt;
  double tokens = int128ToDouble(pairs.getConstant()) / double(topK.getInt());
  return touchedExpertShare(double(experts.getInt()), double(topK.getInt()),
                            tokens);
}
