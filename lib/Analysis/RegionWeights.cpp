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
  } else if (isSearchOp(owner) && wholeGeneration) {
    scheduleSubgraph(owner, region, w);
  }
  // Other regions (T5's encoder; the decoder of a search whose schedule is
  // not modelled, or of any search in a phase's step; a function's body)
  // run once.
  cache.try_emplace(region, w);
  return w;
}

/// The symbol standing for the decoder run in its re-inferred shapes.
static constexpr llvm::StringLiteral kRunSymbol = "beam_search_run";

LogicalResult mlir::tfperf::replaySearchSubgraph(
    Operation *search, Region &region, ContextShapes &shapes,
    llvm::function_ref<LogicalResult(ShapeContext &, std::string &)> seed,
    std::string &reason) {
  if (failed(seed(shapes.ctx, reason))) {
    reason =
        (getSearchOpName(search) + " '" + getNodeName(search) + "': " + reason)
            .str();
    return failure();
  }
  // Ops outside the subgraph it reads (weights, shape constants) have their
  // values from their own shape functions.
  region.walk([&](Operation *inner) {
    for (Value v : inner->getOperands())
      if (Operation *def = v.getDefiningOp())
        if (!region.isAncestor(def->getParentRegion()) &&
            isa<WeightOp, ConstantOp>(def))
          if (auto iface = dyn_cast<ShapeInferenceOpInterface>(def))
            (void)iface.inferShapes(shapes.ctx);
  });
  // The replay is the analysis's, not the user's: its errors become the
  // reason.
  ScopedDiagnosticHandler silence(search->getContext(),
                                  [](Diagnostic &) { return success(); });
  if (failed(inferShapesInRegion(region, shapes.ctx, /*updateTypes=*/false))) {
    reason = ("the shapes of " + getSearchOpName(search) + " '" +
              getNodeName(search) + "''s " +
              (&region == getSearchSubgraph(search, "encoder") ? "encoder"
                                                               : "decoder") +
              " could not be re-derived per run")
                 .str();
    return failure();
  }
  return success();
}

const ContextShapes *RegionWeights::replay(
    Operation *search, Region &region,
    llvm::function_ref<LogicalResult(ShapeContext &, std::string &)> seed,
    std::string &reason) {
  ContextShapes &shapes = stepShapes.emplace_back();
  if (failed(replaySearchSubgraph(search, region, shapes, seed, reason)))
    return nullptr;
  return &shapes;
}

const ContextShapes *RegionWeights::replayEncoder(Operation *search,
                                                  const BeamSearchSchedule &s,
                                                  std::string &reason) {
  if (const ContextShapes *cached = encoderShapes.lookup(search))
    return cached;
  Region *encoder = getSearchSubgraph(search, "encoder");
  const ContextShapes *shapes = replay(
      search, *encoder,
      [&](ShapeContext &ctx, std::string &why) {
        return seedWhisperEncoder(search, *encoder, select(search), s, ctx,
                                  why);
      },
      reason);
  if (shapes)
    encoderShapes[search] = shapes;
  return shapes;
}

const ContextShapes *RegionWeights::replayDecoder(Operation *search,
                                                  Region &decoder,
                                                  const BeamSearchSchedule &s,
                                                  const DecoderRun &run,
                                                  std::string &reason) {
  const ContextShapes *encoder = nullptr;
  if (s.model == SearchModel::Whisper &&
      !(encoder = replayEncoder(search, s, reason)))
    return nullptr;
  return replay(
      search, decoder,
      [&](ShapeContext &ctx, std::string &why) {
        return seedDecoderRun(search, decoder, select(search), s, run, ctx, why,
                              encoder);
      },
      reason);
}

