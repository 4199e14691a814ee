//===- ONNXNames.cpp - the ONNX op each tfperf op imports -----------------===//
//
// Built at compile time from the dialect's op list (GET_OP_LIST): every op
// class with the ONNXOp trait contributes its ODS-declared name.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Dialect/TFPerf/IR/ONNXNames.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "llvm/ADT/StringMap.h"

using namespace mlir;
using namespace mlir::tfperf;

namespace {
template <typename OpT>
void addONNXName(llvm::StringMap<ONNXOpName> &names) {
  if constexpr (OpT::template hasTrait<trait::ONNXOp>())
    names[OpT::getOperationName()] = {OpT::getONNXDomain(),
                                      OpT::getONNXOpType()};
}

template <typename... Ops>
llvm::StringMap<ONNXOpName> collectONNXNames() {
  llvm::StringMap<ONNXOpName> names;
  (addONNXName<Ops>(names), ...);
  return names;
}
} // namespace

std::optional<ONNXOpName>
mlir::tfperf::lookupONNXName(llvm::StringRef mlirOpName) {
  static const llvm::StringMap<ONNXOpName> names = collectONNXNames<
#define GET_OP_LIST
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.cpp.inc"
      >();
  auto it = names.find(mlirOpName);
  if (it == names.end())
    return std::nullopt;
  return it->second;
}
