//===- BeamSearchSchedule.h - how often a search runs its subgraphs -*- C++ -*-===//
//
// onnxruntime's BeamSearch for an encoder-decoder (model_type 1) runs its
// encoder subgraph once on the batch, scores the first token from the
// encoder's logits, then runs the decoder subgraph once per further token on
// batch x num_beams rows, its self-attention past one token longer each run
// (onnxruntime contrib_ops/cpu/transformers/beam_search_impl_t5.h,
// BeamSearchT5::Execute). Whisper (model_type 2) runs the same way from
// decoder_input_ids (input 10, one start token when absent): the encoder
// subgraph once on input_features [batch, feature_size, frames] and
// decoder_input_ids [batch, L0], whose self K/V it returns L0 long; then the
// decoder max_length - L0 - 1 times on batch x num_beams rows, run k one
// token after a self past of L0 + k - 1, its cross K/V the encoder's, fixed
// (beam_search_impl_whisper.h, BeamSearchWhisper::Execute;
// subgraph_whisper_encoder.cc; subgraph_whisper_decoder.cc,
// CreateInitialFeeds; beam_search_parameters.cc, ParseFromInputs). For a
// decoder-only model (model_type 0, GPT-2; BeamSearch, GreedySearch and
// Sampling, the last two with one beam) the decoder runs from the prompt's
// length up to max_length: the first run (`init_decoder` when present) over
// the whole prompt with no past, each later run one token per row after a
// past one token longer (beam_search_impl_gpt.h, greedy_search_impl_gpt.h,
// BeamSearchGpt::Execute; subgraph_gpt.cc, CreateInitialFeeds). With
// past_present_share_buffer the self past inputs are max_length long buffers
// and a past_sequence_length input holds the valid length, the same past as
// above (subgraph_gpt.cc; generation_device_helper.cc, UpdateGptFeeds;
// subgraph_whisper_decoder.cc). WhisperBeamSearch runs Whisper's schedule
// (model_type 2, the only one it takes) and may also return the decoder's
// cross-attention scores per generated token (cross_qk) and the first
// step's no-speech probability (beam_search_impl_whisper.h;
// beam_search_parameters.cc, WhisperBeamSearchParameters).
// docs/CostModel.md#control-flow. The counts are upper bounds: an EOS in
// every beam stops the search early.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_DIALECT_TFPERF_IR_BEAMSEARCHSCHEDULE_H
#define TFPERF_DIALECT_TFPERF_IR_BEAMSEARCHSCHEDULE_H

#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include <string>

namespace mlir::tfperf {

/// BeamSearch, GreedySearch or Sampling: an op that runs a decoder subgraph
/// once per generated token.
bool isSearchOp(Operation *op);

/// Its ONNX op type without the domain (`BeamSearch`), for messages.
StringRef getSearchOpName(Operation *search);

/// The subgraph of a search called `name` (`decoder`, `encoder`,
/// `init_decoder`), or null.
Region *getSearchSubgraph(Operation *search, StringRef name);

/// How a search runs its decoder.
enum class SearchModel {
  /// model_type 1 (T5, BART): the encoder once, then the decoder.
  EncoderDecoder,
  /// model_type 2 (Whisper): the encoder once on input_features and
  /// decoder_input_ids, then the decoder.
  Whisper,
  /// model_type 0 (GPT-2), onnxruntime's default: the decoder from the
  /// prompt on.
  DecoderOnly,
  /// Any other model_type: not modelled.
  Unmodelled,
};
SearchModel getSearchModel(Operation *search);

/// The shapes of one decoder run: `tokens` new tokens per row after a past
/// of `past` tokens.
struct DecoderRun {
  SymExpr tokens = 1;
  SymExpr past = 0;
};

/// How a search runs, in terms of its inputs.
struct BeamSearchSchedule {
  SearchModel model = SearchModel::Unmodelled;
  /// Rows of the input batch, beams per row (1 for GreedySearch and
  /// Sampling), `max_length`, and the tokens before the first generated one:
  /// the prompt (decoder-only), the decoder start token (T5: 1) or
  /// decoder_input_ids' length (Whisper, 1 when absent).
  SymExpr batch = SymExpr::unknown(), beams = SymExpr::unknown(),
          maxLength = SymExpr::unknown(), prompt = SymExpr::unknown();
  /// past_present_share_buffer: the decoder's self past inputs are
  /// max_length long buffers and it takes the valid length as an input.
  bool shareBuffer = false;
  /// Decoder runs. Encoder-decoder and Whisper: max(max_length - prompt -
  /// 1, 0), the encoder's logits give the next token, run k (1-based) has a
  /// self past of prompt + k - 1 tokens. Decoder-only: max_length - prompt
  /// (onnxruntime requires max_length > prompt), the first over the prompt.
  SymExpr decoderRuns = SymExpr::unknown();
  /// Times the search scores candidates: encoder-decoder max(max_length -
  /// prompt, 0) (after the encoder too), decoder-only one per decoder run.
  SymExpr searchSteps = SymExpr::unknown();
  /// Why the schedule is unknown; empty when it is known.
  std::string unknownReason;

