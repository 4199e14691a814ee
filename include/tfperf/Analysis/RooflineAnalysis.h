//===- RooflineAnalysis.h - every op's figures on every device --*- C++ -*-===//
//
// The roofline figures (Roofline.h) of every CostAnalysis record on every
// device of the configuration, at its dtypes: what tfperf-roofline
// annotates and what the report's rows and totals sum. An MLIR analysis.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_ROOFLINEANALYSIS_H
#define TFPERF_ANALYSIS_ROOFLINEANALYSIS_H

#include "tfperf/Analysis/AnalysisConfig.h"
#include "tfperf/Analysis/CostAnalysis.h"
#include "tfperf/Analysis/Roofline.h"

namespace mlir::tfperf {

class RooflineAnalysis {
public:
  RooflineAnalysis(Operation *root, AnalysisManager &am);

  const CostAnalysis &getCosts() const { return costs; }
  /// The configuration's devices, in its order.
  ArrayRef<DeviceSpec> getDevices() const { return devices; }
  /// The figures of getCosts().getRecords()[record], one per device.
  ArrayRef<OpFigures> getFigures(size_t record) const {
    return ArrayRef<OpFigures>(figures).slice(record * devices.size(),
                                              devices.size());
  }
  /// Set when the configuration's dtypes or devices are bad (there are no
  /// figures then).
  const std::string &getError() const { return error; }

  static constexpr ConfigPart kReads = ConfigPart::Devices | ConfigPart::Dtypes;
  bool isInvalidated(const AnalysisManager::PreservedAnalyses &pa) {
    return !isAnalysisKept<RooflineAnalysis, CostAnalysis, DtypeConfig,
                           DeviceSet>(pa, kReads);
  }

private:
  const CostAnalysis &costs;
  ArrayRef<DeviceSpec> devices;
  /// Record-major: the devices of record i start at i * devices.size().
  std::vector<OpFigures> figures;
  std::string error;
};

} // namespace mlir::tfperf

#endif
