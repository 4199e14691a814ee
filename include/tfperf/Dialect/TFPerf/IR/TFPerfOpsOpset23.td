//===- TFPerfOpsOpset23.td - ai.onnx ops of opsets 18-27 ---*- tablegen -*-===//
//
// The ops of today's exports: the LLM ops ONNX standardised in opsets 23-27
// (Attention, RMSNormalization, RotaryEmbedding, TensorScatter,
// LinearAttention, CausalConvWithState, ai.onnx.preview FlexAttention) and
// the small standard ops their function bodies and exporters use (Mod,
// CastLike, Size, GreaterOrEqual, LessOrEqual, Swish). Included by
// TFPerfOps.td, whose base classes they use.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_OPS_OPSET23_TD
#define TFPERF_OPS_OPSET23_TD

//===----------------------------------------------------------------------===//
// Elementwise and shape ops
//===----------------------------------------------------------------------===//

def TFPerf_ModOp : TFPerf_BinaryOp<"mod", "Mod",
    "elementwise remainder (sign of the divisor, or of the dividend with fmod)",
    [TFPerf_ElementwiseMath]> {
  let arguments = (ins AnyTensor:$lhs, AnyTensor:$rhs,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$fmod);
}
def TFPerf_GreaterOrEqualOp : TFPerf_BinaryOp<"greater_or_equal",
    "GreaterOrEqual", "elementwise >= (i1 result)", [TFPerf_BooleanLogic]>;
def TFPerf_LessOrEqualOp : TFPerf_BinaryOp<"less_or_equal", "LessOrEqual",
    "elementwise <= (i1 result)", [TFPerf_BooleanLogic]>;

