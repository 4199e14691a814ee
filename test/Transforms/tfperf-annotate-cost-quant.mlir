// Costs of quantized graphs (docs/Quantization.md), hand-computed. A
// DequantizeLinear read only by contractions (through views) is fused
// into them: it moves its scales and zero points, and the GEMM reads the
// quantized tensor at its stored width.
// RUN: tfperf-opt %s --tfperf-annotate-cost | FileCheck %s

// CHECK-LABEL: func.func @weight_only_int4
func.func @weight_only_int4(%x: tensor<4x64xf16>) -> tensor<4x32xf16> {
  %wq = tfperf.weight "wq" : tensor<64x32xi4>
  %s = tfperf.weight "s" : tensor<2x32xf16>
  // Blocked (32 along K): 2 FLOPs per weight (2 * 2048); reads the 64 fp16
  // scales (128 B) only.
  // CHECK: tfperf.dequantize_linear {{.*}}tfperf.bytes = 128 : i64, tfperf.flops = 4096 : i64
  %w = tfperf.dequantize_linear %wq, %s {axis = 0 : i64, block_size = 32 : i64} : (tensor<64x32xi4>, tensor<2x32xf16>) -> tensor<64x32xf16>
  // 2 * 4 * 32 * 64 GEMM FLOPs; x 256 x 2 B + W 2048 x 4 bits + y 128 x 2 B
  // = 512 + 1024 + 256.
  // CHECK: tfperf.matmul {{.*}}tfperf.bytes = 1792 : i64, tfperf.flops = 16384 : i64, tfperf.gemm_flops = 16384 : i64
  %y = tfperf.matmul %x, %w : (tensor<4x64xf16>, tensor<64x32xf16>) -> tensor<4x32xf16>
  return %y : tensor<4x32xf16>
}

// CHECK-LABEL: func.func @w8a8
func.func @w8a8(%x: tensor<4x64xf32>) -> tensor<4x32xf32> {
  %sx = tfperf.constant {value = dense<0.5> : tensor<f32>} : tensor<f32>
  %zx = tfperf.constant {value = dense<0> : tensor<i8>} : tensor<i8>
  %wq = tfperf.weight "wq" : tensor<64x32xi8>
  %sw = tfperf.weight "sw" : tensor<32xf32>
  // Quantize the activation: 2 per element; x 1024 B + scale 4 + zero
  // point 1 + q 256.
  // CHECK: tfperf.quantize_linear {{.*}}tfperf.bytes = 1285 : i64, tfperf.flops = 512 : i64
  %q = tfperf.quantize_linear %x, %sx, %zx : (tensor<4x64xf32>, tensor<f32>, tensor<i8>) -> tensor<4x64xi8>
  // CHECK: tfperf.dequantize_linear {{.*}}tfperf.bytes = 5 : i64, tfperf.flops = 512 : i64
  %xd = tfperf.dequantize_linear %q, %sx, %zx : (tensor<4x64xi8>, tensor<f32>, tensor<i8>) -> tensor<4x64xf32>
  // Per output channel: 32 scales.
  // CHECK: tfperf.dequantize_linear {{.*}}tfperf.bytes = 128 : i64, tfperf.flops = 4096 : i64
  %wd = tfperf.dequantize_linear %wq, %sw {axis = 1 : i64} : (tensor<64x32xi8>, tensor<32xf32>) -> tensor<64x32xf32>
  // Both operands read as int8 (256 + 2048 B), the result written as f32
  // (512 B).
  // CHECK: tfperf.matmul {{.*}}tfperf.bytes = 2816 : i64, tfperf.flops = 16384 : i64
  %y = tfperf.matmul %xd, %wd : (tensor<4x64xf32>, tensor<64x32xf32>) -> tensor<4x32xf32>
  return %y : tensor<4x32xf32>
}

// CHECK-LABEL: func.func @unfused_dequantize
func.func @unfused_dequantize(%q: tensor<8xi8>, %s: tensor<f32>) -> tensor<8xf32> {
  // Read by an Add: a standalone op reading 8 B + 4 B and writing 32 B.
  // CHECK: tfperf.dequantize_linear {{.*}}tfperf.bytes = 44 : i64, tfperf.flops = 16 : i64
  %d = tfperf.dequantize_linear %q, %s : (tensor<8xi8>, tensor<f32>) -> tensor<8xf32>
  %r = tfperf.add %d, %d : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %r : tensor<8xf32>
}

