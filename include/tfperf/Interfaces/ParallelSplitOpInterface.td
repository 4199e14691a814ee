//===- ParallelSplitOpInterface.td - TP split rules --------*- tablegen -*-===//
//
// How an op runs when some of its operands are split over t devices, the
// rule TensorParallelPlan asks of every op as it propagates the splits
// through the graph. Modelled on upstream MLIR's ShardingInterface
// (mlir/Dialect/Shard/Interfaces/ShardingInterface.td), whose
// getShardingOption maps the shardings of operands to a sharding of the
// op's loops, but shaped for what a cost model needs: no partitioned IR,
// only the split each result gets, the collective the op needs, and how
// many units (heads, d_ff columns, vocabulary rows) its work and each of its
// operands and results is divided into.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_PARALLEL_SPLIT_OP_INTERFACE_TD
#define TFPERF_PARALLEL_SPLIT_OP_INTERFACE_TD

include "mlir/IR/OpBase.td"

def TFPerf_ParallelSplitOpInterface : OpInterface<"ParallelSplitOpInterface"> {
  let cppNamespace = "::mlir::tfperf";
  let description = [{
    The tensor-parallel split rule of an op (docs/TensorParallel.md,
    docs/Interfaces.md). `SplitContext` gives the split of each operand
    (`getSplit`: the split dim, its units and their size; replicated once
    the plan has gathered it) and the transformer's choices (the
    column-parallel group of a Q/K/V, up/gate or lm-head projection); the
    rule fills `OpSplit` and records the split of each result:

    - a dim the op keeps stays split: the result is split on the dim it
      maps to (`SplitContext::setResult`), the op runs on its slice;
    - a split dim the op contracts or reduces leaves partial sums: the op is
      row-parallel and its result is all-reduced (`OpSplit::collectives`);
    - `OpSplit::kind` (column, row, heads, vocab, sharded) and the units of
      the op's operands and results (1: whole on every device), from which
      the plan takes the op's units;
    - a split the op cannot carry (a softmax or norm over the split dim, a
      reshape that cuts across units) fails with a reason
      (`SplitContext::fail`): the plan all-gathers the split operands in
      front of the op, records the reason, and asks the rule again with
      every operand whole.

    Every tfperf op implements it (lib/Dialect/TFPerf/IR/ParallelSplit*.cpp,
    one file per op category beside the cost files); linalg structured ops
    get it through an external model derived from their indexing maps
    (lib/ExternalModels/LinalgParallelSplitModels.cpp). An op without it,
    or with the default rule, runs whole and has its split operands
    gathered.
  }];
  let methods = [
    InterfaceMethod<[{
        Given the operands' splits (`ctx.getSplit`), fills `split` (kind,
        collectives, operand and result units, the weight operand and dim
        of a column, row or vocabulary split) and records each result's
        split with `ctx.setResult`. Returns failure, with the reason set
        through `ctx.fail`, when a split operand cannot be carried.

        The default has no rule: it accepts only whole operands.
      }],
      "::llvm::LogicalResult", "propagateSplit",
      (ins "::mlir::tfperf::SplitContext &":$ctx,
           "::mlir::tfperf::OpSplit &":$split),
      /*methodBody=*/[{}],
      /*defaultImplementation=*/[{
        return ctx.noSplitRule($_op);
      }]>,
  ];
}

#endif // TFPERF_PARALLEL_SPLIT_OP_INTERFACE_TD
