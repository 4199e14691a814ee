//===- BeamSearchSchedule.cpp - how often a search runs its subgraphs -----===//
//
// The schedule of a BeamSearch, GreedySearch or Sampling and the cost of the
// search itself; the cost analysis sums the decoder's ops over the runs
// (lib/Analysis/RegionWeights.cpp).
//
//===----------------------------------------------------------------------===//

#include "tfperf/Dialect/TFPerf/IR/BeamSearchSchedule.h"
#include "CostUtils.h"
#include "InferenceUtils.h"
#include "tfperf/Dialect/TFPerf/Utils/ShapeInference.h"

using namespace mlir;
using namespace mlir::tfperf;

/// onnxruntime's model_type: 0 decoder-only (GPT-2, the default), 1
/// encoder-decoder (T5, BART), 2 Whisper (IGenerationParameters).
static constexpr int64_t kDecoderOnly = 0, kEncoderDecoder = 1, kWhisper = 2;

/// Per candidate and search step: log-softmax (5: max, subtract, exp, sum,
/// log), adding the beam's score (1) and the top-k compare (1).
static constexpr int64_t kSearchFlopsPerCandidate = 7;

bool mlir::tfperf::isSearchOp(Operation *op) {
  return isa<MSBeamSearchOp, MSWhisperBeamSearchOp, MSGreedySearchOp,
             MSSamplingOp>(op);
}

/// `get` of a beam search, BeamSearch or WhisperBeamSearch (their operands
/// share names); null for the greedy searches.
template <typename Getter>
static Value beamSearchOperand(Operation *search, Getter get) {
  if (auto b = dyn_cast<MSBeamSearchOp>(search))
    return get(b);
  if (auto w = dyn_cast<MSWhisperBeamSearchOp>(search))
    return get(w);
  return Value();
}

static Value numBeamsOperand(Operation *search) {
  return beamSearchOperand(search, [](auto op) { return op.getNumBeams(); });
}

/// Whisper's decoder_input_ids: the tokens the decoder starts from.
static Value decoderInputIds(Operation *search) {
  return beamSearchOperand(search,
                           [](auto op) { return op.getDecoderInputIds(); });
}

SymExpr mlir::tfperf::getWhisperStartTokens(Operation *search,
                                            ShapeContext &ctx) {
  Value start = decoderInputIds(search);
  if (!start)
    return SymExpr(1);
  const TensorInfo &info = ctx.get(start);
  return info.ranked && info.dims.size() == 2 ? info.dims[1]
                                              : SymExpr::unknown();
}

StringRef mlir::tfperf::getSearchOpName(Operation *op) {
  if (isa<MSGreedySearchOp>(op))
    return "GreedySearch";
  if (isa<MSSamplingOp>(op))
    return "Sampling";
  if (isa<MSWhisperBeamSearchOp>(op))
    return "WhisperBeamSearch";
  return "BeamSearch";
}

