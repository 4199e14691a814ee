// The peak a quantized GEMM runs at and the bytes it moves on a device
// (docs/Quantization.md): W8A8 (both operands dequantized int8) at the
// int8 peak, weight-only int4 at the activations' peak with the weights
// read as 4-bit. A100: int8 624e12, fp16 312e12 FLOP/s, 1.555e12 B/s.
// RUN: tfperf-opt %s --tfperf-annotate-cost --tfperf-roofline="hw=a100-sxm-40gb" 2>/dev/null | FileCheck %s

func.func @w8a8(%x: tensor<4096x4096xf32>) -> tensor<4096x4096xf32> {
  %s = tfperf.constant {value = dense<0.5> : tensor<f32>} : tensor<f32>
  %z = tfperf.constant {value = dense<0> : tensor<i8>} : tensor<i8>
  %wq = tfperf.weight "wq" : tensor<4096x4096xi8>
  %sw = tfperf.weight "sw" : tensor<4096xf32>
  %q = tfperf.quantize_linear %x, %s, %z : (tensor<4096x4096xf32>, tensor<f32>, tensor<i8>) -> tensor<4096x4096xi8>
  %xd = tfperf.dequantize_linear %q, %s, %z : (tensor<4096x4096xi8>, tensor<f32>, tensor<i8>) -> tensor<4096x4096xf32>
  %wd = tfperf.dequantize_linear %wq, %sw {axis = 1 : i64} : (tensor<4096x4096xi8>, tensor<4096xf32>) -> tensor<4096x4096xf32>
  // 2 * 4096^3 / 624e12 = 2.2026e-4 s (at the fp32 peak it would be
  // 7.05e-3); compute-bound.
  // CHECK: tfperf.matmul {{.*}}tfperf.bound = "compute", {{.*}}tfperf.time = 2.20{{[0-9]+}}E-4 : f64
  %y = tfperf.matmul %xd, %wd : (tensor<4096x4096xf32>, tensor<4096x4096xf32>) -> tensor<4096x4096xf32>
  return %y : tensor<4096x4096xf32>
}

func.func @weight_only_int4(%x: tensor<1x4096xf16>) -> tensor<1x4096xf16> {
  %wq = tfperf.weight "wq" : tensor<4096x4096xi4>
  %sw = tfperf.weight "sw" : tensor<32x4096xf16>
  %wd = tfperf.dequantize_linear %wq, %sw {axis = 0 : i64, block_size = 128 : i64} : (tensor<4096x4096xi4>, tensor<32x4096xf16>) -> tensor<4096x4096xf16>
  // A decode GEMV reads 8 MiB of 4-bit weights (+ 8 KiB in and out):
  // 8404992 B / 1.555e12 = 5.405e-6 s, half the fp16 weights' time.
  // CHECK: tfperf.matmul {{.*}}tfperf.bound = "memory", {{.*}}tfperf.time = 5.40{{[0-9]+}}E-6 : f64
  %y = tfperf.matmul %x, %wd : (tensor<1x4096xf16>, tensor<4096x4096xf16>) -> tensor<1x4096xf16>
  return %y : tensor<1x4096xf16>
}
