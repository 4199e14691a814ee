//===- ServingAnalysis.cpp - serving simulation of the graph -------------===//

#include "tfperf/Analysis/ServingAnalysis.h"
#include "tfperf/Analysis/ExpertParallel.h"
#include "tfperf/Analysis/TensorParallel.h"
#include "tfperf/Dialect/TFPerf/IR/ModelReader.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"

#include <chrono>
#include <cmath>

using namespace mlir;
using namespace mlir::tfperf;

namespace {
/// The draft model of speculative decoding (`draft=` of --serve): its graph,
/// read as the tool reads a model (ONNX through the tool's ModelReader,
/// weights never read, or MLIR), and its structure, from which each target
/// gets the draft's own step cost.
struct DraftGraph {
  OwningOpRef<ModuleOp> module;
  std::unique_ptr<TransformerStructure> structure;
  std::unique_ptr<TensorParallelPlan> plan;

  bool load(llvm::StringRef path, MLIRContext *context, bool withPlan,
            std::string &error) {
    std::string message;
    auto file = openInputFile(path, &message);
    if (!file) {
      error = "draft: " + message;
      return false;
    }
    auto *tfperf = context->getOrLoadDialect<TFPerfDialect>();
    auto *reader = tfperf->getRegisteredInterface<ModelReaderInterface>();
    if (reader && reader->reads(path, file->getBuffer())) {
      module = reader->read(file->getMemBufferRef(), path, context);
    } else {
      ParserConfig config(context);
      module = parseSourceString<ModuleOp>(file->getBuffer(), config, path);
    }
    func::FuncOp func = module ? firstFunction(*module) : nullptr;
    if (!func) {
      error = "draft: " + path.str() +
              ": not a model graph (the errors above say why)";
      return false;
    }
    structure = std::make_unique<TransformerStructure>(*module);
    if (withPlan)
      plan = std::make_unique<TensorParallelPlan>(func, *structure);
    return true;
  }
};
} // namespace

