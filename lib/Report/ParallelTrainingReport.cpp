//===- ParallelTrainingReport.cpp - the parallel training step ------------===//
//
// The training step over tensor, pipeline and data parallelism
// (ParallelTraining.h) in the reports: per device, a column per TP degree
// (the iteration and its parts, memory per device), and the per-layer time
// at each degree; in JSON `training_parallel` (docs/report-schema.md).
//
//===----------------------------------------------------------------------===//

#include "SummaryTables.h"
#include "Quoting.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tfperf;

namespace {
std::string describeOptions(const ParallelTrainingOptions &o) {
  const PipelineShape &p = o.pipeline;
  std::string s = "recompute " + recomputeModeName(o.recompute).str() +
                  (o.sequenceParallel ? ", sequence parallel" : "") +
                  (o.dropout ? ", dropout" : "") +
                  "; pp " + std::to_string(p.stages);
  if (p.stages > 1)
    s += std::string(" (") +
         (p.kind == PipelineScheduleKind::Interleaved
              ? "interleaved, " + std::to_string(p.virtualStages) +
                    " chunks per device"
              : "1F1B") +
         ")";
  s += ", " + std::to_string(p.microbatches) + " micro-batch" +
       (p.microbatches == 1 ? "" : "es") + " of the graph's batch; dp " +
       std::to_string(o.dp);
  return s;
}

std::string timeOrDash(const ParallelStepFigures &f, double v) {
  return f.feasible ? formatTime(v) : std::string("-");
}

using Step = ParallelStepFigures;

double slowestDevice(const Step &f) {
  double m = 0;
  for (double v : f.deviceTimes)
    m = std::max(m, v);
  return m;
}

/// The rows between the device count and the memory share, in order.
struct StepRow {
  const char *label;
  std::string (*cell)(const Step &);
};
const StepRow kStepRows[] = {
    {"forward / micro-batch",
     [](const Step &f) { return formatTime(f.forwardTime); }},
    {"backward / micro-batch",
     [](const Step &f) { return formatTime(f.backwardTime); }},
    {"recomputation / micro-batch",
     [](const Step &f) {
       return formatTime(f.recomputeTime + f.recomputeCommTime);
     }},
    {"TP collectives / micro-batch",
     [](const Step &f) {
       return formatTime(f.forwardCommTime + f.backwardCommTime);
     }},
    {"collectives (fwd + bwd)",
     [](const Step &f) {
       return std::to_string(f.forwardCollectives) + " + " +
              std::to_string(f.backwardCollectives);
     }},
    {"slowest device / micro-batch",
     [](const Step &f) { return formatTime(slowestDevice(f)); }},
    {"pipeline sends / micro-batch",
     [](const Step &f) {
       return std::to_string(f.pipeline.sendsPerMicrobatch) + " x " +
              formatTime(f.sendTime);
     }},
    {"pipeline bubble",
     [](const Step &f) {
       return formatTime(f.pipeline.bubble) + " (" +
              fixedOrDash(f.pipeline.bubbleFraction, 3) + ")";
     }},
    {"DP gradient all-reduce",
     [](const Step &f) { return formatTime(f.dpAllReduceTime); }},
    {"optimizer (Adam)",
     [](const Step &f) { return formatTime(f.optimizerTime); }},
    {"iteration", [](const Step &f) { return formatTime(f.iterationTime()); }},
    {"iteration, roofline bound",
     [](const Step &f) { return formatTime(f.rooflineTime); }},
    {"tokens/s (all devices)",
     [](const Step &f) {
       return f.tokens > 0 && f.iterationTime() > 0
                  ? fixedOrDash(f.tokens / f.iterationTime(), 0)
                  : std::string("-");
     }},
    {"activations",
     [](const Step &f) { return formatBytes(f.activationBytes); }},
    {"model state",
     [](const Step &f) { return formatBytes(f.modelStateBytes); }},
};

/// A table of `d`'s degrees side by side: a column per degree.
SummaryTable degreeColumns(std::string id, std::string title,
                           std::string firstColumn,
                           const ParallelTrainingFigures &d) {
  SummaryTable t;
  t.id = std::move(id);
  t.title = std::move(title);
  t.namesAreCode = false;
  t.header = {std::move(firstColumn)};
  for (const Step &f : d.degrees)
    t.header.push_back("tp " + std::to_string(f.tp));
  return t;
}

/// What the step table's figures assume, and what is missing from them.
std::vector<std::string> stepNotes(const ParallelTrainingOptions &o,
                                   const ParallelTrainingFigures &d) {
  std::vector<std::string> notes = {describeOptions(o)};
  if (!d.calibrated)
    notes.push_back(d.device + " is uncalibrated: its time-model "
                               "parameters are derived, not measured");
  for (const Step &f : d.degrees) {
    std::string tp = "tp " + std::to_string(f.tp) + ": ";
    if (!f.feasible)
      notes.push_back(tp + f.reason);
    else if (f.unknownKernels)
      notes.push_back(tp + std::to_string(f.unknownKernels) +
                      " kernels or collectives of unknown cost left out");
  }
  notes.insert(notes.end(), d.notes.begin(), d.notes.end());
  notes.push_back("a micro-batch is the graph's batch; backward TP "
                  "collectives run beside their linear's GEMMs (only what "
                  "outlasts them counts), the others and sends are not "
                  "overlapped with compute; "
                  "docs/Training.md#parallel-training");
  return notes;
}

SummaryTable stepTable(const ParallelTrainingOptions &o,
                       const ParallelTrainingFigures &d, double capacity) {
  SummaryTable t = degreeColumns(
      "training-parallel",
      "Parallel training step on " + d.device +
          " (calibrated time model, per device)",
      "per device", d);
  auto row = [&](std::string label,
                 llvm::function_ref<std::string(const ParallelStepFigures &)>
                     cell) {
    std::vector<std::string> cells = {std::move(label)};
    for (const ParallelStepFigures &f : d.degrees)
      cells.push_back(f.feasible ? cell(f) : std::string("-"));
    t.rows.push_back(std::move(cells));
  };
  row("devices (tp x pp x dp)", [&](const ParallelStepFigures &f) {
    return std::to_string(f.devices(o));
  });
  for (const StepRow &r : kStepRows)
    row(r.label, r.cell);
  row("memory / capacity", [&](const ParallelStepFigures &f) {
    return capacity > 0 ? fixedOrDash(100 * (f.activationBytes +
                                             f.modelStateBytes) /
                                          capacity,
                                      1) +
                              "%"
                        : std::string("-");
  });
  t.notes = stepNotes(o, d);
  return t;
}

SummaryTable layerTable(const ParallelTrainingFigures &d) {
  SummaryTable t = degreeColumns(
      "training-parallel-layers",
      "Per-layer time on " + d.device +
          ", per device and micro-batch (forward + backward + "
          "recomputation + TP collectives)",
      "layer", d);
  size_t n = 0;
  for (const ParallelStepFigures &f : d.degrees)
    n = std::max(n, f.byLayer.size());
  appendLayerRuns(t, n, [&](size_t l) {
    std::vector<std::string> cells;
    for (const ParallelStepFigures &f : d.degrees)
      cells.push_back(l < f.byLayer.size() ? timeOrDash(f, f.byLayer[l].time())
                                           : std::string("-"));
    return cells;
  });
  return t;
}
} // namespace

