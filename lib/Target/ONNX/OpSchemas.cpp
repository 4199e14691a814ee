//===- OpSchemas.cpp - ONNX op types tfperf imports -----------------------===//

#include "OpSchemas.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/Twine.h"

using namespace mlir::tfperf;
using namespace mlir::tfperf::onnximport;

namespace {
constexpr Arity R = Arity::Required, O = Arity::Optional, V = Arity::Variadic;

// Shared I/O lists.
constexpr IOSpec kX[] = {{"X", R}};
constexpr IOSpec kY[] = {{"Y", R}};
constexpr IOSpec kAB[] = {{"A", R}, {"B", R}};
constexpr IOSpec kC[] = {{"C", R}};
constexpr IOSpec kVariadicIn[] = {{"inputs", V}};
constexpr IOSpec kVariadicOut[] = {{"outputs", V}};
constexpr IOSpec kDataAxes[] = {{"data", R}, {"axes", O}};
constexpr IOSpec kInputShape[] = {{"input", R}, {"shape", R}};
constexpr AttrRename kAxesRename[] = {{"axes", "static_axes"}};
constexpr AttrRename kSplitRename[] = {{"split", "static_split"}};

constexpr IOSpec kGemmIn[] = {{"A", R}, {"B", R}, {"C", O}};
constexpr IOSpec kConvIn[] = {{"X", R}, {"W", R}, {"B", O}};
constexpr IOSpec kLayerNormIn[] = {{"X", R}, {"Scale", R}, {"B", O}};
constexpr IOSpec kLayerNormOut[] = {{"Y", R}, {"Mean", O}, {"InvStdDev", O}};
constexpr IOSpec kInstanceNormIn[] = {{"input", R}, {"scale", R}, {"B", R}};
constexpr IOSpec kReshapeIn[] = {{"data", R}, {"shape", R}};
constexpr IOSpec kGatherIn[] = {{"data", R}, {"indices", R}};
constexpr IOSpec kSliceIn[] = {{"data", R}, {"starts", R}, {"ends", R},
                               {"axes", O}, {"steps", O}};
constexpr IOSpec kSplitIn[] = {{"input", R}, {"split", O}};
constexpr IOSpec kRangeIn[] = {{"start", R}, {"limit", R}, {"delta", R}};
constexpr IOSpec kWhereIn[] = {{"condition", R}, {"X", R}, {"Y", R}};
constexpr IOSpec kClipIn[] = {{"input", R}, {"min", O}, {"max", O}};
constexpr IOSpec kDropoutIn[] = {{"data", R}, {"ratio", O}, {"training_mode", O}};
constexpr IOSpec kDropoutOut[] = {{"output", R}, {"mask", O}};
constexpr IOSpec kTileIn[] = {{"input", R}, {"repeats", R}};

// ai.onnx opsets 23-27.
constexpr IOSpec kCastLikeIn[] = {{"input", R}, {"target_type", R}};
constexpr IOSpec kRMSNormOnnxIn[] = {{"X", R}, {"scale", R}};
constexpr IOSpec kRotaryOnnxIn[] = {{"X", R}, {"cos_cache", R},
                                    {"sin_cache", R}, {"position_ids", O}};
constexpr IOSpec kTensorScatterIn[] = {{"past_cache", R}, {"update", R},
                                       {"write_indices", O}};
constexpr IOSpec kOnnxAttentionIn[] = {
    {"Q", R}, {"K", R}, {"V", R}, {"attn_mask", O}, {"past_key", O},
    {"past_value", O}, {"nonpad_kv_seqlen", O}};
constexpr IOSpec kOnnxAttentionOut[] = {{"Y", R}, {"present_key", O},
                                        {"present_value", O},
                                        {"qk_matmul_output", O}};
constexpr IOSpec kQKV[] = {{"Q", R}, {"K", R}, {"V", R}};
constexpr IOSpec kLinearAttentionIn[] = {
    {"query", R}, {"key", R}, {"value", R}, {"past_state", O}, {"decay", O},
    {"beta", O}};
constexpr IOSpec kStateOut[] = {{"output", R}, {"present_state", O}};
constexpr IOSpec kCausalConvIn[] = {{"input", R}, {"weight", R}, {"bias", O},
                                    {"past_state", O}};

// Indexing and routing.
constexpr IOSpec kTriluIn[] = {{"input", R}, {"k", O}};
constexpr IOSpec kTopKIn[] = {{"X", R}, {"K", R}};
constexpr IOSpec kTopKOut[] = {{"Values", R}, {"Indices", R}};
constexpr IOSpec kDataIndices[] = {{"data", R}, {"indices", R}};
constexpr IOSpec kScatterIn[] = {{"data", R}, {"indices", R}, {"updates", R}};
constexpr IOSpec kCumSumIn[] = {{"x", R}, {"axis", R}};
constexpr IOSpec kOneHotIn[] = {{"indices", R}, {"depth", R}, {"values", R}};

constexpr IOSpec kAttentionIn[] = {
    {"input", R}, {"weights", R}, {"bias", O}, {"mask_index", O},
    {"past", O}, {"relative_position_bias", O}, {"past_sequence_length", O}};
constexpr IOSpec kAttentionOut[] = {{"output", R}, {"present", O}};
constexpr IOSpec kMHAIn[] = {{"query", R}, {"key", O}, {"value", O},
                             {"bias", O}, {"key_padding_mask", O},
                             {"attention_bias", O}, {"past_key", O},
                             {"past_value", O}, {"past_sequence_length", O},
                             {"cache_indirection", O}};
constexpr IOSpec kMHAOut[] = {{"output", R}, {"present_key", O},
                              {"present_value", O}, {"qk", O}};
constexpr IOSpec kDecoderMaskedMHAIn[] = {
    {"query", R}, {"key", O}, {"value", O}, {"mask_index", O},
    {"attention_bias", O}, {"past_key", O}, {"past_value", O},
    {"past_sequence_length", O}, {"beam_width", O}, {"cache_indirection", O},
    {"bias", O}};
constexpr IOSpec kGQAIn[] = {
    {"query", R}, {"key", O}, {"value", O}, {"past_key", O},
    {"past_value", O}, {"seqlens_k", O}, {"total_sequence_length", O},
    {"cos_cache", O}, {"sin_cache", O}, {"position_ids", O},
    {"attention_bias", O}, {"head_sink", O}, {"k_scale", O}, {"v_scale", O},
    {"q_norm_weight", O}, {"k_norm_weight", O}};
constexpr IOSpec kGQAOut[] = {{"output", R}, {"present_key", O},
                              {"present_value", O}, {"output_qk", O}};
constexpr IOSpec kRotaryIn[] = {{"input", R}, {"position_ids", R},
                                {"cos_cache", R}, {"sin_cache", R}};
constexpr IOSpec kRMSNormIn[] = {{"X", R}, {"scale", R}};
constexpr IOSpec kMRotaryIn[] = {{"input", R}, {"position_ids", R},
                                 {"cos_cache", R}, {"sin_cache", R}};
constexpr IOSpec kLinearAttentionGateIn[] = {
    {"a", R}, {"dt_bias", R}, {"decay_scale", R}, {"b", O}};
constexpr IOSpec kLinearAttentionGateOut[] = {{"decay", R}, {"beta", O}};
constexpr IOSpec kGatedIn[] = {{"X", R}, {"scale", R}, {"gate", R}};
constexpr IOSpec kGatedAddIn[] = {{"X", R}, {"Y", R}, {"gate", R}};
constexpr IOSpec kRMSNormOut[] = {{"Y", R}, {"inv_std_var", O}};
constexpr IOSpec kSkipRMSNormIn[] = {{"input", R}, {"skip", R}, {"gamma", R},
                                     {"bias", O}};
constexpr IOSpec kFastGeluIn[] = {{"X", R}, {"bias", O}};
constexpr IOSpec kSkipLNIn[] = {{"input", R}, {"skip", R}, {"gamma", R},
                                {"beta", O}, {"bias", O}};
constexpr IOSpec kSkipLNOut[] = {{"output", R}, {"mean", O}, {"inv_std_var", O},
                                 {"input_skip_bias_sum", O}};
constexpr IOSpec kEmbedLNIn[] = {
    {"input_ids", R}, {"segment_ids", O}, {"word_embedding", R},
    {"position_embedding", R}, {"segment_embedding", O}, {"gamma", R},
    {"beta", R}, {"mask", O}, {"position_ids", O}};
constexpr IOSpec kEmbedLNOut[] = {{"output", R}, {"mask_index", O},
                                  {"embedding_sum", O}};
constexpr IOSpec kMoEIn[] = {
    {"input", R},               {"router_probs", R},
    {"fc1_experts_weights", R}, {"fc1_experts_bias", O},
    {"fc2_experts_weights", R}, {"fc2_experts_bias", O},
    {"fc3_experts_weights", O}, {"fc3_experts_bias", O}};
constexpr IOSpec kBeamSearchIn[] = {
    {"input_ids", R}, {"max_length", R}, {"min_length", O}, {"num_beams", R},
    {"num_return_sequences", R}, {"length_penalty", O},
    {"repetition_penalty", O}, {"vocab_mask", O}, {"prefix_vocab_mask", O},
    {"attention_mask", O}, {"decoder_input_ids", O}, {"logits_processor", O}};
constexpr IOSpec kBeamSearchOut[] = {
    {"sequences", R}, {"sequences_scores", O}, {"scores", O}};
constexpr IOSpec kWhisperBeamSearchIn[] = {
    {"input_ids", R}, {"max_length", R}, {"min_length", O}, {"num_beams", R},
    {"num_return_sequences", R}, {"length_penalty", O},
    {"repetition_penalty", O}, {"vocab_mask", O}, {"prefix_vocab_mask", O},
    {"attention_mask", O}, {"decoder_input_ids", O}, {"logits_processor", O},
    {"cross_qk_layer_head", O}, {"extra_decoding_ids", O},
    {"temperature", O}};
constexpr IOSpec kWhisperBeamSearchOut[] = {
    {"sequences", R}, {"sequences_scores", O}, {"scores", O},
    {"cross_qk", O}, {"non_speech_probs", O}};
constexpr IOSpec kGreedySearchIn[] = {
    {"input_ids", R},        {"max_length", R},        {"min_length", O},
    {"repetition_penalty", O}, {"vocab_mask", O},      {"prefix_vocab_mask", O},
    {"attention_mask", O}};
constexpr IOSpec kGreedySearchOut[] = {{"sequences", R}};
constexpr IOSpec kSamplingIn[] = {
    {"input_ids", R},        {"max_length", R},        {"min_length", O},
    {"repetition_penalty", O}, {"vocab_mask", O},      {"prefix_vocab_mask", O},
    {"attention_mask", O},   {"presence_mask", O},     {"seed", O}};
constexpr IOSpec kSamplingOut[] = {{"sequences", R}, {"filtered_logits", O}};

// Control flow.
constexpr IOSpec kIfIn[] = {{"cond", R}};
constexpr IOSpec kLoopIn[] = {{"M", O}, {"cond", O}, {"v_initial", V}};
constexpr llvm::StringLiteral kIfRegions[] = {"then_branch", "else_branch"};
constexpr llvm::StringLiteral kBodyRegion[] = {"body"};

template <typename OpT> OpSchema unary() { return schema<OpT>(kX, kY); }
template <typename OpT> OpSchema binary() { return schema<OpT>(kAB, kC); }
template <typename OpT> OpSchema variadic() {
  return schema<OpT>(kVariadicIn, kY);
}
template <typename OpT> OpSchema reduce() {
  return schema<OpT>(kDataAxes, kY, kAxesRename);
}

const OpSchema kSchemas[] = {
    // Graph structure: a Constant's value becomes the op's attribute.
    schema<ConstantOp>({}, {}),
    // Elementwise.
    binary<AddOp>(), binary<SubOp>(), binary<MulOp>(), binary<DivOp>(),
    binary<PowOp>(), binary<EqualOp>(), binary<GreaterOp>(), binary<LessOp>(),
    binary<AndOp>(), binary<OrOp>(),
    variadic<MinOp>(), variadic<MaxOp>(), variadic<SumOp>(),
    unary<SqrtOp>(), unary<ErfOp>(), unary<TanhOp>(), unary<SigmoidOp>(),
    unary<ReluOp>(), unary<CosOp>(), unary<SinOp>(), unary<ExpOp>(),
    unary<LogOp>(), unary<NegOp>(), unary<AbsOp>(), unary<NotOp>(),
    unary<ReciprocalOp>(), unary<SoftplusOp>(), unary<IdentityOp>(),
    unary<GeluOp>(), unary<CastOp>(), unary<SoftmaxOp>(), unary<FlattenOp>(),
    unary<TransposeOp>(), unary<ShapeOp>(), unary<ConstantOfShapeOp>(),
    schema<WhereOp>(kWhereIn, kY),
    schema<ClipOp>(kClipIn, kY),
    // Linear algebra and NN.
    schema<MatMulOp>(kAB, kY),
    schema<GemmOp>(kGemmIn, kY),
    schema<ConvOp>(kConvIn, kY),
    schema<EinsumOp>(kVariadicIn, kY),
    // ORT registered LayerNormalization in the default domain before opset
    // 17; the same op also appears under com.microsoft (an alias in ODS).
    schema<LayerNormOp>(kLayerNormIn, kLayerNormOut),
    schema<InstanceNormOp>(kInstanceNormIn, kY),
    unary<LpNormOp>(),
    reduce<ReduceMeanOp>(), reduce<ReduceProdOp>(), reduce<ReduceSumOp>(),
    reduce<ReduceMaxOp>(),
    // Data movement.
    schema<ReshapeOp>(kReshapeIn, kY),
    schema<GatherOp>(kGatherIn, kY),
    schema<SliceOp>(kSliceIn, kY),
    schema<SplitOp>(kSplitIn, kVariadicOut, kSplitRename),
    schema<ConcatOp>(kVariadicIn, kY),
    schema<UnsqueezeOp>(kDataAxes, kY, kAxesRename),
    schema<SqueezeOp>(kDataAxes, kY, kAxesRename),
    schema<ExpandOp>(kInputShape, kY),
    schema<TileOp>(kTileIn, kY),
    schema<RangeOp>(kRangeIn, kY),
    schema<DropoutOp>(kDropoutIn, kDropoutOut),
    // ai.onnx opsets 18-27 and ai.onnx.preview.
    binary<ModOp>(), binary<GreaterOrEqualOp>(), binary<LessOrEqualOp>(),
    unary<SwishOp>(), unary<SizeOp>(),
    schema<CastLikeOp>(kCastLikeIn, kY),
    schema<RMSNormOp>(kRMSNormOnnxIn, kY),
    schema<RotaryEmbeddingOp>(kRotaryOnnxIn, kY),
    schema<TensorScatterOp>(kTensorScatterIn, kY),
    schema<AttentionOp>(kOnnxAttentionIn, kOnnxAttentionOut),
    schema<FlexAttentionOp>(kQKV, kY),
    schema<LinearAttentionOp>(kLinearAttentionIn, kStateOut),
    schema<CausalConvWithStateOp>(kCausalConvIn, kStateOut),
    // Indexing and routing.
    schema<TriluOp>(kTriluIn, kY), unary<NonZeroOp>(),
    schema<TopKOp>(kTopKIn, kTopKOut),
    schema<GatherElementsOp>(kDataIndices, kY),
    schema<GatherNDOp>(kDataIndices, kY),
    schema<ScatterNDOp>(kScatterIn, kY),
    schema<ScatterElementsOp>(kScatterIn, kY),
    schema<CumSumOp>(kCumSumIn, kY),
    schema<OneHotOp>(kOneHotIn, kY),
    // com.microsoft contrib ops.
    schema<MSAttentionOp>(kAttentionIn, kAttentionOut),
    schema<MSMultiHeadAttentionOp>(kMHAIn, kMHAOut),
    schema<MSDecoderMaskedMultiHeadAttentionOp>(kDecoderMaskedMHAIn, kMHAOut),
    schema<MSGroupQueryAttentionOp>(kGQAIn, kGQAOut),
    schema<MSRotaryEmbeddingOp>(kRotaryIn, kY),
    schema<MSSimplifiedLayerNormOp>(kRMSNormIn, kRMSNormOut),
    schema<MSSkipSimplifiedLayerNormOp>(kSkipRMSNormIn, kSkipLNOut),
    schema<MSFastGeluOp>(kFastGeluIn, kY),
    schema<MSBiasGeluOp>(kAB, kC),
    schema<MSSkipLayerNormOp>(kSkipLNIn, kSkipLNOut),
    schema<MSEmbedLayerNormOp>(kEmbedLNIn, kEmbedLNOut),
    schema<MSBeamSearchOp>(kBeamSearchIn, kBeamSearchOut),
    schema<MSWhisperBeamSearchOp>(kWhisperBeamSearchIn, kWhisperBeamSearchOut),
    schema<MSGreedySearchOp>(kGreedySearchIn, kGreedySearchOut),
    schema<MSSamplingOp>(kSamplingIn, kSamplingOut),
    schema<MSMoEOp>(kMoEIn, kY),
    // onnxruntime-genai's hybrid Qwen3.5 / Qwen3-VL stacks (signatures from
    // onnxruntime contrib_ops/cpu/bert/: mrotary_embedding_helper.h,
    // linear_attention_gates.cc, gated_add.cc).
    schema<MSMRotaryEmbeddingOp>(kMRotaryIn, kY),
    schema<MSLinearAttentionGateOp>(kLinearAttentionGateIn,
                                    kLinearAttentionGateOut),
    schema<MSGatedRMSNormOp>(kGatedIn, kY),
    schema<MSGatedAddOp>(kGatedAddIn, kY),
    // Control flow: graph attributes become regions in the op's order.
    schemaWithRegions<IfOp>(kIfIn, kVariadicOut, kIfRegions),
    schemaWithRegions<LoopOp>(kLoopIn, kVariadicOut, kBodyRegion),
    schemaWithRegions<ScanOp>(kVariadicIn, kVariadicOut, kBodyRegion),
};

unsigned countVariable(llvm::ArrayRef<IOSpec> specs) {
  unsigned n = 0;
  for (auto &s : specs)
    n += s.arity != Arity::Required;
  return n;
}

llvm::StringRef normalizeDomain(llvm::StringRef d) {
  return d == "ai.onnx" ? llvm::StringRef("") : d;
}
} // namespace

