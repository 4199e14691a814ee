//===- OpSchemasQuant.cpp - quantized ONNX op types tfperf imports --------===//
//
// The inputs and outputs of the quantized ops of TFPerfQuantOps.td
// (signatures from onnx/onnx docs/Operators.md and onnxruntime
// docs/ContribOperators.md).
//
//===----------------------------------------------------------------------===//

#include "OpSchemas.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

using namespace mlir::tfperf;
using namespace mlir::tfperf::onnximport;

namespace {
constexpr Arity R = Arity::Required, O = Arity::Optional;

constexpr IOSpec kY[] = {{"y", R}};
constexpr IOSpec kQuantizeIn[] = {{"x", R}, {"y_scale", R}, {"y_zero_point", O}};
constexpr IOSpec kDequantizeIn[] = {{"x", R}, {"x_scale", R},
                                    {"x_zero_point", O}};
constexpr IOSpec kX[] = {{"x", R}};
constexpr IOSpec kDynamicQuantizeOut[] = {
    {"y", R}, {"y_scale", R}, {"y_zero_point", R}};
constexpr IOSpec kMatMulIntegerIn[] = {
    {"A", R}, {"B", R}, {"a_zero_point", O}, {"b_zero_point", O}};
constexpr IOSpec kQLinearMatMulIn[] = {
    {"a", R}, {"a_scale", R}, {"a_zero_point", R}, {"b", R},
    {"b_scale", R}, {"b_zero_point", R}, {"y_scale", R}, {"y_zero_point", R}};
constexpr IOSpec kMatMulNBitsIn[] = {{"A", R},           {"B", R},
                                     {"scales", R},      {"zero_points", O},
                                     {"g_idx", O},       {"bias", O}};
constexpr IOSpec kMatMulBnb4In[] = {{"A", R}, {"B", R}, {"absmax", R}};
constexpr IOSpec kMatMulFp8WeightIn[] = {
    {"A", R}, {"B", R}, {"b_scale", R}, {"a_scale", O}, {"bias", O}};
constexpr IOSpec kMatMulFp4WeightIn[] = {
    {"A", R},           {"B", R},           {"weight_scale", R},
    {"weight_scale_2", R}, {"input_scale", O}, {"bias", O}};
constexpr IOSpec kGatherBlockQuantizedIn[] = {
    {"data", R}, {"indices", R}, {"scales", R}, {"zero_points", O}};
constexpr IOSpec kQMoEIn[] = {
    {"input", R},            {"router_probs", R},
    {"fc1_experts_weights", R}, {"fc1_scales", O},
    {"fc1_experts_bias", O}, {"fc2_experts_weights", R},
    {"fc2_scales", O},       {"fc2_experts_bias", O},
    {"fc3_experts_weights", O}, {"fc3_scales", O},
    {"fc3_experts_bias", O}, {"fc1_zero_points", O},
    {"fc2_zero_points", O},  {"fc3_zero_points", O},
    {"router_weights", O},   {"fc1_global_scale", O},
    {"fc2_global_scale", O}, {"fc1_act_scale", O},
    {"fc2_act_scale", O},    {"fc1_act_block_scale", O},
    {"fc2_act_block_scale", O}};

const OpSchema kQuantizedSchemas[] = {
    schema<QuantizeLinearOp>(kQuantizeIn, kY),
    schema<DequantizeLinearOp>(kDequantizeIn, kY),
    schema<DynamicQuantizeLinearOp>(kX, kDynamicQuantizeOut),
    schema<MatMulIntegerOp>(kMatMulIntegerIn, kY),
    schema<QLinearMatMulOp>(kQLinearMatMulIn, kY),
    schema<MSMatMulNBitsOp>(kMatMulNBitsIn, kY),
    schema<MSMatMulBnb4Op>(kMatMulBnb4In, kY),
    schema<MSMatMulBlockQuantizedFp8WeightOp>(kMatMulFp8WeightIn, kY),
    schema<MSMatMulBlockQuantizedFp4WeightOp>(kMatMulFp4WeightIn, kY),
    schema<MSGatherBlockQuantizedOp>(kGatherBlockQuantizedIn, kY),
    schema<MSQMoEOp>(kQMoEIn, kY),
};
} // namespace

llvm::ArrayRef<OpSchema> mlir::tfperf::onnximport::getQuantizedOpSchemas() {
  return kQuantizedSchemas;
}
