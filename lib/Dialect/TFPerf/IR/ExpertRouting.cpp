//===- ExpertRouting.cpp - routers of plain Mixture-of-Experts graphs -----===//

#include "tfperf/Dialect/TFPerf/IR/ExpertRouting.h"
#include "tfperf/Dialect/TFPerf/IR/OpFamilies.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
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
  if (name.consume_front("loads:")) {
    if (name.empty())
      return std::nullopt;
    r.kind = MoeRouting::Kind::Loads;
    r.loadsFile = name.str();
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

bool ExpertLoads::isUniform(size_t i) const {
  const std::vector<double> &p = popularity[i];
  return llvm::all_of(p, [&](double x) { return x == p.front(); });
}

std::optional<ExpertLoads> mlir::tfperf::readExpertLoads(llvm::StringRef path,
                                                         std::string &error) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer) {
    error = (path + ": cannot read the loads file: " +
             buffer.getError().message())
                .str();
    return std::nullopt;
  }
  ExpertLoads out;
  out.file = path.str();
  SmallVector<StringRef> lines;
  (*buffer)->getBuffer().split(lines, '\n');
  for (auto [i, raw] : llvm::enumerate(lines)) {
    unsigned line = unsigned(i) + 1;
    auto fail = [&](const Twine &why) {
      error = (path + ":" + Twine(line) + ": " + why).str();
      return std::nullopt;
    };
    StringRef text = raw.split('#').first.trim();
    if (text.empty())
      continue;
    SmallVector<StringRef> fields;
    text.split(fields, ','); // KeepEmpty: `1,,2` is an error
    std::vector<double> loads;
    for (StringRef field : fields) {
      // Blanks separate numbers too.
      SmallVector<StringRef> numbers;
      llvm::SplitString(field, numbers, " \t\r");
      if (numbers.empty())
        return fail("an empty field between commas");
      for (StringRef n : numbers) {
        double x = 0;
        if (n.trim().getAsDouble(x))
          return fail("'" + n.trim() + "' is not a number");
        if (!std::isfinite(x))
          return fail("load '" + n.trim() + "' of expert " +
                      Twine(loads.size()) + " is not finite");
        if (x < 0)
          return fail("load " + n.trim() + " of expert " +
                      Twine(loads.size()) + " is negative");
        loads.push_back(x);
      }
    }
    double total = 0;
    for (double x : loads)
      total += x;
    if (!(total > 0) || !std::isfinite(total))
      return fail(total > 0 ? "the loads' sum is not finite"
                            : "the loads are all zero");
    for (double &x : loads)
      x /= total;
    out.popularity.push_back(std::move(loads));
    out.lines.push_back(line);
  }
  if (out.popularity.empty()) {
    error = (path + ": no loads (one line of per-expert loads per MoE layer, "
                    "or one for all)")
                .str();
    return std::nullopt;
  }
  return out;
}

std::optional<double> mlir::tfperf::getRoutingZipf(Operation *op) {
  if (auto s = op->getAttrOfType<FloatAttr>(kRoutedZipfAttr))
    return s.getValueAsDouble();
  return std::nullopt;
}

bool mlir::tfperf::isRoutingSkewed(Operation *op) {
  return op->hasAttr(kRoutedZipfAttr) || op->hasAttr(kRoutedLoadsAttr);
}

Operation *mlir::tfperf::findSkewedRouting(llvm::ArrayRef<Operation *> ops) {
  for (Operation *op : ops)
    if (isRoutingSkewed(op))
      return op;
  return nullptr;
}

std::string mlir::tfperf::getRoutingName(Operation *op) {
  if (auto s = getRoutingZipf(op))
    return zipfRoutingName(*s);
  if (auto name = op->getAttrOfType<StringAttr>(kRoutedModelAttr))
    return name.str();
  return {};
}

