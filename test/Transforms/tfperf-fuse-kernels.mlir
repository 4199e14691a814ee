// The kernel view: ops grouped into the kernels an optimizing engine runs
// (docs/Kernels.md). FLOPs are the members' sum; bytes only what crosses a
// kernel's boundary (f32: 4 bytes an element).
// RUN: tfperf-opt %s --split-input-file --tfperf-fuse-kernels | FileCheck %s
// RUN: tfperf-opt %s --split-input-file --tfperf-fuse-kernels="merge-siblings=1" | FileCheck %s --check-prefix=MERGE
// RUN: tfperf-opt %s --split-input-file --tfperf-fuse-kernels="view=exported hw=a100-sxm-80gb" | FileCheck %s --check-prefix=EXPORTED
// RUN: tfperf-opt %s --split-input-file --tfperf-fuse-kernels="hw=a100-sxm-80gb" | FileCheck %s --check-prefix=DECODE
// RUN: not tfperf-opt %s --split-input-file --tfperf-fuse-kernels="view=both" 2>&1 | FileCheck %s --check-prefix=VIEW
// RUN: not tfperf-opt %s --split-input-file --tfperf-fuse-kernels="hw=no-such-gpu" 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not tfperf-opt %s --split-input-file --tfperf-fuse-kernels="hw=a100-sxm-80gb,h100-sxm" 2>&1 | FileCheck %s --check-prefix=TWO

// BAD: error: unknown device 'no-such-gpu'
// VIEW: error: view must be fused or exported, got 'both'
// TWO: error: hw= takes one device, got 2

// GEMM + bias + GELU: one kernel with a bias/activation epilogue. It reads
// x (8x64) 2048 B, W (64x256) 65536 B, b 1024 B and writes y (8x256) 8192 B:
// 76800 B, where the three ops of the export move 75776 + 17408 + 16384 =
// 109568 B (h and a written and read back). FLOPs: 262144 (matmul) + 2048
// (bias) + 10240 (GELU, 5 an element) = 274432.
// CHECK: tfperf.kernel_totals = {bytes = 76800 : i64, exported_bytes = 109568 : i64, exported_flops = 274432 : i64, flops = 274432 : i64, kernels = 1 : i64}
// CHECK-SAME: tfperf.kernels = [{batch = 1 : i64, bytes = 76800 : i64, class = "gemm", flops = 274432 : i64, k = 64 : i64, m = 8 : i64, n = 256 : i64, name = "fc1", ops = ["fc1", "fc1_bias", "fc1_gelu"]}]
// The exported view: the three ops are three kernels with their own bytes.
// EXPORTED: tfperf.kernel_totals = {bytes = 109568 : i64, exported_bytes = 109568 : i64, exported_flops = 274432 : i64, flops = 274432 : i64, kernels = 3 : i64}
// CHECK-LABEL: func.func @gemm_bias_gelu
// CHECK-NOT: tfperf.weight {{.*}}tfperf.kernel
// CHECK: tfperf.matmul {{.*}}{tfperf.kernel = "fc1"}
// CHECK: tfperf.add {{.*}}{tfperf.kernel = "fc1"}
// CHECK: tfperf.gelu {{.*}}{tfperf.kernel = "fc1"}
func.func @gemm_bias_gelu(%x: tensor<8x64xf32>) -> tensor<8x256xf32> {
  %w = tfperf.weight "w" : tensor<64x256xf32>
  %b = tfperf.weight "b" : tensor<256xf32>
  %h = tfperf.matmul %x, %w : (tensor<8x64xf32>, tensor<64x256xf32>) -> tensor<8x256xf32> loc("fc1")
  %a = tfperf.add %h, %b : (tensor<8x256xf32>, tensor<256xf32>) -> tensor<8x256xf32> loc("fc1_bias")
  %y = tfperf.gelu %a : (tensor<8x256xf32>) -> tensor<8x256xf32> loc("fc1_gelu")
  return %y : tensor<8x256xf32>
}

// -----

