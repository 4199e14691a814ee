//===- ParallelSplitEnums.td - how an op splits -----------*- tablegen -*-===//
//
// The split kinds and collectives of ParallelSplitOpInterface; each case's
// string is its spelling in reports.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_PARALLEL_SPLIT_ENUMS
#define TFPERF_PARALLEL_SPLIT_ENUMS

include "mlir/IR/EnumAttr.td"

class TFPerf_SplitEnum<string name, string summary,
                       list<I32EnumAttrCase> cases>
    : I32EnumAttr<name, summary, cases> {
  let cppNamespace = "::mlir::tfperf";
  let genSpecializedAttr = 0;
}

// Replicated: every device runs the whole op. Column: weight split by output
// columns; output split, no collective. Row: weight split by the contracted
// dim; partial sums, all-reduce. Heads: attention split by heads (scores,
// softmax, fused attention). Vocab: embedding rows / lm-head columns split
// by vocabulary. Sharded: runs on its slice of a split activation (GELU,
// RoPE, views).
def TFPerf_SplitKind : TFPerf_SplitEnum<"SplitKind",
    "how an op runs under tensor parallelism", [
  I32EnumAttrCase<"Replicated", 0, "replicated">,
  I32EnumAttrCase<"Column", 1, "column">,
  I32EnumAttrCase<"Row", 2, "row">,
  I32EnumAttrCase<"Heads", 3, "heads">,
  I32EnumAttrCase<"Vocab", 4, "vocab">,
  I32EnumAttrCase<"Sharded", 5, "sharded">]>;

def TFPerf_Collective : TFPerf_SplitEnum<"Collective",
    "the collective after a split op", [
  I32EnumAttrCase<"None", 0, "">,
  I32EnumAttrCase<"AllReduce", 1, "all_reduce">,
  I32EnumAttrCase<"AllGather", 2, "all_gather">,
  I32EnumAttrCase<"AllToAll", 3, "all_to_all">]>;

#endif // TFPERF_PARALLEL_SPLIT_ENUMS
