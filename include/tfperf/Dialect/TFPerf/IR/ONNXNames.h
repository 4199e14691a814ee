//===- ONNXNames.h - the ONNX op each tfperf op imports ---------*- C++ -*-===//
//
// Each op's ONNX name is declared once, in ODS (TFPerf_ONNXName in
// TFPerfTraits.td); this is the table of them over the whole dialect, for
// code that holds an Operation* or an op name rather than an op class.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_DIALECT_TFPERF_IR_ONNXNAMES_H
#define TFPERF_DIALECT_TFPERF_IR_ONNXNAMES_H

#include "mlir/IR/OperationSupport.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

namespace mlir::tfperf {

struct ONNXOpName {
  /// "" is the default domain (ai.onnx).
  llvm::StringRef domain;
  llvm::StringRef opType;
};

/// The ONNX op a tfperf op (by its MLIR name, e.g. "tfperf.layer_norm")
/// imports; nullopt for ops without one (weights, custom ops, yield) and
/// ops of other dialects.
std::optional<ONNXOpName> lookupONNXName(llvm::StringRef mlirOpName);

} // namespace mlir::tfperf

#endif
