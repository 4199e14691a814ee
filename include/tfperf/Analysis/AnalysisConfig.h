//===- AnalysisConfig.h - the analysis configuration of a module -*- C++ -*-===//
//
// What the analysis passes were asked to do travels in the module as the
// typed attribute `tfperf.config = #tfperf.config<...>` (TFPerfAttrs.td):
// each pass sets its part with setConfig, and the analyses read it back
// with getConfig. The dtypes and devices it names are parsed and resolved
// once, by the DtypeConfig and DeviceSet analyses, which every later
// analysis and the report use.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_ANALYSISCONFIG_H
#define TFPERF_ANALYSIS_ANALYSISCONFIG_H

#include "tfperf/Analysis/ConfigInvalidation.h"
#include "tfperf/Analysis/Hardware.h"
#include "tfperf/Analysis/Roofline.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfAttrs.h"

#include "mlir/IR/BuiltinOps.h"

namespace mlir::tfperf {

/// Name of the module attribute holding the configuration.
constexpr llvm::StringLiteral kConfigAttrName = "tfperf.config";

/// The configuration of `op`'s module (`op` itself if it is one): its
/// `tfperf.config`, or the defaults when it has none.
ConfigAttr getConfig(Operation *op);

/// Sets `module`'s configuration. The analyses cached in `am` (the
/// module's analysis manager) that read a part that changed are
/// invalidated at once, so the calling pass's later getAnalysis calls see
/// the new configuration; the others stay. A pass that changes the IR in
/// no other way an analysis reads may then mark all analyses preserved.
void setConfig(ModuleOp module, ConfigAttr config, AnalysisManager am);

/// The parts in which two configurations differ.
ConfigPart changedParts(ConfigAttr before, ConfigAttr after);

/// The dtype policy the configuration names (compute_dtype,
/// weight_dtype), parsed once.
class DtypeConfig {
public:
  explicit DtypeConfig(Operation *root);
  /// Null when a dtype is unknown; getError() then says which.
  const DtypePolicy *getPolicy() const { return policy ? &*policy : nullptr; }
  const std::string &getError() const { return error; }

  static constexpr ConfigPart kReads = ConfigPart::Dtypes;
  bool isInvalidated(const AnalysisManager::PreservedAnalyses &pa) {
    return !isAnalysisKept<DtypeConfig>(pa, kReads);
  }

private:
  std::optional<DtypePolicy> policy;
  std::string error;
};

/// The devices the configuration names (hw, hw_file), resolved once
/// against the built-in database and the user's file.
class DeviceSet {
public:
  explicit DeviceSet(Operation *root);
  /// Empty when a device is unknown or the file is bad; getError() says so.
  ArrayRef<DeviceSpec> getDevices() const { return devices; }
  bool isValid() const { return valid; }
  const std::string &getError() const { return error; }

  static constexpr ConfigPart kReads = ConfigPart::Devices;
  bool isInvalidated(const AnalysisManager::PreservedAnalyses &pa) {
    return !isAnalysisKept<DeviceSet>(pa, kReads);
  }

private:
  std::vector<DeviceSpec> devices;
  bool valid = false;
  std::string error;
};

/// The dtype policy and the devices of the configuration, for the analyses
/// that price ops on devices.
struct PricingConfig {
  const DtypePolicy &policy;
  ArrayRef<DeviceSpec> devices;
};

/// Both, from the cached DtypeConfig and DeviceSet; nullopt with `error` set
/// to the first problem (a bad dtype, an unknown device, a bad hw-file).
std::optional<PricingConfig> getPricingConfig(AnalysisManager &am,
                                              std::string &error);

} // namespace mlir::tfperf

#endif
