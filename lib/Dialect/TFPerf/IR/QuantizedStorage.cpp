//===- QuantizedStorage.cpp - at which width a value is stored ------------===//

#include "tfperf/Dialect/TFPerf/IR/QuantizedStorage.h"
#include "tfperf/Dialect/TFPerf/IR/ExpertGeometry.h"
#include "tfperf/Dialect/TFPerf/IR/OpFamilies.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::tfperf;

/// View chains are short; the bound only guards against malformed graphs.
static constexpr int kMaxViewDepth = 16;

/// A view that is not itself a quantization step.
static bool isPlainView(Operation *op) {
  return isViewLike(op) && !isa<QuantizeLinearOp, DequantizeLinearOp>(op);
}

static bool readersFuse(Value v, int depth) {
  if (depth > kMaxViewDepth || v.use_empty())
    return false;
  for (Operation *user : v.getUsers()) {
    if (isContraction(user) || isa<GatherOp, MSGatherBlockQuantizedOp>(user))
      continue;
    if (!isPlainView(user))
      return false;
    for (Value r : user->getResults())
      if (!readersFuse(r, depth + 1))
        return false;
  }
  return true;
}

bool mlir::tfperf::isFusedDequantize(DequantizeLinearOp dq) {
  return readersFuse(dq.getY(), 0);
}

Operation *mlir::tfperf::getFusedDequantize(Value v) {
  for (int depth = 0; depth < kMaxViewDepth; ++depth) {
    Operation *def = v.getDefiningOp();
    if (!def)
      return nullptr;
    if (auto dq = dyn_cast<DequantizeLinearOp>(def))
      return isFusedDequantize(dq) ? def : nullptr;
    if (!isPlainView(def))
      return nullptr;
    v = def->getOperand(0);
  }
  return nullptr;
}

Type mlir::tfperf::getStoredElementType(Value v) {
  if (Operation *dq = getFusedDequantize(v))
    v = cast<DequantizeLinearOp>(dq).getX();
  Type t = v.getType();
  if (auto st = dyn_cast<ShapedType>(t))
    return st.getElementType();
  return t;
}

/// "int4", "uint8", "fp16", "f8E4M3FN": the dtype of an element type.
static std::string dtypeOf(Type t) {
  if (auto i = dyn_cast<IntegerType>(t))
    return (i.isUnsigned() ? "uint" : "int") + std::to_string(i.getWidth());
  std::string s;
  llvm::raw_string_ostream(s) << t;
  // f32, f16, f64 read as fp32, ...; bf16 and the f8/f4 types as printed.
  return llvm::StringRef(s).starts_with("f") && s.size() == 3 ? "fp" + s.substr(1)
                                                              : s;
}

/// The bits per stored value when operand `i` of `user` reads quantized
/// weight storage (0: as typed), or nullopt.
static std::optional<int64_t> storageBits(Operation *user, unsigned i) {
  using Bits = std::optional<int64_t>;
  return llvm::TypeSwitch<Operation *, Bits>(user)
      .Case([&](MSMatMulNBitsOp n) { return i == 1 ? Bits(n.getBits()) : Bits(); })
      .Case([&](MSMatMulBnb4Op) { return i == 1 ? Bits(4) : Bits(); })
      .Case([&](MSMatMulBlockQuantizedFp8WeightOp) {
        return i == 1 ? Bits(0) : Bits();
      })
      .Case([&](MSMatMulBlockQuantizedFp4WeightOp) {
        return i == 1 ? Bits(4) : Bits();
      })
      .Case([&](MSGatherBlockQuantizedOp g) {
        return i == 0 ? Bits(g.getBits()) : Bits();
      })
      .Case([&](MSQMoEOp m) {
        Value v = m->getOperand(i);
        bool weight = v == m.getFc1ExpertsWeights() ||
                      v == m.getFc2ExpertsWeights() ||
                      v == m.getFc3ExpertsWeights();
        return weight ? Bits(8 / getExpertWeightPacking(m)) : Bits();
      })
      .Case([&](DequantizeLinearOp) { return i == 0 ? Bits(0) : Bits(); })
      .Default([](Operation *) { return Bits(); });
}

/// The op that reads `v` (through plain views) as quantized weight
/// storage, with the bits per value; null when none does.
static Operation *packedReader(Value v, int64_t &bits, int depth = 0) {
  if (depth > kMaxViewDepth)
    return nullptr;
  for (OpOperand &use : v.getUses()) {
    Operation *user = use.getOwner();
    if (auto b = storageBits(user, use.getOperandNumber())) {
      bits = *b;
      return user;
    }
    if (isPlainView(user))
      if (Operation *r = packedReader(user->getResult(0), bits, depth + 1))
        return r;
  }
  return nullptr;
}

WeightStorage mlir::tfperf::getWeightStorage(WeightOp weight) {
  auto t = cast<ShapedType>(weight.getType());
  WeightStorage s;
  s.parameters = double(t.getNumElements());
  s.dtype = dtypeOf(t.getElementType());
  int64_t bits = 0;
  Operation *reader = packedReader(weight.getResult(), bits);
  if (!reader)
    return s;
  s.quantized = true;
  if (auto n = dyn_cast<MSMatMulNBitsOp>(reader)) {
    s.parameters = double(n.getK()) * double(n.getN());
    s.dtype = "int" + std::to_string(bits);
  } else if (auto b = dyn_cast<MSMatMulBnb4Op>(reader)) {
    s.parameters = double(b.getK()) * double(b.getN());
    s.dtype = b.getQuantType() == 1 ? "nf4" : "fp4";
  } else if (isa<MSMatMulBlockQuantizedFp4WeightOp>(reader)) {
    s.parameters *= double(MSMatMulBlockQuantizedFp4WeightOp::kValuesPerByte);
    s.dtype = "f4E2M1FN";
  } else if (isa<MSGatherBlockQuantizedOp, MSQMoEOp>(reader) &&
             t.getElementType().isInteger(8) && bits > 0 && bits < 8) {
    s.parameters *= double(8 / bits);
    auto q = dyn_cast<MSQMoEOp>(reader);
    s.dtype = q && q.getQuantType() != "int" ? q.getQuantType().str()
                                             : "int" + std::to_string(bits);
  }
  return s;
}
