//===- TrainingAnalysis.cpp - backward pass, activations, model state -----===//
//
// Gradient flow is decided per value in two sweeps over each function's
// body (which is in topological order): forward, a float value requires a
// gradient when it is a weight, a graph input that is asked to, or a result
// of a differentiable op with an operand that requires one; backward, it
// needs one when a graph output is it or an op with a result that needs a
// gradient reads it. Every op with a result that needs a gradient then
// reports its backward kernels and kept tensors through CostOpInterface.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Analysis/TrainingAnalysis.h"
#include "tfperf/Analysis/AnalysisConfig.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"

#include <algorithm>
#include <cmath>
#include <set>

using namespace mlir;
using namespace mlir::tfperf;

namespace {
bool carriesGradient(Type t) {
  auto st = dyn_cast<ShapedType>(t);
  return isa<FloatType>(st ? st.getElementType() : t);
}

/// Ops whose results do not depend differentiably on their operands
/// (comparisons and logic have boolean results anyway; these have float
/// ones).
bool isNonDifferentiable(Operation *op) {
  return isShapeDerived(op) || isBooleanLogic(op) || isa<ConstantOp>(op);
}

double evalDouble(const SymExpr &e) {
  if (e.isConstant())
    return int128ToDouble(e.getConstant());
  return e.evaluateDouble(
      [](llvm::StringRef) -> std::optional<double> { return std::nullopt; });
}

double bytesOf(const SymExpr &elements, Value v, const DtypePolicy &policy) {
  return evalDouble(elements) * policy.bitsOf(v) / 8;
}
} // namespace

bool mlir::tfperf::isStoredParameter(Value v) {
  // Views, slices and broadcasts of a parameter are its storage.
  return getParameterStorage(v, /*throughSlices=*/true) != nullptr;
}

SmallVector<const BackwardOp *, 4> BackwardRecord::kernels() const {
  SmallVector<const BackwardOp *, 4> all;
  for (const BackwardOp &k : cost.ops)
    all.push_back(&k);
  for (const BackwardOp &k : accumulate)
    all.push_back(&k);
  return all;
}

/// The options of the configuration's training part.
static TrainingOptions configuredOptions(Operation *root) {
  TrainingOptions options;
  if (TrainingConfigAttr training = getConfig(root).getTraining()) {
    options.inputRequiresGrad = training.getInputRequiresGrad();
    options.optimizerBytesPerParam =
        training.getOptimizerBytesPerParam().convertToDouble();
  }
  return options;
}

TrainingAnalysis::TrainingAnalysis(Operation *root, AnalysisManager &)
    : TrainingAnalysis(root, configuredOptions(root)) {}

TrainingAnalysis::TrainingAnalysis(Operation *root,
                                   const TrainingOptions &options)
    : options(options) {
  TypeShapeQuery shapes;
  compute(root, shapes);
}

TrainingAnalysis::TrainingAnalysis(Operation *root,
                                   const TrainingOptions &options,
                                   const ShapeQuery &shapes)
    : options(options) {
  compute(root, shapes);
}

const BackwardRecord *TrainingAnalysis::lookup(Operation *op) const {
  auto it = index.find(op);
  return it == index.end() ? nullptr : &records[it->second];
}

BackwardRecord &TrainingAnalysis::recordFor(Operation *op) {
  auto [it, inserted] = index.try_emplace(op, records.size());
  if (inserted) {
    BackwardRecord rec;
    rec.op = op;
    rec.known = true;
    rec.name = getNodeName(op);
    if (rec.name.empty())
      rec.name = op->getName().getStringRef().str();
    rec.opType = getONNXOpType(op);
    records.push_back(std::move(rec));
  }
  return records[it->second];
}

