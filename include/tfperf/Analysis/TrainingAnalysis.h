//===- TrainingAnalysis.h - backward pass, activations, model state -*- C++ -*-===//
//
// What one training step of a graph costs beyond its forward pass
// (docs/Training.md):
//  - which values carry gradients: weights (float initializers), graph
//    inputs when asked, everything computed from them, as far as some graph
//    output depends on it differentiably;
//  - every op's backward kernels (through CostOpInterface's
//    computeBackwardCost), plus the sums of gradients that reach a value
//    from several users;
//  - the tensors kept for the backward pass (activation memory), each
//    counted once, attributed to the first op that keeps it;
//  - evaluated on a device: forward, backward and optimizer time, model
//    state (weights, gradients, optimizer state), activation memory per
//    layer with and without full recomputation, FLOPs per token against
//    6·N, and Korthikanti et al.'s per-layer activation formula.
// An MLIR analysis: built from an Operation*, never mutates IR.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_TRAININGANALYSIS_H
#define TFPERF_ANALYSIS_TRAININGANALYSIS_H

#include "tfperf/Analysis/ConfigInvalidation.h"
#include "tfperf/Analysis/CostAnalysis.h"
#include "tfperf/Analysis/Roofline.h"
#include "tfperf/Analysis/TransformerStructure.h"

#include "llvm/ADT/DenseSet.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace mlir::tfperf {

struct TrainingOptions {
  /// Whether the graph's float inputs need a gradient (default no: the
  /// first linear then computes no dX).
  bool inputRequiresGrad = false;
  /// Bytes of model state per trainable parameter: weights, gradients and
  /// optimizer state together (mixed-precision Adam: 2 + 2 + 12 = 16).
  double optimizerBytesPerParam = 16;
};

/// Which values carry gradients in the backward pass.
class GradientFlow : public GradientQuery {
public:
  /// A gradient is computed for `v` (it requires one and some graph output
  /// depends on it differentiably).
  bool needsGrad(Value v) const override { return needed.contains(v); }
  /// `v` depends differentiably on a weight (or an input that requires a
  /// gradient).
  bool requiresGrad(Value v) const { return required.contains(v); }

private:
  friend class TrainingAnalysis;
  llvm::DenseSet<Value> required, needed;
};

/// The backward pass of one op.
struct BackwardRecord {
  Operation *op = nullptr;
  /// False when the backward is unknown (no backward model, unknown shape).
  bool known = false;
  /// The op's own kernels and the tensors it keeps.
  BackwardCost cost;
  /// Sums of the gradients that reach a value of this op (a result, or for
  /// a weight or graph input used several times, that value) from several
  /// users: one kernel per such value.
  SmallVector<BackwardOp, 1> accumulate;
  /// Indices into cost.saved of the activations this op is the first to
  /// keep (not parameters, not kept by an earlier op).
  SmallVector<unsigned, 2> firstSaved;
  std::string name, opType;

  /// The op's kernels, then the accumulations.
  SmallVector<const BackwardOp *, 4> kernels() const;
};

/// A tensor kept for the backward pass, once.
struct Activation {
  Value value;
  SymExpr elements;
  /// Empty for the value itself, else what is kept ("mean, rstd").
  std::string what;
  Operation *savedBy = nullptr;
};

class TrainingAnalysis {
public:
  /// As an MLIR analysis: with the options of the configuration's
  /// training part (AnalysisConfig.h), the defaults without one.
  TrainingAnalysis(Operation *root, AnalysisManager &am);
  explicit TrainingAnalysis(Operation *root,
                            const TrainingOptions &options = {});
  TrainingAnalysis(Operation *root, const TrainingOptions &options,
                   const ShapeQuery &shapes);

  const TrainingOptions &getOptions() const { return options; }
  const GradientFlow &getGradients() const { return flow; }
  /// Ops with a backward pass, in IR order.
  ArrayRef<BackwardRecord> getRecords() const { return records; }
  const BackwardRecord *lookup(Operation *op) const;
  ArrayRef<Activation> getActivations() const { return activations; }
  /// Initializers that receive a gradient (the trainable parameters).
  ArrayRef<Value> getTrainableWeights() const { return trainable; }
  /// Graph outputs that receive a gradient from the loss.
  unsigned getNumGradientOutputs() const { return gradientOutputs; }

