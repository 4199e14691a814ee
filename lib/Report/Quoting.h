//===- Quoting.h - spelling values in the report formats --------*- C++ -*-===//
//
// Numbers and strings as each output format needs them: plain numbers that
// read back exactly, CSV fields, HTML/SVG text, Markdown table cells.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_LIB_REPORT_QUOTING_H
#define TFPERF_LIB_REPORT_QUOTING_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"

#include <optional>

#include <string>

namespace mlir::tfperf {

/// The shortest decimal that reads back as `v` (integers without a
/// fraction); "" for NaN and infinities, which mean "unknown".
std::string plainNumber(double v);

/// `v` with `digits` decimals for the tables; "-" for NaN and infinities.
std::string fixedOrDash(double v, int digits = 1);

/// A JSON number under `key`: integral values below 9e15 as integers,
/// others as the double, NaN, infinities and nullopt as null (unknown).
void jsonNumber(llvm::json::OStream &j, llvm::StringRef key,
                std::optional<double> v);

/// A per-device JSON section: the first device's figures under `key`, and
/// with several devices each device's under its name in `key`_by_device.
template <typename Figures, typename Write>
void jsonFirstAndByDevice(llvm::json::OStream &j, llvm::StringRef key,
                          llvm::ArrayRef<Figures> all, Write write) {
  if (all.empty())
    return;
  j.attributeObject(key, [&] { write(all.front()); });
  if (all.size() > 1)
    j.attributeObject((key + "_by_device").str(), [&] {
      for (const Figures &f : all)
        j.attributeObject(f.device, [&] { write(f); });
    });
}

/// An RFC 4180 field: quoted (with doubled quotes) when it holds a comma,
/// quote, line break or edge space.
std::string csvField(llvm::StringRef s);

/// An SVG coordinate or length: one decimal, no exponent.
std::string svgCoord(double v);

/// Text for HTML/SVG content and attribute values.
std::string htmlEscape(llvm::StringRef s);

/// A GitHub Markdown table cell holding `s` verbatim: as a code span when
/// `code`, else with Markdown punctuation escaped; `|` is always escaped
/// (tables split on it even inside code spans).
std::string markdownCell(llvm::StringRef s, bool code = false);

} // namespace mlir::tfperf

#endif
