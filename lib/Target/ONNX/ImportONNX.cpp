//===- ImportONNX.cpp - ONNX graph to tfperf ops --------------------------===//
//
// Builds one func.func per model: graph inputs become arguments, initializers
// `tfperf.weight` ops, nodes (topologically sorted first) their tfperf op or
// `tfperf.custom`, subgraphs regions ending in `tfperf.yield`. Shapes are then
// inferred by the ops' shape functions with the `--bind-dims` bindings, and
// checked against the shapes the model declares.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Target/ONNX/ImportONNX.h"

#include "ModelLoader.h"
#include "OpSchemas.h"
#include "SchemaFunctions.h"
#include "TensorConversion.h"
#include "tfperf/Dialect/TFPerf/Utils/ShapeInference.h"
#include "tfperf/Dialect/TFPerf/IR/BeamSearchSchedule.h"
#include "tfperf/Dialect/TFPerf/IR/ModelReader.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::tfperf;
using namespace mlir::tfperf::onnximport;

namespace {

/// Values visible in a graph: its own names first, then enclosing graphs'.
struct Scope {
  llvm::StringMap<Value> values;
  Scope *parent = nullptr;
  Value lookup(llvm::StringRef name) const {
    for (const Scope *s = this; s; s = s->parent) {
      auto it = s->values.find(name);
      if (it != s->values.end())
        return it->second;
    }
    return {};
  }
};

class GraphImporter {
public:
  GraphImporter(MLIRContext *ctx, llvm::StringRef fileName,
                const LoadedModel &loaded, bool recordValueNames)
      : ctx(ctx), builder(ctx), fileName(fileName), loaded(loaded),
        fileLoc(FileLineColLoc::get(ctx, fileName, 0, 0)),
        recordValueNames(recordValueNames) {}

  OwningOpRef<ModuleOp> run(const ImportOptions &options);

private:
  InFlightDiagnostic error(llvm::StringRef nodeName = {}) {
    return emitError(nodeName.empty() ? Location(fileLoc) : nodeLoc(nodeName));
  }
  /// A node's location: its name, called from the node whose function
  /// body it was inlined from or whose subgraph holds it (nested calls and
  /// subgraphs nest call sites).
  Location nodeLoc(llvm::StringRef name) {
    Location own = NameLoc::get(StringAttr::get(ctx, name), fileLoc);
    return enclosing.empty() ? own : CallSiteLoc::get(own, enclosing.back());
  }

  LogicalResult checkOpsets();
  FailureOr<Type> typeOfValueInfo(const onnx::ValueInfoProto &vi);
  /// The type a ValueInfo declares, or null with `err` set (no diagnostic).
  Type convertValueInfoType(const onnx::ValueInfoProto &vi, std::string &err);
  LogicalResult importGraph(const onnx::GraphProto &graph, Block *body,
                            Scope &scope, bool isMain);
  LogicalResult importInitializer(const onnx::TensorProto &t, Scope &scope);
  LogicalResult checkExternalData(const onnx::TensorProto &t);
  /// Node order for import; fills `definingNode` with the node that
  /// defines each value.
  FailureOr<SmallVector<size_t>>
  sortNodes(const onnx::GraphProto &graph, const Scope &scope,
            llvm::StringMap<const onnx::NodeProto *> &definingNode);
  LogicalResult
  importNode(const onnx::NodeProto &node, llvm::StringRef name, Scope &scope,
             const llvm::StringMap<const onnx::NodeProto *> &definingNode);
  /// Imports the nodes of `graph` in topological order, each named
  /// `prefix` + its display name.
  LogicalResult importNodes(const onnx::GraphProto &graph, Scope &scope,
                            llvm::StringRef prefix);
  /// Imports a call of a model-local function: its body, with the call's
  /// inputs and attributes bound, in place of the node.
  LogicalResult
  inlineFunction(const onnx::NodeProto &node, const onnx::FunctionProto &fn,
                 llvm::StringRef name, Scope &scope,
                 const llvm::StringMap<const onnx::NodeProto *> &definingNode);
  /// Imports `fn`'s body for the call `node` at `callLoc`: its inputs bound
  /// to `args` (one per node input, null where absent), references to
  /// attributes to the call's. Returns the values of the call's outputs
  /// (null where the node leaves one out).
  FailureOr<SmallVector<Value>>
  importFunctionBody(const onnx::NodeProto &node, const onnx::FunctionProto &fn,
                     llvm::StringRef name, Location callLoc,
                     llvm::ArrayRef<Value> args);
  /// Replaces each `tfperf.custom` that ONNX defines by a function body
  /// (pendingExpansions) with its body, bodies that hold such ops again,
  /// and points `scope`'s names at the values that replace its results.
  LogicalResult expandSchemaFunctions(func::FuncOp func,
                                      const DimBindings &bindings,
                                      Scope &scope);
  LogicalResult convertAttributes(const onnx::NodeProto &node,
                                  llvm::StringRef name, const OpSchema *schema,
                                  OperationState &state, Scope &scope,
                                  SmallVectorImpl<Type> *constantType);
  FailureOr<Attribute> convertAttribute(const onnx::AttributeProto &a,
                                        llvm::StringRef nodeName);
  LogicalResult importSubgraph(const onnx::GraphProto &g, Region &region,
                               Scope &outer, llvm::StringRef nodeName);
  LogicalResult checkDeclaredShapes(const onnx::GraphProto &graph,
                                    Scope &scope, ShapeContext &shapes);

  std::string nodeDisplayName(const onnx::NodeProto &node, size_t index) {
    if (!node.name().empty())
      return node.name();
    return (node.op_type().empty() ? "node" : node.op_type()) + "_" +
           std::to_string(index);
  }

  MLIRContext *ctx;
  OpBuilder builder;
  std::string fileName;
  const LoadedModel &loaded;
  FileLineColLoc fileLoc;
  bool recordValueNames;
  int64_t defaultOpset = 0;
  llvm::StringMap<int64_t> opsets;
  /// value_info and declared output types by value name.
  llvm::StringMap<const onnx::ValueInfoProto *> valueInfos;
  /// Names of the node that produced each value (for messages).
  llvm::StringMap<std::string> producers;
  /// The model-local functions by "domain::name".
  llvm::StringMap<const onnx::FunctionProto *> functions;
  /// Locations of the calls whose function bodies are being imported,
  /// innermost last.
  SmallVector<Location> callers;
  /// Locations of the calls and subgraph owners around the nodes being
  /// imported, innermost last.
  SmallVector<Location> enclosing;
  /// The default-domain opset of the function body being imported (0 in
  /// the graph): an op in an ONNX function body is resolved at its opset.
  int64_t bodyOpset = 0;
  /// A default-domain op tfperf has no op for, imported as `tfperf.custom`,
  /// that ONNX's schema registry defines by a function body. Context-
  /// dependent bodies need the input types, so all are expanded once the
  /// graph is imported and inferred (expandSchemaFunctions).
  struct PendingExpansion {
    Operation *op;
    onnx::NodeProto node; // a copy: function bodies are temporaries
    std::string name;
    int64_t opset;
    SchemaFunctionKind kind;
    /// How many expanded bodies it sits in.
    size_t depth;
  };
  SmallVector<PendingExpansion> pendingExpansions;
  /// The depth of the body being expanded (0 outside expansions).
  size_t expansionDepth = 0;

};

} // namespace