/// The JSON numbers of a degree, in order.
constexpr std::pair<const char *, double (*)(const Step &)> kStepFields[] = {
    {"forward_flops", [](const Step &f) { return f.forwardFlops; }},
    {"backward_flops", [](const Step &f) { return f.backwardFlops; }},
    {"recompute_flops", [](const Step &f) { return f.recomputeFlops; }},
    {"forward_time_s", [](const Step &f) { return f.forwardTime; }},
    {"backward_time_s", [](const Step &f) { return f.backwardTime; }},
    {"recompute_time_s",
     [](const Step &f) { return f.recomputeTime + f.recomputeCommTime; }},
    {"forward_comm_time_s", [](const Step &f) { return f.forwardCommTime; }},
    {"backward_comm_time_s",
     [](const Step &f) { return f.backwardCommTime; }},
    {"forward_comm_bytes", [](const Step &f) { return f.forwardCommBytes; }},
    {"send_bytes", [](const Step &f) { return f.sendBytes; }},
    {"send_time_s", [](const Step &f) { return f.sendTime; }},
    {"bubble_fraction",
     [](const Step &f) { return f.pipeline.bubbleFraction; }},
    {"bubble_time_s", [](const Step &f) { return f.pipeline.bubble; }},
    {"pipeline_time_s",
     [](const Step &f) { return f.pipeline.iteration(); }},
    {"parameters_per_device",
     [](const Step &f) { return f.parametersPerDevice; }},
    {"dp_allreduce_time_s", [](const Step &f) { return f.dpAllReduceTime; }},
    {"optimizer_time_s", [](const Step &f) { return f.optimizerTime; }},
    {"iteration_time_s", [](const Step &f) { return f.iterationTime(); }},
    {"roofline_time_s", [](const Step &f) { return f.rooflineTime; }},
    {"tokens", [](const Step &f) { return f.tokens; }},
    {"model_state_bytes", [](const Step &f) { return f.modelStateBytes; }},
    {"activation_bytes", [](const Step &f) { return f.activationBytes; }},
    {"activation_bytes_per_microbatch",
     [](const Step &f) { return f.activationBytesPerMicrobatch; }},
    {"microbatches_in_flight",
     [](const Step &f) { return f.microbatchesInFlight; }},
};

