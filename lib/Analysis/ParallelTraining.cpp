//===- ParallelTraining.cpp - a training step over many devices -----------===//
//
// The graph is turned once into a list of work items (a kernel of the
// forward or backward pass, or a collective), each with the layer it
// belongs to and how a tensor-parallel degree divides it; every degree and
// device then prices the same list. docs/Training.md#parallel-training
// gives every rule.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Analysis/ParallelTraining.h"
#include "tfperf/Analysis/KernelAnalysis.h"
#include "tfperf/Analysis/TensorParallelCost.h"
#include "tfperf/Analysis/TimeModel.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

#include <algorithm>
#include <cmath>
#include <iterator>

using namespace mlir;
using namespace mlir::tfperf;

/// The modes' names, in RecomputeMode's order.
static constexpr llvm::StringLiteral kRecomputeNames[] = {"none", "selective",
                                                          "full"};

llvm::StringRef mlir::tfperf::recomputeModeName(RecomputeMode m) {
  return kRecomputeNames[static_cast<unsigned>(m)];
}

/// The mode named `name` (None for an unknown one: the options were
/// checked before).
static RecomputeMode parseRecomputeMode(llvm::StringRef name) {
  for (unsigned i = 0; i < std::size(kRecomputeNames); ++i)
    if (kRecomputeNames[i] == name)
      return static_cast<RecomputeMode>(i);
  return RecomputeMode::None;
}

ParallelTrainingOptions ParallelTrainingOptions::fromModule(Operation *root) {
  ParallelTrainingOptions o;
  ConfigAttr config = getConfig(root);
  if (TensorParallelConfigAttr tp = config.getTensorParallel())
    if (!tp.getDegrees().empty())
      o.tp.assign(tp.getDegrees().begin(), tp.getDegrees().end());
  TrainingConfigAttr t = config.getTraining();
  if (!t)
    return o;
  o.optimizerBytesPerParam = t.getOptimizerBytesPerParam().convertToDouble();
  o.recomputeGiven = !t.getRecompute().empty();
  o.recompute = parseRecomputeMode(t.getRecompute());
  o.sequenceParallel = t.getSequenceParallel();
  o.dropout = t.getDropout();
  o.pipeline = pipelineOf(t);
  o.dp = t.getDp();
  return o;
}

PipelineShape ParallelTrainingOptions::pipelineOf(TrainingConfigAttr t) {
  PipelineShape p;
  p.stages = t.getPp();
  p.virtualStages = t.getPpVirtualStages();
  p.microbatches = t.getMicrobatches();
  p.kind = t.getPpSchedule() == "interleaved"
               ? PipelineScheduleKind::Interleaved
               : PipelineScheduleKind::OneFOneB;
  return p;
}

bool ParallelTrainingOptions::hasParallelOptions() const {
  return recomputeGiven || sequenceParallel || dropout || pipeline.stages > 1 ||
         dp > 1;
}

std::string mlir::tfperf::checkPipelineOptions(const PipelineShape &p) {
  if ((p.kind == PipelineScheduleKind::Interleaved) !=
      (p.virtualStages > 1 && p.stages > 1))
    return "pp-schedule=interleaved needs pp and pp-virtual-stages of 2 or "
           "more, and pp-virtual-stages above 1 needs it";
  if (p.kind == PipelineScheduleKind::Interleaved &&
      p.microbatches % p.stages != 0)
    return "pp-schedule=interleaved needs microbatches to be a multiple of "
           "pp";
  return "";
}

bool mlir::tfperf::wantsParallelTraining(Operation *root) {
  ConfigAttr config = getConfig(root);
  if (!config.getTraining())
    return false;
  if (ParallelTrainingOptions::fromModule(root).hasParallelOptions())
    return true;
  if (TensorParallelConfigAttr tp = config.getTensorParallel())
    return llvm::any_of(tp.getDegrees(), [](int64_t d) { return d > 1; });
  return false;
}

