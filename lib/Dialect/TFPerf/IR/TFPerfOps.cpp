//===- TFPerfOps.cpp - tfperf op verifiers --------------------------------===//
//
// Verifiers check what types alone can show (ranks, static dims, attribute
// ranges). Shape inference checks the rest with the operands' symbolic
// shapes and values.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"
#include "tfperf/Support/Einsum.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::tfperf;

namespace {
/// Rank of a ranked tensor type, or -1.
int64_t rankOf(Value v) {
  if (auto t = dyn_cast<RankedTensorType>(v.getType()))
    return t.getRank();
  return -1;
}

/// Static size of dim `i` of `v` (negative `i` counts from the end), or -1.
int64_t staticDim(Value v, int64_t i) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  if (!t)
    return -1;
  if (i < 0)
    i += t.getRank();
  if (i < 0 || i >= t.getRank() || t.isDynamicDim(i))
    return -1;
  return t.getDimSize(i);
}

LogicalResult verifyAxis(Operation *op, int64_t axis, int64_t rank,
                         StringRef what = "axis") {
  if (rank < 0)
    return success();
  if (axis < -rank || axis >= std::max<int64_t>(rank, 1))
    return op->emitOpError() << what << " " << axis
                             << " is out of range for rank " << rank;
  return success();
}
} // namespace

//===----------------------------------------------------------------------===//
// Structural ops
//===----------------------------------------------------------------------===//

static LogicalResult verifyDataAttr(Operation *op, ElementsAttr value,
                                    Type resultType) {
  if (!value)
    return success();
  auto rt = dyn_cast<RankedTensorType>(resultType);
  auto vt = dyn_cast<ShapedType>(value.getType());
  if (!rt || !vt || rt.getShape() != vt.getShape() ||
      rt.getElementType() != vt.getElementType())
    return op->emitOpError() << "value of type " << value.getType()
                             << " does not match result type " << resultType;
  return success();
}

LogicalResult WeightOp::verify() {
  auto t = dyn_cast<RankedTensorType>(getType());
  if (!t || !t.hasStaticShape())
    return emitOpError() << "weight '" << getName()
                         << "' must have a static tensor type";
  return verifyDataAttr(*this, getValueAttr(), getType());
}

LogicalResult ConstantOp::verify() {
  return verifyDataAttr(*this, getValueAttr(), getType());
}

//===----------------------------------------------------------------------===//
// Math
//===----------------------------------------------------------------------===//

#define TFPERF_VERIFY_NONEMPTY(OP)                                             \
  LogicalResult OP::verify() {                                                 \
    if (getInputs().empty())                                                   \
      return emitOpError() << "needs at least one input";                      \
    return success();                                                          \
  }
TFPERF_VERIFY_NONEMPTY(MinOp)
TFPERF_VERIFY_NONEMPTY(MaxOp)
TFPERF_VERIFY_NONEMPTY(SumOp)
#undef TFPERF_VERIFY_NONEMPTY

LogicalResult MatMulOp::verify() {
  int64_t ra = rankOf(getA()), rb = rankOf(getB());
  if (ra == 0 || rb == 0)
    return emitOpError() << "operands must have rank >= 1";
  if (ra < 0 || rb < 0)
    return success();
  int64_t k1 = staticDim(getA(), -1);
  int64_t k2 = rb == 1 ? staticDim(getB(), 0) : staticDim(getB(), -2);
  if (k1 >= 0 && k2 >= 0 && k1 != k2)
    return emitOpError() << "contraction dims differ: " << k1 << " vs " << k2;
  return success();
}

LogicalResult GemmOp::verify() {
  int64_t ra = rankOf(getA()), rb = rankOf(getB());
  if ((ra >= 0 && ra != 2) || (rb >= 0 && rb != 2))
    return emitOpError() << "A and B must be rank 2 (got " << ra << " and "
                         << rb << ")";
  if (ra < 0 || rb < 0)
    return success();
  int64_t ka = staticDim(getA(), getTransA() ? 0 : 1);
  int64_t kb = staticDim(getB(), getTransB() ? 1 : 0);
  if (ka >= 0 && kb >= 0 && ka != kb)
    return emitOpError() << "contraction dims differ: " << ka << " vs " << kb;
  return success();
}

