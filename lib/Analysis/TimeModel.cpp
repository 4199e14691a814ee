//===- TimeModel.cpp - calibrated kernel times ------------------------------===//
//
// Every formula here is docs/TimeModel.md's, in the order bench/calibrate.py
// evaluates it (gemm_time, mem_time, collective_time), so that the golden
// values of test/Bench/time-model.test are reproduced to rounding.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Analysis/TimeModel.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::tfperf;

namespace {
/// The tile the efficiency is relative to (256 x 128 outputs).
constexpr double kTileRef = 256.0 * 128.0;
/// The uncalibrated rule scales link bandwidth relative to A100's NVLink3.
constexpr double kSourceLinkBps = 300e9;
constexpr const char *kCalibratedSource = "a100-sxm-80gb";
} // namespace

bool mlir::tfperf::isMemoryClass(KernelClass c) {
  return c != KernelClass::Gemm && c != KernelClass::Attention;
}

/// SMs x clock of an SM-based GPU whose FP32 lanes per SM are known (0
/// otherwise): its FP32 peak over 2 FLOPs per lane.
static double smThroughput(const DeviceSpec &d) {
  return d.fp32LanesPerSM > 0 && d.smCount > 0
             ? d.vectorPeak / (2.0 * double(d.fp32LanesPerSM))
             : 0;
}

DeviceCalibration
mlir::tfperf::deriveUncalibrated(const DeviceSpec &device,
                                 const DeviceSpec &sourceSpec) {
  const DeviceCalibration &source = *sourceSpec.calibration;
  DeviceCalibration cal = source;
  cal.calibrated = false;
  cal.rule = "no calibration object for '" + device.name +
             "': GEMM efficiencies, memory ceiling, overheads, floors and "
             "tiles of the calibrated " +
             std::string(kCalibratedSource) +
             " carried over; peaks and memory bandwidth from this device's "
             "datasheet; ";
  double src = smThroughput(sourceSpec), dst = smThroughput(device);
  if (src > 0 && dst > 0) {
    // A class below the source's ceiling is held there by its SMs: that
    // bandwidth follows the SM throughput, the per-row walk the clock.
    double ratio = dst / src;
    double clock = ratio * double(sourceSpec.smCount) / double(device.smCount);
    for (auto &entry : cal.mem) {
      MemClassParams &m = entry.getValue();
      m.eff = std::min(1.0, m.eff * sourceSpec.memBandwidth * ratio /
                                device.memBandwidth);
      m.rowS /= clock;
    }
    cal.units = device.smCount;
    cal.rule += "memory-class efficiencies scaled by its SM throughput (" +
                llvm::formatv("{0:f2}", ratio).str() + "x the source's) and " +
                std::to_string(device.smCount) + " SMs";
  } else {
    cal.rule += "memory-class efficiencies and unit count carried over (no "
                "'sm_count' and 'fp32_lanes_per_sm')";
  }
  cal.collectives.clear();
  const CollectiveTier *nvswitch = nullptr;
  for (const CollectiveTier &t : source.collectives)
    if (t.name == "nvswitch")
      nvswitch = &t;
  if (device.linkBandwidth > 0 && nvswitch && nvswitch->allReduce) {
    CollectiveTier up;
    up.name = "scale_up";
    up.maxRanks = 8;
    up.allReduce = *nvswitch->allReduce;
    up.allReduce->betaBps *= device.linkBandwidth / kSourceLinkBps;
    cal.collectives.push_back(std::move(up));
  }
  return cal;
}

TimeModel::TimeModel(const DeviceSpec &device) : device(device) {
  if (device.calibration) {
    cal = *device.calibration;
    return;
  }
  const DeviceSpec *src = HardwareDatabase::builtin().lookup(kCalibratedSource);
  if (src && src->calibration) {
    cal = deriveUncalibrated(device, *src);
    return;
  }
  // Without the built-in source: a bare roofline-like model (efficiencies
  // 1, no overheads), still flagged uncalibrated.
  cal.calibrated = false;
  cal.rule = "no calibration available: efficiencies 1, no overheads";
  cal.units = 1;
  cal.tiles = {{128, 128}};
  cal.mem["add"] = MemClassParams();
}

