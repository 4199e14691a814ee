//===- FormulaPrinterTest.cpp - formulas for people, and fast -------------===//

#include "tfperf/Support/CompiledFormulas.h"
#include "tfperf/Support/FormulaPrinter.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace mlir::tfperf;

namespace {

SymExpr parse(const char *s) {
  auto e = SymExpr::parse(s);
  EXPECT_TRUE(e.has_value()) << s;
  return e ? *e : SymExpr::unknown();
}

FormulaStyle ascii() {
  FormulaStyle st;
  st.unicode = false;
  return st;
}

FormulaStyle base(int64_t d, bool unicode = true) {
  FormulaStyle st;
  st.baseD = d;
  st.unicode = unicode;
  return st;
}

TEST(FormulaPrinter, UnicodeProductsAndPowers) {
  SymExpr e = parse("3072*batch*seq^2 + 4718592*batch*seq");
  EXPECT_EQ(formatFormula(e), "3072\u00b7batch\u00b7seq\u00b2 + "
                              "4718592\u00b7batch\u00b7seq");
  EXPECT_EQ(formatFormula(parse("x^12 - 2*x + 7")),
            "x\u00b9\u00b2 - 2\u00b7x + 7");
  EXPECT_EQ(formatFormula(parse("-x")), "-x");
  EXPECT_EQ(formatFormula(SymExpr(0)), "0");
  EXPECT_EQ(formatFormula(SymExpr::unknown()), "?");
}

TEST(FormulaPrinter, AsciiIsTheParseableText) {
  SymExpr e = parse("3072*batch*seq^2 + 4718592*batch*seq + 12");
  EXPECT_EQ(formatFormula(e, ascii()), e.str());
  EXPECT_EQ(*SymExpr::parse(formatFormula(e, ascii())), e);
  // Names that are not identifiers stay quoted, atoms as they are.
  SymExpr odd = parse("'batch size'*2 + min(1024, seq)");
  EXPECT_EQ(*SymExpr::parse(formatFormula(odd, ascii())), odd);
  EXPECT_NE(formatFormula(odd).find("'batch size'"), std::string::npos);
  EXPECT_NE(formatFormula(odd).find("min(1024, seq)"), std::string::npos);
}

TEST(FormulaPrinter, BaseDShowsTheTextbookTerms) {
  // A GPT-2 layer's attention with d = 768: the GEMM part is exactly
  // 8·b·s·d² + 4·b·s²·d, the softmax/scale/mask terms stay below d.
  SymExpr attention = parse("3156*b*s^2 + 4722432*b*s");
  EXPECT_EQ(formatFormula(attention, base(768)),
            "4\u00b7d\u00b7b\u00b7s\u00b2 + 84\u00b7b\u00b7s\u00b2 + "
            "8\u00b7d\u00b2\u00b7b\u00b7s + 5\u00b7d\u00b7b\u00b7s");
  EXPECT_EQ(formatFormula(parse("9437184*b*s"), base(768, false)),
            "16*d^2*b*s");
  EXPECT_EQ(formatFormula(parse("768"), base(768)), "d");
  EXPECT_EQ(formatFormula(parse("-1536*s - 1"), base(768, false)),
            "-2*d*s - 1");
  // Below the base nothing changes.
  EXPECT_EQ(formatFormula(parse("60*s"), base(768)), "60\u00b7s");
}

TEST(FormulaPrinter, BytesFromBits) {
  EXPECT_EQ(formatBytesFormula(parse("32*b*s + 64"), ascii()), "4*b*s + 8");
  // 4-bit weights can make a fractional byte count.
  EXPECT_EQ(formatBytesFormula(parse("4*n + 8"), ascii()), "(4*n + 8)/8");
  EXPECT_FALSE(bitsToBytes(parse("4*n")).has_value());
  EXPECT_EQ(*bitsToBytes(parse("16*n")), parse("2*n"));
}

TEST(CompiledFormulas, EvaluatesLikeSymExpr) {
  CompiledFormulas f({"batch", "seq", "past"});
  const char *texts[] = {"3072*batch*seq^2 + 4718592*batch*seq + 12",
                         "batch*(past + seq)^2 - 7", "42",
                         "floordiv(seq, 3) + max(past, seq)*2",
                         "min(batch, 4)*ceildiv(seq + past, 64) + mod(seq, 5)"};
  std::vector<SymExpr> exprs;
  for (const char *t : texts) {
    exprs.push_back(parse(t));
    ASSERT_TRUE(f.add(exprs.back()).has_value()) << t;
  }
  std::vector<double> out(f.size());
  for (double b : {1.0, 3.0, 64.0})
    for (double s : {1.0, 17.0, 4096.0})
      for (double p : {0.0, 5.0, 1023.0}) {
        f.evaluate({b, s, p}, out);
        for (size_t i = 0; i < exprs.size(); ++i) {
          double want =
              exprs[i].evaluateDouble([&](llvm::StringRef n) -> std::optional<double> {
                return n == "batch" ? b : n == "seq" ? s : p;
              });
          EXPECT_DOUBLE_EQ(out[i], want) << texts[i] << " at " << b << ","
                                         << s << "," << p;
        }
      }
}

TEST(CompiledFormulas, RejectsSymbolsOutsideTheTable) {
  CompiledFormulas f({"batch"});
  std::string missing;
  EXPECT_FALSE(f.add(parse("batch*seq"), &missing).has_value());
  EXPECT_EQ(missing, "seq");
  EXPECT_FALSE(f.add(parse("max(batch, seq)"), &missing).has_value());
  EXPECT_EQ(missing, "seq");
  EXPECT_FALSE(f.add(SymExpr::unknown()).has_value());
  EXPECT_EQ(f.size(), 0u);
}

} // namespace
