//===- TensorConversion.cpp - ONNX types and tensors to MLIR --------------===//

#include "TensorConversion.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/Support/Endian.h"

using namespace mlir;
using namespace mlir::tfperf;
using namespace mlir::tfperf::onnximport;

Type mlir::tfperf::onnximport::convertElementType(MLIRContext *ctx,
                                                  int32_t t) {
  Builder b(ctx);
  switch (t) {
  case onnx::TensorProto::FLOAT: return b.getF32Type();
  case onnx::TensorProto::UINT8: return b.getIntegerType(8, false);
  case onnx::TensorProto::INT8: return b.getIntegerType(8);
  case onnx::TensorProto::UINT16: return b.getIntegerType(16, false);
  case onnx::TensorProto::INT16: return b.getIntegerType(16);
  case onnx::TensorProto::INT32: return b.getIntegerType(32);
  case onnx::TensorProto::INT64: return b.getIntegerType(64);
  case onnx::TensorProto::BOOL: return b.getI1Type();
  case onnx::TensorProto::FLOAT16: return b.getF16Type();
  case onnx::TensorProto::DOUBLE: return b.getF64Type();
  case onnx::TensorProto::UINT32: return b.getIntegerType(32, false);
  case onnx::TensorProto::UINT64: return b.getIntegerType(64, false);
  case onnx::TensorProto::COMPLEX64: return ComplexType::get(b.getF32Type());
  case onnx::TensorProto::COMPLEX128: return ComplexType::get(b.getF64Type());
  case onnx::TensorProto::BFLOAT16: return b.getBF16Type();
  // Types newer than the onnx 1.12 proto, by their ONNX numbers.
  case 17: return Float8E4M3FNType::get(ctx);
  case 18: return Float8E4M3FNUZType::get(ctx);
  case 19: return Float8E5M2Type::get(ctx);
  case 20: return Float8E5M2FNUZType::get(ctx);
  case 21: return b.getIntegerType(4, false);
  case 22: return b.getIntegerType(4);
  case 23: return Float4E2M1FNType::get(ctx);
  case 24: return Float8E8M0FNUType::get(ctx);
  case 25: return b.getIntegerType(2, false);
  case 26: return b.getIntegerType(2);
  default: return nullptr;
  }
}

int32_t mlir::tfperf::onnximport::onnxElementType(Type type) {
  // The inverse of convertElementType, whose numbers run from 1 to 26.
  for (int32_t t = 1; t <= 26; ++t)
    if (convertElementType(type.getContext(), t) == type)
      return t;
  return 0;
}

std::string mlir::tfperf::onnximport::onnxTypeName(int32_t t) {
  if (onnx::TensorProto::DataType_IsValid(t))
    return onnx::TensorProto::DataType_Name(
        static_cast<onnx::TensorProto::DataType>(t));
  switch (t) {
  case 17: return "FLOAT8E4M3FN";
  case 18: return "FLOAT8E4M3FNUZ";
  case 19: return "FLOAT8E5M2";
  case 20: return "FLOAT8E5M2FNUZ";
  case 21: return "UINT4";
  case 22: return "INT4";
  case 23: return "FLOAT4E2M1";
  case 24: return "FLOAT8E8M0";
  case 25: return "UINT2";
  case 26: return "INT2";
  }
  return "type #" + std::to_string(t);
}

unsigned mlir::tfperf::onnximport::onnxTypeBits(int32_t t) {
  switch (t) {
  case onnx::TensorProto::UINT8: case onnx::TensorProto::INT8:
  case onnx::TensorProto::BOOL: case 17: case 18: case 19: case 20: case 24:
    return 8;
  case onnx::TensorProto::UINT16: case onnx::TensorProto::INT16:
  case onnx::TensorProto::FLOAT16: case onnx::TensorProto::BFLOAT16:
    return 16;
  case onnx::TensorProto::FLOAT: case onnx::TensorProto::INT32:
  case onnx::TensorProto::UINT32:
    return 32;
  case onnx::TensorProto::INT64: case onnx::TensorProto::DOUBLE:
  case onnx::TensorProto::UINT64: case onnx::TensorProto::COMPLEX64:
    return 64;
  case onnx::TensorProto::COMPLEX128:
    return 128;
  case 21: case 22: case 23:
    return 4;
  case 25: case 26:
    return 2;
  }
  return 0;
}

