//===- RegionWeights.h - how often control-flow regions run -----*- C++ -*-===//
//
// An op inside a Loop body runs once per iteration, inside a Scan body once
// per slice, inside an If branch only when that branch is taken, inside a
// search's decoder (BeamSearch, GreedySearch, Sampling) once per decoder run
// at that run's sizes (Whisper's encoder once, at the search's inputs). The
// cost analysis multiplies each op's cost by the weight of the region it is
// in (docs/CostModel.md#control-flow); an attention over a shared past
// buffer costs the valid keys the run's past_sequence_length holds.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_REGIONWEIGHTS_H
#define TFPERF_ANALYSIS_REGIONWEIGHTS_H

#include "tfperf/Dialect/TFPerf/IR/BeamSearchSchedule.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"
#include "tfperf/Interfaces/CostOpInterface.h"
#include "tfperf/Interfaces/ShapeInferenceOpInterface.h"

#include "mlir/IR/Operation.h"
#include "llvm/ADT/DenseMap.h"

#include <deque>
#include <string>

namespace mlir::tfperf {

/// Shapes a shape-inference replay derived (a search's decoder at a run,
/// Whisper's encoder); its values hold a shared past's valid length.
class ContextShapes : public ShapeQuery {
public:
  std::optional<ArrayRef<SymExpr>> dims(Value v) const override {
    return ctx.getDims(v);
  }
  mutable ShapeContext ctx;
};

/// How often the ops directly in a region run per run of the graph.
struct RegionWeight {
  SymExpr times = 1;
  /// False in the branch of an If whose condition folded the other way.
  bool counted = true;
  /// Why `times` is unknown (a Scan over an input of unknown shape).
  std::string unknownReason;
  /// In a region whose runs differ in size (a BeamSearch decoder, its past
  /// one token longer each run): the shapes of run `stepSymbol` (1-based),
  /// and how many runs there are. The cost is summed over the runs.
  /// Whisper's encoder: its one run's shapes.
  const ContextShapes *stepShapes = nullptr;
  std::string stepSymbol;
  SymExpr steps = 1;
  /// A decoder-only search's decoder runs once more, first, at these
  /// shapes: over the whole prompt with no past.
  const ContextShapes *firstRunShapes = nullptr;
};

class RegionWeights {
public:
  /// Without `wholeGeneration` (a phase's one step), a BeamSearch decoder
  /// runs once, at `select`'s shapes.
  RegionWeights(llvm::function_ref<const ShapeQuery &(Operation *)> select,
                bool wholeGeneration)
      : select(select), wholeGeneration(wholeGeneration) {}
  /// The weight of the region `op` is in (1 at the top level).
  RegionWeight of(Operation *op);

private:
  RegionWeight ofRegion(Region *region);
  /// The weight of a search's subgraph `region`: a decoder's runs, each
  /// run's shapes; an encoder's one run.
  void scheduleSubgraph(Operation *search, Region *region, RegionWeight &w);
  /// The shapes of `decoder` at `run`, re-inferred from its inputs; null
  /// with `reason` when they cannot be.
  const ContextShapes *replayDecoder(Operation *search, Region &decoder,
                                     const BeamSearchSchedule &schedule,
                                     const DecoderRun &run,
                                     std::string &reason);
  /// Whisper's encoder's shapes at its one run (cached per search); null
  /// with `reason` when they cannot be derived.
  const ContextShapes *replayEncoder(Operation *search,
                                     const BeamSearchSchedule &schedule,
                                     std::string &reason);
  /// Re-infers `region`'s shapes from the inputs `seed` sets.
  const ContextShapes *
  replay(Operation *search, Region &region,
         llvm::function_ref<LogicalResult(ShapeContext &, std::string &)> seed,
         std::string &reason);

  llvm::function_ref<const ShapeQuery &(Operation *)> select;
  bool wholeGeneration;
  llvm::DenseMap<Region *, RegionWeight> cache;
  /// The subgraphs' re-inferred shapes, one to three per search.
  std::deque<ContextShapes> stepShapes;
  llvm::DenseMap<Operation *, const ContextShapes *> encoderShapes;
};

/// Re-infers the shapes of `search`'s subgraph `region` into `shapes` from
/// the inputs `seed` sets (the weights and constants it reads from outside
/// at their own shapes). Fails with `reason`, naming the search, when
/// seeding or inference fails.
LogicalResult
replaySearchSubgraph(Operation *search, Region &region, ContextShapes &shapes,
                     llvm::function_ref<LogicalResult(ShapeContext &,
                                                      std::string &)>
                         seed,
                     std::string &reason);

/// Adds every count of `more` to `into`'s (the same op at other shapes).
void addCost(OpCost &into, const OpCost &more);
/// Multiplies every count of `cost` (FLOPs, parts, accesses) by `times`.
void scaleCost(OpCost &cost, const SymExpr &times);
/// Most steps summed one by one (a BeamSearch's max_length bounds them).
constexpr int64_t kMaxSummedSteps = 1 << 16;
/// The number of runs `steps` when it is a constant of at most
/// kMaxSummedSteps (the runs can be summed one by one), else nullopt.
std::optional<int64_t> summableRuns(const SymExpr &steps);
/// `e` at run `k`: `symbol` replaced by k.
SymExpr atRun(const SymExpr &e, llvm::StringRef symbol, int64_t k);
/// Replaces every count of `cost` by its sum over `symbol` = 1..`steps`;
/// false when `steps` is not summable (summableRuns).
bool sumOverSteps(OpCost &cost, llvm::StringRef symbol, const SymExpr &steps);

} // namespace mlir::tfperf

#endif