std::vector<double> mlir::tfperf::getRoutingInclusion(Operation *op,
                                                      int64_t experts,
                                                      int64_t topK) {
  if (auto s = getRoutingZipf(op))
    return zipfInclusion(experts, topK, *s);
  auto loads = op->getAttrOfType<DenseF64ArrayAttr>(kRoutedLoadsAttr);
  if (!loads || (int64_t)loads.size() != experts)
    return {};
  return popularityInclusion(loads.asArrayRef(), topK);
}

std::vector<double>
mlir::tfperf::popularityInclusion(llvm::ArrayRef<double> popularity,
                                  int64_t topK) {
  size_t n = popularity.size();
  std::vector<double> inclusion(n, 0.0);
  std::vector<bool> isCapped(n, false);
  double k = double(std::clamp<int64_t>(topK, 0, (int64_t)n));
  // Cap the experts above 1 until the spread of what is left puts none
  // above 1 (under Zipf the capped experts are a prefix).
  size_t capped = 0;
  while (capped < n) {
    double left = k - double(capped), mass = 0;
    for (size_t i = 0; i < n; ++i)
      if (!isCapped[i])
        mass += popularity[i];
    if (mass <= 0) {
      // Past double's range the popularity of the tail is 0: the limit
      // gives the next whole experts every token.
      size_t whole = size_t(left);
      for (size_t i = 0; i < n; ++i)
        if (!isCapped[i])
          inclusion[i] = whole > 0 ? (--whole, 1.0) : 0.0;
      break;
    }
    bool over = false;
    for (size_t i = 0; i < n; ++i)
      if (!isCapped[i]) {
        inclusion[i] = left * popularity[i] / mass;
        over |= inclusion[i] > 1.0;
      }
    if (!over)
      break;
    for (size_t i = 0; i < n; ++i)
      if (!isCapped[i] && inclusion[i] > 1.0) {
        inclusion[i] = 1.0;
        isCapped[i] = true;
        ++capped;
      }
  }
  return inclusion;
}

std::vector<double> mlir::tfperf::zipfInclusion(int64_t experts, int64_t topK,
                                                double s) {
  if (experts < 1)
    return {};
  std::vector<double> popularity((size_t)experts);
  for (size_t i = 0; i < popularity.size(); ++i)
    popularity[i] = std::pow(double(i + 1), -s);
  return popularityInclusion(popularity, topK);
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
  if (isRoutingSkewed(sel) && index) {
    std::vector<double> inclusion =
        getRoutingInclusion(sel, experts.getInt(), topK.getInt());
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

RoutingSkew mlir::tfperf::describeRoutingSkew(
    std::string name, std::optional<double> zipf,
    std::vector<std::vector<double>> layers, int64_t topK) {
  RoutingSkew r;
  r.name = std::move(name);
  r.zipf = zipf;
  // Layers that route alike count once: their mean is the first's, exactly.
  if (llvm::all_equal(layers))
    layers.resize(std::min<size_t>(layers.size(), 1));
  r.layers = std::move(layers);
  if (!r.layers.empty())
    r.inclusion = r.layers.front();
  if (r.inclusion.empty() || topK < 1)
    return r;
  r.busiestExpertShare =
      *std::max_element(r.inclusion.begin(), r.inclusion.end()) / double(topK);
  r.busiestExpertLoadFactor =
      r.busiestExpertShare * double(r.inclusion.size());
  return r;
}

double RoutingSkew::busiestDeviceShare(int64_t ep,
                                       std::optional<double> tokens) const {
  if (layers.empty())
    return 1.0 / double(std::max<int64_t>(ep, 1));
  double sum = 0;
  for (const std::vector<double> &inclusion : layers) {
    std::vector<double> weights = inclusion;
    if (tokens)
      for (double &w : weights)
        w = touchedShare(w, *tokens);
    sum += mlir::tfperf::busiestDeviceShare(weights, ep);
  }
  return sum / double(layers.size());
}

double RoutingSkew::expectedTouchedExperts(double tokens) const {
  double sum = 0;
  for (const std::vector<double> &inclusion : layers)
    sum += mlir::tfperf::expectedTouchedExperts(inclusion, tokens);
  return layers.empty() ? 0 : sum / double(layers.size());
}
