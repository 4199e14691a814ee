//===- KernelAnalysis.h - the kernels an optimizing engine runs -*- C++ -*-===//
//
// Groups the ops of a function into fused kernels the way XLA and
// TorchInductor fuse (docs/Kernels.md): elementwise and reduction chains
// with their producer or consumer, bias/activation epilogues on GEMMs, the
// attention region as one flash-attention kernel, views and transposes
// folded into their consumers' reads, fused com.microsoft ops as they are.
// Each kernel's bytes are only what crosses its boundary. An MLIR analysis:
// built from an Operation*, never mutates IR.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_KERNELANALYSIS_H
#define TFPERF_ANALYSIS_KERNELANALYSIS_H

#include "tfperf/Analysis/TimeModel.h"
#include "tfperf/Interfaces/CostOpInterface.h"
#include "tfperf/Support/SymExpr.h"

#include "mlir/IR/Operation.h"
#include "mlir/Pass/AnalysisManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mlir::tfperf {

class CostAnalysis;
class TransformerStructure;
struct AttentionBlock;

struct KernelOptions {
  /// The exported view: every costed op its own kernel (views and
  /// transposes included) with its own bytes, classified as in the fused
  /// view; weights, constants and shape computations in none.
  bool exported = false;
  /// Merge GEMMs that read the same activation with the same K (Q/K/V,
  /// gate/up) into one GEMM kernel.
  bool mergeSiblings = false;
  /// The dims each op sees (a phase's shapes: PhaseAnalysis.h); null for
  /// the IR's types. The CostAnalysis given must have been built on the
  /// same shapes.
  std::function<const ShapeQuery &(Operation *)> shapes;
  /// Symbols of `shapes` known not to be below another (a step's KV length
  /// and its tokens): comparisons of symbolic sizes use it.
  std::vector<std::pair<std::string, std::string>> atLeast;
  /// Bytes an attention kernel reads from a KV cache the graph does not
  /// have: a decode derived from a graph without one runs K and V at the new
  /// token, while an engine's flash kernel also reads the cached ones. Null
  /// for none; the fused view only (the exported view's scores ops read
  /// every key already).
  std::function<double(const AttentionBlock &)> uncachedKVBytes;
};

struct Kernel {
  /// The main op's ONNX node name (`<op>#<index>` without one).
  std::string name;
  KernelClass cls = KernelClass::Add;
  /// Member ops in walk order; `mainOp` decides the name and GEMM shape.
  llvm::SmallVector<Operation *, 4> ops;
  Operation *mainOp = nullptr;
  /// Sum of the members' FLOPs (exact; symbolic for dynamic graphs).
  SymExpr flops = 0;
  /// Bytes crossing the kernel boundary: values produced outside and read
  /// inside (each once, through views), values produced inside and read
  /// outside or returned. Unknown when a member's cost or a shape is.
  std::optional<double> bytes;
  /// Sum of the members' own bytes (the exported, one-kernel-per-op view).
  std::optional<double> exportedBytes;
  /// The same two as formulas in the dims of the shapes the kernels were
  /// formed on, in bits (`bytes` and `exportedBytes` where they are
  /// numbers): what a serving step evaluates at its own token counts.
  /// Unknown when a member's cost is.
  SymExpr boundaryBits = SymExpr::unknown(), exportedBits = SymExpr::unknown();
  /// GEMM: C[M, N] = A[M, K] B[K, N], `batch` independent problems.
  int64_t m = 0, n = 0, k = 0, batch = 1;
  /// Row-wise classes: elements of one row.
  int64_t row = 0;
  /// Attention: head dim, KV length, decode step, causal mask.
  int64_t headDim = 0, kvLen = 0;
  bool decode = false, causal = false;
  /// Attention: the flash kernel's F (its GEMM FLOPs, halved under a causal
  /// mask) that the time model charges.
  double attentionFlops = 0;
  /// False when a member op has no known cost.
  bool known = true;
  /// Launches per run of the graph: a control-flow body's kernel runs once
  /// per iteration (its op's `runs`); `flops` and `bytes` are over all of
  /// them, the shapes above are one launch's.
  int64_t launches = 1;

  /// What the time model needs (dtype: the tensor peak to use).
  KernelWork getWork(llvm::StringRef dtype = "fp16") const;
};

class KernelAnalysis {
public:
  /// Fuses the first function of `root` (computes its own CostAnalysis and
  /// TransformerStructure).
  explicit KernelAnalysis(Operation *root, KernelOptions options = {});
  /// The same, reusing the cached analyses of `am`.
  KernelAnalysis(Operation *root, AnalysisManager &am,
                 KernelOptions options = {});
  /// From analyses the caller already has.
  KernelAnalysis(Operation *root, const CostAnalysis &costs,
                 const TransformerStructure &structure,
                 KernelOptions options = {});

  ArrayRef<Kernel> getKernels() const { return kernels; }
  /// The kernel `op` belongs to; null for views, shape computations,
  /// weights and constants.
  const Kernel *lookup(Operation *op) const;

  bool isInvalidated(const AnalysisManager::PreservedAnalyses &pa) {
    return !pa.isPreserved<KernelAnalysis>();
  }

private:
  void build(Operation *root, const CostAnalysis &costs,
             const TransformerStructure &structure, KernelOptions options);

  std::vector<Kernel> kernels;
  llvm::DenseMap<Operation *, size_t> kernelOf;
};

} // namespace mlir::tfperf

#endif
