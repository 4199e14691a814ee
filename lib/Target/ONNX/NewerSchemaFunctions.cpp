//===- NewerSchemaFunctions.cpp - function bodies newer than libonnx ------===//
//
// Each body below is written from the mathematical definition in ONNX's
// operator specification (docs/Operators.md, docs/Changelog.md), not taken
// from ONNX's sources. Scalars become the input's element type through
// CastLike, so one body serves every type the op accepts.
//
//===----------------------------------------------------------------------===//

#include "NewerSchemaFunctions.h"

#include "onnx/defs/parser.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Twine.h"

#include <vector>

using namespace mlir;
using namespace mlir::tfperf::onnximport;

namespace {

/// The text of a function's signature, its body's opset and its opening
/// brace; the nodes and "}" follow.
std::string signature(llvm::StringRef op, int64_t bodyOpset,
                      llvm::StringRef attributes, llvm::StringRef inputs,
                      llvm::StringRef outputs) {
  return (llvm::Twine("<opset_import: [\"\" : ") + llvm::Twine(bodyOpset) +
          "]>\n" + op + " <" + attributes + "> (" + inputs + ") => (" +
          outputs + ") {\n")
      .str();
}

/// Two nodes that make `name` a scalar of `like`'s element type holding
/// `value`: a float literal or a reference to a float attribute ("@alpha").
std::string scalarLike(llvm::StringRef name, llvm::StringRef value,
                       llvm::StringRef like) {
  return (llvm::Twine("  ") + name + "Float = Constant<value_float: float = " +
          value + ">()\n  " + name + " = CastLike(" + name + "Float, " + like +
          ")\n")
      .str();
}

/// An elementwise op of its inputs (the first X) and of scalars of X's
/// element type, each a float literal or a reference to a float attribute
/// of the node. Versions after the first widened the types, not the
/// definition.
struct Activation {
  const char *op;
  int64_t versions[3]; // 0: none
  const char *inputs;
  const char *attributes;
  const char *defaults;
  /// "Name=value" pairs separated by spaces ("Alpha=@alpha Zero=0.0").
  const char *scalars;
  const char *nodes;
};

// The math of each op is in its comment; the bodies have opset 18.
const Activation kActivations[] = {
    // x · tanh(softplus(x)).
    {"Mish", {18, 22}, "X", "", "", "",
     "Soft = Softplus(X) Squashed = Tanh(Soft) Y = Mul(X, Squashed)"},
    // x < 0: alpha · (e^x − 1); else x.
    {"Elu", {6, 22}, "X", "alpha", "<alpha = 1.0>",
     "Alpha=@alpha Zero=0.0 One=1.0",
     "Negative = Less(X, Zero) ExpX = Exp(X) ExpMinusOne = Sub(ExpX, One) "
     "Scaled = Mul(Alpha, ExpMinusOne) Y = Where(Negative, Scaled, X)"},
    // x > 0: gamma · x; else gamma · (alpha · e^x − alpha).
    {"Selu", {6, 22}, "X", "alpha, gamma",
     "<alpha = 1.67326319217681884765625, gamma = 1.05070102214813232421875>",
     "Alpha=@alpha Zero=0.0 Gamma=@gamma",
     "Positive = Greater(X, Zero) ExpX = Exp(X) AlphaExp = Mul(Alpha, ExpX) "
     "NegativePart = Sub(AlphaExp, Alpha) "
     "Picked = Where(Positive, X, NegativePart) Y = Mul(Gamma, Picked)"},
    // max(0, min(1, alpha · x + beta)).
    {"HardSigmoid", {6, 22}, "X", "alpha, beta", "<alpha = 0.2, beta = 0.5>",
     "Alpha=@alpha Beta=@beta Zero=0.0 One=1.0",
     "AlphaX = Mul(Alpha, X) Linear = Add(AlphaX, Beta) "
     "Capped = Min(Linear, One) Y = Max(Capped, Zero)"},
    // x / (1 + |x|).
    {"Softsign", {1, 22}, "X", "", "", "One=1.0",
     "Magnitude = Abs(X) Denominator = Add(One, Magnitude) "
     "Y = Div(X, Denominator)"},
    // x > alpha: x; else 0.
    {"ThresholdedRelu", {10, 22}, "X", "alpha", "<alpha = 1.0>",
     "Alpha=@alpha Zero=0.0",
     "Above = Greater(X, Alpha) Y = Where(Above, X, Zero)"},
    // x < -lambd: x + bias; x > lambd: x − bias; else 0.
    {"Shrink", {9}, "X", "lambd, bias", "<lambd = 0.5, bias = 0.0>",
     "Lambd=@lambd Bias=@bias Zero=0.0",
     "NegativeLambd = Neg(Lambd) Below = Less(X, NegativeLambd) "
     "Above = Greater(X, Lambd) Raised = Add(X, Bias) "
     "Lowered = Sub(X, Bias) Upper = Where(Above, Lowered, Zero) "
     "Y = Where(Below, Raised, Upper)"},
    // x < 0: alpha · x; else x (bodies since opset 16).
    {"LeakyRelu", {6, 16}, "X", "alpha", "<alpha = 0.01>",
     "Alpha=@alpha Zero=0.0",
     "Negative = Less(X, Zero) Scaled = Mul(Alpha, X) "
     "Y = Where(Negative, Scaled, X)"},
    // x < 0: slope · x; else x (bodies since opset 16).
    {"PRelu", {7, 9, 16}, "X, slope", "", "", "Zero=0.0",
     "Negative = Less(X, Zero) Scaled = Mul(slope, X) "
     "Y = Where(Negative, Scaled, X)"},
    // Swish_alpha(A) · B, Swish_alpha(a) = a · sigmoid(alpha · a); the
    // gate A is X here.
    {"SwiGLU", {28}, "X, B", "alpha", "<alpha = 1.0>", "Alpha=@alpha",
     "Scaled = Mul(Alpha, X) Gate = Sigmoid(Scaled) Swished = Mul(X, Gate) "
     "Y = Mul(Swished, B)"},
};

/// The FunctionProto text of `a`. ONNX's text syntax needs no line breaks
/// between nodes: each ends with its closing parenthesis.
std::string activationBody(const Activation &a) {
  std::string text = signature(a.op, 18, a.attributes, a.inputs, "Y");
  llvm::SmallVector<llvm::StringRef> scalars;
  llvm::StringRef(a.scalars).split(scalars, ' ', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef scalar : scalars) {
    auto [name, value] = scalar.split('=');
    text += scalarLike(name, value, "X");
  }
  return text + "  " + a.nodes + "\n}\n";
}

/// ReduceL1, ReduceL2, ... as ReduceSum between an elementwise op on the
/// data (`before`: "Summand = f(data)", or empty) and one on the sum
/// (`after`: "reduced = g(Summed)", or empty). Versions before 18 take
/// `axes` as an attribute, 18 as an optional input.
std::string reduceBody(llvm::StringRef op, bool axesInput,
                       llvm::StringRef before, llvm::StringRef after) {
  std::string summand = before.empty() ? "data" : "Summand";
  std::string sum = after.empty() ? "reduced" : "Summed";
  std::string text =
      axesInput ? signature(op, 18, "keepdims, noop_with_empty_axes",
                            "data, axes", "reduced")
                : signature(op, 11, "axes, keepdims", "data", "reduced");
  if (!before.empty())
    text += ("  " + before + "\n").str();
  if (axesInput)
    text += "  " + sum +
            " = ReduceSum<keepdims: int = @keepdims, noop_with_empty_axes: "
            "int = @noop_with_empty_axes>(" +
            summand + ", axes)\n";
  else
    text += "  " + sum +
            " = ReduceSum<axes: ints = @axes, keepdims: int = @keepdims>(" +
            summand + ")\n";
  if (!after.empty())
    text += ("  " + after + "\n").str();
  return text + "}\n";
}

/// GroupNormalization's first stage over `Stashed` (X, or X cast to the
/// stash type): X viewed as [N, num_groups, rest], each group normalized
/// over `rest` with the mean and the mean squared deviation, into
/// `Normalized` (same view).
std::string groupStatistics() {
  return "  Zero = Constant<value_ints = [0]>()\n"
         "  MinusOne = Constant<value_ints = [-1]>()\n"
         "  Two = Constant<value_ints = [2]>()\n"
         "  One = Constant<value_ints = [1]>()\n"
         "  GroupCount = Constant<value_int: int = @num_groups>()\n"
         "  Groups = Unsqueeze(GroupCount, Zero)\n"
         "  GroupShape = Concat<axis = 0>(Zero, Groups, MinusOne)\n"
         "  Grouped = Reshape(Stashed, GroupShape)\n"
         "  Mean = ReduceMean(Grouped, Two)\n"
         "  Centered = Sub(Grouped, Mean)\n"
         "  Squared = Mul(Centered, Centered)\n"
         "  Variance = ReduceMean(Squared, Two)\n" +
         scalarLike("Epsilon", "@epsilon", "Stashed") +
         "  Shifted = Add(Variance, Epsilon)\n"
         "  Deviation = Sqrt(Shifted)\n"
         "  Normalized = Div(Centered, Deviation)\n"
         "  XShape = Shape(X)\n";
}

/// y = scale · normalized + bias, scale and bias of shape [rows] against
/// `view`, a [N, rows, rest] value, then reshaped back to X's shape.
std::string scaleRows(llvm::StringRef view) {
  return ("  RowScale = Unsqueeze(scale, One)\n"
          "  RowBias = Unsqueeze(bias, One)\n"
          "  Scaled = Mul(" +
          view +
          ", RowScale)\n"
          "  Biased = Add(Scaled, RowBias)\n"
          "  Y = Reshape(Biased, XShape)\n"
          "}\n")
      .str();
}

/// The static size of dim `d` of a tensor type, 0 if unknown.
int64_t staticDim(const onnx::TypeProto &type, int d) {
  const auto &shape = type.tensor_type().shape();
  if (d >= shape.dim_size() || !shape.dim(d).has_dim_value())
    return 0;
  return shape.dim(d).dim_value();
}

/// AffineGrid-20 for n = 2 or 3 spatial dims (theta [N, n, n+1], size
/// [N, C, (D,) H, W]): along each spatial dim of length L the positions
/// (2i + 1 − a) / (L − a) − 1, a = align_corners (the pixel centres
/// between −1 and 1, or the corner pixels' centres at ±1 when a = 1),
/// broadcast to the grid with a last component 1 as homogeneous points
/// (x along W first), times thetaᵀ, reshaped to [N, (D,) H, W, n].
std::string affineGridBody(const onnx::NodeProto &,
                           llvm::ArrayRef<onnx::TypeProto> inputTypes,
                           std::string &why) {
  int64_t n = inputTypes.empty() ? 0 : staticDim(inputTypes[0], 1);
  if (!n && inputTypes.size() > 1 && staticDim(inputTypes[1], 0))
    n = staticDim(inputTypes[1], 0) - 2;
  if (n != 2 && n != 3) {
    why = "it needs theta of shape (N, 2, 3) or (N, 3, 4), or size of "
          "length 4 or 5";
    return "";
  }
  std::string ns = std::to_string(n);
  std::string text =
      signature("AffineGrid", 20, "align_corners", "theta, size", "grid") +
      "  AlignInt = Constant<value_int: int = @align_corners>()\n"
      "  Align = CastLike(AlignInt, theta)\n" +
      scalarLike("One", "1.0", "theta") + scalarLike("Two", "2.0", "theta") +
      "  Start = Constant<value_int = 0>()\n"
      "  Step = Constant<value_int = 1>()\n"
      "  BatchAt = Constant<value_ints = [0]>()\n"
      "  BatchEnd = Constant<value_ints = [1]>()\n"
      "  SpatialAt = Constant<value_ints = [2]>()\n"
      "  SpatialEnd = Constant<value_ints = [" +
      std::to_string(n + 2) +
      "]>()\n"
      "  Batch = Slice(size, BatchAt, BatchEnd)\n"
      "  Spatial = Slice(size, SpatialAt, SpatialEnd)\n"
      "  LastAxis = Constant<value_ints = [-1]>()\n";
  std::string components;
  for (int64_t k = 0; k < n; ++k) {
    std::string K = std::to_string(k);
    std::string otherAxes;
    for (int64_t j = 0; j < n; ++j)
      if (j != k)
        otherAxes += (otherAxes.empty() ? "" : ", ") + std::to_string(j);
    text += "  Index" + K + " = Constant<value_int = " +
            std::to_string(k + 2) + ">()\n  Length" + K +
            " = Gather<axis = 0>(size, Index" + K + ")\n  Steps" + K +
            " = Range(Start, Length" + K + ", Step)\n  StepsF" + K +
            " = CastLike(Steps" + K + ", theta)\n  LengthF" + K +
            " = CastLike(Length" + K + ", theta)\n  Doubled" + K +
            " = Mul(Two, StepsF" + K + ")\n  Centred" + K + " = Add(Doubled" +
            K + ", One)\n  Numerator" + K + " = Sub(Centred" + K +
            ", Align)\n  Denominator" + K + " = Sub(LengthF" + K +
            ", Align)\n  Ratio" + K + " = Div(Numerator" + K +
            ", Denominator" + K + ")\n  Coord" + K + " = Sub(Ratio" + K +
            ", One)\n  Others" + K + " = Constant<value_ints = [" +
            otherAxes + "]>()\n  Line" + K + " = Unsqueeze(Coord" + K +
            ", Others" + K + ")\n  Full" + K + " = Expand(Line" + K +
            ", Spatial)\n  Last" + K + " = Unsqueeze(Full" + K +
            ", LastAxis)\n";
    // x (the last spatial dim) is the first component.
    components = "Last" + K + ", " + components;
  }
  return text +
         "  Ones = Expand(One, Spatial)\n"
         "  OnesLast = Unsqueeze(Ones, LastAxis)\n"
         "  Base = Concat<axis = -1>(" +
         components +
         "OnesLast)\n"
         "  FlatShape = Constant<value_ints = [-1, " +
         std::to_string(n + 1) +
         "]>()\n"
         "  Points = Reshape(Base, FlatShape)\n"
         "  ThetaT = Transpose<perm = [0, 2, 1]>(theta)\n"
         "  Mapped = MatMul(Points, ThetaT)\n"
         "  Components = Constant<value_ints = [" +
         ns +
         "]>()\n"
         "  GridShape = Concat<axis = 0>(Batch, Spatial, Components)\n"
         "  grid = Reshape(Mapped, GridShape)\n}\n";
}

/// CenterCropPad-18 over the node's axes (all of the input's, by
/// default): per axis, a centred window of min(in, target) kept (the
/// excess split with its smaller half before: Slice from floor((in −
/// target)/2)), then the deficit filled with zeros, its smaller half
/// before (Concat with ConstantOfShape zeros cast to the input's type).
std::string centerCropPadBody(const onnx::NodeProto &node,
                              llvm::ArrayRef<onnx::TypeProto> inputTypes,
                              std::string &why) {
  const auto &type = inputTypes.empty() ? onnx::TypeProto() : inputTypes[0];
  if (!type.tensor_type().has_shape()) {
    why = "it needs the rank of input_data";
    return "";
  }
  int64_t rank = type.tensor_type().shape().dim_size();
  llvm::SmallVector<int64_t> axes;
  for (const onnx::AttributeProto &a : node.attribute())
    if (a.name() == "axes")
      axes.assign(a.ints().begin(), a.ints().end());
  if (axes.empty())
    for (int64_t a = 0; a < rank; ++a)
      axes.push_back(a);
  std::string text =
      signature("CenterCropPad", 18, "", "input_data, shape", "output_data") +
      "  Zero = Constant<value_ints = [0]>()\n"
      "  Two = Constant<value_ints = [2]>()\n"
      "  Target = Cast<to = 7>(shape)\n";
  std::string current = "input_data";
  for (auto [i, axis] : llvm::enumerate(axes)) {
    int64_t a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      why = "axis " + std::to_string(axis) + " is outside rank " +
            std::to_string(rank);
      return "";
    }
    std::string I = std::to_string(i), A = std::to_string(a);
    std::string before, after;
    if (a > 0)
      before = "Before" + I + ", ";
    if (a + 1 < rank)
      after = ", After" + I;
    text += "  At" + I + " = Constant<value_ints = [" + I +
            "]>()\n  Target" + I + " = Gather<axis = 0>(Target, At" + I +
            ")\n  Have" + I + " = Shape<start = " + A +
            ", end = " + std::to_string(a + 1) + ">(" + current +
            ")\n  Axis" + I + " = Constant<value_ints = [" + A +
            "]>()\n  Excess" + I + " = Sub(Have" + I + ", Target" + I +
            ")\n  CropBy" + I + " = Max(Excess" + I + ", Zero)\n  Begin" +
            I + " = Div(CropBy" + I + ", Two)\n  Kept" + I + " = Min(Have" +
            I + ", Target" + I + ")\n  End" + I + " = Add(Begin" + I +
            ", Kept" + I + ")\n  Cropped" + I + " = Slice(" + current +
            ", Begin" + I + ", End" + I + ", Axis" + I + ")\n  Deficit" + I +
            " = Sub(Target" + I + ", Have" + I + ")\n  PadBy" + I +
            " = Max(Deficit" + I + ", Zero)\n  Left" + I + " = Div(PadBy" +
            I + ", Two)\n  Right" + I + " = Sub(PadBy" + I + ", Left" + I +
            ")\n";
    if (a > 0)
      text += "  Before" + I + " = Shape<start = 0, end = " + A +
              ">(Cropped" + I + ")\n";
    if (a + 1 < rank)
      text += "  After" + I + " = Shape<start = " + std::to_string(a + 1) +
              ">(Cropped" + I + ")\n";
    for (llvm::StringRef side : {"Left", "Right"})
      text += ("  " + side + "Shape" + I + " = Concat<axis = 0>(" + before +
               side + I + after + ")\n  " + side + "Zeros" + I +
               " = ConstantOfShape(" + side + "Shape" + I + ")\n  " + side +
               "Pad" + I + " = CastLike(" + side + "Zeros" + I +
               ", input_data)\n")
                  .str();
    current = "Padded" + I;
    text += "  " + current + " = Concat<axis = " + A + ">(LeftPad" + I +
            ", Cropped" + I + ", RightPad" + I + ")\n";
  }
  return text + "  output_data = Identity(" + current + ")\n}\n";
}

