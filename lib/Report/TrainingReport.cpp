//===- TrainingReport.cpp - the training section of the reports -----------===//
//
// One training step: forward and backward work, model state and
// activation memory, the step time per device, activations per layer and
// by block against Korthikanti et al.'s formula, and the backward pass op
// by op (the table the domain doc works through for a 3-layer MLP). JSON
// names follow docs/report-schema.md.
//
//===----------------------------------------------------------------------===//

#include "SummaryTables.h"
#include "Quoting.h"

#include "tfperf/Dialect/TFPerf/IR/TFPerfAttrs.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tfperf;

namespace {
std::string num(double v, int digits = 2) { return fixedOrDash(v, digits); }

std::string ratio(double a, double b) {
  return b > 0 && !std::isnan(a) ? num(a / b) + "x" : std::string("-");
}

std::string count(double v) {
  if (std::isnan(v))
    return "?";
  std::string s = formatRate(v, "");
  while (!s.empty() && s.back() == ' ')
    s.pop_back();
  return s;
}

/// "1x1024x768", with symbolic dims by name.
std::string shapeOf(Value v) {
  auto d = getSymbolicDims(v.getType());
  if (!d)
    return "?";
  if (d->empty())
    return "scalar";
  std::string s;
  for (const SymExpr &x : *d)
    s += (s.empty() ? "" : "x") + (x.isKnown() ? x.str() : std::string("?"));
  return s;
}

/// The forward shape column: the product's operand shapes for matmuls
/// (Gemm with its transposes applied), the output's shape otherwise.
std::string forwardShape(Operation *op) {
  if (auto m = dyn_cast<MatMulOp>(op))
    return shapeOf(m.getA()) + " . " + shapeOf(m.getB());
  if (auto g = dyn_cast<GemmOp>(op)) {
    auto side = [](Value v, bool trans) {
      auto d = getSymbolicDims(v.getType());
      if (!d || d->size() != 2)
        return shapeOf(v);
      SymExpr r = (*d)[trans ? 1 : 0], c = (*d)[trans ? 0 : 1];
      return r.str() + "x" + c.str();
    };
    return side(g.getA(), g.getTransA()) + " . " + side(g.getB(), g.getTransB());
  }
  if (op->getNumResults() == 0)
    return "";
  return shapeOf(op->getResult(0));
}

/// How a kept tensor is called in the table: the op's output, one of its
/// inputs, or an unnamed tensor (statistics, a fused op's internals).
std::string savedLabel(Operation *op, const SavedTensor &s) {
  std::string shape = shapeOf(s.value);
  if (!s.what.empty()) {
    // Per-row statistics and other derived tensors have their own size.
    auto n = s.elements.getInt64();
    return s.what + (n ? " (" + std::to_string(*n) + ")" : "");
  }
  for (Value r : op->getResults())
    if (r == s.value)
      return "out " + shape;
  for (unsigned i = 0; i < op->getNumOperands(); ++i)
    if (op->getOperand(i) == s.value)
      return "in" + std::to_string(i) + " " + shape;
  return shape;
}

const TrainingFigures &first(const Report &r) {
  return r.training->perDevice.front();
}

/// Index of `op`'s backward record (-1: none).
int recordIndex(const Report &r, Operation *op) {
  const BackwardRecord *rec = r.training->analysis->lookup(op);
  if (!rec)
    return -1;
  return rec - r.training->analysis->getRecords().data();
}

SummaryTable totalsTable(const Report &r) {
  const TrainingFigures &f = first(r);
  const TrainingAnalysis &a = *r.training->analysis;
  SummaryTable t;
  t.id = "training";
  t.title = "Training step: backward pass and memory";
  t.namesAreCode = false;
  t.header = {"quantity", "value"};
  auto row = [&](std::string k, std::string v) {
    t.rows.push_back({std::move(k), std::move(v)});
  };
  auto unknown = [](unsigned n) {
    return n ? ", " + std::to_string(n) + " ops unknown" : std::string();
  };
  row("forward FLOPs", formatFlops(f.forwardFlops) + " (GEMM " +
                           formatFlops(f.forwardGemmFlops) + ")" +
                           unknown(f.forwardUnknownOps));
  row("backward FLOPs", formatFlops(f.backwardFlops) + " (GEMM " +
                            formatFlops(f.backwardGemmFlops) + ")" +
                            unknown(f.backwardUnknownOps));
  // Ratios of partial sums would mislead.
  bool complete = !f.forwardUnknownOps && !f.backwardUnknownOps;
  row("backward / forward",
      complete ? ratio(f.backwardFlops, f.forwardFlops) + " (GEMM " +
                     ratio(f.backwardGemmFlops, f.forwardGemmFlops) + ")"
               : std::string("- (ops unknown)"));
  row("training / forward GEMM FLOPs",
      complete ? ratio(f.forwardGemmFlops + f.backwardGemmFlops,
                       f.forwardGemmFlops)
               : std::string("-"));
  double tokens = f.tokens;
  if (!std::isnan(tokens)) {
    row("tokens per step", num(tokens, 0));
    row("training FLOPs per token",
        formatFlops((f.forwardFlops + f.backwardFlops) / tokens));
    row("6N per token (N non-embedding)",
        formatFlops(6 * f.nonEmbeddingParameters));
    row("attention GEMM per token (fwd + bwd)",
        formatFlops(f.attentionGemmFlops / tokens));
    row("6N' + attention (N' once-per-token linears)",
        formatFlops(6 * (f.linearParameters - f.irregularLinearParameters) +
                    f.attentionGemmFlops / tokens));
    row("training GEMM FLOPs per token",
        formatFlops((f.forwardGemmFlops + f.backwardGemmFlops) / tokens));
  }
  row("trainable parameters", count(f.parameters) + " (" +
                                  count(f.nonEmbeddingParameters) +
                                  " non-embedding)");
  row("activations kept for backward", formatBytes(f.activationBytes));
  row("... with full recomputation", formatBytes(f.activationBytesRecompute));
  row("weights (trained)", formatBytes(f.weightBytes));
  row("gradients", formatBytes(f.gradientBytes));
  row("optimizer state", formatBytes(f.optimizerBytes));
  row("model state (" + num(a.getOptions().optimizerBytesPerParam, 0) +
          " B/param)",
      formatBytes(f.modelStateBytes));
  row("model state + activations",
      formatBytes(f.modelStateBytes + f.activationBytes));

  t.notes.push_back(
      "the loss's gradient enters at " +
      std::to_string(a.getNumGradientOutputs()) +
      " graph output(s); the loss itself is not in the graph");
  t.notes.push_back(
      a.getOptions().inputRequiresGrad
          ? "graph inputs need a gradient (--input-requires-grad)"
          : "graph inputs need no gradient: the first linear computes no dX "
            "(--input-requires-grad changes this)");
  if (f.backwardUnknownOps)
    t.notes.push_back(std::to_string(f.backwardUnknownOps) +
                      " ops have an unknown backward (not counted as 0)");
  if (f.irregularLinearParameters > 0)
    t.notes.push_back(
        count(f.irregularLinearParameters) +
        " parameters are weights of linears that do not run once per token "
        "(a head on the last token only, a projection of an encoder's "
        "frames): 6N misstates their work");
  if (!std::isnan(tokens))
    t.notes.push_back(
        "N' counts the weights of linears that run once per token (" +
        count(f.linearParameters - f.irregularLinearParameters) +
        "): training GEMM per token = 6N' + attention when every linear "
        "computes dX and dW");
  return t;
}

SummaryTable stepTable(const Report &r) {
  SummaryTable t;
  t.id = "training-step";
  t.title = "Training step time (roofline, ops one at a time)";
  t.namesAreCode = false;
  t.header = {"phase"};
  for (const ReportDevice &d : r.devices)
    t.header.push_back(d.spec.name);
  auto row = [&](std::string label, auto cell) {
    std::vector<std::string> cells = {std::move(label)};
    for (const TrainingFigures &f : r.training->perDevice)
      cells.push_back(cell(f));
    t.rows.push_back(std::move(cells));
  };
  row("forward", [](const TrainingFigures &f) {
    return formatTime(f.forwardTime);
  });
  row("backward", [](const TrainingFigures &f) {
    return formatTime(f.backwardTime);
  });
  row("optimizer (Adam)", [](const TrainingFigures &f) {
    return formatTime(f.optimizerTime);
  });
  row("step", [](const TrainingFigures &f) {
    return formatTime(f.stepTime());
  });
  row("step, full recomputation", [](const TrainingFigures &f) {
    return formatTime(f.stepTime() + f.recomputeTime);
  });
  row("tokens/s", [](const TrainingFigures &f) {
    return f.tokens > 0 && f.stepTime() > 0 ? num(f.tokens / f.stepTime(), 0)
                                             : std::string("-");
  });
  std::vector<std::string> mem = {"memory / capacity"};
  for (size_t i = 0; i < r.devices.size(); ++i) {
    const TrainingFigures &f = r.training->perDevice[i];
    double cap = r.devices[i].spec.memCapacity;
    mem.push_back(cap > 0 ? num(100 * (f.modelStateBytes + f.activationBytes) /
                                    cap,
                                1) +
                                "%"
                          : "-");
  }
  t.rows.push_back(mem);
  t.notes.push_back("backward kernels are timed like forward ops; the "
                    "optimizer step reads the model state and writes all of "
                    "it but the gradients");
  return t;
}

/// Activations per layer; runs of equal layers share a row.
SummaryTable layersTable(const Report &r) {
  const TrainingFigures &f = first(r);
  bool k = f.korthikanti.has_value();
  SummaryTable t;
  t.id = "training-layers";
  t.title = "Activations kept per layer";
  t.namesAreCode = false;
  t.header = {"layer", "kept", "16-bit"};
  if (k)
    t.header.insert(t.header.end(),
                    {"Korthikanti", "w/o dropout", "16-bit / w/o dropout"});
  t.header.insert(t.header.end(), {"layer input", "backward FLOPs"});
  auto cells = [&](const TrainingLayerFigures &l) {
    std::vector<std::string> c = {formatBytes(l.activationBytes),
                                  formatBytes(l.activationBytes16)};
    if (k)
      c.insert(c.end(), {formatBytes(f.korthikanti->total),
                         formatBytes(f.korthikanti->totalNoDropout),
                         ratio(l.activationBytes16,
                               f.korthikanti->totalNoDropout)});
    c.insert(c.end(),
             {formatBytes(l.inputBytes), formatFlops(l.backwardFlops)});
    return c;
  };
  appendLayerRuns(t, f.byLayer.size(),
                  [&](size_t l) { return cells(f.byLayer[l]); });
  t.notes.push_back("outside the layers: " +
                    formatBytes(f.outsideLayersActivationBytes) +
                    "; with full recomputation a step keeps each layer's "
                    "input, what lies outside the layers and one layer's "
                    "activations at a time");
  if (k) {
    const KorthikantiFigures &kf = *f.korthikanti;
    t.notes.push_back(
        "Korthikanti et al. (2022): s*b*h*(34 + 5*a*s/h) bytes per layer at "
        "16 bits, with s=" +
        std::to_string(kf.s) + " b=" + std::to_string(kf.b) +
        " h=" + std::to_string(kf.h) + " a=" + std::to_string(kf.a) +
        "; without dropout (exported graphs have none) s*b*h*(32 + "
        "2*a*s/h)");
  } else if (!f.korthikantiNote.empty()) {
    t.notes.push_back("no Korthikanti comparison: " + f.korthikantiNote);
  }
  return t;
}

/// Layer 0 by block against the formula's blocks.
SummaryTable blocksTable(const Report &r) {
  const TrainingFigures &f = first(r);
  const KorthikantiFigures &k = *f.korthikanti;
  const TrainingLayerFigures &l = f.byLayer.front();
  double sbh = double(k.s) * k.b * k.h;
  SummaryTable t;
  t.id = "training-blocks";
  t.title = "Layer 0 activations by block vs Korthikanti et al. (16-bit)";
  t.namesAreCode = false;
  t.header = {"block", "graph", "graph / sbh", "formula", "w/o dropout",
              "formula / sbh"};
  auto block = [&](BlockKind b) { return l.byBlock16[(unsigned)b]; };
  double attention =
      block(BlockKind::Attention) + block(BlockKind::AttentionScores);
  double other = l.activationBytes16 - attention - block(BlockKind::MLP) -
                 block(BlockKind::Norm);
  auto row = [&](std::string name, double graph, double formula,
                 double noDropout) {
    t.rows.push_back({std::move(name), formatBytes(graph), num(graph / sbh, 1),
                      formatBytes(formula), formatBytes(noDropout),
                      num(noDropout / sbh, 1)});
  };
  row("attention", attention, k.attention, k.attentionNoDropout);
  row("mlp", block(BlockKind::MLP), k.mlp, k.mlpNoDropout);
  row("norm", block(BlockKind::Norm), k.norm, k.norm);
  if (std::fabs(other) > 0.5)
    row("other", other, 0, 0);
  row("total", l.activationBytes16, k.total, k.totalNoDropout);
  t.notes.push_back(
      "the formula counts fused kernels (GeLU keeps its input, LayerNorm "
      "its input) and dropout masks; the graph keeps what its own ops keep "
      "(the per-op table): a GELU exported as Div/Erf/Add/Mul/Mul keeps "
      "three 4h tensors, a decomposed norm its input and normalized tensor, "
      "a gated MLP its gate and up projections, masks their mask "
      "(docs/Training.md)");
  std::string kinds;
  for (const AttentionBlock &ab : r.training->structure->getAttentions())
    if (ab.source != AttentionSource::Self ||
        ab.scope != AttentionScope::Global) {
      llvm::StringRef k = attentionKindName(ab.source, ab.scope);
      if (kinds.find(k.str()) == std::string::npos)
        kinds += (kinds.empty() ? "" : ", ") + k.str();
    }
  if (!kinds.empty())
    t.notes.push_back("the formula assumes one self-attention over the s "
                      "tokens per layer; this graph also has " +
                      kinds + " attention");
  const ModelDims &d = r.training->structure->getDims();
  if (d.dFF && d.dModel && *d.dFF != 4 * *d.dModel)
    t.notes.push_back("d_ff = " + std::to_string(*d.dFF) +
                      " here; the formula assumes 4h = " +
                      std::to_string(4 * *d.dModel));
  return t;
}
} // namespace

