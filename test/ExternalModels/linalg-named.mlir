// Cost of linalg named ops, through the one structured-op model (iteration
// domain x body, docs/ExternalModels.md), checked against hand-computed
// values. f32 unless said otherwise: bytes = 4 x elements.
// RUN: tfperf-opt %s --tfperf-annotate-cost | FileCheck %s

// CHECK-LABEL: func.func @contractions
func.func @contractions(%a: tensor<16x32xf32>, %b: tensor<32x8xf32>,
                        %c: tensor<16x8xf32>, %bt: tensor<8x32xf32>,
                        %ba: tensor<4x16x32xf32>, %bb: tensor<4x32x8xf32>,
                        %v: tensor<32xf32>, %ah: tensor<16x32xf16>,
                        %bh: tensor<32x8xf16>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x8xf32>
  // A fill that only initialises accumulators is fused into them: free.
  // CHECK: linalg.fill {tfperf.bytes = 0 : i64, tfperf.flops = 0 : i64}
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<16x8xf32>) -> tensor<16x8xf32>
  // 2*16*8*32 = 8192, all GEMM; A, B and the output, not the fresh init:
  // (512 + 256 + 128) * 4.
  // CHECK: linalg.matmul {tfperf.bytes = 3584 : i64, tfperf.flops = 8192 : i64, tfperf.gemm_flops = 8192 : i64}
  %m0 = linalg.matmul ins(%a, %b : tensor<16x32xf32>, tensor<32x8xf32>)
                      outs(%acc : tensor<16x8xf32>) -> tensor<16x8xf32>
  // Accumulating into real data (GEMM with beta = 1) reads it: + 128 * 4.
  // CHECK: linalg.matmul {tfperf.bytes = 4096 : i64, tfperf.flops = 8192 : i64, tfperf.gemm_flops = 8192 : i64}
  %m1 = linalg.matmul ins(%a, %b : tensor<16x32xf32>, tensor<32x8xf32>)
                      outs(%c : tensor<16x8xf32>) -> tensor<16x8xf32>
  // B transposed through indexing_maps (MLIR 22 has no matmul_transpose_b).
  // CHECK: linalg.matmul {{.*}}tfperf.bytes = 3584 : i64, tfperf.flops = 8192 : i64, tfperf.gemm_flops = 8192 : i64
  %m2 = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                                       affine_map<(m, n, k) -> (n, k)>,
                                       affine_map<(m, n, k) -> (m, n)>]
                      ins(%a, %bt : tensor<16x32xf32>, tensor<8x32xf32>)
                      outs(%acc : tensor<16x8xf32>) -> tensor<16x8xf32>
  // Mixed precision: the extf casts in the body are free; f16 operands are
  // 2 bytes: (512 + 256) * 2 + 128 * 4.
  // CHECK: linalg.matmul {tfperf.bytes = 2048 : i64, tfperf.flops = 8192 : i64, tfperf.gemm_flops = 8192 : i64}
  %m3 = linalg.matmul ins(%ah, %bh : tensor<16x32xf16>, tensor<32x8xf16>)
                      outs(%acc : tensor<16x8xf32>) -> tensor<16x8xf32>
  // Batched: 4x the first.
  %eb = tensor.empty() : tensor<4x16x8xf32>
  %accb = linalg.fill ins(%zero : f32) outs(%eb : tensor<4x16x8xf32>) -> tensor<4x16x8xf32>
  // CHECK: linalg.batch_matmul {tfperf.bytes = 14336 : i64, tfperf.flops = 32768 : i64, tfperf.gemm_flops = 32768 : i64}
  %bm = linalg.batch_matmul ins(%ba, %bb : tensor<4x16x32xf32>, tensor<4x32x8xf32>)
                            outs(%accb : tensor<4x16x8xf32>) -> tensor<4x16x8xf32>
  // Batch-reduce: the batch is a reduction too; same FLOPs, a 16x8 output.
  // CHECK: linalg.batch_reduce_matmul {tfperf.bytes = 12800 : i64, tfperf.flops = 32768 : i64, tfperf.gemm_flops = 32768 : i64}
  %brm = linalg.batch_reduce_matmul ins(%ba, %bb : tensor<4x16x32xf32>, tensor<4x32x8xf32>)
                                    outs(%acc : tensor<16x8xf32>) -> tensor<16x8xf32>
  // Matrix-vector: 2*8*32.
  %ev = tensor.empty() : tensor<8xf32>
  %accv = linalg.fill ins(%zero : f32) outs(%ev : tensor<8xf32>) -> tensor<8xf32>
  // CHECK: linalg.matvec {tfperf.bytes = 1184 : i64, tfperf.flops = 512 : i64, tfperf.gemm_flops = 512 : i64}
  %mv = linalg.matvec ins(%bt, %v : tensor<8x32xf32>, tensor<32xf32>)
                      outs(%accv : tensor<8xf32>) -> tensor<8xf32>
  // linalg.contract with einsum-like maps: bik = sum_j bij * bjk.
  // CHECK: linalg.contract {{.*}}tfperf.flops = 32768 : i64, tfperf.gemm_flops = 32768 : i64
  %ct = linalg.contract indexing_maps = [affine_map<(b, i, k, j) -> (b, i, j)>,
                                         affine_map<(b, i, k, j) -> (b, j, k)>,
                                         affine_map<(b, i, k, j) -> (b, i, k)>]
                        ins(%ba, %bb : tensor<4x16x32xf32>, tensor<4x32x8xf32>)
                        outs(%accb : tensor<4x16x8xf32>) -> tensor<4x16x8xf32>
  return
}

