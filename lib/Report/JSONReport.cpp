//===- JSONReport.cpp - the JSON report -----------------------------------===//
//
// Documented in docs/report-schema.md and validated against
// docs/report-schema.json. Keys are written in a fixed order; numbers are
// plain JSON numbers (unknown ones are null).
//
//===----------------------------------------------------------------------===//

#include "ServingReport.h"
#include "SymbolicReport.h"
#include "Quoting.h"
#include "tfperf/Report/Report.h"

#include "llvm/Support/JSON.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tfperf;

/// Version of the report's JSON layout; bump the minor number for added
/// fields and the major one for changed or removed ones.
static constexpr const char *kSchemaVersion = "1.4";

namespace {
void number(llvm::json::OStream &j, llvm::StringRef key, double v) {
  jsonNumber(j, key, v);
}

void totals(llvm::json::OStream &j, const ReportTotals &t, const Report &r) {
  number(j, "flops", t.flops);
  number(j, "gemm_flops", t.gemmFlops);
  number(j, "bytes", t.bytes);
  number(j, "time_s", t.time);
  number(j, "memory_bound_time_s", t.memoryBoundTime);
  number(j, "compute_bound_time_s", t.computeBoundTime);
  number(j, "memory_bound_share", t.time > 0 ? t.memoryBoundTime / t.time : 0);
  j.attribute("ops", (int64_t)t.ops);
  j.attribute("memory_bound_ops", (int64_t)t.memoryBoundOps);
  j.attribute("compute_bound_ops", (int64_t)t.computeBoundOps);
  j.attribute("unknown_ops", (int64_t)t.unknownOps);
  // With tfperf-symbolic: the same totals as formulas.
  printFormulaJSON(r, -1, j);
}

void hardware(llvm::json::OStream &j, const ReportDevice &d) {
  j.attribute("name", d.spec.name);
  j.attribute("description", d.spec.description);
  // null: the device has no matmul peak for peak_dtype.
  double peak = d.peakFlops > 0 ? d.peakFlops : NAN;
  number(j, "peak_flops", peak);
  j.attribute("peak_dtype", d.peakDtype);
  number(j, "vector_flops", d.spec.vectorPeak);
  number(j, "mem_bw", d.spec.memBandwidth);
  number(j, "mem_capacity", d.spec.memCapacity);
  number(j, "ridge", peak / d.spec.memBandwidth);
  j.attributeObject("link", [&] {
    j.attribute("name", d.spec.linkName);
    number(j, "bw", d.spec.linkBandwidth);
    number(j, "latency_s", d.spec.linkLatency);
  });
}

void byOpType(llvm::json::OStream &j, const ReportDevice &d) {
  j.attributeArray("by_op_type", [&] {
    for (const auto &type : opTypesByTime(d))
      j.object([&] {
        const ReportTotals *t = type.second;
        j.attribute("op", type.first);
        j.attribute("count", (int64_t)t->ops);
        number(j, "flops", t->flops);
        number(j, "gemm_flops", t->gemmFlops);
        number(j, "bytes", t->bytes);
        number(j, "time_s", t->time);
        number(j, "share", d.totals.time > 0 ? t->time / d.totals.time : 0);
        j.attribute("memory_bound_ops", (int64_t)t->memoryBoundOps);
        j.attribute("compute_bound_ops", (int64_t)t->computeBoundOps);
        j.attribute("unknown_ops", (int64_t)t->unknownOps);
      });
  });
}

void figures(llvm::json::OStream &j, const OpFigures &f,
             bool withReason = false) {
  bool ok = f.problem.empty();
  number(j, "intensity", ok ? f.intensity : NAN);
  j.attribute("bound", ok ? stringifyBound(f.bound) : "unknown");
  number(j, "time_s", ok ? f.time : NAN);
  if (withReason && !ok)
    j.attribute("unknown_reason", f.problem);
}
} // namespace

