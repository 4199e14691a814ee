//===- ConfigInvalidation.cpp - what a configuration change invalidates ---===//

#include "tfperf/Analysis/ConfigInvalidation.h"

using namespace mlir;
using namespace mlir::tfperf;

namespace {
/// Markers in a PreservedAnalyses: it comes from a configuration change,
/// and part `Bit` stayed the same. They name no analysis.
struct ConfigChangeMarker {};
template <unsigned Bit>
struct UnchangedPartMarker {};

template <unsigned... Bits>
TypeID unchangedPartID(unsigned bit, std::integer_sequence<unsigned, Bits...>) {
  TypeID id;
  ((bit == Bits ? (id = TypeID::get<UnchangedPartMarker<Bits>>(), 0) : 0), ...);
  return id;
}

constexpr unsigned kNumParts = 8;
static_assert(unsigned(ConfigPart::All) == (1u << kNumParts) - 1);

TypeID unchangedPartID(unsigned bit) {
  return unchangedPartID(bit, std::make_integer_sequence<unsigned, kNumParts>());
}
} // namespace

AnalysisManager::PreservedAnalyses
mlir::tfperf::configChange(ConfigPart changed) {
  AnalysisManager::PreservedAnalyses pa;
  pa.preserve<ConfigChangeMarker>();
  for (unsigned bit = 0; bit < kNumParts; ++bit)
    if (!(unsigned(changed) & (1u << bit)))
      pa.preserve(unchangedPartID(bit));
  return pa;
}

bool mlir::tfperf::isConfigChange(
    const AnalysisManager::PreservedAnalyses &pa) {
  return pa.isPreserved<ConfigChangeMarker>();
}

bool mlir::tfperf::isConfigChangeKeeping(
    const AnalysisManager::PreservedAnalyses &pa, ConfigPart reads) {
  if (!isConfigChange(pa))
    return false;
  for (unsigned bit = 0; bit < kNumParts; ++bit)
    if ((unsigned(reads) & (1u << bit)) && !pa.isPreserved(unchangedPartID(bit)))
      return false;
  return true;
}
