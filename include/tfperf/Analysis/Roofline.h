//===- Roofline.h - bytes, intensity and roofline time ----------*- C++ -*-===//
//
// Turns an op's OpCost into bytes (each access at its value's element size,
// possibly a what-if dtype), arithmetic intensity, and roofline time on a
// device: time = max(FLOPs / peak, bytes / bandwidth), memory-bound when
// intensity < peak / bandwidth.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_ROOFLINE_H
#define TFPERF_ANALYSIS_ROOFLINE_H

#include "tfperf/Analysis/AnalysisEnums.h"
#include "tfperf/Analysis/CostAnalysis.h"
#include "tfperf/Analysis/Hardware.h"

namespace mlir::tfperf {

/// Element sizes and the peak each op runs at. Defaults come from the
/// graph; `computeDtype` re-types float activations and weights (bytes and
/// peak), `weightDtype` re-types weights only (W4A16-style).
class DtypePolicy {
public:
  /// Accepts "", bf16, fp16, fp32, tf32, fp8 for compute and additionally
  /// int8, int4, fp4 for weights.
  static std::optional<DtypePolicy> parse(llvm::StringRef computeDtype,
                                          llvm::StringRef weightDtype,
                                          std::string &error);
  /// Storage bits of one element of `v`.
  unsigned bitsOf(Value v) const;
  /// The dtype whose matmul peak applies to `op` (e.g. "fp32", "bf16").
  std::string peakDtype(Operation *op) const;
  llvm::StringRef getComputeDtype() const { return computeDtype; }
  llvm::StringRef getWeightDtype() const { return weightDtype; }

private:
  std::string computeDtype, weightDtype;
};

/// True when `v` is a weight: the result of an initializer (or a view or
/// cast of one).
bool isWeight(Value v);


/// Concrete figures of one op on one device.
struct OpFigures {
  double flops = 0, gemmFlops = 0, bytes = 0;
  double weightBytes = 0;
  double intensity = 0;
  double peak = 0;       // FLOP/s used
  double computeTime = 0, memoryTime = 0, time = 0;
  Bound bound = Bound::Unknown;
  /// Set when the figures could not be computed (unknown cost, unbound
  /// symbols, overflow, no peak for the dtype).
  std::string problem;
};

/// Binding of leftover symbols when evaluating (e.g. sweeps); may be empty.
using SymbolValues = llvm::StringMap<double>;

/// Bytes of an op's accesses as an exact expression in bits (weights and
/// activations at the policy's sizes).
SymExpr accessBits(const OpCost &cost, const DtypePolicy &policy);
/// The same for any list of accesses (a backward kernel's).
SymExpr accessBits(ArrayRef<TensorAccess> reads,
                   ArrayRef<TensorAccess> writes, const DtypePolicy &policy);

OpFigures evaluateOp(const OpCostRecord &rec, const DtypePolicy &policy,
                     const DeviceSpec &device,
                     const SymbolValues &symbols = {});

} // namespace mlir::tfperf

#endif
