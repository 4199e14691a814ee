//===- TransformerStructure.h - layers, blocks and dims of a graph -*- C++ -*-===//
//
// Recognises a transformer in a function of tfperf ops, from the graph alone
// (no model names, no configs): attention cores (Q K^T -> softmax -> P V, or
// a fused com.microsoft attention op) with their Q/K/V/output projections,
// MLPs (including gated ones), norms (explicit or decomposed), embeddings,
// the head, and the repeating layer. Every op gets a layer index and a
// block kind; the model's dims are inferred. An MLIR analysis: built from a
// func.func, never mutates IR. docs/TransformerAnalysis.md explains the
// rules.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_TRANSFORMERSTRUCTURE_H
#define TFPERF_ANALYSIS_TRANSFORMERSTRUCTURE_H

#include "tfperf/Analysis/AnalysisEnums.h"
#include "tfperf/Analysis/ConfigInvalidation.h"
#include "tfperf/Dialect/TFPerf/IR/OpFamilies.h"
#include "tfperf/Support/SymExpr.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Operation.h"
#include "mlir/Pass/AnalysisManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mlir::tfperf {

constexpr unsigned kNumBlockKinds = getMaxEnumValForBlockKind() + 1;

/// Self or cross attention; and for attention over a factorized token grid,
/// whether it attends within a frame (spatial: consecutive tokens) or across
/// frames (temporal: strided tokens).
enum class AttentionSource { Self, Cross };
enum class AttentionScope { Global, Spatial, Temporal };
llvm::StringRef attentionKindName(AttentionSource s, AttentionScope scope);

/// Multi-head latent attention (DeepSeek-V2/V3, docs/TransformerAnalysis.md):
/// K and V are up-projected from a low-rank latent (kvRank channels) shared
/// by the heads, next to a rope key of ropeDim channels shared as well.
/// The graph either caches that latent and folds the up-projection into Q
/// and the output ("absorbed") or caches the up-projected per-head K and V.
struct LatentAttention {
  SymExpr kvRank = SymExpr::unknown(), qRank = SymExpr::unknown(),
          ropeDim = SymExpr::unknown();
  /// Per-head widths of the expanded K (nope + rope) and V.
  SymExpr kHeadDim = SymExpr::unknown(), vHeadDim = SymExpr::unknown();
  /// The graph caches the latent (and the rope key), not per-head K/V.
  bool cachesLatent = false;
  /// Absorbed MLA's second score GEMM: rope query x rope key, added to the
  /// latent scores.
  Operation *ropeScores = nullptr;
  /// The latent down projection(s) (K/V, Q) and the latent-to-V einsum of
  /// an absorbed graph.
  llvm::SmallVector<Operation *, 2> downProj;
  bool isRecognised() const { return kvRank.isKnown(); }
};

struct AttentionBlock {
  /// Unfused: the Q K^T and P V matmuls.
  Operation *scores = nullptr;
  Operation *context = nullptr;
  /// Fused com.microsoft attention op (then the three above are null).
  Operation *fused = nullptr;
  /// Projections (linear ops); a fused QKV linear appears in all three.
  llvm::SmallVector<Operation *, 2> qProj, kProj, vProj, outProj;
  /// Linear attention: the producers of its per-head gates (decay and beta,
  /// the inputs of a gate op making them, the gate of a GatedRMSNorm over
  /// its output): Qwen3-Next's and Qwen3.5's z, a and b projections, which
  /// belong to the block and split with its state heads.
  llvm::SmallVector<Operation *, 4> gateSources;
  /// The inputs the Q and K/V projections read.
  Value qSource, kvSource;
  /// The scores matmul operands (K^T) and the context matmul's V operand.
  Value qOperand, kOperand, vOperand;
  /// Graph inputs concatenated into K/V (a KV cache fed from outside).
  llvm::SmallVector<Value, 2> pastInputs;
  SymExpr heads, kvHeads, headDim;
  AttentionSource source = AttentionSource::Self;
  AttentionScope scope = AttentionScope::Global;
  /// Query length at the graph's shapes.
  SymExpr queryLen;
  bool causal = false;
  /// Causal as the decode step of a causal decoder: one query, keys that
  /// extend a cache fed from outside, no mask (the query is the newest
  /// token, so it sees every key: the last row of a causal mask).
  bool decodeStep = false;
  /// The scores are masked by a graph input (causal or padding: the graph
  /// does not say which).
  bool inputMask = false;
  int layer = -1;
  /// Position of the block's first op (walk order).
  size_t position = 0;
  /// Index of the key-length dim in the K operand (-1: the last, as in a
  /// Q K^T MatMul's [.., dh, T]; einsum cores name it by its subscript).
  int keyDimIndex = -1;
  /// Multi-head latent attention (DeepSeek-V2/V3), when recognised.
  LatentAttention latent;
  /// Keys a query attends at most (sliding-window attention); none: all.
  std::optional<int64_t> window;
  /// Recurrent linear attention (ONNX LinearAttention): a state per head,
  /// no scores and no KV cache.
  bool linear = false;
};

