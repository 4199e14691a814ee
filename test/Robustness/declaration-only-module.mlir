// A module whose only function is a declaration (no body). Found by
// tfperf-mlir-pipeline-fuzzer: SIGSEGV in the transformer recognizer,
// which read the first argument of the declaration (firstFunction
// returned it). Now no function is found and the run ends with an error
// (exit 1; `not` fails on a crash).
// RUN: not tfperf %s --analyze-roofline --phase=both --tp=1,2 --mode=train --symbolic 2>&1 | FileCheck %s
// CHECK: error:

func.func private @opaque(tensor<8x16xf32>) -> tensor<8x16xf32>
