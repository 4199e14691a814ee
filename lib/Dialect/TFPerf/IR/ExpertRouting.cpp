//===- ExpertRouting.cpp - routers of plain Mixture-of-Experts graphs -----===//

#include "tfperf/Dialect/TFPerf/IR/ExpertRouting.h"
#include "tfperf/Dialect/TFPerf/IR/OpFamilies.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <deque>

using namespace mlir;
using namespace mlir::tfperf;

std::optional<MoeRouting> mlir::tfperf::parseMoeRouting(llvm::StringRef name) {
  MoeRouting r;
  if (name == "balanced")
    return r;
  if (name == "none") {
    r.kind = MoeRouting::Kind::None;
    return r;
  }
  double s = 0;
  if (!name.consume_front("zipf:") || name.trim() != name ||
      name.getAsDouble(s) || !std::isfinite(s) || s < 0)
    return std::nullopt;
  r.kind = MoeRouting::Kind::Zipf;
  r.zipf = s;
  return r;
}

std::optional<double> mlir::tfperf::getRoutingZipf(Operation *op) {
  if (auto s = op->getAttrOfType<FloatAttr>(kRoutedZipfAttr))
    return s.getValueAsDouble();
  return std::nullopt;
}

std::optional<double>
mlir::tfperf::findRoutingZipf(llvm::ArrayRef<Operation *> ops) {
  for (Operation *op : ops)
    if (auto s = getRoutingZipf(op))
      return s;
  return std::nullopt;
}

std::vector<double> mlir::tfperf::zipfInclusion(int64_t experts, int64_t topK,
                                                double s) {
  if (experts < 1)
    return {};
  size_t n = size_t(experts);
  std::vector<double> popularity(n), inclusion(n, 0.0);
  for (size_t i = 0; i < n; ++i)
    popularity[i] = std::pow(double(i + 1), -s);
  double k = double(std::clamp<int64_t>(topK, 0, experts));
  // Popularity falls with i, so the capped experts are a prefix: cap until
  // the spread of what is left puts no expert above 1.
  size_t capped = 0;
  while (capped < n) {
    double left = k - double(capped), mass = 0;
    for (size_t i = capped; i < n; ++i)
      mass += popularity[i];
    if (mass <= 0) {
      // Past double's range the popularity of the tail is 0: the limit
      // gives the next whole experts every token.
      for (size_t i = capped; i < n; ++i)
        inclusion[i] = i < capped + size_t(left) ? 1.0 : 0.0;
      break;
    }
    bool over = false;
    for (size_t i = capped; i < n; ++i) {
      inclusion[i] = left * popularity[i] / mass;
      over |= inclusion[i] > 1.0;
    }
    if (!over)
      break;
    while (capped < n && inclusion[capped] > 1.0)
      inclusion[capped++] = 1.0;
  }
  return inclusion;
}

/// Cumulative quotas are taken in units of 2^-30 of an inclusion: a count
/// is off its quota by at most 1/2 + T 2^-31 more than the exact rounding.
static constexpr int64_t kQuotaUnits = int64_t(1) << 30;

SymExpr mlir::tfperf::skewedRoutedTokens(const SymExpr &pairs,
                                         llvm::ArrayRef<double> inclusion,
                                         int64_t index) {
  // Cumulative inclusion in quota units; the last is k units exactly, so
  // the counts telescope to `pairs`.
  double sum = 0;
  for (double p : inclusion)
    sum += p;
  int64_t k = std::max<int64_t>(1, std::llround(sum));
  int64_t whole = k * kQuotaUnits;
  auto cumulative = [&](int64_t upTo) -> int64_t {
    if (upTo >= (int64_t)inclusion.size())
      return whole;
    double c = 0;
    for (int64_t i = 0; i < upTo; ++i)
      c += inclusion[i];
    return std::clamp<int64_t>(std::llround(c * double(kQuotaUnits)), 0,
                               whole);
  };
  // round(x) = floor(x + 1/2), in whole-units arithmetic; all the pairs at
  // the end, written so that the counts' sum simplifies to `pairs`.
  auto rounded = [&](int64_t units) {
    if (units == whole)
      return pairs;
    return SymExpr::floorDiv(pairs * SymExpr(units) + SymExpr(whole / 2),
                             SymExpr(whole));
  };
  return rounded(cumulative(index + 1)) - rounded(cumulative(index));
}

double mlir::tfperf::touchedShare(double inclusion, double tokens) {
  if (tokens <= 0)
    return 0;
  return 1.0 - std::pow(1.0 - inclusion, tokens);
}

double mlir::tfperf::expectedTouchedExperts(llvm::ArrayRef<double> inclusion,
                                            double tokens) {
  double touched = 0;
  for (double p : inclusion)
    touched += touchedShare(p, tokens);
  return touched;
}

double mlir::tfperf::busiestDeviceShare(llvm::ArrayRef<double> weights,
                                        int64_t ep) {
  if (ep < 1 || weights.empty() || weights.size() % size_t(ep) != 0)
    return 1.0;
  size_t per = weights.size() / size_t(ep);
  double total = 0, busiest = 0;
  for (size_t d = 0; d < size_t(ep); ++d) {
    double load = 0;
    for (size_t i = d * per; i < (d + 1) * per; ++i)
      load += weights[i];
    total += load;
    busiest = std::max(busiest, load);
  }
  return total > 0 ? busiest / total : 1.0 / double(ep);
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
  return touchedShare(std::min(topK, experts) / experts, tokens);
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
  // Under a skewed routing each expert is touched by its own inclusion.
  auto index = sel->getAttrOfType<IntegerAttr>(kRoutedExpertAttr);
  if (auto s = getRoutingZipf(sel); s && index) {
    std::vector<double> inclusion =
        zipfInclusion(experts.getInt(), topK.getInt(), *s);
    if (index.getInt() < 0 || index.getInt() >= (int64_t)inclusion.size())
      return std::nullopt;
    return touchedShare(inclusion[index.getInt()], tokens);
  }
  return touchedExpertShare(double(experts.getInt()), double(topK.getInt()),
                            tokens);
}

std::string mlir::tfperf::zipfRoutingName(double s) {
  std::string out = "zipf:";
  llvm::raw_string_ostream os(out);
  os << llvm::format("%.10g", s);
  return out;
}

RoutingSkew mlir::tfperf::describeRoutingSkew(int64_t experts, int64_t topK,
                                             double s) {
  RoutingSkew r;
  r.name = zipfRoutingName(s);
  r.zipf = s;
  r.inclusion = zipfInclusion(experts, topK, s);
  if (r.inclusion.empty() || topK < 1)
    return r;
  // Popularity falls with i: expert 0 is the busiest.
  r.busiestExpertShare = r.inclusion.front() / double(topK);
  r.busiestExpertLoadFactor = r.busiestExpertShare * double(experts);
  return r;
}
