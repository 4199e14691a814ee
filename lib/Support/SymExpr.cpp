//===- SymExpr.cpp - Exact symbolic dimension arithmetic ------------------===//
//
// Polynomials are kept canonical: non-constant terms sorted by total degree
// (descending), then by their factors' names; zero terms dropped. Symbol names
// are interned once per process so factors compare by pointer.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Support/SymExpr.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Allocator.h"
#include <algorithm>
#include <cmath>
#include <mutex>

using namespace mlir;
using namespace mlir::tfperf;

/// Size bounds. Shapes and costs need a few terms of low degree; only
/// runaway or adversarial graphs (say, a sum of ten dims squared four
/// times: millions of terms) go past these, and their expressions become
/// Unknown, so that folding stays bounded in time and memory. A product
/// costs at most kMaxProductTerms monomial products.
static constexpr size_t kMaxTerms = 256;
static constexpr size_t kMaxProductTerms = 4096;
static constexpr unsigned kMaxDegree = 64;
static constexpr size_t kMaxAtomText = 1024;

//===----------------------------------------------------------------------===//
// Interning and atoms
//===----------------------------------------------------------------------===//

namespace {
/// An opaque atom: fn(lhs, rhs) that could not be simplified.
struct AtomDef {
  std::string fn;
  SymExpr lhs, rhs;
};

struct SymbolInterner {
  std::mutex mutex;
  llvm::BumpPtrAllocator alloc;
  llvm::StringMap<const char *> names;
  llvm::DenseMap<const char *, AtomDef *> atoms;

  const char *intern(llvm::StringRef name) {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = names.find(name);
    if (it != names.end())
      return it->second;
    char *mem = alloc.Allocate<char>(name.size() + 1);
    std::copy(name.begin(), name.end(), mem);
    mem[name.size()] = 0;
    names[name] = mem;
    return mem;
  }
  const AtomDef *lookupAtom(const char *sym) {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = atoms.find(sym);
    return it == atoms.end() ? nullptr : it->second;
  }
  void registerAtom(const char *sym, AtomDef def) {
    std::lock_guard<std::mutex> lock(mutex);
    if (atoms.count(sym))
      return;
    atoms[sym] = new (alloc.Allocate<AtomDef>()) AtomDef(std::move(def));
  }
};

SymbolInterner &interner() {
  static SymbolInterner *instance = new SymbolInterner();
  return *instance;
}

bool isIdentStart(char c) { return std::isalpha((unsigned char)c) || c == '_'; }
bool isIdentChar(char c) { return std::isalnum((unsigned char)c) || c == '_'; }

bool isPlainIdentifier(llvm::StringRef s) {
  if (s.empty() || !isIdentStart(s[0]))
    return false;
  return llvm::all_of(s, isIdentChar);
}

/// Words the parser reads as something other than a symbol.
bool isReservedWord(llvm::StringRef s) {
  return s == "floordiv" || s == "ceildiv" || s == "mod" || s == "min" ||
         s == "max" || s == "overflow";
}

bool addOv(Int128 a, Int128 b, Int128 &r) { return __builtin_add_overflow(a, b, &r); }
bool mulOv(Int128 a, Int128 b, Int128 &r) { return __builtin_mul_overflow(a, b, &r); }

int compareMono(const SymExpr::Monomial &a, const SymExpr::Monomial &b) {
  unsigned da = 0, db = 0;
  for (auto &f : a)
    da += f.pow;
  for (auto &f : b)
    db += f.pow;
  if (da != db)
    return da > db ? -1 : 1;
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    if (a[i].sym != b[i].sym) {
      int c = std::strcmp(a[i].sym, b[i].sym);
      return c < 0 ? -1 : 1;
    }
    if (a[i].pow != b[i].pow)
      return a[i].pow > b[i].pow ? -1 : 1;
  }
  if (a.size() != b.size())
    return a.size() < b.size() ? -1 : 1;
  return 0;
}

