//===- ModelMutator.cpp - semantic mutations of an ONNX model -------------===//

#include "ModelMutator.h"

#include "onnx/onnx_pb.h"

#include <array>
#include <string>
#include <vector>

using namespace mlir::tfperf;

namespace {
using Rng = std::minstd_rand;

size_t pick(Rng &rng, size_t n) {
  return std::uniform_int_distribution<size_t>(0, n - 1)(rng);
}
template <typename T, size_t N> const T &pickFrom(Rng &rng, const T (&a)[N]) {
  return a[pick(rng, N)];
}

/// Sizes that reach edge cases: 0, 1, off-by-one around powers of two, the
/// importer's limits, and what breaks arithmetic (negative).
int64_t interestingInt(Rng &rng) {
  static const int64_t values[] = {
      0,         1,        2,  3,   4,       7,         8,
      16,        63,       64, 65,  127,     768,       1024,
      4096,      -1,       -2, -64, 1 << 20, 1LL << 31, (1LL << 31) - 1,
      1LL << 40, 1LL << 62};
  return pickFrom(rng, values);
}

std::string interestingSymbol(Rng &rng) {
  static const char *names[] = {
      "batch", "seq",     "past_seq_len", "seq + past_seq_len",
      "2*seq", "seq - 3", "total",        "floordiv(seq, 2)",
      "",      "n"};
  return pickFrom(rng, names);
}

/// Every graph of the model: the main one, subgraph attributes (nested),
/// and none of the functions (they have nodes but no value infos).
void collectGraphs(onnx::GraphProto *g, std::vector<onnx::GraphProto *> &out,
                   int depth = 0) {
  out.push_back(g);
  if (depth > 4)
    return;
  for (onnx::NodeProto &n : *g->mutable_node())
    for (onnx::AttributeProto &a : *n.mutable_attribute()) {
      if (a.has_g())
        collectGraphs(a.mutable_g(), out, depth + 1);
      for (onnx::GraphProto &sub : *a.mutable_graphs())
        collectGraphs(&sub, out, depth + 1);
    }
}

/// The nodes of a graph or of a function.
using Nodes = google::protobuf::RepeatedPtrField<onnx::NodeProto>;

void mutateDim(onnx::GraphProto &g, Rng &rng) {
  std::vector<onnx::TypeProto_Tensor *> tensors;
  for (auto *list :
       {g.mutable_input(), g.mutable_output(), g.mutable_value_info()})
    for (onnx::ValueInfoProto &v : *list)
      if (v.type().has_tensor_type())
        tensors.push_back(v.mutable_type()->mutable_tensor_type());
  if (tensors.empty())
    return;
  onnx::TypeProto_Tensor *t = tensors[pick(rng, tensors.size())];
  onnx::TensorShapeProto *shape = t->mutable_shape();
  switch (pick(rng, 5)) {
  case 0:
    shape->add_dim()->set_dim_value(interestingInt(rng));
    return;
  case 1:
    if (shape->dim_size())
      shape->mutable_dim()->RemoveLast();
    return;
  case 2:
    t->set_elem_type(int32_t(pick(rng, 24)));
    return;
  default:
    break;
  }
  if (!shape->dim_size())
    return;
  onnx::TensorShapeProto_Dimension *d =
      shape->mutable_dim(int(pick(rng, shape->dim_size())));
  if (pick(rng, 2))
    d->set_dim_value(interestingInt(rng));
  else
    d->set_dim_param(interestingSymbol(rng));
}

void mutateAttribute(onnx::AttributeProto &a, Rng &rng) {
  switch (pick(rng, 6)) {
  case 0:
    a.set_i(interestingInt(rng));
    return;
  case 1:
    if (a.ints_size())
      a.set_ints(int(pick(rng, a.ints_size())), interestingInt(rng));
    else
      a.add_ints(interestingInt(rng));
    return;
  case 2: {
    static const float floats[] = {0.f,
                                   -1.f,
                                   1e-30f,
                                   1e30f,
                                   0.5f,
                                   std::numeric_limits<float>::infinity(),
                                   std::numeric_limits<float>::quiet_NaN()};
    a.set_f(pickFrom(rng, floats));
    return;
  }
  case 3: {
    static const char *strings[] = {
        "", "NOTSET", "SAME_UPPER", "bij,bjk->bik", "i,i->", "tanh", "none"};
    a.set_s(pickFrom(rng, strings));
    return;
  }
  case 4:
    a.set_type(onnx::AttributeProto_AttributeType(pick(rng, 15)));
    return;
  default: {
    static const char *names[] = {"axis",      "perm", "transA",
                                  "transB",    "axes", "keepdims",
                                  "num_heads", "to",   "epsilon"};
    a.set_name(pickFrom(rng, names));
    return;
  }
  }
}

void mutateNode(Nodes &nodes, std::vector<std::string> &values, Rng &rng) {
  if (nodes.empty())
    return;
  onnx::NodeProto &n = nodes[int(pick(rng, nodes.size()))];
  static const char *opTypes[] = {"MatMul",
                                  "Gemm",
                                  "Add",
                                  "Mul",
                                  "Softmax",
                                  "Reshape",
                                  "Transpose",
                                  "LayerNormalization",
                                  "Gather",
                                  "Slice",
                                  "Concat",
                                  "Split",
                                  "Attention",
                                  "Einsum",
                                  "Conv",
                                  "Relu",
                                  "Where",
                                  "Expand",
                                  "Identity",
                                  "ReduceMean",
                                  "Cast",
                                  "If",
                                  "Loop",
                                  "BeamSearch",
                                  "SkipLayerNormalization"};
  static const char *domains[] = {"", "com.microsoft", "ai.onnx.ml", "ai.onnx",
                                  "bogus.domain"};
  switch (pick(rng, 7)) {
  case 0:
    n.set_op_type(pickFrom(rng, opTypes));
    return;
  case 1:
    n.set_domain(pickFrom(rng, domains));
    return;
  case 2: // an edge: an input from another value
    if (n.input_size() && !values.empty())
      n.set_input(int(pick(rng, n.input_size())),
                  values[pick(rng, values.size())]);
    return;
  case 3: // an input more or fewer
    if (pick(rng, 2) && n.input_size())
      n.mutable_input()->RemoveLast();
    else if (!values.empty())
      n.add_input(values[pick(rng, values.size())]);
    return;
  case 4: // duplicate a node (same outputs: two producers)
    *nodes.Add() = n;
    return;
  case 5: // swap two nodes (order)
    nodes.SwapElements(int(pick(rng, nodes.size())),
                       int(pick(rng, nodes.size())));
    return;
  default:
    if (n.attribute_size())
      mutateAttribute(*n.mutable_attribute(int(pick(rng, n.attribute_size()))),
                      rng);
    else
      mutateAttribute(*n.add_attribute(), rng);
    return;
  }
}

void mutateInitializer(onnx::GraphProto &g, Rng &rng) {
  if (!g.initializer_size())
    return;
  onnx::TensorProto &t =
      *g.mutable_initializer(int(pick(rng, g.initializer_size())));
  switch (pick(rng, 3)) {
  case 0:
    if (t.dims_size())
      t.set_dims(int(pick(rng, t.dims_size())), interestingInt(rng));
    return;
  case 1:
    t.set_data_type(int32_t(pick(rng, 24)));
    return;
  default:
    if (pick(rng, 2) && t.dims_size())
      t.mutable_dims()->RemoveLast();
    else
      t.add_dims(interestingInt(rng));
    return;
  }
}

void mutateOpset(onnx::ModelProto &m, Rng &rng) {
  static const int64_t versions[] = {1, 7, 9, 11, 13, 17, 18, 21, 23, 99};
  if (m.opset_import_size() && pick(rng, 3)) {
    m.mutable_opset_import(int(pick(rng, m.opset_import_size())))
        ->set_version(pickFrom(rng, versions));
    return;
  }
  onnx::OperatorSetIdProto *o = m.add_opset_import();
  o->set_domain(pick(rng, 2) ? "com.microsoft" : "");
  o->set_version(pickFrom(rng, versions));
}

void valueNames(const onnx::GraphProto &g, std::vector<std::string> &out) {
  for (const onnx::ValueInfoProto &v : g.input())
    out.push_back(v.name());
  for (const onnx::TensorProto &t : g.initializer())
    out.push_back(t.name());
  for (const onnx::NodeProto &n : g.node())
    for (const std::string &o : n.output())
      out.push_back(o);
  out.push_back("");
}
} // namespace

void fuzz::mutateModel(onnx::ModelProto &model, std::minstd_rand &rng) {
  std::vector<onnx::GraphProto *> graphs;
  collectGraphs(model.mutable_graph(), graphs);
  int count = 1 + int(pick(rng, 3));
  for (int i = 0; i < count; ++i) {
    onnx::GraphProto &g = *graphs[pick(rng, graphs.size())];
    std::vector<std::string> values;
    valueNames(g, values);
    switch (pick(rng, 8)) {
    case 0:
    case 1:
      mutateDim(g, rng);
      break;
    case 2:
    case 3:
    case 4:
      mutateNode(*g.mutable_node(), values, rng);
      break;
    case 5:
      mutateInitializer(g, rng);
      break;
    case 6:
      mutateOpset(model, rng);
      break;
    default: // a function's body
      if (model.functions_size()) {
        onnx::FunctionProto &f =
            *model.mutable_functions(int(pick(rng, model.functions_size())));
        std::vector<std::string> fvalues(f.input().begin(), f.input().end());
        mutateNode(*f.mutable_node(), fvalues, rng);
      } else {
        mutateNode(*g.mutable_node(), values, rng);
      }
      break;
    }
  }
}