//===----------------------------------------------------------------------===//
// Model-level checks
//===----------------------------------------------------------------------===//

LogicalResult GraphImporter::checkOpsets() {
  const onnx::ModelProto &m = loaded.model;
  for (const auto &o : m.opset_import()) {
    std::string d = o.domain() == "ai.onnx" ? "" : o.domain();
    opsets[d] = o.version();
  }
  auto it = opsets.find("");
  if (it == opsets.end()) {
    // Old or hand-built models may omit it; assume a modern opset.
    defaultOpset = 17;
    emitWarning(fileLoc) << "the model imports no version of the default ONNX "
                            "domain; assuming opset 17";
  } else {
    defaultOpset = it->second;
  }
  if (defaultOpset < 7)
    return error() << "opset " << defaultOpset
                   << " of the default ONNX domain is older than tfperf "
                      "supports (7 and later)";
  // Opsets 25-28 mostly add ops (LinearAttention-27, ...); an op tfperf
  // does not know is warned about per node.
  constexpr int64_t kLatestKnownOpset = 28;
  if (defaultOpset > kLatestKnownOpset)
    emitWarning(fileLoc) << "opset " << defaultOpset
                         << " is newer than tfperf knows ("
                         << kLatestKnownOpset
                         << "); importing with the semantics of the latest "
                            "known opset";
  return success();
}

//===----------------------------------------------------------------------===//
// Types and initializers
//===----------------------------------------------------------------------===//

FailureOr<Type> GraphImporter::typeOfValueInfo(const onnx::ValueInfoProto &vi) {
  std::string err;
  Type t = convertValueInfoType(vi, err);
  if (!t)
    return error() << "graph input '" << vi.name() << "' " << err;
  return t;
}

Type GraphImporter::convertValueInfoType(const onnx::ValueInfoProto &vi,
                                         std::string &err) {
  if (!vi.has_type() || !vi.type().has_tensor_type()) {
    err = "has no tensor type (sequence, map and optional inputs are not "
          "supported)";
    return {};
  }
  const auto &tt = vi.type().tensor_type();
  Type et = convertElementType(ctx, tt.elem_type());
  if (!et) {
    err = "has unsupported element type " + onnxTypeName(tt.elem_type());
    return {};
  }
  if (!tt.has_shape())
    return UnrankedTensorType::get(et);
  auto dims = convertShape(tt.shape(), vi.name(), err);
  if (!dims)
    return {};
  if (hasTooManyElements(*dims)) {
    err = "has more than 2^62 elements";
    return {};
  }
  auto t = buildTensorType(ctx, et, *dims);
  if (failed(t)) {
    err = "has an invalid shape";
    return {};
  }
  return *t;
}

LogicalResult GraphImporter::checkExternalData(const onnx::TensorProto &t) {
  std::string location;
  for (const auto &kv : t.external_data())
    if (kv.key() == "location")
      location = kv.value();
  if (location.empty())
    return error() << "initializer '" << t.name()
                   << "' is stored externally but names no location";
  // Never follow a location out of the model's folder (CVE-2024-27318/9).
  // tfperf does not read external data; the file may well be absent.
  llvm::StringRef loc(location);
  if (llvm::sys::path::is_absolute(loc) || loc.starts_with("/") ||
      loc.starts_with("\\") || (loc.size() > 1 && loc[1] == ':'))
    return error() << "initializer '" << t.name()
                   << "' has an absolute external data location '" << location
                   << "'; external data must stay inside the model's folder";
  for (auto part = llvm::sys::path::begin(loc), e = llvm::sys::path::end(loc);
       part != e; ++part)
    if (*part == "..")
      return error() << "initializer '" << t.name()
                     << "' has external data location '" << location
                     << "' that escapes the model's folder";
  llvm::SmallString<256> modelDir(fileName);
  llvm::sys::path::remove_filename(modelDir);
  if (modelDir.empty())
    modelDir = ".";
  llvm::SmallString<256> full(modelDir);
  llvm::sys::path::append(full, loc);
  if (llvm::sys::fs::exists(full)) {
    llvm::SmallString<256> realDir, realFile;
    if (!llvm::sys::fs::real_path(modelDir, realDir) &&
        !llvm::sys::fs::real_path(full, realFile) &&
        !llvm::StringRef(realFile).starts_with((realDir + "/").str()))
      return error() << "initializer '" << t.name()
                     << "' has external data location '" << location
                     << "' that resolves (through a link) outside the "
                        "model's folder";
  }
  return success();
}

LogicalResult GraphImporter::importInitializer(const onnx::TensorProto &t,
                                               Scope &scope) {
  if (t.name().empty())
    return error() << "an initializer has no name";
  if (scope.values.count(t.name()))
    return error() << "initializer '" << t.name() << "' is defined twice";
  std::string err;
  auto type = convertTensorType(ctx, t, loaded, err);
  if (failed(type))
    return error() << "initializer '" << t.name() << "' " << err;
  if (t.data_location() == onnx::TensorProto::EXTERNAL &&
      failed(checkExternalData(t)))
    return failure();
  auto data = convertTensorData(t, *type, err);
  if (failed(data))
    return error() << "initializer '" << t.name() << "' " << err;
  auto op = WeightOp::create(builder, nodeLoc(t.name()), *type,
                             builder.getStringAttr(t.name()),
                             *data ? ElementsAttr(*data) : ElementsAttr());
  scope.values[t.name()] = op.getResult();
  producers[t.name()] = "initializer " + t.name();
  return success();
}

