// Stock mlir-opt with only the pass plugin loaded: the tfperf passes run
// nested on func.func and cost linalg and tosa ops (the pass itself
// requests the external models, so no dialect plugin is needed); terminators
// and scalar ops inside bodies stay unannotated.
// RUN: mlir-opt --load-pass-plugin=%tfperf_libs/TFPerfPlugin.so \
// RUN:   --pass-pipeline='builtin.module(func.func(tfperf-annotate-cost))' %s \
// RUN:   | FileCheck %s

// CHECK-LABEL: func.func @linalg_block
func.func @linalg_block(%x: tensor<8x64xf32>, %w: tensor<64x32xf32>,
                        %b: tensor<32xf32>) -> tensor<8x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x32xf32>
  // CHECK: linalg.fill {tfperf.bytes = 0 : i64, tfperf.flops = 0 : i64}
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<8x32xf32>) -> tensor<8x32xf32>
  // CHECK: linalg.matmul {tfperf.bytes = 11264 : i64, tfperf.flops = 32768 : i64, tfperf.gemm_flops = 32768 : i64}
  %h = linalg.matmul ins(%x, %w : tensor<8x64xf32>, tensor<64x32xf32>)
                     outs(%acc : tensor<8x32xf32>) -> tensor<8x32xf32>
  // CHECK: linalg.generic {{.*}}attrs = {tfperf.bytes = 2176 : i64, tfperf.flops = 256 : i64}
  // CHECK-NEXT: ^bb0
  // CHECK-NEXT: arith.addf %{{.*}}, %{{.*}} : f32
  // CHECK-NEXT: linalg.yield %{{.*}} : f32
  %a = linalg.generic {
      indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>,
                       affine_map<(i, j) -> (i, j)>],
      iterator_types = ["parallel", "parallel"]}
      ins(%h, %b : tensor<8x32xf32>, tensor<32xf32>)
      outs(%e : tensor<8x32xf32>) {
  ^bb0(%hv: f32, %bv: f32, %out: f32):
    %s = arith.addf %hv, %bv : f32
    linalg.yield %s : f32
  } -> tensor<8x32xf32>
  // CHECK: linalg.softmax {tfperf.bytes = 2048 : i64, tfperf.flops = 1280 : i64}
  %y = linalg.softmax dimension(1) ins(%a : tensor<8x32xf32>)
                      outs(%e : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %y : tensor<8x32xf32>
}

// CHECK-LABEL: func.func @tosa_ops
func.func @tosa_ops(%a: tensor<1x8x64xf32>, %b: tensor<1x64x32xf32>,
                    %r: tensor<1x1x32xf32>) -> tensor<1x8x1xf32> {
  // CHECK: "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  // CHECK: tosa.matmul {{.*}}{tfperf.bytes = 11264 : i64, tfperf.flops = 32768 : i64, tfperf.gemm_flops = 32768 : i64}
  %m = tosa.matmul %a, %b, %zp, %zp : (tensor<1x8x64xf32>, tensor<1x64x32xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x32xf32>
  // CHECK: tosa.add {{.*}}{tfperf.bytes = 2176 : i64, tfperf.flops = 256 : i64}
  %s = tosa.add %m, %r : (tensor<1x8x32xf32>, tensor<1x1x32xf32>) -> tensor<1x8x32xf32>
  // CHECK: tosa.reduce_max {{.*}}tfperf.bytes = 1056 : i64, tfperf.flops = 248 : i64}
  %x = tosa.reduce_max %s {axis = 2 : i32} : (tensor<1x8x32xf32>) -> tensor<1x8x1xf32>
  return %x : tensor<1x8x1xf32>
}
