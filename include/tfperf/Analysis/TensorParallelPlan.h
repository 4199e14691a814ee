//===- TensorParallelPlan.h - Megatron-style split propagation --*- C++ -*-===//
//
// How a transformer shards over t devices, derived from the graph:
// TensorParallelPlan propagates a split through the dataflow, the way
// Megatron-LM lays a model out. The QKV/up/gate projections and the lm-head
// are split by output columns (the column set comes from
// TransformerStructure); every other op's split follows from its structure:
// a linear whose input is split on the dim it contracts is row-parallel
// (partial sums, one all-reduce after it), a dim it keeps stays split,
// elementwise ops and reshapes carry the split along, and an op that would
// mix the shards (a softmax or norm over the split dim) gets an all-gather
// in front. Fused contrib attention is split by heads. The plan is the same
// for every degree: each split value counts its units (heads, KV heads,
// d_ff columns, vocab rows), and at degree t it is divided over
// min(t, units) devices. TensorParallelCost.h costs it per degree.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_TENSORPARALLELPLAN_H
#define TFPERF_ANALYSIS_TENSORPARALLELPLAN_H

#include "tfperf/Analysis/TransformerStructure.h"
#include "tfperf/Interfaces/ParallelSplitOpInterface.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <string>
#include <vector>

namespace mlir::tfperf {

/// Whether a degree works for the graph, and what it costs in KV memory.
struct TPFeasibility {
  bool feasible = true;
  std::string reason;
  std::vector<std::string> notes;
  /// Devices that hold a copy of each KV head (1: KV heads split).
  int64_t kvReplicas = 1;
  /// Devices that hold a copy of each linear-attention state head (its
  /// K/V columns, the convolution channels on them and its recurrent state;
  /// 1: state heads split).
  int64_t stateReplicas = 1;
};

class TensorParallelPlan {
public:
  TensorParallelPlan(func::FuncOp func, const TransformerStructure &structure);

  /// The op's split; null for ops outside the function and constants.
  const OpSplit *lookup(Operation *op) const;
  ArrayRef<UnitGroup> getGroups() const { return groups; }
  /// Units of a weight (a WeightOp or a weight graph input): the fewest
  /// over its uses (1 when any use needs it whole).
  int64_t getWeightUnits(Value weight) const;
  /// True when some op is split (column-parallel linears were found).
  bool hasSplits() const { return !groups.empty(); }
  /// Feasibility at degree t, with the reasons of a rejection.
  TPFeasibility check(int64_t t) const;
  /// Ops in walk order (for reports and annotation).
  ArrayRef<Operation *> getOps() const { return ops; }

private:
  friend class SplitPropagation;
  std::vector<UnitGroup> groups;
  llvm::DenseMap<Operation *, OpSplit> splits;
  llvm::DenseMap<Value, int64_t> weightUnits;
  std::vector<Operation *> ops;
  /// The model's query heads (0: unknown): KV heads as many are plain heads.
  int64_t modelHeads = 0;
  /// Groups of a linear attention's heads, with its state heads: a KV-heads
  /// group of as many units is its state heads (a recurrent state, no KV
  /// cache), of fewer its query/key heads (inverse GQA, Qwen3.5).
  llvm::DenseMap<int, int64_t> linearGroups;
};

/// The function argument attribute that seeds a split where no transformer
/// is recognised: `tfperf.tp_split = d` splits dim d of the argument.
constexpr llvm::StringLiteral kTPSplitAttrName = "tfperf.tp_split";
/// The units (the dim's extent) a `tfperf.tp_split` annotation on `arg`
/// gives; nullopt without one, or when it does not fit (`error` says why).
std::optional<int64_t> annotatedSplitUnits(func::FuncOp func,
                                           BlockArgument arg,
                                           std::string *error = nullptr);

/// Ops whose results are views or casts of a weight (a weight's transpose,
/// reshape or cast): they take the units of the weight's uses.
bool isParameterView(Operation *op);

} // namespace mlir::tfperf

#endif // TFPERF_ANALYSIS_TENSORPARALLELPLAN_H
