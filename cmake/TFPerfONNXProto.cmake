# Builds the ONNX protobuf bindings from the onnx.proto shipped by libonnx-dev.
# The proto asks for LITE_RUNTIME; we drop that option so that the generated
# classes support reflection (protobuf text format and JSON fixtures).
find_file(TFPERF_ONNX_PROTO onnx.proto PATHS /usr/include/onnx NO_DEFAULT_PATH)
if(NOT TFPERF_ONNX_PROTO)
  message(FATAL_ERROR "onnx.proto not found: install libonnx-dev")
endif()
set(_proto_dir ${CMAKE_BINARY_DIR}/onnxproto)
set(_proto_src ${_proto_dir}/onnx/onnx.proto)
file(READ ${TFPERF_ONNX_PROTO} _onnx_proto_text)
string(REPLACE "option optimize_for = LITE_RUNTIME;" "" _onnx_proto_text "${_onnx_proto_text}")
file(WRITE ${_proto_src}.tmp "${_onnx_proto_text}")
configure_file(${_proto_src}.tmp ${_proto_src} COPYONLY)
add_custom_command(
  OUTPUT ${_proto_dir}/onnx/onnx.pb.cc ${_proto_dir}/onnx/onnx.pb.h
  COMMAND ${Protobuf_PROTOC_EXECUTABLE} --cpp_out=${_proto_dir} -I${_proto_dir} ${_proto_src}
  DEPENDS ${_proto_src}
  COMMENT "Generating ONNX protobuf bindings")
add_library(TFPerfONNXProto STATIC ${_proto_dir}/onnx/onnx.pb.cc)
set_target_properties(TFPerfONNXProto PROPERTIES POSITION_INDEPENDENT_CODE ON)
target_include_directories(TFPerfONNXProto SYSTEM PUBLIC ${_proto_dir} ${Protobuf_INCLUDE_DIRS})
target_link_libraries(TFPerfONNXProto PUBLIC ${Protobuf_LIBRARIES})
# Generated code: no warnings of ours apply.
target_compile_options(TFPerfONNXProto PRIVATE -w)
