//===- TFPerfOps.td - tfperf op definitions ----------------*- tablegen -*-===//
//
// One op per ONNX operator type tfperf models. Operands follow the ONNX input
// order; absent optional inputs are absent operands. ONNX attributes keep
// their ONNX names, except where an attribute and an input share a name
// (Squeeze/Unsqueeze/Reduce* `axes`, Split `split`): the attribute form is
// then `static_axes` / `static_split`.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_OPS_TD
#define TFPERF_OPS_TD

include "tfperf/Dialect/TFPerf/IR/TFPerfDialect.td"
include "tfperf/Dialect/TFPerf/IR/TFPerfAttrs.td"
include "tfperf/Dialect/TFPerf/IR/TFPerfTraits.td"
include "tfperf/Interfaces/ShapeInferenceOpInterface.td"
include "tfperf/Interfaces/CostOpInterface.td"
include "tfperf/Interfaces/ParallelSplitOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/IR/OpBase.td"

//===----------------------------------------------------------------------===//
// Base classes
//===----------------------------------------------------------------------===//

// ONNX integers are signed; upstream I64Attr reads back as uint64_t.
def TFPerf_I64Attr : TypedSignlessIntegerAttrBase<I64, "int64_t",
                                                  "64-bit signless integer attribute"> {
  let convertFromStorage = "$_self.getValue().getSExtValue()";
}

// Every tfperf op infers its shapes, reports its forward and backward cost
// (the backward explicitly: no tfperf op falls back to "unknown") and states
// its tensor-parallel split rule (explicitly too: an op without one says so).
class TFPerf_Op<string mnemonic, list<Trait> traits = []>
    : Op<TFPerf_Dialect, mnemonic, !listconcat([
        DeclareOpInterfaceMethods<TFPerf_ShapeInferenceOpInterface>,
        DeclareOpInterfaceMethods<TFPerf_CostOpInterface,
                                  ["computeBackwardCost"]>,
        DeclareOpInterfaceMethods<TFPerf_ParallelSplitOpInterface,
                                  ["propagateSplit"]>], traits)>;

// Pure ops: no side effects, so standard DCE/CSE may apply.
class TFPerf_PureOp<string mnemonic, list<Trait> traits = []>
    : TFPerf_Op<mnemonic, !listconcat([Pure], traits)>;

class TFPerf_UnaryOp<string mnemonic, string onnxName, string what,
                     list<Trait> traits = []>
    : TFPerf_PureOp<mnemonic, !listconcat([TFPerf_ONNXName<onnxName>,
                                           TFPerf_Elementwise], traits)> {
  let summary = "ONNX " # onnxName # ": " # what;
  let description = [{
    Elementwise; the result has the operand's shape and element type.

    ```mlir
    %y = tfperf.}] # mnemonic # [{ %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

class TFPerf_BinaryOp<string mnemonic, string onnxName, string what,
                      list<Trait> traits = []>
    : TFPerf_PureOp<mnemonic, !listconcat([TFPerf_ONNXName<onnxName>,
                                           TFPerf_Elementwise], traits)> {
  let summary = "ONNX " # onnxName # ": " # what;
  let description = [{
    Elementwise with multidirectional (numpy) broadcasting.

    ```mlir
    %z = tfperf.}] # mnemonic # [{ %x, %y : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$lhs, AnyTensor:$rhs);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
}

class TFPerf_VariadicOp<string mnemonic, string onnxName, string what>
    : TFPerf_PureOp<mnemonic, [TFPerf_ONNXName<onnxName>, TFPerf_Elementwise,
                               TFPerf_ElementwiseMath]> {
  let summary = "ONNX " # onnxName # ": " # what;
  let description = [{
    Elementwise over any number of inputs with numpy broadcasting.
  }];
  let arguments = (ins Variadic<AnyTensor>:$inputs);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "$inputs attr-dict `:` functional-type($inputs, results)";
  let hasVerifier = 1;
}

