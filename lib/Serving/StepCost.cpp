//===- StepCost.cpp - the cost of one engine step ------------------------===//

#include "tfperf/Serving/StepCost.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>

using namespace mlir::tfperf::serving;

StepCostModel::StepCostModel(std::vector<StepCostTerm> terms)
    : terms(std::move(terms)) {
  for (const StepCostTerm &t : this->terms)
    for (const LinearInMix *m : {&t.flops, &t.gemmFlops, &t.bytes})
      if (m->windowKeys > 0 && !llvm::is_contained(windowKeys, m->windowKeys))
        windowKeys.push_back(m->windowKeys);
}

double StepCostTerm::time(const StepMix &mix) const {
  double gemm = gemmFlops.at(mix);
  if (kernelTime)
    return count * kernelTime(mix, flops.at(mix), gemm, bytes.at(mix));
  double compute = 0;
  if (tensorPeak > 0)
    compute += gemm / tensorPeak;
  if (vectorPeak > 0)
    compute += (flops.at(mix) - gemm) / vectorPeak;
  double memory = bandwidth > 0 ? bytes.at(mix) / bandwidth : 0;
  return count * (std::max(compute, memory) + overhead);
}

double StepCostModel::time(const StepMix &mix) const {
  if (mix.sequences == 0)
    return 0;
  double t = 0;
  for (const StepCostTerm &term : terms)
    t += term.time(mix);
  return t;
}

double StepCostModel::flops(const StepMix &mix) const {
  double f = 0;
  for (const StepCostTerm &term : terms)
    f += term.count * term.flops.at(mix);
  return f;
}

double StepCostModel::bytes(const StepMix &mix) const {
  double b = 0;
  for (const StepCostTerm &term : terms)
    b += term.count * term.bytes.at(mix);
  return b;
}

StepCostModel StepCostModel::scaled(double factor) const {
  std::vector<StepCostTerm> copy = terms;
  for (StepCostTerm &t : copy)
    t.count *= factor;
  return StepCostModel(std::move(copy));
}