void RegionWeights::scheduleSubgraph(Operation *search, Region *region,
                                     RegionWeight &w) {
  BeamSearchSchedule schedule = getBeamSearchSchedule(search, select(search));
  if (schedule.model == SearchModel::Unmodelled)
    return; // its decoder costed as one step, the search unknown
  Region *decoder = getSearchSubgraph(search, "decoder");
  Region *initDecoder = getSearchSubgraph(search, "init_decoder");
  bool decoderOnly = schedule.model == SearchModel::DecoderOnly;
  bool whisperEncoder = schedule.model == SearchModel::Whisper &&
                        region == getSearchSubgraph(search, "encoder");
  if (region != decoder && !(decoderOnly && region == initDecoder) &&
      !whisperEncoder)
    return; // T5's encoder: once, at its own shapes
  std::string reason = schedule.unknownReason;
  if (!reason.empty())
    reason = (getSearchOpName(search) + " '" + getNodeName(search) + "': " +
              reason)
                 .str();
  // Encoder-decoder and Whisper: run k has a self past of prompt + k - 1
  // tokens; Whisper's encoder runs once on the search's inputs.
  // Decoder-only: the first run over the prompt (in `init_decoder` when
  // present), then the later runs j, one token after a past of prompt +
  // j - 1 (BeamSearchSchedule.h).
  SymExpr run = SymExpr::symbol(kRunSymbol);
  const ContextShapes *steps = nullptr, *first = nullptr;
  if (reason.empty()) {
    if (whisperEncoder)
      steps = replayEncoder(search, schedule, reason);
    else if (!decoderOnly)
      steps = replayDecoder(search, *region, schedule,
                            schedule.encoderDecoderRun(run), reason);
    else if (region == initDecoder)
      steps = replayDecoder(search, *region, schedule, schedule.firstRun(),
                            reason);
    else if ((steps = replayDecoder(search, *region, schedule,
                                    schedule.laterRun(run), reason)) &&
             !initDecoder)
      first = replayDecoder(search, *region, schedule, schedule.firstRun(),
                            reason);
  }
  if (!reason.empty()) {
    if (w.unknownReason.empty())
      w.unknownReason = reason;
    w.times = SymExpr::unknown();
    return;
  }
  w.stepShapes = steps;
  w.stepSymbol = kRunSymbol.str();
  if (whisperEncoder || (decoderOnly && region == initDecoder))
    w.steps = 1;
  else if (!decoderOnly)
    w.steps = schedule.decoderRuns;
  else
    w.steps = schedule.laterRuns();
  w.firstRunShapes = first;
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

/// Adds `more`'s accesses to `into`'s: those of a value `into` already
/// accesses in the same place summed, the others appended.
static void addAccesses(SmallVectorImpl<TensorAccess> &into,
                        ArrayRef<TensorAccess> more) {
  for (auto [i, a] : llvm::enumerate(more)) {
    if (i < into.size() && into[i].value == a.value)
      into[i].elements = into[i].elements + a.elements;
    else
      into.push_back(a);
  }
}

void mlir::tfperf::addCost(OpCost &into, const OpCost &more) {
  into.flops = into.flops + more.flops;
  into.gemmFlops = into.gemmFlops + more.gemmFlops;
  for (auto [i, p] : llvm::enumerate(more.parts)) {
    if (i < into.parts.size() && into.parts[i].name == p.name)
      into.parts[i].flops = into.parts[i].flops + p.flops;
    else
      into.parts.push_back(p);
  }
  addAccesses(into.reads, more.reads);
  addAccesses(into.writes, more.writes);
}

void mlir::tfperf::scaleCost(OpCost &cost, const SymExpr &times) {
  if (times.isConstant(1))
    return;
  mapCounts(cost, [&](const SymExpr &n) { return n * times; });
}

std::optional<int64_t> mlir::tfperf::summableRuns(const SymExpr &steps) {
  std::optional<int64_t> n = steps.getInt64();
  if (!n || *n > kMaxSummedSteps)
    return std::nullopt;
  return n;
}

SymExpr mlir::tfperf::atRun(const SymExpr &e, llvm::StringRef symbol,
                            int64_t k) {
  return e.substitute([&](llvm::StringRef s) {
    return s == symbol ? std::optional<SymExpr>(SymExpr(k)) : std::nullopt;
  });
}

bool mlir::tfperf::sumOverSteps(OpCost &cost, llvm::StringRef symbol,
                                const SymExpr &steps) {
  std::optional<int64_t> n = summableRuns(steps);
  if (!n)
    return false;
  mapCounts(cost, [&](const SymExpr &count) {
    llvm::SmallVector<llvm::StringRef> used;
    count.collectSymbols(used);
    if (!llvm::is_contained(used, symbol))
      return count * SymExpr(*n);
    SymExpr total = 0;
    for (int64_t k = 1; k <= *n; ++k)
      total = total + atRun(count, symbol, k);
    return total;
  });
  return true;
}
