//===- FormulaPrinter.cpp - cost formulas for people ----------------------===//

#include "tfperf/Support/FormulaPrinter.h"

#include "llvm/Support/raw_ostream.h"

#include <cctype>

using namespace mlir;
using namespace mlir::tfperf;

namespace {
const char *const kSuperscripts[] = {"\u2070", "\u00b9", "\u00b2", "\u00b3",
                                     "\u2074", "\u2075", "\u2076", "\u2077",
                                     "\u2078", "\u2079"};

std::string superscript(unsigned n) {
  std::string digits = std::to_string(n), out;
  for (char c : digits)
    out += kSuperscripts[c - '0'];
  return out;
}

bool isPlainName(llvm::StringRef s) {
  if (s.empty() || !(std::isalpha((unsigned char)s[0]) || s[0] == '_'))
    return false;
  return llvm::all_of(
      s, [](char c) { return std::isalnum((unsigned char)c) || c == '_'; });
}

/// A symbol as SymExpr prints it: identifiers and atoms as they are, other
/// names quoted.
std::string symbolName(const char *sym) {
  llvm::StringRef name(sym);
  if (isPlainName(name) || SymExpr::lookupAtom(sym))
    return name.str();
  std::string q = "'";
  for (char c : name) {
    if (c == '\'' || c == '\\')
      q += '\\';
    q += c;
  }
  return q + "'";
}

/// `^n` or a superscript n.
std::string power(unsigned n, bool unicode) {
  return unicode ? superscript(n) : "^" + std::to_string(n);
}

/// One term: |coeff| · d^p · monomial (the sign is printed by the caller).
std::string term(unsigned __int128 mag, unsigned dPow,
                 const FormulaStyle &style, const SymExpr::Monomial &mono) {
  std::vector<std::string> parts;
  bool bare = dPow == 0 && mono.empty();
  if (mag != 1 || bare)
    parts.push_back(int128ToString((Int128)mag));
  if (dPow)
    parts.push_back(style.dName + (dPow > 1 ? power(dPow, style.unicode) : ""));
  for (const SymExpr::Factor &f : mono)
    parts.push_back(symbolName(f.sym) +
                    (f.pow > 1 ? power(f.pow, style.unicode) : ""));
  std::string s;
  for (size_t i = 0; i < parts.size(); ++i)
    s += (i ? (style.unicode ? "\u00b7" : "*") : "") + parts[i];
  return s;
}
} // namespace

std::string mlir::tfperf::formatFormula(const SymExpr &e,
                                        const FormulaStyle &style) {
  if (!e.isKnown() || (!style.unicode && !style.baseD))
    return e.str();
  std::vector<std::pair<bool, std::string>> out; // (negative, text)
  auto emit = [&](Int128 coeff, const SymExpr::Monomial &mono) {
    if (coeff == 0)
      return;
    bool neg = coeff < 0;
    unsigned __int128 mag =
        neg ? (unsigned __int128)(-(coeff + 1)) + 1 : (unsigned __int128)coeff;
    if (!style.baseD || *style.baseD < 2) {
      out.push_back({neg, term(mag, 0, style, mono)});
      return;
    }
    unsigned __int128 d = *style.baseD;
    llvm::SmallVector<unsigned __int128, 8> digits; // lowest first
    for (unsigned __int128 m = mag; m; m /= d)
      digits.push_back(m % d);
    for (size_t p = digits.size(); p-- > 0;)
      if (digits[p])
        out.push_back({neg, term(digits[p], p, style, mono)});
  };
  for (const SymExpr::Term &t : e.getTerms())
    emit(t.coeff, t.mono);
  emit(e.getConstantTerm(), {});
  if (out.empty())
    return "0";
  std::string s;
  for (size_t i = 0; i < out.size(); ++i) {
    if (i)
      s += out[i].first ? " - " : " + ";
    else if (out[i].first)
      s += "-";
    s += out[i].second;
  }
  return s;
}

std::optional<SymExpr> mlir::tfperf::bitsToBytes(const SymExpr &bits) {
  return bits.divExact(SymExpr(8));
}

std::string mlir::tfperf::formatBytesFormula(const SymExpr &bits,
                                             const FormulaStyle &style) {
  if (auto bytes = bitsToBytes(bits))
    return formatFormula(*bytes, style);
  return "(" + formatFormula(bits, style) + ")/8";
}
