//===- ModelMutator.h - semantic mutations of an ONNX model -----*- C++ -*-===//
//
// Debian has no libprotobuf-mutator, so the whole-pipeline fuzzer mutates
// the parsed onnx::ModelProto itself: a dim or dim_param, an attribute
// value, an op type or domain, an edge, an initializer's dims or dtype, an
// opset version, node order, a duplicated node, inside any graph (the main
// one, a subgraph attribute's, a function's). Byte mutations of a model
// rarely survive the loader; these keep it a model that imports, most of
// the time, so the analyses behind the importer see the inputs.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_FUZZ_MODELMUTATOR_H
#define TFPERF_FUZZ_MODELMUTATOR_H

#include <cstdint>
#include <random>

namespace onnx {
class ModelProto;
} // namespace onnx

namespace mlir::tfperf::fuzz {

/// Applies one to three mutations to `model`.
void mutateModel(onnx::ModelProto &model, std::minstd_rand &rng);

} // namespace mlir::tfperf::fuzz

#endif
