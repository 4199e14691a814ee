//===- TensorParallelAnalysis.cpp - the tensor-parallel plan --------------===//

#include "tfperf/Analysis/TensorParallelAnalysis.h"

using namespace mlir;
using namespace mlir::tfperf;

TensorParallelPlanAnalysis::TensorParallelPlanAnalysis(Operation *root,
                                                       AnalysisManager &am) {
  if (func::FuncOp func = firstFunction(root))
    plan.emplace(func, am.getAnalysis<TransformerStructure>());
}
