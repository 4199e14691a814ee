//===- SymExpr.h - Exact symbolic dimension arithmetic ----------*- C++ -*-===//
//
// A SymExpr is an exact polynomial over named dimension symbols (ONNX
// dim_params such as `batch` or `seq`) with 128-bit integer coefficients.
// Shapes, element counts, FLOPs and bytes are all SymExprs, so one cost
// formula serves concrete graphs (every term constant) and symbolic ones.
//
// Arithmetic never wraps: a result that does not fit in 128 bits, or that
// would have more than kMaxSymTerms terms (a dim_param such as
// `(a+b+c+d+e+f+g+h)^12` would otherwise take minutes to expand), becomes the
// Overflow state, and anything combined with it stays Overflow. A value that
// cannot be known (data-dependent) is the Unknown state. Operations that are
// not polynomial (floor division that is not exact, min, max) on symbolic
// operands produce an opaque atom symbol whose name is its own definition,
// e.g. `floordiv(seq, 2)`, so it can still be printed, parsed and evaluated.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_SUPPORT_SYMEXPR_H
#define TFPERF_SUPPORT_SYMEXPR_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"
#include <functional>
#include <optional>
#include <string>

namespace mlir {
class Diagnostic;
} // namespace mlir

namespace mlir::tfperf {

using Int128 = __int128;

/// Most terms a SymExpr polynomial may have; more is Overflow.
constexpr size_t kMaxSymTerms = 1024;

/// Largest value a tensor dimension may take (MLIR stores dims as int64).
constexpr int64_t kMaxDimValue = (int64_t(1) << 62);
/// Largest rank tfperf accepts, from a model or from shape inference (a
/// shape tensor's length is data, and must not size allocations unchecked).
constexpr int64_t kMaxRank = 64;

/// Formats a 128-bit integer in decimal.
std::string int128ToString(Int128 v);
/// Converts to double (exact for values below 2^53).
inline double int128ToDouble(Int128 v) { return static_cast<double>(v); }

class SymExpr {
public:
  enum class State : uint8_t { Known, Unknown, Overflow };

  /// One factor of a monomial: an interned symbol raised to a power.
  struct Factor {
    const char *sym; // interned, pointer-comparable, NUL-terminated
    uint32_t pow;
    llvm::StringRef name() const { return sym; }
    bool operator==(const Factor &o) const {
      return sym == o.sym && pow == o.pow;
    }
  };
  using Monomial = llvm::SmallVector<Factor, 2>;
  struct Term {
    Monomial mono;
    Int128 coeff;
  };

  SymExpr() = default;
  SymExpr(int64_t c) : constant(c) {}
  static SymExpr fromInt128(Int128 c) {
    SymExpr e;
    e.constant = c;
    return e;
  }
  /// The symbol `name` (interned). An empty name is rejected by callers.
  static SymExpr symbol(llvm::StringRef name);
  static SymExpr unknown() {
    SymExpr e;
    e.state = State::Unknown;
    return e;
  }
  static SymExpr overflow() {
    SymExpr e;
    e.state = State::Overflow;
    return e;
  }

  State getState() const { return state; }
  bool isKnown() const { return state == State::Known; }
  bool isUnknown() const { return state == State::Unknown; }
  bool isOverflow() const { return state == State::Overflow; }
  /// True when known and free of symbols.
  bool isConstant() const { return isKnown() && terms.empty(); }
  bool isConstant(int64_t v) const { return isConstant() && constant == v; }
  /// The constant value; only meaningful when isConstant().
  Int128 getConstant() const { return constant; }
  /// The value as int64 when constant and in range.
  std::optional<int64_t> getInt64() const;
  ArrayRef<Term> getTerms() const { return terms; }
  /// The constant term of the polynomial.
  Int128 getConstantTerm() const { return constant; }