//===----------------------------------------------------------------------===//
// Topological order
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<size_t>>
GraphImporter::sortNodes(
    const onnx::GraphProto &graph, const Scope &scope,
    llvm::StringMap<const onnx::NodeProto *> &definingNode) {
  size_t n = graph.node_size();
  llvm::StringMap<size_t> producer;
  size_t duplicates = 0;
  std::string firstDuplicate;
  for (size_t i = 0; i < n; ++i) {
    const auto &node = graph.node(i);
    llvm::StringSet<> own;
    for (const auto &out : node.output()) {
      if (out.empty())
        continue;
      if (!own.insert(out).second)
        return error(nodeDisplayName(node, i))
               << "lists output '" << out << "' twice";
      if (scope.values.count(out))
        return error(nodeDisplayName(node, i))
               << "output '" << out
               << "' redefines a graph input or initializer";
      auto [it, inserted] = producer.try_emplace(out, i);
      if (!inserted) {
        // Invalid SSA, but onnxruntime's test models patch constants this
        // way and its tools read them with the last definition winning.
        if (!duplicates++)
          firstDuplicate = "'" + out + "' by nodes '" +
                           nodeDisplayName(graph.node(it->second), it->second) +
                           "' and '" + nodeDisplayName(node, i) + "'";
        it->second = i;
      }
    }
  }
  if (duplicates)
    emitWarning(fileLoc) << duplicates
                         << " values are produced by more than one node "
                            "(first: "
                         << firstDuplicate
                         << "); the last producer in file order defines each";
  for (auto &[name, idx] : producer)
    definingNode[name] = &graph.node(idx);
  // Kahn's algorithm, keeping the file's order among ready nodes. Inputs
  // from enclosing graphs count as available.
  SmallVector<unsigned> pending(n, 0);
  SmallVector<SmallVector<size_t, 2>> users(n);
  for (size_t i = 0; i < n; ++i) {
    const auto &node = graph.node(i);
    auto deps = [&](const std::string &in) -> LogicalResult {
      if (in.empty())
        return success();
      auto it = producer.find(in);
      if (it != producer.end()) {
        ++pending[i];
        users[it->second].push_back(i);
        return success();
      }
      if (scope.lookup(in))
        return success();
      return error(nodeDisplayName(node, i))
             << "input '" << in
             << "' is not produced by any node, graph input or initializer";
    };
    for (const auto &in : node.input())
      if (failed(deps(in)))
        return failure();
    // Subgraphs may read this graph's values too.
    for (const auto &a : node.attribute()) {
      auto visitGraph = [&](const onnx::GraphProto &g, auto &self) -> void {
        llvm::StringSet<> local;
        for (const auto &i : g.input())
          local.insert(i.name());
        for (const auto &t : g.initializer())
          local.insert(t.name());
        for (const auto &sn : g.node())
          for (const auto &o : sn.output())
            local.insert(o);
        for (const auto &sn : g.node()) {
          for (const auto &in : sn.input())
            if (!in.empty() && !local.count(in)) {
              auto it = producer.find(in);
              if (it != producer.end() && it->second != i) {
                ++pending[i];
                users[it->second].push_back(i);
              }
            }
          for (const auto &sa : sn.attribute())
            if (sa.has_g())
              self(sa.g(), self);
        }
      };
      if (a.has_g())
        visitGraph(a.g(), visitGraph);
      for (const auto &g : a.graphs())
        visitGraph(g, visitGraph);
    }
  }
  SmallVector<size_t> order;
  order.reserve(n);
  // A min-heap on the original index keeps already-sorted graphs unchanged.
  std::vector<size_t> ready;
  for (size_t i = 0; i < n; ++i)
    if (!pending[i])
      ready.push_back(i);
  std::make_heap(ready.begin(), ready.end(), std::greater<size_t>());
  while (!ready.empty()) {
    std::pop_heap(ready.begin(), ready.end(), std::greater<size_t>());
    size_t i = ready.back();
    ready.pop_back();
    order.push_back(i);
    for (size_t u : users[i])
      if (--pending[u] == 0) {
        ready.push_back(u);
        std::push_heap(ready.begin(), ready.end(), std::greater<size_t>());
      }
  }
  if (order.size() != n) {
    for (size_t i = 0; i < n; ++i)
      if (pending[i])
        return error(nodeDisplayName(graph.node(i), i))
               << "the graph has a cycle through this node ("
               << graph.node(i).op_type() << "); " << n - order.size()
               << " nodes are on or behind cycles";
  }
  return order;
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

FailureOr<Attribute>
GraphImporter::convertAttribute(const onnx::AttributeProto &a,
                                llvm::StringRef nodeName) {
  using AP = onnx::AttributeProto;
  auto type = a.type();
  // Old exporters leave `type` unset; infer it from the field that is set.
  if (type == AP::UNDEFINED) {
    if (a.has_i())
      type = AP::INT;
    else if (a.has_f())
      type = AP::FLOAT;
    else if (a.has_s())
      type = AP::STRING;
    else if (a.has_t())
      type = AP::TENSOR;
    else if (a.has_g())
      type = AP::GRAPH;
    else if (a.ints_size())
      type = AP::INTS;
    else if (a.floats_size())
      type = AP::FLOATS;
    else if (a.strings_size())
      type = AP::STRINGS;
  }
  switch (type) {
  case AP::INT:
    return Attribute(builder.getI64IntegerAttr(a.i()));
  case AP::FLOAT:
    return Attribute(builder.getF32FloatAttr(a.f()));
  case AP::STRING:
    return Attribute(builder.getStringAttr(a.s()));
  case AP::INTS:
    return Attribute(builder.getDenseI64ArrayAttr(
        SmallVector<int64_t>(a.ints().begin(), a.ints().end())));
  case AP::FLOATS:
    return Attribute(builder.getDenseF32ArrayAttr(
        SmallVector<float>(a.floats().begin(), a.floats().end())));
  case AP::STRINGS: {
    SmallVector<Attribute> s;
    for (const auto &x : a.strings())
      s.push_back(builder.getStringAttr(x));
    return Attribute(builder.getArrayAttr(s));
  }
  case AP::TENSOR: {
    std::string err;
    auto t = convertTensorType(ctx, a.t(), loaded, err);
    if (failed(t))
      return error(nodeName) << "attribute '" << a.name() << "' " << err;
    auto data = convertTensorData(a.t(), *t, err);
    if (failed(data))
      return error(nodeName) << "attribute '" << a.name() << "' " << err;
    // A tensor whose data was not kept is described by its type alone.
    if (!*data)
      return Attribute(TypeAttr::get(*t));
    return Attribute(*data);
  }
  default:
    return Attribute();
  }
}

LogicalResult GraphImporter::importSubgraph(const onnx::GraphProto &g,
                                            Region &region, Scope &outer,
                                            llvm::StringRef nodeName) {
  Block *body = new Block();
  region.push_back(body);
  Scope scope;
  scope.parent = &outer;
  llvm::StringSet<> initNames;
  for (const auto &t : g.initializer())
    initNames.insert(t.name());
  for (const auto &in : g.input()) {
    if (initNames.count(in.name()))
      continue;
    auto type = typeOfValueInfo(in);
    if (failed(type))
      return failure();
    scope.values[in.name()] = body->addArgument(*type, nodeLoc(in.name()));
  }
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToEnd(body);
  enclosing.push_back(nodeLoc(nodeName));
  llvm::scope_exit popOwner([&] { enclosing.pop_back(); });
  return importGraph(g, body, scope, /*isMain=*/false);
}

LogicalResult GraphImporter::convertAttributes(
    const onnx::NodeProto &node, llvm::StringRef name, const OpSchema *schema,
    OperationState &state, Scope &scope, SmallVectorImpl<Type> *constantType) {
  llvm::StringRef opType = node.op_type();
  SmallVector<Attribute> subgraphNames;
  for (const auto &a : node.attribute()) {
    if (a.name().empty())
      return error(name) << "has an attribute without a name";
    if (a.has_ref_attr_name() && !a.ref_attr_name().empty())
      continue; // function attribute references: nothing to analyse
    if (a.has_g() || a.type() == onnx::AttributeProto::GRAPH) {
      subgraphNames.push_back(builder.getStringAttr(a.name()));
      Region *r = state.addRegion();
      if (failed(importSubgraph(a.g(), *r, scope, name)))
        return failure();
      continue;
    }
    if (a.graphs_size()) {
      for (const auto &g : a.graphs()) {
        subgraphNames.push_back(builder.getStringAttr(a.name()));
        Region *r = state.addRegion();
        if (failed(importSubgraph(g, *r, scope, name)))
          return failure();
      }
      continue;
    }
    std::string attrName = a.name();
    if (schema)
      for (const auto &rn : schema->renames)
        if (attrName == rn.onnxName)
          attrName = rn.mlirName;

    // Per-op special forms.
    if (schema && opType == "Cast" && a.name() == "to") {
      Type t = convertElementType(ctx, a.i());
      if (!t)
        return error(name) << "Cast to unsupported type " << onnxTypeName(a.i());
      state.addAttribute("to", TypeAttr::get(t));
      continue;
    }
    // Q/DQ's `output_dtype` (opset 21+) is a type too; 0 means unset.
    if (schema && a.name() == "output_dtype" &&
        (opType == QuantizeLinearOp::getONNXOpType() ||
         opType == DequantizeLinearOp::getONNXOpType())) {
      if (a.i() == 0)
        continue;
      Type t = convertElementType(ctx, a.i());
      if (!t)
        return error(name) << opType << " to unsupported type "
                           << onnxTypeName(a.i());
      state.addAttribute("output_dtype", TypeAttr::get(t));
      continue;
    }
    if (schema && opType == ConstantOp::getONNXOpType()) {
      auto attr = convertAttribute(a, name);
      if (failed(attr))
        return failure();
      Attribute v = *attr;
      RankedTensorType t;
      if (a.name() == "value") {
        if (auto typed = dyn_cast_or_null<TypeAttr>(v)) {
          t = cast<RankedTensorType>(typed.getValue());
          v = {};
        } else if (auto dense = dyn_cast_or_null<DenseElementsAttr>(v)) {
          t = cast<RankedTensorType>(dense.getType());
        }
      } else if (a.name() == "value_float") {
        t = RankedTensorType::get({}, builder.getF32Type());
        v = DenseElementsAttr::get(t, a.f());
      } else if (a.name() == "value_int") {
        t = RankedTensorType::get({}, builder.getI64Type());
        v = DenseElementsAttr::get(t, a.i());
      } else if (a.name() == "value_ints") {
        SmallVector<int64_t> xs(a.ints().begin(), a.ints().end());
        t = RankedTensorType::get({(int64_t)xs.size()}, builder.getI64Type());
        v = DenseElementsAttr::get(t, ArrayRef<int64_t>(xs));
      } else if (a.name() == "value_floats") {
        SmallVector<float> xs(a.floats().begin(), a.floats().end());
        t = RankedTensorType::get({(int64_t)xs.size()}, builder.getF32Type());
        v = DenseElementsAttr::get(t, ArrayRef<float>(xs));
      } else {
        return error(name) << "Constant with attribute '" << a.name()
                           << "' is not supported";
      }
      if (!t)
        return error(name) << "Constant has an invalid value";
      constantType->assign({t});
      if (v)
        state.addAttribute("value", v);
      continue;
    }
    auto attr = convertAttribute(a, name);
    if (failed(attr))
      return failure();
    if (!*attr) {
      emitWarning(nodeLoc(name)) << "attribute '" << a.name()
                                 << "' of an unsupported kind is dropped";
      continue;
    }
    Attribute v = *attr;
    // A tensor attribute whose data was skipped keeps only its type.
    if (auto typed = dyn_cast<TypeAttr>(v))
      if (schema && opType == ConstantOfShapeOp::getONNXOpType())
        return error(name) << "ConstantOfShape value is too large";
    state.addAttribute(attrName, v);
  }
  if (schema && opType == "Softmax" && !state.attributes.get("axis") &&
      defaultOpset < 13)
    state.addAttribute("axis", builder.getI64IntegerAttr(1));
  if (schema && !schema->regions.empty()) {
    // Graph attributes come in any order; the op's regions have one.
    SmallVector<std::unique_ptr<Region>> ordered;
    for (llvm::StringRef want : schema->regions) {
      auto *it = llvm::find_if(subgraphNames, [&](Attribute a) {
        return cast<StringAttr>(a).getValue() == want;
      });
      if (it == subgraphNames.end())
        return error(name) << opType << " needs the graph attribute '" << want
                           << "'";
      ordered.push_back(std::move(state.regions[it - subgraphNames.begin()]));
    }
    if (subgraphNames.size() != schema->regions.size())
      return error(name) << opType << " has " << subgraphNames.size()
                         << " graph attributes, expected "
                         << schema->regions.size();
    state.regions = std::move(ordered);
    subgraphNames.clear();
    for (llvm::StringRef r : schema->regions)
      subgraphNames.push_back(builder.getStringAttr(r));
  }
  if (!subgraphNames.empty())
    state.addAttribute("subgraph_names", builder.getArrayAttr(subgraphNames));
  if (schema && opType == ConstantOp::getONNXOpType() &&
      constantType->empty())
    return error(name) << "Constant has no value";
  return success();
}

//===----------------------------------------------------------------------===//
// Nodes
//===----------------------------------------------------------------------===//

LogicalResult GraphImporter::importNode(
    const onnx::NodeProto &node, llvm::StringRef name, Scope &scope,
    const llvm::StringMap<const onnx::NodeProto *> &definingNode) {
  llvm::StringRef domain = node.domain();
  llvm::StringRef opType = node.op_type();
  if (opType.empty())
    return error(name) << "has no op_type";
  std::string normDomain = domain == "ai.onnx" ? "" : domain.str();
  if (!opsets.count(normDomain) && !isWellKnownDomain(normDomain))
    return error(name) << "uses domain '" << domain
                       << "', which the model does not import (no opset_import "
                          "entry) and tfperf does not know";

  const OpSchema *schema = lookupOpSchema(normDomain, opType);
  if (!schema) {
    auto fn = functions.find((normDomain + "::" + opType).str());
    if (fn != functions.end())
      return inlineFunction(node, *fn->second, name, scope, definingNode);
  }
  const auto &inputs = node.input();
  const auto &outputs = node.output();
  // An op tfperf has no op for may be one ONNX defines by a function body.
  int64_t opset = bodyOpset ? bodyOpset : defaultOpset;
  // An attribute the node's opset does not define is an invalid model, not
  // one to cost by a later version's semantics.
  if (normDomain.empty())
    for (const auto &a : node.attribute())
      if (int64_t since = attributeSinceOpset(opType, a.name()); opset < since)
        return error(name) << opType << " has the attribute '" << a.name()
                           << "', which exists only from opset " << since
                           << "; the node's ai.onnx opset is " << opset;
  SchemaFunctionKind functionKind =
      !schema && normDomain.empty() ? lookupSchemaFunctionKind(opType, opset)
                                    : SchemaFunctionKind::None;
  if (schema) {
    bool variadicIn = !schema->inputs.empty() &&
                      schema->inputs.back().arity == Arity::Variadic;
    bool variadicOut = !schema->outputs.empty() &&
                       schema->outputs.back().arity == Arity::Variadic;
    bool tooMany = (!variadicIn && inputs.size() > (int)schema->inputs.size()) ||
                   (opType != ConstantOp::getONNXOpType() && !variadicOut &&
                    outputs.size() > (int)schema->outputs.size());
    if (tooMany) {
      emitWarning(nodeLoc(name))
          << opType << " has more inputs or outputs than tfperf models; "
          << "importing it as tfperf.custom (its cost is unknown)";
      schema = nullptr;
    }
  } else if (functionKind == SchemaFunctionKind::None) {
    InFlightDiagnostic warning = emitWarning(nodeLoc(name));
    warning << "unknown op " << (normDomain.empty() ? "" : normDomain + "::")
            << opType << " imported as tfperf.custom (its cost is unknown)";
    if (normDomain.empty())
      warning << "; " << describeMissingFunctionBody(opType, opset);
  }

  OperationState state(nodeLoc(name),
                       schema ? schema->mlirName : "tfperf.custom");
  // Operands.
  SmallVector<int32_t> segments;
  auto resolve = [&](const std::string &in) -> FailureOr<Value> {
    Value v = scope.lookup(in);
    if (!v)
      return error(name) << "input '" << in
                         << "' is not produced by any node, graph input or "
                            "initializer";
    return v;
  };
  if (schema) {
    if (schema->inputs.empty() && !inputs.empty() &&
        opType == ConstantOp::getONNXOpType())
      return error(name) << "Constant takes no inputs";
    for (size_t i = 0; i < schema->inputs.size(); ++i) {
      const IOSpec &spec = schema->inputs[i];
      if (spec.arity == Arity::Variadic) {
        int32_t count = 0;
        for (size_t j = i; j < (size_t)inputs.size(); ++j) {
          if (inputs[j].empty())
            return error(name) << opType << " input " << j << " is empty";
          auto v = resolve(inputs[j]);
          if (failed(v))
            return failure();
          state.addOperands(*v);
          ++count;
        }
        if (count == 0)
          return error(name) << opType << " needs at least one input";
        segments.push_back(count);
        break;
      }
      bool present = i < (size_t)inputs.size() && !inputs[i].empty();
      if (!present && spec.arity == Arity::Required)
        return error(name) << opType << " input " << i << " ('" << spec.name
                           << "') is required but "
                           << (i < (size_t)inputs.size() ? "empty" : "missing");
      if (present) {
        auto v = resolve(inputs[i]);
        if (failed(v))
          return failure();
        state.addOperands(*v);
      }
      segments.push_back(present ? 1 : 0);
    }
    if (schema->needsOperandSegments())
      state.addAttribute("operandSegmentSizes",
                         builder.getDenseI32ArrayAttr(segments));
  } else {
    for (const auto &in : inputs) {
      if (in.empty())
        continue; // absent optional input of an op we do not model
      auto v = resolve(in);
      if (failed(v))
        return failure();
      state.addOperands(*v);
    }
    state.addAttribute("op_type", builder.getStringAttr(opType));
    state.addAttribute("domain", builder.getStringAttr(domain));
  }

  // Attributes (and subgraph regions).
  SmallVector<Type, 1> constantType;
  if (failed(convertAttributes(node, name, schema, state, scope, &constantType)))
    return failure();
  if (!schema && state.regions.empty())
    state.attributes.erase("subgraph_names");

  // Results: typed from value_info where given; inference refines them.
  auto placeholder = [&](const std::string &out) -> Type {
    // A function body's names are its own: the graph's value_info does not
    // describe them.
    auto it = callers.empty() ? valueInfos.find(out) : valueInfos.end();
    if (it != valueInfos.end() && it->second->has_type() &&
        it->second->type().has_tensor_type()) {
      // A bad declaration is reported when shapes are checked against it.
      std::string ignored;
      if (Type t = convertValueInfoType(*it->second, ignored))
        return t;
    }
    return UnrankedTensorType::get(builder.getF32Type());
  };
  SmallVector<std::string> resultNames;
  if (schema && opType == ConstantOp::getONNXOpType()) {
    if (outputs.size() != 1 || outputs[0].empty())
      return error(name) << "Constant must have exactly one output";
    state.addTypes(constantType);
    resultNames.push_back(outputs[0]);
  } else if (schema) {
    // Every output up to the last one used becomes a result; with several
    // optional outputs, absent ones in the middle are results nobody uses.
    size_t lastUsed = 0;
    for (size_t i = 0; i < (size_t)outputs.size(); ++i)
      if (!outputs[i].empty())
        lastUsed = i + 1;
    bool tail = schema->hasOptionalOutputTail();
    for (size_t i = 0; i < schema->outputs.size(); ++i) {
      const IOSpec &spec = schema->outputs[i];
      if (spec.arity == Arity::Variadic) {
        size_t count = 0;
        for (size_t j = i; j < (size_t)outputs.size(); ++j, ++count) {
          state.addTypes(placeholder(outputs[j]));
          resultNames.push_back(outputs[j]);
        }
        if (count == 0)
          return error(name) << opType << " needs at least one output";
        break;
      }
      bool present = i < (size_t)outputs.size() && !outputs[i].empty();
      if (!present && spec.arity == Arity::Required)
        return error(name) << opType << " output " << i << " ('" << spec.name
                           << "') is required but missing";
      if (present || (tail && i < lastUsed)) {
        state.addTypes(placeholder(present ? outputs[i] : ""));
        resultNames.push_back(present ? outputs[i] : "");
      }
    }
  } else {
    for (const auto &out : outputs) {
      state.addTypes(placeholder(out));
      resultNames.push_back(out);
    }
  }

  if (recordValueNames) {
    SmallVector<Attribute> names;
    for (auto &n : resultNames)
      names.push_back(builder.getStringAttr(n));
    state.addAttribute("tfperf.onnx_outputs", builder.getArrayAttr(names));
  }
  Operation *op = builder.create(state);
  // An attribute of the wrong kind (a string `axis`) is dropped by op
  // creation and would leave the op without it, or with a null where a
  // default was: reject it by name instead.
  for (const NamedAttribute &na : state.attributes) {
    std::optional<Attribute> kept = op->getInherentAttr(na.getName());
    if (kept && *kept != na.getValue()) {
      op->erase();
      return error(name) << "attribute '" << na.getName().getValue()
                         << "' has the wrong type for " << opType;
    }
  }
  for (auto [res, out] : llvm::zip(op->getResults(), resultNames))
    if (!out.empty() && definingNode.lookup(out) == &node) {
      scope.values[out] = res;
      producers[out] = name.str();
    }
  if (functionKind != SchemaFunctionKind::None)
    pendingExpansions.push_back(
        {op, node, name.str(), opset, functionKind, expansionDepth});
  return success();
}

LogicalResult GraphImporter::importNodes(const onnx::GraphProto &graph,
                                         Scope &scope, llvm::StringRef prefix) {
  llvm::StringMap<const onnx::NodeProto *> definingNode;
  auto order = sortNodes(graph, scope, definingNode);
  if (failed(order))
    return failure();
  for (size_t i : *order) {
    const onnx::NodeProto &node = graph.node(i);
    std::string name = (prefix + nodeDisplayName(node, i)).str();
    if (failed(importNode(node, name, scope, definingNode)))
      return failure();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Model-local functions
//===----------------------------------------------------------------------===//

LogicalResult GraphImporter::inlineFunction(
    const onnx::NodeProto &node, const onnx::FunctionProto &fn,
    llvm::StringRef name, Scope &scope,
    const llvm::StringMap<const onnx::NodeProto *> &definingNode) {
  // A function sees only its inputs (an absent optional one stays absent).
  SmallVector<Value> args;
  for (const std::string &in : node.input()) {
    Value v = in.empty() ? Value() : scope.lookup(in);
    if (!in.empty() && !v)
      return error(name) << "input '" << in
                         << "' is not produced by any node, graph input or "
                            "initializer";
    args.push_back(v);
  }
  auto results = importFunctionBody(node, fn, name, nodeLoc(name), args);
  if (failed(results))
    return failure();
  for (auto [out, v] : llvm::zip(node.output(), *results))
    if (v && definingNode.lookup(out) == &node) {
      scope.values[out] = v;
      producers[out] = name.str();
    }
  return success();
}

FailureOr<SmallVector<Value>> GraphImporter::importFunctionBody(
    const onnx::NodeProto &node, const onnx::FunctionProto &fn,
    llvm::StringRef name, Location callLoc, llvm::ArrayRef<Value> args) {
  // Deep enough for any real nesting; a function that calls itself stops.
  constexpr size_t kMaxCallDepth = 32;
  if (callers.size() + expansionDepth >= kMaxCallDepth)
    return emitError(callers.empty() ? callLoc : callers.front())
           << "calls function '" << fn.name() << "' nested more than "
           << kMaxCallDepth << " deep (a recursive function?)";
  if (node.input_size() > fn.input_size() ||
      node.output_size() > fn.output_size())
    return emitError(callLoc)
           << "passes " << node.input_size() << " inputs and "
           << node.output_size() << " outputs to function '" << fn.name()
           << "', which has " << fn.input_size() << " and "
           << fn.output_size();
  // The body with the call's attributes in place of references to them.
  onnx::GraphProto body;
  for (const auto &inner : fn.node()) {
    onnx::NodeProto *n = body.add_node();
    *n = inner;
    n->clear_attribute();
    for (const auto &a : inner.attribute()) {
      if (!a.has_ref_attr_name() || a.ref_attr_name().empty()) {
        *n->add_attribute() = a;
        continue;
      }
      for (const auto &given : node.attribute())
        if (given.name() == a.ref_attr_name()) {
          onnx::AttributeProto *bound = n->add_attribute();
          *bound = given;
          bound->set_name(a.name());
        }
    }
  }
  Scope inner;
  for (auto [i, v] : llvm::enumerate(args))
    if (v)
      inner.values[fn.input(i)] = v;
  int64_t outerOpset = bodyOpset;
  for (const auto &o : fn.opset_import()) {
    // A std::string: the conditional yields a temporary string that a
    // StringRef would outlive.
    std::string domain = o.domain() == "ai.onnx" ? "" : o.domain();
    opsets.try_emplace(domain, o.version());
    if (domain.empty())
      bodyOpset = o.version();
  }
  callers.push_back(callLoc);
  enclosing.push_back(callLoc);
  llvm::scope_exit popCaller([&] {
    callers.pop_back();
    enclosing.pop_back();
    bodyOpset = outerOpset;
  });
  if (failed(importNodes(body, inner, (name + "/").str())))
    return failure();
  SmallVector<Value> results;
  for (int i = 0; i < node.output_size(); ++i) {
    if (node.output(i).empty()) {
      results.push_back({});
      continue;
    }
    Value v = inner.lookup(fn.output(i));
    if (!v)
      return error(name) << "function '" << fn.name() << "' output '"
                         << fn.output(i) << "' is not produced by its body";
    results.push_back(v);
  }
  return results;
}

//===----------------------------------------------------------------------===//
// ONNX ops defined as functions
//===----------------------------------------------------------------------===//

/// What inference knows of a value's type, as ONNX's function builders read
/// it (an empty TypeProto where nothing is known).
static onnx::TypeProto typeProtoOf(Value v, ShapeContext &shapes) {
  onnx::TypeProto type;
  const TensorInfo &info = shapes.get(v);
  int32_t elementType = info.elementType ? onnxElementType(info.elementType) : 0;
  if (!elementType)
    return type;
  auto *tensor = type.mutable_tensor_type();
  tensor->set_elem_type(elementType);
  if (info.ranked) {
    auto *shape = tensor->mutable_shape();
    for (const SymExpr &d : info.dims) {
      auto *dim = shape->add_dim();
      if (d.isConstant())
        dim->set_dim_value(d.getConstant());
    }
  }
  return type;
}

LogicalResult GraphImporter::expandSchemaFunctions(func::FuncOp func,
                                                   const DimBindings &bindings,
                                                   Scope &scope) {
  // The graph names of each value, moved to what replaces a result before
  // its op is erased: an erased value's storage may be reused by an op
  // created later, so no erased value may stay a key.
  llvm::DenseMap<Value, SmallVector<llvm::StringRef>> namesOf;
  for (auto &entry : scope.values)
    if (entry.second)
      namesOf[entry.second].push_back(entry.first());
  while (!pendingExpansions.empty()) {
    SmallVector<PendingExpansion> batch = std::move(pendingExpansions);
    pendingExpansions.clear();
    // Context-dependent bodies read their input types: infer what can be,
    // quietly (the final inference reports any error).
    ShapeContext shapes;
    if (llvm::any_of(batch, [](const PendingExpansion &p) {
          return p.kind == SchemaFunctionKind::ContextDependent;
        })) {
      ScopedDiagnosticHandler quiet(ctx, [](Diagnostic &) { return success(); });
      (void)inferFunction(func, bindings, shapes, /*updateTypes=*/false);
    }
    for (PendingExpansion &p : batch) {
      Operation *op = p.op;
      SmallVector<Value> args;
      SmallVector<onnx::TypeProto> types;
      unsigned operand = 0;
      for (const std::string &in : p.node.input()) {
        Value v = in.empty() ? Value() : op->getOperand(operand++);
        args.push_back(v);
        types.push_back(v ? typeProtoOf(v, shapes) : onnx::TypeProto());
      }
      onnx::FunctionProto body;
      std::string note;
      if (failed(buildSchemaFunction(p.node, p.opset, types, body, note))) {
        emitWarning(op->getLoc())
            << "unknown op " << p.node.op_type()
            << " imported as tfperf.custom (its cost is unknown): " << note;
        continue;
      }
      emitRemark(op->getLoc())
          << p.node.op_type() << " has no tfperf cost model: expanded into "
          << note << " (" << body.node_size() << " nodes)";
      builder.setInsertionPoint(op);
      expansionDepth = p.depth + 1;
      auto results =
          importFunctionBody(p.node, body, p.name, op->getLoc(), args);
      expansionDepth = 0;
      if (failed(results))
        return failure();
      for (auto [res, v] : llvm::zip(op->getResults(), *results)) {
        if (!v && !res.use_empty())
          return emitError(op->getLoc())
                 << "the function body of " << p.node.op_type()
                 << " does not produce an output the graph uses";
        if (v)
          res.replaceAllUsesWith(v);
        auto named = namesOf.find(res);
        if (named == namesOf.end())
          continue;
        SmallVector<llvm::StringRef> names = std::move(named->second);
        namesOf.erase(named);
        for (llvm::StringRef n : names)
          scope.values[n] = v;
        if (v)
          llvm::append_range(namesOf[v], names);
      }
      op->erase();
    }
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Graphs
//===----------------------------------------------------------------------===//

LogicalResult GraphImporter::importGraph(const onnx::GraphProto &graph,
                                         Block *body, Scope &scope,
                                         bool isMain) {
  for (const auto &vi : graph.value_info())
    if (!vi.name().empty())
      valueInfos[vi.name()] = &vi;
  for (const auto &vi : graph.output())
    if (!vi.name().empty() && vi.has_type())
      valueInfos.try_emplace(vi.name(), &vi);
  for (const auto &t : graph.initializer()) {
    if (scope.values.count(t.name()) && !isMain)
      continue;
    if (failed(importInitializer(t, scope)))
      return failure();
  }
  for (auto [i, node] : llvm::enumerate(graph.node())) {
    auto it = loaded.oversizedNodes.find(&node);
    if (it == loaded.oversizedNodes.end())
      continue;
    auto [ins, outs] = it->second;
    bool tooManyIns = ins > kMaxNodeIO;
    return error(nodeDisplayName(node, i))
           << "has " << (tooManyIns ? ins : outs)
           << (tooManyIns ? " inputs" : " outputs")
           << ", more than tfperf accepts (" << kMaxNodeIO << ")";
  }
  if (failed(importNodes(graph, scope, "")))
    return failure();
  SmallVector<Value> results;
  llvm::StringSet<> outputNames;
  for (const auto &out : graph.output()) {
    if (!outputNames.insert(out.name()).second)
      return error() << "graph output '" << out.name() << "' is listed twice";
    Value v = scope.lookup(out.name());
    if (!v)
      return error() << "graph output '" << out.name()
                     << "' is not produced by any node, input or initializer";
    results.push_back(v);
  }
  if (isMain)
    func::ReturnOp::create(builder, fileLoc, results);
  else
    YieldOp::create(builder, fileLoc, results);
  return success();
}

/// Compares inferred shapes with the static dims the model declares for its
/// outputs and value_info entries. A Constant's tensor defines its value the
/// way an initializer does (onnxruntime turns Constants into initializers,
/// whose type wins over value_info), so a value_info that disagrees with a
/// Constant's tensor is a warning, not an error: onnxruntime-genai's builder
/// declares every constant with an empty shape (rank 0), 1-D ones included.
LogicalResult GraphImporter::checkDeclaredShapes(const onnx::GraphProto &graph,
                                                 Scope &scope,
                                                 ShapeContext &shapes) {
  // The mismatch between `vi` and what was inferred, or "".
  auto mismatch = [&](const onnx::ValueInfoProto &vi, Value v) -> std::string {
    const TensorInfo &info = shapes.get(v);
    if (!info.ranked)
      return "";
    const auto &shape = vi.type().tensor_type().shape();
    std::string msg;
    llvm::raw_string_ostream os(msg);
    if (shape.dim_size() != (int)info.dims.size()) {
      os << "declared with rank " << shape.dim_size()
         << " but inferred with rank " << info.dims.size();
      return msg;
    }
    for (int i = 0; i < shape.dim_size(); ++i) {
      const auto &d = shape.dim(i);
      if (!d.has_dim_value() || !info.dims[i].isConstant())
        continue;
      if (info.dims[i].getConstant() != d.dim_value()) {
        os << "declared with dim " << i << " = " << d.dim_value()
           << " but inferred as " << info.dims[i];
        return msg;
      }
    }
    return msg;
  };
  unsigned constantMismatches = 0;
  std::string firstConstant;
  auto check = [&](const onnx::ValueInfoProto &vi, bool isOutput) -> LogicalResult {
    if (!vi.has_type() || !vi.type().has_tensor_type() ||
        !vi.type().tensor_type().has_shape())
      return success();
    Value v = scope.lookup(vi.name());
    if (!v)
      return success();
    std::string msg = mismatch(vi, v);
    if (msg.empty())
      return success();
    if (!isOutput && v.getDefiningOp<ConstantOp>()) {
      if (constantMismatches++ == 0)
        firstConstant = "'" + vi.name() + "' is " + msg;
      return success();
    }
    auto it = producers.find(vi.name());
    return error(it == producers.end() ? llvm::StringRef() : it->second)
           << "inconsistent shapes: " << (isOutput ? "output" : "value")
           << " '" << vi.name() << "' is " << msg;
  };
  for (const auto &vi : graph.output())
    if (failed(check(vi, true)))
      return failure();
  for (const auto &vi : graph.value_info())
    if (failed(check(vi, false)))
      return failure();
  if (constantMismatches)
    emitWarning(fileLoc) << constantMismatches
                         << " value_info entries disagree with the Constant "
                            "that defines their value (e.g. "
                         << firstConstant
                         << "); the Constant's tensor wins, as in onnxruntime";
  return success();
}

/// What inference learnt about how often control-flow regions run: a
/// condition that folded, a Loop's trip count, a search's bound beams; and
/// how many keys of a shared past buffer are valid. The cost analysis reads
/// it from the ops (it has no ShapeContext).
static void recordControlFlow(func::FuncOp func, ShapeContext &shapes) {
  Builder b(func.getContext());
  func.walk([&](Operation *op) {
    if (auto ifOp = dyn_cast<IfOp>(op)) {
      if (std::optional<bool> taken = ifOp.foldCondition(shapes))
        ifOp.setConditionValueAttr(b.getBoolAttr(*taken));
    } else if (auto loop = dyn_cast<LoopOp>(op)) {
      // Inference already ran it, so it cannot fail here.
      FailureOr<SymExpr> trips = loop.inferTripCount(shapes);
      if (succeeded(trips))
        loop.setTripCountAttr(b.getStringAttr(trips->str()));
    } else if (isSearchOp(op)) {
      recordBoundBeams(op, shapes);
    } else {
      recordSharedPastLength(op, shapes);
    }
  });
}

OwningOpRef<ModuleOp> GraphImporter::run(const ImportOptions &options) {
  const onnx::ModelProto &model = loaded.model;
  if (!model.has_graph())
    return (error() << "the model has no graph (not an ONNX model?)", nullptr);
  std::string bindError;
  auto bindings = DimBindings::parse(options.bindDims, bindError);
  if (!bindings)
    return (error() << "--bind-dims: " << bindError, nullptr);
  if (failed(checkOpsets()))
    return nullptr;
  for (const auto &fn : model.functions())
    functions[(llvm::Twine(fn.domain() == "ai.onnx" ? "" : fn.domain()) +
               "::" + fn.name())
                  .str()] = &fn;

  const onnx::GraphProto &graph = model.graph();
  if (graph.output_size() == 0)
    return (error() << "the graph has no outputs", nullptr);
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  (*module)->setAttr("tfperf.source", builder.getStringAttr(
                                          llvm::sys::path::filename(fileName)));
  if (!model.producer_name().empty())
    (*module)->setAttr("tfperf.producer",
                       builder.getStringAttr(model.producer_name() + " " +
                                             model.producer_version()));
  (*module)->setAttr("tfperf.opset", builder.getI64IntegerAttr(defaultOpset));
  builder.setInsertionPointToEnd(module->getBody());

  // Arguments: graph inputs that are not initializers.
  llvm::StringSet<> initNames;
  for (const auto &t : graph.initializer())
    initNames.insert(t.name());
  SmallVector<Type> argTypes;
  SmallVector<const onnx::ValueInfoProto *> argInfos;
  llvm::StringSet<> inputNames;
  for (const auto &in : graph.input()) {
    if (initNames.count(in.name()))
      continue;
    if (in.name().empty())
      return (error() << "a graph input has no name", nullptr);
    if (!inputNames.insert(in.name()).second)
      return (error() << "graph input '" << in.name() << "' is listed twice",
              nullptr);
    auto t = typeOfValueInfo(in);
    if (failed(t))
      return nullptr;
    argTypes.push_back(*t);
    argInfos.push_back(&in);
  }
  std::string funcName = graph.name().empty() ? "main_graph" : graph.name();
  auto func = func::FuncOp::create(builder, fileLoc, funcName,
                                   builder.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  Scope scope;
  for (auto [i, vi] : llvm::enumerate(argInfos)) {
    scope.values[vi->name()] = body->getArgument(i);
    func.setArgAttr(i, kNameAttr, builder.getStringAttr(vi->name()));
    // Scalar integer inputs (max_length, num_beams) carry a value symbol.
    if (auto rt = dyn_cast<RankedTensorType>(argTypes[i]))
      if (rt.hasStaticShape() && rt.getNumElements() == 1 &&
          rt.getElementType().isInteger())
        func.setArgAttr(i, kValueSymbolAttr, builder.getStringAttr(vi->name()));
  }
  builder.setInsertionPointToEnd(body);
  if (failed(importGraph(graph, body, scope, /*isMain=*/true)) ||
      failed(expandSchemaFunctions(func, *bindings, scope)))
    return nullptr;
  func.setType(builder.getFunctionType(
      argTypes, body->getTerminator()->getOperandTypes()));
  for (auto [i, out] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, kNameAttr, builder.getStringAttr(out.name()));

  ShapeContext shapes;
  if (failed(inferFunction(func, *bindings, shapes, /*updateTypes=*/true)))
    return nullptr;
  recordControlFlow(func, shapes);
  if (failed(checkDeclaredShapes(graph, scope, shapes)))
    return nullptr;
  if (failed(verify(*module)))
    return nullptr;
  return module;
}

//===----------------------------------------------------------------------===//
// Public API
//===----------------------------------------------------------------------===//

OwningOpRef<ModuleOp> mlir::tfperf::importONNX(llvm::MemoryBufferRef buffer,
                                               llvm::StringRef fileName,
                                               MLIRContext *context,
                                               const ImportOptions &options) {
  context->loadDialect<TFPerfDialect, func::FuncDialect>();
  std::string err;
  ModelFormat format = detectModelFormat(fileName, buffer.getBuffer());
  auto loaded = loadModel(buffer.getBuffer(), format, err);
  if (!loaded) {
    emitError(FileLineColLoc::get(context, fileName, 0, 0)) << err;
    return nullptr;
  }
  GraphImporter importer(context, fileName, *loaded, options.recordValueNames);
  return importer.run(options);
}

namespace {
/// Lets the analyses read an ONNX model besides the input (a draft model)
/// without linking the importer (ModelReader.h).
struct ONNXModelReader : public ModelReaderInterface {
  using ModelReaderInterface::ModelReaderInterface;
  bool reads(llvm::StringRef fileName,
             llvm::StringRef contents) const override {
    return isONNXInput(fileName, contents);
  }
  OwningOpRef<ModuleOp> read(llvm::MemoryBufferRef buffer,
                             llvm::StringRef fileName,
                             MLIRContext *context) const override {
    return importONNX(buffer, fileName, context);
  }
};
} // namespace

void mlir::tfperf::registerImportDialects(DialectRegistry &registry) {
  registry.insert<TFPerfDialect, func::FuncDialect>();
  registry.addExtension(+[](MLIRContext *, TFPerfDialect *dialect) {
    dialect->addInterfaces<ONNXModelReader>();
  });
}

bool mlir::tfperf::isONNXInput(llvm::StringRef fileName,
                               llvm::StringRef contents) {
  llvm::StringRef ext = llvm::sys::path::extension(fileName);
  if (ext.equals_insensitive(".mlir") || ext.equals_insensitive(".mlirbc"))
    return false;
  for (const char *e : {".onnx", ".onnxtxt", ".pbtxt", ".textproto", ".txtpb",
                        ".prototxt", ".json", ".pb"})
    if (ext.equals_insensitive(e))
      return true;
  return looksLikeBinaryModel(contents);
}
