// ONNX Attention's sliding window (opset 25, left/right_window_size): the
// scores, softmax and P V count the keys inside each query's window only,
// summed exactly over the queries (docs/CostModel.md); a KV cache is read
// from the first key any query's window reaches. Hand-computed, f32.
// RUN: tfperf-opt %s --tfperf-annotate-cost | FileCheck %s

// CHECK-LABEL: func.func @window
func.func @window(%q3: tensor<2x4x32xf32>, %k3: tensor<2x6x8xf32>,
                  %v3: tensor<2x6x6xf32>, %q1: tensor<1x2x1x8xf32>,
                  %past: tensor<1x2x10x8xf32>, %pastv: tensor<1x2x10x8xf32>,
                  %qb: tensor<1x1x4x8xf32>, %kb: tensor<1x1x6x8xf32>) {
  // ONNX's node test attention_3d_local_window: 4 query heads of 8, one KV
  // head (V head 6), causal, left window 2: queries 0..3 see 1, 2, 3, 3
  // keys = 9 pairs per head, x 2 x 4 = 72 scores. Q K^T 2*72*8 = 1152,
  // P V 2*72*6 = 864; scale 72, causal and window masks 144, softmax 360.
  // Bytes 4 x (256 + 96 + 72 read, 192 written).
  // CHECK: tfperf.attention {{.*}}tfperf.bytes = 2464 : i64, tfperf.flops = 2592 : i64, tfperf.gemm_flops = 2016 : i64
  %y = tfperf.attention %q3, %k3, %v3 {is_causal = 1 : i64, q_num_heads = 4 : i64, kv_num_heads = 1 : i64, left_window_size = 2 : i64} : (tensor<2x4x32xf32>, tensor<2x6x8xf32>, tensor<2x6x6xf32>) -> tensor<2x4x24xf32>
  // A decode step at position 10 (10 cached keys), causal, left window 3:
  // the query sees 4 keys, not 11. 2 heads: 8 scores; GEMMs 2*2*8*8 = 256,
  // scale 8, masks 16, softmax 40. The caches are read from key 7 on: 3
  // rows x 2 heads x 8 = 48 elements each; Q, K, V 16 each; written Y 16
  // and the presents 2 x 176: 4 x 512 bytes.
  // CHECK: tfperf.attention {{.*}}tfperf.bytes = 2048 : i64, tfperf.flops = 320 : i64, tfperf.gemm_flops = 256 : i64
  %yd, %pk, %pv = tfperf.attention %q1, %q1, %q1 past_key(%past) past_value(%pastv) {is_causal = 1 : i64, left_window_size = 3 : i64} : (tensor<1x2x1x8xf32>, tensor<1x2x1x8xf32>, tensor<1x2x1x8xf32>, tensor<1x2x10x8xf32>, tensor<1x2x10x8xf32>) -> (tensor<1x2x1x8xf32>, tensor<1x2x11x8xf32>, tensor<1x2x11x8xf32>)
  // ONNX's bidirectional example (left 2, right 1, not causal): queries
  // 0..3 of 6 keys see 2, 3, 4, 4 = 13 keys. GEMMs 2*2*13*8 = 416, scale
  // 13, window mask 13, softmax 65; bytes 4 x (32 + 48 + 48 + 32).
  // CHECK: tfperf.attention {{.*}}tfperf.bytes = 640 : i64, tfperf.flops = 507 : i64, tfperf.gemm_flops = 416 : i64
  %yb = tfperf.attention %qb, %kb, %kb {left_window_size = 2 : i64, right_window_size = 1 : i64} : (tensor<1x1x4x8xf32>, tensor<1x1x6x8xf32>, tensor<1x1x6x8xf32>) -> tensor<1x1x4x8xf32>
  // No window: every query scores all keys, as before (4 x 6 = 24 pairs).
  // CHECK: tfperf.attention {{.*}}tfperf.gemm_flops = 768 : i64
  %yn = tfperf.attention %qb, %kb, %kb {is_causal = 1 : i64} : (tensor<1x1x4x8xf32>, tensor<1x1x6x8xf32>, tensor<1x1x6x8xf32>) -> tensor<1x1x4x8xf32>
  return
}
