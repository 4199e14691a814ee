//===- KernelReport.cpp - the kernel views and the time model -------------===//
//
// What the report says about kernels when its times are not every op's own
// roofline (`--kernels`, `--time-model`): the graph's ops and the fused
// kernels side by side, the top kernels, which model priced each device
// (uncalibrated devices said so), and the JSON `time_model`,
// `kernel_views` and `kernels`.
//
//===----------------------------------------------------------------------===//

#include "Quoting.h"
#include "SummaryTables.h"

#include "tfperf/Dialect/TFPerf/IR/TFPerfAttrs.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::tfperf;

namespace {
/// One view summed on every device.
struct ViewTotals {
  size_t kernels = 0, unknown = 0;
  double flops = 0, bytes = 0;
  std::vector<double> time, roofline;
};

double kernelFlops(const Kernel &k) {
  auto f = k.flops.getInt64();
  return f ? static_cast<double>(*f) : NAN;
}

ViewTotals viewTotals(const Report &r, KernelView v) {
  const KernelTimesAnalysis &kt = *r.kernels;
  ArrayRef<Kernel> kernels = kt.getView(v).getKernels();
  ViewTotals t;
  t.kernels = kernels.size();
  t.time.assign(r.devices.size(), 0);
  t.roofline.assign(r.devices.size(), 0);
  for (size_t i = 0; i < kernels.size(); ++i) {
    const KernelPrice &first = kt.getPrices(v, 0)[i];
    if (std::isnan(first.seconds) || std::isnan(kernelFlops(kernels[i]))) {
      ++t.unknown;
      continue;
    }
    t.flops += kernelFlops(kernels[i]);
    t.bytes += first.bytes;
    for (size_t d = 0; d < r.devices.size(); ++d) {
      const KernelPrice &p = kt.getPrices(v, d)[i];
      t.time[d] += std::isnan(p.seconds) ? 0 : p.seconds;
      t.roofline[d] += std::isnan(p.roofline) ? 0 : p.roofline;
    }
  }
  return t;
}

std::string viewLabel(KernelView v) {
  return v == KernelView::Exported ? "exported ops" : "fused kernels";
}

/// Whether the report's view and model are the defaults, and the flags that
/// chose them otherwise.
std::string timingChoice(const Report &r) {
  llvm::StringRef view = kernelViewName(r.timing.view);
  llvm::StringRef model = timeModelName(r.timing.model);
  if (view == kDefaultKernelView && model == kDefaultTimeModel)
    return "the default";
  return ("--kernels=" + view + " --time-model=" + model +
          "; the default is --kernels=" + kDefaultKernelView +
          " --time-model=" + kDefaultTimeModel)
      .str();
}

/// Per device: each time in `prices` under "name" keys.
void perDevice(const Report &r, llvm::json::OStream &j, llvm::StringRef key,
               llvm::function_ref<double(size_t)> value) {
  j.attributeObject(key, [&] {
    for (size_t d = 0; d < r.devices.size(); ++d)
      jsonNumber(j, r.devices[d].spec.name, value(d));
  });
}
} // namespace

std::string mlir::tfperf::timeModelLabel(const Report &r, size_t device) {
  if (!r.kernels || r.timing.model == TimeModelKind::Roofline)
    return "roofline";
  return r.kernels->getModel(device).isCalibrated() ? "calibrated"
                                                    : "uncalibrated";
}