std::optional<ServingSection> mlir::tfperf::analyzeServing(
    ModuleOp module, const TransformerStructure &structure,
    const DtypePolicy &policy, llvm::ArrayRef<DeviceSpec> reportDevices,
    llvm::StringRef hwFile, const serving::ServingSpec &spec,
    const serving::ServiceLevel *serviceLevel, std::string &error) {
  ServingSection section;
  section.spec = spec;
  if (serviceLevel)
    section.serviceLevel = *serviceLevel;
  std::optional<serving::Workload> trace;
  if (!spec.trace.empty()) {
    trace = serving::readTrace(spec.trace, error);
    if (!trace) {
      error = "--serve: " + error;
      return std::nullopt;
    }
    section.workload = trace->description;
  } else {
    auto list = [](auto values) {
      std::string s;
      for (auto v : values) {
        char buf[32];
        snprintf(buf, sizeof(buf), "%g", double(v));
        s += (s.empty() ? "" : ", ") + std::string(buf);
      }
      return s;
    };
    section.workload = "isl " + std::to_string(spec.isl) + ", osl " +
                       std::to_string(spec.osl) +
                       (spec.rate.empty()
                            ? ", closed loop at concurrency " + list(spec.concurrency)
                            : ", Poisson arrivals at " + list(spec.rate) +
                                  " requests/s (seed " + std::to_string(spec.seed) + ")");
    if (spec.requests)
      section.workload += ", " + std::to_string(spec.requests) + " requests a point";
  }
  std::vector<DeviceSpec> devices(reportDevices.begin(), reportDevices.end());
  if (!spec.devices.empty()) {
    std::string names;
    for (const std::string &d : spec.devices)
      names += (names.empty() ? "" : ",") + d;
    auto resolved = resolveDevices(names, hwFile, error);
    if (!resolved) {
      error = "--serve: hw: " + error;
      return std::nullopt;
    }
    devices = *resolved;
  }
  func::FuncOp func = firstFunction(module);
  std::unique_ptr<TensorParallelPlan> plan;
  if (llvm::any_of(spec.tp, [](int64_t t) { return t > 1; }) && func)
    plan = std::make_unique<TensorParallelPlan>(func, structure);
  std::optional<DraftGraph> draft;
  if (!spec.draftModel.empty()) {
    draft.emplace();
    if (!draft->load(spec.draftModel, module.getContext(), plan != nullptr,
                     error)) {
      error = "--serve: " + error;
      return std::nullopt;
    }
  }
  Timing timing = getTiming(getConfig(module));
  section.timeModel = timeModelName(timing.model).str();
  section.kernelView = kernelViewName(timing.view).str();
  section.perOpRoofline = timing.isPerOpRoofline();
  // Expert parallelism applies to routed experts only.
  std::vector<int64_t> eps = spec.ep;
  if (routedExpertBlocks(structure).empty() &&
      llvm::any_of(eps, [](int64_t e) { return e > 1; })) {
    section.epNote = "ep is ignored: the graph has no routed experts (a dense "
                     "model); every layout is ep 1";
    eps = {1};
  }
  std::vector<serving::ServingTarget> targets;
  for (const DeviceSpec &device : devices)
    for (int64_t ep : eps)
      for (int64_t tp : spec.tp) {
        ServingTargetInfo info;
        info.device = device.name;
        info.tp = tp;
        info.ep = ep;
        auto cost = buildServingStepCost(module, structure, policy, device,
                                         error, plan.get(), tp, timing, ep);
        if (!cost) {
          error = "--serve: " + error;
          return std::nullopt;
        }
        info.weightBytesPerDevice = cost->weightBytes;
        info.kvBytesPerTokenPerDevice = cost->kvBytesPerToken;
        info.stepTerms = cost->model.getTerms().size();
        info.unknownOps = cost->unknownOps;
        info.approximations = cost->approximations;
        // The draft runs on the same devices at the same degree; its weights
        // and KV cache share their memory.
        double draftWeights = 0, draftKV = 0;
        if (draft) {
          auto d = buildServingStepCost(*draft->module, *draft->structure,
                                        policy, device, error,
                                        draft->plan.get(), tp, timing);
          if (d && !d->infeasible.empty() && tp > 1) {
            // As vLLM's draft_tensor_parallel_size=1: a draft that does not
            // split at the target's degree runs whole on every device.
            info.draftUnsplit = d->infeasible;
            d = buildServingStepCost(*draft->module, *draft->structure, policy,
                                     device, error, nullptr, 1, timing);
          }
          if (!d) {
            error = "--serve: draft: " + error;
            return std::nullopt;
          }
          draftWeights = d->weightBytes;
          draftKV = d->kvBytesPerToken;
          info.draftCost = std::make_shared<ServingStepCost>(std::move(*d));
        }
        double kvBytesPerToken = cost->kvBytesPerToken + draftKV;
        // A hybrid model's states: one per sequence slot, whatever its
        // length, held before the KV blocks (vLLM sizes its Mamba cache
        // for max_num_seqs).
        info.stateBytesPerDevice =
            double(spec.engine.maxSequences) *
            (cost->stateBytesPerSequence +
             (info.draftCost ? info.draftCost->stateBytesPerSequence : 0));
        double free = spec.memoryUtilization * device.memCapacity -
                      cost->weightBytes - draftWeights -
                      info.stateBytesPerDevice;
        if (!cost->infeasible.empty()) {
          info.skipped = cost->infeasible;
        } else if (draft && !info.draftCost->infeasible.empty()) {
          info.skipped = "draft: " + info.draftCost->infeasible;
        } else if (!(cost->kvBytesPerToken > 0)) {
          info.skipped = "no KV cache recognised (an encoder?)";
        } else if (free <= 0) {
          char buf[160];
          snprintf(buf, sizeof(buf),
                   "the weights (%.2f GiB per device) leave no memory for the "
                   "KV cache",
                   (cost->weightBytes + draftWeights) / (1024.0 * 1024 * 1024));
          info.skipped = buf;
        } else {
          double blocks = std::floor(
              free / (kvBytesPerToken * double(spec.engine.blockTokens)));
          // A block count the user states (an engine's recorded one) replaces
          // the memory model's.
          info.kvBlocks = spec.kvBlocks > 0 ? spec.kvBlocks
                                            : int64_t(std::min(blocks, 1e15));
          info.kvTokens =
              double(info.kvBlocks) * double(spec.engine.blockTokens);
          if (info.kvBlocks < 1)
            info.skipped = "the memory left holds no KV block";
        }
        if (info.skipped.empty()) {
          // A target that cannot serve gets no times: they would be priced
          // without what stops it (a link, memory).
          serving::StepMix prefill = cost->model.newMix(),
                           decode = cost->model.newMix();
          int64_t isl = spec.isl ? spec.isl : 1024;
          prefill.add({isl, isl, true});
          decode.add({1, isl + 1, false});
          info.prefillTime = cost->model.time(prefill);
        if (ep > 1) {
          info.prefillAllToAllTime = 0;
          for (const serving::StepCostTerm &term : cost->model.getTerms())
            if (term.name == kAllToAllTermName)
              info.prefillAllToAllTime += term.time(prefill);
        }
          info.decodeStepTime = cost->model.time(decode);
          if (info.draftCost) {
            serving::StepMix draftDecode = info.draftCost->model.newMix();
            draftDecode.add({1, isl + 1, false});
            info.draftDecodeStepTime = info.draftCost->model.time(draftDecode);
          }
        }
        info.cost = std::make_shared<ServingStepCost>(std::move(*cost));
        if (info.skipped.empty()) {
          section.studyTargets.push_back(section.targets.size());
          targets.push_back({device.name, tp, &info.cost->model, info.kvBlocks,
                             info.kvBytesPerTokenPerDevice,
                             device.linkBandwidth, device.linkLatency,
                             info.draftCost ? &info.draftCost->model : nullptr,
                             ep});
        }
        section.targets.push_back(std::move(info));
      }
  if (targets.empty()) {
    error = "--serve: no device and TP degree can serve this model";
    for (const ServingTargetInfo &t : section.targets)
      error += "; " + t.device +
               (t.ep > 1 ? " ep " + std::to_string(t.ep) : "") + " tp " +
               std::to_string(t.tp) + ": " + t.skipped;
    return std::nullopt;
  }
  auto start = std::chrono::steady_clock::now();
  auto study = serving::runStudy(spec, targets, trace ? &*trace : nullptr,
                                 serviceLevel, error);
  section.simulationSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  if (!study) {
    error = "--serve: " + error;
    return std::nullopt;
  }
  for (const serving::StudyPoint &p : study->points) {
    section.simulatedRequests += p.result.requests;
    section.simulatedSteps += p.result.steps;
  }
  section.study = std::move(*study);
  return section;
}

ServingStudyAnalysis::ServingStudyAnalysis(Operation *root,
                                           AnalysisManager &am) {
  auto module = dyn_cast<ModuleOp>(root);
  if (!module)
    return;
  ConfigAttr config = getConfig(module);
  ServingConfigAttr part = config.getServing();
  if (!part)
    return;
  auto spec = serving::parseServingSpec(part.getSpec(), error);
  if (!spec) {
    error = "--serve: " + error;
    return;
  }
  std::optional<serving::ServiceLevel> slo;
  if (!part.getSlo().empty()) {
    slo = serving::parseServiceLevel(part.getSlo(), error);
    if (!slo) {
      error = "--slo: " + error;
      return;
    }
  }
  auto pricing = getPricingConfig(am, error);
  if (!pricing)
    return;
  const TransformerStructure &structure = am.getAnalysis<TransformerStructure>();
  section = analyzeServing(module, structure, pricing->policy,
                           pricing->devices, config.getHwFile(), *spec,
                           slo ? &*slo : nullptr, error);
}
