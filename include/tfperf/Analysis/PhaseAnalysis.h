//===- PhaseAnalysis.h - prefill, decode and the KV cache -------*- C++ -*-===//
//
// Re-costs a transformer at other batch and sequence sizes and for one
// decode step, from the graph:
//  - TokenShapes gives every value's dims in `batch` and `seq` symbols: a
//    dynamic graph's own dim_params, or for a static export symbols
//    re-derived by a shadow-mode shape inference (checked against the
//    graph's dims at the exported sizes).
//  - Prefill is the graph at (B, S). Decode is one new token per sequence
//    with a KV cache of L tokens (the new one included): graphs with past-KV
//    inputs bind seq = 1, past = L - 1; for graphs without, every op runs
//    at one token except the attention-scores ops, whose key dims are L
//    (the cache is read there; the projections append one token).
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_PHASEANALYSIS_H
#define TFPERF_ANALYSIS_PHASEANALYSIS_H

#include "tfperf/Analysis/CostAnalysis.h"
#include "tfperf/Analysis/KernelTimes.h"
#include "tfperf/Analysis/Roofline.h"
#include "tfperf/Analysis/TransformerStructure.h"
#include "tfperf/Dialect/TFPerf/IR/ExpertRouting.h"

#include <array>
#include <deque>
#include <functional>
#include <memory>
#include <optional>

namespace mlir::tfperf {

/// Every value's dims with the token dims as symbols.
class TokenShapes : public ShapeQuery {
public:
  TokenShapes(func::FuncOp func, const TransformerStructure &structure);
  std::optional<ArrayRef<SymExpr>> dims(Value v) const override;

  /// The batch, sequence and past-KV symbols (Unknown when the graph has
  /// none) and the sizes the graph has them at (0 when unbound).
  SymExpr batch = SymExpr::unknown(), seq = SymExpr::unknown(),
          past = SymExpr::unknown();
  int64_t batch0 = 0, seq0 = 0;
  /// Symbols the graph holds at past + new tokens (onnxruntime-genai's
  /// `total_sequence_length`): the key dim of an attention-mask input
  /// [batch, total] that reaches a cached attention, and the value symbol
  /// of GroupQueryAttention's total_sequence_length input. Empty without a
  /// past symbol, or when a dim of the graph contradicts the relation (a
  /// mask buffer cut to the keys, a broadcast against another length).
  SmallVector<std::string, 1> totals;
  /// Why a total-length candidate was left unbound (empty: none was).
  std::string totalNote;

