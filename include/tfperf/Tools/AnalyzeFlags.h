//===- AnalyzeFlags.h - the command-line flags of the tfperf tools -*- C++ -*-===//
//
// The import and analysis flags tfperf and tfperf-opt share (--hw,
// --report, --tp, ...), defined once here in their option categories, and
// their mapping to ImportOptions and AnalyzeOptions. Linking this library
// registers the flags.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_TOOLS_ANALYZEFLAGS_H
#define TFPERF_TOOLS_ANALYZEFLAGS_H

#include "tfperf/Pipelines/AnalyzePipeline.h"
#include "tfperf/Target/ONNX/ImportONNX.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/MemoryBuffer.h"

namespace mlir::tfperf {

/// The categories `--help` groups the flags in.
llvm::cl::OptionCategory &getImportFlagsCategory();
llvm::cl::OptionCategory &getAnalysisFlagsCategory();
llvm::cl::OptionCategory &getReportFlagsCategory();

/// True when a flag asks for the analysis (tfperf-opt runs it only then).
bool analysisFlagsGiven();
/// --list-hw was given.
bool listHardwareRequested();

/// The import flags (--bind-dims, --onnx-value-names).
ImportOptions importOptionsFromFlags();
/// Maps the analysis flags to `options` and validates them; on a bad flag
/// prints `<tool>: error: <message>` and fails.
LogicalResult analyzeOptionsFromFlags(AnalyzeOptions &options,
                                      llvm::StringRef tool);

/// Prints the known devices (built-in and --hw-file).
void listHardware(llvm::raw_ostream &os);

/// Opens the model `inputFilename` (a regular file or a pipe, not empty,
/// never one of `outputs`); on a problem prints it and returns null.
std::unique_ptr<llvm::MemoryBuffer>
openModelInput(llvm::StringRef inputFilename,
               llvm::ArrayRef<llvm::StringRef> outputs);

} // namespace mlir::tfperf

#endif // TFPERF_TOOLS_ANALYZEFLAGS_H
