// Per-op FLOPs and bytes of each op family, checked against hand-computed
// values (docs/CostModel.md). f32 everywhere: bytes = 4 x elements.
// RUN: tfperf-opt %s --tfperf-annotate-cost | FileCheck %s

// CHECK-LABEL: func.func @linear_algebra
func.func @linear_algebra(%a: tensor<4x1x16x32xf32>, %b: tensor<3x32x8xf32>,
                          %v: tensor<32xf32>, %x2: tensor<32x10xf32>,
                          %x3: tensor<10x16xf32>, %bias: tensor<10xf32>,
                          %img: tensor<1x6x28x28xf32>, %cb: tensor<12xf32>,
                          %e1: tensor<2x3x5xf32>, %e2: tensor<2x5x7xf32>,
                          %sq: tensor<4x4xf32>, %t6: tensor<2x3x4x5x6x7xf32>) {
  %W = tfperf.weight "W" : tensor<32x16xf32>
  %G = tfperf.weight "G" : tensor<10x16xf32>
  %K = tfperf.weight "K" : tensor<12x3x3x3xf32>
  // Broadcast batched MatMul: out 4x3x16x8 = 1536, K = 32:
  // 2*1536*32 FLOPs; (2048 + 768 + 1536) * 4 bytes.
  // CHECK: tfperf.matmul {{.*}}tfperf.bytes = 17408 : i64, tfperf.flops = 98304 : i64, tfperf.gemm_flops = 98304 : i64
  %mm = tfperf.matmul %a, %b : (tensor<4x1x16x32xf32>, tensor<3x32x8xf32>) -> tensor<4x3x16x8xf32>
  // Vector x matrix: 2*16*32.
  // CHECK: tfperf.matmul {{.*}}tfperf.flops = 1024 : i64
  %vm = tfperf.matmul %v, %W : (tensor<32xf32>, tensor<32x16xf32>) -> tensor<16xf32>
  // Gemm with transA: A^T is 16x32, out 16x10: 2*160*32.
  // CHECK: tfperf.gemm {{.*}}tfperf.bytes = 3968 : i64, tfperf.flops = 10240 : i64, tfperf.gemm_flops = 10240 : i64
  %g1 = tfperf.gemm %W, %x2 {transA = 1 : i64} : (tensor<32x16xf32>, tensor<32x10xf32>) -> tensor<16x10xf32>
  // Gemm with transB, alpha = 2 and a bias: 2*100*16 GEMM FLOPs, plus 100
  // for alpha and 100 for the bias add (elementwise, not MACs).
  // CHECK: tfperf.gemm {{.*}}tfperf.bytes = 1720 : i64, tfperf.flops = 3400 : i64, tfperf.gemm_flops = 3200 : i64
  %g2 = tfperf.gemm %x3, %G, %bias {alpha = 2.0 : f32, transB = 1 : i64} : (tensor<10x16xf32>, tensor<10x16xf32>, tensor<10xf32>) -> tensor<10x10xf32>
  // Grouped conv (group 2, stride 2, pad 1): out 1x12x14x14 = 2352, each a
  // sum over 3 channels x 3x3: 2*2352*27, plus 2352 bias adds.
  // CHECK: tfperf.conv {{.*}}tfperf.bytes = 29568 : i64, tfperf.flops = 129360 : i64, tfperf.gemm_flops = 127008 : i64
  %cv = tfperf.conv %img, %K, %cb {group = 2 : i64, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x6x28x28xf32>, tensor<12x3x3x3xf32>, tensor<12xf32>) -> tensor<1x12x14x14xf32>
  // Batched matmul as Einsum: space b*i*j*k = 210: 2*210.
  // CHECK: tfperf.einsum {{.*}}tfperf.flops = 420 : i64, tfperf.gemm_flops = 420 : i64
  %es = tfperf.einsum %e1, %e2 {equation = "bij,bjk->bik"} : (tensor<2x3x5xf32>, tensor<2x5x7xf32>) -> tensor<2x3x7xf32>
  // A diagonal and a pure permutation (DiT's unpatchify) compute nothing;
  // a reduction adds.
  // CHECK: tfperf.einsum {{.*}}tfperf.flops = 0 : i64
  %dg = tfperf.einsum %sq {equation = "ii->i"} : (tensor<4x4xf32>) -> tensor<4xf32>
  // CHECK: tfperf.einsum {{.*}}tfperf.bytes = 40320 : i64, tfperf.flops = 0 : i64
  %pm = tfperf.einsum %t6 {equation = "nhwpqc->nchpwq"} : (tensor<2x3x4x5x6x7xf32>) -> tensor<2x7x3x5x4x6xf32>
  // CHECK: tfperf.einsum {{.*}}tfperf.flops = 12 : i64
  %rd = tfperf.einsum %sq {equation = "ij->i"} : (tensor<4x4xf32>) -> tensor<4xf32>
  return
}

