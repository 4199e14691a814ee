//===- FormulaPrinter.h - cost formulas for people --------------*- C++ -*-===//
//
// SymExpr::str() is the exact, parseable form (`3072*batch*seq^2`), which
// JSON reports carry. Reports for people print the same polynomial as
// `3072·batch·seq²`, and can write each coefficient in base d_model so the
// textbook formula shows through: with d = 768, `4718592·batch·seq` is
// `8·d²·batch·seq` and a coefficient 3132 = 4·768 + 60 reads
// `4·d·… + 60·…` (the matmul term and the lesser terms the graph has).
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_SUPPORT_FORMULAPRINTER_H
#define TFPERF_SUPPORT_FORMULAPRINTER_H

#include "tfperf/Support/SymExpr.h"

#include <optional>
#include <string>

namespace mlir::tfperf {

struct FormulaStyle {
  /// `·` between factors and superscript powers (`seq²`); otherwise the
  /// exact text form of SymExpr::str().
  bool unicode = true;
  /// Writes every coefficient in base `baseD` (at least 2): digits k_p
  /// below d, one term `k_p·d^p·monomial` per non-zero digit.
  std::optional<int64_t> baseD;
  /// The name printed for the base.
  std::string dName = "d";
};

/// `e` in `style`; `?` when unknown, `overflow` on overflow.
std::string formatFormula(const SymExpr &e, const FormulaStyle &style = {});

/// Bytes from a bit count: the polynomial divided by 8 when every
/// coefficient is a multiple of 8, else `(bits)/8` (4-bit weights).
std::string formatBytesFormula(const SymExpr &bits,
                               const FormulaStyle &style = {});

/// The exact byte count `bits / 8`, when it is a polynomial.
std::optional<SymExpr> bitsToBytes(const SymExpr &bits);

} // namespace mlir::tfperf

#endif
