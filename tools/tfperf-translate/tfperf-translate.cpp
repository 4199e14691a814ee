//===- tfperf-translate.cpp - the pure ONNX importer ----------------------===//
//
// `tfperf-translate --import-onnx model.onnx` prints the imported module
// with every shape inferred. Accepts mlir-translate's usual flags plus
// `--bind-dims=name=value,...`.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Target/ONNX/ImportONNX.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  mlir::tfperf::registerONNXImportTranslation();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "tfperf ONNX translation tool"));
}
