//===- CompiledFormulas.cpp - SymExprs evaluated fast, many times ---------===//

#include "tfperf/Support/CompiledFormulas.h"

#include "llvm/ADT/StringSwitch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tfperf;

CompiledFormulas::CompiledFormulas(ArrayRef<std::string> syms)
    : symbols(syms.begin(), syms.end()) {
  for (size_t i = 0; i < symbols.size(); ++i) {
    // Factors hold interned names: intern ours the same way.
    SymExpr s = SymExpr::symbol(symbols[i]);
    varIndex[s.getTerms().front().mono.front().sym] = i;
  }
}

std::optional<uint32_t>
CompiledFormulas::variableFor(const char *sym, std::string *missing) {
  auto it = varIndex.find(sym);
  if (it != varIndex.end())
    return it->second;
  auto atom = SymExpr::lookupAtom(sym);
  if (!atom) {
    if (missing)
      *missing = sym;
    return std::nullopt;
  }
  auto lhs = compile(*atom->lhs, missing);
  if (!lhs)
    return std::nullopt;
  auto rhs = compile(*atom->rhs, missing);
  if (!rhs)
    return std::nullopt;
  AtomFn fn = llvm::StringSwitch<AtomFn>(atom->fn)
                  .Case("floordiv", AtomFn::FloorDiv)
                  .Case("ceildiv", AtomFn::CeilDiv)
                  .Case("mod", AtomFn::Mod)
                  .Case("min", AtomFn::Min)
                  .Default(AtomFn::Max);
  atoms.push_back({fn, *lhs, *rhs});
  uint32_t var = symbols.size() + atoms.size() - 1;
  varIndex[sym] = var;
  return var;
}

std::optional<CompiledFormulas::Poly>
CompiledFormulas::compile(const SymExpr &e, std::string *missing) {
  if (!e.isKnown()) {
    if (missing)
      *missing = e.str();
    return std::nullopt;
  }
  // Operand atoms first: they append their own terms.
  llvm::SmallVector<llvm::SmallVector<Factor, 2>, 8> monos;
  for (const SymExpr::Term &t : e.getTerms()) {
    llvm::SmallVector<Factor, 2> fs;
    for (const SymExpr::Factor &f : t.mono) {
      auto var = variableFor(f.sym, missing);
      if (!var)
        return std::nullopt;
      fs.push_back({*var, f.pow});
    }
    monos.push_back(std::move(fs));
  }
  Poly p;
  p.constant = int128ToDouble(e.getConstantTerm());
  p.begin = terms.size();
  for (size_t i = 0; i < monos.size(); ++i) {
    Term t;
    t.coeff = int128ToDouble(e.getTerms()[i].coeff);
    t.begin = factors.size();
    factors.insert(factors.end(), monos[i].begin(), monos[i].end());
    t.end = factors.size();
    terms.push_back(t);
  }
  p.end = terms.size();
  return p;
}

std::optional<unsigned> CompiledFormulas::add(const SymExpr &e,
                                              std::string *missing) {
  auto p = compile(e, missing);
  if (!p)
    return std::nullopt;
  formulas.push_back(*p);
  return formulas.size() - 1;
}

double CompiledFormulas::eval(const Poly &p) const {
  double r = p.constant;
  for (uint32_t t = p.begin; t < p.end; ++t) {
    const Term &term = terms[t];
    double v = term.coeff;
    for (uint32_t f = term.begin; f < term.end; ++f) {
      double x = vars[factors[f].var];
      for (uint32_t k = 0; k < factors[f].pow; ++k)
        v *= x;
    }
    r += v;
  }
  return r;
}

void CompiledFormulas::evaluate(ArrayRef<double> values,
                                MutableArrayRef<double> out) const {
  vars.resize(symbols.size() + atoms.size());
  std::copy(values.begin(), values.begin() + symbols.size(), vars.begin());
  for (size_t i = 0; i < atoms.size(); ++i) {
    const Atom &a = atoms[i];
    double x = eval(a.lhs), y = eval(a.rhs), v = 0;
    switch (a.fn) {
    case AtomFn::FloorDiv:
      v = std::floor(x / y);
      break;
    case AtomFn::CeilDiv:
      v = std::ceil(x / y);
      break;
    case AtomFn::Mod:
      v = x - std::floor(x / y) * y;
      break;
    case AtomFn::Min:
      v = std::min(x, y);
      break;
    case AtomFn::Max:
      v = std::max(x, y);
      break;
    }
    vars[symbols.size() + i] = v;
  }
  for (size_t i = 0; i < formulas.size(); ++i)
    out[i] = eval(formulas[i]);
}
