//===- ServingReport.cpp - the serving section in every format -----------===//

#include "ServingReport.h"
#include "Quoting.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Format.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::tfperf;
using serving::Distribution;
using serving::StudyPoint;

namespace {
const ServingTargetInfo &targetOf(const ServingSection &s, const StudyPoint &p) {
  return s.targets[s.studyTargets[p.target]];
}

/// "device tp t", with "ep e" before the tp where the layout has expert
/// parallelism.
std::string layoutName(const ServingTargetInfo &x) {
  return x.device + (x.ep > 1 ? " ep " + std::to_string(x.ep) : "") + " tp " +
         std::to_string(x.tp);
}

/// Whether the study has an ep axis (a text column then).
bool hasExpertParallel(const ServingSection &s) {
  return llvm::any_of(s.targets,
                      [](const ServingTargetInfo &x) { return x.ep > 1; });
}

std::string load(const StudyPoint &p) {
  if (p.rate > 0)
    return plainNumber(p.rate) + " req/s";
  if (p.concurrency > 0)
    return std::to_string(p.concurrency);
  return "trace";
}

std::string engineLine(const serving::ServingSpec &spec) {
  std::string s = "engine: up to " + std::to_string(spec.engine.maxSequences) +
                  " sequences a step, KV blocks of " +
                  std::to_string(spec.engine.blockTokens) + " tokens, " +
                  (spec.engine.chunkedPrefill ? "chunked prefill" : "whole prefills") +
                  ", " +
                  (spec.kvBlocks > 0
                       ? std::to_string(spec.kvBlocks) + " KV blocks as stated"
                       : plainNumber(spec.memoryUtilization * 100) +
                             "% of memory for weights and KV cache");
  if (spec.engine.prefixHitRate > 0)
    s += ", prefix-cache hit rate " + plainNumber(spec.engine.prefixHitRate);
  if (spec.engine.draftTokens > 0)
    s += ", speculative decoding with " + std::to_string(spec.engine.draftTokens) +
         " draft tokens accepted at " + plainNumber(spec.engine.acceptRate) +
         (spec.draftModel.empty()
              ? " (draft step " + plainNumber(spec.draftCostRatio) +
                    " of the target's)"
              : " (draft model " + spec.draftModel +
                    ": its own step cost, weights and KV cache)");
  if (spec.prefillReplicas > 0)
    s += ", disaggregated: " + std::to_string(spec.prefillReplicas) +
         " prefill and " + std::to_string(spec.decodeReplicas) +
         " decode replicas";
  else if (spec.replicas > 1)
    s += ", " + std::to_string(spec.replicas) + " data-parallel replicas";
  if (spec.engine.maxModelLen > 0)
    s += ", max model length " + std::to_string(spec.engine.maxModelLen);
  if (spec.engine.stepOverhead > 0 || spec.engine.sequenceOverhead > 0)
    s += ", engine overhead " + formatTime(spec.engine.stepOverhead) +
         " per step + " + formatTime(spec.engine.sequenceOverhead) +
         " per scheduled sequence";
  return s;
}

std::string pct(const Distribution &d, double Distribution::*field) {
  return d.count ? formatTime(d.*field) : "-";
}
} // namespace

