//===- RegionWeights.h - how often control-flow regions run -----*- C++ -*-===//
//
// An op inside a Loop body runs once per iteration, inside a Scan body once
// per slice, inside an If branch only when that branch is taken. The cost
// analysis multiplies each op's cost by the weight of the region it is in
// (docs/CostModel.md#control-flow).
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_REGIONWEIGHTS_H
#define TFPERF_ANALYSIS_REGIONWEIGHTS_H

#include "tfperf/Interfaces/CostOpInterface.h"

#include "mlir/IR/Operation.h"
#include "llvm/ADT/DenseMap.h"

#include <string>

namespace mlir::tfperf {

/// How often the ops directly in a region run per run of the graph.
struct RegionWeight {
  SymExpr times = 1;
  /// False in the branch of an If whose condition folded the other way.
  bool counted = true;
  /// Why `times` is unknown (a Scan over an input of unknown shape).
  std::string unknownReason;
};

class RegionWeights {
public:
  explicit RegionWeights(
      llvm::function_ref<const ShapeQuery &(Operation *)> select)
      : select(select) {}
  /// The weight of the region `op` is in (1 at the top level).
  RegionWeight of(Operation *op);

private:
  RegionWeight ofRegion(Region *region);

  llvm::function_ref<const ShapeQuery &(Operation *)> select;
  llvm::DenseMap<Region *, RegionWeight> cache;
};

/// Multiplies every count of `cost` (FLOPs, parts, accesses) by `times`.
void scaleCost(OpCost &cost, const SymExpr &times);

} // namespace mlir::tfperf

#endif
