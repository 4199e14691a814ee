# TFPerfStaticMLIR: an interface target that links Debian's static MLIR and
# LLVM archives (libmlir-22-dev, llvm-22-dev) instead of libMLIR.so and
# libLLVM.so, for the command-line tool `tfperf` (tfperf_link_mlir in
# cmake/TFPerfAddLibrary.cmake).
#
# Why: mapping the two shared libraries costs every process about 86 MiB of
# resident memory (the dynamic loader's symbol lookups and the static
# initializers touch most of their 190 MB) and 20-40 ms of start-up; the
# static tool starts in a few MiB (docs/benchmarks.md). The shared
# libraries stay for tfperf-opt and the mlir-opt plugin, which must share
# libMLIR.so's registries with the host tool.
#
# How: Debian's static MLIR targets (MLIRIR, ...) list `LLVM`, the shared
# library, as a dependency, so they cannot be linked as they are beside the
# shared ones in one build tree. Here each static MLIR target the roots need
# is mirrored as TFPerfStatic::<name>, with the same archive and its
# dependencies mapped: MLIR targets to their mirrors, `LLVM` to the static
# LLVM component archives. CMake then orders the archives itself.

# What tfperf's own libraries use: the IR, parser and pass manager, func,
# the dialects with external cost models. Their dependencies follow.
set(TFPERF_STATIC_MLIR_ROOTS
  MLIRFuncDialect MLIRArithDialect MLIRMathDialect MLIRTensorDialect
  MLIRLinalgDialect MLIRTosaDialect MLIRParser MLIRPass MLIRIR MLIRSupport)
# The LLVM components behind them (MLIR's archives name only `LLVM`).
set(TFPERF_STATIC_LLVM_COMPONENTS
  LLVMSupport LLVMDemangle LLVMRemarks LLVMBitstreamReader)

# LLVMSupport's exported interface names this target; Debian ships only the
# runtime library (libzstd.so.1) unless libzstd-dev is installed.
if(NOT TARGET zstd::libzstd_shared)
  find_library(TFPERF_ZSTD_LIBRARY NAMES zstd libzstd.so.1)
  if(NOT TFPERF_ZSTD_LIBRARY)
    message(FATAL_ERROR "TFPerfStaticMLIR: libzstd not found")
  endif()
  add_library(zstd::libzstd_shared INTERFACE IMPORTED)
  set_target_properties(zstd::libzstd_shared PROPERTIES
    INTERFACE_LINK_LIBRARIES "${TFPERF_ZSTD_LIBRARY}")
endif()

# The archive of imported static target `target`.
function(_tfperf_imported_archive target out)
  get_target_property(location ${target} IMPORTED_LOCATION)
  if(NOT location)
    get_target_property(cfgs ${target} IMPORTED_CONFIGURATIONS)
    list(GET cfgs 0 cfg)
    get_target_property(location ${target} IMPORTED_LOCATION_${cfg})
  endif()
  if(NOT location OR NOT EXISTS "${location}")
    message(FATAL_ERROR "TFPerfStaticMLIR: no archive for ${target} (${location})")
  endif()
  set(${out} "${location}" PARENT_SCOPE)
endfunction()

set(_queue ${TFPERF_STATIC_MLIR_ROOTS})
set(_seen)
while(_queue)
  list(POP_FRONT _queue _t)
  if(_t IN_LIST _seen)
    continue()
  endif()
  list(APPEND _seen ${_t})
  get_target_property(_deps ${_t} INTERFACE_LINK_LIBRARIES)
  set(_mapped)
  foreach(_d IN LISTS _deps)
    # $<LINK_ONLY:X> is X for a static archive.
    string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" _d "${_d}")
    if(_d STREQUAL "LLVM")
      list(APPEND _mapped ${TFPERF_STATIC_LLVM_COMPONENTS})
    elseif(_d MATCHES "^MLIR" AND TARGET ${_d})
      list(APPEND _mapped TFPerfStatic::${_d})
      list(APPEND _queue ${_d})
    elseif(_d)
      list(APPEND _mapped ${_d})
    endif()
  endforeach()
  get_target_property(_type ${_t} TYPE)
  if(_type STREQUAL "INTERFACE_LIBRARY")
    # Header-only (MLIRSparseTensorEnums): nothing to link but its deps.
    add_library(TFPerfStatic::${_t} INTERFACE IMPORTED)
  else()
    _tfperf_imported_archive(${_t} _archive)
    add_library(TFPerfStatic::${_t} STATIC IMPORTED)
    set_target_properties(TFPerfStatic::${_t} PROPERTIES
      IMPORTED_LOCATION "${_archive}")
  endif()
  set_target_properties(TFPerfStatic::${_t} PROPERTIES
    INTERFACE_LINK_LIBRARIES "${_mapped}")
endwhile()

add_library(TFPerfStaticMLIR INTERFACE)
list(TRANSFORM TFPERF_STATIC_MLIR_ROOTS PREPEND TFPerfStatic::
  OUTPUT_VARIABLE _roots)
target_link_libraries(TFPerfStaticMLIR INTERFACE ${_roots}
  ${TFPERF_STATIC_LLVM_COMPONENTS})
list(LENGTH _seen _n)
message(STATUS "tfperf: the static tool links ${_n} MLIR archives")
