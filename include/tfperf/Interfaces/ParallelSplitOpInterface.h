//===- ParallelSplitOpInterface.h - tensor-parallel split rules -*- C++ -*-===//
//
// What a split rule reads and writes: the split of a value (ValueSplit),
// the unit groups splits count in (UnitGroup), what the rule decides for the
// op (OpSplit), the context the plan gives it (SplitContext), and the
// generated ParallelSplitOpInterface.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_INTERFACES_PARALLELSPLITOPINTERFACE_H
#define TFPERF_INTERFACES_PARALLELSPLITOPINTERFACE_H

#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Twine.h"

#include <optional>
#include <string>

#include "mlir/IR/OpImplementation.h"

#include "tfperf/Interfaces/ParallelSplitEnums.h.inc"

namespace mlir::tfperf {

constexpr unsigned kNumSplitKinds = getMaxEnumValForSplitKind() + 1;

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

/// The split of one value: dim `dim` (-1: replicated) holds F units of I
/// elements each (the unit's stride inside the dim), each unit copied R
/// times by broadcasts (GQA's repeat of KV heads).
struct ValueSplit {
  int dim = -1;
  int64_t F = 1, I = 1, R = 1;
  /// The unit group (an index into the plan's groups; -1: replicated).
  int group = -1;
  bool isSplit() const { return dim >= 0; }
  int64_t units() const { return isSplit() ? F * R : 1; }
};

/// What a split rule sees of the plan being propagated: the operands'
/// splits, the unit groups, and the choices the transformer structure made.
/// The plan's propagation (lib/Analysis/TensorParallelPlan.cpp) implements it.
class SplitContext {
public:
  virtual ~SplitContext();

  /// The split of `v` as an op reads it (replicated once it is gathered).
  virtual ValueSplit getSplit(Value v) const = 0;
  /// Records the split of `v` (a result of the op the rule runs for).
  virtual void setSplit(Value v, const ValueSplit &split) = 0;

  /// Unit groups: `addGroup` starts one at `origin`; `derivedGroup` is one
  /// like `g` with other units (and another kind, when given), or `g`
  /// itself when nothing differs.
  virtual UnitGroup &getGroup(int g) = 0;
  virtual int addGroup(UnitKind kind, int64_t units, Operation *origin,
                       int64_t heads = 0, int64_t kvHeads = 0) = 0;
  virtual int derivedGroup(int g, int64_t units,
                           std::optional<UnitKind> kind = {}) = 0;

  /// The column-parallel group the transformer structure chose for a linear
  /// (Q/K/V, up/gate, lm-head projections); -1 for other ops.
  virtual int getColumnGroup(Operation *op) const = 0;
  /// The vocabulary group the structure chose for an embedding lookup (a
  /// Gather of the token table, EmbedLayerNormalization); -1 otherwise.
  virtual int getVocabGroup(Operation *op) const = 0;
  /// The activation operand of a linear (an op with a parameter operand);
  /// null for other ops.
  virtual Value getLinearInput(Operation *op) const = 0;
  /// The kind of an op that runs on its slice: Heads inside attention's
  /// score computation, Sharded elsewhere.
  virtual SplitKind getShardedKind(Operation *op) const = 0;

  /// Whether some operand of `op` is split.
  bool anyOperandSplit(Operation *op) const;
  /// Marks result `i` of `op` with `split`: its units, the op's group.
  void setResult(Operation *op, OpSplit &sp, unsigned i,
                 const ValueSplit &split);
  /// Records why a split operand cannot be carried; returns failure.
  LogicalResult fail(const llvm::Twine &why);
  /// The rule of an op without one: whole operands only.
  LogicalResult noSplitRule(Operation *op);
  /// The reason of the last failure.
  const std::string &getFailure() const { return failureReason; }
  void clearFailure() { failureReason.clear(); }

private:
  std::string failureReason;
};

} // namespace mlir::tfperf

#include "tfperf/Interfaces/ParallelSplitOpInterface.h.inc"

#endif // TFPERF_INTERFACES_PARALLELSPLITOPINTERFACE_H
