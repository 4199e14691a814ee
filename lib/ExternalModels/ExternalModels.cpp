//===- ExternalModels.cpp - every external cost model ---------------------===//
//
// The one place tools and passes get all the external models from (as
// upstream's AllInterfaces.cpp and IREE's registerExternalInterfaces).
//
//===----------------------------------------------------------------------===//

#include "tfperf/ExternalModels/ExternalModels.h"

void mlir::tfperf::registerAllExternalModels(DialectRegistry &registry) {
  registerLinalgCostModels(registry);
  registerLinalgParallelSplitModels(registry);
  registerTosaCostModels(registry);
  registerArithCostModels(registry);
  registerMathCostModels(registry);
  registerTensorCostModels(registry);
}
