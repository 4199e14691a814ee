//===- TFPerfDialect.cpp - tfperf dialect and attributes ------------------===//

#include "tfperf/Dialect/TFPerf/IR/TFPerfDialect.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfAttrs.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::tfperf;

#include "tfperf/Dialect/TFPerf/IR/TFPerfOpsDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "tfperf/Dialect/TFPerf/IR/TFPerfAttrs.cpp.inc"

void TFPerfDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "tfperf/Dialect/TFPerf/IR/TFPerfAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// DimsAttr
//===----------------------------------------------------------------------===//

LogicalResult DimsAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               ArrayAttr exprs) {
  for (Attribute a : exprs) {
    auto str = dyn_cast<StringAttr>(a);
    if (!str)
      return emitError() << "#tfperf.dims entries must be strings";
    auto e = SymExpr::parse(str.getValue());
    if (!e || !e->isKnown())
      return emitError() << "#tfperf.dims entry '" << str.getValue()
                         << "' is not a dim expression";
  }
  return success();
}

bool mlir::tfperf::hasTooManyElements(ArrayRef<SymExpr> dims) {
  Int128 product = 1;
  for (const SymExpr &d : dims)
    if (d.isConstant() && d.getConstant() > 0)
      product = std::min(product * std::min(d.getConstant(), Int128(1) << 63),
                         Int128(1) << 63);
  return product > (Int128(1) << 62);
}

FailureOr<RankedTensorType>
mlir::tfperf::buildTensorType(MLIRContext *ctx, Type elementType,
                              ArrayRef<SymExpr> dims) {
  if (hasTooManyElements(dims))
    return failure();
  SmallVector<int64_t> shape;
  SmallVector<Attribute> exprs;
  bool anyNamed = false;
  for (const SymExpr &d : dims) {
    if (d.isConstant()) {
      Int128 v = d.getConstant();
      if (v < 0 || v > kMaxDimValue)
        return failure();
      shape.push_back(static_cast<int64_t>(v));
      continue;
    }
    if (d.isOverflow())
      return failure();
    shape.push_back(ShapedType::kDynamic);
    exprs.push_back(StringAttr::get(ctx, d.isKnown() ? d.str() : "?"));
    anyNamed |= d.isKnown();
  }
  Attribute encoding;
  if (anyNamed) {
    // An unknown dim among named ones is spelled with a fresh '?' name
    // that DimsAttr rejects; keep such entries out by naming them 'unknown'.
    for (auto &a : exprs)
      if (cast<StringAttr>(a).getValue() == "?")
        a = StringAttr::get(ctx, "'?'");
    // DimsAttr::get asserts that its verifier passes: check first, so that
    // a dim the printer cannot spell parseably is an error, not a crash.
    for (Attribute a : exprs) {
      auto e = SymExpr::parse(cast<StringAttr>(a).getValue());
      if (!e || !e->isKnown())
        return failure();
    }
    encoding = DimsAttr::get(ctx, ArrayAttr::get(ctx, exprs));
  }
  return RankedTensorType::get(shape, elementType, encoding);
}
