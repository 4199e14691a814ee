//===- NewerSchemaFunctions.h - function bodies newer than libonnx -*- C++ -*-//
//
// The ONNX specification defines some ai.onnx ops by a function body that
// Debian's libonnx 1.12 does not carry: ops added in opsets 18 and later
// (Mish, GroupNormalization, CenterCropPad, AffineGrid, SwiGLU) and older
// ops whose body came with opset 16 or 18 (Elu, HardSigmoid, LeakyRelu,
// ReduceL2, ...). tfperf writes these bodies itself, in ONNX's text syntax,
// from the specification's mathematical definition of each op, and parses
// them with libonnx's parser. SchemaFunctions uses them where the 1.12
// registry has no body.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_LIB_TARGET_ONNX_NEWERSCHEMAFUNCTIONS_H
#define TFPERF_LIB_TARGET_ONNX_NEWERSCHEMAFUNCTIONS_H

#include "ModelLoader.h"

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <string>

namespace mlir::tfperf::onnximport {

/// One version of an ai.onnx op and the body tfperf writes for it.
struct NewerSchemaFunction {
  std::string opType;
  /// The op version the body defines (the op's "since version").
  int64_t sinceVersion;
  /// The attributes the body refers to that have defaults, as an ONNX
  /// attribute list ("<alpha = 1.0>"); empty when there are none.
  std::string defaults;
  /// An attribute the body needs that has no default (empty: none).
  std::string requiredAttribute;
  /// The FunctionProto in ONNX's text syntax.
  std::string body;
  /// For a body that depends on the node's input types (AffineGrid's
  /// dimensionality): builds its text from them, or returns "" and says
  /// why in `why`. Null when `body` serves every node.
  std::string (*bodyForTypes)(const onnx::NodeProto &node,
                              llvm::ArrayRef<onnx::TypeProto> inputTypes,
                              std::string &why) = nullptr;
};

/// The body of the version of `opType` that is current at the default-
/// domain `opset` (the newest at or below it), or null when tfperf writes
/// none for that version.
const NewerSchemaFunction *lookupNewerSchemaFunction(llvm::StringRef opType,
                                                     int64_t opset);

/// Every body tfperf writes, one per op version.
llvm::ArrayRef<NewerSchemaFunction> newerSchemaFunctions();

/// The first opset at which ai.onnx defines `opType` among the ops tfperf
/// writes bodies for, 0 if it writes none for `opType` (for messages about
/// an op a model uses before ONNX had it).
int64_t firstNewerSchemaOpset(llvm::StringRef opType);

/// Parses `fn`'s body for `node` (built from `inputTypes`, one per node
/// input, where it depends on them): the node's omitted attributes get
/// their defaults, and references to optional inputs the node leaves out
/// become empty names, as ONNX's inliner binds them. On failure `note`
/// says why.
LogicalResult
buildNewerSchemaFunction(const NewerSchemaFunction &fn, onnx::NodeProto &node,
                         llvm::ArrayRef<onnx::TypeProto> inputTypes,
                         onnx::FunctionProto &body, std::string &note);

} // namespace mlir::tfperf::onnximport

#endif
