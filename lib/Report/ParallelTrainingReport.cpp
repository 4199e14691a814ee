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

SummaryTable stepTable(const ParallelTrainingOptions &o,
                       const ParallelTrainingFigures &d, double capacity) {
  SummaryTable t;
  t.id = "training-parallel";
  t.title = "Parallel training step on " + d.device +
            " (calibrated time model, per device)";
  t.namesAreCode = false;
  t.header = {"per device"};
  for (const ParallelStepFigures &f : d.degrees)
    t.header.push_back("tp " + std::to_string(f.tp));
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
  row("forward / micro-batch", [](const ParallelStepFigures &f) {
    return formatTime(f.forwardTime);
  });
  row("backward / micro-batch", [](const ParallelStepFigures &f) {
    return formatTime(f.backwardTime);
  });
  row("recomputation / micro-batch", [](const ParallelStepFigures &f) {
    return formatTime(f.recomputeTime + f.recomputeCommTime);
  });
  row("TP collectives / micro-batch", [](const ParallelStepFigures &f) {
    return formatTime(f.forwardCommTime + f.backwardCommTime);
  });
  row("collectives (fwd + bwd)", [](const ParallelStepFigures &f) {
    return std::to_string(f.forwardCollectives) + " + " +
           std::to_string(f.backwardCollectives);
  });
  row("slowest device / micro-batch", [](const ParallelStepFigures &f) {
    double m = 0;
    for (double v : f.deviceTimes)
      m = std::max(m, v);
    return formatTime(m);
  });
  row("pipeline sends / micro-batch", [](const ParallelStepFigures &f) {
    return std::to_string(f.pipeline.sendsPerMicrobatch) + " x " +
           formatTime(f.sendTime);
  });
  row("pipeline bubble", [](const ParallelStepFigures &f) {
    return formatTime(f.pipeline.bubble) + " (" +
           fixedOrDash(f.pipeline.bubbleFraction, 3) + ")";
  });
  row("DP gradient all-reduce", [](const ParallelStepFigures &f) {
    return formatTime(f.dpAllReduceTime);
  });
  row("optimizer (Adam)", [](const ParallelStepFigures &f) {
    return formatTime(f.optimizerTime);
  });
  row("iteration", [](const ParallelStepFigures &f) {
    return formatTime(f.iterationTime());
  });
  row("iteration, roofline bound", [](const ParallelStepFigures &f) {
    return formatTime(f.rooflineTime);
  });
  row("tokens/s (all devices)", [](const ParallelStepFigures &f) {
    return f.tokens > 0 && f.iterationTime() > 0
               ? fixedOrDash(f.tokens / f.iterationTime(), 0)
               : std::string("-");
  });
  row("activations", [](const ParallelStepFigures &f) {
    return formatBytes(f.activationBytes);
  });
  row("model state", [](const ParallelStepFigures &f) {
    return formatBytes(f.modelStateBytes);
  });
  row("memory / capacity", [&](const ParallelStepFigures &f) {
    return capacity > 0 ? fixedOrDash(100 * (f.activationBytes +
                                             f.modelStateBytes) /
                                          capacity,
                                      1) +
                              "%"
                        : std::string("-");
  });
  t.notes.push_back(describeOptions(o));
  if (!d.calibrated)
    t.notes.push_back(d.device + " is uncalibrated: its time-model "
                                 "parameters are derived, not measured");
  for (const ParallelStepFigures &f : d.degrees) {
    if (!f.feasible)
      t.notes.push_back("tp " + std::to_string(f.tp) + ": " + f.reason);
    else if (f.unknownKernels) {
      t.notes.push_back("tp " + std::to_string(f.tp) + ": " +
                        std::to_string(f.unknownKernels) +
                        " kernels or collectives of unknown cost left out");
    }
  }
  for (const std::string &n : d.notes)
    t.notes.push_back(n);
  t.notes.push_back("a micro-batch is the graph's batch; collectives and "
                    "sends are not overlapped with compute; "
                    "docs/Training.md#parallel-training");
  return t;
}

SummaryTable layerTable(const ParallelTrainingFigures &d) {
  SummaryTable t;
  t.id = "training-parallel-layers";
  t.title = "Per-layer time on " + d.device +
            ", per device and micro-batch (forward + backward + "
            "recomputation + TP collectives)";
  t.namesAreCode = false;
  t.header = {"layer"};
  for (const ParallelStepFigures &f : d.degrees)
    t.header.push_back("tp " + std::to_string(f.tp));
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
                jsonNumber(j, "forward_flops", f.forwardFlops);
                jsonNumber(j, "backward_flops", f.backwardFlops);
                jsonNumber(j, "recompute_flops", f.recomputeFlops);
                jsonNumber(j, "forward_time_s", f.forwardTime);
                jsonNumber(j, "backward_time_s", f.backwardTime);
                jsonNumber(j, "recompute_time_s",
                           f.recomputeTime + f.recomputeCommTime);
                jsonNumber(j, "forward_comm_time_s", f.forwardCommTime);
                jsonNumber(j, "backward_comm_time_s", f.backwardCommTime);
                jsonNumber(j, "forward_comm_bytes", f.forwardCommBytes);
                j.attribute("forward_collectives",
                            (int64_t)f.forwardCollectives);
                j.attribute("backward_collectives",
                            (int64_t)f.backwardCollectives);
                j.attributeArray("layers_per_device", [&] {
                  for (int64_t n : f.layersPerDevice)
                    j.value(n);
                });
                j.attributeArray("device_times_s", [&] {
                  for (double v : f.deviceTimes)
                    j.value(v);
                });
                jsonNumber(j, "send_bytes", f.sendBytes);
                jsonNumber(j, "send_time_s", f.sendTime);
                j.attribute("sends_per_microbatch",
                            f.pipeline.sendsPerMicrobatch);
                jsonNumber(j, "bubble_fraction", f.pipeline.bubbleFraction);
                jsonNumber(j, "bubble_time_s", f.pipeline.bubble);
                jsonNumber(j, "pipeline_time_s", f.pipeline.iteration());
                jsonNumber(j, "parameters_per_device", f.parametersPerDevice);
                jsonNumber(j, "dp_allreduce_time_s", f.dpAllReduceTime);
                jsonNumber(j, "optimizer_time_s", f.optimizerTime);
                jsonNumber(j, "iteration_time_s", f.iterationTime());
                jsonNumber(j, "roofline_time_s", f.rooflineTime);
                jsonNumber(j, "tokens", f.tokens);
                jsonNumber(j, "model_state_bytes", f.modelStateBytes);
                jsonNumber(j, "activation_bytes", f.activationBytes);
                jsonNumber(j, "activation_bytes_per_microbatch",
                           f.activationBytesPerMicrobatch);
                jsonNumber(j, "microbatches_in_flight",
                           f.microbatchesInFlight);
                j.attribute("fits_memory", f.fitsMemory);
                j.attribute("unknown_kernels", (int64_t)f.unknownKernels);
                j.attributeArray("by_layer", [&] {
                  for (const ParallelLayerFigures &l : f.byLayer)
                    j.object([&] {
                      jsonNumber(j, "flops", l.flops);
                      jsonNumber(j, "forward_time_s", l.forwardTime);
                      jsonNumber(j, "backward_time_s", l.backwardTime);
                      jsonNumber(j, "recompute_time_s", l.recomputeTime);
                      jsonNumber(j, "comm_time_s", l.commTime);
                      jsonNumber(j, "activation_bytes", l.activationBytes);
                    });
                });
              });
          });
        });
    });
  });
}