void mlir::tfperf::appendServingTables(const ServingSection &s,
                                       std::vector<SummaryTable> &tables) {
  SummaryTable t;
  t.id = "serving-targets";
  bool ep = hasExpertParallel(s);
  t.title = ep ? "Serving: devices, expert- and tensor-parallel degrees"
               : "Serving: devices and tensor-parallel degrees";
  t.header = {"device", "tp", "weights / device", "KV / token / device",
              "KV tokens / replica", "prefill (isl)", "decode step (batch 1)",
              "status"};
  if (ep)
    t.header.insert(t.header.begin() + 1, "ep");
  t.firstNumeric = 1;
  for (const ServingTargetInfo &x : s.targets) {
    std::vector<std::string> row = {
        x.device,
        std::to_string(x.tp),
        formatBytes(x.weightBytesPerDevice),
        formatBytes(x.kvBytesPerTokenPerDevice),
        x.skipped.empty() ? formatRate(x.kvTokens, "") : "-",
        x.skipped.empty() ? formatTime(x.prefillTime) : "-",
        x.skipped.empty() ? formatTime(x.decodeStepTime) : "-",
        x.skipped.empty() ? "serves" : x.skipped};
    if (ep)
      row.insert(row.begin() + 1, std::to_string(x.ep));
    t.rows.push_back(std::move(row));
  }
  t.notes.push_back("workload: " + s.workload);
  if (!s.epNote.empty())
    t.notes.push_back(s.epNote);
  if (ep)
    t.notes.push_back(
        "expert parallelism: each device of an ep x tp layout holds E / ep "
        "routed experts and runs 1 / ep of their work; each MoE layer adds a "
        "dispatch and a combine all-to-all of the step's tokens "
        "(docs/TensorParallel.md#expert-parallelism); GPUs per replica are "
        "ep x tp");
  t.notes.push_back(engineLine(s.spec));
  for (const ServingTargetInfo &x : s.targets)
    if (x.stateBytesPerDevice > 0)
      t.notes.push_back(
          layoutName(x) + ": " + formatBytes(x.stateBytesPerDevice) +
          " of recurrent state per device (linear attention, causal "
          "convolutions: one state for each of the " +
          std::to_string(s.spec.engine.maxSequences) +
          " sequence slots, whatever its length) held before the KV blocks");
  if (s.perOpRoofline)
    t.notes.push_back("step times: the " + s.timeModel +
                      " of the graph's ops at each step's mix of prefill "
                      "chunks and decodes (the calibrated kernel model is not "
                      "used yet), ops run one after another");
  else
    t.notes.push_back("step times: the " + s.timeModel +
                      " time model of the " + s.kernelView +
                      " kernels (--time-model, --kernels) at each step's mix "
                      "of prefill chunks and decodes, kernels run one after "
                      "another");
  llvm::StringSet<> approximated;
  for (const ServingTargetInfo &x : s.targets) {
    if (x.draftCost && x.skipped.empty())
      t.notes.push_back(
          layoutName(x) + ": draft model " +
          formatBytes(x.draftCost->weightBytes) + " of weights and " +
          formatBytes(x.draftCost->kvBytesPerToken) +
          " of KV per token per device, decode step (batch 1) " +
          formatTime(x.draftDecodeStepTime) +
          (x.draftUnsplit.empty()
               ? std::string()
               : " (unsplit on every device: " + x.draftUnsplit + ")"));
    if (x.unknownOps)
      t.notes.push_back(layoutName(x) + ": " + std::to_string(x.unknownOps) +
                        " ops of unknown cost are left out of every step");
    // A skewed routing sets the routed work of each layout's busiest device.
    if (x.cost && !x.cost->routing.empty())
      t.notes.push_back(
          layoutName(x) + ": routing " + x.cost->routing +
          (x.ep > 1 ? ": the busiest device (experts placed contiguously) "
                      "runs " +
                          fixedOrDash(100 * x.cost->busiestShare, 1) +
                          "% of the routed pairs, " +
                          fixedOrDash(x.cost->busiestShare * double(x.ep), 2) +
                          "x the mean, and sets every step"
                    : ": the experts' skewed token counts"));
    // Layouts of one graph share their approximations: each once.
    for (const std::string &a : x.approximations)
      if (approximated.insert(a).second)
        t.notes.push_back("approximated (not linear in a step's tokens): " + a);
  }
  tables.push_back(std::move(t));

  SummaryTable p;
  p.id = "serving";
  p.title = "Serving: latency and throughput";
  p.header = {"device", "tp", "budget", "load", "GPUs", "TTFT p50", "TTFT p90",
              "TPOT p50", "TPOT p90", "E2E p90", "tok/s", "tok/s/GPU",
              "tok/s/user", "KV peak", "preempt", "frontier"};
  if (s.serviceLevel)
    p.header.push_back("SLO");
  if (ep)
    p.header.insert(p.header.begin() + 1, "ep");
  p.firstNumeric = 1;
  for (const StudyPoint &q : s.study.points) {
    const serving::ServingResult &r = q.result;
    std::vector<std::string> row = {
        targetOf(s, q).device,
        std::to_string(targetOf(s, q).tp),
        std::to_string(q.tokenBudget),
        load(q),
        std::to_string(q.gpus),
        pct(r.ttft, &Distribution::p50),
        pct(r.ttft, &Distribution::p90),
        pct(r.tpot, &Distribution::p50),
        pct(r.tpot, &Distribution::p90),
        pct(r.e2e, &Distribution::p90),
        fixedOrDash(r.outputTokensPerSecond),
        fixedOrDash(q.tokensPerSecondPerGPU),
        fixedOrDash(r.tokensPerSecondPerUser),
        r.kvBlocks ? plainNumber(std::round(1000.0 * double(r.peakKvBlocks) /
                                            double(r.kvBlocks)) / 10) + "%"
                   : "-",
        std::to_string(r.preemptions),
        q.onFrontier ? "yes" : ""};
    if (s.serviceLevel)
      row.push_back(q.meetsServiceLevel ? "meets" : "");
    if (ep)
      row.insert(row.begin() + 1, std::to_string(targetOf(s, q).ep));
    p.rows.push_back(std::move(row));
  }
  for (const StudyPoint &q : s.study.points)
    if (q.result.rejected > 0) {
      p.notes.push_back(layoutName(targetOf(s, q)) + ", load " + load(q) +
                        ": " + std::to_string(q.result.rejected) +
                        " requests rejected (" + q.result.rejections.front() +
                        ")");
      break;
    }
  if (s.study.best) {
    const StudyPoint &b = s.study.points[*s.study.best];
    p.notes.push_back(
        std::string(s.serviceLevel ? "best under " + s.serviceLevel->str()
                                   : "most tokens/s per GPU") +
        ": " + targetOf(s, b).device + " at " +
        (targetOf(s, b).ep > 1
             ? "ep " + std::to_string(targetOf(s, b).ep) + ", "
             : std::string()) +
        "tp " + std::to_string(targetOf(s, b).tp) + ", budget " +
        std::to_string(b.tokenBudget) + " tokens, load " + load(b) + ": " +
        fixedOrDash(b.tokensPerSecondPerGPU) + " tok/s per GPU, " +
        fixedOrDash(b.result.tokensPerSecondPerUser) + " tok/s per user");
  } else if (s.serviceLevel) {
    p.notes.push_back("no configuration meets " + s.serviceLevel->str());
  }
  char buf[160];
  snprintf(buf, sizeof(buf), "simulated %lld requests in %lld steps",
           (long long)s.simulatedRequests, (long long)s.simulatedSteps);
  p.notes.push_back(buf);
  tables.push_back(std::move(p));
}