def TFPerf_SwishOp : TFPerf_PureOp<"swish",
    [TFPerf_ONNXName<"Swish">, TFPerf_Elementwise, TFPerf_ElementwiseMath]> {
  let summary = "ONNX Swish (opset 24): x * sigmoid(alpha x)";
  let arguments = (ins AnyTensor:$input,
                   DefaultValuedAttr<F32Attr, "1.0">:$alpha);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def TFPerf_CastLikeOp : TFPerf_PureOp<"cast_like",
    [TFPerf_ONNXName<"CastLike">, TFPerf_ViewLike, TFPerf_DataMovement]> {
  let summary = "ONNX CastLike: converts `input` to the element type of `target_type`";
  let description = [{
    Only the element type of `target_type` is used; its data is not read.
  }];
  let arguments = (ins AnyTensor:$input, AnyTensor:$target_type,
                   OptionalAttr<TFPerf_I64Attr>:$saturate);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$input `,` $target_type attr-dict `:` functional-type(operands, results)";
}

def TFPerf_SizeOp : TFPerf_PureOp<"size",
    [TFPerf_ONNXName<"Size">, TFPerf_ShapeDerived]> {
  let summary = "ONNX Size: the operand's element count as an i64 scalar";
  let arguments = (ins AnyTensor:$data);
  let results = (outs AnyTensor:$size);
  let assemblyFormat = "$data attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Normalization and RoPE
//===----------------------------------------------------------------------===//

def TFPerf_RMSNormOp : TFPerf_PureOp<"rms_norm",
    [TFPerf_ONNXName<"RMSNormalization">, TFPerf_Normalization]> {
  let summary = "ONNX RMSNormalization (opset 23): x / rms(x) * scale";
  let description = [{
    The mean of squares is taken over the dims from `axis` to the last.
  }];
  let arguments = (ins AnyTensor:$x, AnyTensor:$scale,
                   DefaultValuedAttr<TFPerf_I64Attr, "-1">:$axis,
                   DefaultValuedAttr<F32Attr, "1e-5">:$epsilon,
                   DefaultValuedAttr<TFPerf_I64Attr, "1">:$stash_type);
  let results = (outs AnyTensor:$y);
  let assemblyFormat = "$x `,` $scale attr-dict `:` functional-type(operands, results)";
}

def TFPerf_RotaryEmbeddingOp : TFPerf_PureOp<"rotary_embedding",
    [TFPerf_ONNXName<"RotaryEmbedding">, TFPerf_ElementwiseMath]> {
  let summary = "ONNX RotaryEmbedding (opset 23)";
  let description = [{
    `input` is [B, N, S, H] or [B, S, N*H] (then `num_heads` is required);
    `cos_cache`/`sin_cache` are [max_position, R/2] indexed by
    `position_ids` [B, S], or already gathered [B, S, R/2] without them. The
    first R = `rotary_embedding_dim` (0: the whole head) of each head are
    rotated, the rest copied.
  }];
  let arguments = (ins AnyTensor:$input, AnyTensor:$cos_cache,
                   AnyTensor:$sin_cache, Optional<AnyTensor>:$position_ids,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$interleaved,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$num_heads,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$rotary_embedding_dim);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = [{
    $input `,` $cos_cache `,` $sin_cache (`position_ids` `(` $position_ids^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// KV caches and attention
//===----------------------------------------------------------------------===//

def TFPerf_TensorScatterOp : TFPerf_PureOp<"tensor_scatter",
    [TFPerf_ONNXName<"TensorScatter">, TFPerf_DataMovement]> {
  let summary = "ONNX TensorScatter (opset 24): writes `update` into a static cache";
  let description = [{
    `past_cache` [B, ..., max_len, ...] receives `update` [B, ..., len, ...]
    along `axis` at `write_indices` [B] (`mode` linear or circular); the
    result has the cache's shape. Runtimes update the cache in place, so
    only the update is moved.
  }];
  let arguments = (ins AnyTensor:$past_cache, AnyTensor:$update,
                   Optional<AnyTensor>:$write_indices,
                   DefaultValuedAttr<TFPerf_I64Attr, "-2">:$axis,
                   DefaultValuedAttr<StrAttr, "\"linear\"">:$mode);
  let results = (outs AnyTensor:$present_cache);
  let assemblyFormat = [{
    $past_cache `,` $update (`,` $write_indices^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

def TFPerf_AttentionOp : TFPerf_PureOp<"attention",
    [TFPerf_ONNXName<"Attention">, TFPerf_FusedAttention,
     AttrSizedOperandSegments]> {
  let summary = "ONNX Attention (opsets 23 to 25): scaled dot-product attention";
  let description = [{
    4-D inputs: `Q` [B, Nq, S, Hqk], `K` [B, Nkv, L, Hqk], `V` [B, Nkv, L, Hv];
    3-D inputs pack the heads in the last dim (`q_num_heads` and
    `kv_num_heads` then required). `past_key`/`past_value` [B, Nkv, P, H]
    are prepended to K and V and returned as `present_key`/`present_value`
    [B, Nkv, P + L, H]. Each of the Nq query heads attends to the T = P + L
    keys of its group's KV head (GQA when Nkv < Nq). `attn_mask`,
    `is_causal`, `nonpad_kv_seqlen` (opset 24) and `softcap` modify the
    scores; `qk_matmul_output` returns them ([B, Nq, S, T]).
    `left_window_size` and `right_window_size` (opset 25; -1: unbounded)
    restrict the query at absolute position p = offset + i to the keys
    p - left_window_size <= j <= p + right_window_size (a sliding window).
  }];
  let arguments = (ins AnyTensor:$Q, AnyTensor:$K, AnyTensor:$V,
                   Optional<AnyTensor>:$attn_mask,
                   Optional<AnyTensor>:$past_key, Optional<AnyTensor>:$past_value,
                   Optional<AnyTensor>:$nonpad_kv_seqlen,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$is_causal,
                   OptionalAttr<TFPerf_I64Attr>:$q_num_heads,
                   OptionalAttr<TFPerf_I64Attr>:$kv_num_heads,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$qk_matmul_output_mode,
                   OptionalAttr<F32Attr>:$scale,
                   DefaultValuedAttr<F32Attr, "0.0">:$softcap,
                   OptionalAttr<TFPerf_I64Attr>:$softmax_precision,
                   DefaultValuedAttr<TFPerf_I64Attr, "-1">:$left_window_size,
                   DefaultValuedAttr<TFPerf_I64Attr, "-1">:$right_window_size);
  // Optional outputs form a tail: [present_key, present_value, qk_matmul_output].
  let results = (outs AnyTensor:$Y, Variadic<AnyTensor>:$extras);
  let extraClassDeclaration = [{
    Value getPresentKey() { return getExtras().size() > 0 ? getExtras()[0] : Value(); }
    Value getPresentValue() { return getExtras().size() > 1 ? getExtras()[1] : Value(); }
    Value getQkMatmulOutput() { return getExtras().size() > 2 ? getExtras()[2] : Value(); }
  }];
  let hasVerifier = 1;
  let assemblyFormat = [{
    $Q `,` $K `,` $V (`mask` `(` $attn_mask^ `)`)?
    (`past_key` `(` $past_key^ `)`)? (`past_value` `(` $past_value^ `)`)?
    (`nonpad_kv_seqlen` `(` $nonpad_kv_seqlen^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def TFPerf_FlexAttentionOp : TFPerf_PureOp<"flex_attention",
    [TFPerf_ONNXName<"FlexAttention", "ai.onnx.preview">,
     TFPerf_FusedAttention]> {
  let summary = "ai.onnx.preview FlexAttention: attention with score/mask modifier graphs";
  let description = [{
    `Q` [B, Nq, S, H], `K` [B, Nkv, T, H], `V` [B, Nkv, T, Hv] (GQA when
    Nkv < Nq); result [B, Nq, S, Hv]. The modifier graphs (regions named by
    `subgraph_names`) act on each score; they are not costed separately.
  }];
  let arguments = (ins AnyTensor:$Q, AnyTensor:$K, AnyTensor:$V,
                   OptionalAttr<F32Attr>:$scale,
                   OptionalAttr<StrArrayAttr>:$subgraph_names);
  let results = (outs AnyTensor:$Y);
  let regions = (region VariadicRegion<AnyRegion>:$subgraphs);
  let assemblyFormat = [{
    $Q `,` $K `,` $V attr-dict `:` functional-type(operands, results)
    ($subgraphs^)?
  }];
}

// onnxruntime's com.microsoft LinearAttention (the op ONNX standardised)
// is the same op with more: inverse GQA (Nq < Nkv, Qwen3.5), key heads
// shared by several state heads, `chunk_size` (a prefill kernel choice)
// and `state_window` (onnxruntime contrib_ops/cpu/bert/linear_attention*).
def TFPerf_LinearAttentionOp : TFPerf_PureOp<"linear_attention",
    [TFPerf_ONNXName<"LinearAttention", "", ["com.microsoft"]>,
     AttrSizedOperandSegments]> {
  let summary = "ONNX LinearAttention (opset 27; com.microsoft): recurrent attention with a state per KV head";
  let description = [{
    `query` [B, T, Nq*Dk], `key` [B, T, Nk*Dk], `value` [B, T, Nkv*Dv];
    the state [B, Nkv, Dk, Dv] (`past_state` in, `present_state` out) is
    updated once per token (`decay` gates it, `beta` makes it a delta
    rule). Linear in T: no T x T scores. The output is
    [B, T, max(Nq, Nkv) * Dv]: with Nq < Nkv (com.microsoft's inverse
    GQA) each state head is read by one query head. `state_window` W > 0
    gives both states a leading axis [W, B, Nkv, Dk, Dv]: the states after
    the last W tokens, of which only the last is read back.
  }];
  let arguments = (ins AnyTensor:$query, AnyTensor:$key, AnyTensor:$value,
                   Optional<AnyTensor>:$past_state, Optional<AnyTensor>:$decay,
                   Optional<AnyTensor>:$beta,
                   TFPerf_I64Attr:$q_num_heads, TFPerf_I64Attr:$kv_num_heads,
                   OptionalAttr<StrAttr>:$update_rule,
                   OptionalAttr<F32Attr>:$scale,
                   OptionalAttr<TFPerf_I64Attr>:$chunk_size,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$state_window);
  // Optional output tail: [present_state].
  let results = (outs AnyTensor:$output, Variadic<AnyTensor>:$extras);
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    Value getPresentState() { return getExtras().empty() ? Value() : getExtras()[0]; }
  }];
  let assemblyFormat = [{
    $query `,` $key `,` $value (`past_state` `(` $past_state^ `)`)?
    (`decay` `(` $decay^ `)`)? (`beta` `(` $beta^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
}

// com.microsoft CausalConvWithState is the same op with a `dilation`, a
// channels-last layout and a `state_window` (onnxruntime
// contrib_ops/cpu/bert/causal_conv_with_state*).
def TFPerf_CausalConvWithStateOp : TFPerf_PureOp<"causal_conv_with_state",
    [TFPerf_ONNXName<"CausalConvWithState", "", ["com.microsoft"]>,
     AttrSizedOperandSegments]> {
  let summary = "ONNX CausalConvWithState (opset 27; com.microsoft): depthwise causal 1-D conv with a carry state";
  let description = [{
    `input` [B, C, L], `weight` [C, 1, K], `bias` [C], `past_state`
    [B, C, P]; `output` [B, C, L] and `present_state` [B, C, P], the last
    P = (K-1) * `dilation` positions. `channels_last` = 1: `input`
    [B, L, C...] and states [B, P, C...]. `state_window` W > 0 gives the
    states a leading axis W (the states after the last W positions; only
    the last is read back).
  }];
  let arguments = (ins AnyTensor:$input, AnyTensor:$weight,
                   Optional<AnyTensor>:$bias, Optional<AnyTensor>:$past_state,
                   DefaultValuedAttr<StrAttr, "\"none\"">:$activation,
                   DefaultValuedAttr<TFPerf_I64Attr, "1">:$ndim,
                   DefaultValuedAttr<TFPerf_I64Attr, "1">:$dilation,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$channels_last,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$state_window);
  // Optional output tail: [present_state].
  let results = (outs AnyTensor:$output, Variadic<AnyTensor>:$extras);
  let extraClassDeclaration = [{
    Value getPresentState() { return getExtras().empty() ? Value() : getExtras()[0]; }
  }];
  let hasVerifier = 1;
  let assemblyFormat = [{
    $input `,` $weight (`bias` `(` $bias^ `)`)? (`past_state` `(` $past_state^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
}

#endif // TFPERF_OPS_OPSET23_TD
