//===- TFPerfPass.h - the shape of a tfperf analysis pass -------*- C++ -*-===//
//
// A tfperf analysis pass runs on the module, reports a bad option or input
// with emitError and fails once: runOnModule returns the LogicalResult and
// the base signals the failure. It reads costs, so it asks for the upstream
// ops' cost and split models too (WithExternalModels).
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_TRANSFORMS_TFPERFPASS_H
#define TFPERF_TRANSFORMS_TFPERFPASS_H

#include "tfperf/Transforms/ExternalModelsPass.h"

#include "mlir/IR/BuiltinOps.h"

namespace mlir::tfperf {

/// `struct XPass : TFPerfPass<XPass, impl::TFPerfXBase>`.
template <typename Derived, template <typename> class GeneratedBase>
class TFPerfPass : public WithExternalModels<GeneratedBase<Derived>> {
public:
  using WithExternalModels<GeneratedBase<Derived>>::WithExternalModels;

  void runOnOperation() final {
    if (failed(runOnModule(this->getOperation())))
      this->signalPassFailure();
  }

protected:
  virtual LogicalResult runOnModule(ModuleOp module) = 0;
};

} // namespace mlir::tfperf

#endif
