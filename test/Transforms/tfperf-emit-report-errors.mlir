// tfperf-emit-report fails, naming the cause, on an unknown format, a
// configuration that names an unknown device or dtype, options the graph
// cannot honour, and an output it cannot write (never a partial file).
// RUN: tfperf-opt %s --split-input-file --tfperf-emit-report --verify-diagnostics -o /dev/null | FileCheck %s
// RUN: not tfperf-opt %s --split-input-file --tfperf-emit-report=format=pdf -o /dev/null 2>&1 | FileCheck %s --check-prefix=FORMAT
// RUN: rm -rf %t.missing && not tfperf-opt %s --split-input-file --tfperf-emit-report="output-file=%t.missing/r.txt" -o /dev/null 2>&1 | FileCheck %s --check-prefix=WRITE
// RUN: not test -e %t.missing

// FORMAT: error: unknown report format 'pdf' (use text, json, csv, md, html)
// WRITE: error: cannot write report '{{.*}}r.txt'
// A good module reports.
// CHECK: tfperf roofline: f
module {
  func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}

// -----

// The configuration is checked when the report reads it.
// expected-error @+1 {{unknown device 'no-such-gpu' (known: }}
module attributes {tfperf.config = #tfperf.config<hw = ["no-such-gpu"]>} {
  func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}

// -----

// expected-error @+1 {{--compute-dtype must be one of fp32, tf32, bf16, fp16, fp8; got 'fp7'}}
module attributes {tfperf.config = #tfperf.config<compute_dtype = "fp7">} {
  func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}

// -----

// expected-error @+1 {{/nonexistent/hw.json: cannot read}}
module attributes {tfperf.config = #tfperf.config<hw_file = "/nonexistent/hw.json">} {
  func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}
