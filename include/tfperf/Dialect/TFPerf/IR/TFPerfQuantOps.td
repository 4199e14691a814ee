//===- TFPerfQuantOps.td - quantized ONNX ops --------------*- tablegen -*-===//
//
// Quantize/dequantize (ai.onnx and com.microsoft) and the low-bit GEMMs and
// lookups onnxruntime runs: MatMulInteger, QLinearMatMul, MatMulNBits,
// MatMulBnb4, GatherBlockQuantized. Included from TFPerfOps.td (one op
// list). How they are costed, and at which width their weights are stored,
// is in docs/Quantization.md.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_QUANT_OPS_TD
#define TFPERF_QUANT_OPS_TD

//===----------------------------------------------------------------------===//
// Quantize and dequantize
//===----------------------------------------------------------------------===//

// Both are conversions element by element (ViewLike): a dequantized weight
// is still that weight, stored at its quantized width.
def TFPerf_QuantizeLinearOp : TFPerf_PureOp<"quantize_linear",
    [TFPerf_ONNXName<"QuantizeLinear", "", ["com.microsoft"]>,
     TFPerf_ViewLike, TFPerf_DataMovement]> {
  let summary = "ONNX QuantizeLinear: saturate(round(x / scale) + zero_point)";
  let description = [{
    Per tensor (scalar scale), per axis (1-D scale along `axis`) or blocked
    (scale with the input's rank, dim `axis` divided into blocks of
    `block_size`). The result type is the zero point's, else `output_dtype`,
    else uint8.

    ```mlir
    %q = tfperf.quantize_linear %x, %s, %zp : (tensor<4x8xf32>, tensor<f32>, tensor<i8>) -> tensor<4x8xi8>
    ```
  }];
  let arguments = (ins AnyTensor:$x, AnyTensor:$y_scale,
                   Optional<AnyTensor>:$y_zero_point,
                   DefaultValuedAttr<TFPerf_I64Attr, "1">:$axis,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$block_size,
                   DefaultValuedAttr<TFPerf_I64Attr, "1">:$saturate,
                   OptionalAttr<TypeAttr>:$output_dtype);
  let results = (outs AnyTensor:$y);
  let assemblyFormat = [{
    $x `,` $y_scale (`,` $y_zero_point^)? attr-dict `:` functional-type(operands, results)
  }];
}

def TFPerf_DequantizeLinearOp : TFPerf_PureOp<"dequantize_linear",
    [TFPerf_ONNXName<"DequantizeLinear", "", ["com.microsoft"]>,
     TFPerf_ViewLike, TFPerf_DataMovement]> {
  let summary = "ONNX DequantizeLinear: (x - zero_point) * scale";
  let description = [{
    Scales as for QuantizeLinear; the result type is `output_dtype`, else
    the scale's. When every reader (through views) is a contraction or a
    gather, the dequantization is fused into them: they read `x` at its
    stored width and this op moves only its scales and zero points.

    ```mlir
    %w = tfperf.dequantize_linear %q, %s : (tensor<64x32xi4>, tensor<2x32xf16>) -> tensor<64x32xf16>
    ```
  }];
  let arguments = (ins AnyTensor:$x, AnyTensor:$x_scale,
                   Optional<AnyTensor>:$x_zero_point,
                   DefaultValuedAttr<TFPerf_I64Attr, "1">:$axis,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$block_size,
                   OptionalAttr<TypeAttr>:$output_dtype);
  let results = (outs AnyTensor:$y);
  let assemblyFormat = [{
    $x `,` $x_scale (`,` $x_zero_point^)? attr-dict `:` functional-type(operands, results)
  }];
}

