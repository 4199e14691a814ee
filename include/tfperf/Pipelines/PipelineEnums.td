//===- PipelineEnums.td - the analyze pipeline's choices --*- tablegen -*-===//
//
// The enum options of the tfperf-analyze pipeline and the drivers' flags;
// each case's string is the spelling the flags accept.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_PIPELINE_ENUMS
#define TFPERF_PIPELINE_ENUMS

include "mlir/IR/EnumAttr.td"

class TFPerf_PipelineEnum<string name, string summary,
                          list<I32EnumAttrCase> cases>
    : I32EnumAttr<name, summary, cases> {
  let cppNamespace = "::mlir::tfperf";
  let genSpecializedAttr = 0;
}

// FromExtension reads the format off each report file's extension (`-` is
// text).
def TFPerf_ReportFormat : TFPerf_PipelineEnum<"ReportFormat",
    "the format of a report file", [
  I32EnumAttrCase<"FromExtension", 0, "auto">,
  I32EnumAttrCase<"Text", 1, "text">,
  I32EnumAttrCase<"JSON", 2, "json">,
  I32EnumAttrCase<"CSV", 3, "csv">,
  I32EnumAttrCase<"Markdown", 4, "md">,
  I32EnumAttrCase<"HTML", 5, "html">]>;

def TFPerf_AnalysisPhase : TFPerf_PipelineEnum<"AnalysisPhase",
    "which transformer phases the analysis costs", [
  I32EnumAttrCase<"Prefill", 0, "prefill">,
  I32EnumAttrCase<"Decode", 1, "decode">,
  I32EnumAttrCase<"Both", 2, "both">]>;

// Inference, or a training step (backward pass, optimizer, activations).
def TFPerf_AnalysisMode : TFPerf_PipelineEnum<"AnalysisMode",
    "inference or a training step", [
  I32EnumAttrCase<"Infer", 0, "infer">,
  I32EnumAttrCase<"Train", 1, "train">]>;

#endif // TFPERF_PIPELINE_ENUMS
