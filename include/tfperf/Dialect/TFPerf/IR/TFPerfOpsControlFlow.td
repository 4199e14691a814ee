//===- TFPerfOpsControlFlow.td - ONNX If, Loop, Scan -------*- tablegen -*-===//
//
// The ai.onnx control-flow ops. Their graph attributes are regions ending in
// `tfperf.yield`; the ops inside are costed by CostAnalysis with the
// enclosing op's weight (docs/CostModel.md#control-flow): a Loop's body
// times its trip count, a Scan's body times the scan length, an If's taken
// branch (the larger one when the condition does not fold). The op itself
// moves no data. Included by TFPerfOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_OPS_CONTROL_FLOW_TD
#define TFPERF_OPS_CONTROL_FLOW_TD

def TFPerf_IfOp : TFPerf_Op<"if", [TFPerf_ONNXName<"If">]> {
  let summary = "ONNX If: runs then_branch or else_branch";
  let description = [{
    `cond` is a one-element boolean tensor. Both branches yield as many
    values as the op has results. `condition_value` is set at import when
    the condition folds to a constant (a Constant, or a boolean graph input
    bound with `--bind-dims`, as merged decoders' `use_cache_branch`): only
    that branch is costed. Otherwise both are costed and the larger one is
    the bound.
  }];
  let arguments = (ins AnyTensor:$cond, StrArrayAttr:$subgraph_names,
                   OptionalAttr<BoolAttr>:$condition_value);
  let results = (outs Variadic<AnyTensor>:$outputs);
  let regions = (region SizedRegion<1>:$then_branch,
                        SizedRegion<1>:$else_branch);
  let extraClassDeclaration = [{
    /// The condition's value when inference knows it.
    std::optional<bool> foldCondition(ShapeContext &ctx);
  }];
  let hasVerifier = 1;
}

def TFPerf_LoopOp : TFPerf_Op<"loop",
    [TFPerf_ONNXName<"Loop">, AttrSizedOperandSegments]> {
  let summary = "ONNX Loop: runs its body M times (or while cond holds)";
  let description = [{
    The body's arguments are the iteration number, the condition and the
    loop-carried values; it yields the condition, the carried values and
    the scan outputs, which the op stacks along a new leading dim of the
    trip count. `trip_count` (an expression, set at import) is the number
    of iterations: M when it folds (a constant, or a symbol when M is a
    graph input), `trip_<node>` when M is computed from data or absent. A
    loop condition that may stop it early is ignored: M is the bound.
  }];
  let arguments = (ins Optional<AnyTensor>:$max_trip_count,
                   Optional<AnyTensor>:$cond,
                   Variadic<AnyTensor>:$v_initial,
                   StrArrayAttr:$subgraph_names,
                   OptionalAttr<StrAttr>:$trip_count);
  let results = (outs Variadic<AnyTensor>:$outputs);
  let regions = (region SizedRegion<1>:$body);
  let extraClassDeclaration = [{
    /// M's value when inference knows it (a constant or a symbol), else
    /// the symbol `trip_<node>`; an error when M is a negative constant.
    FailureOr<SymExpr> inferTripCount(ShapeContext &ctx);
    /// The iterations `trip_count` records (`trip_<node>` without it).
    SymExpr getIterations();
  }];
  let hasVerifier = 1;
}

def TFPerf_ScanOp : TFPerf_Op<"scan", [TFPerf_ONNXName<"Scan">]> {
  let summary = "ONNX Scan (opset 9+): runs its body once per scan slice";
  let description = [{
    The first N operands are the initial states, the last
    `num_scan_inputs` are scanned along `scan_input_axes` (default 0); the
    body runs once per slice and yields the N final states and the scan
    output slices, stacked along `scan_output_axes`. The body's cost counts
    times the scan length.
  }];
  let arguments = (ins Variadic<AnyTensor>:$initial_state_and_scan_inputs,
                   StrArrayAttr:$subgraph_names,
                   TFPerf_I64Attr:$num_scan_inputs,
                   OptionalAttr<DenseI64ArrayAttr>:$scan_input_axes,
                   OptionalAttr<DenseI64ArrayAttr>:$scan_output_axes,
                   OptionalAttr<DenseI64ArrayAttr>:$scan_input_directions,
                   OptionalAttr<DenseI64ArrayAttr>:$scan_output_directions);
  let results = (outs Variadic<AnyTensor>:$final_state_and_scan_outputs);
  let regions = (region SizedRegion<1>:$body);
  let extraClassDeclaration = [{
    /// Number of loop-carried states.
    int64_t getNumStates() {
      return (int64_t)getInitialStateAndScanInputs().size() - getNumScanInputs();
    }
    /// How often the body runs: the first scan input's scan-axis dim.
    SymExpr getScanLength(const ShapeQuery &q);
  }];
  let hasVerifier = 1;
}

#endif // TFPERF_OPS_CONTROL_FLOW_TD
