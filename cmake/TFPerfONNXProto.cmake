# The ONNX protobuf bindings and operator schemas: Debian's libonnx_proto and
# libonnx (ONNX 1.12, `ONNX_NAMESPACE=onnx`, `ONNX_ML=1`). The bindings are
# generated from onnx-ml.proto (onnx.proto plus the Opaque type) with the
# full runtime, so text and JSON fixtures parse. tfperf reads the function
# bodies of ai.onnx ops from libonnx's schema registry, and libonnx links
# libonnx_proto: bindings of our own for the same messages would register
# `onnx.*` a second time in protobuf's descriptor pool (an abort at startup)
# and clash with its classes, so these are the only ones.
find_package(ONNX CONFIG REQUIRED)
add_library(TFPerfONNXProto INTERFACE)
target_link_libraries(TFPerfONNXProto INTERFACE onnx_proto)
