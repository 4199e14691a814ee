// Per-op FLOPs and bytes of the ai.onnx opset 23-27 ops, checked against
// hand-computed values (docs/CostModel.md). f32 unless stated: bytes = 4 x
// elements.
// RUN: tfperf-opt %s --tfperf-annotate-cost | FileCheck %s

// CHECK-LABEL: func.func @attention
func.func @attention(%q4: tensor<2x9x4x8xf32>, %k4: tensor<2x3x6x8xf32>,
                     %mask: tensor<4x18xf32>, %past: tensor<2x3x12x8xf32>,
                     %q3: tensor<1x8x64xf32>, %kv3: tensor<1x16x32xf32>,
                     %nonpad: tensor<1xi64>, %fq: tensor<2x8x4x16xf32>,
                     %fk: tensor<2x2x6x16xf32>) {
  // GQA (9 query, 3 KV heads) over T = 12 past + 6 new keys: scores
  // 2*9*4*18 = 1296; Q K^T and P V 2*1296*8 each = 41472 GEMM FLOPs; scale
  // 1296, mask 1296, softmax 5*1296. Elements read 576 + 288 + 288 + 72 +
  // 2*576, written 576 + 2*864: 4680 * 4 bytes.
  // CHECK: tfperf.attention {{.*}}tfperf.bytes = 18720 : i64, tfperf.flops = 50544 : i64, tfperf.gemm_flops = 41472 : i64
  %y, %pk, %pv = tfperf.attention %q4, %k4, %k4 mask(%mask) past_key(%past) past_value(%past) : (tensor<2x9x4x8xf32>, tensor<2x3x6x8xf32>, tensor<2x3x6x8xf32>, tensor<4x18xf32>, tensor<2x3x12x8xf32>, tensor<2x3x12x8xf32>) -> (tensor<2x9x4x8xf32>, tensor<2x3x18x8xf32>, tensor<2x3x18x8xf32>)
  // 3-D, 4 query heads of 16 over a 16-slot cache of 2 KV heads: scores
  // 4*8*16 = 512, GEMMs 2*2*512*16; causal and nonpad masks 2*512, softcap
  // 3*512, scale 512, softmax 5*512. Bytes 4 * 4*512 + 8 (the i64 lengths).
  // CHECK: tfperf.attention {{.*}}tfperf.bytes = 8200 : i64, tfperf.flops = 38400 : i64, tfperf.gemm_flops = 32768 : i64
  %y3 = tfperf.attention %q3, %kv3, %kv3 nonpad_kv_seqlen(%nonpad) {is_causal = 1 : i64, q_num_heads = 4 : i64, kv_num_heads = 2 : i64, softcap = 30.0 : f32} : (tensor<1x8x64xf32>, tensor<1x16x32xf32>, tensor<1x16x32xf32>, tensor<1xi64>) -> tensor<1x8x64xf32>
  // FlexAttention: scores 2*8*4*6 = 384, GEMMs 2*2*384*16, scale 384,
  // softmax 5*384; bytes 4 * (1024 + 2*384 + 1024).
  // CHECK: tfperf.flex_attention {{.*}}tfperf.bytes = 11264 : i64, tfperf.flops = 26880 : i64, tfperf.gemm_flops = 24576 : i64
  %fy = tfperf.flex_attention %fq, %fk, %fk : (tensor<2x8x4x16xf32>, tensor<2x2x6x16xf32>, tensor<2x2x6x16xf32>) -> tensor<2x8x4x16xf32>
  return
}

