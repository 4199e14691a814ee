//===- CostOpInterface.td - per-op FLOPs and bytes ---------*- tablegen -*-===//
//
// The cost model's entry point: every tfperf op (and, through external
// models, upstream linalg/tosa/arith ops) says how many FLOPs it performs and
// how many elements of which values it reads and writes. Costs are SymExprs
// computed from the shapes a ShapeQuery returns, so the same code gives
// concrete, symbolic (dim_param) and what-if (decode-step) costs.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_COST_OP_INTERFACE_TD
#define TFPERF_COST_OP_INTERFACE_TD

include "mlir/IR/OpBase.td"

def TFPerf_CostOpInterface : OpInterface<"CostOpInterface"> {
  let cppNamespace = "::mlir::tfperf";
  let description = [{
    Conventions (docs/CostModel.md, docs/Training.md for the backward pass): one multiply-add is 2 FLOPs; elementwise
    ops count 1 FLOP per output element unless documented otherwise; bytes
    are every input read plus every output written, at the element size the
    analysis chooses for each value (graph dtype or a what-if dtype), so the
    op reports element counts, not bytes. View ops report no accesses.

    Every tfperf op implements it; upstream linalg, tosa, arith, math and
    tensor ops get it through external models
    (`registerAllExternalModels`, docs/ExternalModels.md).
  }];
  let methods = [
    InterfaceMethod<[{
        Fills `cost` with this op's FLOPs, the matmul-like part of them, and
        the element counts it reads and writes, using the shapes `shapes`
        returns. Returns failure when the cost is unknown (a custom op, an
        unknown shape); `cost.unknownReason` then says why. Never fails for
        a reason the pass should stop on: callers turn failure into a remark
        and an "unknown" report row.
      }],
      "::llvm::LogicalResult", "computeCost",
      (ins "const ::mlir::tfperf::ShapeQuery &":$shapes,
           "::mlir::tfperf::OpCost &":$cost)>,
    InterfaceMethod<[{
        Fills `cost` with this op's backward pass (docs/Training.md): the
        kernels that turn the gradients of its results into the gradients
        of the operands `grads` says need one (each kernel's FLOPs, GEMM
        FLOPs and the elements it reads and writes, named as in
        `dX = dY·Wᵀ`), and the tensors the forward pass must keep for them
        (`cost.saved`). Only called when some result receives a gradient.
        Gradients have their value's shape and element type, so accesses
        name the forward value whose gradient is read or written.

        The default reports the backward as unknown, never as free: an op
        without a backward model (an upstream op, an unknown custom op)
        gets an "unknown" row, like an op without a forward cost model.
      }],
      "::llvm::LogicalResult", "computeBackwardCost",
      (ins "const ::mlir::tfperf::ShapeQuery &":$shapes,
           "const ::mlir::tfperf::GradientQuery &":$grads,
           "::mlir::tfperf::BackwardCost &":$cost),
      /*methodBody=*/[{}],
      /*defaultImplementation=*/[{
        cost.unknownReason = "no backward model for " +
                             $_op->getName().getStringRef().str();
        return ::mlir::failure();
      }]>,
  ];
}

#endif // TFPERF_COST_OP_INTERFACE_TD
