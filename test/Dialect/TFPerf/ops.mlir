// Every op prints and parses back unchanged.
// RUN: tfperf-opt %s --verify-roundtrip | FileCheck %s
// RUN: tfperf-opt %s --mlir-print-op-generic | tfperf-opt | FileCheck %s

// CHECK-LABEL: func.func @ops
func.func @ops(%x: tensor<2x8xf32>, %ids: tensor<2x5xi64>, %s: tensor<?x?x64xf32, #tfperf.dims<["batch", "seq"]>>) -> tensor<2x8xf32> {
  // CHECK: tfperf.weight "w" : tensor<8x8xf32>
  %w = tfperf.weight "w" : tensor<8x8xf32>
  // CHECK: tfperf.constant {value = dense<[2, 8]> : tensor<2xi64>} : tensor<2xi64>
  %c = tfperf.constant {value = dense<[2, 8]> : tensor<2xi64>} : tensor<2xi64>
  // CHECK: tfperf.constant : tensor<1024x64xf32>
  %big = tfperf.constant : tensor<1024x64xf32>
  // CHECK: tfperf.matmul %{{.*}}, %{{.*}} : (tensor<2x8xf32>, tensor<8x8xf32>) -> tensor<2x8xf32>
  %m = tfperf.matmul %x, %w : (tensor<2x8xf32>, tensor<8x8xf32>) -> tensor<2x8xf32>
  // CHECK: tfperf.gemm {{.*}} {transB = 1 : i64}
  %g = tfperf.gemm %m, %w {transB = 1 : i64} : (tensor<2x8xf32>, tensor<8x8xf32>) -> tensor<2x8xf32>
  %a = tfperf.add %g, %x : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %sm = tfperf.softmax %a : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: tfperf.layer_norm
  %ln = tfperf.layer_norm %sm, %c : (tensor<2x8xf32>, tensor<2xi64>) -> tensor<2x8xf32>
  %r = tfperf.reshape %ln, %c : (tensor<2x8xf32>, tensor<2xi64>) -> tensor<2x8xf32>
  %t = tfperf.transpose %r {perm = array<i64: 1, 0>} : (tensor<2x8xf32>) -> tensor<8x2xf32>
  %e = tfperf.gather %w, %ids : (tensor<8x8xf32>, tensor<2x5xi64>) -> tensor<2x5x8xf32>
  // CHECK: tfperf.slice %{{.*}}, %{{.*}}, %{{.*}} steps(%{{.*}})
  %sl = tfperf.slice %x, %c, %c steps(%c) : (tensor<2x8xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<2x8xf32>
  %p:2 = tfperf.split %x {axis = 1 : i64} : (tensor<2x8xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>)
  %cat = tfperf.concat %p#0, %p#1 {axis = 1 : i64} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x8xf32>
  %shp = tfperf.shape %s : (tensor<?x?x64xf32, #tfperf.dims<["batch", "seq"]>>) -> tensor<3xi64>
  // CHECK: tfperf.custom "Foo"("x.y") (%{{.*}}) {k = 1 : i64} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %cu = tfperf.custom "Foo"("x.y") (%cat) {k = 1 : i64} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: tfperf.ms.attention
  %at = tfperf.ms.attention %s, %w {num_heads = 4 : i64} : (tensor<?x?x64xf32, #tfperf.dims<["batch", "seq"]>>, tensor<8x8xf32>) -> tensor<?x?x64xf32, #tfperf.dims<["batch", "seq"]>>
  return %cu : tensor<2x8xf32>
}