void mlir::tfperf::printJSONReport(const Report &r, llvm::raw_ostream &os) {
  llvm::json::OStream j(os, 1);
  j.object([&] {
    j.attribute("schema_version", kSchemaVersion);
    j.attribute("tool", "tfperf");
    j.attributeObject("model", [&] {
      j.attribute("source", r.source);
      j.attribute("producer", r.producer);
      j.attribute("function", r.function);
      j.attribute("ops", (int64_t)r.ops.size());
      j.attribute("weights", (int64_t)r.numWeights);
      number(j, "parameters", r.weightElements);
      number(j, "weight_bytes", r.weightBytes);
      if (r.quantizedWeights)
        j.attributeArray("weight_storage", [&] {
          for (const auto &row : r.weightStorage)
            j.object([&] {
              j.attribute("dtype", row.dtype);
              number(j, "parameters", row.parameters);
              number(j, "bytes", row.bytes);
            });
        });
      j.attributeArray("unbound_symbols", [&] {
        for (auto &s : r.unboundSymbols)
          j.value(s);
      });
      j.attributeArray("unbound_symbol_sources", [&] {
        for (const SymbolSource &src : r.unboundSymbolSources)
          j.object([&] {
            j.attribute("symbol", src.symbol);
            j.attributeArray("inputs", [&] {
              for (const std::string &in : src.inputs)
                j.value(in);
            });
            if (src.note.empty())
              j.attribute("note", nullptr);
            else
              j.attribute("note", src.note);
          });
      });
    });
    j.attributeObject("config", [&] {
      j.attributeArray("hw", [&] {
        for (auto &d : r.devices)
          j.value(d.spec.name);
      });
      j.attribute("compute_dtype", r.config.getComputeDtype());
      j.attribute("weight_dtype", r.config.getWeightDtype());
    });
    if (!r.devices.empty()) {
      const ReportDevice &primary = r.devices.front();
      j.attributeObject("hardware", [&] { hardware(j, primary); });
      j.attributeObject("totals", [&] { totals(j, primary.totals, r); });
      byOpType(j, primary);
    }
    if (r.transformer)
      printTransformerJSON(r, j);
    if (r.tensorParallel) {
      printTensorParallelJSON(r, j);
      printExpertParallelJSON(r, j);
    }
    if (r.training) {
      printTrainingJSON(r, j);
      printParallelTrainingJSON(r, j);
    }
    if (r.serving)
      printServingJSON(*r.serving, j);
    j.attributeArray("devices", [&] {
      for (const ReportDevice &d : r.devices)
        j.object([&] {
          hardware(j, d);
          j.attributeObject("totals", [&] { totals(j, d.totals, r); });
          byOpType(j, d);
        });
    });
    // Sections of later analyses (transformer, phases, tensor_parallel,
    // training, symbolic) go here as top-level objects, before the long op
    // list; docs/report-schema.md documents each.
    printKernelsJSON(r, j);
    printSymbolicJSON(r, j);
    j.attributeArray("ops", [&] {
      for (size_t index = 0; index < r.ops.size(); ++index) {
        const ReportOpRow &row = r.ops[index];
        const OpCostRecord &rec = *row.record;
        const OpFigures &f = row.figures.front();
        bool ok = f.problem.empty();
        j.object([&] {
          j.attribute("name", rec.name);
          j.attribute("op", rec.opType);
          number(j, "flops", ok ? f.flops : NAN);
          number(j, "gemm_flops", ok ? f.gemmFlops : NAN);
          number(j, "bytes", ok ? f.bytes : NAN);
          figures(j, f);
          j.attribute("shape_computation", rec.isShapeComputation);
          if (r.transformer) {
            OpTag tag = r.transformer->structure->getTag(rec.op);
            if (tag.layer >= 0)
              j.attribute("layer", (int64_t)tag.layer);
            else
              j.attribute("layer", nullptr);
            j.attribute("block", stringifyBlockKind(tag.block));
          }
          if (r.tensorParallel) {
            const OpSplit *sp = r.tensorParallel->plan->lookup(rec.op);
            if (!sp) {
              j.attribute("tp", nullptr);
            } else {
              j.attributeObject("tp", [&] {
                j.attribute("split", stringifySplitKind(sp->kind));
                j.attribute("units", sp->units);
                if (sp->collectives.empty())
                  j.attribute("collective", nullptr);
                else
                  j.attribute("collective",
                              stringifyCollective(sp->collectives.front().second));
                printTensorParallelOpsJSON(r, rec.op, "per_device", j);
              });
            }
          }
          if (!ok)
            j.attribute("unknown_reason", f.problem);
          printFormulaJSON(r, index, j);
          if (!rec.cost.parts.empty())
            j.attributeArray("parts", [&] {
              for (const CostPart &p : rec.cost.parts)
                j.object([&] {
                  j.attribute("name", p.name);
                  number(j, "flops", p.flops.isConstant()
                                         ? int128ToDouble(p.flops.getConstant())
                                         : NAN);
                  j.attribute("gemm", p.isGemm);
                });
            });
          if (r.devices.size() > 1)
            j.attributeObject("by_device", [&] {
              for (size_t i = 0; i < r.devices.size(); ++i)
                j.attributeObject(r.devices[i].spec.name,
                                  [&] { figures(j, row.figures[i], true); });
            });
          if (r.training)
            printOpBackwardJSON(r, rec.op, j);
        });
      }
    });
  });
  os << "\n";
}
