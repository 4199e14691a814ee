//===- ConfigAttr.cpp - #tfperf.config and its parts ----------------------===//
//
// The syntax helpers and verifiers of the analysis configuration. Which
// dtypes and devices exist is the Analysis layer's knowledge
// (tfperf/Analysis/AnalysisConfig.h checks them when it reads the
// attribute); the verifiers here check what the IR alone can.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Dialect/TFPerf/IR/TFPerfAttrs.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Format.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tfperf;

void mlir::tfperf::printConfigList(AsmPrinter &printer,
                                   ArrayRef<int64_t> list) {
  printer << '[';
  llvm::interleaveComma(list, printer);
  printer << ']';
}

void mlir::tfperf::printConfigList(AsmPrinter &printer,
                                   ArrayRef<StringAttr> list) {
  printer << '[';
  llvm::interleaveComma(list, printer,
                        [&](StringAttr s) { printer.printString(s.getValue()); });
  printer << ']';
}

FailureOr<SmallVector<int64_t>>
mlir::tfperf::parseConfigIntList(AsmParser &parser) {
  SmallVector<int64_t> list;
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&] {
        return parser.parseInteger(list.emplace_back());
      }))
    return failure();
  return list;
}

FailureOr<SmallVector<StringAttr>>
mlir::tfperf::parseConfigStringList(AsmParser &parser) {
  SmallVector<StringAttr> list;
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&] {
        std::string s;
        if (parser.parseString(&s))
          return failure();
        list.push_back(StringAttr::get(parser.getContext(), s));
        return success();
      }))
    return failure();
  return list;
}

FailureOr<bool> mlir::tfperf::parseConfigBool(AsmParser &parser) {
  if (succeeded(parser.parseOptionalKeyword("true")))
    return true;
  if (succeeded(parser.parseOptionalKeyword("false")))
    return false;
  return parser.emitError(parser.getCurrentLocation(), "expected true or false");
}

FailureOr<llvm::APFloat> mlir::tfperf::parseConfigDouble(AsmParser &parser) {
  double v;
  if (parser.parseFloat(v))
    return failure();
  return llvm::APFloat(v);
}

//===----------------------------------------------------------------------===//
// Verifiers
//===----------------------------------------------------------------------===//

LogicalResult
PhasesConfigAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                         StringRef phase, int64_t batch, int64_t seq,
                         int64_t kvLen, int64_t devices) {
  if (phase != "prefill" && phase != "decode" && phase != "both")
    return emitError() << "#tfperf.phases: phase must be prefill, decode or "
                          "both, got '"
                       << phase << "'";
  for (int64_t v : {batch, seq, kvLen})
    if (v < 0 || v > kMaxPhaseSize)
      return emitError() << "#tfperf.phases: batch, seq and kv_len must be in "
                            "[0, "
                         << kMaxPhaseSize << "], got " << v;
  if (devices < 1 || devices > kMaxCapacityDevices)
    return emitError() << "#tfperf.phases: devices must be in [1, "
                       << kMaxCapacityDevices << "], got " << devices;
  return success();
}

LogicalResult TensorParallelConfigAttr::verify(
    function_ref<InFlightDiagnostic()> emitError, ArrayRef<int64_t> degrees,
    int64_t microbatches, ArrayRef<int64_t> ep) {
  if (degrees.empty())
    return emitError() << "#tfperf.tensor_parallel: no degrees";
  for (auto [name, list] : {std::pair{"degrees", degrees}, std::pair{"ep", ep}})
    for (size_t i = 0; i < list.size(); ++i) {
      if (list[i] < 1)
        return emitError() << "#tfperf.tensor_parallel: " << name
                           << " must be at least 1, got " << list[i];
      if (i > 0 && list[i] <= list[i - 1])
        return emitError() << "#tfperf.tensor_parallel: " << name
                           << " must be increasing, got " << list[i]
                           << " after " << list[i - 1];
    }
  if (microbatches < 0)
    return emitError() << "#tfperf.tensor_parallel: microbatches must be >= "
                          "0, got "
                       << microbatches;
  return success();
}

LogicalResult TrainingConfigAttr::verify(
    function_ref<InFlightDiagnostic()> emitError, bool inputRequiresGrad,
    llvm::APFloat optimizerBytesPerParamValue, StringRef recompute,
    bool sequenceParallel, bool dropout, int64_t pp, StringRef ppSchedule,
    int64_t ppVirtualStages, int64_t microbatches, int64_t dp) {
  double optimizerBytesPerParam = optimizerBytesPerParamValue.convertToDouble();
  if (!(optimizerBytesPerParam > 0) || !std::isfinite(optimizerBytesPerParam))
    return emitError() << "#tfperf.training: optimizer_bytes_per_param must "
                          "be positive, got "
                       << optimizerBytesPerParam;
  if (optimizerBytesPerParam > kMaxOptimizerBytesPerParam) {
    std::string got;
    llvm::raw_string_ostream(got) << llvm::format("%g", optimizerBytesPerParam);
    return emitError() << "#tfperf.training: optimizer_bytes_per_param must "
                          "be at most "
                       << int64_t(kMaxOptimizerBytesPerParam) << " bytes, got "
                       << got;
  }
  if (!llvm::is_contained({"", "none", "selective", "full"}, recompute))
    return emitError() << "#tfperf.training: recompute must be none, "
                          "selective or full, got '"
                       << recompute << "'";
  if (!llvm::is_contained({"1f1b", "interleaved"}, ppSchedule))
    return emitError() << "#tfperf.training: pp_schedule must be 1f1b or "
                          "interleaved, got '"
                       << ppSchedule << "'";
  struct Range {
    StringRef name;
    int64_t value, max;
  };
  for (const Range &r : {Range{"pp", pp, kMaxPipelineStages},
                         Range{"pp_virtual_stages", ppVirtualStages,
                               kMaxPipelineVirtualStages},
                         Range{"microbatches", microbatches, kMaxTrainingRanks},
                         Range{"dp", dp, kMaxTrainingRanks}})
    if (r.value < 1 || r.value > r.max)
      return emitError() << "#tfperf.training: " << r.name
                         << " must be in [1, " << r.max << "], got "
                         << r.value;
  return success();
}

