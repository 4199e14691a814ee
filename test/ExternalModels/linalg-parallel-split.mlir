// Tensor-parallel splits of lowered linalg IR: the linalg external model of
// ParallelSplitOpInterface reads them off indexing maps and iterator types
// (docs/ExternalModels.md). No transformer is recognised in linalg, so an
// argument annotation seeds the split: `tfperf.tp_split = d` splits dim d
// of the argument, one unit per element.
// RUN: tfperf-opt %s --split-input-file --tfperf-suggest-tp="tp=1,2,3,4" | FileCheck %s
// RUN: tfperf-opt %s --tp=1,2,4 | FileCheck %s --check-prefix=REPORT

// An MLP with its up projection split by columns (w1's dim 1, 256 units).
// n is a parallel loop of the first matmul: its result stays split; the
// ReLU carries it; k is a reduction loop of the second matmul: partial sums,
// an all-reduce, and w2 (read in row slices) is the weight. The bias add
// and the softmax after it run whole.
// CHECK: tfperf.tensor_parallel = [{feasible = true, tp = 1 : i64}, {feasible = true, tp = 2 : i64}, {feasible = false, reason = "a split dim of 256 units (from argument 1) is not divisible by 3", tp = 3 : i64}, {feasible = true, tp = 4 : i64}]
// CHECK: func.func @mlp
// CHECK: linalg.fill {tfperf.tp = "replicated"}
// CHECK-NEXT: linalg.matmul {tfperf.tp = "sharded", tfperf.tp_units = 256 : i64} ins(%arg0, %arg1
// CHECK-NEXT: linalg.generic {{.*}} attrs = {tfperf.tp = "sharded", tfperf.tp_units = 256 : i64}
// CHECK: linalg.matmul {tfperf.tp = "row", tfperf.tp_collective = "all_reduce", tfperf.tp_units = 256 : i64, tfperf.tp_weight_dim = 0 : i64} ins(%{{.*}}, %arg2
// CHECK-NEXT: linalg.generic {{.*}} attrs = {tfperf.tp = "replicated"}
// CHECK: linalg.softmax {tfperf.tp = "replicated"}
// The report costs the degrees and counts the splits of the first function.
// REPORT: Tensor-parallel splits (tfperf.tp)
// REPORT: row 1
// REPORT-NEXT: sharded 2
// REPORT: row: weight split by the contracted dim, all-reduce after
func.func @mlp(%x: tensor<8x64xf32>,
               %w1: tensor<64x256xf32> {tfperf.tp_split = 1 : i64},
               %w2: tensor<256x64xf32>, %b: tensor<64xf32>) -> tensor<8x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<8x256xf32>
  %acc1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<8x256xf32>) -> tensor<8x256xf32>
  %h = linalg.matmul ins(%x, %w1 : tensor<8x64xf32>, tensor<64x256xf32>)
                     outs(%acc1 : tensor<8x256xf32>) -> tensor<8x256xf32>
  %r = linalg.generic {
      indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
      iterator_types = ["parallel", "parallel"]}
      ins(%h : tensor<8x256xf32>) outs(%e1 : tensor<8x256xf32>) {
  ^bb0(%hv: f32, %out: f32):
    %m = arith.maximumf %hv, %zero : f32
    linalg.yield %m : f32
  } -> tensor<8x256xf32>
  %e2 = tensor.empty() : tensor<8x64xf32>
  %acc2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<8x64xf32>) -> tensor<8x64xf32>
  %y = linalg.matmul ins(%r, %w2 : tensor<8x256xf32>, tensor<256x64xf32>)
                     outs(%acc2 : tensor<8x64xf32>) -> tensor<8x64xf32>
  %a = linalg.generic {
      indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>,
                       affine_map<(i, j) -> (i, j)>],
      iterator_types = ["parallel", "parallel"]}
      ins(%y, %b : tensor<8x64xf32>, tensor<64xf32>) outs(%e2 : tensor<8x64xf32>) {
  ^bb0(%yv: f32, %bv: f32, %out: f32):
    %s = arith.addf %yv, %bv : f32
    linalg.yield %s : f32
  } -> tensor<8x64xf32>
  %o = linalg.softmax dimension(1) ins(%a : tensor<8x64xf32>)
                      outs(%e2 : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %o : tensor<8x64xf32>
}

// -----

// A batch split (x's dim 0): the matmul keeps it (the loop is parallel), a
// reduction over it leaves partial sums (all-reduce), a softmax over the
// other dim keeps it, and a softmax over it gathers its input first: the
// all-gather goes on the op that wrote it.
// CHECK: func.func @batch
// CHECK: linalg.matmul {tfperf.tp = "sharded", tfperf.tp_units = 8 : i64}
// CHECK: linalg.reduce ins({{.*}} dimensions = [0] {tfperf.tp = "row", tfperf.tp_collective = "all_reduce", tfperf.tp_units = 8 : i64}
// CHECK: linalg.softmax {tfperf.tp = "sharded", tfperf.tp_collective = "all_gather", tfperf.tp_units = 8 : i64} dimension(1)
// CHECK-NEXT: linalg.softmax {tfperf.tp = "replicated", tfperf.tp_gather = "softmax over the split dim"} dimension(0)
func.func @batch(%x: tensor<8x64xf32> {tfperf.tp_split = 0 : i64},
                 %w: tensor<64x32xf32>) -> (tensor<32xf32>, tensor<8x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x32xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<8x32xf32>) -> tensor<8x32xf32>
  %h = linalg.matmul ins(%x, %w : tensor<8x64xf32>, tensor<64x32xf32>)
                     outs(%acc : tensor<8x32xf32>) -> tensor<8x32xf32>
  %er = tensor.empty() : tensor<32xf32>
  %init = linalg.fill ins(%zero : f32) outs(%er : tensor<32xf32>) -> tensor<32xf32>
  %sum = linalg.reduce ins(%h : tensor<8x32xf32>) outs(%init : tensor<32xf32>) dimensions = [0]
    (%in: f32, %out: f32) {
      %s = arith.addf %in, %out : f32
      linalg.yield %s : f32
    }
  %rows = linalg.softmax dimension(1) ins(%h : tensor<8x32xf32>)
                         outs(%e : tensor<8x32xf32>) -> tensor<8x32xf32>
  %cols = linalg.softmax dimension(0) ins(%rows : tensor<8x32xf32>)
                         outs(%e : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %sum, %cols : tensor<32xf32>, tensor<8x32xf32>
}