void mlir::tfperf::appendKernelTables(const Report &r,
                                      std::vector<SummaryTable> &tables) {
  if (!r.kernels || r.devices.empty())
    return;
  std::string model(timeModelName(r.timing.model));
  SummaryTable t;
  t.id = "kernels";
  t.title = "Kernels: the graph's ops vs the fused kernels an engine runs (" +
            model + " time, roofline bound)";
  t.header = {"view", "kernels", "FLOPs", "bytes"};
  for (const ReportDevice &d : r.devices)
    t.header.insert(t.header.end(),
                    {"time " + d.spec.name, "roofline " + d.spec.name});
  t.namesAreCode = false;
  for (KernelView v : {KernelView::Exported, KernelView::Fused}) {
    ViewTotals vt = viewTotals(r, v);
    std::vector<std::string> row = {
        viewLabel(v) + (v == r.timing.view ? " (reported)" : ""),
        std::to_string(vt.kernels), formatFlops(vt.flops),
        formatBytes(vt.bytes)};
    for (size_t d = 0; d < r.devices.size(); ++d) {
      row.push_back(formatTime(vt.time[d]));
      row.push_back(formatTime(vt.roofline[d]));
    }
    t.rows.push_back(row);
    if (vt.unknown)
      t.notes.push_back(viewLabel(v) + ": " + std::to_string(vt.unknown) +
                        " of unknown cost, not summed");
  }
  t.notes.push_back("The other tables' times: the " + model + " time of the " +
                    viewLabel(r.timing.view) + " (" + timingChoice(r) +
                    "), each kernel's time shared by its ops in proportion "
                    "to their roofline times (docs/Kernels.md).");
  for (size_t d = 0; d < r.devices.size(); ++d)
    if (timeModelLabel(r, d) == "uncalibrated")
      t.notes.push_back(r.devices[d].spec.name + ": uncalibrated (" +
                        r.kernels->getModel(d).getCalibration().rule + ")");
  tables.push_back(std::move(t));

  if (r.timing.view != KernelView::Fused)
    return;
  const KernelTimesAnalysis &kt = *r.kernels;
  ArrayRef<Kernel> kernels = kt.getView(KernelView::Fused).getKernels();
  ArrayRef<KernelPrice> first = kt.getPrices(KernelView::Fused, 0);
  std::vector<size_t> order;
  double total = 0;
  for (size_t i = 0; i < kernels.size(); ++i)
    if (!std::isnan(first[i].seconds)) {
      order.push_back(i);
      total += first[i].seconds;
    }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return first[a].seconds > first[b].seconds;
  });
  size_t shown = std::min<size_t>(15, order.size());
  SummaryTable top;
  top.id = "top-kernels";
  top.title = "Top " + std::to_string(shown) + " fused kernels by time (" +
              r.devices.front().spec.name + ")";
  top.firstNumeric = 2;
  top.header = {"kernel", "class", "ops", "FLOPs", "bytes"};
  for (const ReportDevice &d : r.devices)
    top.header.push_back("time " + d.spec.name);
  top.header.insert(top.header.end(),
                    {"roofline " + r.devices.front().spec.name, "share"});
  for (size_t n = 0; n < shown; ++n) {
    const Kernel &k = kernels[order[n]];
    std::vector<std::string> row = {
        truncateName(k.name), stringifyKernelClass(k.cls).str(),
        std::to_string(k.ops.size()), formatFlops(kernelFlops(k)),
        formatBytes(first[order[n]].bytes)};
    for (size_t d = 0; d < r.devices.size(); ++d)
      row.push_back(
          formatTime(kt.getPrices(KernelView::Fused, d)[order[n]].seconds));
    row.push_back(formatTime(first[order[n]].roofline));
    row.push_back(total > 0
                      ? fixedOrDash(100 * first[order[n]].seconds / total) + "%"
                      : "-");
    top.rows.push_back(row);
  }
  tables.push_back(std::move(top));
}

void mlir::tfperf::printKernelsJSON(const Report &r, llvm::json::OStream &j) {
  if (!r.kernels || r.devices.empty())
    return;
  const KernelTimesAnalysis &kt = *r.kernels;
  j.attributeObject("time_model", [&] {
    j.attribute("name", timeModelName(r.timing.model));
    j.attribute("kernels", kernelViewName(r.timing.view));
    j.attributeArray("devices", [&] {
      for (size_t d = 0; d < r.devices.size(); ++d)
        j.object([&] {
          j.attribute("name", r.devices[d].spec.name);
          j.attribute("label", timeModelLabel(r, d));
          const DeviceCalibration &cal = kt.getModel(d).getCalibration();
          j.attribute("calibrated", cal.calibrated);
          if (!cal.calibrated)
            j.attribute("rule", cal.rule);
        });
    });
  });
  j.attributeObject("kernel_views", [&] {
    for (KernelView v : {KernelView::Exported, KernelView::Fused})
      j.attributeObject(kernelViewName(v), [&] {
        ViewTotals vt = viewTotals(r, v);
        j.attribute("kernels", (int64_t)vt.kernels);
        j.attribute("unknown_kernels", (int64_t)vt.unknown);
        jsonNumber(j, "flops", vt.flops);
        jsonNumber(j, "bytes", vt.bytes);
        perDevice(r, j, "time_s", [&](size_t d) { return vt.time[d]; });
        perDevice(r, j, "roofline_s", [&](size_t d) { return vt.roofline[d]; });
      });
  });
  ArrayRef<Kernel> kernels = kt.getView(KernelView::Fused).getKernels();
  j.attributeArray("kernels", [&] {
    for (size_t i = 0; i < kernels.size(); ++i)
      j.object([&] {
        const Kernel &k = kernels[i];
        const KernelPrice &first = kt.getPrices(KernelView::Fused, 0)[i];
        j.attribute("name", k.name);
        j.attribute("class", stringifyKernelClass(k.cls));
        j.attributeArray("ops", [&] {
          for (Operation *op : k.ops)
            if (const OpCostRecord *rec = r.costs->lookup(op))
              j.value(rec->name);
        });
        jsonNumber(j, "flops", kernelFlops(k));
        jsonNumber(j, "bytes", first.bytes);
        perDevice(r, j, "time_s", [&](size_t d) {
          return kt.getPrices(KernelView::Fused, d)[i].seconds;
        });
        perDevice(r, j, "roofline_s", [&](size_t d) {
          return kt.getPrices(KernelView::Fused, d)[i].roofline;
        });
        if (first.classFallback)
          j.attribute("priced_as", "add");
        printTensorParallelOpsJSON(r, k.ops, "tp", j);
      });
  });
}
