// linalg.generic costed from its iteration domain, indexing maps and body:
// FLOPs = (arith/math ops of one body execution) x (product of the loop
// ranges); GEMM FLOPs = 2 per multiply-accumulate of two inputs into the
// accumulator; each input read once, each init written once.
// RUN: tfperf-opt %s --tfperf-annotate-cost | FileCheck %s

#mk = affine_map<(m, n, k) -> (m, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
#id = affine_map<(i, j) -> (i, j)>
#col = affine_map<(i, j) -> (j)>
#row = affine_map<(i, j) -> (i)>

// CHECK-LABEL: func.func @matmul_as_generic
func.func @matmul_as_generic(%a: tensor<16x32xf32>, %b: tensor<32x8xf32>) -> tensor<16x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x8xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<16x8xf32>) -> tensor<16x8xf32>
  // 16*8*32 iterations of mulf + addf: 8192 FLOPs, all GEMM, as
  // linalg.matmul and tfperf.matmul; (512 + 256 + 128) * 4 bytes.
  // CHECK: linalg.generic {{.*}}tfperf.bytes = 3584 : i64, tfperf.flops = 8192 : i64, tfperf.gemm_flops = 8192 : i64}
  %r = linalg.generic {indexing_maps = [#mk, #kn, #mn],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<16x32xf32>, tensor<32x8xf32>) outs(%acc : tensor<16x8xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  } -> tensor<16x8xf32>
  return %r : tensor<16x8xf32>
}

// CHECK-LABEL: func.func @quantized_matmul_as_generic
func.func @quantized_matmul_as_generic(%a: tensor<16x32xi8>, %b: tensor<32x8xi8>,
                                       %azp: i32) -> tensor<16x8xi32> {
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<16x8xi32>
  %acc = linalg.fill ins(%zero : i32) outs(%e : tensor<16x8xi32>) -> tensor<16x8xi32>
  // The multiply-accumulate is found through the extsi casts (free) and
  // the zero-point subtraction (1 FLOP, not GEMM): 3 * 4096 FLOPs, 2 * 4096
  // of them GEMM; i8 inputs are 1 byte: 512 + 256 + 128 * 4.
  // CHECK: linalg.generic {{.*}}tfperf.bytes = 1280 : i64, tfperf.flops = 12288 : i64, tfperf.gemm_flops = 8192 : i64}
  %r = linalg.generic {indexing_maps = [#mk, #kn, #mn],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<16x32xi8>, tensor<32x8xi8>) outs(%acc : tensor<16x8xi32>) {
  ^bb0(%x: i8, %y: i8, %o: i32):
    %xe = arith.extsi %x : i8 to i32
    %xz = arith.subi %xe, %azp : i32
    %ye = arith.extsi %y : i8 to i32
    %p = arith.muli %xz, %ye : i32
    %s = arith.addi %p, %o : i32
    linalg.yield %s : i32
  } -> tensor<16x8xi32>
  return %r : tensor<16x8xi32>
}

// CHECK-LABEL: func.func @elementwise_generics
func.func @elementwise_generics(%x: tensor<8x16xf32>, %bias: tensor<16xf32>,
                                %y: tensor<8x16xf32>) -> (tensor<8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>) {
  %e = tensor.empty() : tensor<8x16xf32>
  // Bias add broadcast along rows: 128 adds; the bias is read once:
  // (128 + 16 + 128) * 4.
  // CHECK: linalg.generic {{.*}}tfperf.bytes = 1088 : i64, tfperf.flops = 128 : i64}
  %a = linalg.generic {indexing_maps = [#id, #col, #id],
                       iterator_types = ["parallel", "parallel"]}
      ins(%x, %bias : tensor<8x16xf32>, tensor<16xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%v: f32, %b: f32, %o: f32):
    %s = arith.addf %v, %b : f32
    linalg.yield %s : f32
  } -> tensor<8x16xf32>
  // tanh-GELU written out: 3 mul, fma (2), tanh, add, mul, mul = 9 per
  // element, as tfperf.gelu's tanh form; constants are free.
  // CHECK: linalg.generic {{.*}}tfperf.bytes = 1024 : i64, tfperf.flops = 1152 : i64}
  %g = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%v: f32, %o: f32):
    %c0 = arith.constant 0.044715 : f32
    %c1 = arith.constant 0.797884 : f32
    %half = arith.constant 0.5 : f32
    %one = arith.constant 1.0 : f32
    %v2 = arith.mulf %v, %v : f32
    %v3 = arith.mulf %v2, %v : f32
    %in = math.fma %c0, %v3, %v : f32
    %sc = arith.mulf %in, %c1 : f32
    %t = math.tanh %sc : f32
    %t1 = arith.addf %t, %one : f32
    %hv = arith.mulf %half, %v : f32
    %r = arith.mulf %hv, %t1 : f32
    linalg.yield %r : f32
  } -> tensor<8x16xf32>
  // In-place update of an output that holds data: it is read, and the add
  // into it is real work (no reduction loop): (128 + 128 + 128) * 4.
  // CHECK: linalg.generic {{.*}}tfperf.bytes = 1536 : i64, tfperf.flops = 128 : i64}
  %u = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<8x16xf32>) outs(%y : tensor<8x16xf32>) {
  ^bb0(%v: f32, %o: f32):
    %s = arith.addf %v, %o : f32
    linalg.yield %s : f32
  } -> tensor<8x16xf32>
  return %a, %g, %u : tensor<8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>
}

// CHECK-LABEL: func.func @reduction_generics
func.func @reduction_generics(%x: tensor<8x16xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %er = tensor.empty() : tensor<8xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%er : tensor<8xf32>) -> tensor<8xf32>
  // Row sums: 128 - 8 adds (n - 1 per output, as ReduceSum).
  // CHECK: linalg.generic {{.*}}tfperf.bytes = 544 : i64, tfperf.flops = 120 : i64}
  %s = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<8x16xf32>) outs(%acc : tensor<8xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.addf %v, %o : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  // Sum of squares: the square is 1 per element, the accumulation n - 1
  // per output; one input twice is no contraction (no GEMM FLOPs).
  // CHECK: linalg.generic {{.*}}tfperf.bytes = 544 : i64, tfperf.flops = 248 : i64}
  %q = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<8x16xf32>) outs(%acc : tensor<8xf32>) {
  ^bb0(%v: f32, %o: f32):
    %sq = arith.mulf %v, %v : f32
    %r = arith.addf %sq, %o : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  // Index arithmetic and casts are addressing, not FLOPs: only the final
  // addf counts (a position bias x + j).
  %e = tensor.empty() : tensor<8x16xf32>
  // CHECK: linalg.generic {{.*}}tfperf.bytes = 1024 : i64, tfperf.flops = 128 : i64}
  %p = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%v: f32, %o: f32):
    %j = linalg.index 1 : index
    %j2 = arith.addi %j, %j : index
    %ji = arith.index_cast %j2 : index to i32
    %jf = arith.sitofp %ji : i32 to f32
    %r = arith.addf %v, %jf : f32
    linalg.yield %r : f32
  } -> tensor<8x16xf32>
  return %s, %q, %p : tensor<8xf32>, tensor<8xf32>, tensor<8x16xf32>
}
