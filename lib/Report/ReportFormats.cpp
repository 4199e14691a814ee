//===- ReportFormats.cpp - choosing the emitter of a format ---------------===//

#include "tfperf/Report/Report.h"

#include "llvm/Support/Path.h"

using namespace mlir;
using namespace mlir::tfperf;

llvm::ArrayRef<llvm::StringRef> mlir::tfperf::supportedReportFormats() {
  static const llvm::StringRef formats[] = {"text", "json", "csv", "md",
                                            "html"};
  return formats;
}

std::string mlir::tfperf::supportedReportFormatList() {
  std::string list;
  for (llvm::StringRef f : supportedReportFormats())
    list += (list.empty() ? "" : ", ") + f.str();
  return list;
}

std::string mlir::tfperf::tableFileError(llvm::StringRef option,
                                         llvm::ArrayRef<std::string> files) {
  for (const std::string &file : files) {
    llvm::StringRef ext = llvm::sys::path::extension(file);
    if (ext != ".csv" && ext != ".json")
      return (option + "=" + file +
              ": the format comes from the extension (.csv or .json)")
          .str();
  }
  return "";
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
