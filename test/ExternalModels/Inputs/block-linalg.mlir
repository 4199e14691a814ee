// x[8,64] @ W[64,32] + b[32], softmax over the last axis, as a frontend
// lowers it to linalg: a zero-filled accumulator for the matmul, the bias
// add as a broadcasting generic, linalg.softmax.
func.func @block(%x: tensor<8x64xf32>, %w: tensor<64x32xf32>,
                 %b: tensor<32xf32>) -> tensor<8x32xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<8x32xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%empty : tensor<8x32xf32>) -> tensor<8x32xf32>
  %h = linalg.matmul ins(%x, %w : tensor<8x64xf32>, tensor<64x32xf32>)
                     outs(%acc : tensor<8x32xf32>) -> tensor<8x32xf32>
  %a = linalg.generic {
      indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>,
                       affine_map<(i, j) -> (i, j)>],
      iterator_types = ["parallel", "parallel"]}
      ins(%h, %b : tensor<8x32xf32>, tensor<32xf32>)
      outs(%empty : tensor<8x32xf32>) {
  ^bb0(%hv: f32, %bv: f32, %out: f32):
    %s = arith.addf %hv, %bv : f32
    linalg.yield %s : f32
  } -> tensor<8x32xf32>
  %y = linalg.softmax dimension(1) ins(%a : tensor<8x32xf32>)
                      outs(%empty : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %y : tensor<8x32xf32>
}
