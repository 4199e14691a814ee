//===- ExpertRouting.h - routers of plain Mixture-of-Experts graphs -*- C++ -*-===//
//
// A Mixture-of-Experts written in plain ops (what torch.onnx.export makes of
// Mixtral's or DeepSeek's MoE block): a gate GEMM whose scores (through
// softmax or sigmoid) a TopK ranks, and per routed expert a NonZero over a
// mask of the picked expert indices that selects the expert's tokens. How
// many tokens each expert gets depends on the data: a symbol at import, a
// number under a routing model (the tfperf-route-experts pass,
// docs/CostModel.md#mixture-of-experts-in-plain-ops).
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_DIALECT_TFPERF_IR_EXPERTROUTING_H
#define TFPERF_DIALECT_TFPERF_IR_EXPERTROUTING_H

#include "tfperf/Dialect/TFPerf/IR/ExpertGeometry.h"
#include "tfperf/Support/SymExpr.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir::tfperf {

/// How a plain MoE's routed token counts are evaluated: `balanced`, T·k/E
/// per expert; `none`, left as the `nnz_<node>` symbols; `zipf:<s>`, expert
/// i's popularity falling as (i + 1)^-s; `loads:<file>`, each expert's
/// popularity from measured loads (readExpertLoads) (docs/CostModel.md).
struct MoeRouting {
  enum class Kind { Balanced, None, Zipf, Loads };
  Kind kind = Kind::Balanced;
  /// Zipf's exponent s (finite, >= 0).
  double zipf = 0;
  /// The loads file of `loads:<file>`.
  std::string loadsFile;
  /// True when the counts differ from balanced's (zipf with s > 0); a
  /// loads file is skewed unless its loads are uniform (the pass decides).
  bool isSkewed() const { return kind == Kind::Zipf && zipf > 0; }
};
/// The routing named `name` (`balanced`, `none`, `zipf:<s>` with s a finite
/// number >= 0, `loads:<file>` with a non-empty path), or nullopt. The file
/// is not read here.
std::optional<MoeRouting> parseMoeRouting(llvm::StringRef name);
/// The routings parseMoeRouting accepts, for error messages.
constexpr llvm::StringLiteral kMoeRoutingSyntax =
    "balanced, none, zipf:<s> with s a finite number >= 0, or loads:<file>";

/// Measured per-expert loads (`--moe-routing=loads:<file>`, the expert-load
/// statistics of vLLM, SGLang or DeepSpeed): a text file of one line of E
/// non-negative numbers per MoE layer in graph order, or one line for every
/// layer; numbers separated by commas or blanks, `#` to the end of a line a
/// comment, blank lines skipped. Counts or fractions alike: each line is
/// normalised to the popularity p_i (sum 1).
struct ExpertLoads {
  std::string file;
  /// Per list: its popularity and its line in the file (1-based).
  std::vector<std::vector<double>> popularity;
  std::vector<unsigned> lines;
  /// True when list `i`'s loads are all equal (balanced routing).
  bool isUniform(size_t i) const;
};
/// Reads and checks the loads file `path`; nullopt with `error` set (the
/// file and line named) when it cannot be read or a list is malformed (not
/// a number, negative, NaN or infinite, all zero) or there is none.
std::optional<ExpertLoads> readExpertLoads(llvm::StringRef path,
                                           std::string &error);

/// The routing of one plain MoE block.
struct ExpertRouter {
  /// The gate GEMM (router logits) and the TopK picking the experts.
  Operation *gate = nullptr;
  Operation *topK = nullptr;
  /// E (the gate's width) and k.
  int64_t experts = 0, k = 0;
  /// The NonZero selecting each routed expert's tokens, in walk order (the
  /// order the export runs the experts in).
  llvm::SmallVector<Operation *, 16> selections;
};

/// The routers of `func`: TopKs with a constant k over a gate GEMM's scores
/// of a static width, whose indices feed NonZero selections.
std::vector<ExpertRouter> findExpertRouters(func::FuncOp func);