  SymExpr operator+(const SymExpr &o) const;
  SymExpr operator-(const SymExpr &o) const;
  SymExpr operator*(const SymExpr &o) const;
  SymExpr operator-() const;
  SymExpr &operator+=(const SymExpr &o) { return *this = *this + o; }
  SymExpr &operator*=(const SymExpr &o) { return *this = *this * o; }
  bool operator==(const SymExpr &o) const;
  bool operator!=(const SymExpr &o) const { return !(*this == o); }

  /// Exact division: the quotient when `o` divides this polynomial exactly.
  std::optional<SymExpr> divExact(const SymExpr &o) const;
  static SymExpr floorDiv(const SymExpr &a, const SymExpr &b);
  static SymExpr ceilDiv(const SymExpr &a, const SymExpr &b);
  static SymExpr mod(const SymExpr &a, const SymExpr &b);
  static SymExpr min(const SymExpr &a, const SymExpr &b);
  static SymExpr max(const SymExpr &a, const SymExpr &b);

  /// Replaces symbols by the expressions `lookup` returns (nullopt keeps the
  /// symbol). Opaque atoms are re-evaluated on their substituted operands.
  SymExpr substitute(
      llvm::function_ref<std::optional<SymExpr>(llvm::StringRef)> lookup) const;
  /// Evaluates with every symbol bound; nullopt if a symbol is unbound, the
  /// expression is unknown, or the value overflows.
  std::optional<Int128>
  evaluate(llvm::function_ref<std::optional<Int128>(llvm::StringRef)> lookup)
      const;
  /// Evaluates in floating point (no overflow); NaN when not evaluable.
  double evaluateDouble(
      llvm::function_ref<std::optional<double>(llvm::StringRef)> lookup) const;

  /// Appends the names of the (non-atom) symbols this expression uses,
  /// looking through opaque atoms, in first-seen order without duplicates.
  void collectSymbols(llvm::SmallVectorImpl<llvm::StringRef> &out) const;

  /// Canonical text, e.g. `2*batch*seq + 768`. Parsable by parse().
  std::string str() const;
  void print(llvm::raw_ostream &os) const;
  /// Parses the text form (also ONNX dim_param strings such as
  /// `past_seq_len+seq_len`). Returns nullopt on a syntax error.
  static std::optional<SymExpr> parse(llvm::StringRef text);
  /// Interprets an ONNX dim_param: an expression when it parses as one,
  /// otherwise a single symbol with that exact name.
  static SymExpr fromDimParam(llvm::StringRef dimParam);

  /// The definition of an opaque atom symbol (`min(a, b)`): its function
  /// (floordiv, ceildiv, mod, min, max) and operands. Nullopt for plain
  /// symbols. `sym` is a Factor's interned name; the result stays valid for
  /// the process's lifetime.
  struct AtomInfo {
    llvm::StringRef fn;
    const SymExpr *lhs, *rhs;
  };
  static std::optional<AtomInfo> lookupAtom(const char *sym);

  /// If this is a single symbol with coefficient 1, its name.
  std::optional<llvm::StringRef> getSingleSymbol() const;
  /// Total degree (0 for constants).
  unsigned degree() const;

private:
  void normalize();
  static SymExpr makeAtom(llvm::StringRef fn, const SymExpr &a,
                          const SymExpr &b);
  /// floor(a / b), or ceil(a / b) when roundUp.
  static SymExpr divide(const SymExpr &a, const SymExpr &b, bool roundUp);
  /// min(a, b), or max(a, b) when isMax.
  static SymExpr extremum(const SymExpr &a, const SymExpr &b, bool isMax);

  Int128 constant = 0;
  llvm::SmallVector<Term, 0> terms; // non-constant terms, canonical order
  State state = State::Known;
};

inline llvm::raw_ostream &operator<<(llvm::raw_ostream &os, const SymExpr &e) {
  e.print(os);
  return os;
}

/// Lets diagnostics print expressions: `emitError() << expr`.
Diagnostic &operator<<(Diagnostic &diag, const SymExpr &e);

/// Product of a list of dimensions.
SymExpr product(ArrayRef<SymExpr> dims);

} // namespace mlir::tfperf

#endif // TFPERF_SUPPORT_SYMEXPR_H