// CHECK-LABEL: func.func @packed_gemms
func.func @packed_gemms(%a: tensor<5x2xf32>, %ai: tensor<2x16xui8>, %bi: tensor<16x8xi8>,
                        %x: tensor<2x16xf32>) {
  %b = tfperf.weight "b" : tensor<3x1x16xui8>
  %s = tfperf.weight "s" : tensor<3xf32>
  %bias = tfperf.weight "bias" : tensor<3xf32>
  // MatMulNBits (4 bits, blocks of 32, K = 2, N = 3): 2 * 5 * 3 * 2 GEMM
  // FLOPs, 2 * 3 * 2 to dequantize, 15 bias adds; A 40 B + packed B 48 B
  // + scales 12 B + bias 12 B + Y 60 B.
  // CHECK: tfperf.ms.matmul_nbits {{.*}}tfperf.bytes = 172 : i64, tfperf.flops = 87 : i64, tfperf.gemm_flops = 60 : i64
  %y = tfperf.ms.matmul_nbits %a, %b, %s bias(%bias) {K = 2 : i64, N = 3 : i64, bits = 4 : i64, block_size = 32 : i64} : (tensor<5x2xf32>, tensor<3x1x16xui8>, tensor<3xf32>, tensor<3xf32>) -> tensor<5x3xf32>
  %za = tfperf.constant {value = dense<128> : tensor<ui8>} : tensor<ui8>
  %zb = tfperf.constant {value = dense<0> : tensor<i8>} : tensor<i8>
  // 2 * 2 * 8 * 16; A 32 B + B 128 B + zero points 2 B + Y 16 x 4 B.
  // CHECK: tfperf.matmul_integer {{.*}}tfperf.bytes = 226 : i64, tfperf.flops = 512 : i64, tfperf.gemm_flops = 512 : i64
  %yi = tfperf.matmul_integer %ai, %bi a_zero_point(%za) b_zero_point(%zb) : (tensor<2x16xui8>, tensor<16x8xi8>, tensor<ui8>, tensor<i8>) -> tensor<2x8xi32>
  %sc = tfperf.constant {value = dense<0.5> : tensor<f32>} : tensor<f32>
  // The same GEMM requantized: + 3 per output; 3 scales and 3 zero points
  // (15 B), y 16 x 1 B.
  // CHECK: tfperf.qlinear_matmul {{.*}}tfperf.bytes = 191 : i64, tfperf.flops = 560 : i64, tfperf.gemm_flops = 512 : i64
  %yq = tfperf.qlinear_matmul %ai, %sc, %za, %bi, %sc, %zb, %sc, %za : (tensor<2x16xui8>, tensor<f32>, tensor<ui8>, tensor<16x8xi8>, tensor<f32>, tensor<i8>, tensor<f32>, tensor<ui8>) -> tensor<2x8xui8>
  // min, max and quantize: 4 per element; x 128 B, y 32 B, scale and zero point 5 B.
  // CHECK: tfperf.dynamic_quantize_linear {{.*}}tfperf.bytes = 165 : i64, tfperf.flops = 128 : i64
  %dq:3 = tfperf.dynamic_quantize_linear %x : (tensor<2x16xf32>) -> (tensor<2x16xui8>, tensor<f32>, tensor<ui8>)
  return
}

// CHECK-LABEL: func.func @quantized_lookup
func.func @quantized_lookup(%ids: tensor<2x3xi64>) -> tensor<2x3x32xf32> {
  %t = tfperf.weight "table" : tensor<100x16xui8>
  %s = tfperf.weight "scales" : tensor<100x1xf32>
  // 4-bit rows packed two per byte: 6 rows of 32 values read as 96 B, ids
  // 48 B, 6 scales 24 B, 192 f32 written (768 B); 2 per value.
  // CHECK: tfperf.ms.gather_block_quantized {{.*}}tfperf.bytes = 936 : i64, tfperf.flops = 384 : i64
  %e = tfperf.ms.gather_block_quantized %t, %ids, %s {block_size = 32 : i64} : (tensor<100x16xui8>, tensor<2x3xi64>, tensor<100x1xf32>) -> tensor<2x3x32xf32>
  return %e : tensor<2x3x32xf32>
}

// CHECK-LABEL: func.func @gqa_window_softcap
func.func @gqa_window_softcap(%q: tensor<1x8x64xf32>, %k: tensor<1x8x32xf32>) {
  // 4 query heads of 16 over 2 KV heads; a window of 3 keys before each
  // query and its own: queries 0..7 see 1, 2, 3, 4, 4, 4, 4, 4 = 26 keys,
  // scores 4 * 26 = 104. Q K^T and P V 2 * 104 * 16 each; scale, mask 104
  // each, softmax 5 * 104, softcap (tanh, two scalings) 3 * 104.
  // CHECK: tfperf.ms.group_query_attention {{.*}}tfperf.flops = 7696 : i64, tfperf.gemm_flops = 6656 : i64
  %o = tfperf.ms.group_query_attention %q key(%k) value(%k) {num_heads = 4 : i64, kv_num_heads = 2 : i64, local_window_size = 3 : i64, softcap = 30.0 : f32} : (tensor<1x8x64xf32>, tensor<1x8x32xf32>, tensor<1x8x32xf32>) -> tensor<1x8x64xf32>
  return
}
