//===- TensorParallel.h - Megatron-style splits and their cost --*- C++ -*-===//
//
// Tensor parallelism in two concepts: the split plan and its propagation
// (TensorParallelPlan.h) and the cost of the plan at each degree
// (TensorParallelCost.h). This header gives both, for the report.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_TENSORPARALLEL_H
#define TFPERF_ANALYSIS_TENSORPARALLEL_H

#include "tfperf/Analysis/TensorParallelCost.h"
#include "tfperf/Analysis/TensorParallelPlan.h"

#endif // TFPERF_ANALYSIS_TENSORPARALLEL_H