  bool hasEncoder() const {
    return model == SearchModel::EncoderDecoder ||
           model == SearchModel::Whisper;
  }
  /// Encoder-decoder and Whisper: run `k` (1-based), one token after a self
  /// past of prompt + k - 1.
  DecoderRun encoderDecoderRun(const SymExpr &k) const {
    return {1, prompt + k - SymExpr(1)};
  }
  /// Decoder-only: the first run, over the whole prompt with no past.
  DecoderRun firstRun() const { return {prompt, 0}; }
  /// Decoder-only: later run `j` (1-based, after the first), one token per
  /// row after a past of prompt + j - 1 tokens.
  DecoderRun laterRun(const SymExpr &j) const {
    return {1, prompt + j - SymExpr(1)};
  }
  /// Decoder-only: how many runs follow the first.
  SymExpr laterRuns() const { return decoderRuns - SymExpr(1); }
};

/// Whisper's tokens before the first generated one, at `ctx`'s shapes: the
/// length of decoder_input_ids [batch, L0], one start token without it
/// (beam_search_parameters.cc, ParseFromInputs); unknown when it is not
/// rank 2.
SymExpr getWhisperStartTokens(Operation *search, ShapeContext &ctx);

/// WhisperBeamSearch's decoder_output_cross_qk: its decoder returns, after
/// the presents, one cross-attention QK [rows, heads, 1, frames] per layer.
bool decoderOutputsCrossQk(Operation *search);

/// What WhisperBeamSearch's cross_qk [batch, R, pairs, T, frames] is made of,
/// from the encoder subgraph at `ctx`'s shapes: its layers and
/// cross-attention heads (layers x heads pairs unless cross_qk_layer_head
/// names them) and `frames`, the cross attention's key length: the length
/// of the encoder's first cross K when it runs on the search's
/// input_features and decoder_input_ids (its declared dims bound to theirs;
/// onnxruntime's frames_of_k). A field the encoder does not determine stays
/// unknown.
struct WhisperCrossQk {
  SymExpr layers = SymExpr::unknown(), heads = SymExpr::unknown(),
          frames = SymExpr::unknown();
};
WhisperCrossQk getWhisperCrossQk(Operation *search, ShapeContext &ctx);

/// Where import records a BeamSearch's `num_beams` graph input once
/// --bind-dims bound it (a value, unlike max_length, that no type carries).
constexpr llvm::StringLiteral kBoundBeamsAttr = "tfperf.num_beams";
/// Records a bound `num_beams` input of `search` from `ctx`'s values.
void recordBoundBeams(Operation *search, ShapeContext &ctx);

/// The schedule from `q`'s shapes (max_length is the last dim of
/// `sequences`, batch and prompt the dims of `input_ids`) and the
/// `num_beams` operand (a constant, the bound value import recorded, or a
/// graph input's value symbol).
BeamSearchSchedule getBeamSearchSchedule(Operation *search,
                                         const ShapeQuery &q);

/// Whisper: seeds `ctx` with the inputs of the encoder subgraph as
/// onnxruntime feeds it once: input_features as the search's input 0
/// [batch, feature_size, frames], decoder_input_ids [batch, prompt]. Fails
/// with the reason when the encoder does not have that layout.
LogicalResult seedWhisperEncoder(Operation *search, Region &encoder,
                                 const ShapeQuery &q,
                                 const BeamSearchSchedule &schedule,
                                 ShapeContext &ctx, std::string &reason);

/// Seeds `ctx` with the inputs of `decoder` (the search's `decoder` or
/// `init_decoder`) at `run`, on batch x num_beams rows. Encoder-decoder:
/// every input's first dim the rows, the self-attention past inputs (the
/// first half of the rank-4 inputs, ORT's past_self_* before past_cross_*)
/// `run.past` long on dim 2. Whisper: input_ids [rows, 1] (the sequence so
/// far when its declared dim is not 1), then the encoder's outputs
/// (`encoderShapes`, its replay) expanded to the rows: encoder_hidden_states
/// when the decoder takes it, self K/V `run.past` long, cross K/V as the
/// encoder left them. Decoder-only (ORT's GPT-2 layout): input_ids and
/// position_ids [rows, tokens], attention_mask [rows, past + tokens], one
/// past per layer [2, rows, heads, past, head size]. With
/// past_present_share_buffer the self pasts are max_length long and the
/// trailing inputs past_sequence_length (its value `run.past`), num_beams
/// and cache_indirection [batch, beams, max_length] follow. Fails with the
/// reason when the decoder's inputs do not have that layout, or (Whisper
/// with decoder_output_cross_qk) its outputs are not logits, the self K/V
/// and one cross QK per layer over a shared buffer.
LogicalResult seedDecoderRun(Operation *search, Region &decoder,
                             const ShapeQuery &q,
                             const BeamSearchSchedule &schedule,
                             const DecoderRun &run, ShapeContext &ctx,
                             std::string &reason,
                             const ShapeQuery *encoderShapes = nullptr);

/// The past_sequence_length operand of an attention op that attends over
/// that many keys of a past_present_share_buffer cache (com.microsoft
/// Attention with a past, MultiHeadAttention with past_key,
/// DecoderMaskedMultiHeadAttention with past_key and
/// past_present_share_buffer); null for any other op.
Value getSharedPastLength(Operation *op);
/// What import inferred that operand to hold (a SymExpr's text: a constant,
/// a graph input's value symbol or its bound value), recorded on the op:
/// the cost has no values, and attends over that many keys outside a
/// search's runs.
constexpr llvm::StringLiteral kPastLengthValueAttr =
    "tfperf.past_sequence_length";
/// Records kPastLengthValueAttr on `op` when it has a shared past whose
/// length inference knows.
void recordSharedPastLength(Operation *op, ShapeContext &ctx);
/// The cost of such an op when `validPast` keys of its past buffer are
/// valid: attention over validPast + new tokens, reading the valid part of
/// the buffer and writing the new tokens into it.
LogicalResult computeSharedBufferAttentionCost(Operation *op,
                                               const ShapeQuery &q,
                                               const SymExpr &validPast,
                                               OpCost &c);

/// The search's own cost: scoring each row's logits over the vocabulary at
/// every step (the same for all the search ops), reading WhisperBeamSearch's
/// kept cross QK rows after every decoder run, and writing the outputs the
/// graph takes.
LogicalResult computeSearchCost(Operation *search, const ShapeQuery &q,
                                OpCost &c);
/// The search's cost in one decoding step (a phase, serving): one scoring
/// of the decoder's logits at `q`'s shapes, each row's last token over the
/// vocabulary.
LogicalResult computeSearchStepCost(Operation *search, const ShapeQuery &q,
                                    OpCost &c);

} // namespace mlir::tfperf

#endif
