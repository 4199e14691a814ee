//===- AnalysisEnums.td - names the analyses print --------*- tablegen -*-===//
//
// The enums whose names appear in reports and in data/hardware.json: each
// case's string is its spelling there, generated once (stringify/symbolize).
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_ENUMS
#define TFPERF_ANALYSIS_ENUMS

include "mlir/IR/EnumAttr.td"

class TFPerf_AnalysisEnum<string name, string summary,
                          list<I32EnumAttrCase> cases>
    : I32EnumAttr<name, summary, cases> {
  let cppNamespace = "::mlir::tfperf";
  let genSpecializedAttr = 0;
}

def TFPerf_Bound : TFPerf_AnalysisEnum<"Bound",
    "what limits an op on a device's roofline", [
  I32EnumAttrCase<"Memory", 0, "memory">,
  I32EnumAttrCase<"Compute", 1, "compute">,
  I32EnumAttrCase<"Unknown", 2, "unknown">]>;

// Embedding, Attention (projections, RoPE, head reshapes, residual add),
// AttentionScores (Q K^T, scale, mask, softmax, P V), MLP, Norm, Head, Other.
def TFPerf_BlockKind : TFPerf_AnalysisEnum<"BlockKind",
    "the transformer block an op belongs to", [
  I32EnumAttrCase<"Embedding", 0, "embedding">,
  I32EnumAttrCase<"Attention", 1, "attention">,
  I32EnumAttrCase<"AttentionScores", 2, "attention_scores">,
  I32EnumAttrCase<"MLP", 3, "mlp">,
  I32EnumAttrCase<"Norm", 4, "norm">,
  I32EnumAttrCase<"Head", 5, "head">,
  I32EnumAttrCase<"Other", 6, "other">]>;

// What the time model prices a kernel as (docs/TimeModel.md): a GEMM, flash
// attention, or one of the memory-bound classes; the strings are the keys of
// hardware.json's calibration objects.
def TFPerf_KernelClass : TFPerf_AnalysisEnum<"KernelClass",
    "the time model's kernel class", [
  I32EnumAttrCase<"Gemm", 0, "gemm">,
  I32EnumAttrCase<"Attention", 1, "attention">,
  I32EnumAttrCase<"Add", 2, "add">,
  I32EnumAttrCase<"RMSNorm", 3, "rmsnorm">,
  I32EnumAttrCase<"LayerNorm", 4, "layernorm">,
  I32EnumAttrCase<"Softmax", 5, "softmax">,
  I32EnumAttrCase<"ActSiluMul", 6, "act_silu_mul">,
  I32EnumAttrCase<"ActGelu", 7, "act_gelu">,
  I32EnumAttrCase<"Rope", 8, "rope">,
  I32EnumAttrCase<"Gather", 9, "gather">]>;

#endif // TFPERF_ANALYSIS_ENUMS
