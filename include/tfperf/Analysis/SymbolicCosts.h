//===- SymbolicCosts.h - costs as formulas in the graph's dims --*- C++ -*-===//
//
// A dynamic graph keeps its dim_params (batch, seq, past_seq_len, ...) as
// symbols through shape inference, so every op's FLOPs and element counts
// are exact polynomials in them (CostOpInterface). This analysis keeps them
// that way instead of calling them unknown: per-op formulas, totals, per
// layer and block (with the transformer structure), the attention/MLP
// crossover solved from the formulas, and groups of ops with identical
// formulas, which is what a sweep evaluates (Sweep.h).
//
// Time is a roofline max per op, not a polynomial: it is evaluated per
// group at each point, never summed symbolically.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_SYMBOLICCOSTS_H
#define TFPERF_ANALYSIS_SYMBOLICCOSTS_H

#include "tfperf/Analysis/CostAnalysis.h"
#include "tfperf/Analysis/Roofline.h"
#include "tfperf/Analysis/TensorParallel.h"
#include "tfperf/Analysis/TransformerStructure.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <array>
#include <string>
#include <vector>

namespace mlir::tfperf {

/// An op's cost split for tensor parallelism (TensorParallelPlan): at
/// degree t, work and each access of u units are divided by min(u, t), and
/// each collective moves its result's bytes (TensorParallelAccumulator does
/// the same with numbers).
struct ShardedBits {
  /// Units of the accesses (1: every device reads or writes them whole).
  int64_t units = 1;
  SymExpr bits = 0;
};
struct CollectiveBits {
  Collective kind = Collective::None;
  SymExpr bits = 0;
};
struct SymbolicSplit {
  /// Units of the op's work.
  int64_t units = 1;
  /// The op's bits by the units they split into (their sum is `bits`).
  llvm::SmallVector<ShardedBits, 2> bits;
  llvm::SmallVector<CollectiveBits, 1> collectives;
  std::string key() const;
};

/// One op's cost as formulas.
struct SymbolicOpCost {
  const OpCostRecord *record = nullptr;
  /// False when the op has no cost model or a shape is unknown.
  bool known = false;
  SymExpr flops = 0, gemmFlops = 0;
  /// Bits read and written at the policy's element sizes (bytes = bits / 8).
  SymExpr bits = 0;
  /// The dtype whose matmul peak the op runs at.
  std::string peakDtype;
  int layer = -1;
  BlockKind block = BlockKind::Other;
  /// Index into SymbolicCosts::getGroups(); -1 for unknown and free ops.
  int group = -1;
  /// With a tensor-parallel plan.
  SymbolicSplit split;
};

/// Ops whose formulas, peak dtype and block kind are identical take the
/// same time at every point, so a sweep evaluates them once.
struct SymbolicGroup {
  SymExpr flops, gemmFlops, bits;
  std::string peakDtype;
  BlockKind block = BlockKind::Other;
  /// With a tensor-parallel plan: the ops' split (part of the identity).
  SymbolicSplit split;
  unsigned count = 0;
  /// Index of the first op in SymbolicCosts::getOps().
  unsigned firstOp = 0;

