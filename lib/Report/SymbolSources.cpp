//===- SymbolSources.cpp - where an unbound symbol comes from -------------===//

#include "tfperf/Report/SymbolSources.h"
#include "tfperf/Analysis/CostAnalysis.h"
#include "tfperf/Analysis/SymbolicCosts.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"
#include "tfperf/Dialect/TFPerf/Utils/ShapeInference.h"
#include "tfperf/Interfaces/ShapeInferenceOpInterface.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace mlir;
using namespace mlir::tfperf;

/// The static length of dim `dim` (negative: from the back) of `v`.
static std::optional<int64_t> staticDim(Value v, int64_t dim) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  if (!t)
    return std::nullopt;
  if (dim < 0)
    dim += t.getRank();
  if (dim < 0 || dim >= t.getRank() || t.isDynamicDim(dim))
    return std::nullopt;
  return t.getDimSize(dim);
}

/// "1 (per tensor) or N (per what)" when N is static, else "per what".
static std::string choices(std::optional<int64_t> n, StringRef per) {
  std::string s = "1 (per tensor) or ";
  s += n ? std::to_string(*n) + " (per " + per.str() + ")"
         : "the " + per.str() + " count (per " + per.str() + ")";
  return s;
}

/// For a rank-1 input read as a quantization parameter: the lengths the
/// reading op accepts (ONNX MatMulInteger, QuantizeLinear, DequantizeLinear;
/// onnxruntime also takes a 1-element vector for per-tensor).
static std::string quantizationParameterNote(BlockArgument arg) {
  auto t = dyn_cast<RankedTensorType>(arg.getType());
  if (!t || t.getRank() != 1)
    return "";
  for (OpOperand &use : arg.getUses()) {
    Operation *user = use.getOwner();
    std::string what, name = getNodeName(user);
    if (auto mm = dyn_cast<MatMulIntegerOp>(user)) {
      if (use.get() == mm.getBZeroPoint())
        what = "b_zero_point: " + choices(staticDim(mm.getB(), -1), "column");
      else if (use.get() == mm.getAZeroPoint())
        what = "a_zero_point: " + choices(staticDim(mm.getA(), -2), "row");
    } else if (auto dq = dyn_cast<DequantizeLinearOp>(user)) {
      if (!dq.getBlockSize() && use.getOperandNumber() > 0)
        what = "scale or zero point: " +
               choices(staticDim(dq.getX(), dq.getAxis()), "axis");
    } else if (auto qz = dyn_cast<QuantizeLinearOp>(user)) {
      if (!qz.getBlockSize() && use.getOperandNumber() > 0)
        what = "scale or zero point: " +
               choices(staticDim(qz.getX(), qz.getAxis()), "axis");
    }
    if (!what.empty())
      return getONNXOpType(user) + " '" + name +
             "' reads it as its " + what;
  }
  return "";
}

std::vector<SymbolSource>
mlir::tfperf::describeSymbolSources(ModuleOp module,
                                    ArrayRef<std::string> symbols) {
  std::vector<SymbolSource> out;
  for (const std::string &sym : symbols)
    out.push_back({sym, {}, ""});
  auto entryFor = [&](StringRef sym) -> SymbolSource * {
    for (SymbolSource &s : out)
      if (s.symbol == sym)
        return &s;
    return nullptr;
  };
  module.walk([&](func::FuncOp f) {
    for (const SymbolUse &u : collectSymbolUses(f))
      if (SymbolSource *s = entryFor(u.name))
        llvm::append_range(s->inputs, u.uses);
    for (BlockArgument arg : f.getArguments()) {
      unsigned i = arg.getArgNumber();
      auto name = f.getArgAttrOfType<StringAttr>(i, "tfperf.name");
      auto value = f.getArgAttrOfType<StringAttr>(i, kValueSymbolAttr);
      if (SymbolSource *s = value ? entryFor(value.getValue()) : nullptr)
        s->inputs.push_back("value of " +
                            (name ? name.str() : "arg" + std::to_string(i)));
      // The note of the first quantization parameter a symbol sizes.
      TensorInfo info = tensorInfoFromType(arg.getType());
      for (const SymExpr &dim : info.dims) {
        SmallVector<StringRef> names;
        dim.collectSymbols(names);
        for (StringRef n : names)
          if (SymbolSource *s = entryFor(n); s && s->note.empty())
            s->note = quantizationParameterNote(arg);
      }
    }
  });
  return out;
}