namespace {

/// Bytes Megatron-LM's optimizer step moves on a device holding `params`
/// parameters whose weights take `weightBytes` (their gradients as many)
/// and whose model state is `stateBytes` in all.
/// 16-bit weights (mixed precision): Adam reads the fp32 main gradients
/// and reads and writes the rest of the state but the 16-bit weights and
/// gradients (fp32 master weights, moments); a second pass copies the
/// master weights into the 16-bit ones; around them the main gradients
/// are zeroed, unscaled with an inf/NaN check (a read and a write) and
/// read for their norm.
/// fp32 weights: Adam reads the whole state and writes all of it but the
/// gradients; the gradients are zeroed and read for their norm (no loss
/// scaling).
double optimizerStepBytes(double params, double weightBytes,
                          double stateBytes) {
  constexpr double kFp32 = 4;
  if (weightBytes < kFp32 * params) {
    // Never below zero: a small --optimizer-bytes-per-param is checked
    // against the whole graph's weights, not each device's.
    double masterAndMoments = std::max(0.0, stateBytes - 2 * weightBytes);
    double adam = 2 * masterAndMoments + kFp32 * params;
    double copyToWeights = kFp32 * params + weightBytes;
    double mainGradients = 4 * kFp32 * params;
    return adam + copyToWeights + mainGradients;
  }
  return 2 * stateBytes - weightBytes + 2 * kFp32 * params;
}

/// How a tensor-parallel degree divides a work item.
enum class SplitAxis { None, N, K, Batch, Bytes };

/// Where an item runs in a pipeline: a layer, or before (-1) or after (-2)
/// the layers.
constexpr int kBefore = -1, kAfter = -2;

enum class Pass { Forward, Backward };

struct WorkItem {
  Pass pass = Pass::Forward;
  int place = kAfter;
  /// Part of an unfused attention core (selective recomputation redoes it).
  bool core = false;
  /// A collective rather than a kernel.
  std::optional<CollectiveKind> collective;
  KernelWork work;
  /// Units of the split and the axis it divides; replicated ops inside the
  /// layers are split by tokens under sequence parallelism.
  int64_t units = 1;
  SplitAxis axis = SplitAxis::None;
  bool tokenSplittable = false;
  /// Bytes of one element of a GEMM's operands (its bytes follow its
  /// per-device shape).
  double elementBytes = 2;
  /// A backward all-reduce of the stream: the items of the dX and dW GEMMs
  /// of the column-parallel linears its gradient enters, which Megatron-LM
  /// runs beside it (overlappedCollective).
  llvm::SmallVector<size_t, 1> besideDx, besideDw;
};

double gemmBytes(const KernelWork &w, double elementBytes) {
  return elementBytes * double(w.batch) *
         (double(w.m) * w.k + double(w.k) * w.n + double(w.m) * w.n);
}

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

int64_t numElements(Value v) {
  auto st = dyn_cast<ShapedType>(v.getType());
  return st && st.hasStaticShape() ? st.getNumElements() : -1;
}

int64_t lastDim(Value v, unsigned fromEnd) {
  auto st = dyn_cast<ShapedType>(v.getType());
  if (!st || !st.hasRank() || st.getRank() < (int64_t)fromEnd)
    return 0;
  int64_t d = st.getDimSize(st.getRank() - fromEnd);
  return ShapedType::isDynamic(d) ? 0 : d;
}

/// The graph as work items (device independent).
struct WorkList {
  std::vector<WorkItem> items;
  /// Activations kept per place: (bytes at the policy's sizes, units,
  /// token-splittable, attention-core tensor).
  struct Kept {
    int place;
    double bytes;
    int64_t units;
    bool tokenSplittable, core;
  };
  std::vector<Kept> kept;
  /// Inputs of each layer (what full recomputation keeps).
  std::vector<double> layerInputBytes;
  /// Trainable weights: elements, units, places.
  struct Weight {
    double elements;
    double elementBytes;
    int64_t units;
    llvm::SmallVector<int, 2> places;
  };
  std::vector<Weight> weights;
  /// The residual stream between layers, one micro-batch.
  double streamBytes = 0;
  double tokens = 0;
  unsigned unknownKernels = 0;
  int layers = 0;
};

class WorkListBuilder {
public:
  WorkListBuilder(const TrainingAnalysis &training,
                  const TransformerStructure &structure,
                  const TensorParallelPlan &plan, const KernelAnalysis &kernels,
                  const DtypePolicy &policy, bool dropout)
      : training(training), structure(structure), plan(plan),
        kernels(kernels), policy(policy), dropout(dropout) {}

  WorkList build(ArrayRef<TrainingLayerFigures> layerFigures);

private:
  int placeOf(Operation *op) const {
    OpTag tag = structure.getTag(op);
    if (tag.layer >= 0)
      return tag.layer;
    return tag.block == BlockKind::Embedding ? kBefore : kAfter;
  }
  const OpSplit *splitOf(Operation *op) const { return plan.lookup(op); }
  int64_t unitsOf(Operation *op) const {
    const OpSplit *sp = splitOf(op);
    return sp ? sp->units : 1;
  }
  bool replicatedInLayer(Operation *op) const {
    const OpSplit *sp = splitOf(op);
    return placeOf(op) >= 0 &&
           (!sp || sp->kind == SplitKind::Replicated || sp->units <= 1);
  }
  /// The kernel view counts bytes at the graph's element sizes: the
  /// factor to the policy's (--compute-dtype), from the op's result.
  double graphToPolicy(Operation *op) const {
    if (!op->getNumResults())
      return 1;
    double graph = DtypePolicy().bitsOf(op->getResult(0));
    return graph > 0 ? policy.bitsOf(op->getResult(0)) / graph : 1;
  }
  double elementBytes(Operation *op) const {
    return op->getNumResults() ? policy.bitsOf(op->getResult(0)) / 8.0 : 2.0;
  }
  void addGemm(Pass pass, Operation *op, int64_t m, int64_t n, int64_t k,
               int64_t batch, bool core, WorkList &out);
  void addMemory(Pass pass, Operation *op, KernelClass cls, double flops,
                 double bytes, int64_t row, bool core, WorkList &out);
  void addAttentionCore(const AttentionBlock &a, WorkList &out);
  void addBackward(const Kernel &k, WorkList &out);
  void addCollectives(WorkList &out);
  llvm::SmallVector<Operation *> columnLinearsFed(Value v) const;
  void addResidualDropouts(WorkList &out);
  void addCrossEntropy(Operation *head, WorkList &out);

