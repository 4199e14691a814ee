//===- Roofline.cpp - bytes, intensity and roofline time ------------------===//

#include "tfperf/Analysis/Roofline.h"
#include "tfperf/Dialect/TFPerf/IR/QuantizedStorage.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "mlir/IR/BuiltinTypes.h"

#include <cmath>
#include <cstdio>
#include <limits>

using namespace mlir;
using namespace mlir::tfperf;

namespace {
/// Storage bits of a dtype name tfperf accepts on the command line.
std::optional<unsigned> dtypeBits(llvm::StringRef d) {
  return llvm::StringSwitch<std::optional<unsigned>>(d)
      .Cases({"fp32", "tf32"}, 32u)
      .Cases({"fp16", "bf16"}, 16u)
      .Cases({"fp8", "int8"}, 8u)
      .Cases({"int4", "fp4", "nf4"}, 4u)
      .Default(std::nullopt);
}

/// The dtype name of an MLIR float/integer element type.
std::string dtypeName(Type t) {
  if (t.isF32())
    return "fp32";
  if (t.isF16())
    return "fp16";
  if (t.isBF16())
    return "bf16";
  if (t.isF64())
    return "fp64";
  if (isa<FloatType>(t) && cast<FloatType>(t).getWidth() == 8)
    return "fp8";
  if (isa<FloatType>(t) && cast<FloatType>(t).getWidth() == 4)
    return "fp4";
  if (t.isInteger(8))
    return "int8";
  if (t.isInteger(4))
    return "int4";
  return "fp32";
}

unsigned elementBits(Type t) {
  if (auto c = dyn_cast<ComplexType>(t))
    return 2 * elementBits(c.getElementType());
  unsigned bits = t.isIntOrFloat() ? t.getIntOrFloatBitWidth() : 64;
  return bits == 1 ? 8 : bits; // booleans are stored in bytes
}
} // namespace

std::optional<DtypePolicy> DtypePolicy::parse(llvm::StringRef compute,
                                              llvm::StringRef weight,
                                              std::string &error) {
  DtypePolicy p;
  static const char *computeOk[] = {"fp32", "tf32", "fp16", "bf16", "fp8"};
  if (!compute.empty() && !llvm::is_contained(computeOk, compute)) {
    error = "--compute-dtype must be one of fp32, tf32, bf16, fp16, fp8; got '" +
            compute.str() + "'";
    return std::nullopt;
  }
  if (!weight.empty() && !dtypeBits(weight)) {
    error = "--weight-dtype must be one of fp32, bf16, fp16, fp8, int8, int4, "
            "fp4, nf4; got '" +
            weight.str() + "'";
    return std::nullopt;
  }
  p.computeDtype = compute.str();
  p.weightDtype = weight.str();
  return p;
}

bool mlir::tfperf::isWeight(Value v) {
  return isa_and_nonnull<WeightOp>(getParameterStorage(v));
}

unsigned DtypePolicy::bitsOf(Value v) const {
  Type et = v.getType();
  if (auto st = dyn_cast<ShapedType>(et))
    et = st.getElementType();
  bool isFloat = isa<FloatType>(et);
  if (isFloat && !weightDtype.empty() && isWeight(v))
    return *dtypeBits(weightDtype);
  // A fused dequantization is read at its stored (quantized) width.
  if (Type stored = getStoredElementType(v); isFloat && stored != et)
    return elementBits(stored);
  if (isFloat && !computeDtype.empty())
    return *dtypeBits(computeDtype);
  return elementBits(et);
}

std::string DtypePolicy::peakDtype(Operation *op) const {
  if (!computeDtype.empty())
    return computeDtype;
  // The first float or 8-bit operand, at the type it is stored at: a GEMM
  // of dequantized int8 (fp8) activations and weights runs at the int8
  // (fp8) peak, a weight-only one at its activations'.
  for (Value v : op->getOperands())
    if (isa<ShapedType>(v.getType())) {
      Type et = getStoredElementType(v);
      if (isa<FloatType>(et) || et.isInteger(8))
        return dtypeName(et);
    }
  for (Type t : op->getResultTypes())
    if (auto st = dyn_cast<ShapedType>(t))
      return dtypeName(st.getElementType());
  return "fp32";
}

