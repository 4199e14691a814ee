//===- PhaseShapesTest.cpp - shapes at a phase's sizes --------------------===//

#include "tfperf/Analysis/PhaseAnalysis.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::tfperf;

namespace {

// A dim `seq - 3` (a slice past the first tokens) at seq = 1, the decode
// step's, is an empty slice (ONNX's Slice clamps), never a negative size:
// that made negative bytes in the derived decode's attention scores.
TEST(SubstitutedShapes, NegativeDimAtPhaseSizesIsAnEmptySlice) {
  MLIRContext ctx;
  ctx.loadDialect<TFPerfDialect, func::FuncDialect>();
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(R"mlir(
    func.func @f(%x: tensor<?x64xf32, #tfperf.dims<["seq - 3"]>>) {
      return
    })mlir",
                                                             &ctx);
  ASSERT_TRUE(module);
  Value x;
  module->walk([&](func::FuncOp f) { x = f.getArgument(0); });
  TypeShapeQuery types;

  llvm::StringMap<SymExpr> decode;
  decode["seq"] = SymExpr(1);
  SubstitutedShapes atDecode(types, decode);
  auto empty = atDecode.dims(x);
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE((*empty)[0].isConstant(0));
  EXPECT_TRUE((*empty)[1].isConstant(64));

  llvm::StringMap<SymExpr> prefill;
  prefill["seq"] = SymExpr(8);
  SubstitutedShapes atPrefill(types, prefill);
  auto dims = atPrefill.dims(x);
  ASSERT_TRUE(dims.has_value());
  ASSERT_EQ(dims->size(), 2u);
  EXPECT_TRUE((*dims)[0].isConstant(5));
  EXPECT_TRUE((*dims)[1].isConstant(64));
}

} // namespace