class TFPerf_ReduceOp<string mnemonic, string onnxName>
    : TFPerf_PureOp<mnemonic, [TFPerf_ONNXName<onnxName>, TFPerf_Reduction]> {
  let summary = "ONNX " # onnxName;
  let description = [{
    Reduces over `axes` (an input from opset 18, the `static_axes` attribute
    before); all axes when none are given unless `noop_with_empty_axes`.
  }];
  let arguments = (ins AnyTensor:$data, Optional<AnyTensor>:$axes,
                   OptionalAttr<DenseI64ArrayAttr>:$static_axes,
                   DefaultValuedAttr<TFPerf_I64Attr, "1">:$keepdims,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$noop_with_empty_axes);
  let results = (outs AnyTensor:$reduced);
  let assemblyFormat = "$data (`,` $axes^)? attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Graph structure: weights, constants, unknown ops, subgraph terminator
//===----------------------------------------------------------------------===//

def TFPerf_WeightOp : TFPerf_PureOp<"weight", [ConstantLike]> {
  let summary = "An ONNX initializer (weight)";
  let description = [{
    Carries the initializer's name, element type and shape. Its data is kept
    only for small integer tensors that shape computations may need; weight
    bytes are never read otherwise (they may live in an absent external file).

    ```mlir
    %w = tfperf.weight "transformer.h.0.attn.c_attn.weight" : tensor<768x2304xf32>
    ```
  }];
  let arguments = (ins StrAttr:$name, OptionalAttr<ElementsAttr>:$value);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$name attr-dict `:` type($output)";
  let hasVerifier = 1;
}

def TFPerf_ConstantOp : TFPerf_PureOp<"constant",
    [TFPerf_ONNXName<"Constant">, ConstantLike]> {
  let summary = "ONNX Constant";
  let description = [{
    `value` holds the data for integer tensors and small float tensors; large
    float constants (e.g. RoPE tables) keep only their type.

    ```mlir
    %c = tfperf.constant {value = dense<[1, 64, 12, 64]> : tensor<4xi64>} : tensor<4xi64>
    ```
  }];
  let arguments = (ins OptionalAttr<ElementsAttr>:$value);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "attr-dict `:` type($output)";
  let hasVerifier = 1;
}

def TFPerf_CustomOp : TFPerf_Op<"custom"> {
  let summary = "An ONNX op tfperf has no dedicated op for";
  let description = [{
    Keeps the op type, domain, operands and attributes (as discardable
    attributes). Graph-valued attributes (If/Loop bodies) become regions,
    named in `subgraph_names`. Its cost is unknown: analyses report a row for
    it and never count it as zero.

    ```mlir
    %y = tfperf.custom "Foo"("my.domain") (%x) : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
  let arguments = (ins StrAttr:$op_type, StrAttr:$domain,
                   Variadic<AnyType>:$inputs,
                   OptionalAttr<StrArrayAttr>:$subgraph_names);
  let results = (outs Variadic<AnyType>:$outputs);
  let regions = (region VariadicRegion<AnyRegion>:$subgraphs);
  let assemblyFormat = [{
    $op_type `(` $domain `)` (`(` $inputs^ `)`)? attr-dict `:`
    functional-type($inputs, results) ($subgraphs^)?
  }];
}

def TFPerf_YieldOp : Op<TFPerf_Dialect, "yield", [Pure, Terminator, ReturnLike]> {
  let summary = "Returns the outputs of an imported ONNX subgraph";
  let arguments = (ins Variadic<AnyType>:$operands);
  let assemblyFormat = "($operands^ `:` type($operands))? attr-dict";
}

//===----------------------------------------------------------------------===//
// Elementwise math
//===----------------------------------------------------------------------===//

def TFPerf_AddOp : TFPerf_BinaryOp<"add", "Add", "elementwise sum",
    [TFPerf_ElementwiseMath]>;
def TFPerf_SubOp : TFPerf_BinaryOp<"sub", "Sub", "elementwise difference",
    [TFPerf_ElementwiseMath]>;
def TFPerf_MulOp : TFPerf_BinaryOp<"mul", "Mul", "elementwise product",
    [TFPerf_ElementwiseMath]>;
def TFPerf_DivOp : TFPerf_BinaryOp<"div", "Div", "elementwise quotient",
    [TFPerf_ElementwiseMath]>;
def TFPerf_PowOp : TFPerf_BinaryOp<"pow", "Pow", "elementwise power",
    [TFPerf_ElementwiseMath]>;
def TFPerf_EqualOp : TFPerf_BinaryOp<"equal", "Equal", "elementwise == (i1 result)",
    [TFPerf_BooleanLogic]>;
def TFPerf_GreaterOp : TFPerf_BinaryOp<"greater", "Greater", "elementwise > (i1 result)",
    [TFPerf_BooleanLogic]>;
def TFPerf_LessOp : TFPerf_BinaryOp<"less", "Less", "elementwise < (i1 result)",
    [TFPerf_BooleanLogic]>;
def TFPerf_AndOp : TFPerf_BinaryOp<"and", "And", "elementwise logical and",
    [TFPerf_BooleanLogic]>;
def TFPerf_OrOp : TFPerf_BinaryOp<"or", "Or", "elementwise logical or",
    [TFPerf_BooleanLogic]>;
def TFPerf_MinOp : TFPerf_VariadicOp<"min", "Min", "elementwise minimum">;
def TFPerf_MaxOp : TFPerf_VariadicOp<"max", "Max", "elementwise maximum">;
def TFPerf_SumOp : TFPerf_VariadicOp<"sum", "Sum", "elementwise sum of all inputs">;

def TFPerf_SqrtOp : TFPerf_UnaryOp<"sqrt", "Sqrt", "square root",
    [TFPerf_ElementwiseMath]>;
def TFPerf_ErfOp : TFPerf_UnaryOp<"erf", "Erf", "error function",
    [TFPerf_ElementwiseMath]>;
def TFPerf_TanhOp : TFPerf_UnaryOp<"tanh", "Tanh", "hyperbolic tangent",
    [TFPerf_ElementwiseMath]>;
def TFPerf_SigmoidOp : TFPerf_UnaryOp<"sigmoid", "Sigmoid", "logistic sigmoid",
    [TFPerf_ElementwiseMath]>;
def TFPerf_ReluOp : TFPerf_UnaryOp<"relu", "Relu", "max(x, 0)",
    [TFPerf_ElementwiseMath]>;
def TFPerf_CosOp : TFPerf_UnaryOp<"cos", "Cos", "cosine",
    [TFPerf_ElementwiseMath]>;
def TFPerf_SinOp : TFPerf_UnaryOp<"sin", "Sin", "sine",
    [TFPerf_ElementwiseMath]>;
def TFPerf_ExpOp : TFPerf_UnaryOp<"exp", "Exp", "exponential",
    [TFPerf_ElementwiseMath]>;
def TFPerf_LogOp : TFPerf_UnaryOp<"log", "Log", "natural logarithm",
    [TFPerf_ElementwiseMath]>;
def TFPerf_NegOp : TFPerf_UnaryOp<"neg", "Neg", "negation",
    [TFPerf_ElementwiseMath]>;
def TFPerf_AbsOp : TFPerf_UnaryOp<"abs", "Abs", "absolute value",
    [TFPerf_ElementwiseMath]>;
def TFPerf_NotOp : TFPerf_UnaryOp<"not", "Not", "logical not",
    [TFPerf_BooleanLogic]>;
def TFPerf_ReciprocalOp : TFPerf_UnaryOp<"reciprocal", "Reciprocal", "1 / x",
    [TFPerf_ElementwiseMath]>;
def TFPerf_SoftplusOp : TFPerf_UnaryOp<"softplus", "Softplus", "log(1 + exp(x))",
    [TFPerf_ElementwiseMath]>;
def TFPerf_IdentityOp : TFPerf_UnaryOp<"identity", "Identity", "the operand itself (a view)",
    [TFPerf_ViewLike, TFPerf_DataMovement]>;

def TFPerf_GeluOp : TFPerf_PureOp<"gelu",
    [TFPerf_ONNXName<"Gelu">, TFPerf_Elementwise, TFPerf_ElementwiseMath]> {
  let summary = "ONNX Gelu (opset 20)";
  let arguments = (ins AnyTensor:$input,
                   DefaultValuedAttr<StrAttr, "\"none\"">:$approximate);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def TFPerf_CastOp : TFPerf_PureOp<"cast",
    [TFPerf_ONNXName<"Cast">, TFPerf_Elementwise, TFPerf_ViewLike,
     TFPerf_DataMovement]> {
  let summary = "ONNX Cast: converts the element type to `to`";
  let arguments = (ins AnyTensor:$input, TypeAttr:$to);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def TFPerf_WhereOp : TFPerf_PureOp<"where",
    [TFPerf_ONNXName<"Where">, TFPerf_Elementwise, TFPerf_ElementwiseMath]> {
  let summary = "ONNX Where: select(condition, x, y) with broadcasting";
  let arguments = (ins AnyTensor:$condition, AnyTensor:$x, AnyTensor:$y);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$condition `,` $x `,` $y attr-dict `:` functional-type(operands, results)";
}

def TFPerf_ClipOp : TFPerf_PureOp<"clip",
    [TFPerf_ONNXName<"Clip">, TFPerf_Elementwise, TFPerf_ElementwiseMath,
     AttrSizedOperandSegments]> {
  let summary = "ONNX Clip: clamps to [min, max]";
  let arguments = (ins AnyTensor:$input, Optional<AnyTensor>:$min,
                   Optional<AnyTensor>:$max);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = [{
    $input (`min` `(` $min^ `)`)? (`max` `(` $max^ `)`)? attr-dict `:`
    functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Linear algebra and neural-network ops
//===----------------------------------------------------------------------===//

def TFPerf_MatMulOp : TFPerf_PureOp<"matmul",
    [TFPerf_ONNXName<"MatMul">, TFPerf_Contraction]> {
  let summary = "ONNX MatMul: numpy-style (batched, broadcast) matrix product";
  let description = [{
    ```mlir
    %y = tfperf.matmul %x, %w : (tensor<1x64x768xf32>, tensor<768x3072xf32>) -> tensor<1x64x3072xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$a, AnyTensor:$b);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$a `,` $b attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def TFPerf_GemmOp : TFPerf_PureOp<"gemm",
    [TFPerf_ONNXName<"Gemm">, TFPerf_Contraction]> {
  let summary = "ONNX Gemm: alpha * op(A) * op(B) + beta * C";
  let arguments = (ins AnyTensor:$a, AnyTensor:$b, Optional<AnyTensor>:$c,
                   DefaultValuedAttr<F32Attr, "1.0">:$alpha,
                   DefaultValuedAttr<F32Attr, "1.0">:$beta,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$transA,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$transB);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$a `,` $b (`,` $c^)? attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def TFPerf_ConvOp : TFPerf_PureOp<"conv",
    [TFPerf_ONNXName<"Conv">, TFPerf_Contraction]> {
  let summary = "ONNX Conv: N-d grouped convolution";
  let arguments = (ins AnyTensor:$x, AnyTensor:$w, Optional<AnyTensor>:$b,
                   DefaultValuedAttr<StrAttr, "\"NOTSET\"">:$auto_pad,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DefaultValuedAttr<TFPerf_I64Attr, "1">:$group,
                   OptionalAttr<DenseI64ArrayAttr>:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs AnyTensor:$y);
  let assemblyFormat = "$x `,` $w (`,` $b^)? attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def TFPerf_EinsumOp : TFPerf_PureOp<"einsum",
    [TFPerf_ONNXName<"Einsum">, TFPerf_Contraction]> {
  let summary = "ONNX Einsum";
  let description = [{
    Explicit (`ij,jk->ik`) or implicit equations, with `...` broadcasting.
    A one-operand equation is a transpose/reduction.
  }];
  let arguments = (ins Variadic<AnyTensor>:$inputs, StrAttr:$equation);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$inputs attr-dict `:` functional-type($inputs, results)";
  let hasVerifier = 1;
}

def TFPerf_SoftmaxOp : TFPerf_PureOp<"softmax", [TFPerf_ONNXName<"Softmax">]> {
  let summary = "ONNX Softmax";
  let description = [{
    `axis` is explicit: the importer writes ONNX's opset-dependent default
    (1 before opset 13, -1 from 13).
  }];
  let arguments = (ins AnyTensor:$input, DefaultValuedAttr<TFPerf_I64Attr, "-1">:$axis);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def TFPerf_LayerNormOp : TFPerf_PureOp<"layer_norm",
    [TFPerf_ONNXName<"LayerNormalization", "", ["com.microsoft"]>,
     TFPerf_Normalization]> {
  let summary = "ONNX LayerNormalization (also the pre-opset-17 ORT form)";
  let arguments = (ins AnyTensor:$x, AnyTensor:$scale, Optional<AnyTensor>:$bias,
                   DefaultValuedAttr<TFPerf_I64Attr, "-1">:$axis,
                   DefaultValuedAttr<F32Attr, "1e-5">:$epsilon,
                   DefaultValuedAttr<TFPerf_I64Attr, "1">:$stash_type);
  // Optional outputs form a tail: [Mean, InvStdDev] up to the last one used.
  let results = (outs AnyTensor:$y, Variadic<AnyTensor>:$stats);
  let assemblyFormat = "$x `,` $scale (`,` $bias^)? attr-dict `:` functional-type(operands, results)";
  let extraClassDeclaration = [{
    Value getMean() { return getStats().size() > 0 ? getStats()[0] : Value(); }
    Value getInvStdDev() { return getStats().size() > 1 ? getStats()[1] : Value(); }
  }];
  let hasVerifier = 1;
}

def TFPerf_InstanceNormOp : TFPerf_PureOp<"instance_norm",
    [TFPerf_ONNXName<"InstanceNormalization">, TFPerf_Normalization]> {
  let summary = "ONNX InstanceNormalization: per (n, c), (x - mean) / std * scale + B";
  let description = [{
    `input` [N, C, D1, ...]; mean and variance over D1, ... of each channel
    of each sample; `scale` and `B` [C].
  }];
  let arguments = (ins AnyTensor:$input, AnyTensor:$scale, AnyTensor:$B,
                   DefaultValuedAttr<F32Attr, "1e-5">:$epsilon);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$input `,` $scale `,` $B attr-dict `:` functional-type(operands, results)";
}

def TFPerf_LpNormOp : TFPerf_PureOp<"lp_norm",
    [TFPerf_ONNXName<"LpNormalization">, TFPerf_Normalization]> {
  let summary = "ONNX LpNormalization: x / ||x||_p along `axis`";
  let arguments = (ins AnyTensor:$input,
                   DefaultValuedAttr<TFPerf_I64Attr, "-1">:$axis,
                   DefaultValuedAttr<TFPerf_I64Attr, "2">:$p);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def TFPerf_ReduceMeanOp : TFPerf_ReduceOp<"reduce_mean", "ReduceMean">;
def TFPerf_ReduceProdOp : TFPerf_ReduceOp<"reduce_prod", "ReduceProd">;
def TFPerf_ReduceSumOp : TFPerf_ReduceOp<"reduce_sum", "ReduceSum">;
def TFPerf_ReduceMaxOp : TFPerf_ReduceOp<"reduce_max", "ReduceMax">;

//===----------------------------------------------------------------------===//
// Data movement and shape ops
//===----------------------------------------------------------------------===//

def TFPerf_ReshapeOp : TFPerf_PureOp<"reshape",
    [TFPerf_ONNXName<"Reshape">, TFPerf_ViewLike, TFPerf_DataMovement]> {
  let summary = "ONNX Reshape (a view: moves no data)";
  let arguments = (ins AnyTensor:$data, AnyTensor:$shape,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$allowzero);
  let results = (outs AnyTensor:$reshaped);
  let assemblyFormat = "$data `,` $shape attr-dict `:` functional-type(operands, results)";
}

def TFPerf_FlattenOp : TFPerf_PureOp<"flatten",
    [TFPerf_ONNXName<"Flatten">, TFPerf_ViewLike, TFPerf_DataMovement]> {
  let summary = "ONNX Flatten to 2-D at `axis` (a view)";
  let arguments = (ins AnyTensor:$input, DefaultValuedAttr<TFPerf_I64Attr, "1">:$axis);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def TFPerf_TransposeOp : TFPerf_PureOp<"transpose",
    [TFPerf_ONNXName<"Transpose">, TFPerf_ViewLike, TFPerf_DataMovement]> {
  let summary = "ONNX Transpose (reverses the dims when `perm` is absent)";
  let arguments = (ins AnyTensor:$data, OptionalAttr<DenseI64ArrayAttr>:$perm);
  let results = (outs AnyTensor:$transposed);
  let assemblyFormat = "$data attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def TFPerf_GatherOp : TFPerf_PureOp<"gather",
    [TFPerf_ONNXName<"Gather">, TFPerf_DataMovement]> {
  let summary = "ONNX Gather: take slices of `data` along `axis` at `indices`";
  let arguments = (ins AnyTensor:$data, AnyTensor:$indices,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$axis);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$data `,` $indices attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def TFPerf_SliceOp : TFPerf_PureOp<"slice",
    [TFPerf_ONNXName<"Slice">, TFPerf_DataMovement, AttrSizedOperandSegments]> {
  let summary = "ONNX Slice";
  let arguments = (ins AnyTensor:$data, AnyTensor:$starts, AnyTensor:$ends,
                   Optional<AnyTensor>:$axes, Optional<AnyTensor>:$steps);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = [{
    $data `,` $starts `,` $ends (`axes` `(` $axes^ `)`)? (`steps` `(` $steps^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def TFPerf_SplitOp : TFPerf_PureOp<"split",
    [TFPerf_ONNXName<"Split">, TFPerf_DataMovement]> {
  let summary = "ONNX Split";
  let description = [{
    Sizes come from the `split` input (opset 13+), the `static_split`
    attribute (before), or an equal split into the number of results.
  }];
  let arguments = (ins AnyTensor:$input, Optional<AnyTensor>:$split,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$axis,
                   OptionalAttr<DenseI64ArrayAttr>:$static_split,
                   OptionalAttr<TFPerf_I64Attr>:$num_outputs);
  let results = (outs Variadic<AnyTensor>:$outputs);
  let assemblyFormat = "$input (`,` $split^)? attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def TFPerf_ConcatOp : TFPerf_PureOp<"concat",
    [TFPerf_ONNXName<"Concat">, TFPerf_DataMovement]> {
  let summary = "ONNX Concat";
  let arguments = (ins Variadic<AnyTensor>:$inputs, TFPerf_I64Attr:$axis);
  let results = (outs AnyTensor:$concat_result);
  let assemblyFormat = "$inputs attr-dict `:` functional-type($inputs, results)";
  let hasVerifier = 1;
}

def TFPerf_UnsqueezeOp : TFPerf_PureOp<"unsqueeze",
    [TFPerf_ONNXName<"Unsqueeze">, TFPerf_ViewLike, TFPerf_DataMovement]> {
  let summary = "ONNX Unsqueeze (a view)";
  let arguments = (ins AnyTensor:$data, Optional<AnyTensor>:$axes,
                   OptionalAttr<DenseI64ArrayAttr>:$static_axes);
  let results = (outs AnyTensor:$expanded);
  let assemblyFormat = "$data (`,` $axes^)? attr-dict `:` functional-type(operands, results)";
}

def TFPerf_SqueezeOp : TFPerf_PureOp<"squeeze",
    [TFPerf_ONNXName<"Squeeze">, TFPerf_ViewLike, TFPerf_DataMovement]> {
  let summary = "ONNX Squeeze (a view)";
  let arguments = (ins AnyTensor:$data, Optional<AnyTensor>:$axes,
                   OptionalAttr<DenseI64ArrayAttr>:$static_axes);
  let results = (outs AnyTensor:$squeezed);
  let assemblyFormat = "$data (`,` $axes^)? attr-dict `:` functional-type(operands, results)";
}

def TFPerf_ExpandOp : TFPerf_PureOp<"expand",
    [TFPerf_ONNXName<"Expand">, TFPerf_DataMovement]> {
  let summary = "ONNX Expand: broadcast to `shape` (materializes the result)";
  let arguments = (ins AnyTensor:$input, AnyTensor:$shape);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$input `,` $shape attr-dict `:` functional-type(operands, results)";
}

def TFPerf_TileOp : TFPerf_PureOp<"tile",
    [TFPerf_ONNXName<"Tile">, TFPerf_DataMovement]> {
  let summary = "ONNX Tile";
  let arguments = (ins AnyTensor:$input, AnyTensor:$repeats);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$input `,` $repeats attr-dict `:` functional-type(operands, results)";
}

def TFPerf_ShapeOp : TFPerf_PureOp<"shape",
    [TFPerf_ONNXName<"Shape">, TFPerf_ShapeDerived]> {
  let summary = "ONNX Shape: the operand's dims as a 1-D i64 tensor";
  let arguments = (ins AnyTensor:$data, OptionalAttr<TFPerf_I64Attr>:$start,
                   OptionalAttr<TFPerf_I64Attr>:$end);
  let results = (outs AnyTensor:$shape);
  let assemblyFormat = "$data attr-dict `:` functional-type(operands, results)";
}

def TFPerf_ConstantOfShapeOp : TFPerf_PureOp<"constant_of_shape",
    [TFPerf_ONNXName<"ConstantOfShape">, TFPerf_ShapeDerived]> {
  let summary = "ONNX ConstantOfShape";
  let arguments = (ins AnyTensor:$input, OptionalAttr<ElementsAttr>:$value);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def TFPerf_RangeOp : TFPerf_PureOp<"range",
    [TFPerf_ONNXName<"Range">, TFPerf_ShapeDerived]> {
  let summary = "ONNX Range: [start, limit) by delta";
  let arguments = (ins AnyTensor:$start, AnyTensor:$limit, AnyTensor:$delta);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$start `,` $limit `,` $delta attr-dict `:` functional-type(operands, results)";
}

def TFPerf_DropoutOp : TFPerf_PureOp<"dropout",
    [TFPerf_ONNXName<"Dropout">, TFPerf_Elementwise, TFPerf_DataMovement,
     AttrSizedOperandSegments]> {
  let summary = "ONNX Dropout (identity at inference)";
  let arguments = (ins AnyTensor:$data, Optional<AnyTensor>:$ratio,
                   Optional<AnyTensor>:$training_mode);
  let results = (outs AnyTensor:$output, Optional<AnyTensor>:$mask);
  let assemblyFormat = [{
    $data (`ratio` `(` $ratio^ `)`)? (`training_mode` `(` $training_mode^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// com.microsoft contrib ops (onnxruntime fusions)
//===----------------------------------------------------------------------===//

def TFPerf_MSAttentionOp : TFPerf_PureOp<"ms.attention",
    [TFPerf_ONNXName<"Attention", "com.microsoft">, TFPerf_FusedAttention, AttrSizedOperandSegments]> {
  let summary = "com.microsoft Attention: fused QKV projection + attention";
  let description = [{
    `input` [B, S, D_in] times `weights` [D_in, D_q + D_k + D_v] (+ `bias`),
    split into `num_heads` heads, softmax(Q K^T * scale + mask) V. With
    `past` [2, B, N, P, H] the keys/values are prepended by the cache and
    `present` [2, B, N, P + S, H] is returned.
  }];
  let arguments = (ins AnyTensor:$input, AnyTensor:$weights,
                   Optional<AnyTensor>:$bias, Optional<AnyTensor>:$mask_index,
                   Optional<AnyTensor>:$past,
                   Optional<AnyTensor>:$relative_position_bias,
                   Optional<AnyTensor>:$past_sequence_length,
                   TFPerf_I64Attr:$num_heads,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$unidirectional,
                   OptionalAttr<DenseI64ArrayAttr>:$qkv_hidden_sizes,
                   OptionalAttr<F32Attr>:$scale);
  let results = (outs AnyTensor:$output, Optional<AnyTensor>:$present);
  let assemblyFormat = [{
    $input `,` $weights (`bias` `(` $bias^ `)`)? (`mask` `(` $mask_index^ `)`)?
    (`past` `(` $past^ `)`)? (`rel_pos_bias` `(` $relative_position_bias^ `)`)?
    (`past_seq_len` `(` $past_sequence_length^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def TFPerf_MSMultiHeadAttentionOp : TFPerf_PureOp<"ms.multi_head_attention",
    [TFPerf_ONNXName<"MultiHeadAttention", "com.microsoft">, TFPerf_FusedAttention, AttrSizedOperandSegments]> {
  let summary = "com.microsoft MultiHeadAttention on projected Q, K, V";
  let description = [{
    `query` [B, S, D]; `key`/`value` [B, L, D] (or already per-head
    [B, N, L, H], e.g. cross-attention caches); optional `past_key` /
    `past_value` [B, N, P, H] are concatenated in front and returned as
    `present_key` / `present_value`. With `past_sequence_length` the caches
    are shared buffers [B, N, max_sequence_length, H] of which the first
    past_sequence_length + L keys are valid; `cache_indirection`
    [B, beam, max_sequence_length] says which beam each cached token came
    from; `qk` returns the scaled scores [B, N, S, total].
  }];
  let arguments = (ins AnyTensor:$query, Optional<AnyTensor>:$key,
                   Optional<AnyTensor>:$value, Optional<AnyTensor>:$bias,
                   Optional<AnyTensor>:$key_padding_mask,
                   Optional<AnyTensor>:$attention_bias,
                   Optional<AnyTensor>:$past_key, Optional<AnyTensor>:$past_value,
                   Optional<AnyTensor>:$past_sequence_length,
                   Optional<AnyTensor>:$cache_indirection,
                   TFPerf_I64Attr:$num_heads,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$unidirectional,
                   OptionalAttr<F32Attr>:$scale);
  // Optional outputs form a tail: [present_key, present_value, qk].
  let results = (outs AnyTensor:$output, Variadic<AnyTensor>:$presents);
  let extraClassDeclaration = [{
    Value getPresentKey() { return getPresents().size() > 0 ? getPresents()[0] : Value(); }
    Value getPresentValue() { return getPresents().size() > 1 ? getPresents()[1] : Value(); }
    Value getQk() { return getPresents().size() > 2 ? getPresents()[2] : Value(); }
  }];
  let assemblyFormat = [{
    $query (`key` `(` $key^ `)`)? (`value` `(` $value^ `)`)? (`bias` `(` $bias^ `)`)?
    (`key_padding_mask` `(` $key_padding_mask^ `)`)?
    (`attention_bias` `(` $attention_bias^ `)`)?
    (`past_key` `(` $past_key^ `)`)? (`past_value` `(` $past_value^ `)`)?
    (`past_sequence_length` `(` $past_sequence_length^ `)`)?
    (`cache_indirection` `(` $cache_indirection^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def TFPerf_MSDecoderMaskedMultiHeadAttentionOp
    : TFPerf_PureOp<"ms.decoder_masked_multi_head_attention",
    [TFPerf_ONNXName<"DecoderMaskedMultiHeadAttention", "com.microsoft">,
     TFPerf_FusedAttention, AttrSizedOperandSegments]> {
  let summary = "com.microsoft DecoderMaskedMultiHeadAttention: one decoding "
                "step of MultiHeadAttention";
  let description = [{
    onnxruntime's decoding kernel: `query` [B, 1, D] (or packed Q, K, V
    [B, 1, 2 D + D_v]); self attention takes the new `key`/`value`
    [B, 1, D] and the caches `past_key`/`past_value` [B, N, P, H] (with
    `past_present_share_buffer`, buffers [B, N, max_sequence_length, H] of
    which past_sequence_length keys are valid); cross attention takes
    `key`/`value` as the cross caches [B, N, L, H]. `cache_indirection`
    [B, beam_width, max_sequence_length] maps each cached token to its beam;
    `qk` (with `output_qk`) returns the scores [B, N, 1, total].
  }];
  let arguments = (ins AnyTensor:$query, Optional<AnyTensor>:$key,
                   Optional<AnyTensor>:$value, Optional<AnyTensor>:$mask_index,
                   Optional<AnyTensor>:$attention_bias,
                   Optional<AnyTensor>:$past_key, Optional<AnyTensor>:$past_value,
                   Optional<AnyTensor>:$past_sequence_length,
                   Optional<AnyTensor>:$beam_width,
                   Optional<AnyTensor>:$cache_indirection,
                   Optional<AnyTensor>:$bias,
                   TFPerf_I64Attr:$num_heads,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$past_present_share_buffer,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$output_qk,
                   OptionalAttr<F32Attr>:$scale,
                   OptionalAttr<F32Attr>:$mask_filter_value);
  // Optional outputs form a tail: [present_key, present_value, qk].
  let results = (outs AnyTensor:$output, Variadic<AnyTensor>:$presents);
  let extraClassDeclaration = [{
    Value getPresentKey() { return getPresents().size() > 0 ? getPresents()[0] : Value(); }
    Value getPresentValue() { return getPresents().size() > 1 ? getPresents()[1] : Value(); }
    Value getQk() { return getPresents().size() > 2 ? getPresents()[2] : Value(); }
  }];
  let assemblyFormat = [{
    $query (`key` `(` $key^ `)`)? (`value` `(` $value^ `)`)?
    (`mask_index` `(` $mask_index^ `)`)?
    (`attention_bias` `(` $attention_bias^ `)`)?
    (`past_key` `(` $past_key^ `)`)? (`past_value` `(` $past_value^ `)`)?
    (`past_sequence_length` `(` $past_sequence_length^ `)`)?
    (`beam_width` `(` $beam_width^ `)`)?
    (`cache_indirection` `(` $cache_indirection^ `)`)?
    (`bias` `(` $bias^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def TFPerf_MSGroupQueryAttentionOp : TFPerf_PureOp<"ms.group_query_attention",
    [TFPerf_ONNXName<"GroupQueryAttention", "com.microsoft">, TFPerf_FusedAttention, AttrSizedOperandSegments]> {
  let summary = "com.microsoft GroupQueryAttention: causal attention with fewer KV heads";
  let description = [{
    `query` [B, S, N*H] (or packed Q, K, V [B, S, (N + 2 Nkv) * H] when
    `key` is absent), `key`/`value` [B, S, Nkv*H], caches `past_key` /
    `past_value` [B, Nkv, P, H]; returns `present_key` / `present_value`
    [B, Nkv, P + S, H] (and `output_qk`, the scores, when asked). Each group
    of N / Nkv query heads shares one KV head. `do_rotary` applies RoPE to
    Q and K from `cos_cache`/`sin_cache`; `local_window_size` w >= 0 limits
    the query at position p to keys p - w .. p (a sliding window of w + 1
    keys); `softcap`
    caps the scores (tanh); `q_norm_weight`/`k_norm_weight` add a per-head
    RMSNorm of Q and K. A quantized cache (`k_quant_type` PER_TENSOR or
    PER_CHANNEL, `kv_cache_bit_width` 8 or 4) is stored as int8/uint8
    (two 4-bit values per byte) with `k_scale`/`v_scale`.
  }];
  let arguments = (ins AnyTensor:$query, Optional<AnyTensor>:$key,
                   Optional<AnyTensor>:$value, Optional<AnyTensor>:$past_key,
                   Optional<AnyTensor>:$past_value,
                   Optional<AnyTensor>:$seqlens_k,
                   Optional<AnyTensor>:$total_sequence_length,
                   Optional<AnyTensor>:$cos_cache,
                   Optional<AnyTensor>:$sin_cache,
                   Optional<AnyTensor>:$position_ids,
                   Optional<AnyTensor>:$attention_bias,
                   Optional<AnyTensor>:$head_sink,
                   Optional<AnyTensor>:$k_scale, Optional<AnyTensor>:$v_scale,
                   Optional<AnyTensor>:$q_norm_weight,
                   Optional<AnyTensor>:$k_norm_weight,
                   TFPerf_I64Attr:$num_heads, TFPerf_I64Attr:$kv_num_heads,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$do_rotary,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$rotary_interleaved,
                   DefaultValuedAttr<TFPerf_I64Attr, "-1">:$local_window_size,
                   OptionalAttr<F32Attr>:$softcap,
                   OptionalAttr<F32Attr>:$scale,
                   DefaultValuedAttr<TFPerf_I64Attr, "-1">:$smooth_softmax,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$qk_output,
                   DefaultValuedAttr<StrAttr, "\"NONE\"">:$k_quant_type,
                   DefaultValuedAttr<StrAttr, "\"NONE\"">:$v_quant_type,
                   OptionalAttr<TFPerf_I64Attr>:$kv_cache_bit_width);
  // Optional outputs form a tail: [present_key, present_value, output_qk].
  let results = (outs AnyTensor:$output, Variadic<AnyTensor>:$presents);
  let extraClassDeclaration = [{
    Value getPresentKey() { return getPresents().size() > 0 ? getPresents()[0] : Value(); }
    Value getPresentValue() { return getPresents().size() > 1 ? getPresents()[1] : Value(); }
    Value getOutputQk() { return getPresents().size() > 2 ? getPresents()[2] : Value(); }
  }];
  let assemblyFormat = [{
    $query (`key` `(` $key^ `)`)? (`value` `(` $value^ `)`)?
    (`past_key` `(` $past_key^ `)`)? (`past_value` `(` $past_value^ `)`)?
    (`seqlens_k` `(` $seqlens_k^ `)`)?
    (`total_sequence_length` `(` $total_sequence_length^ `)`)?
    (`cos_cache` `(` $cos_cache^ `)`)? (`sin_cache` `(` $sin_cache^ `)`)?
    (`position_ids` `(` $position_ids^ `)`)?
    (`attention_bias` `(` $attention_bias^ `)`)?
    (`head_sink` `(` $head_sink^ `)`)?
    (`k_scale` `(` $k_scale^ `)`)? (`v_scale` `(` $v_scale^ `)`)?
    (`q_norm_weight` `(` $q_norm_weight^ `)`)?
    (`k_norm_weight` `(` $k_norm_weight^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def TFPerf_MSRotaryEmbeddingOp : TFPerf_PureOp<"ms.rotary_embedding",
    [TFPerf_ONNXName<"RotaryEmbedding", "com.microsoft">, TFPerf_ElementwiseMath]> {
  let summary = "com.microsoft RotaryEmbedding: RoPE with cos/sin caches";
  let arguments = (ins AnyTensor:$input, AnyTensor:$position_ids,
                   AnyTensor:$cos_cache, AnyTensor:$sin_cache,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$interleaved,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$num_heads,
                   DefaultValuedAttr<TFPerf_I64Attr, "0">:$rotary_embedding_dim);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$input `,` $position_ids `,` $cos_cache `,` $sin_cache attr-dict `:` functional-type(operands, results)";
}

def TFPerf_MSSimplifiedLayerNormOp : TFPerf_PureOp<"ms.simplified_layer_norm",
    [TFPerf_ONNXName<"SimplifiedLayerNormalization", "", ["com.microsoft"]>,
     TFPerf_Normalization]> {
  let summary = "SimplifiedLayerNormalization: RMSNorm (x / rms(x) * scale)";
  let arguments = (ins AnyTensor:$x, AnyTensor:$scale,
                   DefaultValuedAttr<TFPerf_I64Attr, "-1">:$axis,
                   DefaultValuedAttr<F32Attr, "1e-5">:$epsilon);
  // Optional output tail: [inv_std_var].
  let results = (outs AnyTensor:$y, Variadic<AnyTensor>:$stats);
  let assemblyFormat = "$x `,` $scale attr-dict `:` functional-type(operands, results)";
}

def TFPerf_MSSkipSimplifiedLayerNormOp : TFPerf_PureOp<"ms.skip_simplified_layer_norm",
    [TFPerf_ONNXName<"SkipSimplifiedLayerNormalization", "com.microsoft">,
     TFPerf_Normalization]> {
  let summary = "com.microsoft SkipSimplifiedLayerNormalization: RMSNorm(input + skip (+ bias))";
  let arguments = (ins AnyTensor:$input, AnyTensor:$skip, AnyTensor:$gamma,
                   Optional<AnyTensor>:$bias, OptionalAttr<F32Attr>:$epsilon);
  // Optional outputs form a tail: [mean, inv_std_var, input_skip_bias_sum].
  let results = (outs AnyTensor:$output, Variadic<AnyTensor>:$extras);
  let extraClassDeclaration = [{
    Value getInputSkipBiasSum() { return getExtras().size() > 2 ? getExtras()[2] : Value(); }
  }];
  let assemblyFormat = [{
    $input `,` $skip `,` $gamma (`,` $bias^)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def TFPerf_MSFastGeluOp : TFPerf_PureOp<"ms.fast_gelu",
    [TFPerf_ONNXName<"FastGelu", "com.microsoft">, TFPerf_Elementwise,
     TFPerf_ElementwiseMath]> {
  let summary = "com.microsoft FastGelu: tanh-approximated GELU of x (+ bias)";
  let arguments = (ins AnyTensor:$x, Optional<AnyTensor>:$bias);
  let results = (outs AnyTensor:$y);
  let assemblyFormat = "$x (`,` $bias^)? attr-dict `:` functional-type(operands, results)";
}

def TFPerf_MSBiasGeluOp : TFPerf_PureOp<"ms.bias_gelu",
    [TFPerf_ONNXName<"BiasGelu", "com.microsoft">, TFPerf_Elementwise,
     TFPerf_ElementwiseMath]> {
  let summary = "com.microsoft BiasGelu: erf GELU of (a + bias)";
  let arguments = (ins AnyTensor:$a, AnyTensor:$bias);
  let results = (outs AnyTensor:$c);
  let assemblyFormat = "$a `,` $bias attr-dict `:` functional-type(operands, results)";
}

def TFPerf_MSSkipLayerNormOp : TFPerf_PureOp<"ms.skip_layer_norm",
    [TFPerf_ONNXName<"SkipLayerNormalization", "com.microsoft">, TFPerf_Normalization, AttrSizedOperandSegments]> {
  let summary = "com.microsoft SkipLayerNormalization: LayerNorm(input + skip (+ bias))";
  let arguments = (ins AnyTensor:$input, AnyTensor:$skip, AnyTensor:$gamma,
                   Optional<AnyTensor>:$beta, Optional<AnyTensor>:$bias,
                   OptionalAttr<F32Attr>:$epsilon);
  // Optional outputs form a tail: [mean, inv_std_var, input_skip_bias_sum].
  let results = (outs AnyTensor:$output, Variadic<AnyTensor>:$extras);
  let extraClassDeclaration = [{
    Value getMean() { return getExtras().size() > 0 ? getExtras()[0] : Value(); }
    Value getInvStdVar() { return getExtras().size() > 1 ? getExtras()[1] : Value(); }
    Value getInputSkipBiasSum() { return getExtras().size() > 2 ? getExtras()[2] : Value(); }
  }];
  let assemblyFormat = [{
    $input `,` $skip `,` $gamma (`beta` `(` $beta^ `)`)? (`bias` `(` $bias^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def TFPerf_MSEmbedLayerNormOp : TFPerf_PureOp<"ms.embed_layer_norm",
    [TFPerf_ONNXName<"EmbedLayerNormalization", "com.microsoft">, TFPerf_Normalization, AttrSizedOperandSegments]> {
  let summary = "com.microsoft EmbedLayerNormalization: word + position (+ segment) embedding lookup, then LayerNorm";
  let arguments = (ins AnyTensor:$input_ids, Optional<AnyTensor>:$segment_ids,
                   AnyTensor:$word_embedding, AnyTensor:$position_embedding,
                   Optional<AnyTensor>:$segment_embedding, AnyTensor:$gamma,
                   AnyTensor:$beta, Optional<AnyTensor>:$mask,
                   Optional<AnyTensor>:$position_ids,
                   OptionalAttr<F32Attr>:$epsilon);
  // Optional outputs form a tail: [mask_index, embedding_sum].
  let results = (outs AnyTensor:$output, Variadic<AnyTensor>:$extras);
  let extraClassDeclaration = [{
    Value getMaskIndex() { return getExtras().size() > 0 ? getExtras()[0] : Value(); }
    Value getEmbeddingSum() { return getExtras().size() > 1 ? getExtras()[1] : Value(); }
  }];
  let hasVerifier = 1;
  let assemblyFormat = [{
    $input_ids (`segment_ids` `(` $segment_ids^ `)`)? `,` $word_embedding `,`
    $position_embedding (`segment_embedding` `(` $segment_embedding^ `)`)? `,`
    $gamma `,` $beta (`mask` `(` $mask^ `)`)? (`position_ids` `(` $position_ids^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def TFPerf_MSBeamSearchOp : TFPerf_Op<"ms.beam_search",
    [TFPerf_ONNXName<"BeamSearch", "com.microsoft">, AttrSizedOperandSegments]> {
  let summary = "com.microsoft BeamSearch around decoder (and encoder) subgraphs";
  let description = [{
    The subgraphs (`decoder`, `encoder`, `init_decoder` graph attributes) are
    regions named by `subgraph_names`. With max_length and num_beams known,
    a whole-graph cost runs the subgraphs as onnxruntime does, with no early
    stop (an upper bound): an encoder-decoder (model_type 1) runs its
    encoder once and its decoder max_length - 2 times, its past one token
    longer each run; Whisper (model_type 2) the same from decoder_input_ids'
    L0 tokens, the encoder on input_features, the decoder max_length - L0 - 1
    times; a decoder-only model (model_type 0, GPT-2) runs its decoder
    max_length - prompt times, the first run (or `init_decoder`) over the
    whole prompt with no past, each later run one token per beam after a
    past one token longer. With past_present_share_buffer an attention over
    past_sequence_length costs the valid keys. The search's own scoring is
    costed per step. Phases and serving cost one decoding step
    (BeamSearchSchedule.h, docs/CostModel.md).
  }];
  let arguments = (ins AnyTensor:$input_ids, AnyTensor:$max_length,
                   Optional<AnyTensor>:$min_length, AnyTensor:$num_beams,
                   AnyTensor:$num_return_sequences,
                   Optional<AnyTensor>:$length_penalty,
                   Optional<AnyTensor>:$repetition_penalty,
                   Optional<AnyTensor>:$vocab_mask,
                   Optional<AnyTensor>:$prefix_vocab_mask,
                   Optional<AnyTensor>:$attention_mask,
                   Optional<AnyTensor>:$decoder_input_ids,
                   Optional<AnyTensor>:$logits_processor,
                   StrArrayAttr:$subgraph_names);
  // Optional outputs form a tail: [sequences_scores, scores].
  let results = (outs AnyTensor:$sequences, Variadic<AnyTensor>:$extras);
  let extraClassDeclaration = [{
    Value getSequencesScores() { return getExtras().size() > 0 ? getExtras()[0] : Value(); }
    Value getScores() { return getExtras().size() > 1 ? getExtras()[1] : Value(); }
  }];
  let regions = (region VariadicRegion<AnyRegion>:$subgraphs);
  // Printed in the generic form: a dozen optional operands read best there.
}

def TFPerf_MSWhisperBeamSearchOp : TFPerf_Op<"ms.whisper_beam_search",
    [TFPerf_ONNXName<"WhisperBeamSearch", "com.microsoft">, AttrSizedOperandSegments]> {
  let summary = "com.microsoft WhisperBeamSearch around Whisper's encoder and "
                "decoder subgraphs";
  let description = [{
    BeamSearch for Whisper (model_type 2, the only one it takes): input 0 is
    input_features [batch, feature_size, frames] and the schedule is
    BeamSearch's for Whisper (`ms.beam_search`). It adds
    `cross_qk_layer_head` [n, 2], `extra_decoding_ids` [batch, len] and
    `temperature` [1], and the results `cross_qk`
    [batch, num_return_sequences, L * H (or n), T, frames] and
    `non_speech_probs` [batch].
  }];
  let arguments = (ins AnyTensor:$input_ids, AnyTensor:$max_length,
                   Optional<AnyTensor>:$min_length, AnyTensor:$num_beams,
                   AnyTensor:$num_return_sequences,
                   Optional<AnyTensor>:$length_penalty,
                   Optional<AnyTensor>:$repetition_penalty,
                   Optional<AnyTensor>:$vocab_mask,
                   Optional<AnyTensor>:$prefix_vocab_mask,
                   Optional<AnyTensor>:$attention_mask,
                   Optional<AnyTensor>:$decoder_input_ids,
                   Optional<AnyTensor>:$logits_processor,
                   Optional<AnyTensor>:$cross_qk_layer_head,
                   Optional<AnyTensor>:$extra_decoding_ids,
                   Optional<AnyTensor>:$temperature,
                   StrArrayAttr:$subgraph_names);
  // Optional outputs form a tail: [sequences_scores, scores, cross_qk,
  // non_speech_probs].
  let results = (outs AnyTensor:$sequences, Variadic<AnyTensor>:$extras);
  let extraClassDeclaration = [{
    Value getSequencesScores() { return getExtras().size() > 0 ? getExtras()[0] : Value(); }
    Value getScores() { return getExtras().size() > 1 ? getExtras()[1] : Value(); }
    Value getCrossQk() { return getExtras().size() > 2 ? getExtras()[2] : Value(); }
    Value getNonSpeechProbs() { return getExtras().size() > 3 ? getExtras()[3] : Value(); }
  }];
  let regions = (region VariadicRegion<AnyRegion>:$subgraphs);
  // Printed in the generic form, as BeamSearch.
}

// GreedySearch and Sampling run a decoder-only model's decoder as a
// BeamSearch of one beam does (onnxruntime greedy_search_impl_gpt.h).
def TFPerf_MSGreedySearchOp : TFPerf_Op<"ms.greedy_search",
    [TFPerf_ONNXName<"GreedySearch", "com.microsoft">, AttrSizedOperandSegments]> {
  let summary = "com.microsoft GreedySearch around a decoder subgraph";
  let description = [{
    The subgraphs (`decoder`, `init_decoder`, `encoder`) are regions named
    by `subgraph_names`. A decoder-only search (model_type 0) is costed as a
    BeamSearch of one beam: the decoder max_length - prompt times, the first
    run over the prompt, and the choice of each token over the vocabulary;
    an upper bound, EOS may end it sooner. Phases and serving cost one
    decoding step (BeamSearchSchedule.h, docs/CostModel.md).
  }];
  let arguments = (ins AnyTensor:$input_ids, AnyTensor:$max_length,
                   Optional<AnyTensor>:$min_length,
                   Optional<AnyTensor>:$repetition_penalty,
                   Optional<AnyTensor>:$vocab_mask,
                   Optional<AnyTensor>:$prefix_vocab_mask,
                   Optional<AnyTensor>:$attention_mask,
                   StrArrayAttr:$subgraph_names);
  let results = (outs AnyTensor:$sequences);
  let regions = (region VariadicRegion<AnyRegion>:$subgraphs);
  // Printed in the generic form, as BeamSearch: many optional operands.
}

def TFPerf_MSSamplingOp : TFPerf_Op<"ms.sampling",
    [TFPerf_ONNXName<"Sampling", "com.microsoft">, AttrSizedOperandSegments]> {
  let summary = "com.microsoft Sampling around a decoder subgraph";
  let description = [{
    GreedySearch that samples each token from the filtered distribution
    (`temperature`, `top_p`); costed as `ms.greedy_search`. The optional
    `filtered_logits` result is [batch, vocabulary].
  }];
  let arguments = (ins AnyTensor:$input_ids, AnyTensor:$max_length,
                   Optional<AnyTensor>:$min_length,
                   Optional<AnyTensor>:$repetition_penalty,
                   Optional<AnyTensor>:$vocab_mask,
                   Optional<AnyTensor>:$prefix_vocab_mask,
                   Optional<AnyTensor>:$attention_mask,
                   Optional<AnyTensor>:$presence_mask,
                   Optional<AnyTensor>:$seed,
                   StrArrayAttr:$subgraph_names);
  // Optional outputs form a tail: [filtered_logits].
  let results = (outs AnyTensor:$sequences, Variadic<AnyTensor>:$extras);
  let regions = (region VariadicRegion<AnyRegion>:$subgraphs);
}

// The ai.onnx ops of opsets 18-27 (attention, RMSNorm, RoPE, KV caches).
include "tfperf/Dialect/TFPerf/IR/TFPerfOpsOpset23.td"
// Indexing and routing ops (TopK, NonZero, scatters, gathers, ...).
include "tfperf/Dialect/TFPerf/IR/TFPerfOpsIndexing.td"
// Quantized ops (their own file).
include "tfperf/Dialect/TFPerf/IR/TFPerfQuantOps.td"
// onnxruntime's fused Mixture-of-Experts ops (MoE, QMoE).
include "tfperf/Dialect/TFPerf/IR/TFPerfOpsMoE.td"
include "tfperf/Dialect/TFPerf/IR/TFPerfOpsGenAIAttention.td"
// The com.microsoft ops of onnxruntime-genai's hybrid Qwen3.5 / Qwen3-VL
// stacks (MRotaryEmbedding, LinearAttentionGate, GatedRMSNorm, GatedAdd).
include "tfperf/Dialect/TFPerf/IR/TFPerfOpsGenAIHybrid.td"
// ai.onnx If, Loop and Scan.
include "tfperf/Dialect/TFPerf/IR/TFPerfOpsControlFlow.td"

#endif // TFPERF_OPS_TD
