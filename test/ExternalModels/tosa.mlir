// Cost of tosa ops: each as the tfperf op it mirrors (docs/CostModel.md).
// Zero points, mul's shift and pad's pad_const are parameters, not
// traffic; reshape is a view. f32: bytes = 4 x elements.
// RUN: tfperf-opt %s --tfperf-annotate-cost | FileCheck %s

// CHECK-LABEL: func.func @compute
func.func @compute(%a: tensor<2x16x32xf32>, %b: tensor<2x32x8xf32>,
                   %img: tensor<1x10x10x3xf32>, %w: tensor<8x3x3x3xf32>,
                   %bias: tensor<8xf32>, %dw: tensor<3x3x3x2xf32>,
                   %dbias: tensor<6xf32>) {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  // 2*(2*16*8)*32 = 16384, all GEMM; (1024 + 512 + 256) * 4 bytes, the zero
  // points not included.
  // CHECK: tosa.matmul {{.*}}{tfperf.bytes = 7168 : i64, tfperf.flops = 16384 : i64, tfperf.gemm_flops = 16384 : i64}
  %mm = tosa.matmul %a, %b, %zp, %zp : (tensor<2x16x32xf32>, tensor<2x32x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x16x8xf32>
  // conv2d: out 1x8x8x8 = 512, 3x3x3 MACs each: 27648 GEMM FLOPs + 512 for
  // the bias add (ONNX Conv with a bias); (300 + 216 + 8 + 512) * 4.
  // CHECK: tosa.conv2d {{.*}}tfperf.bytes = 4144 : i64, tfperf.flops = 28160 : i64, tfperf.gemm_flops = 27648 : i64
  %cv = tosa.conv2d %img, %w, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x10x10x3xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x8xf32>
  // depthwise, multiplier 2: out 1x8x8x6 = 384, 3x3 MACs each.
  // CHECK: tosa.depthwise_conv2d {{.*}}tfperf.flops = 7296 : i64, tfperf.gemm_flops = 6912 : i64
  %dc = tosa.depthwise_conv2d %img, %dw, %dbias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x10x10x3xf32>, tensor<3x3x3x2xf32>, tensor<6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x6xf32>
  // Pooling 2x2 stride 2: 25*3 = 75 outputs; avg 4 per output (3 adds, a
  // divide), max 3.
  // CHECK: tosa.avg_pool2d {{.*}}tfperf.bytes = 1500 : i64, tfperf.flops = 300 : i64
  %ap = tosa.avg_pool2d %img, %zp, %zp {acc_type = f32, kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x10x10x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x5x5x3xf32>
  // CHECK: tosa.max_pool2d {{.*}}tfperf.flops = 225 : i64
  %mp = tosa.max_pool2d %img {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x10x10x3xf32>) -> tensor<1x5x5x3xf32>
  return
}

// CHECK-LABEL: func.func @elementwise_and_reductions
func.func @elementwise_and_reductions(%x: tensor<8x16xf32>, %r: tensor<1x16xf32>,
                                      %m: tensor<8x16xi1>) {
  // Broadcast operand read once: (128 + 16 + 128) * 4.
  // CHECK: tosa.add {{.*}}{tfperf.bytes = 1088 : i64, tfperf.flops = 128 : i64}
  %add = tosa.add %x, %r : (tensor<8x16xf32>, tensor<1x16xf32>) -> tensor<8x16xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  // The shift is a parameter: same bytes as the add.
  // CHECK: tosa.mul {{.*}}{tfperf.bytes = 1088 : i64, tfperf.flops = 128 : i64}
  %mul = tosa.mul %x, %r, %shift : (tensor<8x16xf32>, tensor<1x16xf32>, tensor<1xi8>) -> tensor<8x16xf32>
  // CHECK: tosa.exp {{.*}}{tfperf.bytes = 1024 : i64, tfperf.flops = 128 : i64}
  %exp = tosa.exp %x : (tensor<8x16xf32>) -> tensor<8x16xf32>
  // Clamp: a max then a min, as ONNX Clip.
  // CHECK: tosa.clamp {{.*}}tfperf.bytes = 1024 : i64, tfperf.flops = 256 : i64
  %cl = tosa.clamp %x {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<8x16xf32>) -> tensor<8x16xf32>
  // Select, as ONNX Where: 128 + 2 * 512 + 512 bytes.
  // CHECK: tosa.select {{.*}}{tfperf.bytes = 1664 : i64, tfperf.flops = 128 : i64}
  %sel = tosa.select %m, %x, %exp : (tensor<8x16xi1>, tensor<8x16xf32>, tensor<8x16xf32>) -> tensor<8x16xf32>
  // Reductions: n - 1 per output.
  // CHECK: tosa.reduce_sum {{.*}}tfperf.bytes = 576 : i64, tfperf.flops = 112 : i64
  %rs = tosa.reduce_sum %x {axis = 0 : i32} : (tensor<8x16xf32>) -> tensor<1x16xf32>
  // CHECK: tosa.reduce_max {{.*}}tfperf.flops = 120 : i64
  %rm = tosa.reduce_max %x {axis = 1 : i32} : (tensor<8x16xf32>) -> tensor<8x1xf32>
  return
}

// CHECK-LABEL: func.func @data_movement
func.func @data_movement(%x: tensor<8x16xf32>, %y: tensor<8x16xf32>,
                         %table: tensor<1x100x16xf32>, %ids: tensor<1x8xi32>) {
  // A view: no FLOPs, no traffic (as ONNX Reshape).
  %s = tosa.const_shape {values = dense<[16, 8]> : tensor<2xindex>} : () -> !tosa.shape<2>
  // CHECK: tosa.reshape {{.*}}{tfperf.bytes = 0 : i64, tfperf.flops = 0 : i64}
  %rs = tosa.reshape %x, %s : (tensor<8x16xf32>, !tosa.shape<2>) -> tensor<16x8xf32>
  // CHECK: tosa.transpose {{.*}}tfperf.bytes = 1024 : i64, tfperf.flops = 0 : i64
  %t = tosa.transpose %x {perms = array<i32: 1, 0>} : (tensor<8x16xf32>) -> tensor<16x8xf32>
  // CHECK: tosa.concat {{.*}}tfperf.bytes = 2048 : i64, tfperf.flops = 0 : i64
  %c = tosa.concat %x, %y {axis = 0 : i32} : (tensor<8x16xf32>, tensor<8x16xf32>) -> tensor<16x16xf32>
  // Slice reads only what it returns: 2 * 4*16 * 4.
  %st = tosa.const_shape {values = dense<[2, 0]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %sz = tosa.const_shape {values = dense<[4, 16]> : tensor<2xindex>} : () -> !tosa.shape<2>
  // CHECK: tosa.slice {{.*}}{tfperf.bytes = 512 : i64, tfperf.flops = 0 : i64}
  %sl = tosa.slice %x, %st, %sz : (tensor<8x16xf32>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<4x16xf32>
  // Pad: the input and the result, not pad_const: (128 + 180) * 4.
  %pd = tosa.const_shape {values = dense<[1, 1, 1, 1]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %pc = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  // CHECK: tosa.pad {{.*}}{tfperf.bytes = 1232 : i64, tfperf.flops = 0 : i64}
  %p = tosa.pad %x, %pd, %pc : (tensor<8x16xf32>, !tosa.shape<4>, tensor<1xf32>) -> tensor<10x18xf32>
  // Gather as an embedding lookup: ids + the 8 rows gathered, not the table:
  // 8 * 4 + 2 * 128 * 4.
  // CHECK: tosa.gather {{.*}}{tfperf.bytes = 1056 : i64, tfperf.flops = 0 : i64}
  %g = tosa.gather %table, %ids : (tensor<1x100x16xf32>, tensor<1x8xi32>) -> tensor<1x8x16xf32>
  return
}
