//===- MarkdownReport.cpp - the summary as Markdown -----------------------===//
//
// The text report's tables as GitHub-flavoured Markdown, for pasting into a
// pull request or an issue: names as code spans, figures right-aligned.
//
//===----------------------------------------------------------------------===//

#include "Quoting.h"
#include "SummaryTables.h"

using namespace mlir;
using namespace mlir::tfperf;

static void printTable(const SummaryTable &t, llvm::raw_ostream &os) {
  os << "### " << markdownCell(t.title) << "\n\n";
  if (!t.header.empty()) {
    auto row = [&](const std::vector<std::string> &cells, bool header) {
      os << "|";
      for (size_t i = 0; i < cells.size(); ++i) {
        bool code = !header && t.namesAreCode && i < t.firstNumeric &&
                    !cells[i].empty();
        os << " " << markdownCell(cells[i], code) << " |";
      }
      os << "\n";
    };
    row(t.header, true);
    os << "|";
    for (size_t i = 0; i < t.header.size(); ++i)
      os << (i < t.firstNumeric ? " --- |" : " ---: |");
    os << "\n";
    for (const auto &r : t.rows)
      row(r, false);
    os << "\n";
  }
  for (const std::string &n : t.notes)
    os << "- " << markdownCell(n) << "\n";
  if (!t.notes.empty())
    os << "\n";
}

void mlir::tfperf::printMarkdownReport(const Report &r, llvm::raw_ostream &os,
                                       const TextReportOptions &opts) {
  Summary s = buildSummary(r, opts);
  os << "## " << markdownCell(s.title) << "\n\n";
  for (const std::string &l : s.lines)
    os << markdownCell(l) << "  \n";
  os << "\n";
  for (const SummaryTable &t : s.tables)
    printTable(t, os);
}
