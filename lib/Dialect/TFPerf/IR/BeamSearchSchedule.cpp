//===- BeamSearchSchedule.cpp - how often BeamSearch runs its subgraphs ---===//
//
// The schedule of an encoder-decoder BeamSearch and the cost of the search
// itself; the cost analysis sums the decoder's ops over the runs
// (lib/Analysis/RegionWeights.cpp).
//
//===----------------------------------------------------------------------===//

#include "tfperf/Dialect/TFPerf/IR/BeamSearchSchedule.h"
#include "CostUtils.h"
#include "InferenceUtils.h"
#include "tfperf/Dialect/TFPerf/Utils/ShapeInference.h"

using namespace mlir;
using namespace mlir::tfperf;

/// onnxruntime's model_type for an encoder-decoder (T5, BART).
static constexpr int64_t kEncoderDecoder = 1;

/// Per candidate and search step: log-softmax (5: max, subtract, exp, sum,
/// log), adding the beam's score (1) and the top-k compare (1).
static constexpr int64_t kSearchFlopsPerCandidate = 7;

Region *mlir::tfperf::getBeamSearchSubgraph(MSBeamSearchOp op,
                                            StringRef name) {
  for (auto [attr, region] :
       llvm::zip(op.getSubgraphNames(), op.getSubgraphs()))
    if (cast<StringAttr>(attr).getValue() == name && !region.empty())
      return &region;
  return nullptr;
}

/// A scalar integer operand's value: a constant's or an initializer's, or
/// the value symbol of the graph input it is; Unknown otherwise.
static SymExpr scalarOperand(Value v) {
  Operation *def = v.getDefiningOp();
  if (isa_and_nonnull<WeightOp, ConstantOp>(def)) {
    if (auto vals = infer::valuesFromAttr(def->getAttr("value")))
      if (vals->size() == 1)
        return vals->front();
    return SymExpr::unknown();
  }
  auto arg = dyn_cast<BlockArgument>(v);
  auto func = arg ? dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp())
                  : func::FuncOp();
  if (func)
    if (auto name = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(),
                                                      kValueSymbolAttr))
      return SymExpr::symbol(name.getValue());
  return SymExpr::unknown();
}

bool mlir::tfperf::isEncoderDecoderSearch(MSBeamSearchOp op) {
  // onnxruntime's default model_type is 0 (GPT-2).
  auto type = op->getAttrOfType<IntegerAttr>("model_type");
  return type && type.getInt() == kEncoderDecoder;
}

BeamSearchSchedule mlir::tfperf::getBeamSearchSchedule(MSBeamSearchOp op,
                                                       const ShapeQuery &q) {
  BeamSearchSchedule s;
  if (!isEncoderDecoderSearch(op)) {
    s.unknownReason = "BeamSearch's cost depends on the search; the ops of "
                      "its decoder subgraph are costed as one decoding step";
    return s;
  }
  if (!getBeamSearchSubgraph(op, "encoder") ||
      !getBeamSearchSubgraph(op, "decoder")) {
    s.unknownReason = "BeamSearch lacks its encoder or decoder subgraph";
    return s;
  }
  auto ids = q.dims(op.getInputIds());
  auto seqs = q.dims(op.getSequences());
  if (ids && !ids->empty())
    s.batch = ids->front();
  if (seqs && seqs->size() == 3)
    s.maxLength = seqs->back();
  s.beams = scalarOperand(op.getNumBeams());
  if (!s.batch.isKnown() || !s.maxLength.isKnown() || !s.beams.isKnown()) {
    s.unknownReason = "BeamSearch's batch, max_length or num_beams is unknown";
    return s;
  }
  s.decoderRuns = SymExpr::max(s.maxLength - SymExpr(2), SymExpr(0));
  s.searchSteps = SymExpr::max(s.maxLength - SymExpr(1), SymExpr(0));
  return s;
}

LogicalResult mlir::tfperf::seedDecoderRun(MSBeamSearchOp op,
                                           const ShapeQuery &q,
                                           const BeamSearchSchedule &schedule,
                                           const SymExpr &past,
                                           ShapeContext &ctx,
                                           std::string &reason) {
  Block &decoder = getBeamSearchSubgraph(op, "decoder")->front();
  auto isPast = [](BlockArgument a) {
    auto t = dyn_cast<RankedTensorType>(a.getType());
    return t && t.getRank() == 4;
  };
  size_t pasts = llvm::count_if(decoder.getArguments(), isPast);
  if (pasts == 0 || pasts % 4 != 0) {
    reason = "BeamSearch's decoder has " + std::to_string(pasts) +
             " rank-4 past inputs, not self and cross K and V per layer";
    return failure();
  }
  SymExpr rows = schedule.batch * schedule.beams;
  size_t selfLeft = pasts / 2;
  for (BlockArgument a : decoder.getArguments()) {
    TensorInfo info = tensorInfoFromType(a.getType());
    if (auto dims = q.dims(a))
      info.dims.assign(dims->begin(), dims->end());
    if (info.ranked && !info.dims.empty())
      info.dims[0] = rows;
    if (isPast(a) && selfLeft > 0 && info.dims.size() == 4) {
      info.dims[2] = past;
      --selfLeft;
    }
    ctx.set(a, std::move(info));
  }
  return success();
}

LogicalResult MSBeamSearchOp::computeCost(const ShapeQuery &q, OpCost &c) {
  BeamSearchSchedule s = getBeamSearchSchedule(*this, q);
  if (!s.unknownReason.empty()) {
    c.unknownReason = s.unknownReason;
    return failure();
  }
  // The candidates of one step: each beam's logits over the vocabulary.
  auto y = dyn_cast<YieldOp>(
      getBeamSearchSubgraph(*this, "decoder")->front().getTerminator());
  auto logits =
      y && y.getNumOperands() ? q.dims(y.getOperand(0)) : std::nullopt;
  if (!logits || logits->empty() || !logits->back().isKnown()) {
    c.unknownReason = "BeamSearch's vocabulary (the decoder's logits) is "
                      "unknown";
    return failure();
  }
  SymExpr candidates =
      s.searchSteps * s.batch * s.beams * logits->back();
  c.flops = candidates * SymExpr(kSearchFlopsPerCandidate);
  c.read(y.getOperand(0), candidates);
  for (Value r : getResults()) {
    auto n = cost::elements(q, r, c);
    if (!n)
      return failure();
    c.write(r, *n);
  }
  return success();
}