// CHECK-LABEL: func.func @convolutions
func.func @convolutions(%img: tensor<1x10x10x3xf32>, %k: tensor<3x3x3x8xf32>,
                        %imgc: tensor<1x3x10x10xf32>, %kc: tensor<8x3x3x3xf32>,
                        %dk: tensor<3x3x3xf32>, %seq: tensor<2x16x4xf32>,
                        %k1: tensor<3x4x6xf32>, %vol: tensor<1x6x6x6x2xf32>,
                        %k3: tensor<3x3x3x2x4xf32>) {
  %zero = arith.constant 0.0 : f32
  // NHWC/HWCF, stride 1, no padding: out 1x8x8x8 = 512, each 3*3*3 MACs:
  // 2*512*27 FLOPs, all GEMM (as ONNX Conv without a bias);
  // (300 + 216 + 512) * 4 bytes.
  %e = tensor.empty() : tensor<1x8x8x8xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  // CHECK: linalg.conv_2d_nhwc_hwcf {{.*}}tfperf.bytes = 4112 : i64, tfperf.flops = 27648 : i64, tfperf.gemm_flops = 27648 : i64
  %c0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
          ins(%img, %k : tensor<1x10x10x3xf32>, tensor<3x3x3x8xf32>)
          outs(%acc : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  // NCHW/FCHW: the same computation.
  %ec = tensor.empty() : tensor<1x8x8x8xf32>
  %accc = linalg.fill ins(%zero : f32) outs(%ec : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  // CHECK: linalg.conv_2d_nchw_fchw {{.*}}tfperf.bytes = 4112 : i64, tfperf.flops = 27648 : i64, tfperf.gemm_flops = 27648 : i64
  %c1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
          ins(%imgc, %kc : tensor<1x3x10x10xf32>, tensor<8x3x3x3xf32>)
          outs(%accc : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  // Depthwise, stride 2: out 1x4x4x3 = 48, each 3*3 MACs: 2*48*9.
  %ed = tensor.empty() : tensor<1x4x4x3xf32>
  %accd = linalg.fill ins(%zero : f32) outs(%ed : tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  // CHECK: linalg.depthwise_conv_2d_nhwc_hwc {{.*}}tfperf.bytes = 1500 : i64, tfperf.flops = 864 : i64, tfperf.gemm_flops = 864 : i64
  %c2 = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
          ins(%img, %dk : tensor<1x10x10x3xf32>, tensor<3x3x3xf32>)
          outs(%accd : tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  // 1-D NWC/WCF: out 2x14x6 = 168, each 3*4 MACs: 2*168*12.
  %e1 = tensor.empty() : tensor<2x14x6xf32>
  %acc1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<2x14x6xf32>) -> tensor<2x14x6xf32>
  // CHECK: linalg.conv_1d_nwc_wcf {{.*}}tfperf.flops = 4032 : i64, tfperf.gemm_flops = 4032 : i64
  %c3 = linalg.conv_1d_nwc_wcf {dilations = dense<1> : tensor<1xi64>, strides = dense<1> : tensor<1xi64>}
          ins(%seq, %k1 : tensor<2x16x4xf32>, tensor<3x4x6xf32>)
          outs(%acc1 : tensor<2x14x6xf32>) -> tensor<2x14x6xf32>
  // 3-D NDHWC/DHWCF: out 1x4x4x4x4 = 256, each 27*2 MACs: 2*256*54.
  %e3 = tensor.empty() : tensor<1x4x4x4x4xf32>
  %acc3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<1x4x4x4x4xf32>) -> tensor<1x4x4x4x4xf32>
  // CHECK: linalg.conv_3d_ndhwc_dhwcf {{.*}}tfperf.flops = 27648 : i64, tfperf.gemm_flops = 27648 : i64
  %c4 = linalg.conv_3d_ndhwc_dhwcf {dilations = dense<1> : tensor<3xi64>, strides = dense<1> : tensor<3xi64>}
          ins(%vol, %k3 : tensor<1x6x6x6x2xf32>, tensor<3x3x3x2x4xf32>)
          outs(%acc3 : tensor<1x4x4x4x4xf32>) -> tensor<1x4x4x4x4xf32>
  // Max pooling 3x3 into a -inf accumulator: 8 max per output (n - 1, as a
  // reduction), not GEMM; the window tensor only carries a shape:
  // (300 + 192) * 4 bytes.
  %ninf = arith.constant 0xFF800000 : f32
  %win = tensor.empty() : tensor<3x3xf32>
  %ep = tensor.empty() : tensor<1x8x8x3xf32>
  %accp = linalg.fill ins(%ninf : f32) outs(%ep : tensor<1x8x8x3xf32>) -> tensor<1x8x8x3xf32>
  // CHECK: linalg.pooling_nhwc_max {{.*}}tfperf.bytes = 1968 : i64, tfperf.flops = 1536 : i64}
  %p = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%img, %win : tensor<1x10x10x3xf32>, tensor<3x3xf32>)
         outs(%accp : tensor<1x8x8x3xf32>) -> tensor<1x8x8x3xf32>
  return
}

// CHECK-LABEL: func.func @data_movement_and_elementwise
func.func @data_movement_and_elementwise(%x: tensor<8x16xf32>, %y: tensor<8x16xf32>,
                                         %m: tensor<8x16xi1>, %r: tensor<16xf32>) {
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<8x16xf32>
  %et = tensor.empty() : tensor<16x8xf32>
  // A fill whose result is read as data is a real write: 128 * 4 bytes.
  // CHECK: linalg.fill {tfperf.bytes = 512 : i64, tfperf.flops = 0 : i64}
  %ones = linalg.fill ins(%one : f32) outs(%e : tensor<8x16xf32>) -> tensor<8x16xf32>
  // A zero border made by filling and inserting: the fill is real (the
  // insert writes only the slice).
  %zero = arith.constant 0.0 : f32
  %eb = tensor.empty() : tensor<10x18xf32>
  // CHECK: linalg.fill {tfperf.bytes = 720 : i64, tfperf.flops = 0 : i64}
  %border = linalg.fill ins(%zero : f32) outs(%eb : tensor<10x18xf32>) -> tensor<10x18xf32>
  %padded = tensor.insert_slice %x into %border[1, 1] [8, 16] [1, 1] : tensor<8x16xf32> into tensor<10x18xf32>
  // Copy, transpose, broadcast: read once, write once, no FLOPs.
  // CHECK: linalg.copy {tfperf.bytes = 1024 : i64, tfperf.flops = 0 : i64}
  %cp = linalg.copy ins(%ones : tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) -> tensor<8x16xf32>
  // CHECK: linalg.transpose {{.*}}tfperf.bytes = 1024 : i64, tfperf.flops = 0 : i64}
  %t = linalg.transpose ins(%x : tensor<8x16xf32>) outs(%et : tensor<16x8xf32>) permutation = [1, 0]
  // CHECK: linalg.broadcast {{.*}}tfperf.bytes = 576 : i64, tfperf.flops = 0 : i64}
  %b = linalg.broadcast ins(%r : tensor<16xf32>) outs(%e : tensor<8x16xf32>) dimensions = [0]
  // Named elementwise ops: 1 FLOP per element, transcendental ones too.
  // CHECK: linalg.add {tfperf.bytes = 1536 : i64, tfperf.flops = 128 : i64}
  %add = linalg.add ins(%x, %y : tensor<8x16xf32>, tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) -> tensor<8x16xf32>
  // CHECK: linalg.exp {tfperf.bytes = 1024 : i64, tfperf.flops = 128 : i64}
  %exp = linalg.exp ins(%x : tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) -> tensor<8x16xf32>
  // Select as ONNX Where: 1 per element; the i1 mask is 1 byte each.
  // CHECK: linalg.select {tfperf.bytes = 1664 : i64, tfperf.flops = 128 : i64}
  %sel = linalg.select ins(%m, %x, %y : tensor<8x16xi1>, tensor<8x16xf32>, tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) -> tensor<8x16xf32>
  // linalg.elementwise: the body its kind builds.
  // CHECK: linalg.elementwise {{.*}}tfperf.bytes = 1536 : i64, tfperf.flops = 128 : i64}
  %ew = linalg.elementwise kind=#linalg.elementwise_kind<mul>
          ins(%x, %y : tensor<8x16xf32>, tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) -> tensor<8x16xf32>
  // linalg.map with two ops per element.
  // CHECK: linalg.map {{.*}}tfperf.bytes = 1536 : i64, tfperf.flops = 256 : i64}
  %map = linalg.map ins(%x, %y : tensor<8x16xf32>, tensor<8x16xf32>) outs(%e : tensor<8x16xf32>)
    (%a: f32, %c: f32, %o: f32) {
      %s = arith.addf %a, %c : f32
      %p = arith.mulf %s, %a : f32
      linalg.yield %p : f32
    }
  // Sum over rows into a fresh accumulator: 128 - 16 adds (ReduceSum's
  // n - 1 per output); the accumulator is written, not read.
  %er = tensor.empty() : tensor<16xf32>
  %accr = linalg.fill ins(%zero : f32) outs(%er : tensor<16xf32>) -> tensor<16xf32>
  // CHECK: linalg.reduce {{.*}}tfperf.bytes = 576 : i64, tfperf.flops = 112 : i64}
  %sum = linalg.reduce ins(%x : tensor<8x16xf32>) outs(%accr : tensor<16xf32>) dimensions = [0]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  // Into partial sums that hold data: every element is added, and the
  // partial sums are read.
  // CHECK: linalg.reduce {{.*}}tfperf.bytes = 640 : i64, tfperf.flops = 128 : i64}
  %sum2 = linalg.reduce ins(%x : tensor<8x16xf32>) outs(%r : tensor<16xf32>) dimensions = [0]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  // Softmax: 5 per element (tfperf.softmax), input and output.
  // CHECK: linalg.softmax {tfperf.bytes = 1024 : i64, tfperf.flops = 640 : i64}
  %sm = linalg.softmax dimension(1) ins(%x : tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) -> tensor<8x16xf32>
  // Pack: a relayout, read and written once.
  %ep = tensor.empty() : tensor<4x4x2x4xf32>
  // CHECK: linalg.pack {{.*}}tfperf.bytes = 1024 : i64, tfperf.flops = 0 : i64}
  %pk = linalg.pack %x inner_dims_pos = [0, 1] inner_tiles = [2, 4] into %ep : tensor<8x16xf32> -> tensor<4x4x2x4xf32>
  return
}

// Symbolic dims (#tfperf.dims) give symbolic costs; buffers with static
// shapes are costed too.
// CHECK-LABEL: func.func @symbolic_and_buffers
func.func @symbolic_and_buffers(%a: tensor<?x64xf32, #tfperf.dims<["seq"]>>,
                                %b: tensor<64x32xf32>,
                                %c: tensor<?x32xf32, #tfperf.dims<["seq"]>>,
                                %ma: memref<16x32xf32>, %mb: memref<32x8xf32>,
                                %mc: memref<16x8xf32>) {
  // A: 64*seq, B: 2048, C read (it holds data) and written: 32*seq each.
  // CHECK: linalg.matmul {tfperf.bytes = "512*seq + 8192", tfperf.flops = "4096*seq", tfperf.gemm_flops = "4096*seq"}
  %m = linalg.matmul ins(%a, %b : tensor<?x64xf32, #tfperf.dims<["seq"]>>, tensor<64x32xf32>)
                     outs(%c : tensor<?x32xf32, #tfperf.dims<["seq"]>>) -> tensor<?x32xf32, #tfperf.dims<["seq"]>>
  // On buffers the output is read too (nothing says it is fresh).
  // CHECK: linalg.matmul {tfperf.bytes = 4096 : i64, tfperf.flops = 8192 : i64, tfperf.gemm_flops = 8192 : i64}
  linalg.matmul ins(%ma, %mb : memref<16x32xf32>, memref<32x8xf32>) outs(%mc : memref<16x8xf32>)
  return
}