double TimeModel::tensorPeak(llvm::StringRef dtype) const {
  for (llvm::StringRef d : {dtype, llvm::StringRef("fp16"),
                            llvm::StringRef("bf16")})
    if (auto p = device.gemmPeak(d))
      return *p;
  double best = device.vectorPeak;
  for (const auto &e : device.tensorPeak)
    best = std::max(best, e.second);
  return best;
}

double TimeModel::gemmTime(int64_t m, int64_t n, int64_t k, int64_t batch,
                           double bytes, double peak) const {
  double units = static_cast<double>(cal.units);
  double tMem = bytes / (cal.gemmMemEff * device.memBandwidth);
  double tComp = std::numeric_limits<double>::infinity();
  double fewestTileRows = std::numeric_limits<double>::infinity();
  for (auto [tm, tn] : cal.tiles) {
    fewestTileRows = std::min(fewestTileRows, static_cast<double>(tm));
    double tiles = static_cast<double>(batch) *
                   std::ceil(static_cast<double>(m) / tm) *
                   std::ceil(static_cast<double>(n) / tn);
    double waves = std::ceil(tiles / units);
    double eff =
        cal.gemmEffMax *
        std::pow(std::min(1.0, (tm * static_cast<double>(tn)) / kTileRef),
                 cal.gemmTileExp);
    double t = waves * 2.0 * tm * tn * (static_cast<double>(k) + cal.gemmK0) /
               (eff * peak / units);
    tComp = std::min(tComp, t);
  }
  // Fewer rows than any tile (a decode step): libraries run a GEMV or
  // split-K kernel that spreads N and K over every unit, so M is not padded
  // to a tile and the real FLOPs run at the device's GEMM efficiency.
  if (static_cast<double>(m) < fewestTileRows)
    tComp = static_cast<double>(batch) * 2.0 * static_cast<double>(m) *
            static_cast<double>(n) * static_cast<double>(k) /
            (cal.gemmEffMax * peak);
  return cal.gemmOverheadS + std::max(tComp, tMem);
}

MemClassParams TimeModel::memParams(KernelClass cls,
                                    bool *classFallback) const {
  auto it = cal.mem.find(stringifyKernelClass(cls));
  bool fallback = it == cal.mem.end();
  if (fallback)
    it = cal.mem.find("add");
  if (classFallback)
    *classFallback = fallback;
  return it != cal.mem.end() ? it->second : MemClassParams();
}

double TimeModel::memTime(const MemClassParams &c, double bytes,
                          int64_t kernels, int64_t row) const {
  double bw = device.memBandwidth * cal.memCeilingFrac * c.eff;
  double floor = c.floorS;
  if (row && c.rowS > 0)
    floor += static_cast<double>(row) * c.rowS;
  double k = static_cast<double>(std::max<int64_t>(kernels, 1));
  return k * std::max(floor, c.overheadS + bytes / k / bw);
}

double TimeModel::memTime(KernelClass cls, double bytes, int64_t kernels,
                          int64_t row, bool *classFallback) const {
  return memTime(memParams(cls, classFallback), bytes, kernels, row);
}

double TimeModel::attentionTime(const KernelWork &w) const {
  double tMem = w.bytes / (cal.gemmMemEff * device.memBandwidth);
  if (w.decode)
    return cal.gemmOverheadS + tMem;
  // A factor whose dim the graph does not show (a fused contrib op's KV
  // length) is left at 1 rather than guessed.
  double d = static_cast<double>(w.headDim), s = static_cast<double>(w.kvLen);
  double dimFactor = d > 0 ? std::min(1.0, d / cal.attentionHeadDimRef) : 1.0;
  double seqFactor = s > 0 ? s / (s + cal.attentionSeqHalf) : 1.0;
  double eff = cal.attentionEffMax * dimFactor * seqFactor;
  double tComp = eff > 0 ? w.flops / (eff * tensorPeak(w.dtype))
                         : std::numeric_limits<double>::infinity();
  return cal.gemmOverheadS + std::max(tComp, tMem);
}