def TFPerf_DynamicQuantizeLinearOp : TFPerf_PureOp<"dynamic_quantize_linear",
    [TFPerf_ONNXName<"DynamicQuantizeLinear">]> {
  let summary = "ONNX DynamicQuantizeLinear: uint8 quantization with a scale and zero point from the input's range";
  let arguments = (ins AnyTensor:$x);
  let results = (outs AnyTensor:$y, AnyTensor:$y_scale, AnyTensor:$y_zero_point);
  let assemblyFormat = "$x attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Integer and low-bit GEMMs
//===----------------------------------------------------------------------===//

def TFPerf_MatMulIntegerOp : TFPerf_PureOp<"matmul_integer",
    [TFPerf_ONNXName<"MatMulInteger">, TFPerf_Contraction,
     AttrSizedOperandSegments]> {
  let summary = "ONNX MatMulInteger: (A - a_zero_point) x (B - b_zero_point) in int32";
  let description = [{
    MatMul's shapes on 8-bit operands; the result is int32. Runs at the
    device's int8 matmul peak.
  }];
  let arguments = (ins AnyTensor:$a, AnyTensor:$b,
                   Optional<AnyTensor>:$a_zero_point,
                   Optional<AnyTensor>:$b_zero_point);
  let results = (outs AnyTensor:$y);
  let assemblyFormat = [{
    $a `,` $b (`a_zero_point` `(` $a_zero_point^ `)`)?
    (`b_zero_point` `(` $b_zero_point^ `)`)? attr-dict `:` functional-type(operands, results)
  }];
}

def TFPerf_QLinearMatMulOp : TFPerf_PureOp<"qlinear_matmul",
    [TFPerf_ONNXName<"QLinearMatMul">, TFPerf_Contraction]> {
  let summary = "ONNX QLinearMatMul: quantized MatMul with requantized output";
  let arguments = (ins AnyTensor:$a, AnyTensor:$a_scale, AnyTensor:$a_zero_point,
                   AnyTensor:$b, AnyTensor:$b_scale, AnyTensor:$b_zero_point,
                   AnyTensor:$y_scale, AnyTensor:$y_zero_point);
  let results = (outs AnyTensor:$y);
  let assemblyFormat = [{
    $a `,` $a_scale `,` $a_zero_point `,` $b `,` $b_scale `,` $b_zero_point `,`
    $y_scale `,` $y_zero_point attr-dict `:` functional-type(operands, results)
  }];
}

def TFPerf_MSMatMulNBitsOp : TFPerf_PureOp<"ms.matmul_nbits",
    [TFPerf_ONNXName<"MatMulNBits", "com.microsoft">, TFPerf_Contraction,
     AttrSizedOperandSegments]> {
  let summary = "com.microsoft MatMulNBits: A x dequantize(B) with B packed at `bits` (2, 4, 8) in blocks";
  let description = [{
    `A` [..., K] times B^T where `B` [N, ceil(K / block_size), block_size *
    bits / 8] holds the packed weights (uint8), `scales` one per block,
    `zero_points` packed (uint8) or typed like A, `g_idx` [K] (act-order)
    and `bias` [N] optional. The result is [..., N] in A's type; the GEMM
    runs at A's peak and reads B at its packed size.

    ```mlir
    %y = tfperf.ms.matmul_nbits %a, %b, %s {K = 2 : i64, N = 3 : i64, bits = 4 : i64, block_size = 32 : i64} : (tensor<?x2xf32>, tensor<3x1x16xui8>, tensor<3xf32>) -> tensor<?x3xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$a, AnyTensor:$b, AnyTensor:$scales,
                   Optional<AnyTensor>:$zero_points, Optional<AnyTensor>:$g_idx,
                   Optional<AnyTensor>:$bias,
                   TFPerf_I64Attr:$K, TFPerf_I64Attr:$N,
                   DefaultValuedAttr<TFPerf_I64Attr, "4">:$bits,
                   TFPerf_I64Attr:$block_size,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$accuracy_level);
  let results = (outs AnyTensor:$y);
  let assemblyFormat = [{
    $a `,` $b `,` $scales (`zero_points` `(` $zero_points^ `)`)?
    (`g_idx` `(` $g_idx^ `)`)? (`bias` `(` $bias^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def TFPerf_MSMatMulBnb4Op : TFPerf_PureOp<"ms.matmul_bnb4",
    [TFPerf_ONNXName<"MatMulBnb4", "com.microsoft">, TFPerf_Contraction]> {
  let summary = "com.microsoft MatMulBnb4: A x dequantize(B), B in bitsandbytes FP4/NF4 (two per byte)";
  let arguments = (ins AnyTensor:$a, AnyTensor:$b, AnyTensor:$absmax,
                   TFPerf_I64Attr:$K, TFPerf_I64Attr:$N,
                   TFPerf_I64Attr:$block_size, TFPerf_I64Attr:$quant_type);
  let results = (outs AnyTensor:$y);
  let assemblyFormat = "$a `,` $b `,` $absmax attr-dict `:` functional-type(operands, results)";
}

def TFPerf_MSMatMulBlockQuantizedFp8WeightOp
    : TFPerf_PureOp<"ms.matmul_block_quantized_fp8_weight",
    [TFPerf_ONNXName<"MatMulBlockQuantizedFp8Weight", "com.microsoft">,
     TFPerf_Contraction, AttrSizedOperandSegments]> {
  let summary = "com.microsoft MatMulBlockQuantizedFp8Weight: A x dequantize(B)^T, B in FP8 E4M3 with a scale per block of K";
  let description = [{
    `A` [..., K] (fp16/bf16) times B^T where `B` [N, K] holds one FP8 E4M3
    value per byte and `b_scale` [N, ceil(K / block_size)] an fp32 scale
    per block; `a_scale` (a scalar: W8A8) and `bias` [N] optional. The
    result is [..., N] in A's type. N and K come from B's shape.
  }];
  let arguments = (ins AnyTensor:$a, AnyTensor:$b, AnyTensor:$b_scale,
                   Optional<AnyTensor>:$a_scale, Optional<AnyTensor>:$bias,
                   DefaultValuedAttr<TFPerf_I64Attr, "128">:$block_size);
  let results = (outs AnyTensor:$y);
  let assemblyFormat = [{
    $a `,` $b `,` $b_scale (`a_scale` `(` $a_scale^ `)`)?
    (`bias` `(` $bias^ `)`)? attr-dict `:` functional-type(operands, results)
  }];
}

def TFPerf_MSMatMulBlockQuantizedFp4WeightOp
    : TFPerf_PureOp<"ms.matmul_block_quantized_fp4_weight",
    [TFPerf_ONNXName<"MatMulBlockQuantizedFp4Weight", "com.microsoft">,
     TFPerf_Contraction, AttrSizedOperandSegments]> {
  let summary = "com.microsoft MatMulBlockQuantizedFp4Weight: A x dequantize(B)^T, B in NVFP4 (E2M1, two per byte) with E4M3 block scales";
  let description = [{
    `A` [..., K] (fp16/bf16) times B^T where `B` [N, K / 2] (uint8) holds
    two FP4 E2M1 values per byte, `weight_scale` [N, ceil(K /
    block_size)] one raw E4M3 byte per block and `weight_scale_2` a global
    fp32 scale; `input_scale` and `bias` [N] optional. The result is
    [..., N] in A's type. N and K come from B's shape.
  }];
  let arguments = (ins AnyTensor:$a, AnyTensor:$b, AnyTensor:$weight_scale,
                   AnyTensor:$weight_scale_2, Optional<AnyTensor>:$input_scale,
                   Optional<AnyTensor>:$bias,
                   DefaultValuedAttr<TFPerf_I64Attr, "16">:$block_size);
  let results = (outs AnyTensor:$y);
  let extraClassDeclaration = [{
    /// FP4 values per stored byte of B.
    static constexpr int64_t kValuesPerByte = 2;
  }];
  let assemblyFormat = [{
    $a `,` $b `,` $weight_scale `,` $weight_scale_2
    (`input_scale` `(` $input_scale^ `)`)? (`bias` `(` $bias^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Quantized lookups
//===----------------------------------------------------------------------===//

def TFPerf_MSGatherBlockQuantizedOp : TFPerf_PureOp<"ms.gather_block_quantized",
    [TFPerf_ONNXName<"GatherBlockQuantized", "com.microsoft">,
     TFPerf_DataMovement]> {
  let summary = "com.microsoft GatherBlockQuantized: Gather of a block-quantized table, dequantized";
  let description = [{
    Gathers `indices` along `gather_axis` of `data` (int4/uint4, or uint8
    holding 8 / `bits` values per byte along the last dim) and dequantizes
    with `scales` (and `zero_points`) per block of `block_size` along
    `quantize_axis`. The result has the scales' element type.
  }];
  let arguments = (ins AnyTensor:$data, AnyTensor:$indices, AnyTensor:$scales,
                   Optional<AnyTensor>:$zero_points,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$gather_axis,
                   DefaultValuedAttr<TFPerf_I64Attr, "1">:$quantize_axis,
                   DefaultValuedAttr<TFPerf_I64Attr, "128">:$block_size,
                   DefaultValuedAttr<TFPerf_I64Attr, "4">:$bits);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = [{
    $data `,` $indices `,` $scales (`,` $zero_points^)? attr-dict `:` functional-type(operands, results)
  }];
}

#endif // TFPERF_QUANT_OPS_TD
