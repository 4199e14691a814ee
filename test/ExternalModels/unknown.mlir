// What the external models cannot cost is a remark and an "unknown"
// annotation, never a failure: ops without a model, bodies with ops that
// have no FLOP count, shapes that are not known.
// RUN: tfperf-opt %s --tfperf-annotate-cost -verify-diagnostics -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @no_model
func.func @no_model(%x: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // CHECK: tosa.custom {{.*}}tfperf.cost = "unknown"
  // expected-remark @below {{cost unknown: no cost model for tosa.custom}}
  %c = tosa.custom %x {domain_name = "vendor", implementation_attrs = "", operator_name = "fancy"} : (tensor<8x16xf32>) -> tensor<8x16xf32>
  // expected-remark @below {{cost unknown: no cost model for func.call}}
  %r = func.call @opaque(%c) : (tensor<8x16xf32>) -> tensor<8x16xf32>
  return %r : tensor<8x16xf32>
}
func.func private @opaque(tensor<8x16xf32>) -> tensor<8x16xf32>

// -----

// A gather written as a generic reads a captured tensor: no FLOP count for
// tensor.extract, and its traffic would be invisible anyway.
// CHECK-LABEL: func.func @unsupported_body
func.func @unsupported_body(%table: tensor<100x16xf32>, %ids: tensor<8xindex>) -> tensor<8x16xf32> {
  %e = tensor.empty() : tensor<8x16xf32>
  // CHECK: linalg.generic
  // CHECK: tfperf.cost = "unknown"
  // expected-remark @below {{cost unknown: no FLOP count for linalg.generic: its body has 'tensor.extract', which has no FLOP count}}
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i)>, affine_map<(i, j) -> (i, j)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%ids : tensor<8xindex>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%id: index, %o: f32):
    %j = linalg.index 1 : index
    %v = tensor.extract %table[%id, %j] : tensor<100x16xf32>
    linalg.yield %v : f32
  } -> tensor<8x16xf32>
  return %r : tensor<8x16xf32>
}

// -----

// Dynamic dims without a #tfperf.dims encoding, unranked tensors and
// dynamic buffers have no element count.
// CHECK-LABEL: func.func @unknown_shapes
func.func @unknown_shapes(%a: tensor<?x64xf32>, %b: tensor<64x32xf32>,
                          %c: tensor<?x32xf32>, %u: tensor<*xf32>,
                          %m: memref<?x8xf32>, %n: memref<?x8xf32>) {
  // expected-remark @below {{cost unknown: a tensor with an unknown dim (dynamic, without a #tfperf.dims encoding)}}
  %r = linalg.matmul ins(%a, %b : tensor<?x64xf32>, tensor<64x32xf32>)
                     outs(%c : tensor<?x32xf32>) -> tensor<?x32xf32>
  // expected-remark @below {{cost unknown: a tensor of unknown rank}}
  %x = tosa.exp %u : (tensor<*xf32>) -> tensor<*xf32>
  // expected-remark @below {{cost unknown: a memref with a dynamic dim}}
  linalg.copy ins(%m : memref<?x8xf32>) outs(%n : memref<?x8xf32>)
  return
}