/// Ops of `func` by walk position, to put what a search found in graph order.
class WalkPositions {
public:
  explicit WalkPositions(func::FuncOp func);
  void sort(llvm::MutableArrayRef<Operation *> ops) const;

private:
  llvm::DenseMap<Operation *, size_t> positions;
};

/// Attributes of a selection (NonZero) that a routing model sized: the
/// router's experts and this selection's expert index.
constexpr llvm::StringLiteral kRoutedExpertsAttr = "tfperf.routed_experts";
constexpr llvm::StringLiteral kRoutedExpertAttr = "tfperf.routed_expert";

/// Attribute of a routed expert's linear that a routing model sized: its
/// router's k (with kRoutedExpertsAttr, E), so that a step reads the share
/// of its weights that the step's tokens touch. A skewed routing puts it on
/// the selections too.
constexpr llvm::StringLiteral kRoutedTopKAttr = "tfperf.routed_top_k";

/// Attribute of the selections, routed linears and fused MoE ops that a
/// skewed routing (zipf:<s>, s > 0) sized: s, as an f64.
constexpr llvm::StringLiteral kRoutedZipfAttr = "tfperf.routed_zipf";

/// Attributes of the same ops under loads:<file> when the router's loads
/// are not uniform: the experts' popularity p_i (f64 array, sum 1) and the
/// routing's name (`loads:<file>`).
constexpr llvm::StringLiteral kRoutedLoadsAttr = "tfperf.routed_loads";
constexpr llvm::StringLiteral kRoutedModelAttr = "tfperf.routed_model";

/// The Zipf exponent `op` was marked with (kRoutedZipfAttr), or nullopt
/// (balanced routing).
std::optional<double> getRoutingZipf(Operation *op);

/// True when a skewed routing (zipf or loads) marked `op`.
bool isRoutingSkewed(Operation *op);

/// The first of `ops` a skewed routing marked, or null.
Operation *findSkewedRouting(llvm::ArrayRef<Operation *> ops);

/// The name of the skewed routing that marked `op`: `zipf:<s>` or
/// `loads:<file>`; empty when none did.
std::string getRoutingName(Operation *op);

/// The per-token inclusion of each of the `experts` experts (top-k) of the
/// router a skewed routing marked `op` for (zipfInclusion, or
/// popularityInclusion of its loads); empty when none did or the loads do
/// not have `experts` entries.
std::vector<double> getRoutingInclusion(Operation *op, int64_t experts,
                                        int64_t topK);

/// Per-token inclusion probabilities of experts of popularity `popularity`
/// (sum 1) picked k at a time: pi_i = k p_i capped at 1, the excess spread
/// over the uncapped experts in proportion to p (repeated until none
/// exceeds 1), so that sum pi_i = k. Should the uncapped experts' popularity
/// run out (a Zipf tail past double's range), the next whole uncapped ones
/// in index order take every token: the limit.
std::vector<double> popularityInclusion(llvm::ArrayRef<double> popularity,
                                        int64_t topK);

/// Per-token inclusion probabilities of the E experts under zipf:<s>:
/// popularity p_i proportional to (i + 1)^-s, popularityInclusion. s = 0
/// gives k/E each.
std::vector<double> zipfInclusion(int64_t experts, int64_t topK, double s);

/// Expert `index`'s share of the `pairs` = T k (token, expert) pairs under
/// inclusion probabilities `inclusion` (k = their sum): the difference of
/// the rounded cumulative quotas, round(pairs P_{i+1} / k) - round(pairs P_i
/// / k) with P_i = pi_0 + ... + pi_{i-1} taken in units of 2^-30. The counts
/// telescope to exactly `pairs` whatever it is (a symbol too), each is
/// within one of its quota T pi_i (and T 2^-30), and any run of experts (a
/// device's) gets its rounded quota.
SymExpr skewedRoutedTokens(const SymExpr &pairs,
                           llvm::ArrayRef<double> inclusion, int64_t index);

