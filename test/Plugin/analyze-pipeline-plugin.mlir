// The pass plugin registers the tfperf-analyze pipeline too: stock mlir-opt
// runs the whole analysis on linalg IR, with the same report as tfperf-opt.
// RUN: rm -rf %t && mkdir -p %t
// RUN: mlir-opt --load-pass-plugin=%tfperf_libs/TFPerfPlugin.so \
// RUN:   --pass-pipeline='builtin.module(tfperf-analyze{hw=a100-sxm-40gb report=%t/plugin.json})' \
// RUN:   %s -o %t/plugin.mlir
// RUN: tfperf-opt %s --analyze-roofline --hw=a100-sxm-40gb --report=%t/opt.json -o %t/opt.mlir
// RUN: cmp %t/plugin.json %t/opt.json
// RUN: FileCheck %s < %t/plugin.json
// CHECK: "name": "a100-sxm-40gb"
// CHECK: "flops": 32768
// Its options are checked when the pipeline is parsed.
// RUN: not mlir-opt --load-pass-plugin=%tfperf_libs/TFPerfPlugin.so \
// RUN:   --pass-pipeline='builtin.module(tfperf-analyze{tp=0})' %s 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD
// BAD: tfperf-analyze: --tp: degrees must be at least 1, got 0

func.func @matmul(%x: tensor<8x64xf32>, %w: tensor<64x32xf32>,
                  %acc: tensor<8x32xf32>) -> tensor<8x32xf32> {
  %h = linalg.matmul ins(%x, %w : tensor<8x64xf32>, tensor<64x32xf32>)
                     outs(%acc : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %h : tensor<8x32xf32>
}
