//===- ReportFormats.cpp - choosing the emitter of a format ---------------===//

#include "tfperf/Report/Report.h"

using namespace mlir;
using namespace mlir::tfperf;

llvm::ArrayRef<llvm::StringRef> mlir::tfperf::supportedReportFormats() {
  static const llvm::StringRef formats[] = {"text", "json", "csv", "md",
                                            "html"};
  return formats;
}

bool mlir::tfperf::printReport(const Report &r, llvm::StringRef format,
                               llvm::raw_ostream &os,
                               const TextReportOptions &opts) {
  if (format == "text")
    printTextReport(r, os, opts);
  else if (format == "json")
    printJSONReport(r, os);
  else if (format == "csv")
    printCSVReport(r, os);
  else if (format == "md")
    printMarkdownReport(r, os, opts);
  else if (format == "html")
    printHTMLReport(r, os, opts);
  else
    return false;
  return true;
}