static void distribution(llvm::json::OStream &j, llvm::StringRef key,
                         const Distribution &d) {
  j.attributeObject(key, [&] {
    jsonNumber(j, "mean", d.count ? std::optional<double>(d.mean) : std::nullopt);
    jsonNumber(j, "p50", d.count ? std::optional<double>(d.p50) : std::nullopt);
    jsonNumber(j, "p90", d.count ? std::optional<double>(d.p90) : std::nullopt);
    jsonNumber(j, "p99", d.count ? std::optional<double>(d.p99) : std::nullopt);
    jsonNumber(j, "max", d.count ? std::optional<double>(d.max) : std::nullopt);
    j.attribute("count", d.count);
  });
}

static void pointJSON(const ServingSection &s, const StudyPoint &q,
                      llvm::json::OStream &j, bool occupancy) {
  const serving::ServingResult &r = q.result;
  j.attribute("device", targetOf(s, q).device);
  j.attribute("tp", targetOf(s, q).tp);
  j.attribute("ep", targetOf(s, q).ep);
  j.attribute("token_budget", q.tokenBudget);
  j.attribute("concurrency", q.concurrency);
  jsonNumber(j, "rate", q.rate);
  j.attribute("gpus", q.gpus);
  j.attribute("requests", r.requests);
  j.attribute("completed", r.completed);
  j.attribute("rejected", r.rejected);
  jsonNumber(j, "duration_s", r.duration);
  distribution(j, "ttft_s", r.ttft);
  distribution(j, "tpot_s", r.tpot);
  distribution(j, "itl_s", r.itl);
  distribution(j, "e2e_s", r.e2e);
  j.attribute("input_tokens", r.inputTokens);
  j.attribute("output_tokens", r.outputTokens);
  jsonNumber(j, "output_tokens_per_s", r.outputTokensPerSecond);
  jsonNumber(j, "total_tokens_per_s", r.totalTokensPerSecond);
  jsonNumber(j, "tokens_per_s_per_gpu", q.tokensPerSecondPerGPU);
  jsonNumber(j, "tokens_per_s_per_user", r.tokensPerSecondPerUser);
  j.attribute("steps", r.steps);
  jsonNumber(j, "mean_batch", r.meanBatch);
  j.attribute("preemptions", r.preemptions);
  j.attribute("kv_blocks", r.kvBlocks);
  j.attribute("peak_kv_blocks", r.peakKvBlocks);
  j.attribute("on_frontier", q.onFrontier);
  j.attribute("meets_slo", q.meetsServiceLevel);
  if (occupancy)
    j.attributeArray("kv_occupancy", [&] {
      for (const serving::KVSample &k : r.kvOccupancy)
        j.array([&] {
          j.value(k.time);
          j.value(k.occupancy);
        });
    });
}