SymExpr::Monomial mulMono(const SymExpr::Monomial &a,
                          const SymExpr::Monomial &b) {
  SymExpr::Monomial r;
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() ||
        (i < a.size() && std::strcmp(a[i].sym, b[j].sym) < 0)) {
      r.push_back(a[i++]);
    } else if (i == a.size() || std::strcmp(b[j].sym, a[i].sym) < 0) {
      r.push_back(b[j++]);
    } else {
      r.push_back({a[i].sym, a[i].pow + b[j].pow});
      ++i, ++j;
    }
  }
  return r;
}

/// a / b for monomials when b divides a.
std::optional<SymExpr::Monomial> divMono(const SymExpr::Monomial &a,
                                         const SymExpr::Monomial &b) {
  SymExpr::Monomial r;
  size_t j = 0;
  for (auto &f : a) {
    if (j < b.size() && b[j].sym == f.sym) {
      if (b[j].pow > f.pow)
        return std::nullopt;
      if (f.pow > b[j].pow)
        r.push_back({f.sym, f.pow - b[j].pow});
      ++j;
    } else {
      r.push_back(f);
    }
  }
  if (j != b.size())
    return std::nullopt;
  return r;
}

Int128 floorDivInt(Int128 a, Int128 b) {
  Int128 q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0)))
    --q;
  return q;
}
} // namespace

std::string mlir::tfperf::int128ToString(Int128 v) {
  if (v == 0)
    return "0";
  bool neg = v < 0;
  // Work in unsigned space so that the most negative value is printable.
  unsigned __int128 u = neg ? (unsigned __int128)(-(v + 1)) + 1 : v;
  std::string s;
  while (u) {
    s.push_back('0' + int(u % 10));
    u /= 10;
  }
  if (neg)
    s.push_back('-');
  std::reverse(s.begin(), s.end());
  return s;
}

//===----------------------------------------------------------------------===//
// Construction and basic queries
//===----------------------------------------------------------------------===//

SymExpr SymExpr::symbol(llvm::StringRef name) {
  SymExpr e;
  e.terms.push_back({Monomial{{interner().intern(name), 1}}, 1});
  return e;
}

std::optional<SymExpr::AtomInfo> SymExpr::lookupAtom(const char *sym) {
  const AtomDef *def = interner().lookupAtom(sym);
  if (!def)
    return std::nullopt;
  return AtomInfo{def->fn, &def->lhs, &def->rhs};
}

std::optional<int64_t> SymExpr::getInt64() const {
  if (!isConstant() || constant > INT64_MAX || constant < INT64_MIN)
    return std::nullopt;
  return static_cast<int64_t>(constant);
}

std::optional<llvm::StringRef> SymExpr::getSingleSymbol() const {
  if (!isKnown() || constant != 0 || terms.size() != 1 ||
      terms[0].coeff != 1 || terms[0].mono.size() != 1 ||
      terms[0].mono[0].pow != 1)
    return std::nullopt;
  return llvm::StringRef(terms[0].mono[0].sym);
}

unsigned SymExpr::degree() const {
  unsigned d = 0;
  for (auto &t : terms) {
    unsigned td = 0;
    for (auto &f : t.mono)
      td += f.pow;
    d = std::max(d, td);
  }
  return d;
}

void SymExpr::normalize() {
  llvm::stable_sort(terms, [](const Term &a, const Term &b) {
    return compareMono(a.mono, b.mono) < 0;
  });
  llvm::SmallVector<Term, 0> merged;
  for (auto &t : terms) {
    if (!merged.empty() && compareMono(merged.back().mono, t.mono) == 0) {
      if (addOv(merged.back().coeff, t.coeff, merged.back().coeff)) {
        *this = overflow();
        return;
      }
    } else {
      merged.push_back(std::move(t));
    }
  }
  llvm::erase_if(merged, [](const Term &t) { return t.coeff == 0; });
  if (merged.size() > kMaxSymTerms) {
    *this = overflow();
    return;
  }
  terms = std::move(merged);
  if (terms.size() > kMaxTerms || degree() > kMaxDegree)
    *this = unknown();
}

