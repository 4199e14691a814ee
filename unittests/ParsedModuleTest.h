//===- ParsedModuleTest.h - a test over one parsed module -------*- C++ -*-===//
//
// The fixture of the tests that read a small module of tfperf and func ops:
// the context with those dialects, and the module that `parse` fills.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_UNITTESTS_PARSEDMODULETEST_H
#define TFPERF_UNITTESTS_PARSEDMODULETEST_H

#include "tfperf/Dialect/TFPerf/IR/TFPerfDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

namespace mlir::tfperf {

class ParsedModuleTest : public ::testing::Test {
protected:
  /// Parses `source` into `module`; false (the parser has said why) when it
  /// does not parse. Call as `ASSERT_TRUE(parse(...))` in SetUp.
  bool parse(llvm::StringRef source) {
    ctx.loadDialect<TFPerfDialect, func::FuncDialect>();
    module = parseSourceString<ModuleOp>(source, &ctx);
    return static_cast<bool>(module);
  }

  MLIRContext ctx;
  OwningOpRef<ModuleOp> module;
};

} // namespace mlir::tfperf

#endif // TFPERF_UNITTESTS_PARSEDMODULETEST_H
