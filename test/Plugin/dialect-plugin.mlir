// Stock mlir-opt with the dialect plugin: tfperf ops parse, and with the
// pass plugin the whole analysis (annotate, roofline, report) runs on them
// and on linalg in one module, with the same figures as tfperf-opt.
// RUN: mlir-opt --load-dialect-plugin=%tfperf_libs/TFPerfPlugin.so %s \
// RUN:   | FileCheck %s --check-prefix=PARSE
// RUN: not mlir-opt %s 2>&1 | FileCheck %s --check-prefix=NOPLUGIN
// RUN: mlir-opt --load-dialect-plugin=%tfperf_libs/TFPerfPlugin.so \
// RUN:   --load-pass-plugin=%tfperf_libs/TFPerfPlugin.so \
// RUN:   --pass-pipeline='builtin.module(func.func(tfperf-annotate-cost),tfperf-roofline{hw=h100-sxm},tfperf-emit-report{format=json output-file=%t.json})' %s \
// RUN:   | FileCheck %s --check-prefix=IR
// RUN: FileCheck %s --check-prefix=JSON < %t.json
// RUN: tfperf-opt %s --analyze-roofline --report=%t.tfperf.json > /dev/null
// RUN: FileCheck %s --check-prefix=JSON < %t.tfperf.json

// PARSE: tfperf.matmul
// NOPLUGIN: Dialect `tfperf' not found

// IR-LABEL: func.func @tfperf_block
// IR: tfperf.matmul {{.*}}tfperf.bound = "memory"{{.*}}tfperf.bytes = 11264 : i64, tfperf.flops = 32768 : i64, tfperf.gemm_flops = 32768 : i64
// IR: tfperf.softmax {{.*}}tfperf.flops = 1280 : i64
func.func @tfperf_block(%x: tensor<8x64xf32>) -> tensor<8x32xf32> {
  %w = tfperf.weight "W" : tensor<64x32xf32>
  %b = tfperf.weight "b" : tensor<32xf32>
  %h = tfperf.matmul %x, %w : (tensor<8x64xf32>, tensor<64x32xf32>) -> tensor<8x32xf32>
  %a = tfperf.add %h, %b : (tensor<8x32xf32>, tensor<32xf32>) -> tensor<8x32xf32>
  %y = tfperf.softmax %a {axis = 1 : i64} : (tensor<8x32xf32>) -> tensor<8x32xf32>
  return %y : tensor<8x32xf32>
}

// IR-LABEL: func.func @linalg_block
// IR: linalg.matmul {tfperf.bound = "memory"{{.*}}tfperf.bytes = 11264 : i64, tfperf.flops = 32768 : i64, tfperf.gemm_flops = 32768 : i64
func.func @linalg_block(%x: tensor<8x64xf32>, %w: tensor<64x32xf32>) -> tensor<8x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x32xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<8x32xf32>) -> tensor<8x32xf32>
  %h = linalg.matmul ins(%x, %w : tensor<8x64xf32>, tensor<64x32xf32>)
                     outs(%acc : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %h : tensor<8x32xf32>
}

// Both functions: 2 * 32768 + 256 + 1280 FLOPs.
// JSON:      "totals": {
// JSON-NEXT:  "flops": 67072,
// JSON-NEXT:  "gemm_flops": 65536,
// JSON-NEXT:  "bytes": 26752,
// JSON:       "unknown_ops": 0
