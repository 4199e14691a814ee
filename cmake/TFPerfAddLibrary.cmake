# add_tfperf_library(name sources... [LINK_LIBS libs...] [DEPENDS targets...])
#
# One static library per lib/ directory, linking only the tfperf libraries
# of the layers below it (LINK_LIBS), so that a layer that reaches upwards
# fails to link in the first tool that leaves the upper layer out
# (tfperf-translate links the importer alone).
#
# No library links MLIR or LLVM: each tool chooses, with
# tfperf_link_mlir(), the shared libMLIR.so or the static archives
# (cmake/TFPerfStaticMLIR.cmake). The same objects serve both, so the
# static `tfperf` costs one link, not a second compile.
function(add_tfperf_library name)
  cmake_parse_arguments(ARG "" "" "LINK_LIBS;DEPENDS" ${ARGN})
  add_library(${name} STATIC ${ARG_UNPARSED_ARGUMENTS})
  llvm_update_compile_flags(${name})
  add_dependencies(${name} tfperf-headers ${ARG_DEPENDS})
  if(ARG_LINK_LIBS)
    target_link_libraries(${name} PUBLIC ${ARG_LINK_LIBS})
  endif()
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()

# tfperf_link_mlir(target SHARED|STATIC): links `target` against libMLIR.so
# and libLLVM.so, or against the static archives. Never both in one binary.
function(tfperf_link_mlir target kind)
  if(kind STREQUAL "STATIC")
    target_link_libraries(${target} PRIVATE TFPerfStaticMLIR)
    # libz3 and the like, named by LLVMSupport's interface, stay unmapped
    # unless a symbol of theirs is used.
    target_link_options(${target} PRIVATE LINKER:--as-needed)
    target_compile_definitions(${target} PRIVATE TFPERF_STATIC_LLVM)
  else()
    target_link_libraries(${target} PRIVATE MLIR LLVM)
  endif()
endfunction()
