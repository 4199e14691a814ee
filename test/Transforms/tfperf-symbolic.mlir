// tfperf-symbolic keeps the costs of a dynamic graph as formulas in its
// dim symbols, records itself in `#tfperf.config`, and evaluates a sweep
// once: for its sweep-out files and for the report alike.
// RUN: tfperf-opt %s --tfperf-annotate-cost --tfperf-roofline --tfperf-symbolic --tfperf-emit-report | FileCheck %s
// RUN: rm -f %t.csv %t.json && tfperf-opt %s --tfperf-roofline=hw=a100-sxm-40gb,h100-sxm --tfperf-symbolic="sweep=batch=1,4 sweep-out=%t.csv,%t.json" --tfperf-emit-report -o /dev/null | FileCheck %s --check-prefix=SWEEP
// RUN: FileCheck %s --check-prefix=CSV < %t.csv
// RUN: FileCheck %s --check-prefix=JSON < %t.json

// CHECK: Cost formulas (exact; 1 ops in 1 groups of identical formulas)
// CHECK: FLOPs       1024·batch
// CHECK: bytes       192·batch + 2048
// CHECK: module attributes {tfperf.config = #tfperf.config<hw = ["h100-sxm"], symbolic = <>>}
// CHECK: tfperf.matmul {{.*}}tfperf.flops = "1024*batch"

// SWEEP: Sweep: 2 points x 2 devices, 1 distinct op formulas
// CSV: batch,hw,flops,gemm_flops,bytes,intensity,time_s
// CSV-NEXT: 1,a100-sxm-40gb,1024,1024,2240,
// CSV-NEXT: 1,h100-sxm,1024,1024,2240,
// CSV-NEXT: 4,a100-sxm-40gb,4096,4096,2816,
// CSV-NEXT: 4,h100-sxm,4096,4096,2816,
// JSON: {"batch": 1, "hw": "a100-sxm-40gb", "flops": 1024, "gemm_flops": 1024, "bytes": 2240,

// A second tfperf-symbolic with another sweep invalidates the first one's
// sweep and report.
// RUN: tfperf-opt %s --tfperf-roofline --tfperf-symbolic="sweep=batch=1,4" --tfperf-emit-report --tfperf-symbolic="sweep=batch=2..16*2" --tfperf-emit-report -o /dev/null | FileCheck %s --check-prefix=RESWEEP
// RESWEEP: Sweep: 2 points x 1 devices
// RESWEEP: Sweep: 4 points x 1 devices

func.func @f(%x: tensor<?x16xf32, #tfperf.dims<["batch"]>>) -> tensor<?x32xf32, #tfperf.dims<["batch"]>> {
  %w = tfperf.weight "w" : tensor<16x32xf32>
  %y = tfperf.matmul %x, %w : (tensor<?x16xf32, #tfperf.dims<["batch"]>>, tensor<16x32xf32>) -> tensor<?x32xf32, #tfperf.dims<["batch"]>>
  return %y : tensor<?x32xf32, #tfperf.dims<["batch"]>>
}
