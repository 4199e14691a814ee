// A structure-aware mutation of gpt2_124m_nanogpt_dynamic.onnx (a dim set
// to 0) printed `"backward_flops": -82176` with exit status 0: a bias
// broadcast into a result with a 0 dim folded numel(dY) - numel(db) =
// 0 - 8 adds. dY has no elements, so db is zeros: 0 adds. Minimized.
// RUN: tfperf-opt %s --tfperf-analyze-training | FileCheck %s
// RUN: tfperf-opt %s --analyze-roofline --mode=train --report=%t.json | FileCheck %s --check-prefix=REPORT
// RUN: FileCheck %s --check-prefix=JSON < %t.json

// CHECK: backward_flops = 0 : i64
// CHECK: tfperf.add {{.*}}tfperf.bwd_flops = 0 : i64, tfperf.bwd_ops = ["db = sum dY"]
// REPORT: backward FLOPs 0 FLOP
// JSON: "backward_flops": 0,
// JSON-NOT: {{[:[,] *-[0-9]}}
func.func @zero_rows(%x: tensor<0x8xf32>) -> tensor<0x8xf32> {
  %b = tfperf.weight "b" : tensor<8xf32>
  %y = tfperf.add %x, %b : (tensor<0x8xf32>, tensor<8xf32>) -> tensor<0x8xf32>
  return %y : tensor<0x8xf32>
}
