//===- ExternalModels.h - interfaces for upstream dialects ------*- C++ -*-===//
//
// External models of CostOpInterface for ops tfperf does not own: linalg
// (named and generic structured ops), tosa, arith and math on tensors, and
// tensor data movement; and of ParallelSplitOpInterface for linalg. Each function adds a dialect extension to a
// registry; the models attach when the dialect loads. Extensions are keyed
// by their function, so registering twice (a tool and a pass both asking)
// is harmless. Conventions: docs/CostModel.md; coverage and the rules for
// linalg.generic: docs/ExternalModels.md.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_EXTERNALMODELS_EXTERNALMODELS_H
#define TFPERF_EXTERNALMODELS_EXTERNALMODELS_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace mlir::tfperf {

/// linalg structured ops (costed from iteration domain, maps and body),
/// linalg.softmax, linalg.pack/unpack.
void registerLinalgCostModels(DialectRegistry &registry);
/// ParallelSplitOpInterface for linalg structured ops (from their indexing
/// maps and iterator types) and linalg.softmax.
void registerLinalgParallelSplitModels(DialectRegistry &registry);
/// tosa tensor ops: matmul, convolutions, pooling, elementwise, reductions,
/// data movement.
void registerTosaCostModels(DialectRegistry &registry);
/// arith and math ops applied to tensors.
void registerArithCostModels(DialectRegistry &registry);
void registerMathCostModels(DialectRegistry &registry);
/// tensor dialect data movement and views.
void registerTensorCostModels(DialectRegistry &registry);

/// Every external model above: the one call tools and passes make.
void registerAllExternalModels(DialectRegistry &registry);

} // namespace mlir::tfperf

#endif // TFPERF_EXTERNALMODELS_EXTERNALMODELS_H
