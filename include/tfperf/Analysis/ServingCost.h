//===- ServingCost.h - a serving step's cost, from the graph ----*- C++ -*-===//
//
// The serving simulator needs the cost of engine steps whose sequences each
// process some new tokens against their own KV length. The graph gives
// that directly: the phase analysis's token shapes, with batch, sequence
// and KV length kept as symbols (step_seqs, step_tokens, step_kv) instead
// of numbers, make every op's FLOPs and bytes a polynomial in them; each
// monomial maps onto a sum over the step's sequences (StepMix):
//
//   1               per step (weights read once)
//   b               per sequence
//   b*s             per token
//   b*s*kv          per query-key pair (attention scores and P V)
//   b*kv            per context token (the KV cache read)
//
// Ops the decode phase runs once per sequence (an encoder, cross-attention
// K/V) cost per started sequence. Each op is one StepCostTerm with the
// roofline of the phase analysis; identical ones are merged. Terms that do
// not map (b^2, s^2 outside attention) are approximated and listed.
//
// In the kernel views the flash kernel of a sliding-window layer counts
// its pairs and its cached keys under that layer's window instead
// (StepMix's WindowSums), as the phase analysis's windowed kernel does.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_SERVINGCOST_H
#define TFPERF_ANALYSIS_SERVINGCOST_H

#include "tfperf/Analysis/KernelTimes.h"
#include "tfperf/Analysis/Roofline.h"
#include "tfperf/Analysis/TensorParallel.h"
#include "tfperf/Analysis/TransformerStructure.h"
#include "tfperf/Serving/StepCost.h"

#include "mlir/IR/BuiltinOps.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir::tfperf {

/// The name of the step term of the MoE all-to-alls (ep > 1).
constexpr llvm::StringLiteral kAllToAllTermName = "all-to-all";

struct ServingStepCost {
  serving::StepCostModel model;
  /// Ops whose cost is unknown (left out of every step, never as 0 in a
  /// figure: the report says how many).
  unsigned unknownOps = 0;
  /// Ops whose formulas had terms that are not linear in a step's mix,
  /// with one example each.
  std::vector<std::string> approximations;
  /// Per device: bytes of weights and of the KV cache per token, for the
  /// capacity.
  double weightBytes = 0, kvBytesPerToken = 0;
  /// Per device: the recurrent state one sequence holds (linear attention,
  /// causal convolutions), split with its op's heads or channels.
  double stateBytesPerSequence = 0;
  /// The TP and EP degrees and why they cannot be used ("" when they can).
  int64_t tp = 1, ep = 1;
  std::string infeasible;
  /// Under a skewed routing (--moe-routing=zipf:<s>, loads:<file>), its name and the
  /// busiest device's share of the routed pairs the step prices (1/ep when
  /// balanced; "" and 0 at balanced routing).
  std::string routing;
  double busiestShare = 0;
};

/// Builds the step cost of the first function of `module` on `device`,
/// per device of a TP group of `tp` with the split of `plan` (each op's
/// work and accesses divided as the tensor-parallel figures divide them,
/// and its collectives as ring all-reduce/all-gather terms over the
/// device's link). With `timing` other than per-op roofline, the ops are
/// grouped into `timing.view`'s kernels (formed on the step's symbolic
/// shapes) and each kernel is one term priced by `timing.model` at the
/// step's mix: its boundary bytes, and under the calibrated model its GEMM
/// quantized at M = the step's tokens, its memory class's floor and
/// ceiling, its flash attention at the step's mean KV length, and the
/// collectives by their α-β tier. With `ep` > 1 on a graph with routed
/// experts (ExpertParallel.h) each device of an ep x tp layout holds E / ep
/// of them: their terms count 1 / ep (their time on one device at balanced
/// routing), their weights are divided by ep, and a term prices the
/// dispatch and combine all-to-alls of every MoE layer at the step's token
/// count (priceMoEAllToAlls). Fails (with `error`) on graphs that have
/// no token dims to re-run (a fixed sequence that could not be re-derived)
/// or a batch fixed above one.
std::optional<ServingStepCost>
buildServingStepCost(ModuleOp module, const TransformerStructure &structure,
                     const DtypePolicy &policy, const DeviceSpec &device,
                     std::string &error,
                     const TensorParallelPlan *plan = nullptr, int64_t tp = 1,
                     Timing timing = Timing(), int64_t ep = 1);

} // namespace mlir::tfperf

#endif
