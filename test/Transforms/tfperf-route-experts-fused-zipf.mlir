// A skewed routing on a fused MoE op: tfperf-route-experts marks it with s,
// and its bytes read the experts a pass touches under that routing,
// sum_i 1 - (1 - pi_i)^T, instead of E (1 - (1 - k/E)^T). FLOPs do not
// change: T k pairs whatever the split.
// RUN: tfperf-opt %s --tfperf-route-experts=routing=zipf:1 --tfperf-annotate-cost | FileCheck %s
// RUN: tfperf-opt %s --tfperf-route-experts=routing=zipf:0 --tfperf-annotate-cost | FileCheck %s --check-prefix=BALANCED --implicit-check-not=tfperf.routed_zipf
// Measured loads (docs/CostModel.md#measured-expert-loads) mark it with p
// instead: 60 10 10 10 10 0 0 0 gives pi = 1, 0.25 x 4, 0 x 3; touched at
// T = 4: 1 + 4 x (1 - 0.75^4) = 3.734375 of 8: 4096 x 3.734375 / 8 = 1912
// of each tensor, x 3 x 4 B = 22944, + 640 = 23584.
// RUN: rm -rf %t && mkdir -p %t && printf '60 10 10 10 10 0 0 0\n' > %t/loads.txt
// RUN: tfperf-opt %s --tfperf-route-experts=routing=loads:%t/loads.txt --tfperf-annotate-cost | FileCheck %s --check-prefix=LOADS --implicit-check-not=tfperf.routed_zipf
// LOADS: "tfperf.ms.moe"{{.*}}tfperf.bytes = 23584 : i64, tfperf.flops = 25640 : i64, tfperf.gemm_flops = 24576 : i64, tfperf.routed_loads = array<f64: 6.000000e-01, 1.000000e-01, 1.000000e-01, 1.000000e-01, 1.000000e-01, 0.000000e+00, 0.000000e+00, 0.000000e+00>, tfperf.routed_model = "loads:{{.*}}loads.txt"

// E = 8, k = 2, H = 16, I = 32, gated, fp32, T = 4 tokens (as the balanced
// @moe_prefill of tfperf-annotate-cost-moe.mlir: 34240 B, 25640 FLOPs).
// zipf:1: pi_i = 2 / ((i+1) H_8) = 0.7359, 0.3679, 0.2453, 0.1840, 0.1472,
// 0.1226, 0.1051, 0.0920; touched at T = 4: 0.9951 + 0.8404 + 0.6756 +
// 0.5566 + 0.4710 + 0.4075 + 0.3587 + 0.3202 = 4.6251 of 8 (balanced
// 5.46875): of each 4096-weight tensor 4096 x 4.6251 / 8 = 2368.05 -> 2368,
// x 3 x 4 B = 28416, + x 256 + probs 128 + y 256 = 29056.
// CHECK-LABEL: func.func @moe_prefill
// CHECK: "tfperf.ms.moe"{{.*}}tfperf.bytes = 29056 : i64, tfperf.flops = 25640 : i64, tfperf.gemm_flops = 24576 : i64, tfperf.routed_zipf = 1.000000e+00 : f64
// BALANCED: "tfperf.ms.moe"{{.*}}tfperf.bytes = 34240 : i64, tfperf.flops = 25640 : i64
func.func @moe_prefill(%x: tensor<4x16xf32>, %p: tensor<4x8xf32>) -> tensor<4x16xf32> {
  %w1 = tfperf.weight "w1" : tensor<8x32x16xf32>
  %w2 = tfperf.weight "w2" : tensor<8x16x32xf32>
  %w3 = tfperf.weight "w3" : tensor<8x32x16xf32>
  %y = "tfperf.ms.moe"(%x, %p, %w1, %w2, %w3) <{k = 2 : i64, activation_type = "silu", operandSegmentSizes = array<i32: 1, 1, 1, 0, 1, 0, 1, 0>}> : (tensor<4x16xf32>, tensor<4x8xf32>, tensor<8x32x16xf32>, tensor<8x16x32xf32>, tensor<8x32x16xf32>) -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}
