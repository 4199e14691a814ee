//===- CompiledFormulas.h - SymExprs evaluated fast, many times -*- C++ -*-===//
//
// A sweep evaluates the same few hundred cost formulas at thousands of
// points. SymExpr::evaluateDouble looks every factor up by name (and atoms
// under a lock); this compiles a set of formulas once into flat arrays of
// terms over numbered variables, so one evaluation is a few multiply-adds
// per term. Opaque atoms (`min(a, b)`, `floordiv(seq, 2)`) become derived
// variables computed from their compiled operands before the formulas.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_SUPPORT_COMPILEDFORMULAS_H
#define TFPERF_SUPPORT_COMPILEDFORMULAS_H

#include "tfperf/Support/SymExpr.h"

#include "llvm/ADT/DenseMap.h"

#include <string>
#include <vector>

namespace mlir::tfperf {

class CompiledFormulas {
public:
  /// `symbols` are the variables, in the order evaluate() takes their
  /// values.
  explicit CompiledFormulas(ArrayRef<std::string> symbols);

  /// Compiles `e` and returns its index. Nullopt when `e` is not Known or
  /// uses a symbol outside the table (`missing`, if given, names it).
  std::optional<unsigned> add(const SymExpr &e, std::string *missing = nullptr);
  /// Number of formulas added.
  size_t size() const { return formulas.size(); }
  ArrayRef<std::string> getSymbols() const { return symbols; }

  /// Evaluates every formula: `values` has one entry per symbol, `out` one
  /// per formula. Not thread-safe (uses an internal scratch buffer).
  void evaluate(ArrayRef<double> values, MutableArrayRef<double> out) const;

private:
  struct Factor {
    uint32_t var, pow;
  };
  struct Term {
    double coeff;
    uint32_t begin, end; // into factors
  };
  struct Poly {
    double constant;
    uint32_t begin, end; // into terms
  };
  enum class AtomFn : uint8_t { FloorDiv, CeilDiv, Mod, Min, Max };
  struct Atom {
    AtomFn fn;
    Poly lhs, rhs;
  };

  std::optional<Poly> compile(const SymExpr &e, std::string *missing);
  std::optional<uint32_t> variableFor(const char *sym, std::string *missing);
  double eval(const Poly &p) const;

  std::vector<std::string> symbols;
  llvm::DenseMap<const char *, uint32_t> varIndex;
  std::vector<Factor> factors;
  std::vector<Term> terms;
  std::vector<Poly> formulas;
  /// Variable symbols.size() + i is atoms[i]; an atom's operands only use
  /// earlier variables.
  std::vector<Atom> atoms;
  mutable std::vector<double> vars;
};

} // namespace mlir::tfperf

#endif
