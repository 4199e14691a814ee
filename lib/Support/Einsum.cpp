//===- Einsum.cpp - ONNX Einsum equation parsing --------------------------===//

#include "tfperf/Support/Einsum.h"

#include <cctype>
#include <map>

using namespace mlir;
using namespace mlir::tfperf;

static std::optional<EinsumTerm> parseTerm(llvm::StringRef text,
                                           std::string &error) {
  EinsumTerm term;
  text = text.trim();
  for (size_t i = 0; i < text.size();) {
    char c = text[i];
    if (c == '.') {
      if (!text.substr(i).starts_with("...") || term.ellipsisAt >= 0) {
        error = "malformed ellipsis in '" + text.str() + "'";
        return std::nullopt;
      }
      term.ellipsisAt = term.letters.size();
      i += 3;
      continue;
    }
    if (std::isspace((unsigned char)c)) {
      ++i;
      continue;
    }
    if (!std::isalpha((unsigned char)c)) {
      error = std::string("invalid subscript character '") + c + "'";
      return std::nullopt;
    }
    term.letters.push_back(c);
    ++i;
  }
  return term;
}

std::optional<EinsumSpec> mlir::tfperf::parseEinsum(llvm::StringRef equation,
                                                    std::string &error) {
  EinsumSpec spec;
  auto [lhs, rhs] = equation.split("->");
  bool hasArrow = equation.contains("->");
  llvm::SmallVector<llvm::StringRef, 4> parts;
  lhs.split(parts, ',');
  for (auto p : parts) {
    auto t = parseTerm(p, error);
    if (!t)
      return std::nullopt;
    spec.inputs.push_back(*t);
  }
  if (hasArrow) {
    auto t = parseTerm(rhs, error);
    if (!t)
      return std::nullopt;
    spec.output = *t;
    for (char c : spec.output.letters)
      if (llvm::none_of(spec.inputs, [&](const EinsumTerm &in) {
            return in.letters.find(c) != std::string::npos;
          })) {
        error = std::string("output subscript '") + c +
                "' does not occur in any input";
        return std::nullopt;
      }
    return spec;
  }
  spec.implicitOutput = true;
  std::map<char, int> counts;
  bool anyEllipsis = false;
  for (auto &in : spec.inputs) {
    anyEllipsis |= in.ellipsisAt >= 0;
    for (char c : in.letters)
      counts[c]++;
  }
  if (anyEllipsis)
    spec.output.ellipsisAt = 0;
  for (auto [c, n] : counts)
    if (n == 1)
      spec.output.letters.push_back(c);
  return spec;
}
