//===- CostAnalysis.cpp - per-op costs of a module ------------------------===//

#include "tfperf/Analysis/CostAnalysis.h"
#include "tfperf/Dialect/TFPerf/IR/ONNXNames.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Location.h"

using namespace mlir;
using namespace mlir::tfperf;

std::string mlir::tfperf::getNodeName(Operation *op) {
  Location loc = op->getLoc();
  while (true) {
    if (auto name = dyn_cast<NameLoc>(loc))
      return name.getName().str();
    if (auto fused = dyn_cast<FusedLoc>(loc)) {
      for (Location l : fused.getLocations())
        if (auto name = dyn_cast<NameLoc>(l))
          return name.getName().str();
      return "";
    }
    if (auto call = dyn_cast<CallSiteLoc>(loc)) {
      loc = call.getCallee();
      continue;
    }
    return "";
  }
}

std::string mlir::tfperf::getONNXOpType(Operation *op) {
  if (auto custom = dyn_cast<CustomOp>(op)) {
    if (custom.getDomain().empty() || custom.getDomain() == "ai.onnx")
      return custom.getOpType().str();
    return (custom.getDomain() + "." + custom.getOpType()).str();
  }
  // Initializers are graph data, not ONNX nodes.
  if (isa<WeightOp>(op))
    return "Initializer";
  llvm::StringRef opName = op->getName().getStringRef();
  std::optional<ONNXOpName> onnx = lookupONNXName(opName);
  if (!onnx)
    return opName.str();
  if (onnx->domain.empty())
    return onnx->opType.str();
  return (onnx->domain + "." + onnx->opType).str();
}

/// Tiny non-GEMM computations on tiny tensors only: the shape plumbing
/// exporters emit (Shape -> Gather -> Concat, shape arithmetic).
static bool isShapeComputation(Operation *op, const OpCost &cost) {
  if (op->getNumResults() == 0 || !cost.gemmFlops.isConstant(0))
    return false;
  auto tiny = [](Value v) {
    auto t = dyn_cast<RankedTensorType>(v.getType());
    return t && t.hasStaticShape() && t.getNumElements() <= 64;
  };
  return llvm::all_of(op->getResults(), tiny) &&
         llvm::all_of(op->getOperands(), tiny);
}

/// Ops without a cost model that still deserve an "unknown" row: anything
/// that computes tensors (not terminators, constants or structure).
static bool needsCostRow(Operation *op) {
  if (op->hasTrait<OpTrait::IsTerminator>() ||
      op->hasTrait<OpTrait::ConstantLike>() || op->getNumRegions() > 0)
    return false;
  return llvm::any_of(op->getResultTypes(),
                      [](Type t) { return isa<TensorType>(t); });
}

/// Ops on scalars or vectors only (a linalg body, a loop's arithmetic) are
/// parts of an enclosing computation, which counts them; costing them once
/// each would ignore how often they run.
static bool touchesTensorsOrBuffers(Operation *op) {
  auto isData = [](Type t) { return isa<TensorType, BaseMemRefType>(t); };
  return llvm::any_of(op->getOperandTypes(), isData) ||
         llvm::any_of(op->getResultTypes(), isData);
}

CostAnalysis::CostAnalysis(Operation *root) {
  TypeShapeQuery shapes;
  compute(root, [&](Operation *) -> const ShapeQuery & { return shapes; });
}

CostAnalysis::CostAnalysis(Operation *root, const ShapeQuery &shapes) {
  compute(root, [&](Operation *) -> const ShapeQuery & { return shapes; });
}

CostAnalysis::CostAnalysis(
    Operation *root, llvm::function_ref<const ShapeQuery &(Operation *)> select) {
  compute(root, select);
}

void CostAnalysis::compute(
    Operation *root, llvm::function_ref<const ShapeQuery &(Operation *)> select) {
  size_t counter = 0;
  root->walk<WalkOrder::PreOrder>([&](Operation *op) {
    auto iface = dyn_cast<CostOpInterface>(op);
    if (!iface && !needsCostRow(op))
      return;
    if (iface && !touchesTensorsOrBuffers(op))
      return;
    OpCostRecord rec;
    rec.op = op;
    rec.opType = getONNXOpType(op);
    rec.name = getNodeName(op);
    if (rec.name.empty())
      rec.name = op->getName().getStringRef().str() + "#" +
                 std::to_string(counter);
    ++counter;
    if (iface) {
      rec.known = succeeded(iface.computeCost(select(op), rec.cost));
    } else {
      rec.cost.unknownReason =
          "no cost model for " + op->getName().getStringRef().str();
    }
    if (rec.known && (namesAbsentValue(rec.cost.reads) ||
                      namesAbsentValue(rec.cost.writes))) {
      rec.known = false;
      rec.cost.unknownReason = "internal error: the cost model of " +
                               op->getName().getStringRef().str() +
                               " names an operand the op lacks";
    }
    if (rec.known && (rec.cost.flops.isOverflow() ||
                      rec.cost.gemmFlops.isOverflow())) {
      rec.known = false;
      rec.cost.unknownReason = "FLOPs overflow 128 bits";
    }
    if (!rec.known && rec.cost.unknownReason.empty())
      rec.cost.unknownReason = "cost unknown";
    rec.isShapeComputation = rec.known && isShapeComputation(op, rec.cost);
    index[op] = records.size();
    records.push_back(std::move(rec));
  });
}

const OpCostRecord *CostAnalysis::lookup(Operation *op) const {
  auto it = index.find(op);
  return it == index.end() ? nullptr : &records[it->second];
}