  bool isInvalidated(const AnalysisManager::PreservedAnalyses &pa) {
    return !isAnalysisKept<TrainingAnalysis>(pa, ConfigPart::Training);
  }

private:
  void compute(Operation *root, const ShapeQuery &shapes);
  BackwardRecord &recordFor(Operation *op);

  TrainingOptions options;
  GradientFlow flow;
  std::vector<BackwardRecord> records;
  llvm::DenseMap<Operation *, size_t> index;
  std::vector<Activation> activations;
  std::vector<Value> trainable;
  unsigned gradientOutputs = 0;
};

/// True when keeping `v` costs no activation memory: a weight or a
/// constant, possibly through views, transposes and casts.
bool isStoredParameter(Value v);

//===----------------------------------------------------------------------===//
// Figures on a device
//===----------------------------------------------------------------------===//

/// Korthikanti et al. (2022), "Reducing Activation Recomputation in Large
/// Transformer Models", §4.1: bytes kept per GPT layer at 16-bit
/// activations, s·b·h·(34 + 5·a·s/h), by block; and the same without
/// dropout (exported inference graphs have none).
struct KorthikantiFigures {
  int64_t s = 0, b = 0, h = 0, a = 0;
  double attention = 0, mlp = 0, norm = 0, total = 0;
  double attentionNoDropout = 0, mlpNoDropout = 0, totalNoDropout = 0;
};

struct TrainingLayerFigures {
  /// Activations kept by the layer's ops (at the policy's sizes).
  double activationBytes = 0;
  /// The same at 2 bytes per float element, by block kind (Korthikanti).
  double activationBytes16 = 0;
  std::array<double, kNumBlockKinds> byBlock16 = {};
  /// The layer's inputs: what full recomputation keeps of it.
  double inputBytes = 0;
  double forwardFlops = 0, backwardFlops = 0;
  double forwardTime = 0, backwardTime = 0;
};

/// Backward figures of one op on a device (summed over its kernels).
struct BackwardFigures {
  double flops = 0, gemmFlops = 0, bytes = 0, time = 0;
  /// Bytes of the activations the op is the first to keep.
  double savedBytes = 0;
  std::string problem;
};

struct TrainingFigures {
  /// Tokens per step (batch x sequence; NaN when the graph does not say).
  double tokens = 0;
  double forwardFlops = 0, forwardGemmFlops = 0, forwardBytes = 0;
  double backwardFlops = 0, backwardGemmFlops = 0, backwardBytes = 0;
  unsigned forwardUnknownOps = 0, backwardUnknownOps = 0;
  /// The GEMM FLOPs (forward + backward) of matmuls without a parameter
  /// operand (attention's Q K^T and P V).
  double attentionGemmFlops = 0;
  /// Trainable parameters; without embedding tables (only gathered).
  double parameters = 0, nonEmbeddingParameters = 0;
  /// Weights of matmul-like ops (linears, convolutions), and those of
  /// them whose op does not run once per token (a head applied to the last
  /// token only, a cross-attention projection of an encoder's frames).
  double linearParameters = 0, irregularLinearParameters = 0;
  double activationBytes = 0, activationBytesRecompute = 0;
  double outsideLayersActivationBytes = 0;
  double weightBytes = 0, gradientBytes = 0, optimizerBytes = 0,
         modelStateBytes = 0;
  double forwardTime = 0, backwardTime = 0, optimizerTime = 0;
  double recomputeFlops = 0, recomputeTime = 0;
  double stepTime() const { return forwardTime + backwardTime + optimizerTime; }
  std::vector<TrainingLayerFigures> byLayer;
  std::optional<KorthikantiFigures> korthikanti;
  /// Why there is no Korthikanti comparison.
  std::string korthikantiNote;
  /// One entry per BackwardRecord.
  std::vector<BackwardFigures> ops;
};

/// Adam's update per parameter: m and v updates, bias corrections, the
/// square root, the division and the step (an estimate; memory-bound).
constexpr double kAdamFlopsPerParam = 12;

/// Evaluates `training` on `device`. `forward` costs the forward pass;
/// `structure` (may be null) gives layers, tokens and dims. Sets `error`
/// when the options cannot hold (fewer model-state bytes per parameter
/// than the weights and gradients take).
std::optional<TrainingFigures>
evaluateTraining(const TrainingAnalysis &training, const CostAnalysis &forward,
                 const TransformerStructure *structure,
                 const DtypePolicy &policy, const DeviceSpec &device,
                 std::string &error);

} // namespace mlir::tfperf

#endif