  /// The group whose first member is `op`, at index `firstOp`.
  SymbolicGroup(const SymbolicOpCost &op, unsigned firstOp)
      : flops(op.flops), gemmFlops(op.gemmFlops), bits(op.bits),
        peakDtype(op.peakDtype), block(op.block), split(op.split),
        firstOp(firstOp) {}
};

/// A sum of op formulas.
struct FormulaTotals {
  SymExpr flops = 0, gemmFlops = 0, bits = 0;
  unsigned ops = 0;
  void add(const SymbolicOpCost &op);
  bool operator==(const FormulaTotals &o) const {
    return flops == o.flops && gemmFlops == o.gemmFlops && bits == o.bits &&
           ops == o.ops;
  }
};

/// Formulas per block kind of a set of layers that all have the same ones
/// (usually every layer), or of the ops outside the layers.
struct LayerFormulas {
  /// The layers (empty: the ops outside every layer).
  std::vector<int> layers;
  std::array<FormulaTotals, kNumBlockKinds> byBlock;
  /// Attention projections and scores together.
  FormulaTotals attention() const;
};

/// What the graph's symbols stand for, for sweep aliases and the crossover;
/// empty when the graph has no such symbol.
struct SymbolRoles {
  std::string batch, seq, past;
  /// Symbols that stand for seq + past (findTotalLengthSymbols): a sweep
  /// sets them from its seq and past values, the crossover at seq.
  std::vector<std::string> totals;
  /// "batch", "seq", "past", "total" or "" for the symbol `name`.
  llvm::StringRef roleOf(llvm::StringRef name) const {
    return name == batch ? "batch"
           : name == seq ? "seq"
           : name == past ? "past"
           : llvm::is_contained(totals, name.str()) ? "total"
                                                   : "";
  }
};

/// Where the attention GEMM FLOPs of a layer overtake its MLP's, solved
/// from the formulas in the sequence symbol (batch 1, no past).
struct FormulaCrossover {
  std::string symbol;
  /// GEMM FLOPs of one layer.
  SymExpr attention = SymExpr::unknown(), mlp = SymExpr::unknown();
  /// The same per token (divided by batch·seq), Unknown if not exact.
  SymExpr attentionPerToken = SymExpr::unknown(),
          mlpPerToken = SymExpr::unknown();
  std::optional<double> value;
  std::string note;
};

/// A symbol of the graph and the inputs whose dims use it.
struct SymbolUse {
  std::string name;
  /// `input[1]`: argument name and dim index.
  std::vector<std::string> uses;
};

/// The symbols of `func`'s argument dims, in the order the arguments name
/// them, each with the `input[dim]`s it appears in.
std::vector<SymbolUse> collectSymbolUses(func::FuncOp func);

/// A distinct symbolic dim of the function's values and how many values
/// use it (the `?` of the types, spelled out).
struct SymbolicDim {
  SymExpr dim;
  unsigned values = 0;
};

/// The least value of a symbol at which every dim of the graph linear in
/// it alone is non-negative (`seq - 3` makes seq >= 3): below it the graph
/// has no such size and the formulas are not costs.
struct SymbolFloor {
  std::string symbol;
  int64_t min = 0;
  /// The dim that sets it.
  SymExpr dim;
};

class SymbolicCosts {
public:
  /// `structure` (may be null) tags ops with layers and blocks and names
  /// the batch and sequence symbols; `plan` (may be null, needs the
  /// structure's function) splits each op's formulas for tensor
  /// parallelism, for a sweep's tp axis.
  SymbolicCosts(Operation *root, const CostAnalysis &costs,
                const DtypePolicy &policy,
                const TransformerStructure *structure = nullptr,
                const TensorParallelPlan *plan = nullptr);

  /// One entry per CostAnalysis record, in its order.
  ArrayRef<SymbolicOpCost> getOps() const { return ops; }
  ArrayRef<SymbolicGroup> getGroups() const { return groups; }
  const FormulaTotals &getTotals() const { return totals; }
  unsigned getUnknownOps() const { return unknownOps; }
  /// Free symbols of the known formulas (through opaque atoms), sorted.
  ArrayRef<std::string> getSymbols() const { return symbols; }
  const SymbolRoles &getRoles() const { return roles; }
  ArrayRef<SymbolUse> getSymbolUses() const { return symbolUses; }
  ArrayRef<SymbolicDim> getDims() const { return dims; }
  /// Symbols with a floor above 0, in the order of getSymbols().
  ArrayRef<SymbolFloor> getFloors() const { return floors; }
  /// Layer groups with identical formulas, then (if any) the ops outside
  /// the layers; empty without a transformer structure.
  ArrayRef<LayerFormulas> getLayers() const { return layers; }
  const FormulaCrossover &getCrossover() const { return crossover; }
  /// d_model when the structure found it (the base of the d-form).
  std::optional<int64_t> getDModel() const { return dModel; }
  /// The tensor-parallel plan the ops were split by, or null.
  const TensorParallelPlan *getTensorParallelPlan() const { return tpPlan; }

private:
  void findRoles(Operation *root, const TransformerStructure *structure);
  void solveCrossover();
  void findFloors();

  std::vector<SymbolicOpCost> ops;
  std::vector<SymbolicGroup> groups;
  FormulaTotals totals;
  unsigned unknownOps = 0;
  std::vector<std::string> symbols;
  SymbolRoles roles;
  std::vector<SymbolUse> symbolUses;
  std::vector<SymbolicDim> dims;
  std::vector<SymbolFloor> floors;
  std::vector<LayerFormulas> layers;
  FormulaCrossover crossover;
  std::optional<int64_t> dModel;
  const TensorParallelPlan *tpPlan = nullptr;
};

/// The smallest x > 0 at which `f` (a polynomial in `symbol` only) turns
/// from <= 0 to > 0; nullopt when it never does for x in (0, 2^50].
std::optional<double> solveFirstPositiveCrossing(const SymExpr &f,
                                                 llvm::StringRef symbol);

} // namespace mlir::tfperf

#endif
