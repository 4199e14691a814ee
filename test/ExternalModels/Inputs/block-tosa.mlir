func.func @block(%x: tensor<8x64xf32>, %w: tensor<64x32xf32>, %b: tensor<32xf32>) -> tensor<8x32xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %s3x = tosa.const_shape {values = dense<[1, 8, 64]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %s3w = tosa.const_shape {values = dense<[1, 64, 32]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %s2 = tosa.const_shape {values = dense<[8, 32]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %s2b = tosa.const_shape {values = dense<[1, 32]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %x3 = tosa.reshape %x, %s3x : (tensor<8x64xf32>, !tosa.shape<3>) -> tensor<1x8x64xf32>
  %w3 = tosa.reshape %w, %s3w : (tensor<64x32xf32>, !tosa.shape<3>) -> tensor<1x64x32xf32>
  %mm3 = tosa.matmul %x3, %w3, %zp, %zp : (tensor<1x8x64xf32>, tensor<1x64x32xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x32xf32>
  %mm = tosa.reshape %mm3, %s2 : (tensor<1x8x32xf32>, !tosa.shape<2>) -> tensor<8x32xf32>
  %b2 = tosa.reshape %b, %s2b : (tensor<32xf32>, !tosa.shape<2>) -> tensor<1x32xf32>
  %add = tosa.add %mm, %b2 : (tensor<8x32xf32>, tensor<1x32xf32>) -> tensor<8x32xf32>
  %max = tosa.reduce_max %add {axis = 1 : i32} : (tensor<8x32xf32>) -> tensor<8x1xf32>
  %sub = tosa.sub %add, %max : (tensor<8x32xf32>, tensor<8x1xf32>) -> tensor<8x32xf32>
  %exp = tosa.exp %sub : (tensor<8x32xf32>) -> tensor<8x32xf32>
  %sum = tosa.reduce_sum %exp {axis = 1 : i32} : (tensor<8x32xf32>) -> tensor<8x1xf32>
  %rcp = tosa.reciprocal %sum : (tensor<8x1xf32>) -> tensor<8x1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %sm = tosa.mul %exp, %rcp, %shift : (tensor<8x32xf32>, tensor<8x1xf32>, tensor<1xi8>) -> tensor<8x32xf32>
  return %sm : tensor<8x32xf32>
}
