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

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <string>
#include <vector>

namespace mlir::tfperf {


/// How an op runs under tensor parallelism.
enum class SplitKind {
  Replicated, // every device runs the whole op
  Column,     // weight split by output columns; output split, no collective
  Row,        // weight split by the contracted dim; partial sums, all-reduce
  Heads,      // attention split by heads (scores, softmax, fused attention)
  Vocab,      // embedding rows / lm-head columns split by vocabulary
  Sharded,    // runs on its slice of a split activation (GELU, RoPE, views)
};
llvm::StringRef splitKindName(SplitKind k);
constexpr unsigned kNumSplitKinds = 6;

enum class Collective { None, AllReduce, AllGather };
llvm::StringRef collectiveName(Collective c);

/// What the units of a split dim are.
enum class UnitKind { Heads, KVHeads, FusedQKV, Hidden, Vocab, Other };

/// A family of split values sharing one origin (a column-parallel linear,
/// a fused attention op, a vocab-parallel table, a KV-cache input).
struct UnitGroup {
  UnitKind kind = UnitKind::Other;
  /// Heads, KV heads, d_ff columns, vocab rows: what devices divide.
  int64_t units = 1;
  /// Elements of a unit along the split dim where it starts (d_head for a
  /// [.., heads * d_head] projection, 1 for d_ff columns).
  int64_t unitSize = 1;
  /// Fused QKV (or KV) projections: the heads of each part (0: no Q part).
  int64_t heads = 0, kvHeads = 0;
  /// The op that introduces the split (its ONNX node name).
  std::string origin;
};

struct OpSplit {
  SplitKind kind = SplitKind::Replicated;
  /// Collectives after the op, on these results.
  llvm::SmallVector<std::pair<unsigned, Collective>, 1> collectives;
  /// Column, row and vocab splits: the weight operand and its split dim.
  int weightOperand = -1, weightDim = -1;
  /// Units of the op's work and of each operand (as the op reads it) and
  /// result; 1 = replicated. At degree t, u units are divided over
  /// min(t, u) devices.
  int64_t units = 1;
  llvm::SmallVector<int64_t, 4> operandUnits, resultUnits;
  /// The unit group of the split (-1 when replicated).
  int group = -1;
  /// Why an all-gather was needed in front of this op, if one was.
  std::string gatherReason;

  /// Units of the op's operand (read) or result (written) `v`; 1 for a
  /// value that is neither.
  int64_t readUnits(Operation *op, Value v) const;
  int64_t writeUnits(Operation *op, Value v) const;
};

/// Whether a degree works for the graph, and what it costs in KV memory.
struct TPFeasibility {
  bool feasible = true;
  std::string reason;
  std::vector<std::string> notes;
  /// Devices that hold a copy of each KV head (1: KV heads split).
  int64_t kvReplicas = 1;
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
};

/// Ops whose results are views or casts of a weight (a weight's transpose,
/// reshape or cast): they take the units of the weight's uses.
bool isParameterView(Operation *op);

} // namespace mlir::tfperf

#endif // TFPERF_ANALYSIS_TENSORPARALLELPLAN_H