  const TrainingAnalysis &training;
  const TransformerStructure &structure;
  const TensorParallelPlan &plan;
  const KernelAnalysis &kernels;
  const DtypePolicy &policy;
  bool dropout;
  /// The items of each GEMM's dX and dW kernels (by the GEMM's main op).
  llvm::DenseMap<Operation *, std::pair<llvm::SmallVector<size_t, 1>,
                                        llvm::SmallVector<size_t, 1>>>
      gemmGradients;
};

/// Bytes of a dropout mask element (PyTorch's bool mask).
constexpr double kDropoutMaskBytes = 1;

void WorkListBuilder::addGemm(Pass pass, Operation *op, int64_t m, int64_t n,
                              int64_t k, int64_t batch, bool core,
                              WorkList &out) {
  WorkItem it;
  it.pass = pass;
  it.place = placeOf(op);
  it.core = core;
  it.work.cls = KernelClass::Gemm;
  it.work.m = m;
  it.work.n = n;
  it.work.k = k;
  it.work.batch = batch;
  it.work.flops = 2.0 * double(batch) * m * n * k;
  it.work.dtype = policy.peakDtype(op);
  it.elementBytes = elementBytes(op);
  const OpSplit *sp = splitOf(op);
  it.units = sp ? sp->units : 1;
  if (sp && it.units > 1) {
    switch (sp->kind) {
    case SplitKind::Row:
      it.axis = SplitAxis::K;
      break;
    case SplitKind::Heads:
      it.axis = SplitAxis::Batch;
      break;
    default:
      it.axis = SplitAxis::N;
      break;
    }
  }
  out.items.push_back(it);
}

void WorkListBuilder::addMemory(Pass pass, Operation *op, KernelClass cls,
                                double flops, double bytes, int64_t row,
                                bool core, WorkList &out) {
  WorkItem it;
  it.pass = pass;
  it.place = placeOf(op);
  it.core = core;
  it.work.cls = cls;
  it.work.flops = flops;
  it.work.bytes = bytes;
  it.work.row = row;
  it.work.dtype = policy.peakDtype(op);
  it.units = unitsOf(op);
  it.axis = it.units > 1 ? SplitAxis::Bytes : SplitAxis::None;
  it.tokenSplittable = replicatedInLayer(op);
  out.items.push_back(it);
}

/// Megatron-LM's attention core (2022): Q K^T and P V as batched GEMMs
/// over the full s x s scores (no causal skipping) and one fused
/// scale-mask-softmax kernel that reads the scores and writes the
/// probabilities; backward: two GEMMs each and a softmax backward that
/// reads the probabilities and their gradient and writes the scores'.
/// With dropout, a dropout kernel on the probabilities between the softmax
/// and P V (reads them, writes them and a mask; its backward reads the
/// gradient and the mask and writes the gradient), recomputed with the
/// core, which also keeps its mask and output.
void WorkListBuilder::addAttentionCore(const AttentionBlock &a,
                                       WorkList &out) {
  Value scores = a.scores->getResult(0), context = a.context->getResult(0);
  int64_t sq = lastDim(scores, 2), skv = lastDim(scores, 1);
  int64_t dh = lastDim(a.scores->getOperand(0), 1);
  int64_t dv = lastDim(context, 1);
  int64_t elems = numElements(scores);
  if (!sq || !skv || !dh || !dv || elems <= 0) {
    ++out.unknownKernels;
    return;
  }
  int64_t batch = elems / (sq * skv);
  double probBytes = double(elems) * policy.bitsOf(scores) / 8.0;
  double dropoutBytes = 2 * probBytes + double(elems) * kDropoutMaskBytes;
  size_t first = out.items.size();
  addGemm(Pass::Forward, a.scores, sq, skv, dh, batch, true, out);
  addMemory(Pass::Forward, a.scores, KernelClass::Softmax, 4.0 * elems,
            2 * probBytes, skv, true, out);
  if (dropout)
    addMemory(Pass::Forward, a.scores, KernelClass::Add, double(elems),
              dropoutBytes, 0, true, out);
  addGemm(Pass::Forward, a.context, sq, dv, skv, batch, true, out);
  // Backward: dP = dO V^T, dV = P^T dO; the dropout's and the softmax's;
  // dQ = dS K, dK = dS^T Q.
  addGemm(Pass::Backward, a.context, sq, skv, dv, batch, false, out);
  addGemm(Pass::Backward, a.context, skv, dv, sq, batch, false, out);
  if (dropout)
    addMemory(Pass::Backward, a.scores, KernelClass::Add, double(elems),
              dropoutBytes, 0, false, out);
  addMemory(Pass::Backward, a.scores, KernelClass::Softmax, 4.0 * elems,
            3 * probBytes, skv, false, out);
  addGemm(Pass::Backward, a.scores, sq, dh, skv, batch, false, out);
  addGemm(Pass::Backward, a.scores, skv, dh, sq, batch, false, out);
  // Heads divide every item of the core.
  const OpSplit *sp = splitOf(a.scores);
  if (dropout)
    out.kept.push_back({placeOf(a.scores), dropoutBytes - probBytes,
                        sp ? sp->units : 1, false, true});
  for (size_t i = first; i < out.items.size(); ++i) {
    out.items[i].units = sp ? sp->units : 1;
    out.items[i].axis =
        out.items[i].units > 1
            ? (out.items[i].work.cls == KernelClass::Gemm ? SplitAxis::Batch
                                                          : SplitAxis::Bytes)
            : SplitAxis::None;
    out.items[i].tokenSplittable = false;
  }
}

/// The backward kernels of every member of kernel `k`: a GEMM's dX and dW
/// at their transposed shapes, the rest memory-bound in `k`'s class.
void WorkListBuilder::addBackward(const Kernel &k, WorkList &out) {
  KernelClass memClass = isMemoryClass(k.cls) ? k.cls : KernelClass::Add;
  for (Operation *op : k.ops) {
    const BackwardRecord *rec = training.lookup(op);
    // A fused attention op's backward is priced with its forward.
    if (!rec || (op == k.mainOp && k.cls == KernelClass::Attention))
      continue;
    if (!rec->known) {
      ++out.unknownKernels;
      continue;
    }
    for (const BackwardOp *b : rec->kernels()) {
      auto bits = accessBits(b->reads, b->writes, policy).getInt64();
      auto flops = b->flops.getInt64();
      if (!bits || !flops) {
        ++out.unknownKernels;
        continue;
      }
      if (op == k.mainOp && k.cls == KernelClass::Gemm &&
          !b->gemmFlops.isConstant(0)) {
        // The gradient of operand 1 (the weight) is K x N from the
        // K x M input and the M x N output gradient; the other's M x K.
        bool ofB = llvm::any_of(b->writes, [&](const TensorAccess &w) {
          return op->getNumOperands() > 1 && w.value == op->getOperand(1);
        });
        if (ofB)
          addGemm(Pass::Backward, op, k.k, k.n, k.m, k.batch, false, out);
        else
          addGemm(Pass::Backward, op, k.m, k.k, k.n, k.batch, false, out);
        auto &grads = gemmGradients[op];
        (ofB ? grads.second : grads.first).push_back(out.items.size() - 1);
        // A weight gradient is whole on every device that holds the
        // weight's slice: the column/row split divides it like the GEMM.
        continue;
      }
      int64_t row = k.row;
      addMemory(Pass::Backward, op, memClass, double(*flops), *bits / 8.0,
                row, false, out);
    }
  }
}

/// Megatron-LM's dropout on each residual branch (the attention output
/// projection's and the MLP's last linear's result), fused with the bias
/// and the residual add: forward, only its mask is extra traffic; backward,
/// a kernel that reads the gradient and the mask and writes the gradient.
/// Replicated in the layer (split by tokens under sequence parallelism);
/// the mask is kept.
void WorkListBuilder::addResidualDropouts(WorkList &out) {
  llvm::SmallVector<Operation *> branches;
  for (const AttentionBlock &a : structure.getAttentions())
    if (!a.outProj.empty())
      branches.push_back(a.outProj.back());
  for (const MLPBlock &m : structure.getMLPs())
    if (m.down)
      branches.push_back(m.down);
  for (Operation *op : branches) {
    Value v = op->getResult(0);
    int64_t elems = numElements(v);
    if (elems <= 0 || placeOf(op) < 0) {
      ++out.unknownKernels;
      continue;
    }
    double mask = double(elems) * kDropoutMaskBytes;
    double grad = double(elems) * policy.bitsOf(v) / 8.0;
    for (auto [pass, bytes] : {std::pair(Pass::Forward, mask),
                               std::pair(Pass::Backward, 2 * grad + mask)}) {
      WorkItem it;
      it.pass = pass;
      it.place = placeOf(op);
      it.work.cls = KernelClass::Add;
      it.work.flops = double(elems);
      it.work.bytes = bytes;
      it.work.dtype = policy.peakDtype(op);
      it.tokenSplittable = true;
      out.items.push_back(it);
    }
    out.kept.push_back({placeOf(op), mask, 1, true, false});
  }
}

/// Megatron-LM's vocabulary-parallel cross-entropy over the logits of the
/// language-model head, in fp32 (its default): forward, a cast of 16-bit
/// logits to fp32, then the max, the shift, the exp, the sum and the
/// normalisation (4 + 8 + 8 + 4 + 8 bytes per logit); backward, the softmax
/// times the incoming gradient (8 bytes) and the cast back. Split like the
/// head, by vocabulary; the few numbers per token it all-reduces are not
/// counted.
void WorkListBuilder::addCrossEntropy(Operation *head, WorkList &out) {
  Value logits = head->getResult(0);
  int64_t elems = numElements(logits);
  if (elems <= 0) {
    ++out.unknownKernels;
    return;
  }
  constexpr double kFp32 = 4;
  double bytes = policy.bitsOf(logits) / 8.0;
  bool cast = bytes < kFp32;
  double castBytes = cast ? bytes + kFp32 : 0;
  for (auto [pass, perLogit, kernels] :
       {std::tuple(Pass::Forward, 32 + castBytes, 5 + int64_t(cast)),
        std::tuple(Pass::Backward, 8 + castBytes, 1 + int64_t(cast))}) {
    WorkItem it;
    it.pass = pass;
    it.place = placeOf(head);
    it.work.cls = KernelClass::Add;
    it.work.flops = double(elems) * double(kernels);
    it.work.bytes = double(elems) * perLogit;
    it.work.kernels = kernels;
    it.work.dtype = policy.peakDtype(head);
    it.units = unitsOf(head);
    it.axis = it.units > 1 ? SplitAxis::Bytes : SplitAxis::None;
    out.items.push_back(it);
  }
}

/// The TP collectives of one micro-batch: after each row-parallel linear
/// and the vocabulary-parallel embedding (all-reduce, or reduce-scatter
/// then all-gather with sequence parallelism), mirrored in the backward
/// pass at the column-parallel inputs (Megatron's conjugate f and g). The
/// logits are not gathered: the vocabulary-parallel cross-entropy
/// (addCrossEntropy) all-reduces a few numbers per token instead (not
/// counted).
void WorkListBuilder::addCollectives(WorkList &out) {
  for (Operation *op : plan.getOps()) {
    const OpSplit *sp = plan.lookup(op);
    if (!sp)
      continue;
    for (auto [res, kind] : sp->collectives) {
      bool vocab =
          sp->group >= 0 && plan.getGroups()[sp->group].kind == UnitKind::Vocab;
      if (kind == Collective::AllGather && vocab)
        continue;
      Value v = op->getResult(res);
      int64_t n = numElements(v);
      if (n <= 0) {
        ++out.unknownKernels;
        continue;
      }
      WorkItem it;
      it.place = placeOf(op);
      it.collective = kind == Collective::AllReduce ? CollectiveKind::AllReduce
                                                    : CollectiveKind::AllGather;
      it.work.bytes = double(n) * policy.bitsOf(v) / 8.0;
      // Sequence parallelism turns an all-reduce of the residual stream
      // into a reduce-scatter (marked by tokenSplittable) and an
      // all-gather before the next column-parallel linear.
      it.tokenSplittable = kind == Collective::AllReduce;
      // Its backward mirror is the gradient of the next column-parallel
      // linears' input, which Megatron-LM reduces beside their GEMMs.
      if (kind == Collective::AllReduce)
        for (Operation *linear : columnLinearsFed(v)) {
          auto [dx, dw] = gemmGradients.lookup(linear);
          it.besideDx.append(dx.begin(), dx.end());
          it.besideDw.append(dw.begin(), dw.end());
        }
      for (Pass pass : {Pass::Forward, Pass::Backward}) {
        it.pass = pass;
        out.items.push_back(it);
      }
    }
  }
}

/// The column-parallel linears (a column-split or vocabulary-split GEMM)
/// that read `v`'s stream whole: the nearest ones along the users of `v`
/// through replicated ops (residual adds, norms), breadth first.
llvm::SmallVector<Operation *>
WorkListBuilder::columnLinearsFed(Value v) const {
  llvm::SmallVector<Operation *> found;
  llvm::SmallVector<Value> level = {v};
  llvm::DenseSet<Operation *> seen;
  while (!level.empty() && found.empty()) {
    llvm::SmallVector<Value> next;
    for (Value cur : level)
      for (Operation *user : cur.getUsers()) {
        if (!seen.insert(user).second)
          continue;
        const OpSplit *sp = splitOf(user);
        if (sp && (sp->kind == SplitKind::Column ||
                   sp->kind == SplitKind::Vocab) &&
            gemmGradients.count(user)) {
          found.push_back(user);
          continue;
        }
        if (!sp || sp->kind == SplitKind::Replicated || sp->units <= 1)
          llvm::append_range(next, user->getResults());
      }
    level = std::move(next);
  }
  return found;
}

WorkList WorkListBuilder::build(ArrayRef<TrainingLayerFigures> layerFigures) {
  WorkList out;
  out.layers = std::max(structure.getNumLayers(), 0);
  // The attention blocks whose region the kernel view made one kernel.
  llvm::DenseMap<Operation *, const AttentionBlock *> cores;
  for (const AttentionBlock &a : structure.getAttentions())
    if (a.scores && a.context)
      cores[a.scores] = &a;

  for (const Kernel &k : kernels.getKernels()) {
    if (!k.known || !k.mainOp) {
      ++out.unknownKernels;
      continue;
    }
    if (k.cls == KernelClass::Attention) {
      if (const AttentionBlock *a = cores.lookup(k.mainOp)) {
        addAttentionCore(*a, out);
        // The core's members have no other backward kernels in Megatron's
        // fused softmax; the GEMMs' were added with it.
        continue;
      }
      // A fused contrib attention op: flash attention; its backward
      // recomputes the scores (2.5x the forward's GEMM FLOPs, docs/
      // Training.md) and reads and writes twice the bytes.
      KernelWork w = k.getWork(policy.peakDtype(k.mainOp));
      w.bytes *= graphToPolicy(k.mainOp);
      WorkItem it;
      it.place = placeOf(k.mainOp);
      it.work = w;
      it.units = unitsOf(k.mainOp);
      it.axis = it.units > 1 ? SplitAxis::Bytes : SplitAxis::None;
      out.items.push_back(it);
      it.pass = Pass::Backward;
      it.work.flops *= 2.5;
      it.work.bytes *= 2;
      out.items.push_back(it);
      addBackward(k, out);
      continue;
    }
    if (k.cls == KernelClass::Gemm) {
      if (!k.m || !k.n || !k.k) {
        ++out.unknownKernels;
        continue;
      }
      addGemm(Pass::Forward, k.mainOp, k.m, k.n, k.k, k.batch, false, out);
      const OpSplit *sp = splitOf(k.mainOp);
      if (structure.getTag(k.mainOp).block == BlockKind::Head && sp &&
          sp->group >= 0 &&
          plan.getGroups()[sp->group].kind == UnitKind::Vocab)
        addCrossEntropy(k.mainOp, out);
    } else {
      double flops = double(k.flops.getInt64().value_or(0));
      addMemory(Pass::Forward, k.mainOp, k.cls, flops,
                k.bytes.value_or(0) * graphToPolicy(k.mainOp), k.row, false,
                out);
    }
    addBackward(k, out);
  }
  if (dropout)
    addResidualDropouts(out);
  addCollectives(out);

  // Activations: each kept tensor, divided as the op that keeps it reads
  // (or writes) it.
  llvm::DenseSet<Operation *> coreOps;
  for (const Kernel &k : kernels.getKernels())
    if (k.cls == KernelClass::Attention && cores.count(k.mainOp))
      for (Operation *op : k.ops)
        if (op != cores.lookup(k.mainOp)->context)
          coreOps.insert(op);
  for (const Activation &a : training.getActivations()) {
    auto elems = a.elements.getInt64();
    if (!elems)
      continue;
    Operation *by = a.savedBy;
    const OpSplit *sp = splitOf(by);
    int64_t units = 1;
    if (sp)
      units = llvm::is_contained(by->getResults(), a.value)
                  ? sp->writeUnits(by, a.value)
                  : sp->readUnits(by, a.value);
    Operation *def = a.value.getDefiningOp();
    bool core = def && coreOps.contains(def);
    out.kept.push_back({placeOf(by), double(*elems) * policy.bitsOf(a.value) / 8.0,
                        units, units <= 1 && placeOf(by) >= 0, core});
  }
  for (const TrainingLayerFigures &l : layerFigures)
    out.layerInputBytes.push_back(l.inputBytes);

  // Trainable weights, their units and places (a tied embedding lives on
  // the first and the last device).
  for (Value w : training.getTrainableWeights()) {
    WorkList::Weight weight;
    weight.elements = double(cast<ShapedType>(w.getType()).getNumElements());
    weight.elementBytes = policy.bitsOf(w) / 8.0;
    weight.units = plan.getWeightUnits(w);
    llvm::SmallVector<Value> stack = {w};
    while (!stack.empty()) {
      Value v = stack.pop_back_val();
      for (Operation *u : v.getUsers()) {
        if (isParameterView(u)) {
          stack.push_back(u->getResult(0));
          continue;
        }
        int p = placeOf(u);
        if (!llvm::is_contained(weight.places, p))
          weight.places.push_back(p);
      }
    }
    out.weights.push_back(weight);
  }

  // The residual stream's element size: the MLP output's (as the TP
  // figures take it).
  double streamBits = 32;
  for (const MLPBlock &m : structure.getMLPs())
    if (m.down) {
      streamBits = policy.bitsOf(m.down->getResult(0));
      break;
    }
  const ModelDims &d = structure.getDims();
  auto b = structure.getBatch().getInt64(), s = structure.getSeq().getInt64();
  if (b && s) {
    out.tokens = double(*b) * double(*s);
    if (d.dModel)
      out.streamBytes = out.tokens * double(*d.dModel) * streamBits / 8;
  }
  return out;
}

} // namespace

