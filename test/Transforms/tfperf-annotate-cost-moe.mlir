// Costs of the fused Mixture-of-Experts ops (docs/CostModel.md),
// hand-computed. FLOPs count each token's k experts, never all E; bytes
// read the weights of the experts the T tokens touch, on average
// E (1 - (1 - k/E)^T) of them (at decode, few tokens touch few experts; a
// long prefill all), QMoE's as stored (4-bit: two per byte).
// RUN: tfperf-opt %s --tfperf-annotate-cost | FileCheck %s

// Mixtral-style: E = 8 experts, k = 2, H = 16, I = 32, gated (fc1 and fc3
// [8, 32, 16], fc2 [8, 16, 32]), SiLU, fp32.
// CHECK-LABEL: func.func @moe_prefill
func.func @moe_prefill(%x: tensor<4x16xf32>, %p: tensor<4x8xf32>) -> tensor<4x16xf32> {
  %w1 = tfperf.weight "w1" : tensor<8x32x16xf32>
  %w2 = tfperf.weight "w2" : tensor<8x16x32xf32>
  %w3 = tfperf.weight "w3" : tensor<8x32x16xf32>
  // T = 4 tokens (a prefill of 4, or a decode step at batch B = 4), 8
  // routed (token, expert) pairs.
  // GEMMs: 8 x 2 H (2 I + I) = 8 x 2 x 16 x 96 = 24576.
  // Top-k: a compare per probability (32) + a weight per pick (8) = 40.
  // Activation: SiLU 2 + gate 1 per intermediate element: 8 x 32 x 3 = 768.
  // Combine: 2 x 8 x 16 = 256. Total 24576 + 40 + 768 + 256 = 25640.
  // Bytes: the 4 tokens touch 8 (1 - (1 - 2/8)^4) = 5.46875 of the 8
  // experts on average (min(E, T k) = 8 is their upper bound): of each
  // 4096-weight tensor 4096 x 0.68359375 = 2800, x 3 x 4 B = 33600, x 256 +
  // probs 128 + y 256: 34240.
  // CHECK: "tfperf.ms.moe"{{.*}}tfperf.bytes = 34240 : i64, tfperf.flops = 25640 : i64, tfperf.gemm_flops = 24576 : i64
  %y = "tfperf.ms.moe"(%x, %p, %w1, %w2, %w3) <{k = 2 : i64, activation_type = "silu", operandSegmentSizes = array<i32: 1, 1, 1, 0, 1, 0, 1, 0>}> : (tensor<4x16xf32>, tensor<4x8xf32>, tensor<8x32x16xf32>, tensor<8x16x32xf32>, tensor<8x32x16xf32>) -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}

// The same layer at decode: one token reads k = 2 experts' weights, not 8.
// CHECK-LABEL: func.func @moe_decode
func.func @moe_decode(%x: tensor<1x16xf32>, %p: tensor<1x8xf32>) -> tensor<1x16xf32> {
  %w1 = tfperf.weight "w1" : tensor<8x32x16xf32>
  %w2 = tfperf.weight "w2" : tensor<8x16x32xf32>
  %w3 = tfperf.weight "w3" : tensor<8x32x16xf32>
  // GEMMs 2 x 3072 = 6144; top-k 8 + 2; activation 2 x 32 x 3 = 192;
  // combine 2 x 2 x 16 = 64: 6410. Bytes: one token touches exactly
  // 8 (1 - (1 - 2/8)^1) = 2 experts: 2 x 1536 x 4 = 12288 + x 64 +
  // probs 32 + y 64 = 12448.
  // CHECK: "tfperf.ms.moe"{{.*}}tfperf.bytes = 12448 : i64, tfperf.flops = 6410 : i64, tfperf.gemm_flops = 6144 : i64
  %y = "tfperf.ms.moe"(%x, %p, %w1, %w2, %w3) <{k = 2 : i64, activation_type = "silu", operandSegmentSizes = array<i32: 1, 1, 1, 0, 1, 0, 1, 0>}> : (tensor<1x16xf32>, tensor<1x8xf32>, tensor<8x32x16xf32>, tensor<8x16x32xf32>, tensor<8x32x16xf32>) -> tensor<1x16xf32>
  return %y : tensor<1x16xf32>
}

