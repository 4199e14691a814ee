// Roofline classification on a device: intensity, bound and time per op,
// the configuration recorded for the report, and per-device dictionaries
// when comparing devices.
// RUN: tfperf-opt %s --tfperf-annotate-cost --tfperf-roofline="hw=a100-sxm-40gb compute-dtype=fp16" 2>/dev/null | FileCheck %s
// RUN: tfperf-opt %s --tfperf-roofline="hw=a100-sxm-40gb,h100-sxm" 2>/dev/null | FileCheck %s --check-prefix=MULTI

// CHECK: module attributes {tfperf.config = #tfperf.config<hw = ["a100-sxm-40gb"], compute_dtype = "fp16">}
// MULTI: tfperf.config = #tfperf.config<hw = ["a100-sxm-40gb", "h100-sxm"]>

func.func @mlp(%x: tensor<1x4096xf32>, %big: tensor<4096x4096xf32>) -> tensor<4096x4096xf32> {
  %w = tfperf.weight "w" : tensor<4096x4096xf32>
  // Decode-like matvec: 2*4096*4096 FLOPs over ~32 MiB of fp16 weights:
  // intensity ~1, far below the A100 ridge (312e12 / 1.555e12 = 200):
  // memory-bound, time = bytes / 1.555e12.
  // CHECK: tfperf.matmul {{.*}}tfperf.bound = "memory", {{.*}}tfperf.flops = 33554432 : i64, {{.*}}tfperf.intensity = 0.99{{[0-9]+}} : f64, tfperf.time = 2.15{{[0-9]+}}E-5 : f64
  // MULTI-NOT: tfperf.weight {{.*}}tfperf.bound
  // MULTI: tfperf.matmul {{.*}}tfperf.roofline = {"a100-sxm-40gb" = {bound = "memory", time = {{.*}}}, "h100-sxm" = {bound = "memory", time = {{.*}}}}
  %y = tfperf.matmul %x, %w : (tensor<1x4096xf32>, tensor<4096x4096xf32>) -> tensor<1x4096xf32>
  // A square GEMM is compute-bound: 2*4096^3 / 312e12.
  // CHECK: tfperf.matmul {{.*}}tfperf.bound = "compute", {{.*}}tfperf.time = 4.40{{[0-9]+}}E-4 : f64
  %z = tfperf.matmul %big, %w : (tensor<4096x4096xf32>, tensor<4096x4096xf32>) -> tensor<4096x4096xf32>
  // Elementwise: 1 FLOP per 6 bytes: memory-bound.
  // CHECK: tfperf.relu {{.*}}tfperf.bound = "memory"
  %r = tfperf.relu %z : (tensor<4096x4096xf32>) -> tensor<4096x4096xf32>
  // Ops without a cost model are "unknown", never 0.
  // CHECK: tfperf.custom "Mystery"{{.*}}tfperf.bound = "unknown"
  %u = tfperf.custom "Mystery"("x") (%r) : (tensor<4096x4096xf32>) -> tensor<4096x4096xf32>
  return %u : tensor<4096x4096xf32>
}