double mlir::tfperf::overlappedCollective(double collective,
                                          double besideCompute) {
  return std::max(0.0, collective - besideCompute);
}

namespace {

/// Prices a work list on one device at one degree.
class StepPricer {
public:
  StepPricer(const WorkList &list, const ParallelTrainingOptions &options,
             const DeviceSpec &device)
      : list(list), options(options), device(device), model(device) {}

  ParallelStepFigures price(int64_t t, TPFeasibility feasibility,
                            std::vector<std::string> &notes);

private:
  /// Seconds of a collective of `bytes` over `ranks`, on the scale-out
  /// tier when `crossNode`; the roofline figure in `roofline`.
  double collective(CollectiveKind kind, int64_t ranks, double bytes,
                    bool crossNode, double &roofline,
                    std::vector<std::string> &notes);
  /// The item at degree t on one device: seconds and roofline seconds.
  std::pair<double, double> kernel(const WorkItem &it, int64_t t,
                                   double &flops);

  const WorkList &list;
  const ParallelTrainingOptions &options;
  const DeviceSpec &device;
  TimeModel model;
};

double StepPricer::collective(CollectiveKind kind, int64_t ranks, double bytes,
                              bool crossNode, double &roofline,
                              std::vector<std::string> &notes) {
  if (ranks <= 1 && kind != CollectiveKind::SendRecv)
    return 0;
  double n = double(std::max<int64_t>(ranks, 2));
  // Ring volume at the link's bandwidth and per-step latency: the bound.
  double steps = kind == CollectiveKind::AllReduce ? 2 * (n - 1)
                 : kind == CollectiveKind::SendRecv ? 1
                                                    : n - 1;
  double volume = kind == CollectiveKind::SendRecv ? bytes : steps / n * bytes;
  if (device.linkBandwidth > 0)
    roofline += volume / device.linkBandwidth + steps * device.linkLatency;
  std::optional<double> t =
      model.collectiveTime(kind, ranks, bytes, crossNode ? "infiniband" : "");
  if (!t && crossNode) {
    t = model.collectiveTime(kind, ranks, bytes, "");
    std::string note = "no scale-out tier for " + device.name +
                       ": collectives across nodes priced on its scale-up tier";
    if (t && !llvm::is_contained(notes, note))
      notes.push_back(note);
  }
  if (t)
    return *t;
  std::string note = "no calibrated collective tier covers " +
                     std::to_string(ranks) +
                     " ranks: priced on the database link (ring)";
  if (!llvm::is_contained(notes, note))
    notes.push_back(note);
  return device.linkBandwidth > 0
             ? volume / device.linkBandwidth + steps * device.linkLatency
             : 0;
}

std::pair<double, double> StepPricer::kernel(const WorkItem &it, int64_t t,
                                             double &flops) {
  KernelWork w = it.work;
  int64_t div = tpDivisor(it.units, t);
  bool tokens = options.sequenceParallel && it.tokenSplittable && t > 1;
  double share = 1;
  switch (it.axis) {
  case SplitAxis::N:
    w.n = ceilDiv(w.n, div);
    break;
  case SplitAxis::K:
    w.k = ceilDiv(w.k, div);
    break;
  case SplitAxis::Batch:
    w.batch = ceilDiv(w.batch, div);
    break;
  case SplitAxis::Bytes:
    share = 1.0 / double(div);
    if (w.row > 0 && (w.cls == KernelClass::ActSiluMul ||
                      w.cls == KernelClass::Rope))
      w.row = ceilDiv(w.row, div);
    break;
  case SplitAxis::None:
    if (tokens)
      share = 1.0 / double(t);
    break;
  }
  if (w.cls == KernelClass::Gemm) {
    w.flops = 2.0 * double(w.batch) * w.m * w.n * w.k;
    w.bytes = gemmBytes(w, it.elementBytes);
  } else {
    w.flops *= share;
    w.bytes *= share;
  }
  flops += w.flops;
  KernelTime kt = model.price(w);
  return {kt.seconds, kt.roofline};
}

ParallelStepFigures StepPricer::price(int64_t t, TPFeasibility feasibility,
                                      std::vector<std::string> &notes) {
  ParallelStepFigures f;
  f.tp = t;
  f.feasible = feasibility.feasible;
  f.reason = feasibility.reason;
  if (!f.feasible)
    return f;
  const PipelineShape &pipe = options.pipeline;
  int L = list.layers;
  f.byLayer.assign(L, {});
  bool sp = options.sequenceParallel && t > 1;
  bool full = options.recompute == RecomputeMode::Full;
  bool selective = options.recompute == RecomputeMode::Selective;
  // Per place: the layers, then before and after them.
  std::vector<double> placeTime(L + 2, 0), placeRoof(L + 2, 0);
  auto slot = [&](int place) {
    return place >= 0 ? place : place == kBefore ? L : L + 1;
  };
  // Devices of the pipeline: chunks of L / (p v) layers, chunk c on device
  // c mod p; the embedding on the first device, the rest on the last.
  int64_t p = pipe.stages, v = pipe.virtualStages;
  int64_t chunk = L > 0 ? L / (p * v) : 0;
  auto deviceOf = [&](int place) -> int64_t {
    if (place == kBefore || L == 0)
      return place == kAfter ? p - 1 : 0;
    if (place == kAfter)
      return p - 1;
    return (place / std::max<int64_t>(chunk, 1)) % p;
  };
  // The GEMMs of `items` at degree t: seconds and roofline.
  auto gemmTime = [&](ArrayRef<size_t> items) {
    std::pair<double, double> sum;
    for (size_t i : items) {
      double ignored = 0;
      auto [sec, rl] = kernel(list.items[i], t, ignored);
      sum.first += sec;
      sum.second += rl;
    }
    return sum;
  };
  // Seconds (and roofline seconds) at `place`, once more when recomputed.
  auto charge = [&](int place, double seconds, double roof, double again,
                    bool forward) {
    placeRoof[slot(place)] += roof * (again > 0 ? 2 : 1);
    placeTime[slot(place)] += seconds + again;
    if (place >= 0) {
      ParallelLayerFigures &l = f.byLayer[place];
      l.commTime += seconds + again;
      (forward ? l.forwardCommTime : l.backwardCommTime) += seconds;
      l.backwardCommTime += again;
    }
  };
  for (const WorkItem &it : list.items) {
    double roof = 0, seconds = 0, flops = 0;
    bool fwd = it.pass == Pass::Forward;
    if (it.collective) {
      if (t <= 1)
        continue;
      // Backward, Megatron-LM runs the next column-parallel linear's
      // collectives beside its GEMMs, on its device (overlappedCollective):
      // the input's all-gather beside dX, the input gradient's
      // reduce-scatter or all-reduce beside dW.
      bool beside = !fwd && !it.besideDw.empty();
      auto [dx, dxRoof] = gemmTime(beside ? it.besideDx : ArrayRef<size_t>());
      auto [dw, dwRoof] = gemmTime(beside ? it.besideDw : ArrayRef<size_t>());
      double besideSeconds = 0, besideRoof = 0;
      if (sp && it.tokenSplittable) {
        // Sequence parallelism (Korthikanti et al. 2022, §4.2.2), forward:
        // the reduce-scatter after the row-parallel linear and the
        // all-gather before the next column-parallel one; backward: the
        // gradient's all-gather (the reduce-scatter's) here, and the next
        // linear's input all-gather and its gradient's reduce-scatter.
        double rsRoof = 0, agRoof = 0;
        double rs = collective(CollectiveKind::ReduceScatter, t,
                               it.work.bytes, t > 8, rsRoof, notes);
        double ag = collective(CollectiveKind::AllGather, t, it.work.bytes,
                               t > 8, agRoof, notes);
        seconds = fwd ? rs + ag : ag;
        roof = fwd ? rsRoof + agRoof : agRoof;
        if (!fwd) {
          besideSeconds =
              overlappedCollective(ag, dx) + overlappedCollective(rs, dw);
          besideRoof = overlappedCollective(agRoof, dxRoof) +
                       overlappedCollective(rsRoof, dwRoof);
        }
        if (!beside) {
          // No column-parallel linear found: all of it here.
          seconds += besideSeconds;
          roof += besideRoof;
          besideSeconds = besideRoof = 0;
        }
        (fwd ? f.forwardCollectives : f.backwardCollectives) += fwd ? 2 : 3;
      } else {
        seconds =
            collective(*it.collective, t, it.work.bytes, t > 8, roof, notes);
        if (beside) {
          besideSeconds = overlappedCollective(seconds, dw);
          besideRoof = overlappedCollective(roof, dwRoof);
          seconds = roof = 0;
        }
        ++(fwd ? f.forwardCollectives : f.backwardCollectives);
      }
      if (fwd)
        f.forwardCommBytes += it.work.bytes;
      (fwd ? f.forwardCommTime : f.backwardCommTime) += seconds + besideSeconds;
      double again = fwd && full && it.place >= 0 ? seconds : 0;
      f.recomputeCommTime += again;
      charge(it.place, seconds, roof, again, fwd);
      if (beside)
        charge(list.items[it.besideDw.front()].place, besideSeconds,
               besideRoof, 0, /*forward=*/false);
      continue;
    }
    auto [sec, rl] = kernel(it, t, flops);
    seconds = sec;
    // Recomputation redoes forward kernels of the layers in the backward
    // pass: every one (full) or the attention core's (selective).
    bool redo = fwd && it.place >= 0 && (full || (selective && it.core));
    double again = redo ? seconds : 0;
    (fwd ? f.forwardTime : f.backwardTime) += seconds;
    (fwd ? f.forwardFlops : f.backwardFlops) += flops;
    f.recomputeTime += again;
    f.recomputeFlops += redo ? flops : 0;
    placeRoof[slot(it.place)] += rl * (redo ? 2 : 1);
    placeTime[slot(it.place)] += seconds + again;
    if (it.place >= 0) {
      ParallelLayerFigures &l = f.byLayer[it.place];
      (fwd ? l.forwardTime : l.backwardTime) += seconds;
      l.recomputeTime += again;
      l.flops += flops + (redo ? flops : 0);
    }
  }
  f.unknownKernels = list.unknownKernels;

  f.layersPerDevice.assign(p, 0);
  f.deviceTimes.assign(p, 0);
  std::vector<double> deviceRoof(p, 0);
  for (int l = 0; l < L; ++l) {
    ++f.layersPerDevice[deviceOf(l)];
    f.deviceTimes[deviceOf(l)] += placeTime[l];
    deviceRoof[deviceOf(l)] += placeRoof[l];
  }
  for (int place : {kBefore, kAfter}) {
    f.deviceTimes[deviceOf(place)] += placeTime[slot(place)];
    deviceRoof[deviceOf(place)] += placeRoof[slot(place)];
  }

  // Point-to-point: the residual stream of one micro-batch; with TP each
  // rank sends its 1/t and the receivers all-gather it (Megatron's
  // scatter/gather optimisation). Across nodes when a node's 8 devices
  // hold one stage's TP x DP ranks.
  double sendRoof = 0;
  if (p > 1) {
    f.sendBytes = list.streamBytes / double(t);
    bool crossNode = t * options.dp >= 8;
    f.sendTime = collective(CollectiveKind::SendRecv, 2, f.sendBytes,
                            crossNode, sendRoof, notes);
    if (t > 1)
      f.sendTime += collective(CollectiveKind::AllGather, t, list.streamBytes,
                               t > 8, sendRoof, notes);
  }
  f.pipeline = schedulePipeline(pipe, f.deviceTimes, f.sendTime);

  // Weights, gradients and the optimizer on the busiest device.
  std::vector<double> params(p, 0), gradBytes(p, 0);
  for (const WorkList::Weight &w : list.weights) {
    llvm::SmallVector<int64_t, 2> devs;
    for (int place : w.places)
      if (!llvm::is_contained(devs, deviceOf(place)))
        devs.push_back(deviceOf(place));
    double share = w.elements / double(tpDivisor(w.units, t));
    for (int64_t d : devs) {
      params[d] += share;
      gradBytes[d] += share * w.elementBytes;
    }
  }
  int64_t busiest = std::max_element(params.begin(), params.end()) -
                    params.begin();
  f.parametersPerDevice = params[busiest];
  f.gradientBytesPerDevice = gradBytes[busiest];
  f.modelStateBytes = f.parametersPerDevice * options.optimizerBytesPerParam;
  double dpRoof = 0;
  f.dpAllReduceTime =
      options.dp > 1
          ? collective(CollectiveKind::AllReduce, options.dp,
                       f.gradientBytesPerDevice, t * options.dp > 8, dpRoof,
                       notes)
          : 0;
  // Gradients have their weights' type: the gradient bytes are the
  // weights' bytes.
  double stepBytes =
      optimizerStepBytes(f.parametersPerDevice, f.gradientBytesPerDevice,
                         f.modelStateBytes);
  f.optimizerTime = model.memTime(KernelClass::Add, stepBytes, 1, 0);
  // The same schedule over the rooflines: the bound.
  f.rooflineTime = schedulePipeline(pipe, deviceRoof, sendRoof).iteration() +
                   dpRoof + stepBytes / device.memBandwidth;

  // Activations per device: each layer's kept tensors at this degree, the
  // micro-batches in flight, the whole of one layer while it is recomputed.
  std::vector<double> perLayer(L, 0), outside(2, 0);
  for (const WorkList::Kept &k : list.kept) {
    if (selective && k.core)
      continue;
    double bytes = k.bytes / double(tpDivisor(k.units, t));
    if (sp && k.tokenSplittable)
      bytes = k.bytes / double(t);
    if (k.place >= 0 && k.place < L)
      perLayer[k.place] += bytes;
    else
      outside[k.place == kBefore ? 0 : 1] += bytes;
  }
  std::vector<double> held(p, 0), largestLayer(p, 0);
  for (int l = 0; l < L; ++l) {
    f.byLayer[l].activationBytes = perLayer[l];
    double input = l < (int)list.layerInputBytes.size()
                       ? list.layerInputBytes[l] / double(sp ? t : 1)
                       : 0;
    held[deviceOf(l)] += full ? input : perLayer[l];
    largestLayer[deviceOf(l)] = std::max(largestLayer[deviceOf(l)], perLayer[l]);
  }
  held[deviceOf(kBefore)] += outside[0];
  held[deviceOf(kAfter)] += outside[1];
  f.microbatchesInFlight = activationsInFlight(pipe);
  for (int64_t d = 0; d < p; ++d) {
    double mem = held[d] * f.microbatchesInFlight + (full ? largestLayer[d] : 0);
    if (mem >= f.activationBytes) {
      f.activationBytes = mem;
      f.activationBytesPerMicrobatch = held[d];
    }
  }
  f.fitsMemory =
      f.modelStateBytes + f.activationBytes <= device.memCapacity;
  f.tokens = list.tokens * double(pipe.microbatches) * double(options.dp);
  return f;
}

} // namespace