// CHECK-LABEL: func.func @norm_rope_cache
func.func @norm_rope_cache(%x: tensor<2x3x5xf32>, %s: tensor<5xf32>,
                           %r: tensor<2x3x32xf32>, %cache: tensor<50x4xf32>,
                           %pos: tensor<2x3xi64>, %r4: tensor<1x2x3x16xf32>,
                           %gathered: tensor<1x3x4xf32>,
                           %kv: tensor<2x1x4x5xf32>, %upd: tensor<2x1x2x5xf32>,
                           %idx: tensor<2xi64>) {
  // RMSNorm: 4 per element, 3 per row: 4*30 + 3*6; bytes 4 * (30 + 5 + 30).
  // CHECK: tfperf.rms_norm {{.*}}tfperf.bytes = 260 : i64, tfperf.flops = 138 : i64
  %n = tfperf.rms_norm %x, %s : (tensor<2x3x5xf32>, tensor<5xf32>) -> tensor<2x3x5xf32>
  // RoPE over whole heads of 8 (4 heads in 32): 3 * 192; reads the input,
  // 6 positions (i64) and their 6 cache rows of 4 in cos and sin.
  // CHECK: tfperf.rotary_embedding {{.*}}tfperf.bytes = 1776 : i64, tfperf.flops = 576 : i64
  %re = tfperf.rotary_embedding %r, %cache, %cache position_ids(%pos) {num_heads = 4 : i64} : (tensor<2x3x32xf32>, tensor<50x4xf32>, tensor<50x4xf32>, tensor<2x3xi64>) -> tensor<2x3x32xf32>
  // Partial rotary: 8 of each head of 16 rotated, 3 * 48; caches already
  // gathered per token, read whole.
  // CHECK: tfperf.rotary_embedding {{.*}}tfperf.bytes = 864 : i64, tfperf.flops = 144 : i64
  %rp = tfperf.rotary_embedding %r4, %gathered, %gathered {rotary_embedding_dim = 8 : i64} : (tensor<1x2x3x16xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x2x3x16xf32>
  // A static cache: only the update moves (read 20, written 20) and the
  // indices (2 i64), not the 40-element cache.
  // CHECK: tfperf.tensor_scatter {{.*}}tfperf.bytes = 176 : i64, tfperf.flops = 0 : i64
  %c = tfperf.tensor_scatter %kv, %upd, %idx {mode = "circular"} : (tensor<2x1x4x5xf32>, tensor<2x1x2x5xf32>, tensor<2xi64>) -> tensor<2x1x4x5xf32>
  return
}

// CHECK-LABEL: func.func @recurrent
func.func @recurrent(%q: tensor<2x4x64xf32>, %k: tensor<2x4x32xf32>,
                     %g: tensor<2x4x32xf32>, %b: tensor<2x4x4xf32>,
                     %cx: tensor<1x8x5xf32>, %cb: tensor<8xf32>,
                     %cs: tensor<1x8x3xf32>) {
  %w = tfperf.weight "w" : tensor<8x1x4xf32>
  // Gated delta rule, 8 tokens, 8 query / 4 KV heads, 8 x 8 states:
  // read-out 2*8*8*64, delta read and update 2*8*4*64 each (GEMM);
  // decay 8*4*64 and correction 2*8*4*8. Bytes 4 * (512 + 3*256 + 32 +
  // 512 + 512).
  // CHECK: tfperf.linear_attention {{.*}}tfperf.bytes = 9344 : i64, tfperf.flops = 18944 : i64, tfperf.gemm_flops = 16384 : i64
  %o, %st = tfperf.linear_attention %q, %k, %k decay(%g) beta(%b) {q_num_heads = 8 : i64, kv_num_heads = 4 : i64} : (tensor<2x4x64xf32>, tensor<2x4x32xf32>, tensor<2x4x32xf32>, tensor<2x4x32xf32>, tensor<2x4x4xf32>) -> (tensor<2x4x64xf32>, tensor<2x4x8x8xf32>)
  // 4 taps per output element (2*40*4), bias 40, SiLU 2*40; linear in L.
  // CHECK: tfperf.causal_conv_with_state {{.*}}tfperf.bytes = 672 : i64, tfperf.flops = 440 : i64
  %co, %cst = tfperf.causal_conv_with_state %cx, %w bias(%cb) past_state(%cs) {activation = "silu"} : (tensor<1x8x5xf32>, tensor<8x1x4xf32>, tensor<8xf32>, tensor<1x8x3xf32>) -> (tensor<1x8x5xf32>, tensor<1x8x3xf32>)
  return
}

// CHECK-LABEL: func.func @small_ops
func.func @small_ops(%x: tensor<2x5x64xf32>, %d: tensor<64xf32>,
                     %t: tensor<1xf16>) {
  // Swish: alpha x, sigmoid, multiply.
  // CHECK: tfperf.swish {{.*}}tfperf.flops = 1920 : i64
  %sw = tfperf.swish %x : (tensor<2x5x64xf32>) -> tensor<2x5x64xf32>
  // CHECK: tfperf.mod {{.*}}tfperf.flops = 640 : i64
  %m = tfperf.mod %x, %d {fmod = 1 : i64} : (tensor<2x5x64xf32>, tensor<64xf32>) -> tensor<2x5x64xf32>
  // CHECK: tfperf.greater_or_equal {{.*}}tfperf.flops = 640 : i64
  %ge = tfperf.greater_or_equal %x, %d : (tensor<2x5x64xf32>, tensor<64xf32>) -> tensor<2x5x64xi1>
  // CastLike reads the input (f32) and writes f16; the target is a type.
  // CHECK: tfperf.cast_like {{.*}}tfperf.bytes = 3840 : i64, tfperf.flops = 0 : i64
  %cl = tfperf.cast_like %x, %t : (tensor<2x5x64xf32>, tensor<1xf16>) -> tensor<2x5x64xf16>
  // Size reads metadata and writes one i64.
  // CHECK: tfperf.size {{.*}}tfperf.bytes = 8 : i64, tfperf.flops = 0 : i64
  %sz = tfperf.size %x : (tensor<2x5x64xf32>) -> tensor<i64>
  return
}