void mlir::tfperf::printServingJSON(const ServingSection &s,
                                    llvm::json::OStream &j) {
  j.attributeObject("serving", [&] {
    j.attribute("time_model", s.timeModel);
    if (!s.perOpRoofline)
      j.attribute("kernels", s.kernelView);
    j.attribute("workload", s.workload);
    j.attribute("engine", engineLine(s.spec));
    if (s.serviceLevel)
      j.attribute("slo", s.serviceLevel->str());
    if (!s.epNote.empty())
      j.attribute("ep_note", s.epNote);
    j.attributeArray("targets", [&] {
      for (const ServingTargetInfo &x : s.targets)
        j.object([&] {
          j.attribute("device", x.device);
          j.attribute("tp", x.tp);
          j.attribute("ep", x.ep);
          jsonNumber(j, "weight_bytes_per_device", x.weightBytesPerDevice);
          jsonNumber(j, "kv_bytes_per_token_per_device",
                     x.kvBytesPerTokenPerDevice);
          if (x.stateBytesPerDevice > 0)
            jsonNumber(j, "state_bytes_per_device", x.stateBytesPerDevice);
          j.attribute("kv_blocks", x.kvBlocks);
          jsonNumber(j, "prefill_time_s", x.prefillTime);
          jsonNumber(j, "decode_step_time_s", x.decodeStepTime);
          if (x.ep > 1)
            jsonNumber(j, "prefill_alltoall_time_s", x.prefillAllToAllTime);
          // Only under a skewed routing, so balanced reports stay as they
          // were.
          if (x.cost && !x.cost->routing.empty()) {
            j.attribute("moe_routing", x.cost->routing);
            jsonNumber(j, "busiest_device_share", x.cost->busiestShare);
          }
          j.attribute("step_terms", (int64_t)x.stepTerms);
          j.attribute("unknown_ops", (int64_t)x.unknownOps);
          if (x.draftCost) {
            jsonNumber(j, "draft_weight_bytes_per_device",
                       x.draftCost->weightBytes);
            jsonNumber(j, "draft_kv_bytes_per_token_per_device",
                       x.draftCost->kvBytesPerToken);
            jsonNumber(j, "draft_decode_step_time_s", x.draftDecodeStepTime);
            if (!x.draftUnsplit.empty())
              j.attribute("draft_unsplit", x.draftUnsplit);
          }
          if (!x.skipped.empty())
            j.attribute("skipped", x.skipped);
        });
    });
    j.attributeArray("points", [&] {
      for (const StudyPoint &q : s.study.points)
        j.object([&] { pointJSON(s, q, j, /*occupancy=*/true); });
    });
    if (s.study.best)
      j.attribute("best", (int64_t)*s.study.best);
    else
      j.attribute("best", nullptr);
  });
}

