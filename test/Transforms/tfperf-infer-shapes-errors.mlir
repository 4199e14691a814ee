// tfperf-infer-shapes fails, naming the function, on a malformed binding
// and on a binding of a symbol the function does not use.
// RUN: tfperf-opt %s --split-input-file --tfperf-infer-shapes="bind-dims=batch" --verify-diagnostics -o /dev/null
// RUN: not tfperf-opt %s --tfperf-infer-shapes="bind-dims=heads=4" -o /dev/null 2>&1 | FileCheck %s --check-prefix=UNUSED
// UNUSED: error: --bind-dims names 'heads', which is not a dim of this graph

// expected-error @+1 {{bind-dims: expected name=value, got 'batch'}}
func.func @f(%x: tensor<?x16xf32, #tfperf.dims<["batch"]>>) -> tensor<?x16xf32, #tfperf.dims<["batch"]>> {
  %y = tfperf.relu %x : (tensor<?x16xf32, #tfperf.dims<["batch"]>>) -> tensor<?x16xf32, #tfperf.dims<["batch"]>>
  return %y : tensor<?x16xf32, #tfperf.dims<["batch"]>>
}