/// The JSON fields of a layer, in order.
constexpr std::pair<const char *, double ParallelLayerFigures::*>
    kLayerFields[] = {
        {"flops", &ParallelLayerFigures::flops},
        {"forward_time_s", &ParallelLayerFigures::forwardTime},
        {"backward_time_s", &ParallelLayerFigures::backwardTime},
        {"recompute_time_s", &ParallelLayerFigures::recomputeTime},
        {"comm_time_s", &ParallelLayerFigures::commTime},
        {"forward_comm_time_s", &ParallelLayerFigures::forwardCommTime},
        {"backward_comm_time_s", &ParallelLayerFigures::backwardCommTime},
        {"activation_bytes", &ParallelLayerFigures::activationBytes},
};

void mlir::tfperf::appendParallelTrainingTables(
    const Report &r, std::vector<SummaryTable> &tables) {
  if (!r.training || !r.training->parallel)
    return;
  const ParallelTrainingAnalysis &a = *r.training->parallel;
  for (size_t i = 0; i < a.getPerDevice().size(); ++i) {
    double capacity = i < r.devices.size() ? r.devices[i].spec.memCapacity : 0;
    tables.push_back(stepTable(a.getOptions(), a.getPerDevice()[i], capacity));
  }
  if (!a.getPerDevice().empty() &&
      !a.getPerDevice().front().degrees.empty() &&
      !a.getPerDevice().front().degrees.front().byLayer.empty())
    tables.push_back(layerTable(a.getPerDevice().front()));
}

void mlir::tfperf::printParallelTrainingJSON(const Report &r,
                                             llvm::json::OStream &j) {
  if (!r.training || !r.training->parallel)
    return;
  const ParallelTrainingAnalysis &a = *r.training->parallel;
  const ParallelTrainingOptions &o = a.getOptions();
  j.attributeObject("training_parallel", [&] {
    j.attribute("recompute", recomputeModeName(o.recompute));
    j.attribute("sequence_parallel", o.sequenceParallel);
    j.attribute("dropout", o.dropout);
    j.attribute("pp", o.pipeline.stages);
    j.attribute("pp_schedule", o.pipeline.kind == PipelineScheduleKind::Interleaved
                                   ? "interleaved"
                                   : "1f1b");
    j.attribute("pp_virtual_stages", o.pipeline.virtualStages);
    j.attribute("microbatches", o.pipeline.microbatches);
    j.attribute("dp", o.dp);
    j.attributeArray("devices", [&] {
      for (const ParallelTrainingFigures &d : a.getPerDevice())
        j.object([&] {
          j.attribute("device", d.device);
          j.attribute("calibrated", d.calibrated);
          j.attributeArray("notes", [&] {
            for (const std::string &n : d.notes)
              j.value(n);
          });
          j.attributeArray("degrees", [&] {
            for (const ParallelStepFigures &f : d.degrees)
              j.object([&] {
                j.attribute("tp", f.tp);
                j.attribute("feasible", f.feasible);
                if (!f.feasible) {
                  j.attribute("reason", f.reason);
                  return;
                }
                j.attribute("devices", f.devices(o));
                for (auto [key, value] : kStepFields)
                  jsonNumber(j, key, value(f));
                j.attribute("forward_collectives",
                            (int64_t)f.forwardCollectives);
                j.attribute("backward_collectives",
                            (int64_t)f.backwardCollectives);
                j.attribute("sends_per_microbatch",
                            f.pipeline.sendsPerMicrobatch);
                j.attributeArray("layers_per_device", [&] {
                  for (int64_t n : f.layersPerDevice)
                    j.value(n);
                });
                j.attributeArray("device_times_s", [&] {
                  for (double v : f.deviceTimes)
                    j.value(v);
                });
                j.attribute("fits_memory", f.fitsMemory);
                j.attribute("unknown_kernels", (int64_t)f.unknownKernels);
                j.attributeArray("by_layer", [&] {
                  for (const ParallelLayerFigures &l : f.byLayer)
                    j.object([&] {
                      for (auto [key, field] : kLayerFields)
                        jsonNumber(j, key, l.*field);
                    });
                });
              });
          });
        });
    });
  });
}
