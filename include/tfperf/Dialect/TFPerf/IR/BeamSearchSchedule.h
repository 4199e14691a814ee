//===- BeamSearchSchedule.h - how often BeamSearch runs its subgraphs -*- C++ -*-===//
//
// onnxruntime's BeamSearch for an encoder-decoder (model_type 1) runs its
// encoder subgraph once on the batch, scores the first token from the
// encoder's logits, then runs the decoder subgraph once per further token on
// batch x num_beams rows, its self-attention past one token longer each run
// (onnxruntime contrib_ops/cpu/transformers/beam_search_impl_t5.h,
// BeamSearchT5::Execute; docs/CostModel.md#control-flow). The counts are
// upper bounds: an EOS in every beam stops the search early.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_DIALECT_TFPERF_IR_BEAMSEARCHSCHEDULE_H
#define TFPERF_DIALECT_TFPERF_IR_BEAMSEARCHSCHEDULE_H

#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"

#include <string>

namespace mlir::tfperf {

/// The subgraph called `name` (`decoder`, `encoder`), or null.
Region *getBeamSearchSubgraph(MSBeamSearchOp op, StringRef name);

/// Whether `op` searches with an encoder-decoder (model_type 1), the only
/// kind whose schedule is modelled; the others (GPT-2, Whisper) keep their
/// decoder costed as one step and the search unknown.
bool isEncoderDecoderSearch(MSBeamSearchOp op);

/// How a BeamSearch runs, in terms of its inputs.
struct BeamSearchSchedule {
  /// Rows of the input batch, beams per row, `max_length`.
  SymExpr batch = SymExpr::unknown(), beams = SymExpr::unknown(),
          maxLength = SymExpr::unknown();
  /// Decoder runs: max(max_length - 2, 0). The encoder's logits give the
  /// second token; run k (1-based) has a self-attention past of k tokens.
  SymExpr decoderRuns = SymExpr::unknown();
  /// Times the search scores candidates: max(max_length - 1, 0).
  SymExpr searchSteps = SymExpr::unknown();
  /// Why the schedule is unknown; empty when it is known.
  std::string unknownReason;
};

/// The schedule from `q`'s shapes (max_length is the last dim of
/// `sequences`) and the `num_beams` operand (a constant, or a graph input's
/// value symbol).
BeamSearchSchedule getBeamSearchSchedule(MSBeamSearchOp op,
                                         const ShapeQuery &q);

/// Seeds `ctx` with the decoder's inputs at the run whose self-attention
/// past is `past` tokens: every input's first dim batch x num_beams, the
/// self-attention past inputs (the first half of the rank-4 inputs, ORT's
/// past_self_* before past_cross_*) `past` long on dim 2. Fails with the
/// reason when the decoder's inputs do not have that layout.
LogicalResult seedDecoderRun(MSBeamSearchOp op, const ShapeQuery &q,
                             const BeamSearchSchedule &schedule,
                             const SymExpr &past, ShapeContext &ctx,
                             std::string &reason);

} // namespace mlir::tfperf

#endif