void mlir::tfperf::writeServingRows(const ServingSection &s,
                                    llvm::StringRef format,
                                    llvm::raw_ostream &os) {
  if (format == "json") {
    llvm::json::OStream j(os, 1);
    j.array([&] {
      for (const StudyPoint &q : s.study.points)
        j.object([&] { pointJSON(s, q, j, /*occupancy=*/false); });
    });
    os << "\n";
    return;
  }
  os << "device,tp,ep,token_budget,concurrency,rate,gpus,requests,completed,"
        "rejected,duration_s,ttft_p50_s,ttft_p90_s,ttft_p99_s,tpot_p50_s,"
        "tpot_p90_s,tpot_p99_s,itl_p90_s,e2e_p50_s,e2e_p90_s,e2e_p99_s,"
        "output_tokens_per_s,total_tokens_per_s,tokens_per_s_per_gpu,"
        "tokens_per_s_per_user,preemptions,peak_kv_blocks,kv_blocks,"
        "on_frontier,meets_slo\n";
  for (const StudyPoint &q : s.study.points) {
    const serving::ServingResult &r = q.result;
    auto d = [](const Distribution &x, double Distribution::*f) {
      return x.count ? plainNumber(x.*f) : std::string();
    };
    os << csvField(targetOf(s, q).device) << "," << targetOf(s, q).tp << ","
       << targetOf(s, q).ep << "," << q.tokenBudget << "," << q.concurrency
       << "," << plainNumber(q.rate) << "," << q.gpus << "," << r.requests
       << "," << r.completed << "," << r.rejected << ","
       << plainNumber(r.duration) << "," << d(r.ttft, &Distribution::p50) << ","
       << d(r.ttft, &Distribution::p90) << "," << d(r.ttft, &Distribution::p99)
       << "," << d(r.tpot, &Distribution::p50) << ","
       << d(r.tpot, &Distribution::p90) << "," << d(r.tpot, &Distribution::p99)
       << "," << d(r.itl, &Distribution::p90) << ","
       << d(r.e2e, &Distribution::p50) << "," << d(r.e2e, &Distribution::p90)
       << "," << d(r.e2e, &Distribution::p99) << ","
       << plainNumber(r.outputTokensPerSecond) << ","
       << plainNumber(r.totalTokensPerSecond) << ","
       << plainNumber(q.tokensPerSecondPerGPU) << ","
       << plainNumber(r.tokensPerSecondPerUser) << "," << r.preemptions << ","
       << r.peakKvBlocks << "," << r.kvBlocks << ","
       << (q.onFrontier ? "true" : "false") << ","
       << (q.meetsServiceLevel ? "true" : "false") << "\n";
  }
}

//===----------------------------------------------------------------------===//
// HTML charts
//===----------------------------------------------------------------------===//

namespace {
constexpr double kW = 640, kH = 360, kLeft = 70, kRight = 20, kTop = 20,
                 kBottom = 50;
const char *kPalette[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                          "#ff7f0e", "#17becf", "#8c564b", "#e377c2"};

/// A linear axis from 0 to a round maximum.
double roundUp(double v) {
  if (!(v > 0))
    return 1;
  double p = std::pow(10, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * p >= v)
      return m * p;
  return 10 * p;
}

void axes(llvm::raw_ostream &os, double xMax, double yMax,
          llvm::StringRef xLabel, llvm::StringRef yLabel) {
  double w = kW - kLeft - kRight, h = kH - kTop - kBottom;
  os << "<rect x=\"" << svgCoord(kLeft) << "\" y=\"" << svgCoord(kTop)
     << "\" width=\"" << svgCoord(w) << "\" height=\"" << svgCoord(h)
     << "\" fill=\"none\" stroke=\"#888\"/>\n";
  for (int i = 0; i <= 4; ++i) {
    double x = kLeft + w * i / 4, y = kTop + h - h * i / 4;
    os << "<text x=\"" << svgCoord(x) << "\" y=\"" << svgCoord(kTop + h + 16)
       << "\" text-anchor=\"middle\" font-size=\"11\">"
       << htmlEscape(formatRate(xMax * i / 4, "")) << "</text>\n";
    os << "<text x=\"" << svgCoord(kLeft - 6) << "\" y=\"" << svgCoord(y + 4)
       << "\" text-anchor=\"end\" font-size=\"11\">"
       << htmlEscape(formatRate(yMax * i / 4, "")) << "</text>\n";
  }
  os << "<text x=\"" << svgCoord(kLeft + w / 2) << "\" y=\""
     << svgCoord(kH - 12) << "\" text-anchor=\"middle\" font-size=\"12\">"
     << htmlEscape(xLabel) << "</text>\n";
  os << "<text transform=\"translate(14," << svgCoord(kTop + h / 2)
     << ") rotate(-90)\" text-anchor=\"middle\" font-size=\"12\">"
     << htmlEscape(yLabel) << "</text>\n";
}
} // namespace

