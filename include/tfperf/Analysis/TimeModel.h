//===- TimeModel.h - calibrated kernel times ---------------------*- C++ -*-===//
//
// Prices one kernel (a fused group of ops, or one op of the exported view)
// on one device with the calibrated time model of docs/TimeModel.md: GEMMs
// by tile and wave quantization, memory-bound kernels at a class's
// achievable bandwidth with overheads and latency floors, flash attention,
// and collectives by link tier. The parameters are the device's
// "calibration" object in the hardware database; a device without one gets
// the documented uncalibrated rule (the A100's efficiencies on its own
// datasheet). The Python reference is bench/calibrate.py; both must agree.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_TIMEMODEL_H
#define TFPERF_ANALYSIS_TIMEMODEL_H

#include "tfperf/Analysis/AnalysisEnums.h"
#include "tfperf/Analysis/Hardware.h"

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace mlir::tfperf {

/// Classes priced by the memory-bound formula.
bool isMemoryClass(KernelClass c);

enum class CollectiveKind {
  AllReduce,
  AllGather,
  ReduceScatter,
  SendRecv,
  AllToAll
};

/// The figures of one kernel the model needs. Times are per device (after
/// any TP split): pass the per-rank shapes and bytes.
struct KernelWork {
  KernelClass cls = KernelClass::Add;
  /// Every FLOP of the kernel (epilogues included).
  double flops = 0;
  /// Bytes crossing the kernel boundary.
  double bytes = 0;
  /// Dtype whose tensor peak applies to GEMM and attention kernels.
  std::string dtype = "fp16";
  /// GEMM problem: C[M, N] = A[M, K] B[K, N], `batch` independent problems.
  int64_t m = 0, n = 0, k = 0, batch = 1;
  /// Memory classes: device kernels in the group, and the elements of one
  /// row for row-wise classes (0 otherwise).
  int64_t kernels = 1, row = 0;
  /// Attention: head dim, KV length (0 when unknown: that efficiency
  /// factor is taken as 1), and whether it is a decode step (the KV cache
  /// streamed once). `flops` is then the attention's F.
  int64_t headDim = 0, kvLen = 0;
  bool decode = false;
  /// The same kernel launched this many times (a loop body's): the work
  /// above is one launch's, the time all of them.
  int64_t launches = 1;

  /// Sets the FLOPs and bytes from all launches' together.
  void setTotals(double totalFlops, double totalBytes) {
    flops = totalFlops / double(launches);
    bytes = totalBytes / double(launches);
  }
};

struct KernelTime {
  double seconds = 0;
  /// max(flops / peak, bytes / mem_bw) at 100% of the datasheet; GEMM and
  /// attention FLOPs at the tensor peak, the others at the vector peak.
  double roofline = 0;
  /// The device's parameters were derived, not fitted (every report must
  /// say so).
  bool uncalibrated = false;
  /// A memory class the device has no entry for, priced as `add`.
  bool classFallback = false;
};

class TimeModel {
public:
  /// The device's calibration, or the uncalibrated rule where it has none.
  explicit TimeModel(const DeviceSpec &device);

  const DeviceSpec &getDevice() const { return device; }
  const DeviceCalibration &getCalibration() const { return cal; }
  bool isCalibrated() const { return cal.calibrated; }

  /// The tensor peak for `dtype`: fp16, else bf16, else the largest one.
  double tensorPeak(llvm::StringRef dtype) const;

  /// GEMM time; `bytes` is what the kernel moves (operands, result,
  /// epilogue inputs).
  double gemmTime(int64_t m, int64_t n, int64_t k, int64_t batch,
                  double bytes, double peak) const;
  /// A memory-bound kernel of class `cls` (`classFallback` set when the
  /// device has no entry for it and `add`'s is used).
  double memTime(KernelClass cls, double bytes, int64_t kernels, int64_t row,
                 bool *classFallback = nullptr) const;
  /// The same in two steps, for callers that price one class many times
  /// (a serving step): the class's parameters (`add`'s where the device
  /// has none), then the formula.
  MemClassParams memParams(KernelClass cls,
                           bool *classFallback = nullptr) const;
  double memTime(const MemClassParams &params, double bytes, int64_t kernels,
                 int64_t row) const;
  double attentionTime(const KernelWork &w) const;
  /// nullopt when no tier of the device covers `ranks`, or the tier has no
  /// figures for `kind`. An empty `tier` picks one (selectTier).
  std::optional<double> collectiveTime(CollectiveKind kind, int64_t ranks,
                                       double bytes,
                                       llvm::StringRef tier = "") const;
  /// The tier a group of `ranks` uses: within a node of 8 the NVSwitch
  /// tier, else the device's scale-up tier up to its max_ranks (8, or a
  /// larger domain: NVL72, a TPU pod), beyond them InfiniBand; null when
  /// none fits.
  const CollectiveTier *selectTier(int64_t ranks) const;

  KernelTime price(const KernelWork &w) const;
  double rooflineTime(const KernelWork &w) const;

private:
  DeviceSpec device;
  DeviceCalibration cal;
};

/// The uncalibrated rule for a device without a "calibration" object
/// (docs/TimeModel.md, "Devices without measurements"): the GEMM
/// efficiencies, memory ceiling fraction, overheads, floors and tiles of the
/// calibrated `source` (the built-in a100-sxm-80gb), the device's own peaks
/// and bandwidth, and a `scale_up` tier with the source's NVSwitch α0, α and
/// β scaled by the device's link bandwidth over 300 GB/s. When both give
/// their SMs and FP32 lanes per SM, the memory classes' SM-limited bandwidth
/// scales with the SM throughput (capped by the device's ceiling), the
/// per-row walk with the clock, and the device's SM count replaces the
/// source's; otherwise the source's efficiencies and unit count carry over.
/// bench/calibrate.py's `derive` is the same rule.
DeviceCalibration deriveUncalibrated(const DeviceSpec &device,
                                     const DeviceSpec &source);

} // namespace mlir::tfperf

#endif