std::optional<SmallVector<SymExpr, 4>>
mlir::tfperf::onnximport::convertShape(const onnx::TensorShapeProto &shape,
                                       llvm::StringRef valueName,
                                       std::string &error) {
  if (shape.dim_size() > kMaxRank) {
    error = "has rank " + std::to_string(shape.dim_size()) +
            ", more than tfperf accepts (" + std::to_string(kMaxRank) + ")";
    return std::nullopt;
  }
  SmallVector<SymExpr, 4> dims;
  for (int i = 0; i < shape.dim_size(); ++i) {
    const auto &d = shape.dim(i);
    if (d.has_dim_value()) {
      int64_t v = d.dim_value();
      if (v < 0) {
        error = "has negative dim " + std::to_string(v) + " at index " +
                std::to_string(i);
        return std::nullopt;
      }
      if (v > kMaxDimValue) {
        error = "has absurd dim " + std::to_string(v) + " at index " +
                std::to_string(i) + " (more than 2^62)";
        return std::nullopt;
      }
      dims.push_back(SymExpr(v));
    } else if (d.has_dim_param() && !d.dim_param().empty()) {
      dims.push_back(SymExpr::fromDimParam(d.dim_param()));
    } else {
      dims.push_back(
          SymExpr::symbol((valueName + "_d" + llvm::Twine(i)).str()));
    }
  }
  return dims;
}

FailureOr<RankedTensorType>
mlir::tfperf::onnximport::convertTensorType(MLIRContext *ctx,
                                            const onnx::TensorProto &tensor,
                                            const LoadedModel &loaded,
                                            std::string &error) {
  Type et = convertElementType(ctx, tensor.data_type());
  if (!et) {
    error = "has unsupported data type " + onnxTypeName(tensor.data_type());
    return failure();
  }
  // Dims the loader counted but did not parse (too many) count too.
  auto oversized = loaded.oversizedDims.find(&tensor);
  uint64_t rank = oversized != loaded.oversizedDims.end() ? oversized->second
                                                          : tensor.dims_size();
  if (rank > kMaxRank) {
    error = "has rank " + std::to_string(rank) + ", more than tfperf accepts (" +
            std::to_string(kMaxRank) + ")";
    return failure();
  }
  SmallVector<int64_t> shape;
  Int128 numel = 1;
  for (int64_t d : tensor.dims()) {
    if (d < 0) {
      error = "has negative dim " + std::to_string(d);
      return failure();
    }
    if (d > kMaxDimValue) {
      error = "has absurd dim " + std::to_string(d) + " (more than 2^62)";
      return failure();
    }
    shape.push_back(d);
    if (__builtin_mul_overflow(numel, (Int128)d, &numel) ||
        numel > (Int128(1) << 62)) {
      error = "has more than 2^62 elements";
      return failure();
    }
  }
  // Data that is present (or was skipped) must match the dims.
  Int128 bits = numel * onnxTypeBits(tensor.data_type());
  auto checkRaw = [&](uint64_t bytes) -> bool {
    if ((Int128)bytes == (bits + 7) / 8)
      return true;
    error = "has " + std::to_string(bytes) + " bytes of raw data but its dims need " +
            int128ToString((bits + 7) / 8);
    return false;
  };
  auto checkTyped = [&](uint64_t count) -> bool {
    // Typed arrays hold one entry per element (two per complex element).
    Int128 want = numel;
    if (tensor.data_type() == onnx::TensorProto::COMPLEX64 ||
        tensor.data_type() == onnx::TensorProto::COMPLEX128)
      want *= 2;
    // Sub-byte types are packed into int32_data: 2 (4-bit) or 4 (2-bit) per entry.
    if (tensor.data_type() == 21 || tensor.data_type() == 22 ||
        tensor.data_type() == 23)
      want = (numel + 1) / 2;
    if (tensor.data_type() == 25 || tensor.data_type() == 26)
      want = (numel + 3) / 4;
    if ((Int128)count == want)
      return true;
    error = "has " + std::to_string(count) +
            " data elements but its dims need " + int128ToString(want);
    return false;
  };
  bool external = tensor.data_location() == onnx::TensorProto::EXTERNAL;
  auto it = loaded.skipped.find(&tensor);
  if (it != loaded.skipped.end()) {
    if (it->second.rawBytes && !checkRaw(it->second.rawBytes))
      return failure();
    if (it->second.typedElements && !checkTyped(it->second.typedElements))
      return failure();
  } else if (!external) {
    uint64_t typed = tensor.float_data_size() + tensor.int32_data_size() +
                     tensor.string_data_size() + tensor.int64_data_size() +
                     tensor.double_data_size() + tensor.uint64_data_size();
    if (tensor.has_raw_data()) {
      if (!checkRaw(tensor.raw_data().size()))
        return failure();
    } else if (typed || numel > 0) {
      if (tensor.data_type() != onnx::TensorProto::STRING &&
          !checkTyped(typed))
        return failure();
    }
  }
  return RankedTensorType::get(shape, et);
}

