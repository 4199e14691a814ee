// tfperf-roofline fails, naming the option, on an unknown device or dtype
// and an unreadable hardware file; the configuration it recorded is
// checked once, by the analyses that read it.
// RUN: tfperf-opt %s --tfperf-roofline=hw=a100-sxm-40gb,no-such-gpu --verify-diagnostics -o /dev/null
// RUN: not tfperf-opt %s --tfperf-roofline=weight-dtype=int3 -o /dev/null 2>&1 | FileCheck %s --check-prefix=DTYPE
// RUN: not tfperf-opt %s --tfperf-roofline=hw-file=%t.missing.json -o /dev/null 2>&1 | FileCheck %s --check-prefix=FILE
// DTYPE: error: --weight-dtype must be one of fp32, bf16, fp16, fp8, int8, int4, fp4, nf4; got 'int3'
// FILE: error: {{.*}}missing.json: cannot read

// expected-error @+1 {{unknown device 'no-such-gpu' (known: a100-sxm-40gb,}}
module {
  func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
    %y = tfperf.relu %x : (tensor<4xf32>) -> tensor<4xf32>
    return %y : tensor<4xf32>
  }
}