// CHECK-LABEL: func.func @elementwise_and_norms
func.func @elementwise_and_norms(%x: tensor<2x5x64xf32>, %s: tensor<64xf32>, %m: tensor<2x5x64xi1>) {
  // 1 FLOP per output element; broadcast operands are read once.
  // CHECK: tfperf.add {{.*}}tfperf.bytes = 5376 : i64, tfperf.flops = 640 : i64
  %a = tfperf.add %x, %s : (tensor<2x5x64xf32>, tensor<64xf32>) -> tensor<2x5x64xf32>
  // Transcendental ops count 1 too.
  // CHECK: tfperf.erf {{.*}}tfperf.flops = 640 : i64
  %e = tfperf.erf %a : (tensor<2x5x64xf32>) -> tensor<2x5x64xf32>
  // Where: i1 mask read at 1 byte per element.
  // CHECK: tfperf.where {{.*}}tfperf.bytes = 8320 : i64, tfperf.flops = 640 : i64
  %w = tfperf.where %m, %e, %x : (tensor<2x5x64xi1>, tensor<2x5x64xf32>, tensor<2x5x64xf32>) -> tensor<2x5x64xf32>
  // Softmax: 5 per element.
  // CHECK: tfperf.softmax {{.*}}tfperf.flops = 3200 : i64
  %sm = tfperf.softmax %w : (tensor<2x5x64xf32>) -> tensor<2x5x64xf32>
  // LayerNorm with bias: 7 per element + 4 per row (10 rows).
  // CHECK: tfperf.layer_norm {{.*}}tfperf.flops = 4520 : i64
  %ln = tfperf.layer_norm %sm, %s, %s : (tensor<2x5x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x5x64xf32>
  // RMSNorm: 4 per element + 3 per row.
  // CHECK: tfperf.ms.simplified_layer_norm {{.*}}tfperf.flops = 2590 : i64
  %rms = tfperf.ms.simplified_layer_norm %ln, %s : (tensor<2x5x64xf32>, tensor<64xf32>) -> tensor<2x5x64xf32>
  // ReduceMean over the last axis: 640 - 10 adds + 10 divides.
  // CHECK: tfperf.reduce_mean {{.*}}tfperf.flops = 640 : i64
  %rm = tfperf.reduce_mean %rms {static_axes = array<i64: -1>} : (tensor<2x5x64xf32>) -> tensor<2x5x1xf32>
  // GELU (erf) is 5 per element; FastGelu (tanh) 9, + 1 with a bias.
  // CHECK: tfperf.gelu {{.*}}tfperf.flops = 3200 : i64
  %ge = tfperf.gelu %x : (tensor<2x5x64xf32>) -> tensor<2x5x64xf32>
  // CHECK: tfperf.ms.fast_gelu {{.*}}tfperf.flops = 6400 : i64
  %fg = tfperf.ms.fast_gelu %x, %s : (tensor<2x5x64xf32>, tensor<64xf32>) -> tensor<2x5x64xf32>
  return
}

// CHECK-LABEL: func.func @data_movement
func.func @data_movement(%x: tensor<2x5x64xf32>, %ids: tensor<3x7xi64>) {
  %table = tfperf.weight "wte" : tensor<50000x64xf32>
  // Embedding lookup: reads the 21 ids and the 21 gathered rows only.
  // CHECK: tfperf.gather {{.*}}tfperf.bytes = 10920 : i64, tfperf.flops = 0 : i64
  %e = tfperf.gather %table, %ids : (tensor<50000x64xf32>, tensor<3x7xi64>) -> tensor<3x7x64xf32>
  %shape = tfperf.constant {value = dense<[10, 64]> : tensor<2xi64>} : tensor<2xi64>
  // A view moves nothing.
  // CHECK: tfperf.reshape {{.*}}tfperf.bytes = 0 : i64, tfperf.flops = 0 : i64
  %r = tfperf.reshape %x, %shape : (tensor<2x5x64xf32>, tensor<2xi64>) -> tensor<10x64xf32>
  // Transpose reads and writes its data.
  // CHECK: tfperf.transpose {{.*}}tfperf.bytes = 5120 : i64, tfperf.flops = 0 : i64
  %t = tfperf.transpose %x {perm = array<i64: 0, 2, 1>} : (tensor<2x5x64xf32>) -> tensor<2x64x5xf32>
  // Cast reads 4 bytes and writes 2 per element.
  // CHECK: tfperf.cast {{.*}}tfperf.bytes = 3840 : i64, tfperf.flops = 0 : i64
  %c = tfperf.cast %x {to = f16} : (tensor<2x5x64xf32>) -> tensor<2x5x64xf16>
  return
}

// CHECK-LABEL: func.func @fused_attention
func.func @fused_attention(%x: tensor<2x1x64xf32>, %past: tensor<2x2x4x9x16xf32>,
                           %q: tensor<2x1x64xf32>, %pk: tensor<2x4x9x16xf32>,
                           %k2: tensor<2x1x32xf32>, %pk2: tensor<2x2x9x16xf32>) {
  %w = tfperf.weight "qkv" : tensor<64x192xf32>
  %b = tfperf.weight "qkv_bias" : tensor<192xf32>
  // Attention with a 9-token cache (T = 10), 4 heads of 16, causal:
  // QKV 2*2*1*64*192 = 49152, bias 384, scores 2*8*1*10*16 = 2560, scale
  // 80, mask 80, softmax 400, context 2560. Bytes: inputs and outputs only
  // (no score matrix): 17600 elements.
  // CHECK: tfperf.ms.attention {{.*}}tfperf.bytes = 70400 : i64, tfperf.flops = 55216 : i64, tfperf.gemm_flops = 54272 : i64
  %o, %present = tfperf.ms.attention %x, %w bias(%b) past(%past) {num_heads = 4 : i64, unidirectional = 1 : i64} : (tensor<2x1x64xf32>, tensor<64x192xf32>, tensor<192xf32>, tensor<2x2x4x9x16xf32>) -> (tensor<2x1x64xf32>, tensor<2x2x4x10x16xf32>)
  // MultiHeadAttention with past key/value: T = 10.
  // CHECK: tfperf.ms.multi_head_attention {{.*}}tfperf.bytes = 21504 : i64, tfperf.flops = 5600 : i64, tfperf.gemm_flops = 5120 : i64
  %m, %pko, %pvo = tfperf.ms.multi_head_attention %q key(%q) value(%q) past_key(%pk) past_value(%pk) {num_heads = 4 : i64} : (tensor<2x1x64xf32>, tensor<2x1x64xf32>, tensor<2x1x64xf32>, tensor<2x4x9x16xf32>, tensor<2x4x9x16xf32>) -> (tensor<2x1x64xf32>, tensor<2x4x10x16xf32>, tensor<2x4x10x16xf32>)
  // GroupQueryAttention, 4 query heads sharing 2 KV heads: the scores are
  // those of 4 heads (2*8*10*16 each way), causal mask included.
  // CHECK: tfperf.ms.group_query_attention {{.*}}tfperf.flops = 5680 : i64, tfperf.gemm_flops = 5120 : i64
  %g, %gk, %gv = tfperf.ms.group_query_attention %q key(%k2) value(%k2) past_key(%pk2) past_value(%pk2) {num_heads = 4 : i64, kv_num_heads = 2 : i64} : (tensor<2x1x64xf32>, tensor<2x1x32xf32>, tensor<2x1x32xf32>, tensor<2x2x9x16xf32>, tensor<2x2x9x16xf32>) -> (tensor<2x1x64xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x16xf32>)
  return
}

// CHECK-LABEL: func.func @symbolic
func.func @symbolic(%x: tensor<?x?x768xf32, #tfperf.dims<["batch", "seq"]>>) {
  %w = tfperf.weight "w" : tensor<768x3072xf32>
  // Symbolic dims give exact formulas.
  // CHECK: tfperf.matmul {{.*}}tfperf.bytes = "15360*batch*seq + 9437184", tfperf.flops = "4718592*batch*seq"
  %y = tfperf.matmul %x, %w : (tensor<?x?x768xf32, #tfperf.dims<["batch", "seq"]>>, tensor<768x3072xf32>) -> tensor<?x?x3072xf32, #tfperf.dims<["batch", "seq"]>>
  return
}
