//===- PlainExperts.h - Mixture-of-Experts blocks in plain ops --*- C++ -*-===//
//
// The experts of a Mixture-of-Experts block exported as plain ops: the
// router (ExpertRouting.h), per routed expert the linears that run on the
// tokens its selection gathers, and the shared experts (a dense MLP on all
// tokens reading the router's input). TransformerStructure makes one MLP
// block of them (docs/TransformerAnalysis.md).
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_PLAINEXPERTS_H
#define TFPERF_ANALYSIS_PLAINEXPERTS_H

#include "tfperf/Analysis/TransformerStructure.h"
#include "tfperf/Dialect/TFPerf/IR/ExpertRouting.h"

#include "llvm/ADT/DenseSet.h"

namespace mlir::tfperf {

struct PlainExpertBlock {
  ExpertRouter router;
  /// Per routed expert (selection), its linears in walk order.
  std::vector<llvm::SmallVector<Operation *, 3>> experts;
  /// Every op the routed experts run on their tokens (gathers, linears,
  /// activations, weighting), up to the scatters that combine them.
  llvm::SmallVector<Operation *, 32> routedOps;
};

/// The plain MoE blocks of `func` whose every selection leads to linears.
std::vector<PlainExpertBlock> findPlainExpertBlocks(func::FuncOp func);

/// The gates and routed linears of `blocks`: not token-stream linears.
llvm::DenseSet<Operation *>
collectRoutedLinears(const std::vector<PlainExpertBlock> &blocks);

/// The MLP block of `b` (its position and layer left to the caller): the
/// gate as `up` (the block's input), the last routed linear as `down`,
/// E, k, one expert's d_ff and the routed experts' parameters.
MLPBlock makeExpertMLPBlock(const PlainExpertBlock &b);

/// Moves into `moe` the dense MLP of `dense` that reads the router's input
/// (the shared experts), if any: its linears join the block, which counts
/// its width in experts of moe's d_ff (at least 1).
void absorbSharedExperts(MLPBlock &moe, std::vector<MLPBlock> &dense);

/// One line naming a Mixture-of-Experts block's parts for the structure
/// section: its layer, router (top-k of E), routed experts and shared
/// experts, by node name.
std::string describeExpertBlock(const MLPBlock &m);

} // namespace mlir::tfperf

#endif
