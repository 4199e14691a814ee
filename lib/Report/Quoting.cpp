//===- Quoting.cpp - spelling values in the report formats ----------------===//

#include "Quoting.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace mlir::tfperf;

std::string mlir::tfperf::plainNumber(double v) {
  if (std::isnan(v) || std::isinf(v))
    return "";
  char buf[64];
  if (v == std::floor(v) && std::fabs(v) < 9.0e15) {
    snprintf(buf, sizeof(buf), "%.0f", v);
    return buf;
  }
  for (int digits = 1; digits <= 17; ++digits) {
    snprintf(buf, sizeof(buf), "%.*g", digits, v);
    if (std::strtod(buf, nullptr) == v)
      break;
  }
  return buf;
}

std::string mlir::tfperf::csvField(llvm::StringRef s) {
  bool quote = !s.empty() && (s.front() == ' ' || s.back() == ' ');
  quote |= s.find_first_of(",\"\r\n") != llvm::StringRef::npos;
  if (!quote)
    return s.str();
  std::string out = "\"";
  for (char c : s) {
    if (c == '"')
      out += '"';
    out += c;
  }
  return out + "\"";
}

std::string mlir::tfperf::svgCoord(double v) {
  char buf[64];
  snprintf(buf, sizeof(buf), "%.1f", std::isfinite(v) ? v : 0.0);
  return buf;
}

std::string mlir::tfperf::htmlEscape(llvm::StringRef s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&#39;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string mlir::tfperf::markdownCell(llvm::StringRef s, bool code) {
  std::string out;
  if (code && !s.empty()) {
    // A code span needs a fence longer than any backtick run inside, and
    // spaces when the text starts or ends with a backtick.
    size_t run = 0, longest = 0;
    for (char c : s) {
      run = c == '`' ? run + 1 : 0;
      longest = std::max(longest, run);
    }
    std::string fence(longest + 1, '`');
    bool pad = s.front() == '`' || s.back() == '`';
    out = fence + (pad ? " " : "");
    for (char c : s) {
      if (c == '|')
        out += '\\';
      out += c == '\n' ? ' ' : c;
    }
    return out + (pad ? " " : "") + fence;
  }
  for (char c : s) {
    if (llvm::StringRef("\\`*_[]<>|#~").contains(c))
      out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

std::string mlir::tfperf::fixedOrDash(double v, int digits) {
  if (std::isnan(v) || std::isinf(v))
    return "-";
  char buf[64];
  snprintf(buf, sizeof(buf), "%.*f", digits, v);
  return buf;
}

void mlir::tfperf::jsonNumber(llvm::json::OStream &j, llvm::StringRef key,
                              std::optional<double> v) {
  j.attributeBegin(key);
  if (!v || std::isnan(*v) || std::isinf(*v))
    j.value(nullptr);
  else if (*v == std::floor(*v) && std::fabs(*v) < 9.0e15)
    j.value(static_cast<int64_t>(*v));
  else
    j.value(*v);
  j.attributeEnd();
}