// A long prefill, T = 64 tokens, T k = 128 >> E = 8: every expert is
// touched (8 (1 - 0.75^64) rounds to all weights), as min(E, T k) said.
// CHECK-LABEL: func.func @moe_long_prefill
func.func @moe_long_prefill(%x: tensor<64x16xf32>, %p: tensor<64x8xf32>) -> tensor<64x16xf32> {
  %w1 = tfperf.weight "w1" : tensor<8x32x16xf32>
  %w2 = tfperf.weight "w2" : tensor<8x16x32xf32>
  %w3 = tfperf.weight "w3" : tensor<8x32x16xf32>
  // GEMMs 128 x 3072 = 393216; top-k 512 + 128; activation 128 x 32 x 3 =
  // 12288; combine 2 x 128 x 16 = 4096: 410240. Bytes: 8 x 1536 x 4 =
  // 49152 + x 4096 + probs 2048 + y 4096 = 59392.
  // CHECK: "tfperf.ms.moe"{{.*}}tfperf.bytes = 59392 : i64, tfperf.flops = 410240 : i64, tfperf.gemm_flops = 393216 : i64
  %y = "tfperf.ms.moe"(%x, %p, %w1, %w2, %w3) <{k = 2 : i64, activation_type = "silu", operandSegmentSizes = array<i32: 1, 1, 1, 0, 1, 0, 1, 0>}> : (tensor<64x16xf32>, tensor<64x8xf32>, tensor<8x32x16xf32>, tensor<8x16x32xf32>, tensor<8x32x16xf32>) -> tensor<64x16xf32>
  return %y : tensor<64x16xf32>
}