bool SymExpr::operator==(const SymExpr &o) const {
  if (state != o.state)
    return false;
  if (state != State::Known)
    return true;
  if (constant != o.constant || terms.size() != o.terms.size())
    return false;
  for (size_t i = 0; i < terms.size(); ++i)
    if (terms[i].coeff != o.terms[i].coeff ||
        compareMono(terms[i].mono, o.terms[i].mono) != 0)
      return false;
  return true;
}

//===----------------------------------------------------------------------===//
// Ring operations
//===----------------------------------------------------------------------===//

static bool propagateState(const SymExpr &a, const SymExpr &b, SymExpr &out) {
  if (a.isOverflow() || b.isOverflow()) {
    out = SymExpr::overflow();
    return true;
  }
  if (a.isUnknown() || b.isUnknown()) {
    out = SymExpr::unknown();
    return true;
  }
  return false;
}

SymExpr SymExpr::operator+(const SymExpr &o) const {
  SymExpr r;
  if (propagateState(*this, o, r))
    return r;
  if (addOv(constant, o.constant, r.constant))
    return overflow();
  if (terms.empty() && o.terms.empty())
    return r;
  r.terms = terms;
  r.terms.append(o.terms.begin(), o.terms.end());
  r.normalize();
  return r;
}

SymExpr SymExpr::operator-() const {
  if (!isKnown())
    return *this;
  SymExpr r = *this;
  if (r.constant == std::numeric_limits<Int128>::min())
    return overflow();
  r.constant = -r.constant;
  for (auto &t : r.terms) {
    if (t.coeff == std::numeric_limits<Int128>::min())
      return overflow();
    t.coeff = -t.coeff;
  }
  return r;
}

SymExpr SymExpr::operator-(const SymExpr &o) const { return *this + (-o); }

SymExpr SymExpr::operator*(const SymExpr &o) const {
  SymExpr r;
  if (propagateState(*this, o, r))
    return r;
  if (terms.empty() && o.terms.empty()) {
    if (mulOv(constant, o.constant, r.constant))
      return overflow();
    return r;
  }
  if (terms.size() * o.terms.size() > kMaxProductTerms)
    return unknown();
  // (c1 + T1) * (c2 + T2)
  if (mulOv(constant, o.constant, r.constant))
    return overflow();
  // Bound the work before doing it: normalize() caps the result anyway.
  if ((terms.size() + 1) * (o.terms.size() + 1) > 8 * kMaxSymTerms)
    return overflow();
  auto addScaled = [&](const llvm::SmallVector<Term, 0> &ts, Int128 c) {
    if (c == 0)
      return true;
    for (auto &t : ts) {
      Int128 k;
      if (mulOv(t.coeff, c, k))
        return false;
      r.terms.push_back({t.mono, k});
    }
    return true;
  };
  if (!addScaled(terms, o.constant) || !addScaled(o.terms, constant))
    return overflow();
  for (auto &a : terms)
    for (auto &b : o.terms) {
      Int128 k;
      if (mulOv(a.coeff, b.coeff, k))
        return overflow();
      r.terms.push_back({mulMono(a.mono, b.mono), k});
    }
  r.normalize();
  return r;
}

Diagnostic &mlir::tfperf::operator<<(Diagnostic &diag, const SymExpr &e) {
  return diag << e.str();
}

SymExpr mlir::tfperf::product(ArrayRef<SymExpr> dims) {
  SymExpr p(1);
  for (auto &d : dims)
    p = p * d;
  return p;
}

//===----------------------------------------------------------------------===//
// Division and non-polynomial operations
//===----------------------------------------------------------------------===//