Region *mlir::tfperf::getSearchSubgraph(Operation *search, StringRef name) {
  auto names = search->getAttrOfType<ArrayAttr>("subgraph_names");
  if (!names)
    return nullptr;
  for (auto [attr, region] : llvm::zip(names, search->getRegions()))
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

void mlir::tfperf::recordBoundBeams(Operation *search, ShapeContext &ctx) {
  Value numBeams = numBeamsOperand(search);
  if (!numBeams || !isa<BlockArgument>(numBeams))
    return;
  const auto *vals = ctx.getValues(numBeams);
  if (vals && vals->size() == 1)
    if (std::optional<int64_t> n = vals->front().getInt64())
      search->setAttr(kBoundBeamsAttr,
                      IntegerAttr::get(IntegerType::get(search->getContext(),
                                                        64),
                                       *n));
}

void mlir::tfperf::recordSharedPastLength(Operation *op, ShapeContext &ctx) {
  Value length = getSharedPastLength(op);
  // A search's decoder runs at the lengths each run seeds, never at one.
  for (Operation *p = op->getParentOp(); length && p; p = p->getParentOp())
    if (isSearchOp(p))
      return;
  const auto *vals = length ? ctx.getValues(length) : nullptr;
  if (vals && vals->size() == 1 && vals->front().isKnown())
    op->setAttr(kPastLengthValueAttr,
                StringAttr::get(op->getContext(), vals->front().str()));
}

SearchModel mlir::tfperf::getSearchModel(Operation *search) {
  auto type = search->getAttrOfType<IntegerAttr>("model_type");
  // WhisperBeamSearch takes model_type 2 only, its default.
  bool whisperOp = isa<MSWhisperBeamSearchOp>(search);
  int64_t model = type ? type.getInt() : whisperOp ? kWhisper : kDecoderOnly;
  if (whisperOp && model != kWhisper)
    return SearchModel::Unmodelled;
  if (model == kEncoderDecoder)
    return SearchModel::EncoderDecoder;
  if (model == kDecoderOnly)
    return SearchModel::DecoderOnly;
  if (model == kWhisper)
    return SearchModel::Whisper;
  return SearchModel::Unmodelled;
}

/// Why a search cannot run: onnxruntime requires max_length (the operand's
/// constant, else `seqsLength`, the bound last dim of `sequences`) to exceed
/// the tokens before the first generated one (`prompt`;
/// BeamSearchParameters::ParseFromInputs). Empty when it can, or when either
/// is a formula.
static std::string badMaxLength(Operation *search, const SymExpr &seqsLength,
                                const SymExpr &prompt) {
  SymExpr maxLength = scalarOperand(search->getOperand(1));
  if (!maxLength.isConstant())
    maxLength = seqsLength;
  std::optional<int64_t> n = maxLength.getInt64(), p = prompt.getInt64();
  if (!n || !p || *n > *p)
    return "";
  return (getSearchOpName(search) + "'s max_length " + std::to_string(*n) +
          " is not greater than the prompt's " + std::to_string(*p) +
          " tokens: onnxruntime rejects it")
      .str();
}

BeamSearchSchedule mlir::tfperf::getBeamSearchSchedule(Operation *search,
                                                       const ShapeQuery &q) {
  BeamSearchSchedule s;
  s.model = getSearchModel(search);
  StringRef name = getSearchOpName(search);
  if (s.model == SearchModel::Unmodelled) {
    s.unknownReason =
        isa<MSWhisperBeamSearchOp>(search)
            ? "WhisperBeamSearch runs Whisper (model_type 2) only: "
              "onnxruntime rejects any other model_type"
            : (name + "'s cost depends on the search; the ops of its "
                      "decoder subgraph are costed as one decoding step")
                  .str();
    return s;
  }
  if (auto share =
          search->getAttrOfType<IntegerAttr>("past_present_share_buffer"))
    s.shareBuffer = share.getInt() != 0;
  bool whisper = s.model == SearchModel::Whisper;
  if (!getSearchSubgraph(search, "decoder") ||
      (s.hasEncoder() && !getSearchSubgraph(search, "encoder"))) {
    s.unknownReason =
        (name + (s.hasEncoder() ? " lacks its encoder or decoder subgraph"
                                : " lacks its decoder subgraph"))
            .str();
    return s;
  }
  auto ids = q.dims(search->getOperand(0));
  auto seqs = q.dims(search->getResult(0));
  if (whisper) {
    // input_features [batch, feature_size, frames]; the decoder starts
    // after decoder_input_ids [batch, L0], one start token when absent.
    if (!ids || ids->size() != 3) {
      s.unknownReason = (name + "'s input_features are not [batch, "
                                "feature_size, frames] (Whisper)")
                            .str();
      return s;
    }
    s.batch = ids->front();
    s.prompt = 1;
    if (Value start = decoderInputIds(search)) {
      auto startDims = q.dims(start);
      s.prompt = startDims && startDims->size() == 2 ? startDims->back()
                                                     : SymExpr::unknown();
    }
  } else if (ids && ids->size() == 2) {
    s.batch = ids->front();
    // T5's decoder starts after decoder_start_token_id alone.
    s.prompt = s.hasEncoder() ? SymExpr(1) : ids->back();
  }
  if (seqs && !seqs->empty())
    s.maxLength = seqs->back();
  Value numBeams = numBeamsOperand(search);
  s.beams = numBeams ? scalarOperand(numBeams) : SymExpr(1);
  if (auto bound = search->getAttrOfType<IntegerAttr>(kBoundBeamsAttr))
    s.beams = SymExpr(bound.getInt());
  if (s.model != SearchModel::EncoderDecoder) {
    s.unknownReason = badMaxLength(search, s.maxLength, s.prompt);
    if (!s.unknownReason.empty())
      return s;
  }
  if (!s.batch.isKnown() || !s.maxLength.isKnown() || !s.beams.isKnown() ||
      !s.prompt.isKnown()) {
    s.unknownReason =
        (name + "'s batch, prompt, max_length or num_beams is unknown").str();
    return s;
  }
  if (s.hasEncoder()) {
    s.decoderRuns =
        SymExpr::max(s.maxLength - s.prompt - SymExpr(1), SymExpr(0));
    s.searchSteps = SymExpr::max(s.maxLength - s.prompt, SymExpr(0));
  } else {
    s.decoderRuns = s.maxLength - s.prompt;
    s.searchSteps = s.decoderRuns;
  }
  return s;
}

/// A decoder input's shape: the query's dims, else its type's.
static TensorInfo declaredInfo(BlockArgument a, const ShapeQuery &q) {
  TensorInfo info = tensorInfoFromType(a.getType());
  if (auto dims = q.dims(a))
    info.dims.assign(dims->begin(), dims->end());
  return info;
}

static bool hasRank(BlockArgument a, int64_t rank) {
  auto t = dyn_cast<RankedTensorType>(a.getType());
  return t && t.getRank() == rank;
}

/// ORT's T5 decoder: input_ids, encoder_attention_mask, (encoder hidden
/// states,) past_self_* then past_cross_* [rows, heads, past, head size].
static LogicalResult seedEncoderDecoderRun(Block &decoder, const ShapeQuery &q,
                                           const SymExpr &rows,
                                           const DecoderRun &run,
                                           ShapeContext &ctx,
                                           std::string &reason) {
  auto isPast = [](BlockArgument a) { return hasRank(a, 4); };
  size_t pasts = llvm::count_if(decoder.getArguments(), isPast);
  if (pasts == 0 || pasts % 4 != 0) {
    reason = "BeamSearch's decoder has " + std::to_string(pasts) +
             " rank-4 past inputs, not self and cross K and V per layer";
    return failure();
  }
  size_t selfLeft = pasts / 2;
  for (BlockArgument a : decoder.getArguments()) {
    TensorInfo info = declaredInfo(a, q);
    if (info.ranked && !info.dims.empty())
      info.dims[0] = rows;
    if (isPast(a) && selfLeft > 0 && info.dims.size() == 4) {
      info.dims[2] = run.past;
      --selfLeft;
    }
    ctx.set(a, std::move(info));
  }
  return success();
}

static bool isScalarLike(BlockArgument a) {
  auto t = dyn_cast<RankedTensorType>(a.getType());
  return t && t.getRank() <= 1;
}

/// past_present_share_buffer's trailing decoder inputs after the pasts:
/// past_sequence_length, then num_beams and cache_indirection [batch, beams,
/// max_length] when the decoder takes them (subgraph_gpt.cc,
/// GptSubgraph::Validate; subgraph_whisper_decoder.cc). True when `rest` is
/// that list; seeds them into `ctx`, past_sequence_length at `past`.
static bool seedSharedTail(ArrayRef<BlockArgument> rest, const ShapeQuery &q,
                           const BeamSearchSchedule &s, const SymExpr &past,
                           ShapeContext &ctx) {
  if (rest.empty() || rest.size() > 3 || !isScalarLike(rest[0]) ||
      (rest.size() > 1 && !isScalarLike(rest[1])) ||
      (rest.size() > 2 && !hasRank(rest[2], 3)))
    return false;
  for (auto [i, a] : llvm::enumerate(rest)) {
    TensorInfo info = declaredInfo(a, q);
    if (i == 2)
      info.dims = {s.batch, s.beams, s.maxLength};
    else
      info.values = SmallVector<SymExpr, 4>{i == 0 ? past : s.beams};
    ctx.set(a, std::move(info));
  }
  return true;
}

/// Whether a decoder whose leading inputs have its layout (`tail`, where the
/// pasts end; nullopt when they do not) ends as that layout does: there,
/// or with the shared tail (seeded into `ctx`) for past_present_share_buffer.
/// Otherwise `reason` names onnxruntime's `layout` and its `inputs`.
static bool endsAsLayout(Operation *search, ArrayRef<BlockArgument> args,
                         std::optional<size_t> tail, const ShapeQuery &q,
                         const BeamSearchSchedule &s, const SymExpr &past,
                         ShapeContext &ctx, StringRef layout, StringRef inputs,
                         std::string &reason) {
  if (tail &&
      (s.shareBuffer ? seedSharedTail(args.drop_front(*tail), q, s, past, ctx)
                     : *tail == args.size()))
    return true;
  reason =
      (getSearchOpName(search) + "'s decoder inputs are not onnxruntime's " +
       layout + " layout (" + inputs +
       (s.shareBuffer ? ", then past_sequence_length, num_beams and "
                        "cache_indirection for past_present_share_buffer"
                      : "") +
       ")")
          .str();
  return false;
}

/// ORT's GPT-2 decoder (GptSubgraph::Validate): input_ids, position_ids,
/// attention_mask, then one past per layer [2, rows, heads, past, head
/// size]; with past_present_share_buffer the pasts max_length long and the
/// shared tail after them.
static LogicalResult
seedDecoderOnlyRun(Operation *search, Block &decoder, const ShapeQuery &q,
                   const BeamSearchSchedule &s, const DecoderRun &run,
                   ShapeContext &ctx, std::string &reason) {
  SymExpr rows = s.batch * s.beams;
  auto args = decoder.getArguments();
  size_t pasts = 0;
  while (3 + pasts < args.size() && hasRank(args[3 + pasts], 5))
    ++pasts;
  bool lead = args.size() > 3 && hasRank(args[0], 2) && hasRank(args[1], 2) &&
              hasRank(args[2], 2) && pasts > 0;
  if (!endsAsLayout(search, args,
                    lead ? std::optional<size_t>(3 + pasts) : std::nullopt, q,
                    s, run.past, ctx, "GPT-2",
                    "input_ids, position_ids, attention_mask, one rank-5 past "
                    "per layer",
                    reason))
    return failure();
  for (BlockArgument a : args.take_front(3 + pasts)) {
    TensorInfo info = declaredInfo(a, q);
    if (info.ranked && info.dims.size() == 2) {
      bool mask = a.getArgNumber() == 2;
      info.dims = {rows, mask ? run.past + run.tokens : run.tokens};
    } else if (info.ranked && info.dims.size() == 5) {
      info.dims[1] = rows;
      // A shared buffer is max_length long whatever part of it is valid.
      info.dims[3] = s.shareBuffer ? s.maxLength : run.past;
    }
    ctx.set(a, std::move(info));
  }
  return success();
}

/// The subgraph's yield.
static YieldOp subgraphYield(Region &r) {
  return dyn_cast<YieldOp>(r.front().getTerminator());
}

LogicalResult mlir::tfperf::seedWhisperEncoder(
    Operation *search, Region &encoder, const ShapeQuery &q,
    const BeamSearchSchedule &s, ShapeContext &ctx, std::string &reason) {
  // WhisperEncoderSubgraph::Validate: encoder_input_ids (the features) and
  // decoder_input_ids in; logits, encoder_hidden_states, then self and cross
  // K/V per layer out.
  auto args = encoder.front().getArguments();
  YieldOp y = subgraphYield(encoder);
  if (args.size() != 2 || !hasRank(args[0], 3) || !hasRank(args[1], 2) || !y ||
      y.getNumOperands() < 6 || (y.getNumOperands() - 2) % 4 != 0) {
    reason = getSearchOpName(search).str() +
             "'s encoder is not onnxruntime's Whisper layout (input_features "
             "[batch, feature_size, frames] and decoder_input_ids in; logits, "
             "encoder_hidden_states and self and cross K/V per layer out)";
    return failure();
  }
  TensorInfo features = declaredInfo(args[0], q);
  if (auto dims = q.dims(search->getOperand(0)))
    features.dims.assign(dims->begin(), dims->end());
  ctx.set(args[0], std::move(features));
  TensorInfo start = declaredInfo(args[1], q);
  start.dims = {s.batch, s.prompt};
  ctx.set(args[1], std::move(start));
  return success();
}

bool mlir::tfperf::decoderOutputsCrossQk(Operation *search) {
  auto flag = search->getAttrOfType<IntegerAttr>("decoder_output_cross_qk");
  return isa<MSWhisperBeamSearchOp>(search) && flag && flag.getInt() != 0;
}

WhisperCrossQk mlir::tfperf::getWhisperCrossQk(Operation *search,
                                               ShapeContext &ctx) {
  WhisperCrossQk g;
  Region *encoder = getSearchSubgraph(search, "encoder");
  YieldOp y = encoder ? subgraphYield(*encoder) : YieldOp();
  if (!y || encoder->getNumArguments() != 2 || y.getNumOperands() < 6 ||
      (y.getNumOperands() - 2) % 4 != 0)
    return g;
  int64_t layers = (y.getNumOperands() - 2) / 4;
  g.layers = SymExpr(layers);
  // The encoder's declared dims, bound to what onnxruntime feeds it:
  // input_features, and decoder_input_ids [batch, L0] (one start token
  // without it).
  const TensorInfo &features = ctx.get(search->getOperand(0));
  if (!features.ranked || features.dims.empty())
    return g;
  SymExpr prompt = getWhisperStartTokens(search, ctx);
  llvm::StringMap<SymExpr> bound;
  auto bind = [&](Value declared, ArrayRef<SymExpr> fed) {
    const TensorInfo &info = ctx.get(declared);
    if (info.ranked && info.dims.size() == fed.size())
      for (auto [dim, value] : llvm::zip(info.dims, fed))
        if (std::optional<StringRef> name = dim.getSingleSymbol())
          bound.try_emplace(*name, value);
  };
  bind(encoder->getArgument(0), features.dims);
  bind(encoder->getArgument(1), {features.dims.front(), prompt});
  // A dim of the encoder's first cross K in the fed sizes; unknown when it
  // uses a symbol the feeds do not bind.
  auto fed = [&](const SymExpr &dim) {
    llvm::SmallVector<StringRef> used;
    dim.collectSymbols(used);
    if (llvm::any_of(used, [&](StringRef n) { return !bound.count(n); }))
      return SymExpr::unknown();
    return dim.substitute([&](StringRef n) -> std::optional<SymExpr> {
      return bound.find(n)->second;
    });
  };
  const TensorInfo &crossKey = ctx.get(y.getOperand(2 + 2 * layers));
  if (crossKey.ranked && crossKey.dims.size() == 4) {
    g.heads = fed(crossKey.dims[1]);
    g.frames = fed(crossKey.dims[2]);
  }
  return g;
}

/// ORT's Whisper decoder (WhisperDecoderSubgraph::Validate, CreateInitial
/// Feeds): input_ids, encoder_hidden_states (optional), self K/V then cross
/// K/V per layer (rank 4), each fed from the encoder's output of the same
/// place expanded to the rows; the shared tail with
/// past_present_share_buffer.
static LogicalResult seedWhisperRun(Operation *search, Block &decoder,
                                    const ShapeQuery &q,
                                    const BeamSearchSchedule &s,
                                    const DecoderRun &run, ShapeContext &ctx,
                                    std::string &reason,
                                    const ShapeQuery *encoderShapes) {
  SymExpr rows = s.batch * s.beams;
  auto args = decoder.getArguments();
  size_t first = args.size() > 1 && hasRank(args[1], 3) ? 2 : 1;
  size_t pasts = 0;
  while (first + pasts < args.size() && hasRank(args[first + pasts], 4))
    ++pasts;
  YieldOp encoderOut = subgraphYield(*getSearchSubgraph(search, "encoder"));
  bool lead = !args.empty() && hasRank(args[0], 2) && pasts >= 4 &&
              pasts % 4 == 0 && encoderOut &&
              encoderOut.getNumOperands() == 2 + pasts;
  if (!endsAsLayout(search, args,
                    lead ? std::optional<size_t>(first + pasts) : std::nullopt,
                    q, s, run.past, ctx, "Whisper",
                    "input_ids, encoder_hidden_states (optional), self then "
                    "cross K/V per layer, as many as the encoder returns",
                    reason))
    return failure();
  // decoder_output_cross_qk: logits, the self presents, then one cross QK
  // per layer; onnxruntime takes it with a shared buffer only
  // (WhisperDecoderSubgraph::Validate, BeamSearchWhisper::Execute).
  auto outputs = dyn_cast<YieldOp>(decoder.getTerminator());
  if (decoderOutputsCrossQk(search) &&
      (!s.shareBuffer || !outputs ||
       outputs.getNumOperands() != 1 + 3 * pasts / 4)) {
    reason = (getSearchOpName(search) +
              "'s decoder outputs are not onnxruntime's Whisper layout for "
              "decoder_output_cross_qk (logits, the self K/V per layer, then "
              "one cross QK per layer, with past_present_share_buffer)")
                 .str();
    return failure();
  }
  // input_ids: the last token, or every token so far when its declared
  // length is not 1 (use_sequence_as_input_ids).
  TensorInfo ids = declaredInfo(args[0], q);
  auto declaredIds = tensorInfoFromType(args[0].getType());
  ids.dims = {rows, declaredIds.dims[1].isConstant(1) ? SymExpr(1)
                                                      : run.past + run.tokens};
  ctx.set(args[0], std::move(ids));
  for (size_t i = 1; i < first + pasts; ++i) {
    BlockArgument a = args[i];
    // Decoder input i is encoder output i (from encoder_hidden_states on)
    // or i + 1 (the pasts alone).
    Value fed = encoderOut.getOperand(first == 2 ? i : i + 1);
    TensorInfo info = declaredInfo(a, q);
    if (encoderShapes)
      if (auto dims = encoderShapes->dims(fed))
        if (dims->size() == info.dims.size())
          info.dims.assign(dims->begin(), dims->end());
    info.dims[0] = rows;
    bool self = i >= first && i - first < pasts / 2;
    if (self)
      info.dims[2] = s.shareBuffer ? s.maxLength : run.past;
    ctx.set(a, std::move(info));
  }
  return success();
}

LogicalResult mlir::tfperf::seedDecoderRun(
    Operation *search, Region &decoder, const ShapeQuery &q,
    const BeamSearchSchedule &schedule, const DecoderRun &run,
    ShapeContext &ctx, std::string &reason, const ShapeQuery *encoderShapes) {
  SymExpr rows = schedule.batch * schedule.beams;
  if (schedule.model == SearchModel::EncoderDecoder && schedule.shareBuffer) {
    reason = "past_present_share_buffer with an encoder-decoder (model_type "
             "1) decoder is not modelled";
    return failure();
  }
  if (schedule.model == SearchModel::EncoderDecoder)
    return seedEncoderDecoderRun(decoder.front(), q, rows, run, ctx, reason);
  if (schedule.model == SearchModel::Whisper)
    return seedWhisperRun(search, decoder.front(), q, schedule, run, ctx,
                          reason, encoderShapes);
  return seedDecoderOnlyRun(search, decoder.front(), q, schedule, run, ctx,
                            reason);
}

/// The decoder's logits [rows, tokens, vocabulary] at `q`'s shapes, whose
/// last token's rows x vocabulary are a step's candidates; null with the
/// reason in `c` when its vocabulary is unknown.
static Value decoderLogits(Operation *search, const ShapeQuery &q,
                           OpCost &c) {
  auto y = dyn_cast<YieldOp>(
      getSearchSubgraph(search, "decoder")->front().getTerminator());
  auto logits =
      y && y.getNumOperands() ? q.dims(y.getOperand(0)) : std::nullopt;
  if (!logits || logits->empty() || !logits->back().isKnown()) {
    c.unknownReason = (getSearchOpName(search) +
                       "'s vocabulary (the decoder's logits) is unknown")
                          .str();
    return Value();
  }
  return y.getOperand(0);
}

/// WhisperBeamSearch's cross_qk [batch, R, pairs, T, frames]: after each
/// decoder run onnxruntime copies the kept (layer, head) rows of the
/// decoder's cross QK outputs, rows x pairs x frames, into its buffer
/// (UpdateDecoderCrossQK); the output is written as the search's other
/// results are.
static LogicalResult readDecoderCrossQk(Operation *search,
                                        const BeamSearchSchedule &s,
                                        const ShapeQuery &q, Value crossQk,
                                        OpCost &c) {
  auto dims = q.dims(crossQk);
  if (!dims || dims->size() != 5 || !(*dims)[2].isKnown() ||
      !(*dims)[4].isKnown()) {
    c.unknownReason = "WhisperBeamSearch's cross_qk has an unknown number "
                      "of (layer, head) pairs or of frames (the length of "
                      "the encoder's cross K at the search's input_features)";
    return failure();
  }
  auto y = dyn_cast<YieldOp>(
      getSearchSubgraph(search, "decoder")->front().getTerminator());
  // Logits, 2L presents, then L cross QK outputs.
  if (!y || y.getNumOperands() < 4 || (y.getNumOperands() - 1) % 3 != 0) {
    c.unknownReason = "WhisperBeamSearch's decoder does not return one cross "
                      "QK per layer (decoder_output_cross_qk)";
    return failure();
  }
  Value firstQk = y.getOperand(1 + 2 * (y.getNumOperands() - 1) / 3);
  c.read(firstQk, s.decoderRuns * s.batch * s.beams * (*dims)[2] * (*dims)[4]);
  return success();
}

LogicalResult mlir::tfperf::computeSearchCost(Operation *search,
                                              const ShapeQuery &q, OpCost &c) {
  BeamSearchSchedule s = getBeamSearchSchedule(search, q);
  if (!s.unknownReason.empty()) {
    c.unknownReason = s.unknownReason;
    return failure();
  }
  Value logits = decoderLogits(search, q, c);
  if (!logits)
    return failure();
  // Every step scores each beam's logits over the vocabulary.
  SymExpr candidates =
      s.searchSteps * s.batch * s.beams * q.dims(logits)->back();
  c.flops = candidates * SymExpr(kSearchFlopsPerCandidate);
  c.read(logits, candidates);
  auto whisper = dyn_cast<MSWhisperBeamSearchOp>(search);
  if (Value crossQk = whisper ? whisper.getCrossQk() : Value())
    if (!crossQk.use_empty() &&
        failed(readDecoderCrossQk(search, s, q, crossQk, c)))
      return failure();
  for (Value r : search->getResults()) {
    // An optional output the graph leaves out (a placeholder before one it
    // takes) is not written.
    if (r.use_empty())
      continue;
    auto n = cost::elements(q, r, c);
    if (!n)
      return failure();
    c.write(r, *n);
  }
  return success();
}

LogicalResult mlir::tfperf::computeSearchStepCost(Operation *search,
                                                  const ShapeQuery &q,
                                                  OpCost &c) {
  if (getSearchModel(search) == SearchModel::Unmodelled)
    return computeSearchCost(search, q, c); // unknown, saying why
  if (!getSearchSubgraph(search, "decoder")) {
    c.unknownReason = (getSearchOpName(search) + " lacks its decoder").str();
    return failure();
  }
  Value logits = decoderLogits(search, q, c);
  if (!logits)
    return failure();
  // One scoring of the step's logits: each row's last token.
  ArrayRef<SymExpr> dims = *q.dims(logits);
  SymExpr candidates = dims.front() * dims.back();
  c.flops = candidates * SymExpr(kSearchFlopsPerCandidate);
  c.read(logits, candidates);
  return success();
}

LogicalResult MSBeamSearchOp::computeCost(const ShapeQuery &q, OpCost &c) {
  return computeSearchCost(*this, q, c);
}

LogicalResult MSWhisperBeamSearchOp::computeCost(const ShapeQuery &q,
                                                 OpCost &c) {
  return computeSearchCost(*this, q, c);
}

LogicalResult MSGreedySearchOp::computeCost(const ShapeQuery &q, OpCost &c) {
  return computeSearchCost(*this, q, c);
}

LogicalResult MSSamplingOp::computeCost(const ShapeQuery &q, OpCost &c) {
  return computeSearchCost(*this, q, c);
}
