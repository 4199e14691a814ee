//===- Hardware.h - the device database -------------------------*- C++ -*-===//
//
// Devices for the roofline: dense peak FLOP/s per dtype for matmul-like
// ops, a vector peak for everything else, memory bandwidth and capacity,
// the scale-up link, and the source of each figure. The built-in database
// is data/hardware.json, embedded at build time; users add their own with
// --hw-file (same schema, docs/Hardware.md).
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_HARDWARE_H
#define TFPERF_ANALYSIS_HARDWARE_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir::tfperf {

/// One memory-bound kernel class of the calibrated time model
/// (docs/TimeModel.md, "Memory-bound kernels").
struct MemClassParams {
  double floorS = 0, overheadS = 0, eff = 1;
  /// Seconds per element of one row's walk (row-wise classes only).
  double rowS = 0;
};

/// Latency and bus bandwidth of one collective on one link tier.
struct CollectiveParams {
  double alpha0S = 0, alphaS = 0, betaBps = 0;
};

/// A link tier's collectives (`calibration.collectives.<tier>`).
struct CollectiveTier {
  std::string name;
  /// Largest group the tier was measured at; 0 when unbounded.
  int64_t maxRanks = 0;
  std::optional<CollectiveParams> allReduce, sendRecv;
};

/// The fitted (or derived) parameters of the calibrated time model, from a
/// device's "calibration" object in the hardware database.
struct DeviceCalibration {
  /// False for devices priced by the uncalibrated rule (no measurements).
  bool calibrated = false;
  /// How an uncalibrated device's parameters were derived.
  std::string rule;
  /// SMs / CUs / MXUs.
  int64_t units = 0;
  /// GEMM output tiles (rows, cols) the model may pick from.
  std::vector<std::pair<int64_t, int64_t>> tiles;
  double memCeilingFrac = 1;
  llvm::StringMap<MemClassParams> mem;
  double gemmEffMax = 1, gemmK0 = 0, gemmTileExp = 0, gemmMemEff = 1,
         gemmOverheadS = 0;
  /// Flash attention (placeholders while `attentionFitted` is false).
  double attentionEffMax = 0.6, attentionHeadDimRef = 128,
         attentionSeqHalf = 512;
  bool attentionFitted = false;
  std::vector<CollectiveTier> collectives;
};

struct DeviceSpec {
  std::string name;
  std::string description;
  /// Dense matmul peaks by dtype ("fp32", "tf32", "fp16", "bf16", "fp8",
  /// "int8", "fp4"), FLOP/s.
  llvm::StringMap<double> tensorPeak;
  /// Peak for non-matmul ops, FLOP/s.
  double vectorPeak = 0;
  /// Bytes/s and bytes.
  double memBandwidth = 0;
  double memCapacity = 0;
  std::string linkName;
  /// Per direction, bytes/s.
  double linkBandwidth = 0;
  /// Per ring step, seconds.
  double linkLatency = 0;
  llvm::StringMap<std::string> sources;
  /// An SM-based GPU's streaming multiprocessors and FP32 lanes per SM (0:
  /// not given). With the FP32 peak they give its SM throughput (SMs x
  /// clock), which the uncalibrated rule scales memory classes by.
  int64_t smCount = 0;
  int64_t fp32LanesPerSM = 0;
  /// The time model's parameters; absent when the database has none for
  /// the device (the time model then applies the uncalibrated rule).
  std::optional<DeviceCalibration> calibration;

  /// The matmul peak for `dtype`, if the device has one.
  std::optional<double> gemmPeak(llvm::StringRef dtype) const;
};

class HardwareDatabase {
public:
  /// Parses the JSON schema; on error returns nullopt and sets `error`
  /// (naming the device and field).
  static std::optional<HardwareDatabase> parse(llvm::StringRef json,
                                               std::string &error);
  /// The embedded data/hardware.json.
  static const HardwareDatabase &builtin();

  const DeviceSpec *lookup(llvm::StringRef name) const;
  ArrayRef<DeviceSpec> getDevices() const { return devices; }
  /// Adds (or replaces, by name) the devices of `other`.
  void merge(const HardwareDatabase &other);

private:
  std::vector<DeviceSpec> devices;
};

/// Resolves a comma-separated device list against the built-in database
/// plus an optional user file. Sets `error` on an unknown name, unreadable
/// or invalid file.
std::optional<std::vector<DeviceSpec>>
resolveDevices(llvm::StringRef names, llvm::StringRef hwFile,
               std::string &error);

} // namespace mlir::tfperf

#endif
