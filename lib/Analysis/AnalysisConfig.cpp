//===- AnalysisConfig.cpp - the analysis configuration of a module --------===//

#include "tfperf/Analysis/AnalysisConfig.h"

using namespace mlir;
using namespace mlir::tfperf;

ConfigAttr mlir::tfperf::getConfig(Operation *op) {
  auto module = dyn_cast<ModuleOp>(op);
  if (!module)
    module = op->getParentOfType<ModuleOp>();
  if (module)
    if (auto config = module->getAttrOfType<ConfigAttr>(kConfigAttrName))
      return config;
  return ConfigAttr::getDefault(op->getContext());
}

ConfigPart mlir::tfperf::changedParts(ConfigAttr before, ConfigAttr after) {
  ConfigPart changed = ConfigPart::None;
  if (before.getHw() != after.getHw() ||
      before.getHwFile() != after.getHwFile())
    changed |= ConfigPart::Devices;
  if (before.getComputeDtype() != after.getComputeDtype() ||
      before.getWeightDtype() != after.getWeightDtype())
    changed |= ConfigPart::Dtypes;
  if (before.getTransformer() != after.getTransformer())
    changed |= ConfigPart::Transformer;
  if (before.getSymbolic() != after.getSymbolic())
    changed |= ConfigPart::Symbolic;
  if (before.getTensorParallel() != after.getTensorParallel())
    changed |= ConfigPart::TensorParallel;
  if (before.getTraining() != after.getTraining())
    changed |= ConfigPart::Training;
  if (before.getServing() != after.getServing())
    changed |= ConfigPart::Serving;
  if (before.getTiming() != after.getTiming())
    changed |= ConfigPart::Timing;
  return changed;
}

void mlir::tfperf::setConfig(ModuleOp module, ConfigAttr config,
                             AnalysisManager am) {
  ConfigPart changed = changedParts(getConfig(module), config);
  module->setAttr(kConfigAttrName, config);
  if (changed != ConfigPart::None)
    am.invalidate(configChange(changed));
}

DtypeConfig::DtypeConfig(Operation *root) {
  ConfigAttr config = getConfig(root);
  policy = DtypePolicy::parse(config.getComputeDtype(),
                              config.getWeightDtype(), error);
}

DeviceSet::DeviceSet(Operation *root) {
  ConfigAttr config = getConfig(root);
  std::string names;
  for (StringAttr name : config.getHw())
    names += (names.empty() ? "" : ",") + name.str();
  if (auto resolved = resolveDevices(names, config.getHwFile(), error)) {
    devices = std::move(*resolved);
    valid = true;
  }
}

std::optional<PricingConfig>
mlir::tfperf::getPricingConfig(AnalysisManager &am, std::string &error) {
  const DtypeConfig &dtypes = am.getAnalysis<DtypeConfig>();
  const DeviceSet &devices = am.getAnalysis<DeviceSet>();
  if (!dtypes.getPolicy()) {
    error = dtypes.getError();
    return std::nullopt;
  }
  if (!devices.isValid()) {
    error = devices.getError();
    return std::nullopt;
  }
  return PricingConfig{*dtypes.getPolicy(), devices.getDevices()};
}
