//===- SymbolSources.h - where an unbound symbol comes from ----*- C++ -*-===//
//
// A report lists the symbols it could not evaluate; a user binds them with
// --bind-dims and needs to know which of the graph's inputs each one sizes
// (or is the value of), and, for a quantization parameter, which lengths
// the consuming op accepts.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_REPORT_SYMBOLSOURCES_H
#define TFPERF_REPORT_SYMBOLSOURCES_H

#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace mlir::tfperf {

struct SymbolSource {
  std::string symbol;
  /// Graph inputs the symbol sizes, as "name[dim]", or "value of name".
  std::vector<std::string> inputs;
  /// Lengths a quantization parameter may have, with the op that reads it;
  /// empty when the symbol sizes no such parameter.
  std::string note;
};

/// One entry per symbol of `symbols`, in that order, from the arguments of
/// the module's functions.
std::vector<SymbolSource>
describeSymbolSources(ModuleOp module, llvm::ArrayRef<std::string> symbols);

} // namespace mlir::tfperf

#endif // TFPERF_REPORT_SYMBOLSOURCES_H
