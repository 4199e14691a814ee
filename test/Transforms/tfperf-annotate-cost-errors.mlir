// tfperf-annotate-cost fails on an unknown what-if dtype; an op whose cost
// is unknown is a remark, never an error.
// RUN: tfperf-opt %s --tfperf-annotate-cost --verify-diagnostics -o /dev/null
// RUN: not tfperf-opt %s --tfperf-annotate-cost=compute-dtype=fp7 -o /dev/null 2>&1 | FileCheck %s --check-prefix=DTYPE
// DTYPE: error: --compute-dtype must be one of fp32, tf32, bf16, fp16, fp8; got 'fp7'

func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-remark @+1 {{cost unknown}}
  %y = tfperf.custom "Mystery"("x") (%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}
