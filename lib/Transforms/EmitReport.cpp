//===- EmitReport.cpp - the tfperf-emit-report pass -----------------------===//

#include "tfperf/ExternalModels/ExternalModels.h"
#include "tfperf/Report/Report.h"
#include "tfperf/Transforms/TFPerfPass.h"
#include "tfperf/Transforms/Passes.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::tfperf {
#define GEN_PASS_DEF_TFPERFEMITREPORT
#include "tfperf/Transforms/Passes.h.inc"
} // namespace mlir::tfperf

using namespace mlir;
using namespace mlir::tfperf;

namespace {
struct EmitReportPass
    : TFPerfPass<EmitReportPass, tfperf::impl::TFPerfEmitReportBase> {
  using TFPerfPass::TFPerfPass;
  LogicalResult runOnModule(ModuleOp module) override {
    if (!llvm::is_contained(supportedReportFormats(), format)) {
      module.emitError() << "unknown report format '" << format << "' (use "
                         << supportedReportFormatList() << ")";
      return failure();
    }
    const ReportAnalysis &analysis = getAnalysis<ReportAnalysis>();
    const std::optional<Report> &report = analysis.report;
    if (!report) {
      module.emitError() << analysis.error;
      return failure();
    }
    // Render completely before touching the output, so a failure never
    // leaves a partial report in place of a good one.
    std::string text;
    llvm::raw_string_ostream os(text);
    TextReportOptions opts;
    opts.top = top;
    opts.showShapeOps = showShapeOps;
    printReport(*report, format, os, opts);
    os.flush();
    if (outputFile == "-") {
      llvm::outs() << text;
      llvm::outs().flush();
    } else if (llvm::Error e = llvm::writeToOutput(
                   outputFile, [&](llvm::raw_ostream &out) {
                     out << text;
                     return llvm::Error::success();
                   })) {
      module.emitError() << "cannot write report '" << outputFile
                         << "': " << llvm::toString(std::move(e));
      return failure();
    }
    markAllAnalysesPreserved();
    return success();
  }
};
} // namespace