ParallelTrainingAnalysis::ParallelTrainingAnalysis(Operation *root,
                                                   AnalysisManager &am)
    : options(ParallelTrainingOptions::fromModule(root)) {
  const TrainingFiguresAnalysis &training =
      am.getAnalysis<TrainingFiguresAnalysis>();
  if (!training.succeeded()) {
    error = training.getError();
    return;
  }
  auto pricing = getPricingConfig(am, error);
  if (!pricing)
    return;
  const TensorParallelPlan *plan =
      am.getAnalysis<TensorParallelPlanAnalysis>().getPlan();
  if (!plan) {
    error = "the parallel training step needs a function to analyse";
    return;
  }
  const TransformerStructure &structure = training.getStructure();
  int layers = std::max(structure.getNumLayers(), 0);
  const PipelineShape &pipe = options.pipeline;
  // A configuration written by hand passed only the attribute's verifier.
  error = checkPipelineOptions(pipe);
  if (!error.empty())
    return;
  if (pipe.stages > 1 && layers == 0) {
    error = "--pp=" + std::to_string(pipe.stages) +
            ": the graph has no transformer layers to divide into stages";
    return;
  }
  if (layers > 0 && layers % (pipe.stages * pipe.virtualStages) != 0) {
    error = "--pp=" + std::to_string(pipe.stages) +
            (pipe.virtualStages > 1
                 ? " x --pp-virtual-stages=" + std::to_string(pipe.virtualStages)
                 : std::string()) +
            " does not divide the graph's " + std::to_string(layers) +
            " layers";
    return;
  }
  KernelAnalysis kernels(root, am.getAnalysis<CostAnalysis>(), structure);
  WorkListBuilder builder(training.getTraining(), structure, *plan, kernels,
                          pricing->policy, options.dropout);
  ArrayRef<TrainingFigures> figures = training.getPerDevice();
  WorkList list = builder.build(
      figures.empty() ? ArrayRef<TrainingLayerFigures>()
                      : ArrayRef<TrainingLayerFigures>(figures.front().byLayer));
  for (const DeviceSpec &device : pricing->devices) {
    ParallelTrainingFigures out;
    out.device = device.name;
    StepPricer pricer(list, options, device);
    out.calibrated = TimeModel(device).isCalibrated();
    for (int64_t t : options.tp)
      out.degrees.push_back(
          pricer.price(t, checkDegree(*plan, t, device), out.notes));
    perDevice.push_back(std::move(out));
  }
  ok = true;
}
