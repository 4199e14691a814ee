//===- ModelLoader.cpp - reading ONNX ModelProtos without weights ---------===//
//
// The binary path walks Model/Graph/Node/Attribute/Tensor messages with a
// minimal wire reader (varints and length-delimited spans, 64-bit offsets, so
// files above protobuf's 2 GB message limit are walked too). Runs of fields
// that need no special handling are handed, without copying, to the
// generated parser (MergePartialFromArray). Tensor payload fields (raw_data
// and the typed data arrays) are parsed only for small integer tensors that
// shape computations may read and for small float scalars; everything else is
// skipped and only its size is recorded.
//
//===----------------------------------------------------------------------===//

#include "ModelLoader.h"
#include "tfperf/Support/SymExpr.h"

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "llvm/Support/Path.h"

using namespace mlir::tfperf::onnximport;

namespace {

constexpr unsigned kMaxNesting = 64;
/// Integer tensors up to this many elements keep their data. (Sparse images,
/// ModelFile.cpp, leave payloads of 64 KiB and more unread: stay below.)
constexpr uint64_t kMaxKeptIntElements = 4096;
/// Float Constant nodes this small keep their data (scales, epsilons, and
/// the clamp bounds some exporters use in shape arithmetic).
constexpr uint64_t kMaxKeptFloatElements = 64;
/// Float initializers are weights: only scalars keep their data.
constexpr uint64_t kMaxKeptFloatInitializerElements = 1;

/// A field of a message at the wire level.
struct WireField {
  uint32_t number = 0;
  uint32_t wireType = 0;
  uint64_t varint = 0;       // wire type 0
  const char *begin = nullptr; // whole field, tag included
  const char *payload = nullptr; // wire type 2: the bytes; 1/5: the value
  uint64_t payloadSize = 0;
  const char *end = nullptr;
};

class WireReader {
public:
  WireReader(const char *begin, const char *end, const char *base)
      : p(begin), end(end), base(base) {}

  bool atEnd() const { return p >= end; }

  /// Reads the next field; on failure sets `error`.
  bool next(WireField &f, std::string &error, llvm::StringRef msgName) {
    f.begin = p;
    uint64_t tag;
    if (!readVarint(tag)) {
      error = "truncated tag in " + msgName.str() + " at byte " + offset();
      return false;
    }
    f.number = static_cast<uint32_t>(tag >> 3);
    f.wireType = static_cast<uint32_t>(tag & 7);
    if (f.number == 0 || (tag >> 3) > 0x1fffffff) {
      error = "invalid field number in " + msgName.str() + " at byte " +
              offset(f.begin);
      return false;
    }
    switch (f.wireType) {
    case 0:
      if (!readVarint(f.varint)) {
        error = "truncated varint in " + msgName.str() + " at byte " + offset();
        return false;
      }
      break;
    case 1:
    case 5: {
      uint64_t n = f.wireType == 1 ? 8 : 4;
      if ((uint64_t)(end - p) < n) {
        error = "truncated fixed-width field in " + msgName.str() +
                " at byte " + offset();
        return false;
      }
      f.payload = p;
      f.payloadSize = n;
      p += n;
      break;
    }
    case 2: {
      uint64_t len;
      if (!readVarint(len) || len > (uint64_t)(end - p)) {
        error = "field " + std::to_string(f.number) + " of " + msgName.str() +
                " at byte " + offset(f.begin) +
                " extends past the end of the data (truncated file?)";
        return false;
      }
      f.payload = p;
      f.payloadSize = len;
      p += len;
      break;
    }
    default:
      error = "invalid wire type " + std::to_string(f.wireType) + " in " +
              msgName.str() + " at byte " + offset(f.begin) +
              " (not an ONNX protobuf?)";
      return false;
    }
    f.end = p;
    return true;
  }

private:
  bool readVarint(uint64_t &v) {
    return decodeVarint(
        [&](uint8_t &b) {
          if (p >= end)
            return false;
          b = static_cast<uint8_t>(*p++);
          return true;
        },
        v);
  }
  std::string offset(const char *at = nullptr) const {
    return std::to_string((at ? at : p) - base);
  }

