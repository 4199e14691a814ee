//===- NewerSchemaFunctionsTest.cpp - tfperf's own ONNX function bodies ---===//
//
// Every body tfperf writes must parse with libonnx 1.12's parser and bind
// to a node of its op; the lit tests cost most of them, this checks all
// versions, including those no lit model uses.
//
//===----------------------------------------------------------------------===//

#include "NewerSchemaFunctions.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::tfperf::onnximport;

namespace {

/// A float tensor type of the given static dims.
onnx::TypeProto floatTensor(std::initializer_list<int64_t> dims) {
  onnx::TypeProto type;
  auto *tensor = type.mutable_tensor_type();
  tensor->set_elem_type(onnx::TensorProto::FLOAT);
  auto *shape = tensor->mutable_shape();
  for (int64_t d : dims)
    shape->add_dim()->set_dim_value(d);
  return type;
}

/// A node of `fn`'s op with one named input per body input and its
/// required attribute.
onnx::NodeProto nodeFor(const NewerSchemaFunction &fn,
                        const onnx::FunctionProto &parsed) {
  onnx::NodeProto node;
  node.set_op_type(fn.opType);
  for (const std::string &in : parsed.input())
    node.add_input("outer_" + in);
  node.add_output("y");
  if (!fn.requiredAttribute.empty()) {
    onnx::AttributeProto *a = node.add_attribute();
    a->set_name(fn.requiredAttribute);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(4);
  }
  return node;
}

TEST(NewerSchemaFunctions, EveryBodyParsesAndBindsItsNode) {
  ASSERT_FALSE(newerSchemaFunctions().empty());
  // Types every type-dependent body accepts: a 2-D AffineGrid, a rank-3
  // CenterCropPad input.
  std::vector<onnx::TypeProto> types = {floatTensor({2, 2, 3}),
                                        floatTensor({4})};
  for (const NewerSchemaFunction &fn : newerSchemaFunctions()) {
    SCOPED_TRACE(fn.opType + "-" + std::to_string(fn.sinceVersion));
    // A first build, for a node without inputs, learns the body's inputs.
    onnx::FunctionProto first;
    onnx::NodeProto bare = nodeFor(fn, first);
    std::string note;
    ASSERT_TRUE(
        succeeded(buildNewerSchemaFunction(fn, bare, types, first, note)))
        << note;
    onnx::NodeProto node = nodeFor(fn, first);
    onnx::FunctionProto body;
    ASSERT_TRUE(
        succeeded(buildNewerSchemaFunction(fn, node, types, body, note)))
        << note;
    EXPECT_EQ(body.name(), fn.opType);
    EXPECT_GT(body.node_size(), 0);
    EXPECT_EQ(body.output_size(), 1);
    EXPECT_NE(note.find(fn.opType + "-" + std::to_string(fn.sinceVersion)),
              std::string::npos);
    // Every attribute the body refers to is on the node, given or
    // defaulted, or is optional by the op's definition (the axes of the
    // reductions before opset 18, CenterCropPad's axes).
    for (const onnx::NodeProto &inner : body.node())
      for (const onnx::AttributeProto &a : inner.attribute()) {
        if (a.ref_attr_name().empty() || a.ref_attr_name() == "axes")
          continue;
        bool bound = false;
        for (const onnx::AttributeProto &given : node.attribute())
          bound |= given.name() == a.ref_attr_name();
        EXPECT_TRUE(bound) << "@" << a.ref_attr_name();
      }
  }
}

TEST(NewerSchemaFunctions, LookupTakesTheVersionCurrentAtTheOpset) {
  EXPECT_EQ(lookupNewerSchemaFunction("Mish", 17), nullptr);
  EXPECT_EQ(lookupNewerSchemaFunction("Mish", 21)->sinceVersion, 18);
  EXPECT_EQ(lookupNewerSchemaFunction("Mish", 25)->sinceVersion, 22);
  EXPECT_EQ(lookupNewerSchemaFunction("GroupNormalization", 20)->sinceVersion,
            18);
  EXPECT_EQ(lookupNewerSchemaFunction("GroupNormalization", 21)->sinceVersion,
            21);
  EXPECT_EQ(lookupNewerSchemaFunction("ReduceL2", 17)->sinceVersion, 13);
  EXPECT_EQ(lookupNewerSchemaFunction("ReduceL2", 18)->sinceVersion, 18);
  EXPECT_EQ(lookupNewerSchemaFunction("LeakyRelu", 7)->sinceVersion, 6);
  EXPECT_EQ(lookupNewerSchemaFunction("Hardmax", 25), nullptr);
  EXPECT_EQ(firstNewerSchemaOpset("GroupNormalization"), 18);
  EXPECT_EQ(firstNewerSchemaOpset("SwiGLU"), 28);
  EXPECT_EQ(firstNewerSchemaOpset("Hardmax"), 0);
}

TEST(NewerSchemaFunctions, AnOmittedOptionalInputIsLeftOutOfTheBody) {
  const NewerSchemaFunction *fn = lookupNewerSchemaFunction("ReduceL2", 18);
  ASSERT_NE(fn, nullptr);
  onnx::NodeProto node;
  node.set_op_type("ReduceL2");
  node.add_input("x");
  node.add_output("y");
  onnx::FunctionProto body;
  std::string note;
  ASSERT_TRUE(succeeded(buildNewerSchemaFunction(fn[0], node, {}, body, note)))
      << note;
  for (const onnx::NodeProto &inner : body.node())
    for (const std::string &in : inner.input())
      EXPECT_NE(in, "axes") << inner.op_type();
  // keepdims and noop_with_empty_axes took their defaults.
  EXPECT_EQ(node.attribute_size(), 2);
}

TEST(NewerSchemaFunctions, TypeDependentBodiesSayWhatTheyLack) {
  const NewerSchemaFunction *fn = lookupNewerSchemaFunction("AffineGrid", 20);
  ASSERT_NE(fn, nullptr);
  onnx::NodeProto node;
  node.set_op_type("AffineGrid");
  node.add_input("theta");
  node.add_input("size");
  onnx::FunctionProto body;
  std::string note;
  EXPECT_TRUE(failed(buildNewerSchemaFunction(
      *fn, node, {onnx::TypeProto(), onnx::TypeProto()}, body, note)));
  EXPECT_NE(note.find("needs theta of shape"), std::string::npos) << note;
}

} // namespace