const std::vector<NewerSchemaFunction> &table() {
  static const std::vector<NewerSchemaFunction> functions = [] {
    std::vector<NewerSchemaFunction> t;
    auto add = [&](llvm::StringRef op, std::initializer_list<int64_t> versions,
                   llvm::StringRef defaults, llvm::StringRef required,
                   const std::string &body) {
      for (int64_t v : versions)
        t.push_back({op.str(), v, defaults.str(), required.str(), body});
    };
    for (const Activation &a : kActivations)
      for (int64_t v : a.versions)
        if (v)
          t.push_back({a.op, v, a.defaults, "", activationBody(a)});
    // The reductions ONNX defines through ReduceSum (bodies since opset 18).
    struct Reduction {
      llvm::StringRef op, before, after;
    };
    const Reduction reductions[] = {
        {"ReduceL1", "Summand = Abs(data)", ""},
        {"ReduceL2", "Summand = Mul(data, data)", "reduced = Sqrt(Summed)"},
        {"ReduceLogSum", "", "reduced = Log(Summed)"},
        {"ReduceLogSumExp", "Summand = Exp(data)", "reduced = Log(Summed)"},
        {"ReduceSumSquare", "Summand = Mul(data, data)", ""},
    };
    for (const Reduction &r : reductions) {
      add(r.op, {1, 11, 13}, "<keepdims = 1>", "",
          reduceBody(r.op, /*axesInput=*/false, r.before, r.after));
      add(r.op, {18}, "<keepdims = 1, noop_with_empty_axes = 0>", "",
          reduceBody(r.op, /*axesInput=*/true, r.before, r.after));
    }
    t.push_back({"AffineGrid", 20, "<align_corners = 0>", "", "",
                 affineGridBody});
    t.push_back({"CenterCropPad", 18, "", "", "", centerCropPadBody});
    // GroupNormalization-18: scale and bias per group, all in X's type.
    add("GroupNormalization", {18}, "<epsilon = 0.00001>", "num_groups",
        signature("GroupNormalization", 18, "epsilon, num_groups",
                  "X, scale, bias", "Y") +
            "  Stashed = Identity(X)\n" + groupStatistics() +
            scaleRows("Normalized"));
    // GroupNormalization-21: scale and bias per channel; the first stage
    // in stash_type, its result cast back to X's type.
    add("GroupNormalization", {21}, "<epsilon = 0.00001, stash_type = 1>",
        "num_groups",
        signature("GroupNormalization", 21, "epsilon, num_groups, stash_type",
                  "X, scale, bias", "Y") +
            "  Stashed = Cast<to: int = @stash_type>(X)\n" +
            groupStatistics() +
            "  Channels = Shape<start = 0, end = 2>(X)\n"
            "  ChannelShape = Concat<axis = 0>(Channels, MinusOne)\n"
            "  ByChannel = Reshape(Normalized, ChannelShape)\n"
            "  Restored = CastLike(ByChannel, X)\n" +
            scaleRows("Restored"));
    return t;
  }();
  return functions;
}

