//===- SchemaFunctions.h - ai.onnx ops ONNX defines as functions -*- C++ -*-===//
//
// Many ai.onnx ops are defined by a function body over other ops (Celu,
// HardSwish, MeanVarianceNormalization, the loss ops, ...). The importer
// expands such an op into its body when tfperf has no op of its own for it,
// so that its cost is the sum of its body's. The bodies come from the schema
// registry of the system's ONNX library (Debian's libonnx 1.12; this is
// the only file that includes its schema headers) and, where that registry
// has none, from tfperf's own bodies of newer ONNX (NewerSchemaFunctions).
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_LIB_TARGET_ONNX_SCHEMAFUNCTIONS_H
#define TFPERF_LIB_TARGET_ONNX_SCHEMAFUNCTIONS_H

#include "ModelLoader.h"

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"

namespace mlir::tfperf::onnximport {

/// How ONNX defines a default-domain op at an opset.
enum class SchemaFunctionKind {
  None,             // no schema, or one without a function body
  Plain,            // one body for every use
  ContextDependent, // built per node from its attributes and input types
};

SchemaFunctionKind lookupSchemaFunctionKind(llvm::StringRef opType,
                                            int64_t opset);

/// Builds the body ONNX defines for `node` (a default-domain op) at
/// `opset`. `inputTypes` holds one entry per node input, an empty TypeProto
/// where the type is unknown; context-dependent bodies read them. The
/// node's attributes that it omits and the schema gives a default for are
/// added to `node`, so that the body's references to them bind. `note`
/// says where the body came from, or, on failure, why there is none (no
/// body in the registry, or ONNX cannot build one for the node).
LogicalResult buildSchemaFunction(onnx::NodeProto &node, int64_t opset,
                                  llvm::ArrayRef<onnx::TypeProto> inputTypes,
                                  onnx::FunctionProto &body, std::string &note);

/// Why there is no body for `opType` at `opset`, for the unknown-op
/// warning: ai.onnx has no such op yet at that opset, or the registry has
/// no body for it.
std::string describeMissingFunctionBody(llvm::StringRef opType,
                                        int64_t opset);

/// The registry for messages: "ONNX 1.12's schema registry (ai.onnx
/// opsets up to 17)".
std::string describeSchemaRegistry();

} // namespace mlir::tfperf::onnximport

#endif
