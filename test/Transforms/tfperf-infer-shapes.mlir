// tfperf-infer-shapes re-infers a function's types in order; bind-dims
// makes named dim symbols concrete first (argument types included), and
// symbols left unbound stay `?` with their `#tfperf.dims` names.
// RUN: tfperf-opt %s --pass-pipeline='builtin.module(func.func(tfperf-infer-shapes{bind-dims=batch=2,seq=8}))' | FileCheck %s --check-prefix=ALL
// RUN: tfperf-opt %s --tfperf-infer-shapes="bind-dims=seq=8" | FileCheck %s --check-prefix=SEQ
// RUN: tfperf-opt %s --tfperf-infer-shapes | FileCheck %s --check-prefix=NONE

// ALL-LABEL: func.func @f(%arg0: tensor<2x8x16xf32>) -> tensor<2x8x32xf32>
// ALL: tfperf.matmul {{.*}} -> tensor<2x8x32xf32>
// ALL: tfperf.relu {{.*}} -> tensor<2x8x32xf32>
// SEQ-LABEL: func.func @f(%arg0: tensor<?x8x16xf32, #tfperf.dims<["batch"]>>) -> tensor<?x8x32xf32, #tfperf.dims<["batch"]>>
// SEQ: tfperf.relu {{.*}} -> tensor<?x8x32xf32, #tfperf.dims<["batch"]>>
// Without bindings the types are already what inference gives.
// NONE-LABEL: func.func @f(%arg0: tensor<?x?x16xf32, #tfperf.dims<["batch", "seq"]>>)
// NONE: tfperf.relu {{.*}} -> tensor<?x?x32xf32, #tfperf.dims<["batch", "seq"]>>
func.func @f(%x: tensor<?x?x16xf32, #tfperf.dims<["batch", "seq"]>>) -> tensor<?x?x32xf32, #tfperf.dims<["batch", "seq"]>> {
  %w = tfperf.weight "w" : tensor<16x32xf32>
  %y = tfperf.matmul %x, %w : (tensor<?x?x16xf32, #tfperf.dims<["batch", "seq"]>>, tensor<16x32xf32>) -> tensor<?x?x32xf32, #tfperf.dims<["batch", "seq"]>>
  %z = tfperf.relu %y : (tensor<?x?x32xf32, #tfperf.dims<["batch", "seq"]>>) -> tensor<?x?x32xf32, #tfperf.dims<["batch", "seq"]>>
  return %z : tensor<?x?x32xf32, #tfperf.dims<["batch", "seq"]>>
}
