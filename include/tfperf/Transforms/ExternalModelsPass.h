//===- ExternalModelsPass.h - passes that cost upstream ops ----*- C++ -*-===//
//
// Upstream ops' cost and split models (linalg, tosa, arith, math, tensor)
// attach when their dialects load. A pass that reads them asks for them in
// getDependentDialects, before the pipeline runs, so that it works in any
// tool (stock mlir-opt with only the pass plugin loaded included).
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_TRANSFORMS_EXTERNALMODELSPASS_H
#define TFPERF_TRANSFORMS_EXTERNALMODELSPASS_H

#include "tfperf/ExternalModels/ExternalModels.h"

#include "mlir/IR/DialectRegistry.h"

namespace mlir::tfperf {

/// Wraps a generated pass base (`impl::TFPerfXBase<XPass>`).
template <typename GeneratedBase>
class WithExternalModels : public GeneratedBase {
public:
  using GeneratedBase::GeneratedBase;
  void getDependentDialects(DialectRegistry &registry) const override {
    GeneratedBase::getDependentDialects(registry);
    registerAllExternalModels(registry);
  }
};

} // namespace mlir::tfperf

#endif