// Residual add + LayerNorm, twice around a GEMM. The second add cannot join
// the first norm's kernel (it reads the GEMM, which reads that kernel), so
// it starts the second norm's. Each norm kernel reads its two addends (2048
// B each) and gamma, beta (256 B each) and writes the sum (read by the next
// residual or returned) and the normalized rows: 8704 B. The GEMM: 2048 +
// 16384 + 2048 = 20480 B.
// CHECK: tfperf.kernel_totals = {bytes = 37888 : i64, exported_bytes = 41984 : i64, exported_flops = 73792 : i64, flops = 73792 : i64, kernels = 3 : i64}
// CHECK-SAME: tfperf.kernels = [{bytes = 8704 : i64, class = "layernorm", flops = 4128 : i64, name = "ln1", ops = ["embed_add", "ln1"]}, {batch = 1 : i64, bytes = 20480 : i64, class = "gemm", flops = 65536 : i64, k = 64 : i64, m = 8 : i64, n = 64 : i64, name = "proj", ops = ["proj"]}, {bytes = 8704 : i64, class = "layernorm", flops = 4128 : i64, name = "ln2", ops = ["residual", "ln2"]}]
// EXPORTED: tfperf.kernel_totals = {bytes = 41984 : i64, exported_bytes = 41984 : i64, exported_flops = 73792 : i64, flops = 73792 : i64, kernels = 5 : i64}
// CHECK-LABEL: func.func @residual_norm
// CHECK: tfperf.add {{.*}}{tfperf.kernel = "ln1"}
// CHECK: tfperf.layer_norm {{.*}}{tfperf.kernel = "ln1"}
// CHECK: tfperf.add {{.*}}{tfperf.kernel = "ln2"}
func.func @residual_norm(%a: tensor<8x64xf32>, %b: tensor<8x64xf32>) -> (tensor<8x64xf32>, tensor<8x64xf32>) {
  %g = tfperf.weight "gamma" : tensor<64xf32>
  %be = tfperf.weight "beta" : tensor<64xf32>
  %w = tfperf.weight "w" : tensor<64x64xf32>
  %x0 = tfperf.add %a, %b : (tensor<8x64xf32>, tensor<8x64xf32>) -> tensor<8x64xf32> loc("embed_add")
  %n1 = tfperf.layer_norm %x0, %g, %be : (tensor<8x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<8x64xf32> loc("ln1")
  %h = tfperf.matmul %n1, %w : (tensor<8x64xf32>, tensor<64x64xf32>) -> tensor<8x64xf32> loc("proj")
  %x1 = tfperf.add %x0, %h : (tensor<8x64xf32>, tensor<8x64xf32>) -> tensor<8x64xf32> loc("residual")
  %n2 = tfperf.layer_norm %x1, %g, %be : (tensor<8x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<8x64xf32> loc("ln2")
  return %n2, %x1 : tensor<8x64xf32>, tensor<8x64xf32>
}

// -----

// Unfused attention with scale, an input mask and softmax: one flash
// kernel. The mask arithmetic on the graph input joins it (its only
// consumer); the head reshapes and transposes are folded into the reads (no
// kernel). It reads Q, K, V once (1024 B each), the mask (1024 B) and three
// scalar constants (12 B) and writes O (1024 B): 5132 B, where the exported
// ops write and re-read the 2x16x16 scores four times.
// CHECK: tfperf.kernel_totals = {bytes = 17420 : i64, exported_bytes = 46092 : i64, exported_flops = 53248 : i64, flops = 53248 : i64, kernels = 5 : i64}
// CHECK-SAME: {bytes = 5132 : i64, class = "attention", flops = 20480 : i64, name = "scores", ops = ["scores", "scale", "mask_inv", "mask_bias", "mask_add", "softmax", "context"]}
// Exported: 15 kernels (the reshapes alias, the transposes copy); Q K^T is
// a batched GEMM, one 16x16x8 problem per head; the A100 has no fitted
// softmax class, so the softmax is priced as an add (its floor).
// EXPORTED: tfperf.kernel_totals = {bytes = 46092 : i64, exported_bytes = 46092 : i64, exported_flops = 53248 : i64, flops = 53248 : i64, kernels = 15 : i64}
// EXPORTED-SAME: {batch = 2 : i64, bytes = 4096 : i64, class = "gemm", flops = 8192 : i64, k = 8 : i64, m = 16 : i64, n = 16 : i64, name = "scores", ops = ["scores"]
// EXPORTED-SAME: {bytes = 4096 : i64, class = "softmax", flops = 2560 : i64, name = "softmax", ops = ["softmax"], priced_as = "add", roofline_s = {{.*}}, time_s = 2.497000e-06 : f64}
// CHECK-LABEL: func.func @attention
// CHECK: tfperf.reshape
// CHECK-NOT: tfperf.kernel
// CHECK-SAME: tensor<1x16x2x8xf32>
// CHECK: tfperf.transpose
// CHECK-NOT: tfperf.kernel
// CHECK-SAME: tensor<1x2x16x8xf32>
// CHECK: tfperf.softmax {{.*}}{tfperf.kernel = "scores"}
// Q, K and V read x: merged they are one GEMM with N = 48 (x once, three
// weights, three outputs: 1024 + 3072 + 3072 = 7168 B).
// MERGE: {batch = 1 : i64, bytes = 7168 : i64, class = "gemm", flops = 24576 : i64, k = 16 : i64, m = 16 : i64, n = 48 : i64, name = "q_proj", ops = ["q_proj", "k_proj", "v_proj"]}
func.func @attention(%x: tensor<1x16x16xf32>, %m: tensor<1x1x16x16xf32>) -> tensor<1x16x16xf32> {
  %wq = tfperf.weight "wq" : tensor<16x16xf32>
  %wk = tfperf.weight "wk" : tensor<16x16xf32>
  %wv = tfperf.weight "wv" : tensor<16x16xf32>
  %wo = tfperf.weight "wo" : tensor<16x16xf32>
  %shape = tfperf.constant {value = dense<[1, 16, 2, 8]> : tensor<4xi64>} : tensor<4xi64>
  %shape2 = tfperf.constant {value = dense<[1, 16, 16]> : tensor<3xi64>} : tensor<3xi64>
  %one = tfperf.constant {value = dense<1.0> : tensor<f32>} : tensor<f32>
  %neg = tfperf.constant {value = dense<-10000.0> : tensor<f32>} : tensor<f32>
  %scale = tfperf.constant {value = dense<0.35> : tensor<f32>} : tensor<f32>
  %q = tfperf.matmul %x, %wq : (tensor<1x16x16xf32>, tensor<16x16xf32>) -> tensor<1x16x16xf32> loc("q_proj")
  %k = tfperf.matmul %x, %wk : (tensor<1x16x16xf32>, tensor<16x16xf32>) -> tensor<1x16x16xf32> loc("k_proj")
  %v = tfperf.matmul %x, %wv : (tensor<1x16x16xf32>, tensor<16x16xf32>) -> tensor<1x16x16xf32> loc("v_proj")
  %q4 = tfperf.reshape %q, %shape : (tensor<1x16x16xf32>, tensor<4xi64>) -> tensor<1x16x2x8xf32>
  %k4 = tfperf.reshape %k, %shape : (tensor<1x16x16xf32>, tensor<4xi64>) -> tensor<1x16x2x8xf32>
  %v4 = tfperf.reshape %v, %shape : (tensor<1x16x16xf32>, tensor<4xi64>) -> tensor<1x16x2x8xf32>
  %qt = tfperf.transpose %q4 {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x16x2x8xf32>) -> tensor<1x2x16x8xf32>
  %kt = tfperf.transpose %k4 {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x16x2x8xf32>) -> tensor<1x2x8x16xf32>
  %vt = tfperf.transpose %v4 {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x16x2x8xf32>) -> tensor<1x2x16x8xf32>
  %s = tfperf.matmul %qt, %kt : (tensor<1x2x16x8xf32>, tensor<1x2x8x16xf32>) -> tensor<1x2x16x16xf32> loc("scores")
  %sc = tfperf.mul %s, %scale : (tensor<1x2x16x16xf32>, tensor<f32>) -> tensor<1x2x16x16xf32> loc("scale")
  %inv = tfperf.sub %one, %m : (tensor<f32>, tensor<1x1x16x16xf32>) -> tensor<1x1x16x16xf32> loc("mask_inv")
  %bias = tfperf.mul %inv, %neg : (tensor<1x1x16x16xf32>, tensor<f32>) -> tensor<1x1x16x16xf32> loc("mask_bias")
  %sm = tfperf.add %sc, %bias : (tensor<1x2x16x16xf32>, tensor<1x1x16x16xf32>) -> tensor<1x2x16x16xf32> loc("mask_add")
  %p = tfperf.softmax %sm : (tensor<1x2x16x16xf32>) -> tensor<1x2x16x16xf32> loc("softmax")
  %c = tfperf.matmul %p, %vt : (tensor<1x2x16x16xf32>, tensor<1x2x16x8xf32>) -> tensor<1x2x16x8xf32> loc("context")
  %ct = tfperf.transpose %c {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x2x16x8xf32>) -> tensor<1x16x2x8xf32>
  %c3 = tfperf.reshape %ct, %shape2 : (tensor<1x16x2x8xf32>, tensor<3xi64>) -> tensor<1x16x16xf32>
  %o = tfperf.matmul %c3, %wo : (tensor<1x16x16xf32>, tensor<16x16xf32>) -> tensor<1x16x16xf32> loc("o_proj")
  return %o : tensor<1x16x16xf32>
}

// -----

// SwiGLU: gate and up GEMMs, then one SiLU*mul kernel reading both (512 B
// each) and writing the product (512 B); the SiLU is not a GEMM epilogue
// because the kernel that multiplies by `up` also computes it.
// CHECK: tfperf.kernel_totals = {bytes = 9984 : i64, exported_bytes = 12544 : i64, exported_flops = 12672 : i64, flops = 12672 : i64, kernels = 4 : i64}
// CHECK-SAME: {bytes = 1536 : i64, class = "act_silu_mul", flops = 384 : i64, name = "sigmoid", ops = ["sigmoid", "silu", "gated"]}
// With merge-siblings, gate and up are one GEMM (N = 64): x once (256 B),
// both weights (4096 B), both outputs (1024 B).
// MERGE: tfperf.kernel_totals = {bytes = 9728 : i64, {{.*}}kernels = 3 : i64}
// MERGE-SAME: {batch = 1 : i64, bytes = 5376 : i64, class = "gemm", flops = 8192 : i64, k = 16 : i64, m = 4 : i64, n = 64 : i64, name = "gate_proj", ops = ["gate_proj", "up_proj"]}
func.func @swiglu(%x: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %wg = tfperf.weight "w_gate" : tensor<16x32xf32>
  %wu = tfperf.weight "w_up" : tensor<16x32xf32>
  %wd = tfperf.weight "w_down" : tensor<32x16xf32>
  %g = tfperf.matmul %x, %wg : (tensor<4x16xf32>, tensor<16x32xf32>) -> tensor<4x32xf32> loc("gate_proj")
  %u = tfperf.matmul %x, %wu : (tensor<4x16xf32>, tensor<16x32xf32>) -> tensor<4x32xf32> loc("up_proj")
  %s = tfperf.sigmoid %g : (tensor<4x32xf32>) -> tensor<4x32xf32> loc("sigmoid")
  %silu = tfperf.mul %g, %s : (tensor<4x32xf32>, tensor<4x32xf32>) -> tensor<4x32xf32> loc("silu")
  %h = tfperf.mul %silu, %u : (tensor<4x32xf32>, tensor<4x32xf32>) -> tensor<4x32xf32> loc("gated")
  %y = tfperf.matmul %h, %wd : (tensor<4x32xf32>, tensor<32x16xf32>) -> tensor<4x16xf32> loc("down_proj")
  return %y : tensor<4x16xf32>
}

// -----

// A decode step (one query) with a KV cache: appending to each cache is a
// kernel (reads the 63 cached rows and the new one, writes 64: 16128 + 256 +
// 16384 = 32768 B); attention reads q (256 B), the K and V caches once
// (16384 B each), the scale (4 B) and writes o (256 B): 33284 B, priced as
// a decode kernel streaming them: gemm_overhead_s + bytes / (gemm_mem_eff *
// mem_bw) = 4.789e-6 + 33284 / (0.7413 * 2.039e12) = 4.8110204e-6 s.
// DECODE: tfperf.kernel_totals = {bytes = 166404 : i64, exported_bytes = 205316 : i64, exported_flops = 50688 : i64, flops = 50688 : i64, kernels = 7 : i64}
// DECODE-SAME: {bytes = 32768 : i64, class = "add", flops = 0 : i64, name = "cache_k", ops = ["cache_k"]
// DECODE-SAME: {bytes = 33284 : i64, class = "attention", flops = 17920 : i64, name = "scores", ops = ["scores", "scale", "softmax", "context"], roofline_s = {{.*}}, time_s = 4.8110203{{[0-9]*}}E-6 : f64}
func.func @decode(%x: tensor<1x1x64xf32>, %pk: tensor<1x4x63x16xf32>, %pv: tensor<1x4x63x16xf32>) -> (tensor<1x1x64xf32>, tensor<1x4x64x16xf32>, tensor<1x4x64x16xf32>) {
  %wq = tfperf.weight "wq" : tensor<64x64xf32>
  %wk = tfperf.weight "wk" : tensor<64x64xf32>
  %wv = tfperf.weight "wv" : tensor<64x64xf32>
  %wo = tfperf.weight "wo" : tensor<64x64xf32>
  %shape = tfperf.constant {value = dense<[1, 1, 4, 16]> : tensor<4xi64>} : tensor<4xi64>
  %shape2 = tfperf.constant {value = dense<[1, 1, 64]> : tensor<3xi64>} : tensor<3xi64>
  %scale = tfperf.constant {value = dense<0.25> : tensor<f32>} : tensor<f32>
  %q = tfperf.matmul %x, %wq : (tensor<1x1x64xf32>, tensor<64x64xf32>) -> tensor<1x1x64xf32> loc("q_proj")
  %k = tfperf.matmul %x, %wk : (tensor<1x1x64xf32>, tensor<64x64xf32>) -> tensor<1x1x64xf32> loc("k_proj")
  %v = tfperf.matmul %x, %wv : (tensor<1x1x64xf32>, tensor<64x64xf32>) -> tensor<1x1x64xf32> loc("v_proj")
  %q4 = tfperf.reshape %q, %shape : (tensor<1x1x64xf32>, tensor<4xi64>) -> tensor<1x1x4x16xf32>
  %k4 = tfperf.reshape %k, %shape : (tensor<1x1x64xf32>, tensor<4xi64>) -> tensor<1x1x4x16xf32>
  %v4 = tfperf.reshape %v, %shape : (tensor<1x1x64xf32>, tensor<4xi64>) -> tensor<1x1x4x16xf32>
  %qt = tfperf.transpose %q4 {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x1x4x16xf32>) -> tensor<1x4x1x16xf32>
  %kt = tfperf.transpose %k4 {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x1x4x16xf32>) -> tensor<1x4x1x16xf32>
  %vt = tfperf.transpose %v4 {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x1x4x16xf32>) -> tensor<1x4x1x16xf32>
  %kc = tfperf.concat %pk, %kt {axis = 2 : i64} : (tensor<1x4x63x16xf32>, tensor<1x4x1x16xf32>) -> tensor<1x4x64x16xf32> loc("cache_k")
  %vc = tfperf.concat %pv, %vt {axis = 2 : i64} : (tensor<1x4x63x16xf32>, tensor<1x4x1x16xf32>) -> tensor<1x4x64x16xf32> loc("cache_v")
  %kT = tfperf.transpose %kc {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x4x64x16xf32>) -> tensor<1x4x16x64xf32>
  %s = tfperf.matmul %qt, %kT : (tensor<1x4x1x16xf32>, tensor<1x4x16x64xf32>) -> tensor<1x4x1x64xf32> loc("scores")
  %sc = tfperf.mul %s, %scale : (tensor<1x4x1x64xf32>, tensor<f32>) -> tensor<1x4x1x64xf32> loc("scale")
  %p = tfperf.softmax %sc : (tensor<1x4x1x64xf32>) -> tensor<1x4x1x64xf32> loc("softmax")
  %c = tfperf.matmul %p, %vc : (tensor<1x4x1x64xf32>, tensor<1x4x64x16xf32>) -> tensor<1x4x1x16xf32> loc("context")
  %ct = tfperf.transpose %c {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x4x1x16xf32>) -> tensor<1x1x4x16xf32>
  %c3 = tfperf.reshape %ct, %shape2 : (tensor<1x1x4x16xf32>, tensor<3xi64>) -> tensor<1x1x64xf32>
  %o = tfperf.matmul %c3, %wo : (tensor<1x1x64xf32>, tensor<64x64xf32>) -> tensor<1x1x64xf32> loc("o_proj")
  return %o, %kc, %vc : tensor<1x1x64xf32>, tensor<1x4x64x16xf32>, tensor<1x4x64x16xf32>
}
