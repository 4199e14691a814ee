// Under stock mlir-opt too, what cannot be costed is a remark, not a
// failure (mlir-opt exits 0 with -verify-diagnostics).
// RUN: mlir-opt --load-pass-plugin=%tfperf_libs/TFPerfPlugin.so \
// RUN:   --pass-pipeline='builtin.module(func.func(tfperf-annotate-cost))' \
// RUN:   -verify-diagnostics %s | FileCheck %s

// CHECK-LABEL: func.func @mixed
func.func @mixed(%x: tensor<8x16xf32>, %d: tensor<?x16xf32>) -> tensor<8x16xf32> {
  // CHECK: tosa.custom {{.*}}tfperf.cost = "unknown"
  // expected-remark @below {{cost unknown: no cost model for tosa.custom}}
  %c = tosa.custom %x {domain_name = "vendor", implementation_attrs = "", operator_name = "fancy"} : (tensor<8x16xf32>) -> tensor<8x16xf32>
  %z = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  // expected-remark @below {{cost unknown: a tensor with an unknown dim}}
  %n = tosa.negate %d, %z, %z : (tensor<?x16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x16xf32>
  // CHECK: tosa.exp {{.*}}{tfperf.bytes = 1024 : i64, tfperf.flops = 128 : i64}
  %e = tosa.exp %c : (tensor<8x16xf32>) -> tensor<8x16xf32>
  return %e : tensor<8x16xf32>
}
