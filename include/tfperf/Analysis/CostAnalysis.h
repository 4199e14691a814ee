//===- CostAnalysis.h - per-op costs of a module ----------------*- C++ -*-===//
//
// Computes every op's OpCost once (through CostOpInterface) from a
// ShapeQuery, in walk order, and remembers what each op is called. An MLIR
// analysis: built from an Operation*, never mutates IR.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_COSTANALYSIS_H
#define TFPERF_ANALYSIS_COSTANALYSIS_H

#include "tfperf/Analysis/ConfigInvalidation.h"
#include "tfperf/Interfaces/CostOpInterface.h"

#include "mlir/IR/Operation.h"
#include "mlir/Pass/AnalysisManager.h"
#include "llvm/ADT/DenseMap.h"

#include <string>
#include <vector>

namespace mlir::tfperf {

struct OpCostRecord {
  Operation *op = nullptr;
  OpCost cost;
  /// False when the op has no cost model or its shapes are unknown.
  bool known = false;
  /// Small integer tensor computations (shape plumbing); reports may hide
  /// them.
  bool isShapeComputation = false;
  /// ONNX node name (from the op's NameLoc), else `<op name>#<index>`.
  std::string name;
  /// ONNX op type (`MatMul`, `com.microsoft.Attention`, custom op types),
  /// or the MLIR op name for ops of other dialects.
  std::string opType;
  /// What the analysis decided about the op's regions (an If whose
  /// condition did not fold: both branches' costs and which one counts).
  std::string note;
  /// How often the op runs in one run of the graph: 1 at the top level, a
  /// Loop's trip count in its body, a BeamSearch decoder's runs in it. The
  /// cost above is already the sum over the runs.
  SymExpr runs = 1;
};

class CostAnalysis {
public:
  /// Costs from the IR's types: a run of the whole graph, a generation op's
  /// decoder (BeamSearch) summed over its runs.
  explicit CostAnalysis(Operation *root);
  /// Costs from other shapes (bound dims, a decode step); a generation op's
  /// decoder counts one step at those shapes.
  CostAnalysis(Operation *root, const ShapeQuery &shapes);
  /// Costs with the shapes chosen per op (a phase: one step, as above).
  CostAnalysis(Operation *root,
               llvm::function_ref<const ShapeQuery &(Operation *)> select);

  ArrayRef<OpCostRecord> getRecords() const { return records; }
  const OpCostRecord *lookup(Operation *op) const;

  /// Reads no configuration: only a change of the IR invalidates it.
  bool isInvalidated(const AnalysisManager::PreservedAnalyses &pa) {
    return !isAnalysisKept<CostAnalysis>(pa, ConfigPart::None);
  }

private:
  void compute(Operation *root,
               llvm::function_ref<const ShapeQuery &(Operation *)> select,
               bool wholeGeneration);
  /// Keeps the larger branch of each If whose condition did not fold.
  void keepLargerBranches(Operation *root);

  std::vector<OpCostRecord> records;
  llvm::DenseMap<Operation *, size_t> index;
};

/// The ONNX node name an op was imported from (empty if none).
std::string getNodeName(Operation *op);
/// The ONNX op type of a tfperf op; the op name otherwise.
std::string getONNXOpType(Operation *op);

} // namespace mlir::tfperf

#endif
