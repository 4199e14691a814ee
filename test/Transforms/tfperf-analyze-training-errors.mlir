// tfperf-analyze-training fails on an unknown dtype and on model-state
// bytes per parameter that are not positive or past a kilobyte; an op whose backward is
// unknown is a remark (its backward is never taken as 0).
// RUN: tfperf-opt %s --tfperf-analyze-training --verify-diagnostics -o /dev/null
// RUN: not tfperf-opt %s --tfperf-analyze-training=optimizer-bytes-per-param=0 2>&1 | FileCheck %s --check-prefix=BYTES
// RUN: not tfperf-opt %s --tfperf-analyze-training=optimizer-bytes-per-param=-4 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// RUN: not tfperf-opt %s --tfperf-analyze-training=optimizer-bytes-per-param=1e300 2>&1 | FileCheck %s --check-prefix=HUGE
// RUN: not tfperf-opt %s --tfperf-analyze-training=weight-dtype=int3 2>&1 | FileCheck %s --check-prefix=DTYPE
// BYTES: error: optimizer-bytes-per-param must be positive, got 0
// NEGATIVE: error: optimizer-bytes-per-param must be positive, got -4
// HUGE: error: #tfperf.training: optimizer_bytes_per_param must be at most 1024 bytes, got 1e+300
// DTYPE: error: --weight-dtype must be one of fp32, bf16, fp16, fp8, int8, int4, fp4, nf4; got 'int3'

func.func @f(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %w = tfperf.weight "w" : tensor<8x8xf32>
  %y = tfperf.matmul %x, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  // expected-remark @+1 {{backward unknown}}
  %z = tfperf.custom "Mystery"("x") (%y) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %z : tensor<4x8xf32>
}
