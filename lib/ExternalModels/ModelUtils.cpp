//===- ModelUtils.cpp - helpers shared by the external models -------------===//

#include "ModelUtils.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace mlir::tfperf;

std::optional<SmallVector<SymExpr, 4>>
ext::dims(const ShapeQuery &q, Value v, OpCost &c) {
  SmallVector<SymExpr, 4> out;
  if (auto memref = dyn_cast<MemRefType>(v.getType())) {
    // Buffers carry no #tfperf.dims encoding: only static shapes are known.
    if (!memref.hasStaticShape()) {
      c.unknownReason = "a memref with a dynamic dim";
      return std::nullopt;
    }
    for (int64_t d : memref.getShape())
      out.push_back(SymExpr(d));
    return out;
  }
  auto d = q.dims(v);
  if (!d) {
    c.unknownReason = isa<TensorType>(v.getType())
                          ? "a tensor of unknown rank"
                          : "an operand that is not a tensor or memref";
    return std::nullopt;
  }
  for (const SymExpr &x : *d) {
    if (x.isUnknown()) {
      c.unknownReason = "a tensor with an unknown dim (dynamic, without a "
                        "#tfperf.dims encoding)";
      return std::nullopt;
    }
    out.push_back(x);
  }
  return out;
}

std::optional<SymExpr> ext::elements(const ShapeQuery &q, Value v, OpCost &c) {
  auto d = dims(q, v, c);
  if (!d)
    return std::nullopt;
  return product(*d);
}

LogicalResult ext::moveElementsOf(const ShapeQuery &q, Value counted,
                                  Value from, Value to, OpCost &c) {
  auto n = elements(q, counted, c);
  if (!n)
    return failure();
  if (from)
    c.read(from, *n);
  if (to)
    c.write(to, *n);
  return success();
}

LogicalResult ext::readAll(const ShapeQuery &q, Value v, OpCost &c) {
  return moveElementsOf(q, v, /*from=*/v, /*to=*/{}, c);
}

LogicalResult ext::writeAll(const ShapeQuery &q, Value v, OpCost &c) {
  return moveElementsOf(q, v, /*from=*/{}, /*to=*/v, c);
}

LogicalResult ext::elementwise(Operation *op, ValueRange inputs,
                               const ShapeQuery &q, OpCost &c,
                               int64_t flopsPerElement) {
  for (Value v : inputs)
    if (failed(readAll(q, v, c)))
      return failure();
  SymExpr out(0);
  for (Value v : op->getResults()) {
    auto n = elements(q, v, c);
    if (!n)
      return failure();
    c.write(v, *n);
    out = out + *n;
  }
  c.flops = out * SymExpr(flopsPerElement);
  return success();
}

LogicalResult ext::reduction(Operation *op, Value in, Value out,
                             const ShapeQuery &q, OpCost &c) {
  auto nIn = elements(q, in, c);
  auto nOut = elements(q, out, c);
  if (!nIn || !nOut)
    return failure();
  c.read(in, *nIn);
  c.write(out, *nOut);
  c.flops = *nIn - *nOut;
  return success();
}