  /// The substitution of the token symbols the graph has: batch `b`,
  /// sequence `s`, past `p`, and the totals at `total`, else at s + p when
  /// both are given. The cache-append ops of a decode step run at past 0
  /// but a mask still spans every key: they pass the step's total.
  llvm::StringMap<SymExpr>
  substitution(std::optional<SymExpr> b, std::optional<SymExpr> s,
               std::optional<SymExpr> p,
               std::optional<SymExpr> total = std::nullopt) const;

private:
  llvm::DenseMap<Value, SmallVector<SymExpr, 4>> symbolic;
  TypeShapeQuery types;
};

/// The graph's total-length symbols (TokenShapes::totals) for its batch,
/// sequence (or fixed length `seq0`) and past symbols; `note` gets why a
/// candidate was left unbound. Empty without a past symbol.
SmallVector<std::string, 1>
findTotalLengthSymbols(func::FuncOp func, const TransformerStructure &structure,
                       const SymExpr &batch, const SymExpr &seq, int64_t seq0,
                       const SymExpr &past, std::string *note = nullptr);

/// Dims of a base query with symbols substituted; values listed in `kvDims`
/// take `kvSubst` at that dim instead (the key length of attention scores).
class SubstitutedShapes : public ShapeQuery {
public:
  SubstitutedShapes(const ShapeQuery &base, llvm::StringMap<SymExpr> subst,
                    llvm::DenseMap<Value, int> kvDims = llvm::DenseMap<Value, int>(),
                    llvm::StringMap<SymExpr> kvSubst = {})
      : base(base), subst(std::move(subst)), kvDims(std::move(kvDims)),
        kvSubst(std::move(kvSubst)) {}
  std::optional<ArrayRef<SymExpr>> dims(Value v) const override;

private:
  const ShapeQuery &base;
  llvm::StringMap<SymExpr> subst;
  llvm::DenseMap<Value, int> kvDims;
  llvm::StringMap<SymExpr> kvSubst;
  /// Stable storage: dims handed out stay valid for the query's lifetime.
  mutable std::deque<SmallVector<SymExpr, 4>> storage;
  mutable llvm::DenseMap<Value, SmallVector<SymExpr, 4> *> cache;
};

/// Time and traffic summed over a set of ops.
struct PhaseTotals {
  double flops = 0, gemmFlops = 0, bytes = 0;
  double time = 0, computeTime = 0, memoryTime = 0;
  unsigned unknownOps = 0;
};

struct PhaseResult {
  std::string name; // "prefill" or "decode"
  int64_t batch = 0, seq = 0, kvLen = 0;
  PhaseTotals totals;
  std::array<PhaseTotals, kNumBlockKinds> byBlock;
  std::vector<PhaseTotals> byLayer;
  /// The attention-scores regions as fused (flash) kernels would run them:
  /// the same FLOPs, but only Q, K, V read and the context written (no
  /// s x s score matrix in memory); time per region is max(its compute
  /// time, those bytes / bandwidth). Zero when no unfused attention.
  PhaseTotals fusedScores;
  /// Decode derived from a prefill-only graph (vs bound past-KV inputs).
  bool derived = false;
  /// False when the phase does not fit the model (decode of an encoder);
  /// the figures are then hypothetical and `note` says why.
  bool applicable = true;
  std::string note;
  /// The first op whose figures at the phase's sizes are negative or not
  /// finite (`op 'name': figure 'bytes' is -8`), for the report invariants.
  std::string invalidOp;
  double intensity() const {
    return totals.bytes > 0 ? totals.flops / totals.bytes : 0;
  }
  Bound bound() const {
    return totals.computeTime > totals.memoryTime ? Bound::Compute
                                                  : Bound::Memory;
  }
  /// Tokens per second: processed tokens (prefill) or new tokens (decode).
  double tokensPerSecond() const;
};

/// GEMM FLOPs of one recognised block at the graph's shapes.
struct BlockGemm {
  int layer = -1;
  /// "mlp", or the attention kind ("self", "cross", "spatial_self", ...).
  std::string kind;
  double gemmFlops = 0;
};

struct TransformerFigures {
  ModelDims dims;
  /// 2 * n_layers * n_kv_heads * d_head * dtype bytes (for MLA, what the
  /// graph caches: the latent or the per-head K/V).
  double kvCacheBytesPerToken = 0;
  /// MLA only: the cache per token as the latent (kv_lora_rank + rope key
  /// per layer) and as the per-head K and V it expands to; which one the
  /// graph caches.
  double kvLatentBytesPerToken = 0, kvExpandedBytesPerToken = 0;
  bool cachesLatent = false;
  /// Recurrent state per sequence (recurrentStatePerSequence summed over
  /// the graph): linear attention's and the causal convolutions'.
  double linearStateBytesPerSequence = 0, convStateBytesPerSequence = 0;
  double stateBytesPerSequence() const {
    return linearStateBytesPerSequence + convStateBytesPerSequence;
  }
  /// Per-token GEMM FLOPs of a layer: attention = proj + perKey * s, MLP.
  double attnProjPerToken = 0, attnPerKeyPerToken = 0, mlpPerToken = 0;
  /// Attention whose keys do not grow with s (cross-attention to a fixed
  /// context, attention within or across frames), per token of a layer.
  double attnFixedPerToken = 0;
  std::optional<double> crossoverSeq;
  std::string crossoverNote;
  std::optional<PhaseResult> prefill, decode;
  /// The phases analysed, prefill first.
  std::vector<const PhaseResult *> phases() const {
    std::vector<const PhaseResult *> out;
    if (prefill)
      out.push_back(&*prefill);
    if (decode)
      out.push_back(&*decode);
    return out;
  }
  /// Every attention and MLP block, in graph order, with its GEMM FLOPs
  /// (projections, Q K^T and P V for attention; every linear for the MLP):
  /// the per-module table of the domain doc, read off the graph.
  std::vector<BlockGemm> blockGemms;
  /// A decode step without a KV cache: the graph re-run over all kv-len + 1
  /// tokens (derived decode only).
  std::optional<PhaseResult> noCacheStep;
  /// Decode: the batch at which it turns compute-bound (none: never).
  std::optional<double> criticalBatch;
  double memToComputeTimeRatio = 0;
  /// KV-cache tokens that fit on the devices after the weights and the
  /// recurrent state of the analysed batch.
  std::optional<double> kvCapacityTokens;
  double weightBytes = 0, kvCacheBytes = 0;
  /// The recurrent state of the analysed batch: B x stateBytesPerSequence.
  double stateBytes = 0;
  SmallVector<std::string, 4> attentionKinds;
  /// Per Mixture-of-Experts block, a line naming its router and experts.
  std::vector<std::string> expertBlocks;
  /// The skew of a skewed routing (--moe-routing=zipf:<s> with s > 0, or
  /// loads:<file>) that sized the experts; nullopt at balanced routing.
  std::optional<RoutingSkew> routing;
  bool causal = false;
  /// The position table or mask buffer is exactly as long as the graph's
  /// sequence: exporters cut it there, so the model may allow more.
  bool maxPositionsLowerBound = false;
  /// Some attention is masked by a graph input (see AttentionBlock).
  bool inputMask = false;
  /// Causal only as decode steps (AttentionBlock::decodeStep): no mask.
  bool causalDecodeStep = false;
  std::string note;
};

struct PhaseOptions {
  std::string phase = "both"; // prefill, decode, both
  int64_t batch = 0, seq = 0, kvLen = 0, devices = 1;
  /// The kernel view and time model of the phases' times (KernelTimes.h):
  /// the kernels are formed at each phase's shapes and priced there. The
  /// critical-batch fit stays on the roofline (docs/TimeModel.md).
  Timing timing;
  /// Called for every op of the prefill and decode phases reported (not
  /// the extra decode runs of the critical-batch fit), with its cost at
  /// that phase's shapes: later analyses (tensor parallelism) re-cost the
  /// same ops without re-deriving the phases.
  std::function<void(llvm::StringRef phase, const OpCostRecord &,
                     const OpFigures &)>
      onOp;
  /// Called after onOp's calls of a phase when the timing is not the per-op
  /// roofline, with the costs at the phase's shapes and the kernels formed
  /// on them: tensor parallelism prices their shards with the same model.
  std::function<void(llvm::StringRef phase, const CostAnalysis &,
                     const KernelAnalysis &)>
      onKernels;
};

/// The keys a layer with sliding window `window` (none: full attention)
/// caches at KV length `kvLen`: the window's at most.
int64_t cachedKeysAt(std::optional<int64_t> window, int64_t kvLen);

/// KV-cache bytes per token of one attention block: 2 x KV heads x d_head x
/// the K element size; nullopt for cross-attention (its K/V come from the
/// encoder once) and blocks whose dims are not constant.
std::optional<double> kvCacheBytesPerToken(const AttentionBlock &a,
                                           const DtypePolicy &policy);

/// The state a recurrent op keeps per sequence between steps, constant in
/// the sequence length (where a softmax layer's KV cache grows with it).
struct RecurrentState {
  double bytes = 0;
  /// What tensor parallelism divides: state (KV) heads or conv channels.
  int64_t units = 1;
  bool linearAttention = false;
};

/// LinearAttention's KV heads x d_k x d_v, CausalConvWithState's channels
/// x (kernel - 1) x dilation, at the element size of the state (its
/// present or past state, else its input) under `policy`; nullopt for other
/// ops and when those dims are not constant.
std::optional<RecurrentState> recurrentStatePerSequence(Operation *op,
                                                        const DtypePolicy &policy);

/// Bytes of the cached K and V an engine's flash kernel of block `a` reads
/// that a graph without past-KV inputs does not compute: the cache of
/// `contextTokens` (the step's context, its new tokens included) less the
/// `newTokens` whose K and V the graph computes, at `policy`'s element
/// sizes; nullopt as kvCacheBytesPerToken. Derived decode (the phases) and
/// the serving steps price their attention kernels with it, so the two
/// agree.
std::optional<double> uncachedKVReadBytes(const AttentionBlock &a,
                                          const DtypePolicy &policy,
                                          double contextTokens,
                                          double newTokens);

/// Multi-head latent attention's cache per token of one block: the latent
/// and the rope key (`latent`), or the per-head K and V it expands to;
/// nullopt when the block is not MLA or its dims are not constant.
std::optional<double> latentKVBytesPerToken(const AttentionBlock &a,
                                            const DtypePolicy &policy,
                                            bool latent);

/// Ops a decode step does not re-run: they read graph inputs other than
/// the token stream (an encoder's output, an image) and nothing of the
/// stream, so their results are computed once per sequence and kept (the
/// cross-attention K/V cache, an encoder inside the graph).
llvm::DenseSet<Operation *> oncePerSequence(func::FuncOp func,
                                            const ShapeQuery &tokens,
                                            const SymExpr &seq);

/// KV dims of the values the attention-scores ops touch: the key length is
/// the last dim of scores, masks and K^T, the second to last of V.
llvm::DenseMap<Value, int> kvDimsOf(func::FuncOp func,
                                    const TransformerStructure &structure);

/// Ops between a past-KV input and the attention scores (the cache concat,
/// reshapes and transposes of the concatenated cache): in a decode step
/// they append the new tokens only.
llvm::DenseSet<Operation *> cacheAppendOps(const TransformerStructure &structure);

/// What analyzeTransformer derives from the graph alone, kept between its
/// calls for the devices of one report: the token shapes (a shape-inference
/// replay for static graphs) and the per-token attention/MLP figures.
struct PhaseAnalysisCache {
  std::unique_ptr<TokenShapes> tokens;
  std::optional<TransformerFigures> perToken;
  /// The kernels of each reported phase at its shapes (PhaseOptions::timing),
  /// by phase name: they do not depend on the device.
  llvm::StringMap<std::shared_ptr<const KernelAnalysis>> phaseKernels;
};

/// Analyses the first function of `module` on `device`. Sets `error` on
/// options the graph cannot honour (e.g. --seq on a graph whose sequence
/// is fixed). Calls for several devices with the same module, structure,
/// options and policy may share a `cache`.
std::optional<TransformerFigures>
analyzeTransformer(ModuleOp module, const TransformerStructure &structure,
                   const PhaseOptions &options, const DtypePolicy &policy,
                   const DeviceSpec &device, std::string &error,
                   PhaseAnalysisCache *cache = nullptr);

} // namespace mlir::tfperf

#endif
