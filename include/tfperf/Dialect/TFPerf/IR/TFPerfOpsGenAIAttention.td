//===- TFPerfOpsGenAIAttention.td - serving attention ops --*- tablegen -*-===//
//
// The attention ops of onnxruntime's serving paths (signatures from
// microsoft/onnxruntime docs/ContribOperators.md): PagedAttention over a
// block-based KV cache (continuous batching; the LATENT layout of absorbed
// MLA) and block-sparse SparseAttention (Phi-3-small). How they are costed
// is in docs/CostModel.md. Included by TFPerfOps.td, whose base classes
// they use.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_OPS_GENAI_ATTENTION_TD
#define TFPERF_OPS_GENAI_ATTENTION_TD

def TFPerf_MSPagedAttentionOp : TFPerf_PureOp<"ms.paged_attention",
    [TFPerf_ONNXName<"PagedAttention", "com.microsoft">, TFPerf_FusedAttention,
     AttrSizedOperandSegments]> {
  let summary = "com.microsoft PagedAttention: attention over a paged (block-table) KV cache";
  let description = [{
    `query` [num_tokens, N*H] holds the new tokens of every sequence packed
    (or packed Q, K, V [num_tokens, (N + 2 Nkv) * H] when `key` is absent);
    `key`/`value` [num_tokens, Nkv*H]; `key_cache`/`value_cache`
    [num_blocks, block_size, Nkv, H] are updated in place and returned as
    `key_cache_out`/`value_cache_out`. `block_table` [B, max_blocks] maps
    each sequence onto cache blocks: a query attends to at most
    max_blocks * block_size keys (with a window w, the query at position p
    to keys p - w .. p).
    `kv_cache_layout` LATENT (absorbed MLA) has one cache with one KV head
    whose leading `v_head_size` channels are V; the output is
    [num_tokens, N * v_head_size].

    ```mlir
    %o, %kc, %vc = tfperf.ms.paged_attention %q key(%k) value(%v) key_cache(%kc0) value_cache(%vc0), %cu, %past, %bt {kv_num_heads = 2 : i64, num_heads = 4 : i64} : (tensor<?x64xf16>, tensor<?x32xf16>, tensor<?x32xf16>, tensor<64x16x2x16xf16>, tensor<64x16x2x16xf16>, tensor<3xi32>, tensor<2xi32>, tensor<2x8xi32>) -> (tensor<?x64xf16>, tensor<64x16x2x16xf16>, tensor<64x16x2x16xf16>)
    ```
  }];
  let arguments = (ins AnyTensor:$query, Optional<AnyTensor>:$key,
                   Optional<AnyTensor>:$value, AnyTensor:$key_cache,
                   Optional<AnyTensor>:$value_cache,
                   AnyTensor:$cumulative_sequence_length,
                   AnyTensor:$past_seqlens, AnyTensor:$block_table,
                   Optional<AnyTensor>:$cos_cache,
                   Optional<AnyTensor>:$sin_cache,
                   Optional<AnyTensor>:$slot_mapping,
                   Optional<AnyTensor>:$head_sink,
                   Optional<AnyTensor>:$q_norm_weight,
                   Optional<AnyTensor>:$k_norm_weight,
                   Optional<AnyTensor>:$k_scale, Optional<AnyTensor>:$v_scale,
                   Optional<AnyTensor>:$attention_metadata,
                   TFPerf_I64Attr:$num_heads, TFPerf_I64Attr:$kv_num_heads,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$do_rotary,
                   DefaultValuedAttr<TFPerf_I64Attr, "1">:$is_causal,
                   DefaultValuedAttr<TFPerf_I64Attr, "-1">:$local_window_size,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$rotary_interleaved,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$rotary_offset,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$v_head_size,
                   DefaultValuedAttr<StrAttr, "\"SEPARATE\"">:$kv_cache_layout,
                   DefaultValuedAttr<StrAttr, "\"\"">:$k_cache_dtype,
                   DefaultValuedAttr<StrAttr, "\"\"">:$v_cache_dtype,
                   DefaultValuedAttr<StrAttr, "\"NONE\"">:$k_quant_type,
                   DefaultValuedAttr<StrAttr, "\"NONE\"">:$v_quant_type,
                   OptionalAttr<F32Attr>:$qk_norm_epsilon,
                   OptionalAttr<F32Attr>:$scale,
                   OptionalAttr<F32Attr>:$softcap);
  // Optional outputs form a tail: [key_cache_out, value_cache_out].
  let results = (outs AnyTensor:$output, Variadic<AnyTensor>:$caches);
  let extraClassDeclaration = [{
    bool isLatent() { return getKvCacheLayout() == "LATENT"; }
  }];
  let assemblyFormat = [{
    $query (`key` `(` $key^ `)`)? (`value` `(` $value^ `)`)?
    `key_cache` `(` $key_cache `)` (`value_cache` `(` $value_cache^ `)`)? `,`
    $cumulative_sequence_length `,` $past_seqlens `,` $block_table
    (`cos_cache` `(` $cos_cache^ `)`)? (`sin_cache` `(` $sin_cache^ `)`)?
    (`slot_mapping` `(` $slot_mapping^ `)`)? (`head_sink` `(` $head_sink^ `)`)?
    (`q_norm_weight` `(` $q_norm_weight^ `)`)?
    (`k_norm_weight` `(` $k_norm_weight^ `)`)?
    (`k_scale` `(` $k_scale^ `)`)? (`v_scale` `(` $v_scale^ `)`)?
    (`attention_metadata` `(` $attention_metadata^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def TFPerf_MSSparseAttentionOp : TFPerf_PureOp<"ms.sparse_attention",
    [TFPerf_ONNXName<"SparseAttention", "com.microsoft">, TFPerf_FusedAttention,
     AttrSizedOperandSegments]> {
  let summary = "com.microsoft SparseAttention: block-sparse causal attention (Phi-3-small)";
  let description = [{
    `query` [B, S, N*H] (or packed Q, K, V), `key`/`value` [B, S, Nkv*H],
    caches `past_key`/`past_value` [B, Nkv, max_cache, H] shared with
    `present_key`/`present_value`. The block mask is CSR: `block_row_indices`
    [num_layout, max_blocks + 1], `block_col_indices` [num_layout, max_nnz];
    head h uses layout h mod num_layout. Each query row attends to the
    `sparse_block_size` keys of every non-zero block of its block row, so
    the work is proportional to the non-zero blocks: counted from the row
    indices when they are a constant, else the symbol
    `sparse_nnz_<node name>` (non-zero blocks summed over the layouts).
  }];
  let arguments = (ins AnyTensor:$query, Optional<AnyTensor>:$key,
                   Optional<AnyTensor>:$value, AnyTensor:$past_key,
                   AnyTensor:$past_value, AnyTensor:$block_row_indices,
                   AnyTensor:$block_col_indices,
                   AnyTensor:$total_sequence_length,
                   AnyTensor:$key_total_sequence_lengths,
                   Optional<AnyTensor>:$cos_cache,
                   Optional<AnyTensor>:$sin_cache,
                   TFPerf_I64Attr:$num_heads, TFPerf_I64Attr:$kv_num_heads,
                   TFPerf_I64Attr:$sparse_block_size,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$do_rotary,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$rotary_interleaved,
                   OptionalAttr<F32Attr>:$scale);
  let results = (outs AnyTensor:$output, AnyTensor:$present_key,
                 AnyTensor:$present_value);
  let assemblyFormat = [{
    $query (`key` `(` $key^ `)`)? (`value` `(` $value^ `)`)? `,` $past_key `,`
    $past_value `,` $block_row_indices `,` $block_col_indices `,`
    $total_sequence_length `,` $key_total_sequence_lengths
    (`cos_cache` `(` $cos_cache^ `)`)? (`sin_cache` `(` $sin_cache^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // TFPERF_OPS_GENAI_ATTENTION_TD
