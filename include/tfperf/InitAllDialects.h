//===- InitAllDialects.h - every dialect tfperf tools accept ----*- C++ -*-===//
//
// The one place that says which dialects tfperf's tools parse and which
// external cost models they attach: the tfperf dialect, the upstream
// dialects whose ops have cost models (linalg, tosa, arith, math, tensor)
// and func. Upstream's own extensions (interface implementations such as
// bufferization or value bounds that these dialects promise) are registered
// too, so upstream passes behave as in mlir-opt (not in the static `tfperf`).
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_INITALLDIALECTS_H
#define TFPERF_INITALLDIALECTS_H

#include "tfperf/Dialect/TFPerf/IR/TFPerfDialect.h"
#include "tfperf/ExternalModels/ExternalModels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllExtensions.h"

namespace mlir::tfperf {

inline void registerAllDialects(DialectRegistry &registry) {
  registry.insert<TFPerfDialect, func::FuncDialect, arith::ArithDialect,
                  math::MathDialect, tensor::TensorDialect,
                  linalg::LinalgDialect, tosa::TosaDialect>();
#ifndef TFPERF_STATIC_LLVM
  // The static tool (`tfperf`, which tfperf_link_mlir(STATIC) compiles
  // with TFPERF_STATIC_LLVM) links only what tfperf's own analyses need;
  // upstream extensions would pull in every conversion and target library.
  // Upstream transformations of linalg/tosa IR that query promised
  // interfaces need tfperf-opt, which links libMLIR.so.
  mlir::registerAllExtensions(registry);
#endif
  registerAllExternalModels(registry);
}

} // namespace mlir::tfperf

#endif // TFPERF_INITALLDIALECTS_H
