// Stock mlir-opt with only the pass plugin loaded: tfperf-suggest-tp asks
// for the external models itself, so linalg ops get their split rules (the
// row-parallel matmul and its all-reduce would be "replicated" without).
// RUN: mlir-opt --load-pass-plugin=%tfperf_libs/TFPerfPlugin.so \
// RUN:   --pass-pipeline='builtin.module(tfperf-suggest-tp{tp=2})' %s \
// RUN:   | FileCheck %s

// CHECK: tfperf.tensor_parallel = [{feasible = true, tp = 2 : i64}]
// CHECK: linalg.matmul {tfperf.tp = "row", tfperf.tp_collective = "all_reduce", tfperf.tp_units = 64 : i64, tfperf.tp_weight_dim = 0 : i64}
func.func @row(%x: tensor<8x64xf32> {tfperf.tp_split = 1 : i64},
               %w: tensor<64x32xf32>) -> tensor<8x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x32xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<8x32xf32>) -> tensor<8x32xf32>
  %h = linalg.matmul ins(%x, %w : tensor<8x64xf32>, tensor<64x32xf32>)
                     outs(%acc : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %h : tensor<8x32xf32>
}
