//===- TextReport.cpp - the terminal report -------------------------------===//
//
// The summary (SummaryTables.h) as aligned tables for a terminal: names
// left-aligned, figures right-aligned, columns padded to their widest cell
// (counting UTF-8 code points, so "µs" is two columns wide).
//
//===----------------------------------------------------------------------===//

#include "SummaryTables.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::tfperf;

static size_t displayWidth(llvm::StringRef s) {
  size_t n = 0;
  for (unsigned char c : s)
    n += (c & 0xC0) != 0x80;
  return n;
}

static void printTable(const SummaryTable &t, llvm::raw_ostream &os) {
  os << t.title << "\n";
  std::vector<const std::vector<std::string> *> rows;
  if (!t.header.empty())
    rows.push_back(&t.header);
  for (const auto &r : t.rows)
    rows.push_back(&r);
  std::vector<size_t> width;
  for (const auto *r : rows)
    for (size_t i = 0; i < r->size(); ++i) {
      width.resize(std::max(width.size(), i + 1));
      width[i] = std::max(width[i], displayWidth((*r)[i]));
    }
  for (const auto *r : rows) {
    os << "  ";
    for (size_t i = 0; i < r->size(); ++i) {
      const std::string &c = (*r)[i];
      size_t pad = width[i] - displayWidth(c);
      bool last = i + 1 == r->size();
      if (i >= t.firstNumeric)
        os.indent(pad) << c;
      else
        os << c << std::string(last ? 0 : pad, ' ');
      if (!last)
        os << "  ";
    }
    os << "\n";
  }
  for (const std::string &n : t.notes)
    os << "  " << n << "\n";
}

void mlir::tfperf::printTextReport(const Report &r, llvm::raw_ostream &os,
                                   const TextReportOptions &opts) {
  Summary s = buildSummary(r, opts);
  os << s.title << "\n";
  for (const std::string &l : s.lines)
    os << l << "\n";
  for (const SummaryTable &t : s.tables) {
    os << "\n";
    printTable(t, os);
  }
}
