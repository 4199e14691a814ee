//===- Sweep.h - evaluating the cost formulas over a grid -------*- C++ -*-===//
//
// `--sweep=batch=1,8,64;seq=128..32768*2;hw=a100-sxm-40gb,h100-sxm`
// evaluates the symbolic costs (SymbolicCosts.h), not the graph, at every
// point of the grid: the formulas of each group of identical ops are
// compiled once (CompiledFormulas.h), and each point costs one evaluation
// per group plus a roofline max per group and device.
//
// Spec syntax (docs/Symbolic.md):
//   spec  := axis (';' axis)*
//   axis  := name '=' item (',' item)*
//   item  := int | int '..' int [('*' | '+') int] | device name (hw only)
// `a..b*k` is a geometric range (a, a·k, ... up to b), `a..b+k` an
// arithmetic one, `a..b` steps by 1. Axis names: a symbol of the graph
// (its dim_param), the aliases batch, seq and past (the symbols the
// transformer analysis found), kv_len (cached tokens including the new
// ones: past = kv_len - seq), hw (devices; default: the report's), and tp
// (tensor-parallel degrees: per-device figures plus the collectives' time,
// from the SymbolicCosts' tensor-parallel plan). With `--kernels` and
// `--time-model` other than the per-op roofline, each point's time is the
// kernel view's at the point's dims (SweepKernelPricing).
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_SWEEP_H
#define TFPERF_ANALYSIS_SWEEP_H

#include "tfperf/Analysis/Hardware.h"
#include "tfperf/Analysis/KernelTimes.h"
#include "tfperf/Analysis/SymbolicCosts.h"

#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace mlir::tfperf {

/// Most points a sweep may have (devices included).
constexpr uint64_t kMaxSweepPoints = 10'000'000;
/// Points (a hardware axis counted) a kernel-priced sweep evaluates at most: each
/// re-costs the graph and forms its kernels (about a millisecond), where a
/// formula-only row takes microseconds. Larger sweeps fall back to the
/// formulas' roofline and say so.
constexpr uint64_t kMaxKernelPricedPoints = 20'000;

struct SweepAxis {
  enum class Kind { Symbol, KvLen, Hardware, TensorParallel };
  /// As written in the spec.
  std::string name;
  Kind kind = Kind::Symbol;
  /// The graph symbol the axis sets (Symbol: itself or an alias's target;
  /// KvLen: the past symbol). Set by resolveSweepSpec.
  std::string symbol;
  /// Numeric axes.
  std::vector<int64_t> values;
  /// The hw axis: names, and the devices once resolved.
  std::vector<std::string> deviceNames;
  std::vector<DeviceSpec> devices;
  size_t size() const {
    return kind == Kind::Hardware ? deviceNames.size() : values.size();
  }
};

struct SweepSpec {
  std::string text;
  std::vector<SweepAxis> axes;
  /// Product of the axis sizes.
  uint64_t numPoints() const;
  const SweepAxis *find(llvm::StringRef name) const;
};

/// Parses the syntax only (no graph needed): axis names, values, ranges.
/// On error returns nullopt and sets `error` to a message that quotes the
/// offending part.
std::optional<SweepSpec> parseSweepSpec(llvm::StringRef text,
                                        std::string &error);

/// Binds the axes to the graph's symbols and the devices (the built-in
/// database plus `hwFile`); every symbol of the formulas must get a value.
LogicalResult resolveSweepSpec(SweepSpec &spec, const SymbolicCosts &costs,
                               llvm::StringRef hwFile, std::string &error);

struct SweepRow {
  /// The point: SweepResult::point(row) gives its axis values.
  uint64_t pointIndex = 0;
  /// Index into SweepResult::devices.
  unsigned device = 0;
  double flops = 0, gemmFlops = 0, bytes = 0;
  /// Sums over ops of the roofline time, FLOPs / peak and bytes / bandwidth.
  double time = 0, computeTime = 0, memoryTime = 0;
  /// Time of the memory-bound ops.
  double memoryBoundTime = 0;
  /// Time of the attention blocks (projections and scores) and of the MLPs.
  double attentionTime = 0, mlpTime = 0;
  /// Ops without figures (unknown cost, or no matmul peak on the device).
  unsigned unknownOps = 0;
  /// A dim of the graph is below zero at this point: there is no graph
  /// there, every op is unknown and the figures are not counts.
  bool noGraph = false;
  /// Under a tp axis (per device; `time` includes commTime): the payload
  /// of the collectives and their ring time.
  double commBytes = 0, commTime = 0;
  /// With kernel pricing (SweepKernelPricing), `time`, the memory-bound,
  /// attention and MLP times are the kernels'; this is the formulas'
  /// per-op roofline (plus commTime), the bound. NaN without.
  double rooflineTime = NAN;
};

struct SweepResult {
  SweepSpec spec;
  /// Indices into spec.axes of the numeric axes, in spec order (the
  /// columns of SweepRow::point).
  std::vector<size_t> numericAxes;
  std::vector<DeviceSpec> devices;
  /// Points in odometer order over the numeric axes (the last one fastest),
  /// each followed by its devices.
  std::vector<SweepRow> rows;
  /// Whether attention/MLP times are meaningful (the transformer analysis
  /// tagged the ops).
  bool hasBlocks = false;
  /// A tp axis: the figures are per device, with comm_bytes, comm_time_s.
  bool hasTensorParallel = false;
  /// Batch and sequence symbols (for tokens/s), "" when absent.
  std::string batchSymbol, seqSymbol;
  /// Wall time of compiling and evaluating the formulas (not of writing).
  double seconds = 0;
  /// Distinct op formulas evaluated per point.
  size_t groups = 0;
  /// Whether the times are kernel-priced, and by which view and model.
  bool kernelPriced = false;
  Timing timing;
  /// Why a sweep that asked for kernel pricing is on the roofline instead
  /// (too many rows); empty otherwise.
  std::string unpricedReason;
  const SweepAxis &numericAxis(size_t i) const {
    return spec.axes[numericAxes[i]];
  }
  /// The values of the numeric axes at `row`'s point, in spec order.
  ArrayRef<int64_t> point(const SweepRow &row) const {
    size_t n = numericAxes.size();
    return ArrayRef<int64_t>(points).slice(row.pointIndex * n, n);
  }
  /// Every point's values, numericAxes.size() per point.
  std::vector<int64_t> points;
  /// Tokens per second of a row (batch·seq / time), NaN without seq.
  double tokensPerSecond(const SweepRow &r) const;
};

/// What prices a sweep's points when the report's times are not every op's
/// own roofline (`--kernels`, `--time-model`): at each point the graph is
/// re-costed at the point's dims, grouped into the view's kernels and each
/// kernel priced by the time model, as the report's own kernels are
/// (KernelTimes.h). The FLOPs and bytes stay the formulas' (exact).
struct SweepKernelPricing {
  Operation *root = nullptr;
  const TransformerStructure *structure = nullptr;
  const DtypePolicy *policy = nullptr;
  Timing timing;
};

/// Evaluates the resolved `spec`; `defaultDevices` serve when it has no hw
/// axis. With `pricing`, each point also costs a kernel view of the graph
/// (its ops, not its formula groups).
SweepResult runSweep(const SymbolicCosts &costs, const SweepSpec &spec,
                     ArrayRef<DeviceSpec> defaultDevices,
                     const SweepKernelPricing *pricing = nullptr);

} // namespace mlir::tfperf

#endif
