//===- OpSchemasGenAIAttention.cpp - serving attention op types -----------===//
//
// The inputs and outputs of the ops of TFPerfOpsGenAIAttention.td
// (signatures from onnxruntime docs/ContribOperators.md).
//
//===----------------------------------------------------------------------===//

#include "OpSchemas.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

using namespace mlir::tfperf;
using namespace mlir::tfperf::onnximport;

namespace {
constexpr Arity R = Arity::Required, O = Arity::Optional;

constexpr IOSpec kPagedAttentionIn[] = {
    {"query", R},        {"key", O},           {"value", O},
    {"key_cache", R},    {"value_cache", O},   {"cumulative_sequence_length", R},
    {"past_seqlens", R}, {"block_table", R},   {"cos_cache", O},
    {"sin_cache", O},    {"slot_mapping", O},  {"head_sink", O},
    {"q_norm_weight", O}, {"k_norm_weight", O}, {"k_scale", O},
    {"v_scale", O},      {"attention_metadata", O}};
constexpr IOSpec kPagedAttentionOut[] = {
    {"output", R}, {"key_cache_out", O}, {"value_cache_out", O}};
constexpr IOSpec kSparseAttentionIn[] = {
    {"query", R},
    {"key", O},
    {"value", O},
    {"past_key", R},
    {"past_value", R},
    {"block_row_indices", R},
    {"block_col_indices", R},
    {"total_sequence_length", R},
    {"key_total_sequence_lengths", R},
    {"cos_cache", O},
    {"sin_cache", O}};
constexpr IOSpec kSparseAttentionOut[] = {
    {"output", R}, {"present_key", R}, {"present_value", R}};

const OpSchema kGenAIAttentionSchemas[] = {
    schema<MSPagedAttentionOp>(kPagedAttentionIn, kPagedAttentionOut),
    schema<MSSparseAttentionOp>(kSparseAttentionIn, kSparseAttentionOut),
};
} // namespace

llvm::ArrayRef<OpSchema>
mlir::tfperf::onnximport::getGenAIAttentionOpSchemas() {
  return kGenAIAttentionSchemas;
}
