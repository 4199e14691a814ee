//===- CostAnalysis.cpp - per-op costs of a module ------------------------===//

#include "tfperf/Analysis/CostAnalysis.h"
#include "tfperf/Analysis/RegionWeights.h"
#include "tfperf/Analysis/Roofline.h"
#include "tfperf/Dialect/TFPerf/IR/ExpertRouting.h"
#include "tfperf/Dialect/TFPerf/IR/ONNXNames.h"
#include "tfperf/Dialect/TFPerf/IR/OpFamilies.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Location.h"

using namespace mlir;
using namespace mlir::tfperf;

std::string mlir::tfperf::getNodeName(Operation *op) {
  Location loc = op->getLoc();
  while (true) {
    if (auto name = dyn_cast<NameLoc>(loc))
      return name.getName().str();
    if (auto fused = dyn_cast<FusedLoc>(loc)) {
      for (Location l : fused.getLocations())
        if (auto name = dyn_cast<NameLoc>(l))
          return name.getName().str();
      return "";
    }
    if (auto call = dyn_cast<CallSiteLoc>(loc)) {
      loc = call.getCallee();
      continue;
    }
    return "";
  }
}

std::string mlir::tfperf::getONNXOpType(Operation *op) {
  if (auto custom = dyn_cast<CustomOp>(op)) {
    if (custom.getDomain().empty() || custom.getDomain() == "ai.onnx")
      return custom.getOpType().str();
    return (custom.getDomain() + "." + custom.getOpType()).str();
  }
  // Initializers are graph data, not ONNX nodes.
  if (isa<WeightOp>(op))
    return "Initializer";
  llvm::StringRef opName = op->getName().getStringRef();
  std::optional<ONNXOpName> onnx = lookupONNXName(opName);
  if (!onnx)
    return opName.str();
  if (onnx->domain.empty())
    return onnx->opType.str();
  return (onnx->domain + "." + onnx->opType).str();
}

/// Tiny non-GEMM computations on tiny tensors only: the shape plumbing
/// exporters emit (Shape -> Gather -> Concat, shape arithmetic).
static bool isShapeComputation(Operation *op, const OpCost &cost) {
  // An op that runs subgraphs (a BeamSearch) is the model, not plumbing,
  // however small its inputs and outputs.
  if (op->getNumResults() == 0 || !cost.gemmFlops.isConstant(0) ||
      op->getNumRegions() > 0)
    return false;
  auto tiny = [](Value v) {
    auto t = dyn_cast<RankedTensorType>(v.getType());
    return t && t.hasStaticShape() && t.getNumElements() <= 64;
  };
  return llvm::all_of(op->getResults(), tiny) &&
         llvm::all_of(op->getOperands(), tiny);
}

/// Ops without a cost model that still deserve an "unknown" row: anything
/// that computes tensors (not terminators, constants or structure).
static bool needsCostRow(Operation *op) {
  if (op->hasTrait<OpTrait::IsTerminator>() ||
      op->hasTrait<OpTrait::ConstantLike>() || op->getNumRegions() > 0)
    return false;
  return llvm::any_of(op->getResultTypes(),
                      [](Type t) { return isa<TensorType>(t); });
}

/// Ops on scalars or vectors only (a linalg body, a loop's arithmetic) are
/// parts of an enclosing computation, which counts them; costing them once
/// each would ignore how often they run.
static bool touchesTensorsOrBuffers(Operation *op) {
  auto isData = [](Type t) { return isa<TensorType, BaseMemRefType>(t); };
  return llvm::any_of(op->getOperandTypes(), isData) ||
         llvm::any_of(op->getResultTypes(), isData);
}

/// The search (BeamSearch, GreedySearch, Sampling) whose decoder `op` is in.
static Operation *enclosingSearch(Operation *op) {
  Operation *search = op->getParentOp();
  while (search && !isSearchOp(search))
    search = search->getParentOp();
  return search;
}

CostAnalysis::CostAnalysis(Operation *root) {
  TypeShapeQuery shapes;
  compute(root, [&](Operation *) -> const ShapeQuery & { return shapes; },
          /*wholeGeneration=*/true);
}

CostAnalysis::CostAnalysis(Operation *root, const ShapeQuery &shapes) {
  compute(root, [&](Operation *) -> const ShapeQuery & { return shapes; },
          /*wholeGeneration=*/false);
}

/// A routed expert's linear reads its weights only when a token of the step
/// picks its expert: the expected share of them (docs/CostModel.md, Mixture
/// of Experts in plain ops). Weights the share cannot size stay whole.
static void
readTouchedExpertWeights(OpCost &cost, Operation *op,
                         llvm::function_ref<const ShapeQuery &(Operation *)> select) {
  auto share = routedWeightShare(op, [&](Value v) {
    Operation *at = v.getDefiningOp() ? v.getDefiningOp() : op;
    return select(at).dims(v);
  });
  if (!share)
    return;
  for (TensorAccess &r : cost.reads)
    if (isa_and_nonnull<WeightOp>(getParameterStorage(r.value,
                                                      /*throughSlices=*/true)))
      if (auto n = scaleByShare(r.elements, *share))
        r.elements = *n;
}