void mlir::tfperf::appendTrainingTables(const Report &r,
                                        std::vector<SummaryTable> &tables) {
  if (!r.training || r.training->perDevice.empty())
    return;
  tables.push_back(totalsTable(r));
  tables.push_back(stepTable(r));
  const TrainingFigures &f = first(r);
  if (!f.byLayer.empty()) {
    tables.push_back(layersTable(r));
    if (f.korthikanti)
      tables.push_back(blocksTable(r));
  }
}

void mlir::tfperf::appendTrainingOpTable(const Report &r,
                                         std::vector<SummaryTable> &tables) {
  if (!r.training || r.training->perDevice.empty())
    return;
  const TrainingFigures &f = first(r);
  const TrainingAnalysis &a = *r.training->analysis;
  const TransformerStructure &s = *r.training->structure;
  bool layered = !f.byLayer.empty();
  SummaryTable t;
  t.id = "training-ops";
  t.title = std::string("Backward pass per op") +
            (layered ? " (layer 0 and outside the layers)" : "");
  t.header = {"node", "op", "forward", "backward", "kept for backward",
              "FLOPs", "bwd FLOPs", "kept"};
  t.firstNumeric = 5;
  constexpr size_t kMaxRows = 300;
  size_t listed = 0, more = 0;
  for (size_t i = 0; i < r.ops.size(); ++i) {
    const ReportOpRow &row = r.ops[i];
    Operation *op = row.record->op;
    int ri = recordIndex(r, op);
    const OpFigures &fw = row.figures.front();
    bool costs = !fw.problem.empty() || fw.flops != 0 || fw.bytes != 0;
    if ((ri < 0 && !costs) || row.record->isShapeComputation)
      continue;
    if (layered && s.getTag(op).layer > 0)
      continue;
    if (listed == kMaxRows) {
      ++more;
      continue;
    }
    ++listed;
    std::string backward = "- (no gradient)", kept, bwdFlops = "-",
                keptBytes = "";
    if (ri >= 0) {
      const BackwardRecord &rec = a.getRecords()[ri];
      const BackwardFigures &b = f.ops[ri];
      if (!rec.known) {
        backward = "? " + rec.cost.unknownReason;
        bwdFlops = "?";
      } else {
        backward.clear();
        for (const BackwardOp *k : rec.kernels())
          backward += (backward.empty() ? "" : "; ") + k->name +
                      (k->shape.empty() ? "" : " (" + k->shape + ")");
        if (backward.empty())
          backward = "(dY passes through)";
        bwdFlops = b.problem.empty() ? formatFlops(b.flops) : "?";
        for (unsigned k = 0; k < rec.cost.saved.size(); ++k) {
          const SavedTensor &sv = rec.cost.saved[k];
          if (isStoredParameter(sv.value))
            continue;
          kept += (kept.empty() ? "" : ", ") + savedLabel(op, sv);
          // Kept already by an earlier op (or twice by this one).
          if (!llvm::is_contained(rec.firstSaved, k))
            kept += " (shared)";
        }
        keptBytes = b.savedBytes > 0 ? formatBytes(b.savedBytes) : "";
      }
    }
    t.rows.push_back({row.record->name, row.record->opType, forwardShape(op),
                      backward, kept,
                      fw.problem.empty() ? formatFlops(fw.flops) : "?",
                      bwdFlops, keptBytes});
  }
  if (more)
    t.notes.push_back(std::to_string(more) + " more ops not listed");
  t.notes.push_back("kept: what the op keeps for its backward pass (inN: its "
                    "N-th input, out: its output; shared: kept by an earlier "
                    "op too); the bytes count each tensor once, at the first "
                    "op that keeps it");
  if (layered && f.byLayer.size() > 1) {
    bool same = true;
    // Within 0.1%: the last layer's output has one user fewer.
    auto close = [](double a, double b) {
      return std::fabs(a - b) <= 1e-3 * std::max(std::fabs(a), std::fabs(b));
    };
    for (const TrainingLayerFigures &l : f.byLayer)
      same &= close(l.backwardFlops, f.byLayer.front().backwardFlops) &&
              close(l.activationBytes, f.byLayer.front().activationBytes);
    t.notes.push_back(same ? "layers 1-" + std::to_string(f.byLayer.size() - 1) +
                                 " repeat layer 0 (within 0.1%)"
                           : "other layers differ from layer 0: see the "
                             "layer table and the JSON report");
  }
  tables.push_back(std::move(t));
}

