// arith and math ops on tensors: 1 FLOP per element (transcendental ones
// too), 2 for math.fma, 0 for conversions; every operand read, the result
// written. The same ops on scalars (here inside a linalg body and at
// function level) get no annotation: they belong to the op around them.
// RUN: tfperf-opt %s --tfperf-annotate-cost | FileCheck %s

// CHECK-LABEL: func.func @on_tensors
func.func @on_tensors(%x: tensor<8x16xf32>, %y: tensor<8x16xf32>,
                      %c: i1, %h: tensor<8x16xf16>) {
  // CHECK: arith.addf {{.*}}{tfperf.bytes = 1536 : i64, tfperf.flops = 128 : i64}
  %a = arith.addf %x, %y : tensor<8x16xf32>
  // CHECK: arith.cmpf {{.*}}{tfperf.bytes = 1152 : i64, tfperf.flops = 128 : i64}
  %m = arith.cmpf olt, %x, %y : tensor<8x16xf32>
  // A scalar condition is not traffic.
  // CHECK: arith.select {{.*}}{tfperf.bytes = 1536 : i64, tfperf.flops = 128 : i64}
  %s = arith.select %c, %x, %y : tensor<8x16xf32>
  // Conversions move data: f16 in (2 bytes), f32 out.
  // CHECK: arith.extf {{.*}}{tfperf.bytes = 768 : i64, tfperf.flops = 0 : i64}
  %e = arith.extf %h : tensor<8x16xf16> to tensor<8x16xf32>
  // CHECK: math.exp {{.*}}{tfperf.bytes = 1024 : i64, tfperf.flops = 128 : i64}
  %ex = math.exp %x : tensor<8x16xf32>
  // CHECK: math.fma {{.*}}{tfperf.bytes = 2048 : i64, tfperf.flops = 256 : i64}
  %f = math.fma %x, %y, %a : tensor<8x16xf32>
  // A tensor constant costs nothing itself; its readers count it.
  // CHECK: arith.constant dense<1.000000e+00> : tensor<8x16xf32>
  %k = arith.constant dense<1.0> : tensor<8x16xf32>
  // CHECK: arith.mulf {{.*}}{tfperf.bytes = 1536 : i64, tfperf.flops = 128 : i64}
  %p = arith.mulf %k, %x : tensor<8x16xf32>
  return
}

// CHECK-LABEL: func.func @on_scalars
func.func @on_scalars(%x: tensor<8x16xf32>, %a: f32, %b: f32) -> f32 {
  // CHECK: arith.mulf %{{.*}}, %{{.*}} : f32
  %s = arith.mulf %a, %b : f32
  %e = tensor.empty() : tensor<8x16xf32>
  // CHECK: linalg.generic {{.*}}tfperf.bytes = 1024 : i64, tfperf.flops = 256 : i64
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%v: f32, %o: f32):
    // CHECK: arith.mulf %{{.*}}, %{{.*}} : f32
    %m = arith.mulf %v, %s : f32
    // CHECK-NEXT: math.exp %{{.*}} : f32
    %t = math.exp %m : f32
    linalg.yield %t : f32
  } -> tensor<8x16xf32>
  return %s : f32
}