CostAnalysis::CostAnalysis(
    Operation *root, llvm::function_ref<const ShapeQuery &(Operation *)> select) {
  compute(root, select, /*wholeGeneration=*/false);
}

/// The first run 1..`runs` at which a dim of `op`'s operands or results
/// (at the decoder's replayed shapes, a function of `symbol`) is below
/// zero: a kernel larger than its input at that run, say. Such a run has no
/// graph to cost (the counts there would be negative, or positive from two
/// negative dims). Dims that keep another unbound symbol are not decided.
static std::optional<std::pair<int64_t, std::string>>
runWithNegativeDim(Operation *op, const ContextShapes &shapes,
                   llvm::StringRef symbol, const SymExpr &runs) {
  std::optional<int64_t> n = summableRuns(runs);
  if (!n)
    return std::nullopt; // sumOverSteps says why
  auto check = [&](Value v) -> std::optional<std::pair<int64_t, std::string>> {
    std::optional<ArrayRef<SymExpr>> dims = shapes.dims(v);
    if (!dims)
      return std::nullopt;
    for (const SymExpr &d : *dims) {
      if (d.isConstant())
        continue;
      llvm::SmallVector<llvm::StringRef> used;
      d.collectSymbols(used);
      if (!llvm::is_contained(used, symbol))
        continue;
      for (int64_t k = 1; k <= *n; ++k) {
        std::optional<int64_t> value = atRun(d, symbol, k).getInt64();
        if (value && *value < 0)
          return std::pair(k, "(" + d.str() + ") is " + std::to_string(*value));
      }
    }
    return std::nullopt;
  };
  for (Value v : op->getOperands())
    if (auto bad = check(v))
      return bad;
  for (Value v : op->getResults())
    if (auto bad = check(v))
      return bad;
  return std::nullopt;
}

/// An op's cost at a subgraph replay's shapes. An attention over a
/// past_present_share_buffer cache attends over the valid keys, the value
/// the replay seeded for its past_sequence_length, not the whole buffer.
static LogicalResult costAtRun(CostOpInterface iface,
                               const ContextShapes &shapes, OpCost &c) {
  if (Value length = getSharedPastLength(iface.getOperation())) {
    const auto *vals = shapes.ctx.getValues(length);
    if (vals && vals->size() == 1 && vals->front().isKnown())
      return computeSharedBufferAttentionCost(iface.getOperation(), shapes,
                                              vals->front(), c);
  }
  return iface.computeCost(shapes, c);
}

void CostAnalysis::compute(
    Operation *root, llvm::function_ref<const ShapeQuery &(Operation *)> select,
    bool wholeGeneration) {
  size_t counter = 0;
  RegionWeights weights(select, wholeGeneration);
  root->walk<WalkOrder::PreOrder>([&](Operation *op) {
    auto iface = dyn_cast<CostOpInterface>(op);
    if (!iface && !needsCostRow(op))
      return;
    if (iface && !touchesTensorsOrBuffers(op))
      return;
    RegionWeight weight = weights.of(op);
    if (!weight.counted)
      return; // an If branch that does not run
    OpCostRecord rec;
    rec.op = op;
    rec.opType = getONNXOpType(op);
    rec.name = getNodeName(op);
    if (rec.name.empty())
      rec.name = op->getName().getStringRef().str() + "#" +
                 std::to_string(counter);
    ++counter;
    if (iface) {
      // A search decoder's ops are costed at one run's shapes, then summed
      // over the runs. In a phase's step, a search scores that step's logits
      // once.
      if (weight.stepShapes)
        rec.known = succeeded(costAtRun(iface, *weight.stepShapes, rec.cost));
      else if (!wholeGeneration && isSearchOp(op))
        rec.known = succeeded(computeSearchStepCost(op, select(op), rec.cost));
      else
        rec.known = succeeded(iface.computeCost(select(op), rec.cost));
    } else {
      rec.cost.unknownReason =
          "no cost model for " + op->getName().getStringRef().str();
    }
    if (rec.known && (namesAbsentValue(rec.cost.reads) ||
                      namesAbsentValue(rec.cost.writes))) {
      rec.known = false;
      rec.cost.unknownReason = "internal error: the cost model of " +
                               op->getName().getStringRef().str() +
                               " names an operand the op lacks";
    }
    if (rec.known && !weight.times.isKnown()) {
      rec.known = false;
      rec.cost.unknownReason = weight.unknownReason;
    }
    if (rec.known)
      readTouchedExpertWeights(rec.cost, op, select);
    if (rec.known)
      scaleCost(rec.cost, weight.times);
    rec.runs = weight.stepShapes ? weight.times * weight.steps : weight.times;
    if (rec.known && weight.stepShapes) {
      if (auto bad = runWithNegativeDim(op, *weight.stepShapes,
                                        weight.stepSymbol, weight.steps)) {
        rec.known = false;
        rec.cost.unknownReason =
            "at decoder run " + std::to_string(bad->first) + " of its " +
            getSearchOpName(enclosingSearch(op)).str() +
            " a dim of its shapes " + bad->second +
            ": no graph to cost there";
      }
    }
    if (rec.known && weight.stepShapes &&
        !sumOverSteps(rec.cost, weight.stepSymbol, weight.steps)) {
      rec.known = false;
      rec.cost.unknownReason =
          "the decoder runs of its " + getSearchOpName(enclosingSearch(op)).str() +
          " (" + weight.steps.str() +
          (weight.firstRunShapes ? " after the first" : "") +
          ") are not a constant of at most " +
          std::to_string(kMaxSummedSteps) +
          ": bind its max_length with --bind-dims";
    }
    // A decoder-only search's first decoder run, over the whole prompt.
    if (weight.firstRunShapes) {
      rec.runs = rec.runs + weight.times;
      OpCost first;
      if (rec.known &&
          failed(costAtRun(iface, *weight.firstRunShapes, first))) {
        rec.known = false;
        rec.cost.unknownReason = first.unknownReason;
      } else if (rec.known) {
        scaleCost(first, weight.times);
        addCost(rec.cost, first);
      }
    }
    if (rec.known && (rec.cost.flops.isOverflow() ||
                      rec.cost.gemmFlops.isOverflow())) {
      rec.known = false;
      rec.cost.unknownReason = "FLOPs overflow 128 bits";
    }
    if (!rec.known && rec.cost.unknownReason.empty())
      rec.cost.unknownReason = "cost unknown";
    rec.isShapeComputation = rec.known && isShapeComputation(op, rec.cost);
    index[op] = records.size();
    records.push_back(std::move(rec));
  });
  keepLargerBranches(root);
}