  const char *p, *end, *base;
};

/// Parses wire bytes into `msg`, adding to what it holds already.
bool mergeBytes(google::protobuf::MessageLite &msg, const char *b,
                const char *e) {
  if (e - b > INT32_MAX)
    return false;
  google::protobuf::io::CodedInputStream in(
      reinterpret_cast<const uint8_t *>(b), int(e - b));
  return msg.MergePartialFromCodedStream(&in) && in.ConsumedEntireMessage();
}

/// Accumulates a contiguous run of ordinary fields and merges it into a
/// message in one call.
class RunMerger {
public:
  explicit RunMerger(google::protobuf::MessageLite &msg) : msg(msg) {}
  void add(const WireField &f) {
    if (!runBegin)
      runBegin = f.begin;
    runEnd = f.end;
  }
  bool flush() {
    if (!runBegin)
      return true;
    bool ok = mergeBytes(msg, runBegin, runEnd);
    runBegin = runEnd = nullptr;
    return ok;
  }

private:
  google::protobuf::MessageLite &msg;
  const char *runBegin = nullptr, *runEnd = nullptr;
};

class Walker {
public:
  Walker(const char *base, LoadedModel &out, std::string &error)
      : base(base), out(out), error(error) {}

  bool model(const char *b, const char *e) {
    WireReader r(b, e, base);
    onnx::ModelProto &m = out.model;
    RunMerger rest(m);
    while (!r.atEnd()) {
      WireField f;
      if (!r.next(f, error, "ModelProto"))
        return false;
      if (f.number == 7 && f.wireType == 2) {
        if (!rest.flush() ||
            !graph(f.payload, f.payload + f.payloadSize, *m.mutable_graph(), 0))
          return fail("ModelProto");
        continue;
      }
      rest.add(f);
    }
    return rest.flush() || fail("ModelProto");
  }

private:
  bool fail(llvm::StringRef what) {
    if (error.empty())
      error = "malformed " + what.str() + " (protobuf parse error)";
    return false;
  }

  bool graph(const char *b, const char *e, onnx::GraphProto &g, unsigned depth) {
    if (depth > kMaxNesting) {
      error = "subgraphs are nested more than " + std::to_string(kMaxNesting) +
              " levels deep";
      return false;
    }
    WireReader r(b, e, base);
    RunMerger rest(g);
    while (!r.atEnd()) {
      WireField f;
      if (!r.next(f, error, "GraphProto"))
        return false;
      if (f.number == 1 && f.wireType == 2) {
        if (!rest.flush() ||
            !node(f.payload, f.payload + f.payloadSize, *g.add_node(), depth))
          return fail("NodeProto");
        continue;
      }
      if (f.number == 5 && f.wireType == 2) {
        if (!rest.flush() ||
            !tensor(f.payload, f.payload + f.payloadSize, *g.add_initializer(),
                    /*isInitializer=*/true))
          return fail("TensorProto (initializer)");
        continue;
      }
      if ((f.number == 11 || f.number == 12 || f.number == 13) &&
          f.wireType == 2 &&
          !checkValueInfo(f.payload, f.payload + f.payloadSize,
                          f.number == 11   ? "graph input"
                          : f.number == 12 ? "graph output"
                                           : "value"))
        return false;
      rest.add(f);
    }
    return rest.flush() || fail("GraphProto");
  }

  bool node(const char *b, const char *e, onnx::NodeProto &n, unsigned depth) {
    // Count inputs and outputs first: the importer rejects a node with 10^6
    // of them by name, and such lists are never parsed.
    uint64_t ins = 0, outs = 0;
    forEachField(b, e, [&](const WireField &f) {
      ins += f.number == 1;
      outs += f.number == 2;
    });
    bool oversized = ins > kMaxNodeIO || outs > kMaxNodeIO;
    if (oversized)
      out.oversizedNodes[&n] = {ins, outs};
    WireReader r(b, e, base);
    RunMerger rest(n);
    while (!r.atEnd()) {
      WireField f;
      if (!r.next(f, error, "NodeProto"))
        return false;
      if (oversized && (f.number == 1 || f.number == 2)) {
        if (!rest.flush())
          return fail("NodeProto");
        continue;
      }
      if (f.number == 5 && f.wireType == 2) {
        if (!rest.flush() || !attribute(f.payload, f.payload + f.payloadSize,
                                        *n.add_attribute(), depth))
          return fail("AttributeProto");
        continue;
      }
      rest.add(f);
    }
    return rest.flush() || fail("NodeProto");
  }

