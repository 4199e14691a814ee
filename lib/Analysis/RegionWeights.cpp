//===- RegionWeights.cpp - how often control-flow regions run -------------===//

#include "tfperf/Analysis/RegionWeights.h"
#include "tfperf/Analysis/CostAnalysis.h"
#include "tfperf/Dialect/TFPerf/IR/BeamSearchSchedule.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"
#include "tfperf/Dialect/TFPerf/Utils/ShapeInference.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace mlir::tfperf;

RegionWeight RegionWeights::of(Operation *op) {
  Region *region = op->getParentRegion();
  return region ? ofRegion(region) : RegionWeight();
}

RegionWeight RegionWeights::ofRegion(Region *region) {
  auto it = cache.find(region);
  if (it != cache.end())
    return it->second;
  Operation *owner = region->getParentOp();
  RegionWeight w = of(owner);
  if (auto ifOp = dyn_cast<IfOp>(owner)) {
    if (auto taken = ifOp.getConditionValue())
      w.counted &= (region == &ifOp.getThenBranch()) == *taken;
  } else if (auto loop = dyn_cast<LoopOp>(owner)) {
    w.times = w.times * loop.getIterations();
  } else if (auto scan = dyn_cast<ScanOp>(owner)) {
    SymExpr length = scan.getScanLength(select(owner));
    if (!length.isKnown() && w.unknownReason.empty())
      w.unknownReason = "the scan length of Scan '" + getNodeName(owner) +
                        "' is unknown";
    w.times = w.times * length;
  } else if (auto search = dyn_cast<MSBeamSearchOp>(owner)) {
    if (wholeGeneration && isEncoderDecoderSearch(search) &&
        region == getBeamSearchSubgraph(search, "decoder"))
      stepDecoder(search, w);
  }
  // Other regions (BeamSearch's encoder; the decoder of a GPT-2 search, or
  // of any search in a phase's step; a function's body) run once.
  cache.try_emplace(region, w);
  return w;
}

/// The symbol standing for the decoder run in its re-inferred shapes.
static constexpr llvm::StringLiteral kRunSymbol = "beam_search_run";

void RegionWeights::stepDecoder(MSBeamSearchOp op, RegionWeight &w) {
  const ShapeQuery &outer = select(op);
  BeamSearchSchedule schedule = getBeamSearchSchedule(op, outer);
  std::string reason = schedule.unknownReason;
  // Run k has a self-attention past of k tokens.
  ContextShapes &shapes = stepShapes.emplace_back();
  if (reason.empty() &&
      succeeded(seedDecoderRun(op, outer, schedule,
                               SymExpr::symbol(kRunSymbol), shapes.ctx,
                               reason))) {
    // Ops outside the decoder it reads (weights, shape constants) have
    // their values from their own shape functions.
    Region &decoder = *getBeamSearchSubgraph(op, "decoder");
    decoder.walk([&](Operation *inner) {
      for (Value v : inner->getOperands())
        if (Operation *def = v.getDefiningOp())
          if (!decoder.isAncestor(def->getParentRegion()) &&
              isa<WeightOp, ConstantOp>(def))
            if (auto iface = dyn_cast<ShapeInferenceOpInterface>(def))
              (void)iface.inferShapes(shapes.ctx);
    });
    // The replay is the analysis's, not the user's: its errors become the
    // reason below.
    ScopedDiagnosticHandler silence(op.getContext(),
                                    [](Diagnostic &) { return success(); });
    if (failed(inferShapesInRegion(decoder, shapes.ctx, /*updateTypes=*/false)))
      reason = "the shapes of BeamSearch '" + getNodeName(op) +
               "''s decoder could not be re-derived per run";
  }
  if (!reason.empty()) {
    if (w.unknownReason.empty())
      w.unknownReason = reason;
    w.times = SymExpr::unknown();
    return;
  }
  w.stepShapes = &shapes;
  w.stepSymbol = kRunSymbol.str();
  w.steps = schedule.decoderRuns;
}

/// Applies `fn` to every count of `cost` (FLOPs, parts, accesses).
static void mapCounts(OpCost &cost,
                      llvm::function_ref<SymExpr(const SymExpr &)> fn) {
  cost.flops = fn(cost.flops);
  cost.gemmFlops = fn(cost.gemmFlops);
  for (CostPart &p : cost.parts)
    p.flops = fn(p.flops);
  for (TensorAccess &a : cost.reads)
    a.elements = fn(a.elements);
  for (TensorAccess &a : cost.writes)
    a.elements = fn(a.elements);
}

void mlir::tfperf::scaleCost(OpCost &cost, const SymExpr &times) {
  if (times.isConstant(1))
    return;
  mapCounts(cost, [&](const SymExpr &n) { return n * times; });
}

bool mlir::tfperf::sumOverSteps(OpCost &cost, llvm::StringRef symbol,
                                const SymExpr &steps) {
  std::optional<int64_t> n = steps.getInt64();
  if (!n || *n > kMaxSummedSteps)
    return false;
  mapCounts(cost, [&](const SymExpr &count) {
    llvm::SmallVector<llvm::StringRef> used;
    count.collectSymbols(used);
    if (!llvm::is_contained(used, symbol))
      return count * SymExpr(*n);
    SymExpr total = 0;
    for (int64_t k = 1; k <= *n; ++k)
      total = total + count.substitute([&](llvm::StringRef s) {
                return s == symbol ? std::optional<SymExpr>(SymExpr(k))
                                   : std::nullopt;
              });
    return total;
  });
  return true;
}
