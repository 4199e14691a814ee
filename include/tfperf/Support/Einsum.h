//===- Einsum.h - ONNX Einsum equation parsing ------------------*- C++ -*-===//
//
// Parses an Einsum equation into per-operand subscript lists, shared by shape
// inference (output dims) and the cost model (contraction size).
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_SUPPORT_EINSUM_H
#define TFPERF_SUPPORT_EINSUM_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>

namespace mlir::tfperf {

/// One operand's subscripts; `ellipsisAt` is the index where `...` stands
/// (or -1).
struct EinsumTerm {
  std::string letters;
  int ellipsisAt = -1;
};

struct EinsumSpec {
  llvm::SmallVector<EinsumTerm, 3> inputs;
  EinsumTerm output;
  /// True when the equation had no `->` (output derived: letters that occur
  /// once, alphabetically, after the ellipsis dims).
  bool implicitOutput = false;
};

/// Parses `equation`; returns nullopt and sets `error` on bad syntax.
std::optional<EinsumSpec> parseEinsum(llvm::StringRef equation,
                                      std::string &error);

} // namespace mlir::tfperf

#endif