std::optional<SymExpr> SymExpr::divExact(const SymExpr &o) const {
  if (!isKnown() || !o.isKnown())
    return std::nullopt;
  if (o.isConstant()) {
    if (o.constant == 0)
      return std::nullopt;
    SymExpr r = *this;
    if (r.constant % o.constant != 0)
      return std::nullopt;
    r.constant /= o.constant;
    for (auto &t : r.terms) {
      if (t.coeff % o.constant != 0)
        return std::nullopt;
      t.coeff /= o.constant;
    }
    return r;
  }
  // Multivariate division by a single polynomial: exact iff remainder is 0.
  // Terms are compared with the leading (first) term of the divisor.
  auto leadOf = [](const SymExpr &e) -> std::pair<Monomial, Int128> {
    if (!e.terms.empty())
      return {e.terms.front().mono, e.terms.front().coeff};
    return {Monomial{}, e.constant};
  };
  SymExpr rem = *this, quot;
  auto [divMonoLead, divCoeff] = leadOf(o);
  for (int guard = 0; guard < 4096; ++guard) {
    if (rem.isConstant() && rem.constant == 0)
      return quot;
    if (!rem.isKnown())
      return std::nullopt;
    auto [remMono, remCoeff] = leadOf(rem);
    auto qm = divMono(remMono, divMonoLead);
    if (!qm || remCoeff % divCoeff != 0)
      return std::nullopt;
    SymExpr step;
    if (qm->empty())
      step.constant = remCoeff / divCoeff;
    else
      step.terms.push_back({*qm, remCoeff / divCoeff});
    quot = quot + step;
    rem = rem - step * o;
  }
  return std::nullopt;
}

SymExpr SymExpr::makeAtom(llvm::StringRef fn, const SymExpr &a,
                          const SymExpr &b) {
  std::string name;
  llvm::raw_string_ostream os(name);
  os << fn << "(" << a << ", " << b << ")";
  os.flush();
  if (name.size() > kMaxAtomText)
    return unknown(); // nested atoms could otherwise double at each step
  SymExpr e = symbol(name);
  interner().registerAtom(e.terms[0].mono[0].sym, AtomDef{fn.str(), a, b});
  return e;
}

/// What every division gives whatever its rounding: an unknown or overflowed
/// operand's state, or unknown for a zero divisor.
static std::optional<SymExpr> degenerateQuotient(const SymExpr &a,
                                                 const SymExpr &b) {
  SymExpr r;
  if (propagateState(a, b, r))
    return r;
  if (b.isConstant(0))
    return SymExpr::unknown();
  return std::nullopt;
}

SymExpr SymExpr::divide(const SymExpr &a, const SymExpr &b, bool roundUp) {
  if (auto r = degenerateQuotient(a, b))
    return *r;
  // ceil(a / b) = -floor(-a / b).
  if (a.isConstant() && b.isConstant())
    return fromInt128(roundUp ? -floorDivInt(-a.constant, b.constant)
                              : floorDivInt(a.constant, b.constant));
  if (auto q = a.divExact(b))
    return *q;
  return makeAtom(roundUp ? "ceildiv" : "floordiv", a, b);
}

SymExpr SymExpr::floorDiv(const SymExpr &a, const SymExpr &b) {
  return divide(a, b, /*roundUp=*/false);
}

SymExpr SymExpr::ceilDiv(const SymExpr &a, const SymExpr &b) {
  return divide(a, b, /*roundUp=*/true);
}

SymExpr SymExpr::mod(const SymExpr &a, const SymExpr &b) {
  if (auto r = degenerateQuotient(a, b))
    return *r;
  if (a.isConstant() && b.isConstant())
    return fromInt128(a.constant - floorDivInt(a.constant, b.constant) *
                                       b.constant);
  if (a.divExact(b))
    return SymExpr(0);
  return makeAtom("mod", a, b);
}

/// The definition of `e` when it is exactly one min/max/... atom.
static const AtomDef *atomOf(const SymExpr &e) {
  auto name = e.getSingleSymbol();
  if (!name)
    return nullptr;
  // A symbol's text is its interned pointer, the atom table's key.
  return interner().lookupAtom(name->data());
}