  bool attribute(const char *b, const char *e, onnx::AttributeProto &a,
                 unsigned depth) {
    WireReader r(b, e, base);
    RunMerger rest(a);
    while (!r.atEnd()) {
      WireField f;
      if (!r.next(f, error, "AttributeProto"))
        return false;
      const char *pb = f.payload, *pe = f.payload + f.payloadSize;
      bool ok = true, special = f.wireType == 2;
      if (special && f.number == 5)
        ok = rest.flush() && tensor(pb, pe, *a.mutable_t());
      else if (special && f.number == 10)
        ok = rest.flush() && tensor(pb, pe, *a.add_tensors());
      else if (special && f.number == 6)
        ok = rest.flush() && graph(pb, pe, *a.mutable_g(), depth + 1);
      else if (special && f.number == 11)
        ok = rest.flush() && graph(pb, pe, *a.add_graphs(), depth + 1);
      else
        special = false;
      if (!ok)
        return fail("AttributeProto");
      if (!special)
        rest.add(f);
    }
    return rest.flush() || fail("AttributeProto");
  }

  /// Calls `fn` on every field of a message while the wire reads cleanly
  /// (what does not read cleanly is reported by the real parse).
  void forEachField(const char *b, const char *e,
                    llvm::function_ref<void(const WireField &)> fn) {
    WireReader r(b, e, base);
    std::string ignored;
    WireField f;
    while (!r.atEnd() && r.next(f, ignored, ""))
      fn(f);
  }

  /// Fails on a ValueInfoProto whose shape lists more than kMaxRank dims,
  /// before protobuf allocates a message for each of them.
  bool checkValueInfo(const char *b, const char *e, llvm::StringRef what) {
    std::string name;
    uint64_t dims = 0;
    forEachField(b, e, [&](const WireField &f) {
      if (f.wireType != 2)
        return;
      if (f.number == 1)
        name.assign(f.payload, f.payloadSize);
      else if (f.number == 2)
        dims = std::max(dims, countShapeDims(f.payload,
                                             f.payload + f.payloadSize, 0));
    });
    if (dims <= (uint64_t)mlir::tfperf::kMaxRank)
      return true;
    error = what.str() + " '" + name + "' has rank " + std::to_string(dims) +
            ", more than tfperf accepts (" +
            std::to_string(mlir::tfperf::kMaxRank) + ")";
    return false;
  }

  /// The most dims any tensor shape inside a TypeProto lists.
  uint64_t countShapeDims(const char *b, const char *e, unsigned depth) {
    uint64_t most = 0;
    if (depth > kMaxNesting)
      return most;
    // Calls `fn` on the payload of each field `number` of a message.
    auto each = [&](const char *mb, const char *me, uint32_t number,
                    llvm::function_ref<void(const char *, const char *)> fn) {
      forEachField(mb, me, [&](const WireField &f) {
        if (f.number == number && f.wireType == 2)
          fn(f.payload, f.payload + f.payloadSize);
      });
    };
    forEachField(b, e, [&](const WireField &f) {
      if (f.wireType != 2)
        return;
      const char *pb = f.payload, *pe = f.payload + f.payloadSize;
      switch (f.number) {
      case 1: // tensor_type { shape = 2 { dim = 1 } }
      case 8: // sparse_tensor_type, the same
        each(pb, pe, 2, [&](const char *sb, const char *se) {
          uint64_t n = 0;
          each(sb, se, 1, [&](const char *, const char *) { ++n; });
          most = std::max(most, n);
        });
        break;
      case 4: // sequence_type { elem_type = 1 }
      case 9: // optional_type { elem_type = 1 }
      case 5: // map_type { value_type = 2 }
        each(pb, pe, f.number == 5 ? 2 : 1,
             [&](const char *tb, const char *te) {
               most = std::max(most, countShapeDims(tb, te, depth + 1));
             });
        break;
      }
    });
    return most;
  }

