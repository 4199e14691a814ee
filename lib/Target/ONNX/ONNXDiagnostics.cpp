//===- ONNXDiagnostics.cpp - diagnostics that name file and node ----------===//
//
// The importer locates ops at NameLoc(node, FileLineColLoc(file, 0, 0)).
// MLIR's default handler would print `file:0:0:` and drop the node name, so
// such locations print as `file: error: node 'name': message` instead.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Target/ONNX/ImportONNX.h"

#include "mlir/IR/Location.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::tfperf;

namespace {
/// The file and node of an importer location, if `loc` is one.
bool decompose(Location loc, std::string &file, std::string &node) {
  if (auto name = dyn_cast<NameLoc>(loc)) {
    node = name.getName().str();
    return decompose(name.getChildLoc(), file, node);
  }
  // An op inlined from a function: its own name already spells the path
  // of calls ("caller/inner").
  if (auto call = dyn_cast<CallSiteLoc>(loc))
    return decompose(call.getCallee(), file, node);
  if (auto flc = dyn_cast<FileLineColLoc>(loc)) {
    if (flc.getLine() != 0 || flc.getColumn() != 0)
      return false;
    file = flc.getFilename().str();
    return true;
  }
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location l : fused.getLocations())
      if (decompose(l, file, node))
        return true;
  return false;
}

const char *severityName(DiagnosticSeverity s) {
  switch (s) {
  case DiagnosticSeverity::Error: return "error";
  case DiagnosticSeverity::Warning: return "warning";
  case DiagnosticSeverity::Remark: return "remark";
  case DiagnosticSeverity::Note: return "note";
  }
  return "error";
}

/// Writes `s` with control characters escaped: names come from the model,
/// and a newline in one must not start a line that looks like another
/// diagnostic.
void printEscaped(llvm::raw_ostream &os, llvm::StringRef s) {
  for (unsigned char c : s) {
    if (c == '\n')
      os << "\\n";
    else if (c == '\r')
      os << "\\r";
    else if (c == '\t')
      os << "\\t";
    else if (c < 0x20 || c == 0x7f)
      os << "\\x" << llvm::hexdigit(c >> 4, true) << llvm::hexdigit(c & 15, true);
    else
      os << c;
  }
}

void print(llvm::raw_ostream &os, Location loc, DiagnosticSeverity sev,
           llvm::StringRef msg) {
  std::string file, node;
  if (decompose(loc, file, node)) {
    printEscaped(os, file);
    os << ": " << severityName(sev) << ": ";
    if (!node.empty()) {
      os << "node '";
      printEscaped(os, node);
      os << "': ";
    }
  } else {
    os << loc << ": " << severityName(sev) << ": ";
  }
  printEscaped(os, msg);
  os << "\n";
}
} // namespace

ONNXDiagnosticHandler::ONNXDiagnosticHandler(MLIRContext *ctx,
                                             llvm::raw_ostream &os)
    : ScopedDiagnosticHandler(ctx) {
  setHandler([&os](Diagnostic &diag) {
    print(os, diag.getLocation(), diag.getSeverity(), diag.str());
    for (Diagnostic &note : diag.getNotes())
      print(os, note.getLocation(), note.getSeverity(), note.str());
    os.flush();
    return success();
  });
}
