//===- TFPerfOpsGenAIHybrid.td - hybrid-stack contrib ops --*- tablegen -*-===//
//
// The com.microsoft ops the onnxruntime-genai model builder emits for the
// hybrid Qwen3.5 / Qwen3-VL stacks (src/python/py/models/builders/qwen.py)
// besides LinearAttention and CausalConvWithState (aliases of the ai.onnx
// ops, TFPerfOpsOpset23.td): multimodal RoPE and the fused elementwise and
// norm glue around the linear-attention recurrence. Signatures from
// microsoft/onnxruntime onnxruntime/contrib_ops/cpu/bert/
// (mrotary_embedding*.{h,cc}, linear_attention_gates.cc, gated_add.cc).
// How they are costed is in docs/CostModel.md. Included by TFPerfOps.td,
// whose base classes they use.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_OPS_GENAI_HYBRID_TD
#define TFPERF_OPS_GENAI_HYBRID_TD

def TFPerf_MSMRotaryEmbeddingOp : TFPerf_PureOp<"ms.mrotary_embedding",
    [TFPerf_ONNXName<"MRotaryEmbedding", "com.microsoft">,
     TFPerf_ElementwiseMath]> {
  let summary = "com.microsoft MRotaryEmbedding: multimodal RoPE (Qwen2-VL, Qwen3-VL, Qwen3.5)";
  let description = [{
    `input` [B, S, N*H] (`num_heads` then required) or [B, N, S, H];
    `position_ids` [3, B, S] holds a temporal, a height and a width
    position per token; `cos_cache`/`sin_cache` [max_position, R/2]. Each
    of the R/2 rotary frequencies takes its angle from one of the three
    position streams: `mrope_section` [t, h, w] (t + h + w = R/2) gives
    how many, `mrope_layout` 0 in contiguous sections (Qwen2-VL), 1
    interleaved every third (Qwen3-VL). The first R = `rotary_embedding_dim`
    (0: the whole head) of each head are rotated, the rest copied.
  }];
  let arguments = (ins AnyTensor:$input, AnyTensor:$position_ids,
                   AnyTensor:$cos_cache, AnyTensor:$sin_cache,
                   DenseI64ArrayAttr:$mrope_section,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$mrope_layout,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$interleaved,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$is_packed_batching,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$num_heads,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$rotary_embedding_dim,
                   DefaultValuedAttr<F32Attr, "1.0">:$scale);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = [{
    $input `,` $position_ids `,` $cos_cache `,` $sin_cache attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def TFPerf_MSLinearAttentionGateOp : TFPerf_PureOp<"ms.linear_attention_gate",
    [TFPerf_ONNXName<"LinearAttentionGate", "com.microsoft">,
     TFPerf_Elementwise, TFPerf_ElementwiseMath]> {
  let summary = "com.microsoft LinearAttentionGate: the gated-delta decay and beta gates";
  let description = [{
    `decay` = `decay_scale` * Softplus(`a` + `dt_bias`) and `beta` =
    Sigmoid(`b`), both of `a`'s shape [..., H]; `dt_bias` and
    `decay_scale` hold one value per head (H). `beta` needs `b`.
  }];
  let arguments = (ins AnyTensor:$a, AnyTensor:$dt_bias,
                   AnyTensor:$decay_scale, Optional<AnyTensor>:$b);
  let results = (outs AnyTensor:$decay, Optional<AnyTensor>:$beta);
  let assemblyFormat = [{
    $a `,` $dt_bias `,` $decay_scale (`b` `(` $b^ `)`)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def TFPerf_MSGatedRMSNormOp : TFPerf_PureOp<"ms.gated_rms_norm",
    [TFPerf_ONNXName<"GatedRMSNorm", "com.microsoft">, TFPerf_Normalization]> {
  let summary = "com.microsoft GatedRMSNorm: RMSNorm(X) * scale * activation(gate)";
  let description = [{
    `X` and `gate` [..., D]; each contiguous group of len(`scale`) elements
    of the last dim (a head) is normalized on its own, so a packed
    [B, S, N*H] tensor takes an [H] scale. `activation` is `silu`
    (`swish`) or `sigmoid`.
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$scale, AnyTensor:$gate,
                   DefaultValuedAttr<F32Attr, "1e-5">:$epsilon,
                   DefaultValuedAttr<StrAttr, "\"silu\"">:$activation);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat = [{
    $X `,` $scale `,` $gate attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def TFPerf_MSGatedAddOp : TFPerf_PureOp<"ms.gated_add",
    [TFPerf_ONNXName<"GatedAdd", "com.microsoft">, TFPerf_Elementwise,
     TFPerf_ElementwiseMath]> {
  let summary = "com.microsoft GatedAdd: X + Y * gate (routed + gated shared experts)";
  let description = [{
    `X` and `Y` [..., D]; `gate` [..., 1] scales each row of `Y`.
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$Y, AnyTensor:$gate);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = [{
    $X `,` $Y `,` $gate attr-dict `:` functional-type(operands, results)
  }];
}

#endif // TFPERF_OPS_GENAI_HYBRID_TD
