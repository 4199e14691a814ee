// com.microsoft GroupQueryAttention's sliding window (local_window_size w:
// as in onnxruntime's kernels, the query at absolute position p sees keys
// p - w .. p, so min(p + 1, w + 1) keys): the scores, softmax and P V are
// summed exactly over the queries with the closed forms ONNX Attention-25
// uses (docs/CostModel.md), symbolic dims included; the KV cache is read
// from the first key any query's window reaches. Hand-computed, f32.
// RUN: tfperf-opt %s --tfperf-annotate-cost | FileCheck %s
// RUN: tfperf-opt %s --tfperf-infer-shapes="bind-dims=S=8,P=10" --tfperf-annotate-cost | FileCheck %s --check-prefix=BOUND

// 4 query heads of 16 over 2 KV heads, window 3 (4 keys); per score and
// head: Q K^T and P V 2 x 16 each, scale, causal mask, softmax 5: 71
// FLOPs, 64 of them GEMM; x 4 heads = 284 (256 GEMM) per query-key pair.

// CHECK-LABEL: func.func @gqa_window
// BOUND-LABEL: func.func @gqa_window
func.func @gqa_window(%q: tensor<1x8x64xf32>, %k: tensor<1x8x32xf32>,
                      %pk: tensor<1x2x5x16xf32>,
                      %qs: tensor<1x?x64xf32, #tfperf.dims<["S"]>>,
                      %ks: tensor<1x?x32xf32, #tfperf.dims<["S"]>>,
                      %q1: tensor<1x1x64xf32>, %k1: tensor<1x1x32xf32>,
                      %pp: tensor<1x2x?x16xf32, #tfperf.dims<["P"]>>) {
  // A chunk of 8 queries after 5 cached keys (positions 5..12): each sees
  // 4 keys, 32 pairs (not 8 x 13): 284 x 32. The caches are read from key
  // 2 on: 3 rows x 2 heads x 16 = 96 elements each; Q 512, K and V 256
  // each; written the output 512 and the presents 2 x 416: 4 x 2560 bytes.
  // CHECK: tfperf.ms.group_query_attention {{.*}}tfperf.bytes = 10240 : i64, tfperf.flops = 9088 : i64, tfperf.gemm_flops = 8192 : i64
  %o, %pres:2 = tfperf.ms.group_query_attention %q key(%k) value(%k) past_key(%pk) past_value(%pk) {num_heads = 4 : i64, kv_num_heads = 2 : i64, local_window_size = 3 : i64} : (tensor<1x8x64xf32>, tensor<1x8x32xf32>, tensor<1x8x32xf32>, tensor<1x2x5x16xf32>, tensor<1x2x5x16xf32>) -> (tensor<1x8x64xf32>, tensor<1x2x13x16xf32>, tensor<1x2x13x16xf32>)
  // A prefill of S symbolic queries: 1 + 2 + 3 + 4 (S - 3) pairs for
  // S >= 3, exact through min/max/floordiv (pinned as printed). At S = 8:
  // 26 pairs (8 x 4 = 32 before), 284 x 26; bytes 4 x (512 + 2 x 256 +
  // 512).
  // CHECK: tfperf.ms.group_query_attention {{.*}}tfperf.flops = "284*S*min(0, S - 1) + 284*S + 284*floordiv(S^2 - S, 2) + 284*floordiv(max(-S + min(0, S - 1), 0)^2 + max(-S + min(0, S - 1), 0), 2) - 284*floordiv(max(0, S - 4)^2 + max(0, S - 4), 2)"
  // BOUND: tfperf.ms.group_query_attention {{.*}}tfperf.bytes = 6144 : i64, tfperf.flops = 7384 : i64, tfperf.gemm_flops = 6656 : i64
  %os = tfperf.ms.group_query_attention %qs key(%ks) value(%ks) {num_heads = 4 : i64, kv_num_heads = 2 : i64, local_window_size = 3 : i64} : (tensor<1x?x64xf32, #tfperf.dims<["S"]>>, tensor<1x?x32xf32, #tfperf.dims<["S"]>>, tensor<1x?x32xf32, #tfperf.dims<["S"]>>) -> tensor<1x?x64xf32, #tfperf.dims<["S"]>>
  // A decode step after P cached keys: min(P + 1, 4) pairs; the caches
  // are read from key max(0, P - 3) on, at most 3 cached keys. At P = 10:
  // 284 x 4; Q 64, K and V 32 each, the caches 96 each, the output 64,
  // the presents 2 x 352: 4 x 1088 bytes.
  // CHECK: tfperf.ms.group_query_attention {{.*}}tfperf.bytes = "512*P - 256*min(P, max(0, P - 3)) + 1024"
  // BOUND: tfperf.ms.group_query_attention {{.*}}tfperf.bytes = 4352 : i64, tfperf.flops = 1136 : i64, tfperf.gemm_flops = 1024 : i64
  %od, %presd:2 = tfperf.ms.group_query_attention %q1 key(%k1) value(%k1) past_key(%pp) past_value(%pp) {num_heads = 4 : i64, kv_num_heads = 2 : i64, local_window_size = 3 : i64} : (tensor<1x1x64xf32>, tensor<1x1x32xf32>, tensor<1x1x32xf32>, tensor<1x2x?x16xf32, #tfperf.dims<["P"]>>, tensor<1x2x?x16xf32, #tfperf.dims<["P"]>>) -> (tensor<1x1x64xf32>, tensor<1x2x?x16xf32, #tfperf.dims<["P + 1"]>>, tensor<1x2x?x16xf32, #tfperf.dims<["P + 1"]>>)
  return
}
