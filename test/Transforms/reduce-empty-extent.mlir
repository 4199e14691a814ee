// A reduction over a symbolic extent folds max(extent - 1, 0) per output
// element: at extent 0 (a past length in prefill) it folds nothing. The
// plain in - out counted -out there (fuzz run 12: the report invariants
// refused a ReduceSum at -1 FLOP).
// RUN: tfperf-opt %s --tfperf-annotate-cost | FileCheck %s
// RUN: rm -f %t.csv && tfperf-opt %s --tfperf-roofline --tfperf-symbolic="sweep=past=0,1,5 sweep-out=%t.csv" -o /dev/null && FileCheck %s --check-prefix=CSV < %t.csv

// CHECK: tfperf.reduce_sum {{.*}}tfperf.flops = "8*max(0, past - 1)"
// CSV: past,hw,flops
// CSV-NEXT: 0,h100-sxm,0,
// CSV-NEXT: 1,h100-sxm,0,
// CSV-NEXT: 5,h100-sxm,32,

func.func @f(%x: tensor<8x?xf32, #tfperf.dims<["past"]>>) -> tensor<8x1xf32> {
  %r = tfperf.reduce_sum %x {static_axes = array<i64: -1>} : (tensor<8x?xf32, #tfperf.dims<["past"]>>) -> tensor<8x1xf32>
  return %r : tensor<8x1xf32>
}