  static bool isPayloadField(uint32_t n) {
    return n == 4 || n == 5 || n == 6 || n == 7 || n == 9 || n == 10 || n == 11;
  }

  /// Elements in a typed repeated field occurrence.
  static uint64_t countElements(const WireField &f) {
    if (f.wireType != 2)
      return 1;
    if (f.number == 6) // string_data: one string per occurrence
      return 1;
    if (f.number == 4) // packed float (fixed32)
      return f.payloadSize / 4;
    if (f.number == 10)
      return f.payloadSize / 8; // packed double (fixed64)
    uint64_t n = 0; // packed varints: count terminating bytes
    for (uint64_t i = 0; i < f.payloadSize; ++i)
      n += (static_cast<uint8_t>(f.payload[i]) & 0x80) == 0;
    return n;
  }

  bool tensor(const char *b, const char *e, onnx::TensorProto &t,
              bool isInitializer = false) {
    WireReader r(b, e, base);
    RunMerger rest(t);
    llvm::SmallVector<WireField, 2> payload;
    // Dims are merged after the other fields, unless there are absurdly
    // many (a packed field of 10^7 would cost 80 MB): then only counted.
    llvm::SmallVector<WireField, 1> dimFields;
    uint64_t numDims = 0;
    while (!r.atEnd()) {
      WireField f;
      if (!r.next(f, error, "TensorProto"))
        return false;
      if (f.number == 1) {
        if (!rest.flush())
          return fail("TensorProto");
        dimFields.push_back(f);
        numDims += countElements(f);
        continue;
      }
      if (isPayloadField(f.number)) {
        if (!rest.flush())
          return fail("TensorProto");
        payload.push_back(f);
        continue;
      }
      rest.add(f);
    }
    if (!rest.flush())
      return fail("TensorProto");
    if (numDims > (uint64_t)mlir::tfperf::kMaxRank)
      out.oversizedDims[&t] = numDims;
    else
      for (const WireField &f : dimFields)
        if (!mergeBytes(t, f.begin, f.end))
          return fail("TensorProto dims");
    if (payload.empty())
      return true;
    // Decide from dims and dtype whether the data is worth keeping.
    uint64_t numel = 1;
    bool overflow = false;
    for (int64_t d : t.dims()) {
      if (d < 0 || __builtin_mul_overflow(numel, (uint64_t)d, &numel))
        overflow = true;
    }
    int dt = t.data_type();
    bool isInt = dt == onnx::TensorProto::INT64 ||
                 dt == onnx::TensorProto::INT32 ||
                 dt == onnx::TensorProto::INT16 ||
                 dt == onnx::TensorProto::INT8 ||
                 dt == onnx::TensorProto::UINT8 ||
                 dt == onnx::TensorProto::UINT16 ||
                 dt == onnx::TensorProto::UINT32 ||
                 dt == onnx::TensorProto::UINT64 ||
                 dt == onnx::TensorProto::BOOL;
    bool isFloat = dt == onnx::TensorProto::FLOAT ||
                   dt == onnx::TensorProto::DOUBLE ||
                   dt == onnx::TensorProto::FLOAT16 ||
                   dt == onnx::TensorProto::BFLOAT16;
    uint64_t floatLimit = isInitializer ? kMaxKeptFloatInitializerElements
                                        : kMaxKeptFloatElements;
    bool keep = !overflow && ((isInt && numel <= kMaxKeptIntElements) ||
                              (isFloat && numel <= floatLimit));
    LoadedModel::SkippedData skipped;
    for (const WireField &f : payload) {
      if (keep) {
        if (!mergeBytes(t, f.begin, f.end))
          return fail("TensorProto data");
        continue;
      }
      if (f.number == 9)
        skipped.rawBytes += f.payloadSize;
      else
        skipped.typedElements += countElements(f);
      out.totalSkippedBytes += f.payloadSize;
    }
    if (!keep)
      out.skipped[&t] = skipped;
    return true;
  }

