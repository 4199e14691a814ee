// Backward kernels, FLOPs, bytes and kept activations per op, and the
// module totals, checked against hand-computed values (docs/Training.md).
// f32 everywhere: bytes = 4 x elements.
// RUN: tfperf-opt %s --split-input-file --tfperf-analyze-training | FileCheck %s
// RUN: tfperf-opt %s --split-input-file --tfperf-analyze-training="input-requires-grad=true" | FileCheck %s --check-prefix=INPUT
// Bad options: tfperf-analyze-training-errors.mlir.
// A second tfperf-analyze-training with other options invalidates the
// training figures of the first report.
// RUN: tfperf-opt %s --split-input-file --tfperf-roofline --tfperf-analyze-training --tfperf-emit-report --tfperf-analyze-training=optimizer-bytes-per-param=12 --tfperf-emit-report -o /dev/null 2>/dev/null | FileCheck %s --check-prefix=REPORT
// REPORT: model state (16 B/param)
// REPORT: model state (12 B/param)

// A linear, a ReLU, a linear: the input needs no gradient, so the first
// linear computes dW (2*4*16*8 = 1024, reading dY 64, X 32, writing W 128
// elements) and its bias's sum (64 - 16 adds) but no dX. The ReLU keeps its
// output, which the second linear keeps too: counted once, at the ReLU.
// The module's totals (printed first): forward 1024 + 64 (bias) + 64
// (ReLU) + 256; parameters 128 + 16 + 32; activations x (128 B) and the
// ReLU output (256 B).
// CHECK: tfperf.training = {activation_bytes = 384 : i64, backward_flops = 1648 : i64, backward_gemm_flops = 1536 : i64, backward_unknown_ops = 0 : i64, forward_flops = 1408 : i64, forward_gemm_flops = 1280 : i64, input_requires_grad = false, parameters = 176 : i64}
// INPUT: tfperf.training = {activation_bytes = 384 : i64, backward_flops = 2672 : i64, backward_gemm_flops = 2560 : i64, {{.*}}forward_gemm_flops = 1280 : i64, input_requires_grad = true
// CHECK-LABEL: func.func @mlp
// CHECK: tfperf.gemm {{.*}}tfperf.bwd_bytes = 1216 : i64, tfperf.bwd_flops = 1072 : i64, tfperf.bwd_gemm_flops = 1024 : i64, tfperf.bwd_ops = ["dW = X^T dY", "db = sum dY"], tfperf.saved_bytes = 128 : i64
// CHECK: tfperf.relu {{.*}}tfperf.bwd_bytes = 768 : i64, tfperf.bwd_flops = 64 : i64, tfperf.bwd_ops = ["dX = dY [Y > 0]"], tfperf.saved_bytes = 256 : i64
// The second linear: dX and dW, 2*4*2*16 = 256 each; what it keeps (the
// ReLU's output) is already kept.
// CHECK: tfperf.matmul {{.*}}tfperf.bwd_bytes = 832 : i64, tfperf.bwd_flops = 512 : i64, tfperf.bwd_gemm_flops = 512 : i64, tfperf.bwd_ops = ["dX = dY W^T", "dW = X^T dY"]
// CHECK-NOT: tfperf.saved_bytes
// CHECK-SAME: tensor<4x2xf32>
// With the input needing a gradient the first linear adds dX (1024 GEMM
// FLOPs, dY 64 + W 128 read, X 32 written): backward GEMM = 2 x forward.
// INPUT-LABEL: func.func @mlp
// INPUT: tfperf.gemm {{.*}}tfperf.bwd_bytes = 2112 : i64, tfperf.bwd_flops = 2096 : i64, tfperf.bwd_gemm_flops = 2048 : i64, tfperf.bwd_ops = ["dX = dY W^T", "dW = X^T dY", "db = sum dY"]
func.func @mlp(%x: tensor<4x8xf32>) -> tensor<4x2xf32> {
  %w1 = tfperf.weight "w1" : tensor<16x8xf32>
  %b1 = tfperf.weight "b1" : tensor<16xf32>
  %w2 = tfperf.weight "w2" : tensor<16x2xf32>
  %h = tfperf.gemm %x, %w1, %b1 {transB = 1 : i64} : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  %a = tfperf.relu %h : (tensor<4x16xf32>) -> tensor<4x16xf32>
  %y = tfperf.matmul %a, %w2 : (tensor<4x16xf32>, tensor<16x2xf32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}

// -----

// Gemm with beta != 1 and C of Y's shape: dC = beta dY is a kernel of its
// own (64 multiplies, reading dY and writing dC, 256 B each), not folded
// into dW (2*4*16*8 = 1024; dY 256 + X 128 read, W 512 written).
// CHECK-LABEL: func.func @gemm_beta
// CHECK: tfperf.gemm {{.*}}tfperf.bwd_bytes = 1408 : i64, tfperf.bwd_flops = 1088 : i64, tfperf.bwd_gemm_flops = 1024 : i64, tfperf.bwd_ops = ["dW = X^T dY", "db = beta sum dY"]
func.func @gemm_beta(%x: tensor<4x8xf32>) -> tensor<4x16xf32> {
  %w = tfperf.weight "w" : tensor<16x8xf32>
  %c = tfperf.weight "c" : tensor<4x16xf32>
  %y = tfperf.gemm %x, %w, %c {transB = 1 : i64, beta = 5.000000e-01 : f32} : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}

// -----

// Attention-like products of two activations have no weight gradient: Q K^T
// gets dA and dB (2*4*4*8 = 256 each) and keeps Q and K^T; the scale by a
// constant keeps nothing; the softmax keeps its output (4 FLOPs per
// element); P x, with x needing no gradient, only computes dP (256) and
// keeps x, which the projections kept already.
// CHECK: tfperf.training = {activation_bytes = 448 : i64, backward_flops = 1872 : i64, backward_gemm_flops = 1792 : i64
// CHECK-LABEL: func.func @attention
// CHECK: tfperf.matmul {{.*}}tfperf.bwd_flops = 512 : i64{{.*}}tfperf.bwd_ops = ["dW = X^T dY"], tfperf.saved_bytes = 128 : i64
// CHECK: tfperf.matmul {{.*}}tfperf.bwd_ops = ["dW = X^T dY"]
// CHECK-NOT: saved_bytes
// CHECK-SAME: -> tensor<1x4x8xf32>
// CHECK: tfperf.transpose {{.*}}tfperf.bwd_bytes = 256 : i64, tfperf.bwd_flops = 0 : i64, tfperf.bwd_ops = ["dX = transpose(dY)"]
// CHECK: tfperf.matmul {{.*}}tfperf.bwd_flops = 512 : i64, tfperf.bwd_gemm_flops = 512 : i64, tfperf.bwd_ops = ["dA = dY B^T", "dB = A^T dY"], tfperf.saved_bytes = 256 : i64
// CHECK: tfperf.mul {{.*}}tfperf.bwd_flops = 16 : i64, tfperf.bwd_ops = ["dA = dY B"]
// CHECK-NOT: saved_bytes
// CHECK-SAME: -> tensor<1x4x4xf32>
// CHECK: tfperf.softmax {{.*}}tfperf.bwd_flops = 64 : i64, tfperf.bwd_ops = ["dX = Y (dY - sum(dY Y))"], tfperf.saved_bytes = 64 : i64
// CHECK: tfperf.matmul {{.*}}tfperf.bwd_flops = 256 : i64, tfperf.bwd_gemm_flops = 256 : i64, tfperf.bwd_ops = ["dA = dY B^T"]
// CHECK-NOT: saved_bytes
// CHECK-SAME: -> tensor<1x4x8xf32>
func.func @attention(%x: tensor<1x4x8xf32>) -> tensor<1x4x8xf32> {
  %wq = tfperf.weight "wq" : tensor<8x8xf32>
  %wk = tfperf.weight "wk" : tensor<8x8xf32>
  %q = tfperf.matmul %x, %wq : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %k = tfperf.matmul %x, %wk : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %kt = tfperf.transpose %k {perm = array<i64: 0, 2, 1>} : (tensor<1x4x8xf32>) -> tensor<1x8x4xf32>
  %s = tfperf.matmul %q, %kt : (tensor<1x4x8xf32>, tensor<1x8x4xf32>) -> tensor<1x4x4xf32>
  %c = tfperf.constant {value = dense<5.000000e-01> : tensor<f32>} : tensor<f32>
  %sc = tfperf.mul %s, %c : (tensor<1x4x4xf32>, tensor<f32>) -> tensor<1x4x4xf32>
  %p = tfperf.softmax %sc : (tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
  %o = tfperf.matmul %p, %x : (tensor<1x4x4xf32>, tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
  return %o : tensor<1x4x8xf32>
}

// -----

// An embedding lookup scatter-adds dY's 32 elements into a dense gradient
// of the whole 10x8 table and keeps the ids (4 x i64); its output feeds the
// LayerNorm and the residual add, so their two gradients are summed (32
// adds, 2x32 read, 32 written). LayerNorm over 4 rows of 8: dX 10 per
// element + 2 per row, dScale/dBias (2 + 2 + 1) per element; it keeps its
// input and mean/rstd (2 per row). The residual add passes dY through.
// CHECK: parameters = 96 : i64
// CHECK-LABEL: func.func @embedding_norm
// CHECK: tfperf.gather {{.*}}tfperf.bwd_bytes = 864 : i64, tfperf.bwd_flops = 64 : i64, tfperf.bwd_ops = ["dData = scatter_add(dY at indices)", "d(2 uses) summed"], tfperf.saved_bytes = 32 : i64
// CHECK: tfperf.layer_norm {{.*}}tfperf.bwd_bytes = 800 : i64, tfperf.bwd_flops = 488 : i64, tfperf.bwd_ops = ["dX = LayerNorm'(dY)", "dScale, dBias = sums over rows"], tfperf.saved_bytes = 160 : i64
// CHECK: tfperf.add {{.*}}tfperf.bwd_bytes = 0 : i64, tfperf.bwd_flops = 0 : i64, tfperf.bwd_ops = []
func.func @embedding_norm(%ids: tensor<1x4xi64>) -> tensor<1x4x8xf32> {
  %e = tfperf.weight "emb" : tensor<10x8xf32>
  %s = tfperf.weight "scale" : tensor<8xf32>
  %b = tfperf.weight "bias" : tensor<8xf32>
  %g = tfperf.gather %e, %ids : (tensor<10x8xf32>, tensor<1x4xi64>) -> tensor<1x4x8xf32>
  %n = tfperf.layer_norm %g, %s, %b : (tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
  %y = tfperf.add %g, %n : (tensor<1x4x8xf32>, tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}

// -----

// Gradients reach only what the output depends on differentiably: a weight
// that only feeds a comparison (a mask) gets none, nor do the ops on its
// path; the Where keeps its condition.
// CHECK: parameters = 4 : i64
// CHECK-LABEL: func.func @mask
// CHECK: tfperf.greater
// CHECK-NOT: tfperf.bwd
// CHECK-SAME: -> tensor<4xi1>
// CHECK: tfperf.where {{.*}}tfperf.bwd_ops = ["d(y) = cond ? 0 : dY"], tfperf.saved_bytes = 4 : i64
func.func @mask(%x: tensor<4xf32>) -> tensor<4xf32> {
  %m = tfperf.weight "mask_buffer" : tensor<4xf32>
  %w = tfperf.weight "w" : tensor<4xf32>
  %z = tfperf.constant {value = dense<0.000000e+00> : tensor<f32>} : tensor<f32>
  %c = tfperf.greater %m, %z : (tensor<4xf32>, tensor<f32>) -> tensor<4xi1>
  %xw = tfperf.mul %x, %w : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %y = tfperf.where %c, %z, %xw : (tensor<4xi1>, tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// An op without a backward model is unknown, never free.
// CHECK: backward_unknown_ops = 1 : i64
// CHECK-LABEL: func.func @unknown
// CHECK: tfperf.custom "Foo"{{.*}}tfperf.bwd = "unknown"
func.func @unknown(%x: tensor<4xf32>) -> tensor<4xf32> {
  %w = tfperf.weight "w" : tensor<4xf32>
  %xw = tfperf.mul %x, %w : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %y = tfperf.custom "Foo"("my.domain") (%xw) : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// The derivative of each elementwise op, per element of dY (8 here), as
// docs/Training.md states them.
// CHECK-LABEL: func.func @derivatives
// CHECK: tfperf.mul {{.*}}tfperf.bwd_flops = 8 : i64, tfperf.bwd_ops = ["dW = sum dY A"]
// CHECK: tfperf.sqrt {{.*}}tfperf.bwd_flops = 16 : i64, tfperf.bwd_ops = ["dX = dY / (2 Y)"]
// CHECK: tfperf.erf {{.*}}tfperf.bwd_flops = 40 : i64
// CHECK: tfperf.tanh {{.*}}tfperf.bwd_flops = 24 : i64
// CHECK: tfperf.sigmoid {{.*}}tfperf.bwd_flops = 24 : i64
// CHECK: tfperf.exp {{.*}}tfperf.bwd_flops = 8 : i64
// CHECK: tfperf.log {{.*}}tfperf.bwd_flops = 8 : i64
// CHECK: tfperf.neg {{.*}}tfperf.bwd_flops = 8 : i64
// CHECK: tfperf.abs {{.*}}tfperf.bwd_flops = 16 : i64
// CHECK: tfperf.reciprocal {{.*}}tfperf.bwd_flops = 24 : i64
// CHECK: tfperf.softplus {{.*}}tfperf.bwd_flops = 16 : i64
// CHECK: tfperf.sin {{.*}}tfperf.bwd_flops = 16 : i64
// CHECK: tfperf.cos {{.*}}tfperf.bwd_flops = 24 : i64
// CHECK: tfperf.gelu {{.*}}tfperf.bwd_flops = 88 : i64
// CHECK: tfperf.gelu {{.*}}tfperf.bwd_flops = 144 : i64
// CHECK: tfperf.div {{.*}}tfperf.bwd_flops = 8 : i64, tfperf.bwd_ops = ["dA = dY / B"]
// CHECK: tfperf.pow {{.*}}tfperf.bwd_flops = 24 : i64
// CHECK: tfperf.sub {{.*}}tfperf.bwd_flops = 8 : i64, tfperf.bwd_ops = ["dB = -dY"]
// CHECK: tfperf.clip {{.*}}tfperf.bwd_flops = 16 : i64
// CHECK: tfperf.softmax {{.*}}tfperf.bwd_flops = 32 : i64
// CHECK: tfperf.reduce_mean {{.*}}tfperf.bwd_flops = 8 : i64, tfperf.bwd_ops = ["dX = broadcast(dY) / n"]
func.func @derivatives(%x: tensor<8xf32>) -> tensor<1xf32> {
  %w = tfperf.weight "w" : tensor<8xf32>
  %two = tfperf.constant {value = dense<2.000000e+00> : tensor<f32>} : tensor<f32>
  %t0 = tfperf.mul %x, %w : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %t1 = tfperf.sqrt %t0 : (tensor<8xf32>) -> tensor<8xf32>
  %t2 = tfperf.erf %t1 : (tensor<8xf32>) -> tensor<8xf32>
  %t3 = tfperf.tanh %t2 : (tensor<8xf32>) -> tensor<8xf32>
  %t4 = tfperf.sigmoid %t3 : (tensor<8xf32>) -> tensor<8xf32>
  %t5 = tfperf.exp %t4 : (tensor<8xf32>) -> tensor<8xf32>
  %t6 = tfperf.log %t5 : (tensor<8xf32>) -> tensor<8xf32>
  %t7 = tfperf.neg %t6 : (tensor<8xf32>) -> tensor<8xf32>
  %t8 = tfperf.abs %t7 : (tensor<8xf32>) -> tensor<8xf32>
  %t9 = tfperf.reciprocal %t8 : (tensor<8xf32>) -> tensor<8xf32>
  %t10 = tfperf.softplus %t9 : (tensor<8xf32>) -> tensor<8xf32>
  %t11 = tfperf.sin %t10 : (tensor<8xf32>) -> tensor<8xf32>
  %t12 = tfperf.cos %t11 : (tensor<8xf32>) -> tensor<8xf32>
  %t13 = tfperf.gelu %t12 : (tensor<8xf32>) -> tensor<8xf32>
  %t14 = tfperf.gelu %t13 {approximate = "tanh"} : (tensor<8xf32>) -> tensor<8xf32>
  %t15 = tfperf.div %t14, %two : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %t16 = tfperf.pow %t15, %two : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %t17 = tfperf.sub %two, %t16 : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %t18 = tfperf.clip %t17 : (tensor<8xf32>) -> tensor<8xf32>
  %t19 = tfperf.softmax %t18 : (tensor<8xf32>) -> tensor<8xf32>
  %t20 = tfperf.reduce_mean %t19 {static_axes = array<i64: 0>} : (tensor<8xf32>) -> tensor<1xf32>
  return %t20 : tensor<1xf32>
}

// -----

// RMSNorm over 2 rows of 4: dX 7 per element + 1 per row, dScale 3 per
// element; it keeps its input and one rrms per row.
// CHECK-LABEL: func.func @rms_norm
// CHECK: tfperf.ms.simplified_layer_norm {{.*}}tfperf.bwd_flops = 82 : i64, tfperf.bwd_ops = ["dX = RMSNorm'(dY)", "dScale = sum over rows"], tfperf.saved_bytes = 40 : i64
func.func @rms_norm(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %w = tfperf.weight "w" : tensor<4x4xf32>
  %s = tfperf.weight "scale" : tensor<4xf32>
  %h = tfperf.matmul %x, %w : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %y = tfperf.ms.simplified_layer_norm %h, %s : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// Upstream ops get CostOpInterface's default backward through their
// external models: unknown, never free.
// CHECK: backward_unknown_ops = 1 : i64
// CHECK-LABEL: func.func @upstream
// CHECK: linalg.matmul {tfperf.bwd = "unknown"}
// CHECK: tfperf.relu {{.*}}tfperf.bwd_flops = 256 : i64
func.func @upstream(%x: tensor<8x16xf32>) -> tensor<8x32xf32> {
  %w = tfperf.weight "w" : tensor<16x32xf32>
  %e = tensor.empty() : tensor<8x32xf32>
  %c0 = arith.constant 0.0 : f32
  %z = linalg.fill ins(%c0 : f32) outs(%e : tensor<8x32xf32>) -> tensor<8x32xf32>
  %y = linalg.matmul ins(%x, %w : tensor<8x16xf32>, tensor<16x32xf32>) outs(%z : tensor<8x32xf32>) -> tensor<8x32xf32>
  %r = tfperf.relu %y : (tensor<8x32xf32>) -> tensor<8x32xf32>
  return %r : tensor<8x32xf32>
}

// -----

// GroupQueryAttention with do_rotary: the attention core's backward (1592
// FLOPs, as without rotary) plus the rotation of dQ and dK back, the
// forward's rotary part: 2*1*(4 + 2)*16*3 = 576.
// CHECK-LABEL: func.func @gqa_rotary
// CHECK: tfperf.ms.group_query_attention {{.*}}tfperf.bwd_flops = 2168 : i64, {{.*}}tfperf.bwd_ops = ["attention backward (recomputes P)", "rotary backward on dQ, dK"]
func.func @gqa_rotary(%x: tensor<2x1x64xf32>) -> tensor<2x1x64xf32> {
  %wq = tfperf.weight "wq" : tensor<64x64xf32>
  %wk = tfperf.weight "wk" : tensor<64x32xf32>
  %q = tfperf.matmul %x, %wq : (tensor<2x1x64xf32>, tensor<64x64xf32>) -> tensor<2x1x64xf32>
  %k = tfperf.matmul %x, %wk : (tensor<2x1x64xf32>, tensor<64x32xf32>) -> tensor<2x1x32xf32>
  %g, %gk, %gv = tfperf.ms.group_query_attention %q key(%k) value(%k) {num_heads = 4 : i64, kv_num_heads = 2 : i64, do_rotary = 1 : i64} : (tensor<2x1x64xf32>, tensor<2x1x32xf32>, tensor<2x1x32xf32>) -> (tensor<2x1x64xf32>, tensor<2x2x1x16xf32>, tensor<2x2x1x16xf32>)
  return %g : tensor<2x1x64xf32>
}

// -----

// GroupQueryAttention with a sliding window of 3 (+ its own key) over 8
// queries: 1 + 2 + 3 + 4 x 5 = 26 pairs per head, 4 heads: 104 scores (not
// 8 x 8). The backward visits the same pairs: GEMMs 2 x 104 x (3 x 16 +
// 2 x 16) = 16640, per score scale, mask, exp (2), dP - D, times P 7 x
// 104 = 728, D = rowsum(dO O) 2 x 4 x 8 x 16 = 1024: 18392.
// CHECK-LABEL: func.func @gqa_window
// CHECK: tfperf.ms.group_query_attention {{.*}}tfperf.bwd_flops = 18392 : i64, tfperf.bwd_gemm_flops = 16640 : i64
func.func @gqa_window(%x: tensor<1x8x64xf32>) -> tensor<1x8x64xf32> {
  %wq = tfperf.weight "wq" : tensor<64x64xf32>
  %wk = tfperf.weight "wk" : tensor<64x32xf32>
  %q = tfperf.matmul %x, %wq : (tensor<1x8x64xf32>, tensor<64x64xf32>) -> tensor<1x8x64xf32>
  %k = tfperf.matmul %x, %wk : (tensor<1x8x64xf32>, tensor<64x32xf32>) -> tensor<1x8x32xf32>
  %g = tfperf.ms.group_query_attention %q key(%k) value(%k) {num_heads = 4 : i64, kv_num_heads = 2 : i64, local_window_size = 3 : i64} : (tensor<1x8x64xf32>, tensor<1x8x32xf32>, tensor<1x8x32xf32>) -> tensor<1x8x64xf32>
  return %g : tensor<1x8x64xf32>
}