struct MLPBlock {
  llvm::SmallVector<Operation *, 3> linears;
  llvm::SmallVector<Operation *, 2> up; // first layer(s): up and gate
  Operation *down = nullptr;
  SymExpr dIn, dFF;
  int layer = -1;
  size_t position = 0;
  /// A fused Mixture-of-Experts op (MoE, QMoE) holding the block's
  /// experts: it is the block's `up` and `down`, and `linears` add the
  /// router GEMM that feeds it. dFF is then one expert's.
  Operation *experts = nullptr;
  /// Routed experts and experts per token (0 for a dense MLP).
  int64_t nExperts = 0, topK = 0;
  /// Parameters of all experts' weights (packed values counted as values).
  double expertParameters = 0;
  /// A plain MoE's shared experts (PlainExperts.h): the dense MLP on all
  /// tokens that joined the block, its width in experts and its d_ff.
  llvm::SmallVector<Operation *, 3> sharedLinears;
  int64_t nSharedExperts = 0;
  SymExpr dSharedFF;
  /// A plain MoE's routed experts: each expert's last linear (its down
  /// projection), and every op the experts run on their tokens (the fused
  /// op of a fused MoE): the work expert parallelism divides.
  llvm::SmallVector<Operation *, 8> routedDowns;
  llvm::SmallVector<Operation *, 32> routedOps;
};

/// The inferred model dims; fields the graph does not show stay empty.
struct ModelDims {
  std::optional<int64_t> nLayers, dModel, nHeads, nKvHeads, dHead, dFF, vocab,
      maxPositions;
  /// Mixture-of-Experts dims (routed experts, experts per token, one
  /// expert's d_ff): outside forEach, reported only where a graph has
  /// experts.
  std::optional<int64_t> nExperts, topK, dExpertFF, nSharedExperts;
  /// Multi-head latent attention dims (latent rank, query latent rank,
  /// rope key width) and the sliding window: outside forEach, reported only
  /// where a graph has them.
  std::optional<int64_t> kvLoraRank, qLoraRank, ropeHeadDim, window;

  /// Calls fn(name, value) per dim, in report order, with the names the
  /// reports and the `tfperf.transformer` attribute use.
  template <typename Fn>
  void forEach(Fn &&fn) const {
    fn("n_layers", nLayers);
    fn("d_model", dModel);
    fn("n_heads", nHeads);
    fn("n_kv_heads", nKvHeads);
    fn("d_head", dHead);
    fn("d_ff", dFF);
    fn("vocab", vocab);
    fn("max_positions", maxPositions);
  }
  /// The same for the Mixture-of-Experts dims, when the graph has experts.
  template <typename Fn>
  void forEachExpertDim(Fn &&fn) const {
    if (!nExperts)
      return;
    fn("n_experts", nExperts);
    fn("top_k", topK);
    fn("n_shared_experts", nSharedExperts);
    fn("d_expert_ff", dExpertFF);
  }
  /// The same for the latent-attention dims, when the graph has MLA.
  template <typename Fn>
  void forEachLatentDim(Fn &&fn) const {
    using Named = std::pair<const char *, std::optional<int64_t>>;
    if (kvLoraRank)
      for (const Named &d : {Named{"kv_lora_rank", kvLoraRank},
                             Named{"q_lora_rank", qLoraRank},
                             Named{"qk_rope_head_dim", ropeHeadDim}})
        fn(d.first, d.second);
  }
};

struct OpTag {
  int layer = -1; // -1: outside the layers (embedding, head, ...)
  BlockKind block = BlockKind::Other;
};

class TransformerRecognizer;

class TransformerStructure {
public:
  explicit TransformerStructure(Operation *root);

  ArrayRef<AttentionBlock> getAttentions() const { return attentions; }
  ArrayRef<MLPBlock> getMLPs() const { return mlps; }
  int getNumLayers() const { return numLayers; }
  const ModelDims &getDims() const { return dims; }
  /// The tag of `op` (Other outside the function's ops).
  OpTag getTag(Operation *op) const { return tags.lookup(op); }
  /// Parameters of routed experts a token does not use: per MoE block,
  /// its experts' parameters x (1 - k / E). The model's parameters less
  /// these are its active parameters per token.
  double getInactiveExpertParameters() const;
  /// True when at least one attention block was found.
  bool isTransformer() const { return !attentions.empty(); }
  /// The token stream's batch and sequence dims at the graph's shapes
  /// (the rows of the most common linear, split as [batch, seq]).
  SymExpr getBatch() const { return batch; }
  SymExpr getSeq() const { return seq; }
  /// Ops of the attention-scores region of each unfused attention block.
  bool isScoresOp(Operation *op) const {
    return getTag(op).block == BlockKind::AttentionScores;
  }

  /// Reads no configuration: only a change of the IR invalidates it.
  bool isInvalidated(const AnalysisManager::PreservedAnalyses &pa) {
    return !isAnalysisKept<TransformerStructure>(pa, ConfigPart::None);
  }

private:
  /// Fills the fields below, phase by phase (TransformerStructure.cpp).
  friend class TransformerRecognizer;

  std::vector<AttentionBlock> attentions;
  std::vector<MLPBlock> mlps;
  llvm::DenseMap<Operation *, OpTag> tags;
  int numLayers = 0;
  ModelDims dims;
  SymExpr batch = SymExpr::unknown(), seq = SymExpr::unknown();
};

/// The key-length dim of an einsum attention core's second operand, as a
/// negative index: in the scores (`scores` true) the subscript K shares with
/// the scores only, in the context the one P and V contract over.
std::optional<int> einsumKeyDim(Operation *op, bool scores);

/// For linear ops (MatMul/Gemm/Einsum/Conv with a parameter operand): the
/// activation operand; null otherwise.
Value getLinearInput(Operation *op);

/// Whether the function takes token ids: a rank-2 integer input.
bool hasTokenIdsInput(func::FuncOp func);

/// `root` itself if it is a function, else the first function in it.
func::FuncOp firstFunction(Operation *root);

} // namespace mlir::tfperf

#endif
