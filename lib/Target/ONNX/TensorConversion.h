//===- TensorConversion.h - ONNX types and tensors to MLIR ------*- C++ -*-===//

#ifndef TFPERF_LIB_TARGET_ONNX_TENSORCONVERSION_H
#define TFPERF_LIB_TARGET_ONNX_TENSORCONVERSION_H

#include "ModelLoader.h"
#include "tfperf/Support/SymExpr.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"

namespace mlir::tfperf::onnximport {

/// The MLIR element type of an ONNX TensorProto.DataType, or null.
Type convertElementType(MLIRContext *ctx, int32_t onnxType);
/// The ONNX TensorProto.DataType of an MLIR element type, 0 when none.
int32_t onnxElementType(Type type);
/// Name of an ONNX data type for messages (e.g. "FLOAT16").
std::string onnxTypeName(int32_t onnxType);
/// Storage bits per element (4 for INT4), 0 when unknown.
unsigned onnxTypeBits(int32_t onnxType);

/// The dims of a TypeProto's tensor shape as SymExprs (dim_params become
/// symbols, missing dims fresh symbols named `<value>_d<i>`). Sets `error`
/// on negative or absurd dims or a missing shape (returns nullopt).
std::optional<llvm::SmallVector<SymExpr, 4>>
convertShape(const onnx::TensorShapeProto &shape, llvm::StringRef valueName,
             std::string &error);

/// Checks that a tensor's dims are sane and that the data it carries (or
/// carried before the loader skipped it) matches them. Returns the static
/// tensor type or sets `error`.
FailureOr<RankedTensorType>
convertTensorType(MLIRContext *ctx, const onnx::TensorProto &tensor,
                  const LoadedModel &loaded, std::string &error);

/// The tensor's data as a DenseElementsAttr when it is present inline
/// (nullptr when it was skipped or lives in external data).
FailureOr<DenseElementsAttr> convertTensorData(const onnx::TensorProto &tensor,
                                               RankedTensorType type,
                                               std::string &error);

} // namespace mlir::tfperf::onnximport

#endif
