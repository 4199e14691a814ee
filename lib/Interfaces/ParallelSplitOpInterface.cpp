//===- ParallelSplitOpInterface.cpp - split rules' shared pieces ----------===//

#include "tfperf/Interfaces/ParallelSplitOpInterface.h"

using namespace mlir;
using namespace mlir::tfperf;

#include "tfperf/Interfaces/ParallelSplitOpInterface.cpp.inc"

#include "tfperf/Interfaces/ParallelSplitEnums.cpp.inc"

int64_t OpSplit::readUnits(Operation *op, Value v) const {
  for (auto [i, operand] : llvm::enumerate(op->getOperands()))
    if (operand == v)
      return i < operandUnits.size() ? operandUnits[i] : 1;
  return 1;
}

int64_t OpSplit::writeUnits(Operation *op, Value v) const {
  for (auto [i, result] : llvm::enumerate(op->getResults()))
    if (result == v)
      return i < resultUnits.size() ? resultUnits[i] : 1;
  return 1;
}

SplitContext::~SplitContext() = default;

bool SplitContext::anyOperandSplit(Operation *op) const {
  return llvm::any_of(op->getOperands(),
                      [&](Value v) { return getSplit(v).isSplit(); });
}

void SplitContext::setResult(Operation *op, OpSplit &sp, unsigned i,
                             const ValueSplit &split) {
  if (!split.isSplit())
    return;
  setSplit(op->getResult(i), split);
  sp.resultUnits[i] = split.units();
  if (sp.group < 0)
    sp.group = split.group;
}

LogicalResult SplitContext::fail(const llvm::Twine &why) {
  failureReason = why.str();
  return failure();
}

LogicalResult SplitContext::noSplitRule(Operation *op) {
  if (!anyOperandSplit(op))
    return success();
  return fail("'" + op->getName().getStringRef() + "' has no split rule");
}
