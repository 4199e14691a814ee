// The block with softmax decomposed as TOSA must write it (max, subtract,
// exp, sum, reciprocal, multiply), in linalg: linalg.reduce into filled
// accumulators, broadcasting generics and named elementwise ops.
#id = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (i)>
func.func @block(%x: tensor<8x64xf32>, %w: tensor<64x32xf32>,
                 %b: tensor<32xf32>) -> tensor<8x32xf32> {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %empty = tensor.empty() : tensor<8x32xf32>
  %rows = tensor.empty() : tensor<8xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%empty : tensor<8x32xf32>) -> tensor<8x32xf32>
  %h = linalg.matmul ins(%x, %w : tensor<8x64xf32>, tensor<64x32xf32>)
                     outs(%acc : tensor<8x32xf32>) -> tensor<8x32xf32>
  %a = linalg.generic {
      indexing_maps = [#id, affine_map<(i, j) -> (j)>, #id],
      iterator_types = ["parallel", "parallel"]}
      ins(%h, %b : tensor<8x32xf32>, tensor<32xf32>)
      outs(%empty : tensor<8x32xf32>) {
  ^bb0(%hv: f32, %bv: f32, %out: f32):
    %s = arith.addf %hv, %bv : f32
    linalg.yield %s : f32
  } -> tensor<8x32xf32>
  %maxInit = linalg.fill ins(%ninf : f32) outs(%rows : tensor<8xf32>) -> tensor<8xf32>
  %m = linalg.reduce ins(%a : tensor<8x32xf32>) outs(%maxInit : tensor<8xf32>)
         dimensions = [1]
    (%in: f32, %run: f32) {
      %r = arith.maximumf %in, %run : f32
      linalg.yield %r : f32
    }
  %s = linalg.generic {
      indexing_maps = [#id, #row, #id],
      iterator_types = ["parallel", "parallel"]}
      ins(%a, %m : tensor<8x32xf32>, tensor<8xf32>)
      outs(%empty : tensor<8x32xf32>) {
  ^bb0(%av: f32, %mv: f32, %out: f32):
    %d = arith.subf %av, %mv : f32
    linalg.yield %d : f32
  } -> tensor<8x32xf32>
  %e = linalg.exp ins(%s : tensor<8x32xf32>) outs(%empty : tensor<8x32xf32>) -> tensor<8x32xf32>
  %sumInit = linalg.fill ins(%zero : f32) outs(%rows : tensor<8xf32>) -> tensor<8xf32>
  %t = linalg.reduce ins(%e : tensor<8x32xf32>) outs(%sumInit : tensor<8xf32>)
         dimensions = [1]
    (%in: f32, %run: f32) {
      %r = arith.addf %in, %run : f32
      linalg.yield %r : f32
    }
  %r = linalg.reciprocal ins(%t : tensor<8xf32>) outs(%rows : tensor<8xf32>) -> tensor<8xf32>
  %y = linalg.generic {
      indexing_maps = [#id, #row, #id],
      iterator_types = ["parallel", "parallel"]}
      ins(%e, %r : tensor<8x32xf32>, tensor<8xf32>)
      outs(%empty : tensor<8x32xf32>) {
  ^bb0(%ev: f32, %rv: f32, %out: f32):
    %p = arith.mulf %ev, %rv : f32
    linalg.yield %p : f32
  } -> tensor<8x32xf32>
  return %y : tensor<8x32xf32>
}