void TrainingAnalysis::compute(Operation *root, const ShapeQuery &q) {
  SmallVector<func::FuncOp, 1> funcs;
  if (auto f = dyn_cast<func::FuncOp>(root))
    funcs.push_back(f);
  else
    root->walk([&](func::FuncOp f) {
      if (!f.isExternal() && isa_and_nonnull<ModuleOp>(f->getParentOp()))
        funcs.push_back(f);
    });
  for (func::FuncOp f : funcs) {
    Block &body = f.getBody().front();
    Operation *ret = body.getTerminator();

    // Forward: what depends differentiably on a trainable value.
    if (options.inputRequiresGrad)
      for (BlockArgument a : body.getArguments())
        if (carriesGradient(a.getType()))
          flow.required.insert(a);
    for (Operation &op : body) {
      if (&op == ret)
        continue;
      if (isa<WeightOp>(op)) {
        if (carriesGradient(op.getResult(0).getType()))
          flow.required.insert(op.getResult(0));
        continue;
      }
      if (isNonDifferentiable(&op) ||
          llvm::none_of(op.getOperands(), [&](Value v) {
            return flow.required.contains(v);
          }))
        continue;
      for (Value r : op.getResults())
        if (carriesGradient(r.getType()))
          flow.required.insert(r);
    }

    // Backward: what the loss (a function of every output) reaches.
    for (Value v : ret->getOperands())
      if (flow.required.contains(v)) {
        flow.needed.insert(v);
        ++gradientOutputs;
      }
    auto active = [&](Operation *op) {
      return op != ret && llvm::any_of(op->getResults(), [&](Value r) {
               return flow.needed.contains(r);
             });
    };
    for (Operation &op : llvm::reverse(body)) {
      if (!active(&op))
        continue;
      for (Value v : op.getOperands())
        if (flow.required.contains(v))
          flow.needed.insert(v);
    }

    // Gradients that reach a value from several users are summed: a kernel
    // of the value's producer (or, for a graph input, of its first user).
    llvm::DenseMap<Operation *, SmallVector<BackwardOp, 1>> sums;
    auto accumulate = [&](Value v, Operation *owner) {
      if (!flow.needed.contains(v))
        return;
      int64_t k = 0;
      for (OpOperand &use : v.getUses()) {
        Operation *user = use.getOwner();
        if (user->getBlock() == &body && (user == ret || active(user)))
          ++k;
      }
      if (k < 2 || !owner)
        return;
      SymExpr n = q.numElements(v);
      BackwardOp sum;
      sum.name = "d(" + std::to_string(k) + " uses) summed";
      sum.flops = SymExpr(k - 1) * n;
      sum.read(v, SymExpr(k) * n);
      sum.write(v, n);
      sums[owner].push_back(std::move(sum));
    };
    for (BlockArgument a : body.getArguments()) {
      if (!flow.needed.contains(a))
        continue; // no gradient: no first user to look for
      Operation *first = nullptr;
      for (Operation &op : body)
        if (active(&op) && llvm::is_contained(op.getOperands(), a)) {
          first = &op;
          break;
        }
      accumulate(a, first);
    }
    for (Operation &op : body)
      for (Value r : op.getResults())
        accumulate(r, &op);

    // The backward of every op a gradient reaches, in IR order.
    for (Operation &op : body) {
      bool isActive = active(&op) && !isa<WeightOp>(op);
      auto sum = sums.find(&op);
      if (!isActive && sum == sums.end())
        continue;
      BackwardRecord &rec = recordFor(&op);
      if (sum != sums.end())
        rec.accumulate = std::move(sum->second);
      if (!isActive)
        continue;
      if (auto iface = dyn_cast<CostOpInterface>(&op))
        rec.known = succeeded(iface.computeBackwardCost(q, flow, rec.cost));
      else {
        rec.known = false;
        rec.cost.unknownReason =
            "no backward model for " + op.getName().getStringRef().str();
      }
      for (const BackwardOp *k : rec.kernels()) {
        if (rec.known && (k->flops.isOverflow() || k->gemmFlops.isOverflow())) {
          rec.known = false;
          rec.cost.unknownReason = "backward FLOPs overflow 128 bits";
        }
        if (rec.known &&
            (namesAbsentValue(k->reads) || namesAbsentValue(k->writes))) {
          rec.known = false;
          rec.cost.unknownReason = "internal error: the backward model of " +
                                   op.getName().getStringRef().str() +
                                   " names an operand the op lacks";
        }
      }
      if (!rec.known && rec.cost.unknownReason.empty())
        rec.cost.unknownReason = "backward unknown";
    }

    for (Operation &op : body)
      if (isa<WeightOp>(op) && flow.needed.contains(op.getResult(0)))
        trainable.push_back(op.getResult(0));
  }

  // Each kept tensor once, attributed to the first op that keeps it.
  std::set<std::pair<const void *, std::string>> seen;
  for (BackwardRecord &rec : records) {
    if (!rec.known)
      continue;
    for (unsigned i = 0; i < rec.cost.saved.size(); ++i) {
      const SavedTensor &s = rec.cost.saved[i];
      if (isStoredParameter(s.value) ||
          !seen.insert({s.value.getAsOpaquePointer(), s.what}).second)
        continue;
      rec.firstSaved.push_back(i);
      activations.push_back({s.value, s.elements, s.what, rec.op});
    }
  }
}