bool OpSchema::needsOperandSegments() const {
  return countVariable(inputs) > 1;
}
bool OpSchema::hasOptionalOutputTail() const {
  return countVariable(outputs) > 1;
}

const OpSchema *mlir::tfperf::onnximport::lookupOpSchema(llvm::StringRef domain,
                                                         llvm::StringRef opType) {
  static const llvm::StringMap<const OpSchema *> table = [] {
    llvm::StringMap<const OpSchema *> t;
    auto add = [&](const OpSchema &s) {
      t[(s.domain + llvm::Twine("::") + s.opType).str()] = &s;
      for (llvm::StringRef alias : s.aliasDomains)
        t[(alias + llvm::Twine("::") + s.opType).str()] = &s;
    };
    for (const OpSchema &s : kSchemas)
      add(s);
    for (const OpSchema &s : getQuantizedOpSchemas())
      add(s);
    for (const OpSchema &s : getGenAIAttentionOpSchemas())
      add(s);
    return t;
  }();
  auto it = table.find((normalizeDomain(domain) + llvm::Twine("::") + opType).str());
  return it == table.end() ? nullptr : it->second;
}

bool mlir::tfperf::onnximport::isWellKnownDomain(llvm::StringRef domain) {
  return domain.empty() || domain == "ai.onnx" || domain == "com.microsoft" ||
         domain == "ai.onnx.ml" || domain == "ai.onnx.training" ||
         domain == "ai.onnx.preview.training" ||
         domain == "com.microsoft.nchwc" || domain == "org.pytorch.aten" ||
         domain == "ai.onnx.preview";
}

namespace {
struct LaterAttribute {
  llvm::StringLiteral opType, attr;
  int64_t since;
};
} // namespace

/// Attributes added by a later version of an ai.onnx op. Attention-25 added
/// the sliding window; Attention-23 and -24 have no such attribute.
static constexpr LaterAttribute kLaterAttributes[] = {
    {"Attention", "left_window_size", 25},
    {"Attention", "right_window_size", 25},
};

int64_t mlir::tfperf::onnximport::attributeSinceOpset(llvm::StringRef opType,
                                                      llvm::StringRef attr) {
  for (const LaterAttribute &l : kLaterAttributes)
    if (l.opType == opType && l.attr == attr)
      return l.since;
  return 0;
}