LogicalResult ConvOp::verify() {
  if (getGroup() < 1)
    return emitOpError() << "group must be >= 1";
  int64_t rx = rankOf(getX()), rw = rankOf(getW());
  if (rx >= 0 && rx < 3)
    return emitOpError() << "X must have rank >= 3 (N, C, spatial...)";
  if (rx >= 0 && rw >= 0 && rx != rw)
    return emitOpError() << "X and W ranks differ: " << rx << " vs " << rw;
  int64_t c = staticDim(getX(), 1), wc = staticDim(getW(), 1);
  if (c >= 0 && wc >= 0 && c != wc * getGroup())
    return emitOpError() << "input channels " << c << " != " << wc
                         << " x group " << getGroup();
  int64_t m = staticDim(getW(), 0);
  if (m >= 0 && m % getGroup() != 0)
    return emitOpError() << "output channels " << m
                         << " not divisible by group " << getGroup();
  return success();
}

LogicalResult EinsumOp::verify() {
  std::string error;
  auto spec = parseEinsum(getEquation(), error);
  if (!spec)
    return emitOpError() << "bad equation '" << getEquation() << "': " << error;
  if (spec->inputs.size() != getInputs().size())
    return emitOpError() << "equation has " << spec->inputs.size()
                         << " operand terms but the op has "
                         << getInputs().size() << " operands";
  for (auto [term, v] : llvm::zip(spec->inputs, getInputs())) {
    int64_t r = rankOf(v);
    if (r < 0)
      continue;
    int64_t n = term.letters.size();
    if ((term.ellipsisAt < 0 && r != n) || (term.ellipsisAt >= 0 && r < n))
      return emitOpError() << "operand of rank " << r
                           << " does not match subscripts '" << term.letters
                           << "'";
  }
  return success();
}

LogicalResult SoftmaxOp::verify() {
  return verifyAxis(*this, getAxis(), rankOf(getInput()));
}

LogicalResult LayerNormOp::verify() {
  return verifyAxis(*this, getAxis(), rankOf(getX()));
}

LogicalResult LpNormOp::verify() {
  if (getP() != 1 && getP() != 2)
    return emitOpError() << "p must be 1 or 2, got " << getP();
  return verifyAxis(*this, getAxis(), rankOf(getInput()));
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::verify() {
  int64_t r = rankOf(getData());
  auto perm = getPerm();
  if (!perm || r < 0)
    return success();
  if ((int64_t)perm->size() != r)
    return emitOpError() << "perm has " << perm->size()
                         << " entries for rank " << r;
  llvm::SmallVector<bool> seen(r, false);
  for (int64_t p : *perm) {
    if (p < 0 || p >= r || seen[p])
      return emitOpError() << "perm is not a permutation of 0.." << r - 1;
    seen[p] = true;
  }
  return success();
}

LogicalResult GatherOp::verify() {
  int64_t r = rankOf(getData());
  if (r == 0)
    return emitOpError() << "data must have rank >= 1";
  return verifyAxis(*this, getAxis(), r);
}

LogicalResult SplitOp::verify() {
  if (getOutputs().empty())
    return emitOpError() << "needs at least one result";
  if (auto s = getStaticSplit())
    if (s->size() != getOutputs().size())
      return emitOpError() << "split has " << s->size() << " sizes for "
                           << getOutputs().size() << " results";
  return verifyAxis(*this, getAxis(), rankOf(getInput()));
}

LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError() << "needs at least one input";
  int64_t r = -1;
  for (Value v : getInputs()) {
    int64_t rv = rankOf(v);
    if (rv < 0)
      continue;
    if (r >= 0 && rv != r)
      return emitOpError() << "inputs have different ranks (" << r << " and "
                           << rv << ")";
    r = rv;
  }
  return verifyAxis(*this, getAxis(), r);
}

//===----------------------------------------------------------------------===//
// ai.onnx attention
//===----------------------------------------------------------------------===//

// Head counts divide the packed hidden dim; a count below 1 would turn into a
// negative head size and KV cache downstream.
static LogicalResult verifyHeadCounts(Operation *op, std::optional<int64_t> q,
                                      std::optional<int64_t> kv) {
  if ((q && *q <= 0) || (kv && *kv <= 0))
    return op->emitOpError() << "q_num_heads and kv_num_heads must be positive";
  return success();
}

