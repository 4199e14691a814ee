//===- TFPerfOpsMoE.td - fused Mixture-of-Experts ops ------*- tablegen -*-===//
//
// onnxruntime's fused Mixture-of-Experts ops (com.microsoft MoE and QMoE,
// signatures from onnxruntime docs/ContribOperators.md). Each token runs
// through the `k` experts its router picked; the cost counts that routed
// work, not all experts (docs/CostModel.md). Included by TFPerfOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_OPS_MOE_TD
#define TFPERF_OPS_MOE_TD

// The routing and activation attributes MoE and QMoE share.
defvar TFPerf_MoEAttrs = (ins
    DefaultValuedAttr<TFPerf_I64Attr, "1">:$k,
    DefaultValuedAttr<StrAttr, "\"relu\"">:$activation_type,
    OptionalAttr<F32Attr>:$activation_alpha,
    OptionalAttr<F32Attr>:$activation_beta,
    DefaultValuedAttr<TFPerf_I64Attr, "0">:$normalize_routing_weights,
    DefaultValuedAttr<TFPerf_I64Attr, "0">:$swiglu_fusion,
    OptionalAttr<F32Attr>:$swiglu_limit,
    DefaultValuedAttr<TFPerf_I64Attr, "0">:$use_sparse_mixer);

def TFPerf_MSMoEOp : TFPerf_PureOp<"ms.moe",
    [TFPerf_ONNXName<"MoE", "com.microsoft">, AttrSizedOperandSegments]> {
  let summary = "com.microsoft MoE: top-k routed expert FFNs";
  let description = [{
    `input` [T, H] or [B, S, H] (T = B S tokens), `router_probs` [T, E];
    per expert e: `fc1_experts_weights` [E, F I, H] (F = 2 when SwiGLU's
    two GEMMs are fused into fc1, else 1), `fc2_experts_weights` [E, H, I],
    `fc3_experts_weights` [E, I, H] (the gate of an unfused SwiGLU), biases
    [E, rows]. Each token takes its `k` most probable experts and sums
    their FFN outputs weighted by the router. The result has `input`'s
    shape and type. The router GEMM that makes `router_probs` is a MatMul
    of its own in the graph.
  }];
  let arguments = !con((ins AnyTensor:$input, AnyTensor:$router_probs,
                            AnyTensor:$fc1_experts_weights,
                            Optional<AnyTensor>:$fc1_experts_bias,
                            AnyTensor:$fc2_experts_weights,
                            Optional<AnyTensor>:$fc2_experts_bias,
                            Optional<AnyTensor>:$fc3_experts_weights,
                            Optional<AnyTensor>:$fc3_experts_bias),
                       TFPerf_MoEAttrs);
  let results = (outs AnyTensor:$output);
  // Printed in the generic form, as BeamSearch: many optional operands.
}

def TFPerf_MSQMoEOp : TFPerf_PureOp<"ms.qmoe",
    [TFPerf_ONNXName<"QMoE", "com.microsoft">, AttrSizedOperandSegments]> {
  let summary = "com.microsoft QMoE: MoE with experts' weights stored at `expert_weight_bits`";
  let description = [{
    As `ms.moe`, with each expert's weights stored quantized: `quant_type`
    "int" packs 8 / `expert_weight_bits` values per uint8 along the last
    dim (fc1 [E, F I, H / pack], fc2 [E, H, I / pack]) with scales per row
    or per `block_size` block; "fp4"/"nvfp4" two E2M1 values per byte,
    "fp8" one float8e4m3fn per value. The GEMMs run at the activations'
    type; the weights are read as stored.
  }];
  let arguments = !con((ins AnyTensor:$input, AnyTensor:$router_probs,
                            AnyTensor:$fc1_experts_weights,
                            Optional<AnyTensor>:$fc1_scales,
                            Optional<AnyTensor>:$fc1_experts_bias,
                            AnyTensor:$fc2_experts_weights,
                            Optional<AnyTensor>:$fc2_scales,
                            Optional<AnyTensor>:$fc2_experts_bias,
                            Optional<AnyTensor>:$fc3_experts_weights,
                            Optional<AnyTensor>:$fc3_scales,
                            Optional<AnyTensor>:$fc3_experts_bias,
                            Optional<AnyTensor>:$fc1_zero_points,
                            Optional<AnyTensor>:$fc2_zero_points,
                            Optional<AnyTensor>:$fc3_zero_points,
                            Optional<AnyTensor>:$router_weights,
                            Optional<AnyTensor>:$fc1_global_scale,
                            Optional<AnyTensor>:$fc2_global_scale,
                            Optional<AnyTensor>:$fc1_act_scale,
                            Optional<AnyTensor>:$fc2_act_scale,
                            Optional<AnyTensor>:$fc1_act_block_scale,
                            Optional<AnyTensor>:$fc2_act_block_scale),
                       TFPerf_MoEAttrs,
                       (ins DefaultValuedAttr<TFPerf_I64Attr, "4">:$expert_weight_bits,
                            OptionalAttr<TFPerf_I64Attr>:$block_size,
                            DefaultValuedAttr<StrAttr, "\"int\"">:$quant_type,
                            DefaultValuedAttr<TFPerf_I64Attr, "0">:$accuracy_level,
                            DefaultValuedAttr<TFPerf_I64Attr, "-1">:$weights_prepacked));
  let results = (outs AnyTensor:$output);
  // Printed in the generic form, as BeamSearch: many optional operands.
}

#endif // TFPERF_OPS_MOE_TD
