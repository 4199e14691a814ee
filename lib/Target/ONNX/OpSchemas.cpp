//===- OpSchemas.cpp - ONNX op types tfperf imports -----------------------===//

#include "OpSchemas.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/Twine.h"

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

constexpr IOSpec kAttentionIn[] = {
    {"input", R}, {"weights", R}, {"bias", O}, {"mask_index", O},
    {"past", O}, {"relative_position_bias", O}, {"past_sequence_length", O}};
constexpr IOSpec kAttentionOut[] = {{"output", R}, {"present", O}};
constexpr IOSpec kMHAIn[] = {{"query", R}, {"key", O}, {"value", O},
                             {"bias", O}, {"key_padding_mask", O},
                             {"attention_bias", O}, {"past_key", O},
                             {"past_value", O}};
constexpr IOSpec kMHAOut[] = {{"output", R}, {"present_key", O},
                              {"present_value", O}};
constexpr IOSpec kGQAIn[] = {
    {"query", R}, {"key", O}, {"value", O}, {"past_key", O},
    {"past_value", O}, {"seqlens_k", O}, {"total_sequence_length", O},
    {"cos_cache", O}, {"sin_cache", O}};
constexpr IOSpec kRotaryIn[] = {{"input", R}, {"position_ids", R},
                                {"cos_cache", R}, {"sin_cache", R}};
constexpr IOSpec kRMSNormIn[] = {{"X", R}, {"scale", R}};
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
constexpr IOSpec kBeamSearchIn[] = {
    {"input_ids", R}, {"max_length", R}, {"min_length", O}, {"num_beams", R},
    {"num_return_sequences", R}, {"length_penalty", O},
    {"repetition_penalty", O}, {"vocab_mask", O}, {"prefix_vocab_mask", O},
    {"attention_mask", O}, {"decoder_input_ids", O}, {"logits_processor", O}};
constexpr IOSpec kBeamSearchOut[] = {
    {"sequences", R}, {"sequences_scores", O}, {"scores", O}};

#define UNARY(T, M) {"", T, "tfperf." M, kX, kY}
#define BINARY(T, M) {"", T, "tfperf." M, kAB, kC}
#define VARIADIC(T, M) {"", T, "tfperf." M, kVariadicIn, kY}
#define REDUCE(T, M) {"", T, "tfperf." M, kDataAxes, kY, kAxesRename}