LogicalResult AttentionOp::verify() {
  // As ONNX's shape inference: -1 leaves a side of the window unbounded;
  // any other negative bound has no keys to mean.
  for (auto [name, size] : {std::pair{"left_window_size", getLeftWindowSize()},
                            std::pair{"right_window_size", getRightWindowSize()}})
    if (size < -1)
      return emitOpError() << name << " must be -1 (unbounded) or "
                           << "non-negative, got " << size;
  return verifyHeadCounts(*this, getQNumHeads(), getKvNumHeads());
}

LogicalResult LinearAttentionOp::verify() {
  if (getStateWindow() < 0)
    return emitOpError() << "state_window must be >= 0, got "
                         << getStateWindow();
  return verifyHeadCounts(*this, getQNumHeads(), getKvNumHeads());
}

LogicalResult CausalConvWithStateOp::verify() {
  StringRef act = getActivation();
  if (act != "none" && act != "silu" && act != "swish")
    return emitOpError() << "activation must be none, silu or swish, got '"
                         << act << "'";
  // onnxruntime's kernels implement the 1-D convolution only.
  if (getNdim() != 1)
    return emitOpError() << "only ndim = 1 is modelled, got " << getNdim();
  if (getDilation() < 1 || getStateWindow() < 0)
    return emitOpError() << "dilation must be >= 1 and state_window >= 0";
  return success();
}

//===----------------------------------------------------------------------===//
// Contrib
//===----------------------------------------------------------------------===//

LogicalResult MSAttentionOp::verify() {
  if (getNumHeads() <= 0)
    return emitOpError() << "num_heads must be positive";
  int64_t ri = rankOf(getInput()), rw = rankOf(getWeights());
  if (ri >= 0 && ri != 3)
    return emitOpError() << "input must be [batch, seq, hidden]";
  if (rw >= 0 && rw != 2)
    return emitOpError() << "weights must be rank 2";
  return success();
}

/// A past_sequence_length must be one number (onnxruntime reads element 0
/// of a 1-element int32 tensor).
static LogicalResult verifyPastSequenceLength(Operation *op, Value v) {
  if (!v)
    return success();
  auto t = dyn_cast<RankedTensorType>(v.getType());
  if (t && t.hasStaticShape() && t.getNumElements() != 1)
    return op->emitOpError() << "past_sequence_length must hold one value, "
                                "not "
                             << t.getNumElements();
  return success();
}

LogicalResult MSMultiHeadAttentionOp::verify() {
  if (getNumHeads() <= 0)
    return emitOpError() << "num_heads must be positive";
  return verifyPastSequenceLength(*this, getPastSequenceLength());
}

LogicalResult MSDecoderMaskedMultiHeadAttentionOp::verify() {
  if (getNumHeads() <= 0)
    return emitOpError() << "num_heads must be positive";
  // The kernel decodes one token per sequence.
  auto q = dyn_cast<RankedTensorType>(getQuery().getType());
  if (q && (q.getRank() != 3 || (!q.isDynamicDim(1) && q.getDimSize(1) != 1)))
    return emitOpError() << "query must be [batch, 1, hidden] (one decoding "
                            "step)";
  if (getPastPresentShareBuffer() && getPastKey() && !getPastSequenceLength())
    return emitOpError() << "past_present_share_buffer needs "
                            "past_sequence_length";
  return verifyPastSequenceLength(*this, getPastSequenceLength());
}

// onnxruntime takes the segment table only with the segment ids: one without
// the other has no lookup to cost (and no kernel accepts it).
LogicalResult MSEmbedLayerNormOp::verify() {
  if (!getSegmentIds() != !getSegmentEmbedding())
    return emitOpError() << "segment_ids and segment_embedding must be given "
                            "together";
  return success();
}

LogicalResult MSGroupQueryAttentionOp::verify() {
  if (getNumHeads() <= 0 || getKvNumHeads() <= 0)
    return emitOpError() << "num_heads and kv_num_heads must be positive";
  if (getNumHeads() % getKvNumHeads() != 0)
    return emitOpError() << "num_heads " << getNumHeads()
                         << " is not a multiple of kv_num_heads "
                         << getKvNumHeads();
  // The phase analysis reads the past length from dim 2 of the caches.
  for (Value cache : {getPastKey(), getPastValue()})
    if (cache && rankOf(cache) >= 0 && rankOf(cache) != 4)
      return emitOpError() << "past_key and past_value must be [batch, "
                              "kv_num_heads, past_sequence_length, head_size]";
  return success();
}

#define GET_OP_CLASSES
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.cpp.inc"