SymExpr mlir::tfperf::accessBits(ArrayRef<TensorAccess> reads,
                                 ArrayRef<TensorAccess> writes,
                                 const DtypePolicy &policy) {
  SymExpr bits(0);
  for (const TensorAccess &a : reads)
    bits = bits + a.elements * SymExpr((int64_t)policy.bitsOf(a.value));
  for (const TensorAccess &a : writes)
    bits = bits + a.elements * SymExpr((int64_t)policy.bitsOf(a.value));
  return bits;
}

SymExpr mlir::tfperf::accessBits(const OpCost &cost,
                                 const DtypePolicy &policy) {
  return accessBits(cost.reads, cost.writes, policy);
}

/// Evaluates with `symbols`; NaN when a symbol is unbound or unknown.
static double evalDouble(const SymExpr &e, const SymbolValues &symbols) {
  if (e.isConstant())
    return int128ToDouble(e.getConstant());
  return e.evaluateDouble([&](llvm::StringRef s) -> std::optional<double> {
    auto it = symbols.find(s);
    if (it == symbols.end())
      return std::nullopt;
    return it->second;
  });
}

OpFigures mlir::tfperf::evaluateOp(const OpCostRecord &rec,
                                   const DtypePolicy &policy,
                                   const DeviceSpec &device,
                                   const SymbolValues &symbols) {
  OpFigures f;
  if (!rec.known) {
    f.problem = rec.cost.unknownReason;
    return f;
  }
  SymExpr bits = accessBits(rec.cost, policy);
  SymExpr weightBits(0);
  for (const TensorAccess &a : rec.cost.reads)
    if (isWeight(a.value))
      weightBits =
          weightBits + a.elements * SymExpr((int64_t)policy.bitsOf(a.value));
  if (bits.isOverflow()) {
    f.problem = "bytes overflow 128 bits";
    return f;
  }
  f.flops = evalDouble(rec.cost.flops, symbols);
  f.gemmFlops = evalDouble(rec.cost.gemmFlops, symbols);
  f.bytes = evalDouble(bits, symbols) / 8;
  f.weightBytes = evalDouble(weightBits, symbols) / 8;
  if (std::isnan(f.flops) || std::isnan(f.bytes)) {
    f.problem = "symbolic dims are not bound";
    return f;
  }
  // A dim of the op's shapes below zero at these sizes (a slice of
  // min(-1, seq) rows, from an invalid graph): no figure, not a negative one.
  if (f.flops < 0 || f.gemmFlops < 0 || f.bytes < 0 || f.weightBytes < 0) {
    char figures[96];
    std::snprintf(figures, sizeof(figures), "%.6g FLOP, %.6g B", f.flops,
                  f.bytes);
    f.problem = std::string("a dim of its shapes is below zero at these "
                            "sizes (") +
                figures + ")";
    f.flops = f.gemmFlops = f.bytes = f.weightBytes =
        std::numeric_limits<double>::quiet_NaN();
    return f;
  }
  double vectorFlops = f.flops - f.gemmFlops;
  f.computeTime = vectorFlops / device.vectorPeak;
  if (f.gemmFlops > 0) {
    std::string dt = policy.peakDtype(rec.op);
    auto peak = device.gemmPeak(dt);
    if (!peak) {
      f.problem = "device '" + device.name + "' has no " + dt +
                  " matmul peak (choose another --compute-dtype)";
      return f;
    }
    f.computeTime += f.gemmFlops / *peak;
  }
  f.peak = f.computeTime > 0 ? f.flops / f.computeTime
           : f.gemmFlops > 0 ? 0
                             : device.vectorPeak;
  f.memoryTime = f.bytes / device.memBandwidth;
  f.time = std::max(f.computeTime, f.memoryTime);
  f.intensity = f.bytes > 0 ? f.flops / f.bytes : 0;
  f.bound = f.computeTime > f.memoryTime ? Bound::Compute : Bound::Memory;
  return f;
}