/// Lattice identities that need no sign assumption, for `fn` in {min, max}
/// ("dual" is the other): fn(a, dual(x, a)) = a (absorption) and
/// fn(a, fn(a, x)) = fn(a, x) (idempotence through nesting). Broadcasting
/// symbolic dims builds such chains (max(b, max(b, min(1, b)))).
static std::optional<SymExpr> absorbMinMax(llvm::StringRef fn,
                                           const SymExpr &a,
                                           const SymExpr &b) {
  llvm::StringRef dual = fn == "min" ? "max" : "min";
  for (int flip = 0; flip < 2; ++flip) {
    const SymExpr &x = flip ? b : a, &y = flip ? a : b;
    if (const AtomDef *d = atomOf(y)) {
      if (d->fn == dual && (d->lhs == x || d->rhs == x))
        return x;
      if (d->fn == fn && (d->lhs == x || d->rhs == x))
        return y;
    }
  }
  return std::nullopt;
}

/// min(a, b), or max(a, b) when `isMax`.
SymExpr SymExpr::extremum(const SymExpr &a, const SymExpr &b, bool isMax) {
  llvm::StringRef fn = isMax ? "max" : "min";
  SymExpr r;
  if (propagateState(a, b, r))
    return r;
  if (a == b)
    return a;
  if (a.isConstant() && b.isConstant())
    return (a.constant < b.constant) != isMax ? a : b;
  if (auto s = absorbMinMax(fn, a, b))
    return *s;
  // Operands in a canonical order, so that min(a, b) == min(b, a).
  std::string sa = a.str(), sb = b.str();
  return sa < sb ? makeAtom(fn, a, b) : makeAtom(fn, b, a);
}

SymExpr SymExpr::min(const SymExpr &a, const SymExpr &b) {
  return extremum(a, b, /*isMax=*/false);
}

SymExpr SymExpr::max(const SymExpr &a, const SymExpr &b) {
  return extremum(a, b, /*isMax=*/true);
}

static SymExpr applyAtom(llvm::StringRef fn, const SymExpr &a,
                         const SymExpr &b) {
  if (fn == "floordiv")
    return SymExpr::floorDiv(a, b);
  if (fn == "ceildiv")
    return SymExpr::ceilDiv(a, b);
  if (fn == "mod")
    return SymExpr::mod(a, b);
  if (fn == "min")
    return SymExpr::min(a, b);
  return SymExpr::max(a, b);
}

//===----------------------------------------------------------------------===//
// Substitution and evaluation
//===----------------------------------------------------------------------===//

SymExpr SymExpr::substitute(
    llvm::function_ref<std::optional<SymExpr>(llvm::StringRef)> lookup) const {
  if (!isKnown() || terms.empty())
    return *this;
  SymExpr r = fromInt128(constant);
  for (auto &t : terms) {
    SymExpr term = fromInt128(t.coeff);
    for (auto &f : t.mono) {
      SymExpr base;
      if (const AtomDef *atom = interner().lookupAtom(f.sym)) {
        base = applyAtom(atom->fn, atom->lhs.substitute(lookup),
                         atom->rhs.substitute(lookup));
      } else if (auto v = lookup(f.sym)) {
        base = *v;
      } else {
        SymExpr s;
        s.terms.push_back({Monomial{{f.sym, 1}}, 1});
        base = s;
      }
      for (uint32_t p = 0; p < f.pow; ++p)
        term = term * base;
    }
    r = r + term;
  }
  return r;
}

std::optional<Int128> SymExpr::evaluate(
    llvm::function_ref<std::optional<Int128>(llvm::StringRef)> lookup) const {
  SymExpr v = substitute([&](llvm::StringRef s) -> std::optional<SymExpr> {
    if (auto x = lookup(s))
      return fromInt128(*x);
    return std::nullopt;
  });
  if (!v.isConstant())
    return std::nullopt;
  return v.constant;
}