//===----------------------------------------------------------------------===//
// Figures on a device
//===----------------------------------------------------------------------===//

namespace {
/// The figures of one backward kernel, evaluated like a forward op.
OpFigures evaluateKernel(Operation *op, const BackwardOp &k,
                         const DtypePolicy &policy, const DeviceSpec &device) {
  OpCostRecord rec;
  rec.op = op;
  rec.known = true;
  rec.cost.flops = k.flops;
  rec.cost.gemmFlops = k.gemmFlops;
  rec.cost.reads = k.reads;
  rec.cost.writes = k.writes;
  return evaluateOp(rec, policy, device);
}

/// A product of two activations (attention's Q K^T and P V).
bool isActivationProduct(Operation *op) {
  if (!isContraction(op) || op->getNumOperands() < 2)
    return false;
  return llvm::none_of(op->getOperands(),
                       [](Value v) { return isParameter(v); });
}

/// The attention GEMM FLOPs of a fused attention op's forward.
SymExpr fusedAttentionGemm(const OpCost &cost) {
  SymExpr sum(0);
  for (const CostPart &p : cost.parts)
    if (p.name == "scores (Q K^T)" || p.name == "context (P V)")
      sum = sum + p.flops;
  return sum;
}

/// A graph input used only as the weight of linears (weights passed as
/// inputs).
bool isWeightInput(Value v) {
  if (v.use_empty())
    return false;
  return llvm::all_of(v.getUsers(), [&](Operation *user) {
    Value input = getLinearInput(user);
    return input && input != v;
  });
}

/// A weight read only as an embedding table (gathered rows).
bool isEmbeddingTable(Value w) {
  bool any = false;
  for (OpOperand &use : w.getUses()) {
    Operation *user = use.getOwner();
    if (isa<GatherOp>(user) && use.getOperandNumber() == 0) {
      any = true;
      continue;
    }
    if (auto e = dyn_cast<MSEmbedLayerNormOp>(user))
      if (use.get() == e.getWordEmbedding() ||
          use.get() == e.getPositionEmbedding() ||
          use.get() == e.getSegmentEmbedding()) {
        any = true;
        continue;
      }
    return false;
  }
  return any;
}

/// The trainable weight `v` is, through views and casts (null if none).
Value trainableWeightOf(Value v, const llvm::DenseSet<Value> &trainable) {
  for (int guard = 0; guard < 16; ++guard) {
    if (trainable.contains(v))
      return v;
    Operation *def = v.getDefiningOp();
    if (!def || !isViewLike(def))
      return {};
    v = def->getOperand(0);
  }
  return {};
}

KorthikantiFigures korthikanti(int64_t s, int64_t b, int64_t h, int64_t a) {
  KorthikantiFigures k{s, b, h, a};
  double sbh = double(s) * b * h, as2b = double(a) * s * s * b;
  // Attention: QKV input 2sbh, Q and K 4sbh, softmax output 2as²b, its
  // dropout mask as²b, dropout output 2as²b, V 2sbh, the output
  // projection's input 2sbh and its dropout mask sbh.
  k.attention = 11 * sbh + 5 * as2b;
  k.attentionNoDropout = 10 * sbh + 2 * as2b;
  // MLP: the two linears' inputs 2sbh and 8sbh, GeLU's input 8sbh, the
  // dropout mask sbh.
  k.mlp = 19 * sbh;
  k.mlpNoDropout = 18 * sbh;
  // Two LayerNorms keep their inputs: 4sbh.
  k.norm = 4 * sbh;
  k.total = k.attention + k.mlp + k.norm;
  k.totalNoDropout = k.attentionNoDropout + k.mlpNoDropout + k.norm;
  return k;
}
} // namespace

