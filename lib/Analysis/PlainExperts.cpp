//===- PlainExperts.cpp - Mixture-of-Experts blocks in plain ops ----------===//

#include "tfperf/Analysis/PlainExperts.h"
#include "tfperf/Analysis/CostAnalysis.h"
#include "tfperf/Dialect/TFPerf/IR/OpFamilies.h"
#include "tfperf/Dialect/TFPerf/IR/QuantizedStorage.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "mlir/IR/BuiltinTypes.h"

#include <deque>

using namespace mlir;
using namespace mlir::tfperf;

/// The ops downstream of one expert's selection, up to the scatter that
/// adds the expert's output into the block's (past it, every expert's work
/// meets), into `ops`; returns the linears among them.
static SmallVector<Operation *, 3>
expertLinears(Operation *selection, SmallVectorImpl<Operation *> &ops) {
  SmallVector<Operation *, 3> linears;
  llvm::DenseSet<Operation *> seen;
  std::deque<Operation *> queue = {selection};
  while (!queue.empty()) {
    Operation *op = queue.front();
    queue.pop_front();
    for (Value r : op->getResults())
      for (Operation *u : r.getUsers()) {
        if (!seen.insert(u).second || isa<ScatterNDOp, ScatterElementsOp>(u))
          continue;
        if (getLinearInput(u))
          linears.push_back(u);
        ops.push_back(u);
        queue.push_back(u);
      }
  }
  return linears;
}

std::vector<PlainExpertBlock> mlir::tfperf::findPlainExpertBlocks(func::FuncOp func) {
  std::vector<PlainExpertBlock> blocks;
  WalkPositions order(func);
  for (ExpertRouter &r : findExpertRouters(func)) {
    PlainExpertBlock b;
    for (Operation *sel : r.selections) {
      SmallVector<Operation *, 3> ls = expertLinears(sel, b.routedOps);
      if (ls.empty())
        break;
      order.sort(ls);
      b.experts.push_back(std::move(ls));
    }
    if (b.experts.size() != r.selections.size())
      continue;
    b.router = std::move(r);
    blocks.push_back(std::move(b));
  }
  return blocks;
}

DenseSet<Operation *>
mlir::tfperf::collectRoutedLinears(const std::vector<PlainExpertBlock> &blocks) {
  DenseSet<Operation *> set;
  for (const PlainExpertBlock &b : blocks) {
    set.insert(b.router.gate);
    for (const auto &e : b.experts)
      set.insert(e.begin(), e.end());
  }
  return set;
}

/// Parameters of the weights `linears` read, each weight once.
static double weightParameters(ArrayRef<Operation *> linears) {
  llvm::DenseSet<Operation *> counted;
  double params = 0;
  for (Operation *l : linears)
    for (Value v : l->getOperands())
      if (auto w = dyn_cast_or_null<WeightOp>(
              getParameterStorage(v, /*throughSlices=*/true));
          w && counted.insert(w).second)
        params += getWeightStorage(w).parameters;
  return params;
}

static SymExpr widthOf(Operation *linear) {
  auto t = dyn_cast<ShapedType>(linear->getResult(0).getType());
  if (!t || !t.hasRank() || t.getRank() == 0 || t.isDynamicDim(t.getRank() - 1))
    return SymExpr::unknown();
  return SymExpr(t.getDimSize(t.getRank() - 1));
}

static Value withoutViews(Value v) {
  while (Operation *def = v ? v.getDefiningOp() : nullptr) {
    if (!isViewLike(def) || def->getNumOperands() == 0)
      break;
    v = def->getOperand(0);
  }
  return v;
}

/// What a linear reads: its activation operand (a gate written as
/// `x @ W.T` may hide its weight behind the transpose).
static Value activationOf(Operation *linear) {
  if (Value v = getLinearInput(linear))
    return v;
  return linear->getOperand(0);
}

MLPBlock mlir::tfperf::makeExpertMLPBlock(const PlainExpertBlock &b) {
  MLPBlock m;
  m.linears.push_back(b.router.gate);
  SmallVector<Operation *> routed;
  for (const auto &e : b.experts)
    routed.append(e.begin(), e.end());
  m.linears.append(routed.begin(), routed.end());
  m.up = {b.router.gate};
  m.down = b.experts.back().back();
  m.nExperts = b.router.experts;
  m.topK = b.router.k;
  m.routedOps.assign(b.routedOps.begin(), b.routedOps.end());
  for (const auto &e : b.experts)
    m.routedDowns.push_back(e.back());
  Value in = activationOf(b.router.gate);
  auto t = dyn_cast<ShapedType>(in.getType());
  if (t && t.hasRank() && t.getRank() > 0 && !t.isDynamicDim(t.getRank() - 1))
    m.dIn = SymExpr(t.getDimSize(t.getRank() - 1));
  m.dFF = widthOf(b.experts.front().front());
  m.expertParameters = weightParameters(routed);
  return m;
}

void mlir::tfperf::absorbSharedExperts(MLPBlock &moe,
                                       std::vector<MLPBlock> &dense) {
  Value routerInput = withoutViews(activationOf(moe.up.front()));
  auto it = llvm::find_if(dense, [&](const MLPBlock &d) {
    return d.nExperts == 0 && !d.up.empty() &&
           llvm::all_of(d.up, [&](Operation *u) {
             return withoutViews(activationOf(u)) == routerInput;
           });
  });
  if (it == dense.end())
    return;
  moe.linears.append(it->linears.begin(), it->linears.end());
  moe.sharedLinears.assign(it->linears.begin(), it->linears.end());
  moe.down = it->down;
  moe.nSharedExperts = 1;
  if (auto shared = it->dFF.getInt64(), one = moe.dFF.getInt64();
      shared && one && *one > 0 && *shared % *one == 0)
    moe.nSharedExperts = std::max<int64_t>(1, *shared / *one);
  moe.dSharedFF = it->dFF;
  dense.erase(it);
}

/// "first .. last (n linears)", or the one name.
static std::string nameRange(ArrayRef<Operation *> ops) {
  if (ops.size() == 1)
    return getNodeName(ops.front());
  return getNodeName(ops.front()) + " .. " + getNodeName(ops.back()) + " (" +
         std::to_string(ops.size()) + " linears)";
}

std::string mlir::tfperf::describeExpertBlock(const MLPBlock &m) {
  std::string line = "layer " + std::to_string(m.layer) + ": router " +
                     getNodeName(m.linears.front()) + " (top-" +
                     std::to_string(m.topK) + " of " +
                     std::to_string(m.nExperts) + ")";
  if (m.experts)
    return line + ", experts fused in " + getNodeName(m.experts);
  SmallVector<Operation *> routed;
  for (Operation *l : ArrayRef<Operation *>(m.linears).drop_front())
    if (!llvm::is_contained(m.sharedLinears, l))
      routed.push_back(l);
  if (!routed.empty())
    line += ", routed experts " + nameRange(routed);
  if (!m.sharedLinears.empty())
    line += ", shared experts " + nameRange(m.sharedLinears);
  return line;
}
