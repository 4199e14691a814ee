// tfperf-suggest-tp fails on a degree below 1 and negative micro-batches,
// naming the value (the driver's --tp checks: tfperf-suggest-tp-errors.test).
// RUN: tfperf-opt %s --split-input-file --tfperf-suggest-tp="tp=2,0" --verify-diagnostics -o /dev/null
// RUN: not tfperf-opt %s --tfperf-suggest-tp="pp-microbatches=-2" 2>&1 | FileCheck %s --check-prefix=MICRO
// MICRO: error: pp-microbatches must be >= 0, got -2

// expected-error @+1 {{tensor-parallel degrees must be at least 1, got 0}}
module {
  func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}