// Symbolic tokens: the expected count E (1 - (1 - k/E)^T) has no SymExpr
// form, so the bytes keep its upper bound min(E, T k): 2 x 512 weights x
// 4 B = 4096 per touched expert, + x 64, probs 32, y 64 per token.
// CHECK-LABEL: func.func @moe_symbolic_tokens
func.func @moe_symbolic_tokens(%x: tensor<?x16xf32, #tfperf.dims<["T"]>>, %p: tensor<?x8xf32, #tfperf.dims<["T"]>>) -> tensor<?x16xf32, #tfperf.dims<["T"]>> {
  %w1 = tfperf.weight "w1" : tensor<8x32x16xf32>
  %w2 = tfperf.weight "w2" : tensor<8x16x32xf32>
  // CHECK: "tfperf.ms.moe"{{.*}}tfperf.bytes = "160*T + 4096*min(2*T, 8)"
  %y = "tfperf.ms.moe"(%x, %p, %w1, %w2) <{k = 2 : i64, activation_type = "relu", operandSegmentSizes = array<i32: 1, 1, 1, 0, 1, 0, 0, 0>}> : (tensor<?x16xf32, #tfperf.dims<["T"]>>, tensor<?x8xf32, #tfperf.dims<["T"]>>, tensor<8x32x16xf32>, tensor<8x16x32xf32>) -> tensor<?x16xf32, #tfperf.dims<["T"]>>
  return %y : tensor<?x16xf32, #tfperf.dims<["T"]>>
}

// Switch-style top-1 with biases and ReLU: FLOPs halve with k.
// CHECK-LABEL: func.func @moe_top1_bias
func.func @moe_top1_bias(%x: tensor<4x16xf32>, %p: tensor<4x8xf32>) -> tensor<4x16xf32> {
  %w1 = tfperf.weight "w1" : tensor<8x32x16xf32>
  %b1 = tfperf.weight "b1" : tensor<8x32xf32>
  %w2 = tfperf.weight "w2" : tensor<8x16x32xf32>
  %b2 = tfperf.weight "b2" : tensor<8x16xf32>
  // 4 routed pairs: GEMMs 4 x 2 x 16 x (32 + 32) = 8192; top-k 32 + 4;
  // ReLU 4 x 32; biases 4 x (32 + 16) = 192; combine 2 x 4 x 16 = 128:
  // 8676. Bytes: 8 (1 - (7/8)^4) = 3.31 experts (share 1695 / 4096; the
  // bound min(8, 4) was 4), each tensor's elements x share, rounded: fc1
  // 4096 -> 1695, b1 256 -> 106, fc2 4096 -> 1695, b2 128 -> 53; 3549 x 4 B
  // = 14196 + x 256 + probs 128 + y 256 = 14836.
  // CHECK: "tfperf.ms.moe"{{.*}}tfperf.bytes = 14836 : i64, tfperf.flops = 8676 : i64, tfperf.gemm_flops = 8192 : i64
  %y = "tfperf.ms.moe"(%x, %p, %w1, %b1, %w2, %b2) <{operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 1, 0, 0>}> : (tensor<4x16xf32>, tensor<4x8xf32>, tensor<8x32x16xf32>, tensor<8x32xf32>, tensor<8x16x32xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}

// QMoE at decode: 4-bit experts (two per uint8 along K), SwiGLU fused
// into fc1 [8, 2 I = 64, H / 2 = 8], fc2 [8, 16, I / 2 = 16], per-row
// scales.
// CHECK-LABEL: func.func @qmoe_decode
func.func @qmoe_decode(%x: tensor<1x16xf32>, %p: tensor<1x8xf32>) -> tensor<1x16xf32> {
  %w1 = tfperf.weight "w1" : tensor<8x64x8xui8>
  %s1 = tfperf.weight "s1" : tensor<8x64xf32>
  %w2 = tfperf.weight "w2" : tensor<8x16x16xui8>
  %s2 = tfperf.weight "s2" : tensor<8x16xf32>
  // 2 routed pairs: GEMMs 2 x 2 x 16 x (64 + 32) = 6144; top-k 8 + 2;
  // SwiGLU 5 x 32 x 2 = 320; combine 64; dequantizing the 2 touched
  // experts' (64 + 32) x 16 weights, 2 each: 6144. Total 12682.
  // Bytes: 2 experts x (fc1 512 B + scales 256 B + fc2 256 B + scales
  // 64 B) = 2176 + x 64 + probs 32 + y 64 = 2336.
  // CHECK: "tfperf.ms.qmoe"{{.*}}tfperf.bytes = 2336 : i64, tfperf.flops = 12682 : i64, tfperf.gemm_flops = 6144 : i64
  %y = "tfperf.ms.qmoe"(%x, %p, %w1, %s1, %w2, %s2) <{k = 2 : i64, activation_type = "swiglu", swiglu_fusion = 1 : i64, expert_weight_bits = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0>}> : (tensor<1x16xf32>, tensor<1x8xf32>, tensor<8x64x8xui8>, tensor<8x64xf32>, tensor<8x16x16xui8>, tensor<8x16xf32>) -> tensor<1x16xf32>
  return %y : tensor<1x16xf32>
}

// Expert weights that do not match the input's hidden size: the cost is
// unknown (the reports give the reason), never 0.
// CHECK-LABEL: func.func @moe_mismatch
func.func @moe_mismatch(%x: tensor<4x16xf32>, %p: tensor<4x8xf32>) -> tensor<4x16xf32> {
  %w1 = tfperf.weight "w1" : tensor<8x32x12xf32>
  %w2 = tfperf.weight "w2" : tensor<8x16x32xf32>
  // CHECK: "tfperf.ms.moe"{{.*}} {tfperf.cost = "unknown"}
  %y = "tfperf.ms.moe"(%x, %p, %w1, %w2) <{operandSegmentSizes = array<i32: 1, 1, 1, 0, 1, 0, 0, 0>}> : (tensor<4x16xf32>, tensor<4x8xf32>, tensor<8x32x12xf32>, tensor<8x16x32xf32>) -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}