double SymExpr::evaluateDouble(
    llvm::function_ref<std::optional<double>(llvm::StringRef)> lookup) const {
  if (!isKnown())
    return std::nan("");
  double r = int128ToDouble(constant);
  for (auto &t : terms) {
    double term = int128ToDouble(t.coeff);
    for (auto &f : t.mono) {
      double base;
      if (const AtomDef *atom = interner().lookupAtom(f.sym)) {
        double a = atom->lhs.evaluateDouble(lookup);
        double b = atom->rhs.evaluateDouble(lookup);
        if (atom->fn == "floordiv")
          base = std::floor(a / b);
        else if (atom->fn == "ceildiv")
          base = std::ceil(a / b);
        else if (atom->fn == "mod")
          base = a - std::floor(a / b) * b;
        else if (atom->fn == "min")
          base = std::min(a, b);
        else
          base = std::max(a, b);
      } else if (auto v = lookup(f.sym)) {
        base = *v;
      } else {
        return std::nan("");
      }
      term *= std::pow(base, double(f.pow));
    }
    r += term;
  }
  return r;
}

void SymExpr::collectSymbols(llvm::SmallVectorImpl<llvm::StringRef> &out) const {
  for (auto &t : terms)
    for (auto &f : t.mono) {
      if (const AtomDef *atom = interner().lookupAtom(f.sym)) {
        atom->lhs.collectSymbols(out);
        atom->rhs.collectSymbols(out);
        continue;
      }
      llvm::StringRef name(f.sym);
      if (!llvm::is_contained(out, name))
        out.push_back(name);
    }
}

//===----------------------------------------------------------------------===//
// Printing and parsing
//===----------------------------------------------------------------------===//

/// Prints a symbol so that parse() reads back the same symbol: atoms bare
/// (their name is their definition), other names bare only when they are
/// plain identifiers that are not reserved (a dim_param may be anything,
/// e.g. `ceildiv` or `floordiv(a, 0)`).
static void printSymbolName(llvm::raw_ostream &os, const char *sym) {
  llvm::StringRef name(sym);
  if ((isPlainIdentifier(name) && !isReservedWord(name)) ||
      interner().lookupAtom(sym)) {
    os << name;
    return;
  }
  os << '\'';
  for (char c : name) {
    if (c == '\'' || c == '\\')
      os << '\\';
    os << c;
  }
  os << '\'';
}

void SymExpr::print(llvm::raw_ostream &os) const {
  if (state == State::Unknown) {
    os << "?";
    return;
  }
  if (state == State::Overflow) {
    os << "overflow";
    return;
  }
  bool first = true;
  for (auto &t : terms) {
    Int128 c = t.coeff;
    if (!first)
      os << (c < 0 ? " - " : " + ");
    else if (c < 0)
      os << "-";
    Int128 mag = c < 0 ? -c : c;
    bool needStar = false;
    if (mag != 1) {
      os << int128ToString(mag);
      needStar = true;
    }
    for (auto &f : t.mono) {
      if (needStar)
        os << "*";
      printSymbolName(os, f.sym);
      if (f.pow != 1)
        os << "^" << f.pow;
      needStar = true;
    }
    first = false;
  }
  if (first) {
    os << int128ToString(constant);
  } else if (constant != 0) {
    os << (constant < 0 ? " - " : " + ")
       << int128ToString(constant < 0 ? -constant : constant);
  }
}

std::string SymExpr::str() const {
  std::string s;
  llvm::raw_string_ostream os(s);
  print(os);
  return s;
}