void mlir::tfperf::writeServingCharts(const ServingSection &s,
                                      llvm::raw_ostream &os) {
  const auto &points = s.study.points;
  if (points.empty())
    return;
  double w = kW - kLeft - kRight, h = kH - kTop - kBottom;
  // Frontier: tokens/s per GPU against tokens/s per user, one colour per
  // device; the frontier joined by a line.
  double xMax = 0, yMax = 0;
  for (const StudyPoint &q : points) {
    xMax = std::max(xMax, q.result.tokensPerSecondPerUser);
    yMax = std::max(yMax, q.tokensPerSecondPerGPU);
  }
  xMax = roundUp(xMax);
  yMax = roundUp(yMax);
  auto px = [&](double v) { return kLeft + w * v / xMax; };
  auto py = [&](double v) { return kTop + h - h * v / yMax; };
  std::vector<std::string> devices;
  for (const StudyPoint &q : points)
    if (!llvm::is_contained(devices, targetOf(s, q).device))
      devices.push_back(targetOf(s, q).device);
  os << "<figure><svg class=\"serving-frontier\" viewBox=\"0 0 " << kW << " "
     << kH << "\" role=\"img\" aria-label=\"tokens per second per GPU "
     << "against tokens per second per user\">\n";
  axes(os, xMax, yMax, "tokens/s per user", "tokens/s per GPU");
  for (size_t d = 0; d < devices.size(); ++d) {
    const char *colour = kPalette[d % 8];
    std::vector<const StudyPoint *> frontier;
    for (const StudyPoint &q : points)
      if (targetOf(s, q).device == devices[d] && q.onFrontier)
        frontier.push_back(&q);
    std::sort(frontier.begin(), frontier.end(),
              [](const StudyPoint *a, const StudyPoint *b) {
                return a->result.tokensPerSecondPerUser <
                       b->result.tokensPerSecondPerUser;
              });
    if (frontier.size() > 1) {
      os << "<polyline class=\"frontier\" fill=\"none\" stroke=\"" << colour
         << "\" stroke-width=\"2\" points=\"";
      for (const StudyPoint *q : frontier)
        os << svgCoord(px(q->result.tokensPerSecondPerUser)) << ","
           << svgCoord(py(q->tokensPerSecondPerGPU)) << " ";
      os << "\"/>\n";
    }
    for (size_t i = 0; i < points.size(); ++i) {
      const StudyPoint &q = points[i];
      if (targetOf(s, q).device != devices[d])
        continue;
      bool best = s.study.best && *s.study.best == i;
      os << "<circle class=\"point\" cx=\""
         << svgCoord(px(q.result.tokensPerSecondPerUser)) << "\" cy=\""
         << svgCoord(py(q.tokensPerSecondPerGPU)) << "\" r=\""
         << (best ? "7" : "4") << "\" fill=\""
         << (q.onFrontier ? colour : "none") << "\" stroke=\"" << colour
         << "\"><title>" << htmlEscape(layoutName(targetOf(s, q)))
         << ", budget " << q.tokenBudget << ", load " << htmlEscape(load(q))
         << ": " << htmlEscape(fixedOrDash(q.tokensPerSecondPerGPU))
         << " tok/s/GPU, "
         << htmlEscape(fixedOrDash(q.result.tokensPerSecondPerUser))
         << " tok/s/user" << (best ? " (best)" : "") << "</title></circle>\n";
    }
    os << "<text x=\"" << svgCoord(kW - kRight - 8) << "\" y=\""
       << svgCoord(kTop + 16 + 16 * d) << "\" text-anchor=\"end\" "
       << "font-size=\"12\" fill=\"" << colour << "\">"
       << htmlEscape(devices[d]) << "</text>\n";
  }
  os << "</svg><figcaption>Throughput per GPU against speed per user at "
        "every point of the study; filled points and the line are each "
        "device's frontier";
  if (s.study.best)
    os << ", the large point the best configuration";
  os << ".</figcaption></figure>\n";

  // Latency percentiles per point: TTFT and TPOT, p50 to p99 as a bar with
  // a tick at p90.
  auto latencyChart = [&](llvm::StringRef title,
                          const Distribution serving::ServingResult::*field) {
    double most = 0;
    for (const StudyPoint &q : points)
      most = std::max(most, (q.result.*field).p99);
    most = roundUp(most);
    double rowH = 16, hh = kTop + rowH * points.size() + kBottom;
    os << "<figure><svg class=\"serving-latency\" viewBox=\"0 0 " << kW << " "
       << svgCoord(hh) << "\" role=\"img\" aria-label=\"" << htmlEscape(title)
       << " percentiles\">\n";
    for (size_t i = 0; i < points.size(); ++i) {
      const StudyPoint &q = points[i];
      const Distribution &d = q.result.*field;
      double y = kTop + rowH * i;
      os << "<text x=\"" << svgCoord(kLeft + 60) << "\" y=\""
         << svgCoord(y + 11) << "\" text-anchor=\"end\" font-size=\"10\">"
         << htmlEscape(targetOf(s, q).device)
         << (targetOf(s, q).ep > 1 ? " ep" + std::to_string(targetOf(s, q).ep)
                                   : std::string())
         << " tp" << targetOf(s, q).tp << " " << htmlEscape(load(q))
         << "</text>\n";
      if (!d.count || !(most > 0))
        continue;
      double x0 = kLeft + 70, ww = kW - x0 - kRight;
      auto x = [&](double v) { return x0 + ww * v / most; };
      os << "<rect x=\"" << svgCoord(x(d.p50)) << "\" y=\"" << svgCoord(y + 3)
         << "\" width=\"" << svgCoord(std::max(1.0, x(d.p99) - x(d.p50)))
         << "\" height=\"10\" fill=\"#9ecae1\"><title>p50 "
         << htmlEscape(formatTime(d.p50)) << ", p90 "
         << htmlEscape(formatTime(d.p90)) << ", p99 "
         << htmlEscape(formatTime(d.p99)) << "</title></rect>\n";
      os << "<line x1=\"" << svgCoord(x(d.p90)) << "\" x2=\""
         << svgCoord(x(d.p90)) << "\" y1=\"" << svgCoord(y + 2) << "\" y2=\""
         << svgCoord(y + 14) << "\" stroke=\"#08519c\" stroke-width=\"2\"/>\n";
    }
    os << "<text x=\"" << svgCoord(kW - kRight) << "\" y=\""
       << svgCoord(hh - 20) << "\" text-anchor=\"end\" font-size=\"11\">0 to "
       << htmlEscape(formatTime(most)) << "</text>\n";
    os << "</svg><figcaption>" << htmlEscape(title)
       << " per point: the bar spans p50 to p99, the tick is p90."
       << "</figcaption></figure>\n";
  };
  latencyChart("Time to first token", &serving::ServingResult::ttft);
  latencyChart("Time per output token", &serving::ServingResult::tpot);

  // KV occupancy over time at the best point (else the busiest one).
  size_t at = 0;
  if (s.study.best)
    at = *s.study.best;
  else
    for (size_t i = 0; i < points.size(); ++i)
      if (points[i].result.peakKvBlocks > points[at].result.peakKvBlocks)
        at = i;
  const serving::ServingResult &r = points[at].result;
  if (r.kvOccupancy.size() > 1 && r.duration > 0) {
    double t0 = r.kvOccupancy.front().time -
                r.duration / double(r.kvOccupancy.size());
    os << "<figure><svg class=\"serving-kv\" viewBox=\"0 0 " << kW << " " << kH
       << "\" role=\"img\" aria-label=\"KV cache occupancy over time\">\n";
    axes(os, r.duration, 100, "seconds", "KV cache in use (%)");
    os << "<polyline fill=\"none\" stroke=\"#2ca02c\" stroke-width=\"1.5\" "
          "points=\"";
    for (const serving::KVSample &k : r.kvOccupancy)
      os << svgCoord(kLeft + w * (k.time - t0) / r.duration) << ","
         << svgCoord(kTop + h - h * k.occupancy) << " ";
    os << "\"/>\n</svg><figcaption>KV-cache occupancy over the run of "
       << htmlEscape(layoutName(targetOf(s, points[at]))) << ", load "
       << htmlEscape(load(points[at])) << " (the fullest replica in each "
       << "slice of time).</figcaption></figure>\n";
  }
}
