//===- SchemaFunctions.cpp - ai.onnx ops ONNX defines as functions --------===//

#include "SchemaFunctions.h"
#include "NewerSchemaFunctions.h"

#include "onnx/common/version.h"
#include "onnx/defs/schema.h"

#include "llvm/ADT/Twine.h"

using namespace mlir;
using namespace mlir::tfperf::onnximport;

static const onnx::OpSchema *findSchema(llvm::StringRef opType,
                                        int64_t opset) {
  // The newest version at or below the model's opset, as ONNX resolves it.
  return onnx::OpSchemaRegistry::Schema(opType.str(), static_cast<int>(opset),
                                        onnx::ONNX_DOMAIN);
}

SchemaFunctionKind
mlir::tfperf::onnximport::lookupSchemaFunctionKind(llvm::StringRef opType,
                                                   int64_t opset) {
  const onnx::OpSchema *schema = findSchema(opType, opset);
  if (schema && schema->HasFunction())
    return SchemaFunctionKind::Plain;
  if (schema && schema->HasContextDependentFunction())
    return SchemaFunctionKind::ContextDependent;
  // Where the registry has no body, tfperf's own (newer ONNX) may have one.
  if (const NewerSchemaFunction *fn = lookupNewerSchemaFunction(opType, opset))
    return fn->bodyForTypes ? SchemaFunctionKind::ContextDependent
                            : SchemaFunctionKind::Plain;
  return SchemaFunctionKind::None;
}

LogicalResult mlir::tfperf::onnximport::buildSchemaFunction(
    onnx::NodeProto &node, int64_t opset,
    llvm::ArrayRef<onnx::TypeProto> inputTypes, onnx::FunctionProto &body,
    std::string &note) {
  const onnx::OpSchema *schema = findSchema(node.op_type(), opset);
  if (!schema ||
      (!schema->HasFunction() && !schema->HasContextDependentFunction())) {
    if (const NewerSchemaFunction *fn =
            lookupNewerSchemaFunction(node.op_type(), opset))
      return buildNewerSchemaFunction(*fn, node, inputTypes, body, note);
    note = describeMissingFunctionBody(node.op_type(), opset);
    return failure();
  }
  // A body's reference to an attribute the node omits means the schema's
  // default, as ONNX's own inliner reads it.
  for (const auto &[attrName, attr] : schema->attributes()) {
    if (attr.default_value.type() == onnx::AttributeProto::UNDEFINED)
      continue;
    bool given = llvm::any_of(node.attribute(), [&](const auto &a) {
      return a.name() == attrName;
    });
    if (!given) {
      onnx::AttributeProto *added = node.add_attribute();
      *added = attr.default_value;
      added->set_name(attrName);
    }
  }
  std::string version =
      (node.op_type() + "-" + llvm::Twine(schema->SinceVersion())).str();
  if (schema->HasFunction()) {
    body = *schema->GetFunction();
    note = "the function body ONNX " + std::string(onnx::LAST_RELEASE_VERSION) +
           " defines for " + version;
    return success();
  }
  onnx::FunctionBodyBuildContextImpl context(
      node, std::vector<onnx::TypeProto>(inputTypes.begin(), inputTypes.end()));
  // ONNX reports a body it cannot build by returning false or by throwing
  // (an attribute of the wrong kind); nothing it throws leaves this file.
  bool built = false;
  try {
    built = schema->BuildContextDependentFunction(context, body);
  } catch (const std::exception &e) {
    note = "ONNX cannot build the function body of " + version + ": " +
           e.what();
    return failure();
  }
  if (!built) {
    note = "ONNX cannot build the function body of " + version +
           " for this node (it depends on input types that are unknown here)";
    return failure();
  }
  note = "the function body ONNX " + std::string(onnx::LAST_RELEASE_VERSION) +
         " builds for " + version + " with this node's attributes and types";
  return success();
}

std::string mlir::tfperf::onnximport::describeSchemaRegistry() {
  const auto &ranges =
      onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
  auto it = ranges.find(onnx::ONNX_DOMAIN);
  int last = it == ranges.end() ? 0 : it->second.second;
  return (llvm::Twine("ONNX ") + onnx::LAST_RELEASE_VERSION +
          "'s schema registry (ai.onnx opsets up to " + llvm::Twine(last) + ")")
      .str();
}

std::string
mlir::tfperf::onnximport::describeMissingFunctionBody(llvm::StringRef opType,
                                                      int64_t opset) {
  int64_t first = firstNewerSchemaOpset(opType);
  if (first > opset)
    return (llvm::Twine("ai.onnx has no ") + opType + " before opset " +
            llvm::Twine(first) + " (the model imports opset " +
            llvm::Twine(opset) + ")")
        .str();
  return describeSchemaRegistry() + " has no function body for it";
}