namespace {
/// What the ops of one region cost in all.
struct RegionTotal {
  SymExpr flops = 0, bits = 0;
  bool allKnown = true;
};
} // namespace

static SymExpr bytesOf(const RegionTotal &t) {
  return SymExpr::ceilDiv(t.bits, SymExpr(8));
}

static RegionTotal totalOf(Region &region, ArrayRef<OpCostRecord> records) {
  RegionTotal total;
  for (const OpCostRecord &rec : records) {
    if (!region.isAncestor(rec.op->getParentRegion()))
      continue;
    total.allKnown &= rec.known;
    total.flops = total.flops + rec.cost.flops;
    total.bits = total.bits + accessBits(rec.cost, DtypePolicy());
  }
  return total;
}

/// -1, 0 or 1 as a < b, a == b, a > b; nullopt when symbols decide.
static std::optional<int> compareCounts(const SymExpr &a, const SymExpr &b) {
  SymExpr d = a - b;
  if (!d.isConstant())
    return std::nullopt;
  return d.getConstant() < 0 ? -1 : d.getConstant() > 0 ? 1 : 0;
}

void CostAnalysis::keepLargerBranches(Operation *root) {
  // Inner Ifs first: an outer one compares branches already decided.
  SmallVector<IfOp> open;
  root->walk([&](IfOp op) {
    if (!op.getConditionValue() && index.count(op))
      open.push_back(op);
  });
  for (IfOp op : open) {
    RegionTotal then = totalOf(op.getThenBranch(), records);
    RegionTotal other = totalOf(op.getElseBranch(), records);
    std::string text;
    llvm::raw_string_ostream os(text);
    os << "condition not constant: then_branch " << then.flops << " FLOP, "
       << bytesOf(then) << " B; else_branch " << other.flops << " FLOP, "
       << bytesOf(other) << " B; ";
    Region *dropped = nullptr;
    if (!then.allKnown || !other.allKnown) {
      os << "a branch has ops of unknown cost, so both are listed";
    } else {
      std::optional<int> cmp = compareCounts(then.flops, other.flops);
      if (cmp && *cmp == 0)
        cmp = compareCounts(then.bits, other.bits);
      bool keepThen = !cmp || *cmp >= 0;
      dropped = keepThen ? &op.getElseBranch() : &op.getThenBranch();
      os << "the bound counts " << (keepThen ? "then_branch" : "else_branch")
         << (cmp ? " (the larger)"
                 : " (the branches compare only once symbols are bound)");
    }
    records[index[op]].note = os.str();
    if (!dropped)
      continue;
    std::vector<OpCostRecord> kept;
    for (OpCostRecord &rec : records)
      if (!dropped->isAncestor(rec.op->getParentRegion()))
        kept.push_back(std::move(rec));
    records = std::move(kept);
    index.clear();
    for (auto [i, rec] : llvm::enumerate(records))
      index[rec.op] = i;
  }
}

const OpCostRecord *CostAnalysis::lookup(Operation *op) const {
  auto it = index.find(op);
  return it == index.end() ? nullptr : &records[it->second];
}
