//===- StepCost.cpp - the cost of one engine step ------------------------===//

#include "tfperf/Serving/StepCost.h"

#include <algorithm>

using namespace mlir::tfperf::serving;

double StepCostModel::time(const StepMix &mix) const {
  if (mix.sequences == 0)
    return 0;
  double t = stepOverhead;
  for (const StepCostTerm &term : terms) {
    double compute = term.peakFlops > 0 ? term.flops.at(mix) / term.peakFlops : 0;
    double memory = term.bandwidth > 0 ? term.bytes.at(mix) / term.bandwidth : 0;
    t += term.count * (std::max(compute, memory) + term.overhead);
  }
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