const CollectiveTier *TimeModel::selectTier(int64_t ranks) const {
  auto find = [&](llvm::StringRef name) -> const CollectiveTier * {
    for (const CollectiveTier &t : cal.collectives)
      if (t.name == name && (t.maxRanks == 0 || ranks <= t.maxRanks))
        return &t;
    return nullptr;
  };
  if (ranks <= 8)
    if (const CollectiveTier *t = find("nvswitch"))
      return t;
  // A device's own scale-up domain reaches as far as its max_ranks: a node
  // of 8, the 72 GPUs of an NVL72, a TPU pod.
  if (const CollectiveTier *t = find("scale_up"))
    return t;
  return find("infiniband");
}

std::optional<double> TimeModel::collectiveTime(CollectiveKind kind,
                                                int64_t ranks, double bytes,
                                                llvm::StringRef tier) const {
  const CollectiveTier *t = nullptr;
  if (tier.empty()) {
    t = selectTier(ranks);
  } else {
    for (const CollectiveTier &x : cal.collectives)
      if (x.name == tier && (x.maxRanks == 0 || ranks <= x.maxRanks))
        t = &x;
  }
  if (!t || ranks < 1)
    return std::nullopt;
  double n = static_cast<double>(ranks);
  switch (kind) {
  case CollectiveKind::AllReduce:
    if (!t->allReduce)
      return std::nullopt;
    return t->allReduce->alpha0S + 2 * (n - 1) * t->allReduce->alphaS +
           2 * (n - 1) / n * bytes / t->allReduce->betaBps;
  case CollectiveKind::AllGather:
  case CollectiveKind::ReduceScatter:
    // Not measured: the all-reduce's α0, α and β (docs/TimeModel.md).
    if (!t->allReduce)
      return std::nullopt;
    return t->allReduce->alpha0S + (n - 1) * t->allReduce->alphaS +
           (n - 1) / n * bytes / t->allReduce->betaBps;
  case CollectiveKind::AllToAll:
    // Pairwise exchange (Thakur, Rabenseifner & Gropp, "Optimization of
    // Collective Communication Operations in MPICH", IJHPCA 19(1), 2005):
    // n - 1 steps, each sending bytes / n to one peer. Not measured: the
    // all-reduce's α0, α and β.
    if (!t->allReduce)
      return std::nullopt;
    return t->allReduce->alpha0S + (n - 1) * t->allReduce->alphaS +
           (n - 1) / n * bytes / t->allReduce->betaBps;
  case CollectiveKind::SendRecv:
    if (!t->sendRecv)
      return std::nullopt;
    return t->sendRecv->alphaS + bytes / t->sendRecv->betaBps;
  }
  return std::nullopt;
}

double TimeModel::rooflineTime(const KernelWork &w) const {
  double peak = isMemoryClass(w.cls) ? device.vectorPeak : tensorPeak(w.dtype);
  return std::max(w.flops / peak, w.bytes / device.memBandwidth);
}

KernelTime TimeModel::price(const KernelWork &w) const {
  KernelTime out;
  out.uncalibrated = !cal.calibrated;
  out.roofline = rooflineTime(w);
  switch (w.cls) {
  case KernelClass::Gemm:
    out.seconds = gemmTime(w.m, w.n, w.k, w.batch, w.bytes,
                           tensorPeak(w.dtype));
    break;
  case KernelClass::Attention:
    out.seconds = attentionTime(w);
    break;
  default:
    out.seconds = memTime(w.cls, w.bytes, w.kernels, w.row, &out.classFallback);
    break;
  }
  out.seconds *= double(w.launches);
  out.roofline *= double(w.launches);
  return out;
}