FailureOr<DenseElementsAttr>
mlir::tfperf::onnximport::convertTensorData(const onnx::TensorProto &tensor,
                                            RankedTensorType type,
                                            std::string &error) {
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL)
    return DenseElementsAttr();
  int64_t numel = type.getNumElements();
  Type et = type.getElementType();
  bool hasTyped = tensor.float_data_size() || tensor.int32_data_size() ||
                  tensor.int64_data_size() || tensor.double_data_size() ||
                  tensor.uint64_data_size();
  if (!tensor.has_raw_data() && !hasTyped)
    return numel == 0 ? DenseElementsAttr::get(type, ArrayRef<Attribute>())
                      : DenseElementsAttr(); // skipped by the loader
  const std::string &raw = tensor.raw_data();
  bool rawData = tensor.has_raw_data();
  // Without raw_data, values come from one typed array (the first of
  // `arrays` that is set), which must hold every element: convertTensorType
  // checked only the sum over all arrays.
  auto checkTypedSource =
      [&](std::initializer_list<std::pair<int, const char *>> arrays,
          const char *otherwise) -> LogicalResult {
    if (rawData)
      return success();
    for (auto [count, field] : arrays) {
      if (!count)
        continue;
      if (count == numel)
        return success();
      error = "has " + std::to_string(count) + " entries in " + field +
              " but its dims need " + std::to_string(numel);
      return failure();
    }
    error = otherwise;
    return failure();
  };
  if (auto it = dyn_cast<IntegerType>(et)) {
    unsigned w = it.getWidth();
    if (w != 1 && w != 8 && w != 16 && w != 32 && w != 64)
      return DenseElementsAttr();
    if (failed(checkTypedSource({{tensor.int64_data_size(), "int64_data"},
                                 {tensor.uint64_data_size(), "uint64_data"},
                                 {tensor.int32_data_size(), "int32_data"}},
                                "has integer type but non-integer data")))
      return failure();
    SmallVector<APInt> vals;
    vals.reserve(numel);
    for (int64_t i = 0; i < numel; ++i) {
      uint64_t v = 0;
      if (rawData) {
        unsigned bytes = w == 1 ? 1 : w / 8;
        const char *p = raw.data() + i * bytes;
        for (unsigned b = 0; b < bytes; ++b)
          v |= uint64_t(uint8_t(p[b])) << (8 * b);
      } else if (tensor.int64_data_size()) {
        v = tensor.int64_data(i);
      } else if (tensor.uint64_data_size()) {
        v = tensor.uint64_data(i);
      } else {
        v = uint64_t(int64_t(tensor.int32_data(i)));
      }
      vals.push_back(APInt(w, w == 1 ? (v != 0) : v, /*isSigned=*/false,
                           /*implicitTrunc=*/true));
    }
    return DenseElementsAttr::get(type, vals);
  }
  if (isa<Float32Type, Float64Type, Float16Type, BFloat16Type>(et)) {
    const auto &sem = cast<FloatType>(et).getFloatSemantics();
    unsigned w = cast<FloatType>(et).getWidth();
    if (failed(checkTypedSource({{tensor.float_data_size(), "float_data"},
                                 {tensor.double_data_size(), "double_data"},
                                 {tensor.int32_data_size(), "int32_data"}},
                                "has float type but 64-bit integer data")))
      return failure();
    // float_data and double_data hold values (converted to the tensor's
    // type, whatever it is); raw_data and, for 16-bit floats, int32_data
    // hold bits.
    auto fromValue = [&](APFloat f) {
      bool lost;
      f.convert(sem, APFloat::rmNearestTiesToEven, &lost);
      return f;
    };
    SmallVector<APFloat> vals;
    vals.reserve(numel);
    for (int64_t i = 0; i < numel; ++i) {
      if (!rawData && tensor.float_data_size()) {
        vals.push_back(fromValue(APFloat(tensor.float_data(i))));
        continue;
      }
      if (!rawData && tensor.double_data_size()) {
        vals.push_back(fromValue(APFloat(tensor.double_data(i))));
        continue;
      }
      uint64_t bitsv = 0;
      if (rawData) {
        const char *p = raw.data() + i * (w / 8);
        for (unsigned b = 0; b < w / 8; ++b)
          bitsv |= uint64_t(uint8_t(p[b])) << (8 * b);
      } else {
        bitsv = uint32_t(tensor.int32_data(i)); // f16/bf16 bits
      }
      vals.push_back(APFloat(sem, APInt(w, bitsv, /*isSigned=*/false,
                                        /*implicitTrunc=*/true)));
    }
    return DenseElementsAttr::get(type, vals);
  }
  return DenseElementsAttr();
}
