// tensor dialect data movement: views cost nothing, slices read what they
// return, insert_slice writes the slice in place, concat and pad read their
// inputs and write their result, tensor.empty only allocates.
// RUN: tfperf-opt %s --tfperf-annotate-cost | FileCheck %s

// CHECK-LABEL: func.func @tensor_ops
func.func @tensor_ops(%x: tensor<8x16xf32>, %y: tensor<8x16xf32>,
                      %d: tensor<32x16xf32>) {
  // CHECK: tensor.empty() {tfperf.bytes = 0 : i64, tfperf.flops = 0 : i64}
  %e = tensor.empty() : tensor<8x16xf32>
  // Reshapes are views.
  // CHECK: tensor.expand_shape {{.*}}{tfperf.bytes = 0 : i64, tfperf.flops = 0 : i64}
  %ex = tensor.expand_shape %x [[0, 1], [2]] output_shape [2, 4, 16] : tensor<8x16xf32> into tensor<2x4x16xf32>
  // CHECK: tensor.collapse_shape {{.*}}{tfperf.bytes = 0 : i64, tfperf.flops = 0 : i64}
  %co = tensor.collapse_shape %x [[0, 1]] : tensor<8x16xf32> into tensor<128xf32>
  // extract_slice reads the 2x16 it returns: 2 * 32 * 4.
  // CHECK: tensor.extract_slice {{.*}}{tfperf.bytes = 256 : i64, tfperf.flops = 0 : i64}
  %sl = tensor.extract_slice %x[0, 0] [2, 16] [1, 1] : tensor<8x16xf32> to tensor<2x16xf32>
  // insert_slice: reads the 8x16 slice, writes it into the 32x16 tensor.
  // CHECK: tensor.insert_slice {{.*}}{tfperf.bytes = 1024 : i64, tfperf.flops = 0 : i64}
  %in = tensor.insert_slice %x into %d[8, 0] [8, 16] [1, 1] : tensor<8x16xf32> into tensor<32x16xf32>
  // CHECK: tensor.concat {{.*}}{tfperf.bytes = 2048 : i64, tfperf.flops = 0 : i64}
  %c = tensor.concat dim(0) %x, %y : (tensor<8x16xf32>, tensor<8x16xf32>) -> tensor<16x16xf32>
  // pad: the input and the 10x18 result; the padding value is a scalar.
  %z = arith.constant 0.0 : f32
  // CHECK: tensor.pad
  // CHECK: } {tfperf.bytes = 1232 : i64, tfperf.flops = 0 : i64} : tensor<8x16xf32> to tensor<10x18xf32>
  %p = tensor.pad %x low[1, 1] high[1, 1] {
  ^bb0(%i: index, %j: index):
    tensor.yield %z : f32
  } : tensor<8x16xf32> to tensor<10x18xf32>
  return
}
