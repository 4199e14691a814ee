// Verifier errors.
// RUN: tfperf-opt %s -split-input-file -verify-diagnostics

func.func @matmul_k(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{contraction dims differ: 3 vs 4}}
  %0 = tfperf.matmul %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @matmul_scalar(%a: tensor<f32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{operands must have rank >= 1}}
  %0 = tfperf.matmul %a, %b : (tensor<f32>, tensor<4x5xf32>) -> tensor<5xf32>
  return
}

// -----

func.func @gemm_rank(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{A and B must be rank 2 (got 3 and 2)}}
  %0 = tfperf.gemm %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @gemm_trans(%a: tensor<3x2xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{contraction dims differ: 2 vs 4}}
  %0 = tfperf.gemm %a, %b : (tensor<3x2xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  return
}

// -----

func.func @conv_channels(%x: tensor<1x6x8x8xf32>, %w: tensor<4x4x3x3xf32>) {
  // expected-error @+1 {{input channels 6 != 4 x group 1}}
  %0 = tfperf.conv %x, %w : (tensor<1x6x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_group(%x: tensor<1x6x8x8xf32>, %w: tensor<5x3x3x3xf32>) {
  // expected-error @+1 {{output channels 5 not divisible by group 2}}
  %0 = tfperf.conv %x, %w {group = 2 : i64} : (tensor<1x6x8x8xf32>, tensor<5x3x3x3xf32>) -> tensor<1x5x6x6xf32>
  return
}

// -----

func.func @conv_rank(%x: tensor<6x8xf32>, %w: tensor<4x6xf32>) {
  // expected-error @+1 {{X must have rank >= 3 (N, C, spatial...)}}
  %0 = tfperf.conv %x, %w : (tensor<6x8xf32>, tensor<4x6xf32>) -> tensor<1xf32>
  return
}

// -----

func.func @einsum_terms(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{equation has 2 operand terms but the op has 1 operands}}
  %0 = tfperf.einsum %a {equation = "ij,jk->ik"} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @einsum_rank(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{operand of rank 2 does not match subscripts 'ijk'}}
  %0 = tfperf.einsum %a {equation = "ijk->k"} : (tensor<2x3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @einsum_syntax(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{bad equation 'i#j->i': invalid subscript character '#'}}
  %0 = tfperf.einsum %a {equation = "i#j->i"} : (tensor<2x3xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @softmax_axis(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %0 = tfperf.softmax %a {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @layer_norm_axis(%a: tensor<2x3xf32>, %s: tensor<3xf32>) {
  // expected-error @+1 {{axis -3 is out of range for rank 2}}
  %0 = tfperf.layer_norm %a, %s {axis = -3 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @transpose_perm(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{perm is not a permutation of 0..1}}
  %0 = tfperf.transpose %a {perm = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @transpose_len(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{perm has 3 entries for rank 2}}
  %0 = tfperf.transpose %a {perm = array<i64: 1, 0, 2>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @gather_axis(%a: tensor<2x3xf32>, %i: tensor<4xi64>) {
  // expected-error @+1 {{axis 5 is out of range for rank 2}}
  %0 = tfperf.gather %a, %i {axis = 5 : i64} : (tensor<2x3xf32>, tensor<4xi64>) -> tensor<2x4xf32>
  return
}

// -----

func.func @gather_scalar(%a: tensor<f32>, %i: tensor<4xi64>) {
  // expected-error @+1 {{data must have rank >= 1}}
  %0 = tfperf.gather %a, %i : (tensor<f32>, tensor<4xi64>) -> tensor<4xf32>
  return
}

// -----

func.func @split_sizes(%a: tensor<2x8xf32>) {
  // expected-error @+1 {{split has 3 sizes for 2 results}}
  %0:2 = tfperf.split %a {axis = 1 : i64, static_split = array<i64: 2, 2, 4>} : (tensor<2x8xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>)
  return
}

// -----

func.func @concat_rank(%a: tensor<2x8xf32>, %b: tensor<8xf32>) {
  // expected-error @+1 {{inputs have different ranks (2 and 1)}}
  %0 = tfperf.concat %a, %b {axis = 0 : i64} : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<10xf32>
  return
}

// -----

func.func @min_empty() {
  // expected-error @+1 {{needs at least one input}}
  %0 = tfperf.min : () -> tensor<2xf32>
  return
}

// -----

func.func @weight_dynamic() {
  // expected-error @+1 {{weight 'w' must have a static tensor type}}
  %0 = tfperf.weight "w" : tensor<?x8xf32>
  return
}

// -----

func.func @constant_mismatch() {
  // expected-error @+1 {{value of type 'tensor<2xi64>' does not match result type 'tensor<3xi64>'}}
  %0 = tfperf.constant {value = dense<[1, 2]> : tensor<2xi64>} : tensor<3xi64>
  return
}

// -----

func.func @attention_heads(%x: tensor<1x4x64xf32>, %w: tensor<64x192xf32>) {
  // expected-error @+1 {{num_heads must be positive}}
  %0 = tfperf.ms.attention %x, %w {num_heads = 0 : i64} : (tensor<1x4x64xf32>, tensor<64x192xf32>) -> tensor<1x4x64xf32>
  return
}

// -----

func.func @attention_rank(%x: tensor<4x64xf32>, %w: tensor<64x192xf32>) {
  // expected-error @+1 {{input must be [batch, seq, hidden]}}
  %0 = tfperf.ms.attention %x, %w {num_heads = 4 : i64} : (tensor<4x64xf32>, tensor<64x192xf32>) -> tensor<4x64xf32>
  return
}

// -----

func.func @mha_heads(%q: tensor<1x4x64xf32>) {
  // expected-error @+1 {{num_heads must be positive}}
  %0 = tfperf.ms.multi_head_attention %q {num_heads = -1 : i64} : (tensor<1x4x64xf32>) -> tensor<1x4x64xf32>
  return
}

// -----

// expected-error @+1 {{#tfperf.dims entry '+' is not a dim expression}}
func.func @bad_dims(%x: tensor<?xf32, #tfperf.dims<["+"]>>) {
  return
}

// -----

func.func @attention_window(%q: tensor<1x2x4x8xf32>) {
  // expected-error @+1 {{left_window_size must be -1 (unbounded) or non-negative, got -2}}
  %0 = tfperf.attention %q, %q, %q {is_causal = 1 : i64, left_window_size = -2 : i64} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return
}

// -----

func.func @attention_right_window(%q: tensor<1x2x4x8xf32>) {
  // expected-error @+1 {{right_window_size must be -1 (unbounded) or non-negative, got -5}}
  %0 = tfperf.attention %q, %q, %q {right_window_size = -5 : i64} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return
}