std::optional<TrainingFigures> mlir::tfperf::evaluateTraining(
    const TrainingAnalysis &training, const CostAnalysis &forward,
    const TransformerStructure *structure, const DtypePolicy &policy,
    const DeviceSpec &device, std::string &error) {
  TrainingFigures f;
  std::string err16;
  // The Korthikanti comparison counts 16-bit activations, as the formula.
  DtypePolicy policy16 = *DtypePolicy::parse("fp16", "", err16);
  int layers = structure ? structure->getNumLayers() : 0;
  f.byLayer.resize(std::max(layers, 0));
  auto layerOf = [&](Operation *op) {
    return structure ? structure->getTag(op).layer : -1;
  };

  f.tokens = NAN;
  if (structure) {
    double t = evalDouble(structure->getBatch() * structure->getSeq());
    if (t > 0)
      f.tokens = t;
  }

  // Forward.
  llvm::DenseSet<Value> trainable(training.getTrainableWeights().begin(),
                                  training.getTrainableWeights().end());
  llvm::DenseSet<Value> linearWeights;
  for (const OpCostRecord &rec : forward.getRecords()) {
    OpFigures o = evaluateOp(rec, policy, device);
    if (!o.problem.empty()) {
      ++f.forwardUnknownOps;
      continue;
    }
    f.forwardFlops += o.flops;
    f.forwardGemmFlops += o.gemmFlops;
    f.forwardBytes += o.bytes;
    f.forwardTime += o.time;
    if (isActivationProduct(rec.op))
      f.attentionGemmFlops += o.gemmFlops;
    else if (!rec.cost.parts.empty())
      f.attentionGemmFlops += evalDouble(fusedAttentionGemm(rec.cost));
    int l = layerOf(rec.op);
    if (l >= 0 && l < layers) {
      f.byLayer[l].forwardFlops += o.flops;
      f.byLayer[l].forwardTime += o.time;
      f.recomputeFlops += o.flops;
      f.recomputeTime += o.time;
    }
    // The trained weight of a linear, and whether the linear runs on
    // another number of rows than there are tokens (a head on the last
    // token only, a projection of an encoder's frames).
    if (o.gemmFlops > 0)
      for (Value v : rec.op->getOperands())
        if (Value w = trainableWeightOf(v, trainable)) {
          double params = cast<ShapedType>(w.getType()).getNumElements();
          if (!linearWeights.insert(w).second)
            break;
          f.linearParameters += params;
          if (f.tokens > 0 &&
              std::fabs(o.gemmFlops / (2 * params) - f.tokens) > 1e-9 * f.tokens)
            f.irregularLinearParameters += params;
          break;
        }
  }

  // Backward.
  for (const BackwardRecord &rec : training.getRecords()) {
    BackwardFigures b;
    if (!rec.known) {
      b.problem = rec.cost.unknownReason;
    } else {
      for (const BackwardOp *k : rec.kernels()) {
        OpFigures o = evaluateKernel(rec.op, *k, policy, device);
        if (!o.problem.empty()) {
          b.problem = o.problem;
          break;
        }
        b.flops += o.flops;
        b.gemmFlops += o.gemmFlops;
        b.bytes += o.bytes;
        b.time += o.time;
      }
    }
    for (unsigned i : rec.firstSaved) {
      const SavedTensor &s = rec.cost.saved[i];
      b.savedBytes += bytesOf(s.elements, s.value, policy);
    }
    if (!b.problem.empty()) {
      ++f.backwardUnknownOps;
    } else {
      f.backwardFlops += b.flops;
      f.backwardGemmFlops += b.gemmFlops;
      f.backwardBytes += b.bytes;
      f.backwardTime += b.time;
      if (isActivationProduct(rec.op))
        f.attentionGemmFlops += b.gemmFlops;
      else
        for (const BackwardOp &k : rec.cost.ops)
          if (k.name == "attention backward (recomputes P)")
            f.attentionGemmFlops += evalDouble(k.gemmFlops);
      int l = layerOf(rec.op);
      if (l >= 0 && l < layers) {
        f.byLayer[l].backwardFlops += b.flops;
        f.byLayer[l].backwardTime += b.time;
      }
    }
    f.ops.push_back(std::move(b));
  }

  // Activations, per layer, and what full recomputation keeps: each
  // layer's inputs (its checkpoint), the activations outside the layers,
  // and one layer's other activations at a time.
  std::vector<llvm::DenseSet<Value>> inputs(std::max(layers, 0));
  llvm::DenseSet<Value> checkpoints;
  for (const OpCostRecord &rec : forward.getRecords()) {
    int l = layerOf(rec.op);
    if (l < 0 || l >= layers || !isa<func::FuncOp>(rec.op->getParentOp()))
      continue;
    for (Value v : rec.op->getOperands()) {
      Operation *def = v.getDefiningOp();
      // Weights passed as graph inputs are parameters, not checkpoints.
      if ((def && layerOf(def) == l) || isStoredParameter(v) ||
          (!def && isWeightInput(v)) || !isa<ShapedType>(v.getType()))
        continue;
      inputs[l].insert(v);
      checkpoints.insert(v);
    }
  }
  std::vector<double> recomputed(std::max(layers, 0), 0.0);
  llvm::DenseSet<Value> outsideValues;
  for (const Activation &a : training.getActivations()) {
    double bytes = bytesOf(a.elements, a.value, policy);
    f.activationBytes += bytes;
    int l = layerOf(a.savedBy);
    if (l >= 0 && l < layers) {
      TrainingLayerFigures &lf = f.byLayer[l];
      lf.activationBytes += bytes;
      double b16 = bytesOf(a.elements, a.value, policy16);
      lf.activationBytes16 += b16;
      lf.byBlock16[(unsigned)structure->getTag(a.savedBy).block] += b16;
      if (!(a.what.empty() && checkpoints.contains(a.value)))
        recomputed[l] += bytes;
    } else {
      f.outsideLayersActivationBytes += bytes;
      if (a.what.empty())
        outsideValues.insert(a.value);
    }
  }
  f.activationBytesRecompute = f.outsideLayersActivationBytes;
  if (layers > 0) {
    TypeShapeQuery shapes;
    llvm::DenseSet<Value> counted;
    for (int l = 0; l < layers; ++l)
      for (Value v : inputs[l]) {
        double bytes = bytesOf(shapes.numElements(v), v, policy);
        f.byLayer[l].inputBytes += bytes;
        if (!outsideValues.contains(v) && counted.insert(v).second)
          f.activationBytesRecompute += bytes;
      }
    f.activationBytesRecompute +=
        *std::max_element(recomputed.begin(), recomputed.end());
  } else {
    f.activationBytesRecompute = f.activationBytes;
  }

  // Model state: weights, their gradients (same type), optimizer state.
  for (Value w : training.getTrainableWeights()) {
    double n = cast<ShapedType>(w.getType()).getNumElements();
    double bytes = n * policy.bitsOf(w) / 8;
    f.parameters += n;
    if (!isEmbeddingTable(w))
      f.nonEmbeddingParameters += n;
    f.weightBytes += bytes;
    f.gradientBytes += bytes;
  }
  double perParam = training.getOptions().optimizerBytesPerParam;
  f.modelStateBytes = f.parameters * perParam;
  f.optimizerBytes = f.modelStateBytes - f.weightBytes - f.gradientBytes;
  if (f.parameters > 0 && f.optimizerBytes < 0) {
    char buf[160];
    snprintf(buf, sizeof(buf),
             "--optimizer-bytes-per-param=%g is less than the weights and "
             "gradients alone take (%g bytes per parameter)",
             perParam, (f.weightBytes + f.gradientBytes) / f.parameters);
    error = buf;
    return std::nullopt;
  }
  // The optimizer step reads the whole model state and writes all of it
  // but the gradients.
  double stepBytes = 2 * f.modelStateBytes - f.gradientBytes;
  f.optimizerTime =
      std::max(kAdamFlopsPerParam * f.parameters / device.vectorPeak,
               stepBytes / device.memBandwidth);

  // Korthikanti et al.'s per-layer formula, for a transformer whose dims
  // the graph shows.
  if (!structure || !structure->isTransformer()) {
    f.korthikantiNote = "no attention layers recognised";
  } else if (training.getNumGradientOutputs() == 0) {
    f.korthikantiNote = "no graph output carries a gradient";
  } else {
    const ModelDims &d = structure->getDims();
    auto b = structure->getBatch().getInt64();
    auto s = structure->getSeq().getInt64();
    if (!d.dModel || !d.nHeads || !b || !s) {
      f.korthikantiNote = "the graph does not show s, b, h and a";
    } else {
      f.korthikanti = korthikanti(*s, *b, *d.dModel, *d.nHeads);
    }
  }
  return f;
}