  const char *base;
  LoadedModel &out;
  std::string &error;
};

bool hasExtension(llvm::StringRef name, std::initializer_list<const char *> exts) {
  llvm::StringRef ext = llvm::sys::path::extension(name);
  for (const char *e : exts)
    if (ext.equals_insensitive(e))
      return true;
  return false;
}

} // namespace

bool mlir::tfperf::onnximport::isBinaryModelName(llvm::StringRef fileName) {
  return hasExtension(fileName, {".onnx", ".pb", ".bin"});
}

ModelFormat mlir::tfperf::onnximport::detectModelFormat(llvm::StringRef fileName,
                                                        llvm::StringRef data) {
  if (isBinaryModelName(fileName))
    return ModelFormat::Binary;
  if (hasExtension(fileName,
                   {".onnxtxt", ".pbtxt", ".textproto", ".txtpb", ".prototxt"}))
    return ModelFormat::Text;
  if (hasExtension(fileName, {".json"}))
    return ModelFormat::Json;
  llvm::StringRef head = data.ltrim();
  if (head.starts_with("{"))
    return ModelFormat::Json;
  if (!looksLikeBinaryModel(data) &&
      (head.starts_with("ir_version") || head.starts_with("graph") ||
       head.starts_with("opset_import") || head.starts_with("producer")))
    return ModelFormat::Text;
  return ModelFormat::Binary;
}

bool mlir::tfperf::onnximport::looksLikeBinaryModel(llvm::StringRef data) {
  if (data.empty())
    return false;
  WireReader r(data.begin(), data.end(), data.begin());
  std::string err;
  for (int i = 0; i < 8 && !r.atEnd(); ++i) {
    WireField f;
    if (!r.next(f, err, "ModelProto"))
      return false;
    bool ok = false;
    switch (f.number) {
    case 1: case 5: // ir_version, model_version
      ok = f.wireType == 0;
      break;
    case 2: case 3: case 4: case 6: case 7: case 8: case 14: case 20: case 25:
      ok = f.wireType == 2;
      break;
    }
    if (!ok)
      return false;
  }
  return true;
}

namespace {
class CollectErrors : public google::protobuf::io::ErrorCollector {
public:
  void AddError(int line, int column, const std::string &message) override {
    if (first.empty())
      first = "line " + std::to_string(line + 1) + ", column " +
              std::to_string(column + 1) + ": " + message;
  }
  std::string first;
};
} // namespace

std::unique_ptr<LoadedModel>
mlir::tfperf::onnximport::loadModel(llvm::StringRef data, ModelFormat format,
                                    std::string &error) {
  // Parse problems become one diagnostic of ours; protobuf's own log lines
  // ("[libprotobuf ERROR ...] invalid UTF-8") would only add noise.
  static const bool silenced =
      (google::protobuf::SetLogHandler(nullptr), true);
  (void)silenced;
  auto out = std::make_unique<LoadedModel>();
  if (data.empty()) {
    error = "the file is empty";
    return nullptr;
  }
  if (format == ModelFormat::Text) {
    google::protobuf::TextFormat::Parser parser;
    CollectErrors errors;
    parser.RecordErrorsTo(&errors);
    if (data.size() > (size_t)INT32_MAX ||
        !parser.ParseFromString(std::string(data), &out->model)) {
      error = "not a valid ONNX model in protobuf text format: " + errors.first;
      return nullptr;
    }
    return out;
  }
  if (format == ModelFormat::Json) {
    google::protobuf::util::JsonParseOptions opts;
    auto status = google::protobuf::util::JsonStringToMessage(
        std::string(data), &out->model, opts);
    if (!status.ok()) {
      error = "not a valid ONNX model in protobuf JSON: " +
              std::string(status.message());
      return nullptr;
    }
    return out;
  }
  Walker walker(data.begin(), *out, error);
  if (!walker.model(data.begin(), data.end())) {
    if (error.empty())
      error = "not a valid ONNX protobuf";
    return nullptr;
  }
  return out;
}