bool hasAttribute(const onnx::NodeProto &node, llvm::StringRef name) {
  return llvm::any_of(node.attribute(), [&](const onnx::AttributeProto &a) {
    return a.name() == name;
  });
}

} // namespace

llvm::ArrayRef<NewerSchemaFunction>
mlir::tfperf::onnximport::newerSchemaFunctions() {
  return table();
}

const NewerSchemaFunction *
mlir::tfperf::onnximport::lookupNewerSchemaFunction(llvm::StringRef opType,
                                                    int64_t opset) {
  const NewerSchemaFunction *best = nullptr;
  for (const NewerSchemaFunction &fn : table())
    if (fn.opType == opType && fn.sinceVersion <= opset &&
        (!best || fn.sinceVersion > best->sinceVersion))
      best = &fn;
  return best;
}

int64_t mlir::tfperf::onnximport::firstNewerSchemaOpset(llvm::StringRef opType) {
  int64_t first = 0;
  for (const NewerSchemaFunction &fn : table())
    if (fn.opType == opType && (!first || fn.sinceVersion < first))
      first = fn.sinceVersion;
  return first;
}

LogicalResult mlir::tfperf::onnximport::buildNewerSchemaFunction(
    const NewerSchemaFunction &fn, onnx::NodeProto &node,
    llvm::ArrayRef<onnx::TypeProto> inputTypes, onnx::FunctionProto &body,
    std::string &note) {
  std::string version = fn.opType + "-" + std::to_string(fn.sinceVersion);
  std::string text = fn.body;
  if (fn.bodyForTypes) {
    std::string why;
    text = fn.bodyForTypes(node, inputTypes, why);
    if (text.empty()) {
      note = "tfperf cannot build the function body of " + version +
             " for this node: " + why;
      return failure();
    }
  }
  // The texts are tfperf's own; a parse failure is a defect that the
  // tests of every body catch, reported rather than asserted all the same.
  onnx::Status parsed = onnx::OnnxParser::Parse(body, text.c_str());
  onnx::AttrList defaults;
  if (parsed.IsOK() && !fn.defaults.empty()) {
    onnx::OnnxParser parser(fn.defaults.c_str());
    parsed = parser.Parse(defaults);
  }
  if (!parsed.IsOK()) {
    note = "tfperf's function body for " + version +
           " does not parse: " + parsed.ErrorMessage();
    return failure();
  }
  if (!fn.requiredAttribute.empty() &&
      !hasAttribute(node, fn.requiredAttribute)) {
    note = version + " requires the attribute '" + fn.requiredAttribute +
           "', which the node lacks";
    return failure();
  }
  for (const onnx::AttributeProto &d : defaults)
    if (!hasAttribute(node, d.name()))
      *node.add_attribute() = d;
  // An optional input the node leaves out is absent in the body too.
  for (int i = 0; i < body.input_size(); ++i) {
    if (i < node.input_size() && !node.input(i).empty())
      continue;
    for (onnx::NodeProto &inner : *body.mutable_node())
      for (std::string &in : *inner.mutable_input())
        if (in == body.input(i))
          in.clear();
  }
  note = "the function body tfperf writes for " + version +
         " from the ONNX specification" +
         (fn.bodyForTypes ? " for this node's input types" : "");
  return success();
}
