# TFPERF_STATIC_LLVM: link tfperf against the static MLIR and LLVM archives
# (Debian's libmlir-22-dev and llvm-22-dev ship them) instead of libMLIR.so
# and libLLVM.so.
#
# Why: mapping the two shared libraries costs every tfperf-opt process about
# 86 MiB of resident memory (the dynamic loader's symbol lookups and the
# static initializers touch most of their 190 MB, in page-cache folios) and
# about 20 ms of start-up. Statically linked, tfperf-opt starts in 8 MiB and
# imports a TinyLlama-shaped graph in 17 MiB instead of 96 MiB (see
# docs/benchmarks.md). It stays off by default: a pass plugin loaded into
# mlir-opt must share that tool's libMLIR.so, and upstream extensions
# (promised interfaces of linalg/tosa for their own transformations) are
# left out of the static tools.
#
# How: every tfperf target links the imported targets `MLIR` and `LLVM`;
# here both are re-pointed, in place, at archives, so targets added later need
# no change. Debian's static MLIR archives list `LLVM` as a dependency, which
# then resolves to the LLVM archives too, never to the shared library.

if(NOT TFPERF_STATIC_LLVM)
  return()
endif()

# LLVMSupport's exported interface names this target; Debian ships only the
# runtime library (libzstd.so.1) unless libzstd-dev is installed.
if(NOT TARGET zstd::libzstd_shared)
  find_library(TFPERF_ZSTD_LIBRARY NAMES zstd libzstd.so.1)
  if(NOT TFPERF_ZSTD_LIBRARY)
    message(FATAL_ERROR "TFPERF_STATIC_LLVM: libzstd not found")
  endif()
  add_library(zstd::libzstd_shared INTERFACE IMPORTED)
  set_target_properties(zstd::libzstd_shared PROPERTIES
    INTERFACE_LINK_LIBRARIES "${TFPERF_ZSTD_LIBRARY}")
endif()

# Re-points imported shared target `target` at archive `location`, with the
# imported static targets `deps` behind it.
function(tfperf_make_imported_static target location deps)
  if(NOT EXISTS "${location}")
    message(FATAL_ERROR "TFPERF_STATIC_LLVM: ${location} is missing")
  endif()
  get_target_property(cfgs ${target} IMPORTED_CONFIGURATIONS)
  foreach(cfg ${cfgs})
    set_target_properties(${target} PROPERTIES
      IMPORTED_LOCATION_${cfg} "${location}"
      IMPORTED_SONAME_${cfg} "")
  endforeach()
  set_target_properties(${target} PROPERTIES
    IMPORTED_LOCATION "${location}"
    INTERFACE_LINK_LIBRARIES "${deps}")
endfunction()

# What tfperf uses (MlirOptMain, func, the dialects with external cost
# models, the generic passes; not upstream's extensions, see
# include/tfperf/InitAllDialects.h); the archives
# they need in turn come from their own exported interfaces.
tfperf_make_imported_static(MLIR "${MLIR_INSTALL_PREFIX}/lib/libMLIRSupport.a"
  "MLIROptLib;MLIRTranslateLib;MLIRFuncDialect;MLIRArithDialect;MLIRMathDialect;MLIRTensorDialect;MLIRLinalgDialect;MLIRTosaDialect;MLIRTransforms;MLIRParser;MLIRPass;MLIRIR;MLIRSupport")
tfperf_make_imported_static(LLVM "${LLVM_LIBRARY_DIR}/libLLVMSupport.a"
  "LLVMRemarks;LLVMBitstreamReader;LLVMSupport;LLVMDemangle")
add_compile_definitions(TFPERF_STATIC_LLVM)
message(STATUS "tfperf: linking the static MLIR and LLVM archives")
