// tfperf-emit-report renders what the analysis passes recorded in
// `#tfperf.config`, from the cached analyses: the report of each
// configuration, as the pipeline reaches it.
// RUN: tfperf-opt %s --tfperf-annotate-cost --tfperf-roofline=hw=a100-sxm-40gb --tfperf-emit-report -o /dev/null | FileCheck %s --check-prefix=TEXT
// RUN: tfperf-opt %s --tfperf-roofline=hw=h100-sxm --tfperf-emit-report=format=json -o /dev/null | FileCheck %s --check-prefix=JSON
// RUN: tfperf-opt %s --tfperf-roofline="hw=h100-sxm compute-dtype=fp16" --tfperf-emit-report="format=csv" -o /dev/null | FileCheck %s --check-prefix=CSV
// RUN: rm -f %t.md && tfperf-opt %s --tfperf-roofline --tfperf-emit-report="format=md output-file=%t.md" | FileCheck %s --check-prefix=IR
// RUN: FileCheck %s --check-prefix=MD < %t.md

// TEXT: tfperf roofline: mlp
// TEXT: a100-sxm-40gb  19.50 TFLOP/s fp32
// TEXT: Top 1 ops by time (a100-sxm-40gb)
// TEXT: tfperf.matmul#1  MatMul  33.55 MFLOP  64.03 MiB
// JSON: "config": {
// JSON-NEXT: "hw": [
// JSON-NEXT: "h100-sxm"
// JSON-NEXT: ],
// JSON-NEXT: "compute_dtype": "",
// CSV: name,op,flops,gemm_flops,bytes,intensity,bound,time_s
// CSV: tfperf.matmul#1,MatMul,33554432,33554432,33570816
// The IR is not changed, and the report goes only to the file.
// IR-NOT: tfperf roofline
// IR: func.func @mlp
// MD: | device |

// Regression: a second tfperf-roofline invalidates the report built for the
// first device (it used to print the a100 report twice).
// RUN: tfperf-opt %s --tfperf-annotate-cost --tfperf-roofline=hw=a100-sxm-40gb --tfperf-emit-report --tfperf-roofline=hw=h100-sxm --tfperf-emit-report -o /dev/null | FileCheck %s --check-prefix=STALE
// STALE: tfperf roofline: mlp
// STALE: Devices
// STALE-NEXT: device
// STALE-NEXT: a100-sxm-40gb
// STALE-NOT: h100-sxm
// STALE: tfperf roofline: mlp
// STALE: Devices
// STALE-NEXT: device
// STALE-NEXT: h100-sxm
// STALE-NOT: a100-sxm-40gb

// The same for the dtypes: fp16 halves the bytes of the second report.
// RUN: tfperf-opt %s --tfperf-roofline --tfperf-emit-report --tfperf-roofline=compute-dtype=fp16 --tfperf-emit-report -o /dev/null | FileCheck %s --check-prefix=DTYPE
// DTYPE: Work: 33.55 MFLOP (100.0% in matmuls), 64.03 MiB of memory traffic
// DTYPE: Work: 33.55 MFLOP (100.0% in matmuls), 32.02 MiB of memory traffic

// A report of the same configuration twice is built once and printed the
// same.
// RUN: tfperf-opt %s --tfperf-roofline --tfperf-emit-report --tfperf-emit-report -o /dev/null | FileCheck %s --check-prefix=TWICE
// TWICE-COUNT-2: Work: 33.55 MFLOP

func.func @mlp(%x: tensor<1x4096xf32>) -> tensor<1x4096xf32> {
  %w = tfperf.weight "w" : tensor<4096x4096xf32>
  %y = tfperf.matmul %x, %w : (tensor<1x4096xf32>, tensor<4096x4096xf32>) -> tensor<1x4096xf32>
  return %y : tensor<1x4096xf32>
}
