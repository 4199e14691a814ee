//===- SummaryTables.h - the summary shared by text and Markdown -*- C++
//-*-===//
//
// The human-readable summary of a Report as titled tables of formatted
// cells: devices side by side, time by op type, the top ops, and what could
// not be costed. The text and Markdown emitters only lay these out, so both
// always say the same thing.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_LIB_REPORT_SUMMARYTABLES_H
#define TFPERF_LIB_REPORT_SUMMARYTABLES_H

#include "tfperf/Report/Report.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <string>
#include <vector>

namespace mlir::tfperf {

struct SummaryTable {
  /// Which table: devices, op-types, top-ops, transformer, phases, blocks,
  /// layers, tensor-parallel, tensor-parallel-time, tp-splits,
  /// tensor-parallel-ops, expert-parallel,
  /// pipeline-parallel, training, training-step, training-layers,
  /// training-blocks, training-ops, unknown, unbound.
  std::string id;
  std::string title;
  /// Empty for a block of notes only.
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  /// Columns before this one are names (left-aligned; code in Markdown);
  /// the rest are figures (right-aligned).
  size_t firstNumeric = 1;
  /// Whether the name columns hold identifiers (node, op and device names:
  /// code spans in Markdown) rather than labels.
  bool namesAreCode = true;
  /// Lines after the table.
  std::vector<std::string> notes;
};

struct Summary {
  /// "tfperf roofline: model.onnx (graph), exported by ...".
  std::string title;
  /// Model size and the total work, one line each.
  std::vector<std::string> lines;
  std::vector<SummaryTable> tables;
};

Summary buildSummary(const Report &r, const TextReportOptions &opts);

/// Indices of the ops listed in the top-ops table, every listable op
/// (known, not free, shape computations only if asked) by decreasing time
/// on the first device; ties keep IR order.
std::vector<size_t> opsByTime(const Report &r, bool showShapeOps);

/// Appends one row per run of consecutive layers 0..n-1 whose cells are
/// equal, labelled "3" or "0-11": identical layers read as one.
void appendLayerRuns(
    SummaryTable &t, size_t n,
    llvm::function_ref<std::vector<std::string>(size_t layer)> cells);

/// Long node names keep their end, which names the op within its block:
/// "..." and the last n - 3 characters.
std::string truncateName(const std::string &s, size_t n = 48);

/// Op types by decreasing time on `d`; ties keep first appearance.
std::vector<std::pair<std::string, const ReportTotals *>>
opTypesByTime(const ReportDevice &d);

/// "3 attention": the layer and block kind of an op (empty without the
/// transformer analysis).
std::string layerBlockLabel(const Report &r, const ReportOpRow &row);

/// The transformer's schema-1.2 structure fields, named as in the JSON:
/// `n_experts`, `top_k`, `n_shared_experts`, `active_parameters` with
/// experts, `kv_lora_rank` with MLA, `window` with a sliding window, and
/// `attention_kinds` (space-separated) with any of these or linear
/// attention; empty for a graph without them (or without the analysis).
std::vector<std::pair<std::string, std::string>>
transformerStructureFields(const Report &r);

/// The transformer tables (structure, then prefill vs decode and time by
/// block per device) when that analysis ran.
void appendTransformerTables(const Report &r,
                             std::vector<SummaryTable> &tables);
/// The two kernel views side by side (exported ops, fused kernels: count,
/// FLOPs, bytes, time and roofline per device) and the top kernels, when
/// the report has them.
void appendKernelTables(const Report &r, std::vector<SummaryTable> &tables);
/// Time by layer on the first device; runs of layers with the same
/// figures share one row ("0-11").
void appendLayerTable(const Report &r, std::vector<SummaryTable> &tables);
/// The tensor-parallel tables (degrees per device, the splits, the `top`
/// ops of one layer at every degree, pipeline parallelism per device) when
/// tfperf-suggest-tp ran with degrees.
void appendTensorParallelTables(const Report &r,
                                std::vector<SummaryTable> &tables,
                                unsigned top);
/// The EP x TP layouts per device (--ep), after the tensor-parallel tables.
void appendExpertParallelTables(const Report &r,
                                std::vector<SummaryTable> &tables);

/// The parallel training step per device and its per-layer times, when
/// asked for (lib/Report/ParallelTrainingReport.cpp).
void appendParallelTrainingTables(const Report &r,
                                  std::vector<SummaryTable> &tables);
/// The training tables when that analysis ran: totals and memory, the step
/// per device, activations per layer and by block against Korthikanti et
/// al.
void appendTrainingTables(const Report &r, std::vector<SummaryTable> &tables);
/// The per-op backward table (layer 0 and the ops outside the layers when
/// the graph has layers, else every op on the gradient path).
void appendTrainingOpTable(const Report &r, std::vector<SummaryTable> &tables);

} // namespace mlir::tfperf

#endif