LogicalResult
TimingConfigAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                         StringRef kernels, StringRef timeModel) {
  if (kernels != "exported" && kernels != "fused")
    return emitError() << "#tfperf.timing: kernels must be exported or "
                          "fused, got '"
                       << kernels << "'";
  if (timeModel != "roofline" && timeModel != "calibrated")
    return emitError() << "#tfperf.timing: time_model must be roofline or "
                          "calibrated, got '"
                       << timeModel << "'";
  return success();
}

LogicalResult ConfigAttr::verify(
    function_ref<InFlightDiagnostic()> emitError, ArrayRef<StringAttr> hw,
    StringRef hwFile, StringRef computeDtype, StringRef weightDtype,
    PhasesConfigAttr transformer, SymbolicConfigAttr symbolic,
    TensorParallelConfigAttr tensorParallel, TrainingConfigAttr training,
    ServingConfigAttr serving, TimingConfigAttr timing) {
  for (StringAttr name : hw)
    if (!name || name.getValue().trim().empty() ||
        name.getValue().contains(','))
      return emitError() << "#tfperf.config: device names must be non-empty "
                            "and without commas";
  // The tensor-parallel degrees are costed on the transformer's phases.
  if (tensorParallel && !transformer)
    return emitError() << "#tfperf.config: tensor_parallel needs transformer";
  // Serving steps are costed on the transformer's token shapes.
  if (serving && !transformer)
    return emitError() << "#tfperf.config: serving needs transformer";
  return success();
}

//===----------------------------------------------------------------------===//
// Building
//===----------------------------------------------------------------------===//

ConfigAttr ConfigAttr::getDefault(MLIRContext *ctx) {
  return ConfigAttr::get(ctx, {}, "", "", "", {}, {}, {}, {}, {}, {});
}

ConfigAttr ConfigAttr::withDevices(ArrayRef<StringAttr> hw, StringRef hwFile,
                                   StringRef computeDtype,
                                   StringRef weightDtype) const {
  return ConfigAttr::get(getContext(), hw, hwFile, computeDtype, weightDtype,
                         getTransformer(), getSymbolic(), getTensorParallel(),
                         getTraining(), getServing(), getTiming());
}

ConfigAttr ConfigAttr::withTransformer(PhasesConfigAttr part) const {
  return ConfigAttr::get(getContext(), getHw(), getHwFile(), getComputeDtype(),
                         getWeightDtype(), part, getSymbolic(),
                         getTensorParallel(), getTraining(), getServing(),
                         getTiming());
}

ConfigAttr ConfigAttr::withSymbolic(SymbolicConfigAttr part) const {
  return ConfigAttr::get(getContext(), getHw(), getHwFile(), getComputeDtype(),
                         getWeightDtype(), getTransformer(), part,
                         getTensorParallel(), getTraining(), getServing(),
                         getTiming());
}

ConfigAttr ConfigAttr::withTensorParallel(TensorParallelConfigAttr part) const {
  return ConfigAttr::get(getContext(), getHw(), getHwFile(), getComputeDtype(),
                         getWeightDtype(), getTransformer(), getSymbolic(),
                         part, getTraining(), getServing(), getTiming());
}

ConfigAttr ConfigAttr::withTraining(TrainingConfigAttr part) const {
  return ConfigAttr::get(getContext(), getHw(), getHwFile(), getComputeDtype(),
                         getWeightDtype(), getTransformer(), getSymbolic(),
                         getTensorParallel(), part, getServing(), getTiming());
}

ConfigAttr ConfigAttr::withServing(ServingConfigAttr part) const {
  return ConfigAttr::get(getContext(), getHw(), getHwFile(), getComputeDtype(),
                         getWeightDtype(), getTransformer(), getSymbolic(),
                         getTensorParallel(), getTraining(), part, getTiming());
}

ConfigAttr ConfigAttr::withTiming(TimingConfigAttr part) const {
  return ConfigAttr::get(getContext(), getHw(), getHwFile(), getComputeDtype(),
                         getWeightDtype(), getTransformer(), getSymbolic(),
                         getTensorParallel(), getTraining(), getServing(),
                         part);
}
