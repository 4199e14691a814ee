//===- RegionWeights.cpp - how often control-flow regions run -------------===//

#include "tfperf/Analysis/RegionWeights.h"
#include "tfperf/Analysis/CostAnalysis.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

using namespace mlir;
using namespace mlir::tfperf;

RegionWeight RegionWeights::of(Operation *op) {
  Region *region = op->getParentRegion();
  return region ? ofRegion(region) : RegionWeight();
}

RegionWeight RegionWeights::ofRegion(Region *region) {
  auto it = cache.find(region);
  if (it != cache.end())
    return it->second;
  Operation *owner = region->getParentOp();
  RegionWeight w = of(owner);
  if (auto ifOp = dyn_cast<IfOp>(owner)) {
    if (auto taken = ifOp.getConditionValue())
      w.counted &= (region == &ifOp.getThenBranch()) == *taken;
  } else if (auto loop = dyn_cast<LoopOp>(owner)) {
    w.times = w.times * loop.getIterations();
  } else if (auto scan = dyn_cast<ScanOp>(owner)) {
    SymExpr length = scan.getScanLength(select(owner));
    if (!length.isKnown() && w.unknownReason.empty())
      w.unknownReason = "the scan length of Scan '" + getNodeName(owner) +
                        "' is unknown";
    w.times = w.times * length;
  }
  // Other ops with regions (BeamSearch's decoder, a function) run theirs
  // once: one step.
  cache.try_emplace(region, w);
  return w;
}

void mlir::tfperf::scaleCost(OpCost &cost, const SymExpr &times) {
  if (times.isConstant(1))
    return;
  cost.flops = cost.flops * times;
  cost.gemmFlops = cost.gemmFlops * times;
  for (CostPart &p : cost.parts)
    p.flops = p.flops * times;
  for (TensorAccess &a : cost.reads)
    a.elements = a.elements * times;
  for (TensorAccess &a : cost.writes)
    a.elements = a.elements * times;
}