namespace {
/// Recursive-descent parser for the text form.
class ExprParser {
public:
  explicit ExprParser(llvm::StringRef text) : s(text) {}
  std::optional<SymExpr> parseAll() {
    auto e = parseSum();
    skipWs();
    if (!e || pos != s.size())
      return std::nullopt;
    return e;
  }

private:
  void skipWs() {
    while (pos < s.size() && std::isspace((unsigned char)s[pos]))
      ++pos;
  }
  bool consume(char c) {
    skipWs();
    if (pos < s.size() && s[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  }
  std::optional<SymExpr> parseSum() {
    bool neg = consume('-');
    auto lhs = parseProduct();
    if (!lhs)
      return std::nullopt;
    SymExpr acc = neg ? -*lhs : *lhs;
    while (true) {
      if (consume('+')) {
        auto r = parseProduct();
        if (!r)
          return std::nullopt;
        acc = acc + *r;
      } else if (consume('-')) {
        auto r = parseProduct();
        if (!r)
          return std::nullopt;
        acc = acc - *r;
      } else {
        return acc;
      }
    }
  }
  std::optional<SymExpr> parseProduct() {
    auto lhs = parsePower();
    if (!lhs)
      return std::nullopt;
    SymExpr acc = *lhs;
    while (consume('*')) {
      auto r = parsePower();
      if (!r)
        return std::nullopt;
      acc = acc * *r;
    }
    return acc;
  }
  std::optional<SymExpr> parsePower() {
    auto base = parsePrimary();
    if (!base)
      return std::nullopt;
    if (!consume('^'))
      return base;
    skipWs();
    size_t start = pos;
    while (pos < s.size() && std::isdigit((unsigned char)s[pos]))
      ++pos;
    unsigned p;
    if (s.substr(start, pos - start).getAsInteger(10, p) || p > 64)
      return std::nullopt;
    SymExpr r(1);
    for (unsigned i = 0; i < p; ++i)
      r = r * *base;
    return r;
  }
  std::optional<SymExpr> parsePrimary() {
    skipWs();
    if (pos >= s.size())
      return std::nullopt;
    char c = s[pos];
    if (c == '(') {
      ++pos;
      auto e = parseSum();
      if (!e || !consume(')'))
        return std::nullopt;
      return e;
    }
    if (std::isdigit((unsigned char)c)) {
      Int128 v = 0;
      while (pos < s.size() && std::isdigit((unsigned char)s[pos])) {
        if (mulOv(v, 10, v) || addOv(v, s[pos] - '0', v))
          return SymExpr::overflow();
        ++pos;
      }
      return SymExpr::fromInt128(v);
    }
    if (c == '\'') {
      ++pos;
      std::string name;
      while (pos < s.size() && s[pos] != '\'') {
        if (s[pos] == '\\' && pos + 1 < s.size())
          ++pos;
        name.push_back(s[pos++]);
      }
      if (pos >= s.size() || name.empty())
        return std::nullopt;
      ++pos;
      return SymExpr::symbol(name);
    }
    if (isIdentStart(c)) {
      size_t start = pos;
      while (pos < s.size() && isIdentChar(s[pos]))
        ++pos;
      llvm::StringRef ident = s.substr(start, pos - start);
      if (ident == "floordiv" || ident == "ceildiv" || ident == "mod" ||
          ident == "min" || ident == "max") {
        if (!consume('('))
          return std::nullopt;
        auto a = parseSum();
        if (!a || !consume(','))
          return std::nullopt;
        auto b = parseSum();
        if (!b || !consume(')'))
          return std::nullopt;
        return applyAtom(ident, *a, *b);
      }
      return SymExpr::symbol(ident);
    }
    return std::nullopt;
  }

  llvm::StringRef s;
  size_t pos = 0;
};
} // namespace

std::optional<SymExpr> SymExpr::parse(llvm::StringRef text) {
  if (text.trim() == "?")
    return unknown();
  if (text.trim() == "overflow")
    return overflow();
  return ExprParser(text).parseAll();
}

SymExpr SymExpr::fromDimParam(llvm::StringRef dimParam) {
  if (auto e = parse(dimParam))
    if (e->isKnown())
      return *e;
  return symbol(dimParam);
}
