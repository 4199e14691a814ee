//===- ParallelTraining.h - a training step over many devices ---*- C++ -*-===//
//
// One training iteration of the graph (one micro-batch = the graph's batch)
// as Megatron-LM runs it, per device, with the calibrated time model
// (docs/Training.md#parallel-training): tensor parallelism at each degree
// of the tensor_parallel part (the TensorParallelPlan's splits, their
// collectives in the forward and the backward pass, or reduce-scatter and
// all-gather with sequence parallelism), activation recomputation (none,
// selective: the attention core, full: every layer), a pipeline of pp
// stages (1F1B or interleaved, PipelineSchedule.h) with point-to-point
// sends, the data-parallel gradient all-reduce, the optimizer step, and the
// activation and model-state memory per device.
//
// The kernels are the fused view of KernelAnalysis; an unfused attention
// region is priced as Megatron-LM (2022) runs it: the Q K^T and P V GEMMs
// and one fused scale-mask-softmax kernel. Backward kernels come from
// TrainingAnalysis: the GEMMs' dX and dW at their transposed shapes, every
// other backward kernel in the class of the forward kernel it belongs to.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_PARALLELTRAINING_H
#define TFPERF_ANALYSIS_PARALLELTRAINING_H

#include "tfperf/Analysis/AnalysisConfig.h"
#include "tfperf/Analysis/PipelineSchedule.h"
#include "tfperf/Analysis/TensorParallelAnalysis.h"
#include "tfperf/Analysis/TrainingFiguresAnalysis.h"

#include <string>
#include <vector>

namespace mlir::tfperf {

enum class RecomputeMode { None, Selective, Full };
llvm::StringRef recomputeModeName(RecomputeMode m);

struct ParallelTrainingOptions {
  /// Tensor-parallel degrees (the tensor_parallel part's, else {1}).
  std::vector<int64_t> tp = {1};
  RecomputeMode recompute = RecomputeMode::None;
  /// Whether a recompute mode was asked for (even "none").
  bool recomputeGiven = false;
  bool sequenceParallel = false;
  /// Megatron-LM's dropouts (the graph has none): attention probabilities
  /// and both residual branches of every layer.
  bool dropout = false;
  /// Stages, micro-batches per iteration, chunks per device, schedule.
  PipelineShape pipeline;
  int64_t dp = 1;
  double optimizerBytesPerParam = 16;

  /// From the module's configuration (training and tensor_parallel parts).
  static ParallelTrainingOptions fromModule(Operation *root);
  /// The pipeline of the configuration's training part.
  static PipelineShape pipelineOf(TrainingConfigAttr t);
  /// A recompute mode, sequence parallelism, dropout, pp or dp above 1.
  bool hasParallelOptions() const;
};

/// Why the pipeline options do not fit together (empty when they do), in
/// the pass options' spelling; the verifier of `#tfperf.training` checks
/// each option's range.
std::string checkPipelineOptions(const PipelineShape &p);

/// Whether the module asks for the parallel step: a training part, and a
/// tensor-parallel degree above 1 or any parallel training option.
bool wantsParallelTraining(Operation *root);

/// Seconds a collective adds to the critical path when it runs beside
/// `besideCompute` seconds of independent kernels (Megatron-LM's backward
/// of a column-parallel linear, docs/Training.md#parallel-training): what
/// outlasts them, as if the two shared nothing.
double overlappedCollective(double collective, double besideCompute);

/// One layer at one degree, per device and micro-batch.
struct ParallelLayerFigures {
  double forwardTime = 0, backwardTime = 0, recomputeTime = 0, commTime = 0;
  /// commTime's collectives on the critical path of the forward pass and of
  /// the backward pass (recomputed forward collectives included).
  double forwardCommTime = 0, backwardCommTime = 0;
  double flops = 0, activationBytes = 0;
  double time() const {
    return forwardTime + backwardTime + recomputeTime + commTime;
  }
};

struct ParallelStepFigures {
  int64_t tp = 1;
  bool feasible = true;
  std::string reason;
  /// One micro-batch through every layer, on one device of the TP group:
  /// kernel FLOPs and times, and the TP collectives.
  double forwardFlops = 0, backwardFlops = 0, recomputeFlops = 0;
  double forwardTime = 0, backwardTime = 0, recomputeTime = 0;
  /// Collective time on the critical path (backward: what outlasts the
  /// GEMMs Megatron-LM runs beside them).
  double forwardCommTime = 0, backwardCommTime = 0, recomputeCommTime = 0;
  double forwardCommBytes = 0;
  unsigned forwardCollectives = 0, backwardCollectives = 0;
  /// The same at 100% of the datasheet (kernel rooflines, collectives
  /// at the link's bandwidth and latency): a lower bound.
  double rooflineTime = 0;
  std::vector<ParallelLayerFigures> byLayer;
  /// The pipeline: layers per device, each device's time per micro-batch,
  /// one send's bytes and time, the schedule.
  std::vector<int64_t> layersPerDevice;
  std::vector<double> deviceTimes;
  double sendBytes = 0, sendTime = 0;
  PipelineTimes pipeline;
  /// Data parallelism and the optimizer, on the busiest device.
  double parametersPerDevice = 0, gradientBytesPerDevice = 0;
  double dpAllReduceTime = 0, optimizerTime = 0;
  /// Memory on the fullest device: model state, activations of the
  /// micro-batches in flight (and of one micro-batch).
  double modelStateBytes = 0, activationBytes = 0,
         activationBytesPerMicrobatch = 0, microbatchesInFlight = 1;
  bool fitsMemory = false;
  /// Tokens of the iteration (all micro-batches and replicas).
  double tokens = 0;
  unsigned unknownKernels = 0;
  double iterationTime() const {
    return pipeline.iteration() + dpAllReduceTime + optimizerTime;
  }
  int64_t devices(const ParallelTrainingOptions &o) const {
    return tp * o.pipeline.stages * o.dp;
  }
};

struct ParallelTrainingFigures {
  std::string device;
  bool calibrated = true;
  std::vector<ParallelStepFigures> degrees;
  std::vector<std::string> notes;
};

class ParallelTrainingAnalysis {
public:
  ParallelTrainingAnalysis(Operation *root, AnalysisManager &am);

  const ParallelTrainingOptions &getOptions() const { return options; }
  /// One entry per device of the configuration.
  ArrayRef<ParallelTrainingFigures> getPerDevice() const { return perDevice; }
  bool succeeded() const { return ok; }
  const std::string &getError() const { return error; }

  static constexpr ConfigPart kReads =
      ConfigPart::Devices | ConfigPart::Dtypes | ConfigPart::Training |
      ConfigPart::TensorParallel;
  bool isInvalidated(const AnalysisManager::PreservedAnalyses &pa) {
    return !isAnalysisKept<ParallelTrainingAnalysis, TrainingFiguresAnalysis,
                           TrainingAnalysis, CostAnalysis, TransformerStructure,
                           TensorParallelPlanAnalysis, DtypeConfig, DeviceSet>(
        pa, kReads);
  }

private:
  ParallelTrainingOptions options;
  std::vector<ParallelTrainingFigures> perDevice;
  bool ok = false;
  std::string error;
};

} // namespace mlir::tfperf

#endif