//===----------------------------------------------------------------------===//
// JSON
//===----------------------------------------------------------------------===//

namespace {
void number(llvm::json::OStream &j, llvm::StringRef key, double v) {
  jsonNumber(j, key, v);
}

/// The step's times; `step_time_s` too unless written already.
void stepTimes(llvm::json::OStream &j, const TrainingFigures &f,
               bool withStep) {
  number(j, "forward_time_s", f.forwardTime);
  number(j, "backward_time_s", f.backwardTime);
  number(j, "optimizer_time_s", f.optimizerTime);
  if (withStep)
    number(j, "step_time_s", f.stepTime());
  number(j, "recompute_time_s", f.recomputeTime);
  number(j, "step_time_recompute_s", f.stepTime() + f.recomputeTime);
}
} // namespace

void mlir::tfperf::printTrainingJSON(const Report &r, llvm::json::OStream &j) {
  if (!r.training || r.training->perDevice.empty())
    return;
  const TrainingFigures &f = first(r);
  const TrainingAnalysis &a = *r.training->analysis;
  double tokens = f.tokens;
  auto perToken = [&](double v) { return tokens > 0 ? v / tokens : NAN; };
  j.attributeObject("training", [&] {
    number(j, "forward_flops", f.forwardFlops);
    number(j, "backward_flops", f.backwardFlops);
    number(j, "forward_gemm_flops", f.forwardGemmFlops);
    number(j, "backward_gemm_flops", f.backwardGemmFlops);
    number(j, "activation_bytes", f.activationBytes);
    number(j, "gradient_bytes", f.gradientBytes);
    number(j, "optimizer_bytes", f.optimizerBytes);
    number(j, "step_time_s", f.stepTime());
    j.attribute("input_requires_grad", a.getOptions().inputRequiresGrad);
    number(j, "optimizer_bytes_per_param",
           a.getOptions().optimizerBytesPerParam);
    j.attribute("gradient_outputs", (int64_t)a.getNumGradientOutputs());
    number(j, "forward_bytes", f.forwardBytes);
    number(j, "backward_bytes", f.backwardBytes);
    j.attribute("forward_unknown_ops", (int64_t)f.forwardUnknownOps);
    j.attribute("backward_unknown_ops", (int64_t)f.backwardUnknownOps);
    number(j, "attention_gemm_flops", f.attentionGemmFlops);
    number(j, "parameters", f.parameters);
    number(j, "non_embedding_parameters", f.nonEmbeddingParameters);
    number(j, "irregular_linear_parameters", f.irregularLinearParameters);
    number(j, "weight_bytes", f.weightBytes);
    number(j, "model_state_bytes", f.modelStateBytes);
    number(j, "activation_bytes_recompute", f.activationBytesRecompute);
    number(j, "activation_bytes_outside_layers",
           f.outsideLayersActivationBytes);
    stepTimes(j, f, /*withStep=*/false);
    number(j, "tokens", tokens);
    number(j, "flops_per_token", perToken(f.forwardFlops + f.backwardFlops));
    number(j, "gemm_flops_per_token",
           perToken(f.forwardGemmFlops + f.backwardGemmFlops));
    number(j, "six_n_flops_per_token", 6 * f.nonEmbeddingParameters);
    number(j, "linear_parameters", f.linearParameters);
    number(j, "six_n_linear_plus_attention_flops_per_token",
           tokens > 0 ? 6 * (f.linearParameters - f.irregularLinearParameters) +
                            f.attentionGemmFlops / tokens
                      : NAN);
    number(j, "attention_gemm_flops_per_token", perToken(f.attentionGemmFlops));
    j.attributeArray("by_layer", [&] {
      for (const TrainingLayerFigures &l : f.byLayer)
        j.object([&] {
          number(j, "activation_bytes", l.activationBytes);
          number(j, "activation_bytes_16bit", l.activationBytes16);
          number(j, "input_bytes", l.inputBytes);
          number(j, "forward_flops", l.forwardFlops);
          number(j, "backward_flops", l.backwardFlops);
          number(j, "backward_time_s", l.backwardTime);
        });
    });
    if (f.korthikanti) {
      const KorthikantiFigures &k = *f.korthikanti;
      const TrainingLayerFigures &l0 = f.byLayer.front();
      auto block = [&](BlockKind b) { return l0.byBlock16[(unsigned)b]; };
      j.attributeObject("korthikanti", [&] {
        j.attribute("s", k.s);
        j.attribute("b", k.b);
        j.attribute("h", k.h);
        j.attribute("a", k.a);
        number(j, "per_layer_bytes", k.total);
        number(j, "per_layer_bytes_no_dropout", k.totalNoDropout);
        number(j, "attention_bytes", k.attention);
        number(j, "attention_bytes_no_dropout", k.attentionNoDropout);
        number(j, "mlp_bytes", k.mlp);
        number(j, "mlp_bytes_no_dropout", k.mlpNoDropout);
        number(j, "norm_bytes", k.norm);
        number(j, "graph_layer0_bytes", l0.activationBytes16);
        number(j, "graph_attention_bytes",
               block(BlockKind::Attention) + block(BlockKind::AttentionScores));
        number(j, "graph_mlp_bytes", block(BlockKind::MLP));
        number(j, "graph_norm_bytes", block(BlockKind::Norm));
      });
    } else {
      j.attribute("korthikanti", nullptr);
      j.attribute("korthikanti_note", f.korthikantiNote);
    }
    if (r.devices.size() > 1)
      j.attributeObject("by_device", [&] {
        for (size_t i = 0; i < r.devices.size(); ++i)
          j.attributeObject(r.devices[i].spec.name,
                            [&] {
                              stepTimes(j, r.training->perDevice[i], true);
                            });
      });
  });
}

void mlir::tfperf::printOpBackwardJSON(const Report &r, Operation *op,
                                       llvm::json::OStream &j) {
  if (!r.training || r.training->perDevice.empty())
    return;
  int ri = recordIndex(r, op);
  if (ri < 0)
    return;
  const BackwardRecord &rec = r.training->analysis->getRecords()[ri];
  const BackwardFigures &b = first(r).ops[ri];
  bool ok = b.problem.empty();
  j.attributeObject("backward", [&] {
    j.attributeArray("ops", [&] {
      for (const BackwardOp *k : rec.kernels())
        j.value(k->name);
    });
    number(j, "flops", ok ? b.flops : NAN);
    number(j, "gemm_flops", ok ? b.gemmFlops : NAN);
    number(j, "bytes", ok ? b.bytes : NAN);
    number(j, "time_s", ok ? b.time : NAN);
    number(j, "saved_bytes", b.savedBytes);
    if (!ok)
      j.attribute("unknown_reason", b.problem);
  });
}