const OpSchema kSchemas[] = {
    // Elementwise.
    BINARY("Add", "add"), BINARY("Sub", "sub"), BINARY("Mul", "mul"),
    BINARY("Div", "div"), BINARY("Pow", "pow"), BINARY("Equal", "equal"),
    BINARY("Greater", "greater"), BINARY("Less", "less"),
    BINARY("And", "and"), BINARY("Or", "or"),
    VARIADIC("Min", "min"), VARIADIC("Max", "max"), VARIADIC("Sum", "sum"),
    UNARY("Sqrt", "sqrt"), UNARY("Erf", "erf"), UNARY("Tanh", "tanh"),
    UNARY("Sigmoid", "sigmoid"), UNARY("Relu", "relu"), UNARY("Cos", "cos"),
    UNARY("Sin", "sin"), UNARY("Exp", "exp"), UNARY("Log", "log"),
    UNARY("Neg", "neg"), UNARY("Abs", "abs"), UNARY("Not", "not"),
    UNARY("Reciprocal", "reciprocal"), UNARY("Softplus", "softplus"),
    UNARY("Identity", "identity"), UNARY("Gelu", "gelu"),
    UNARY("Cast", "cast"), UNARY("Softmax", "softmax"),
    UNARY("Flatten", "flatten"), UNARY("Transpose", "transpose"),
    UNARY("Shape", "shape"), UNARY("ConstantOfShape", "constant_of_shape"),
    {"", "Where", "tfperf.where", kWhereIn, kY},
    {"", "Clip", "tfperf.clip", kClipIn, kY},
    // Linear algebra and NN.
    {"", "MatMul", "tfperf.matmul", kAB, kY},
    {"", "Gemm", "tfperf.gemm", kGemmIn, kY},
    {"", "Conv", "tfperf.conv", kConvIn, kY},
    {"", "Einsum", "tfperf.einsum", kVariadicIn, kY},
    {"", "LayerNormalization", "tfperf.layer_norm", kLayerNormIn, kLayerNormOut},
    REDUCE("ReduceMean", "reduce_mean"), REDUCE("ReduceProd", "reduce_prod"),
    REDUCE("ReduceSum", "reduce_sum"), REDUCE("ReduceMax", "reduce_max"),
    // Data movement.
    {"", "Reshape", "tfperf.reshape", kReshapeIn, kY},
    {"", "Gather", "tfperf.gather", kGatherIn, kY},
    {"", "Slice", "tfperf.slice", kSliceIn, kY},
    {"", "Split", "tfperf.split", kSplitIn, kVariadicOut, kSplitRename},
    {"", "Concat", "tfperf.concat", kVariadicIn, kY},
    {"", "Unsqueeze", "tfperf.unsqueeze", kDataAxes, kY, kAxesRename},
    {"", "Squeeze", "tfperf.squeeze", kDataAxes, kY, kAxesRename},
    {"", "Expand", "tfperf.expand", kInputShape, kY},
    {"", "Tile", "tfperf.tile", kTileIn, kY},
    {"", "Range", "tfperf.range", kRangeIn, kY},
    {"", "Dropout", "tfperf.dropout", kDropoutIn, kDropoutOut},
    // com.microsoft contrib ops.
    {"com.microsoft", "Attention", "tfperf.ms.attention", kAttentionIn,
     kAttentionOut},
    {"com.microsoft", "MultiHeadAttention", "tfperf.ms.multi_head_attention",
     kMHAIn, kMHAOut},
    {"com.microsoft", "GroupQueryAttention", "tfperf.ms.group_query_attention",
     kGQAIn, kMHAOut},
    {"com.microsoft", "RotaryEmbedding", "tfperf.ms.rotary_embedding",
     kRotaryIn, kY},
    {"com.microsoft", "SimplifiedLayerNormalization",
     "tfperf.ms.simplified_layer_norm", kRMSNormIn, kRMSNormOut},
    {"", "SimplifiedLayerNormalization", "tfperf.ms.simplified_layer_norm",
     kRMSNormIn, kRMSNormOut},
    {"com.microsoft", "SkipSimplifiedLayerNormalization",
     "tfperf.ms.skip_simplified_layer_norm", kSkipRMSNormIn, kSkipLNOut},
    {"com.microsoft", "FastGelu", "tfperf.ms.fast_gelu", kFastGeluIn, kY},
    {"com.microsoft", "BiasGelu", "tfperf.ms.bias_gelu", kAB, kC},
    {"com.microsoft", "SkipLayerNormalization", "tfperf.ms.skip_layer_norm",
     kSkipLNIn, kSkipLNOut},
    {"com.microsoft", "EmbedLayerNormalization", "tfperf.ms.embed_layer_norm",
     kEmbedLNIn, kEmbedLNOut},
    {"com.microsoft", "BeamSearch", "tfperf.ms.beam_search", kBeamSearchIn,
     kBeamSearchOut},
    // ORT registered LayerNormalization in the default domain before opset
    // 17; the same op also appears under com.microsoft.
    {"com.microsoft", "LayerNormalization", "tfperf.layer_norm", kLayerNormIn,
     kLayerNormOut},
};
#undef UNARY
#undef BINARY
#undef VARIADIC
#undef REDUCE

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
    for (const OpSchema &s : kSchemas)
      t[std::string(s.domain) + "::" + s.opType] = &s;
    return t;
  }();
  auto it = table.find((normalizeDomain(domain) + llvm::Twine("::") + opType).str());
  return it == table.end() ? nullptr : it->second;
}

bool mlir::tfperf::onnximport::isWellKnownDomain(llvm::StringRef domain) {
  return domain.empty() || domain == "ai.onnx" || domain == "com.microsoft" ||
         domain == "ai.onnx.ml" || domain == "ai.onnx.training" ||
         domain == "ai.onnx.preview.training" ||
         domain == "com.microsoft.nchwc" || domain == "org.pytorch.aten";
}
