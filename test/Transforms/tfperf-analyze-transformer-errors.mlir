// tfperf-analyze-transformer fails on a phase it does not know and sizes
// out of range, before it records anything.
// RUN: not tfperf-opt %s --tfperf-analyze-transformer=phase=middle 2>&1 | FileCheck %s --check-prefix=PHASE
// RUN: not tfperf-opt %s --tfperf-analyze-transformer=devices=0 2>&1 | FileCheck %s --check-prefix=RANGE
// RUN: not tfperf-opt %s --tfperf-analyze-transformer=batch=-1 2>&1 | FileCheck %s --check-prefix=RANGE
// RUN: not tfperf-opt %s --tfperf-analyze-transformer=seq=4294967296 2>&1 | FileCheck %s --check-prefix=RANGE
// RUN: tfperf-opt %s --split-input-file --tfperf-analyze-transformer=phase=middle --verify-diagnostics -o /dev/null
// PHASE: error: phase must be prefill, decode or both, got 'middle'
// RANGE: error: batch, seq and kv-len must be in [0, 2147483647] and devices in [1, 1000000]

// expected-error @+1 {{phase must be prefill, decode or both, got 'middle'}}
module {
  func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}
