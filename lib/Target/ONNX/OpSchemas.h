//===- OpSchemas.h - ONNX op types tfperf imports ---------------*- C++ -*-===//
//
// For each ONNX op type with a dedicated tfperf op: its inputs and outputs
// (names and whether they are required, optional or variadic) and attribute
// renames. The op type and domain are the op's, declared in ODS. The importer uses it to check arity, name missing inputs in
// errors, and compute operand/result segment sizes; the ODS op definitions
// must agree with it (the corpus test imports every op type).
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_LIB_TARGET_ONNX_OPSCHEMAS_H
#define TFPERF_LIB_TARGET_ONNX_OPSCHEMAS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace mlir::tfperf::onnximport {

enum class Arity { Required, Optional, Variadic };

struct IOSpec {
  const char *name;
  Arity arity;
};

struct AttrRename {
  const char *onnxName;
  const char *mlirName;
};

struct OpSchema {
  // The names come from the op's ODS definition (TFPerf_ONNXName).
  llvm::StringRef domain; // "" is the default (ai.onnx) domain
  /// Other domains that register the same op.
  llvm::ArrayRef<llvm::StringLiteral> aliasDomains;
  llvm::StringRef opType;
  llvm::StringRef mlirName;
  llvm::ArrayRef<IOSpec> inputs;
  llvm::ArrayRef<IOSpec> outputs;
  llvm::ArrayRef<AttrRename> renames = {};
  /// The graph attributes an op with fixed regions needs, in region order.
  llvm::ArrayRef<llvm::StringLiteral> regions = {};

  /// More than one optional/variadic operand needs segment sizes.
  bool needsOperandSegments() const;
  /// Several optional outputs are imported as a variadic tail: every output
  /// up to the last one used becomes a result.
  bool hasOptionalOutputTail() const;
};

/// The schema of `OpT`: its ONNX name and domains from ODS, its inputs and
/// outputs as given.
template <typename OpT>
OpSchema schema(llvm::ArrayRef<IOSpec> inputs, llvm::ArrayRef<IOSpec> outputs,
                llvm::ArrayRef<AttrRename> renames = {}) {
  return {OpT::getONNXDomain(), OpT::getONNXAliasDomains(),
          OpT::getONNXOpType(), OpT::getOperationName(),
          inputs,               outputs,
          renames};
}

/// The schema of a control-flow op whose regions are the graph attributes
/// `regions`, in that order.
template <typename OpT>
OpSchema schemaWithRegions(llvm::ArrayRef<IOSpec> inputs,
                           llvm::ArrayRef<IOSpec> outputs,
                           llvm::ArrayRef<llvm::StringLiteral> regions) {
  OpSchema s = schema<OpT>(inputs, outputs);
  s.regions = regions;
  return s;
}

/// The quantized ops' schemas (OpSchemasQuant.cpp).
llvm::ArrayRef<OpSchema> getQuantizedOpSchemas();
/// PagedAttention, SparseAttention (OpSchemasGenAIAttention.cpp).
llvm::ArrayRef<OpSchema> getGenAIAttentionOpSchemas();

/// The schema for (domain, op type); `domain` "" and "ai.onnx" are the same.
const OpSchema *lookupOpSchema(llvm::StringRef domain, llvm::StringRef opType);

/// Domains whose nodes need no opset import to be understood.
bool isWellKnownDomain(llvm::StringRef domain);

/// The ai.onnx opset from which `opType` has the attribute `attr`, when a
/// later version of the op added it, else 0: a node of an older opset that
/// sets it is invalid (onnx/onnx docs/Changelog.md).
int64_t attributeSinceOpset(llvm::StringRef opType, llvm::StringRef attr);

} // namespace mlir::tfperf::onnximport

#endif