/// The chance that a batch of `tokens` tokens routes at least one token to
/// an expert each token includes with probability `inclusion`:
/// 1 - (1 - inclusion)^tokens.
double touchedShare(double inclusion, double tokens);

/// Expected distinct experts a batch of `tokens` tokens touches:
/// sum_i 1 - (1 - pi_i)^tokens.
double expectedTouchedExperts(llvm::ArrayRef<double> inclusion, double tokens);

/// The routing's name as the flag spells it: `zipf:<s>`.
std::string zipfRoutingName(double s);

/// What a skewed routing does to the routers of E experts and top-k.
struct RoutingSkew {
  /// The routing's name, s under zipf, and the first MoE layer's experts'
  /// inclusions.
  std::string name;
  std::optional<double> zipf;
  std::vector<double> inclusion;
  /// Per MoE layer in graph order, its inclusions (k/E each for a layer at
  /// balanced routing); one entry when every layer routes alike.
  std::vector<std::vector<double>> layers;
  /// The first layer's busiest expert's share of the (token, expert) pairs,
  /// and that over the mean 1/E (max/mean load).
  double busiestExpertShare = 0, busiestExpertLoadFactor = 0;
  /// The layers' mean of each layer's busiestDeviceShare over `ep` devices:
  /// of the pairs, or with `tokens` of the experts a batch of that many
  /// tokens touches (each layer's all-to-all waits for its busiest device).
  double busiestDeviceShare(int64_t ep,
                            std::optional<double> tokens = std::nullopt) const;
  /// The layers' mean of the distinct experts a batch of `tokens` touches.
  double expectedTouchedExperts(double tokens) const;
};
/// The skew of layers of inclusions `layers` (at least one) under the
/// routing `name` (s given under zipf).
RoutingSkew describeRoutingSkew(std::string name, std::optional<double> zipf,
                                std::vector<std::vector<double>> layers,
                                int64_t topK);

/// Experts split contiguously over `ep` devices (device d holds experts
/// d E/ep .. (d + 1) E/ep - 1): the largest sum of `weights` one device's
/// experts make, over the sum of all (1/ep when they are equal). `ep` must
/// divide their count.
double busiestDeviceShare(llvm::ArrayRef<double> weights, int64_t ep);

/// Balanced routing: expert `index` of `experts` gets floor((pairs + index)
/// / experts) of the `pairs` (token, expert) pairs, pairs / E each on
/// average; summed over the experts that is exactly `pairs` (Hermite's
/// identity), so the routed GEMM FLOPs total T k whatever T is.
SymExpr balancedRoutedTokens(const SymExpr &pairs, int64_t experts,
                             int64_t index);

/// Expected distinct experts a batch of `tokens` tokens routes to, each
/// picking k of E uniformly: E (1 - (1 - k/E)^tokens).
double expectedTouchedExperts(double experts, double topK, double tokens);

/// The chance that a batch of `tokens` tokens, each picking k of E
/// uniformly, routes at least one token to a given expert:
/// 1 - (1 - k/E)^tokens (expectedTouchedExperts / E).
double touchedExpertShare(double experts, double topK, double tokens);

/// `elements` (of all E experts' weights) times `share`, rounded to a whole
/// count: the expected elements a step reads. Nullopt unless `elements` is
/// a number.
std::optional<SymExpr> scaleByShare(const SymExpr &elements, double share);

/// The share of routed linear `linear`'s weights a step reads under the
/// routing model (tfperf-route-experts marked it): touchedExpertShare at the
/// T tokens of its selection's mask (T k elements), as `dims` sizes it.
/// Nullopt when the linear is not marked or T is not a number (the weights
/// are then read whole: an upper bound).
std::optional<double> routedWeightShare(Operation *linear, DimsLookup dims);

} // namespace mlir::tfperf

#endif
