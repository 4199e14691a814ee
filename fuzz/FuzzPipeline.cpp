//===- FuzzPipeline.cpp - every analysis and report, for the fuzzers ------===//

#include "FuzzPipeline.h"

#include "tfperf/InitAllDialects.h"
#include "tfperf/Pipelines/AnalyzePipeline.h"
#include "tfperf/Target/ONNX/ImportONNX.h"
#include "tfperf/Transforms/Passes.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

using namespace mlir;
using namespace mlir::tfperf;

DialectRegistry &fuzz::registry() {
  static DialectRegistry *r = [] {
    auto *reg = new DialectRegistry();
    registerAllDialects(*reg);
    registerImportDialects(*reg);
    return reg;
  }();
  return *r;
}

MLIRContext &fuzz::sharedContext() {
  static std::unique_ptr<MLIRContext> shared;
  static unsigned uses = 0;
  if (!shared || ++uses == 200) {
    shared.reset();
    shared = std::make_unique<MLIRContext>(registry(),
                                           MLIRContext::Threading::DISABLED);
    shared->printOpOnDiagnostic(false);
    shared->loadAllAvailableDialects();
    uses = 0;
  }
  return *shared;
}

namespace {
/// The analysis configurations; each input runs one, so that every one is
/// reached without running all of them per input.
void configure(AnalyzeOptions &o, unsigned variant) {
  o.reports.push_back("/dev/null");
  o.reportFormat = ReportFormat::Text;
  switch (variant % 4) {
  case 0: // Everything at once on two devices.
    o.hw = "h100-sxm,a100-sxm-40gb";
    o.phase = AnalysisPhase::Both;
    for (int64_t t : {1, 2, 4})
      o.tp.push_back(t);
    // Expert-parallel layouts beside the degrees (a note on dense graphs).
    for (int64_t e : {1, 2})
      o.ep.push_back(e);
    o.mode = AnalysisMode::Train;
    o.symbolic = true;
    break;
  case 1: // Phases at other sizes, a sweep, fused kernels priced by the
          // calibrated time model.
    o.hw = "h100-sxm";
    o.kernels = "fused";
    o.timeModel = "calibrated";
    o.phase = AnalysisPhase::Both;
    o.batch = 3;
    o.kvLen = 100;
    o.sweep = "batch=1,4;seq=1,7,64";
    break;
  case 2: // Serving, a tiny workload.
    o.hw = "h100-sxm";
    o.serve = "isl=16,osl=4,concurrency=1,2";
    break;
  default: // Degrees on a sweep, bf16, fused kernels at the roofline.
    o.hw = "b200";
    o.kernels = "fused";
    o.timeModel = "roofline";
    o.computeDtype = "bf16";
    for (int64_t t : {1, 8})
      o.tp.push_back(t);
    o.phase = AnalysisPhase::Decode;
    o.sweep = "seq=1,33;tp=1,2";
    break;
  }
}
} // namespace

void fuzz::analyzeEverything(ModuleOp module, unsigned variant) {
  MLIRContext *context = module.getContext();
  std::string internalError;
  ScopedDiagnosticHandler swallow(context, [&](Diagnostic &d) {
    std::string text = d.str();
    if (internalError.empty() &&
        llvm::StringRef(text).contains("internal error"))
      internalError = text;
    return success();
  });
  AnalyzeOptions options;
  configure(options, variant);
  if (failed(validateAnalyzeOptions(options, [](const Twine &msg) {
        llvm::errs() << "fuzz harness: bad options: " << msg << "\n";
        std::abort();
      })))
    return;
  PassManager pm(context);
  populateAnalyzePipeline(pm, options);
  // The kernel model, and the other formats, from the same cached report.
  pm.addPass(createTFPerfFuseKernels());
  for (llvm::StringRef format : {"json", "csv", "md", "html"}) {
    TFPerfEmitReportOptions emit;
    emit.format = format.str();
    emit.outputFile = "/dev/null";
    pm.addPass(createTFPerfEmitReport(emit));
  }
  (void)pm.run(module);
  if (!internalError.empty()) {
    llvm::errs() << "fuzz: " << internalError << "\n";
    std::abort();
  }
}
