//===- ServingSpec.cpp - parsing --serve and --slo -----------------------===//

#include "tfperf/Serving/ServingSpec.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringSwitch.h"

#include <cmath>

using namespace mlir::tfperf::serving;

namespace {
/// Largest list a range may expand to: a study runs one simulation per
/// point.
constexpr size_t kMaxListLength = 4096;
constexpr int64_t kMaxTokens = (int64_t(1) << 31) - 1;

bool parseNumber(llvm::StringRef s, double &out) {
  return !s.trim().getAsDouble(out) && std::isfinite(out);
}

/// `a`, or a range `a..b` (x2), `a..b*k`, `a..b+k`.
bool expand(llvm::StringRef item, std::vector<double> &out, std::string &why) {
  auto [lo, rest] = item.split("..");
  double a;
  if (!parseNumber(lo, a)) {
    why = "'" + lo.str() + "' is not a number";
    return false;
  }
  if (rest.empty() && !item.contains("..")) {
    out.push_back(a);
    return true;
  }
  char op = '*';
  double step = 2;
  size_t at = rest.find_first_of("*+");
  llvm::StringRef hi = rest;
  if (at != llvm::StringRef::npos) {
    op = rest[at];
    hi = rest.take_front(at);
    if (!parseNumber(rest.drop_front(at + 1), step)) {
      why = "the step of '" + item.str() + "' is not a number";
      return false;
    }
  }
  double b;
  if (!parseNumber(hi, b) || b < a) {
    why = "'" + item.str() + "' needs an upper bound >= its lower bound";
    return false;
  }
  if ((op == '*' && !(step > 1 && a > 0)) || (op == '+' && !(step > 0))) {
    why = "the range '" + item.str() + "' would not advance";
    return false;
  }
  for (double v = a; v <= b * (1 + 1e-12); v = op == '*' ? v * step : v + step) {
    out.push_back(v);
    if (out.size() > kMaxListLength) {
      why = "'" + item.str() + "' has more than " +
            std::to_string(kMaxListLength) + " values";
      return false;
    }
  }
  return true;
}

/// Strips the unit (s, ms, us) off a duration and gives its scale to
/// seconds; false when there is none.
bool consumeTimeUnit(llvm::StringRef &text, double &scale) {
  text = text.trim();
  if (text.consume_back("ms"))
    scale = 1e-3;
  else if (text.consume_back("us"))
    scale = 1e-6;
  else if (text.consume_back("s"))
    scale = 1;
  else
    return false;
  return true;
}

bool toInts(const std::vector<double> &v, int64_t lo, int64_t hi,
            std::vector<int64_t> &out) {
  out.clear();
  for (double d : v) {
    if (d != std::floor(d) || d < double(lo) || d > double(hi))
      return false;
    out.push_back(int64_t(d));
  }
  return true;
}
} // namespace

Workload ServingSpec::workloadAt(int64_t conc, double r,
                                 const Workload *traceWorkload) const {
  if (traceWorkload)
    return *traceWorkload;
  if (r > 0)
    return poissonArrivals(isl, osl, r, requests ? requests : 256, seed);
  int64_t n = requests ? requests : std::max<int64_t>(64, 8 * conc);
  return fixedConcurrency(isl, osl, conc, n);
}

std::optional<ServingSpec>
mlir::tfperf::serving::parseServingSpec(llvm::StringRef text,
                                        std::string &error) {
  ServingSpec spec;
  bool draftCostGiven = false;
  // key -> values, in order.
  llvm::SmallVector<std::pair<std::string, std::vector<std::string>>> items;
  llvm::SmallVector<llvm::StringRef> parts;
  text.split(parts, ',');
  llvm::SmallVector<llvm::StringRef> tokens;
  for (llvm::StringRef p : parts) {
    llvm::SmallVector<llvm::StringRef> sub;
    p.split(sub, ';');
    tokens.append(sub.begin(), sub.end());
  }
  for (llvm::StringRef t : tokens) {
    t = t.trim();
    if (t.empty())
      continue;
    if (t.contains('=')) {
      auto [k, v] = t.split('=');
      items.push_back({k.trim().str(), {v.trim().str()}});
    } else if (items.empty()) {
      error = "'" + t.str() + "' is not key=value";
      return std::nullopt;
    } else {
      items.back().second.push_back(t.str());
    }
  }
  if (items.empty()) {
    error = "empty: give at least isl and osl, or a trace";
    return std::nullopt;
  }
  for (auto &[key, values] : items) {
    std::vector<double> nums;
    std::string why;
    auto numbers = [&]() {
      nums.clear();
      for (const std::string &v : values)
        if (!expand(v, nums, why))
          return false;
      return true;
    };
    auto fail = [&](const std::string &msg) {
      error = key + ": " + msg;
      return std::nullopt;
    };
    auto single = [&]() { return values.size() == 1 && nums.size() == 1; };
    auto integer = [&](int64_t lo, int64_t hi, int64_t &out) {
      std::vector<int64_t> v;
      if (!numbers() || !single() || !toInts(nums, lo, hi, v))
        return false;
      out = v[0];
      return true;
    };
    auto fraction = [&](double lo, double hi, bool hiOpen, double &out) {
      if (!numbers() || !single() || nums[0] < lo ||
          (hiOpen ? nums[0] >= hi : nums[0] > hi))
        return false;
      out = nums[0];
      return true;
    };
    auto range = [&](int64_t lo, int64_t hi) {
      return "an integer from " + std::to_string(lo) + " to " +
             std::to_string(hi);
    };
    if (key == "isl" || key == "osl") {
      if (!integer(1, kMaxTokens, key == "isl" ? spec.isl : spec.osl))
        return fail("expected " + range(1, kMaxTokens) + (why.empty() ? "" : " (" + why + ")"));
    } else if (key == "concurrency" || key == "budget" || key == "tp" ||
               key == "ep") {
      std::vector<int64_t> &out = key == "concurrency" ? spec.concurrency
                                  : key == "budget"    ? spec.tokenBudget
                                  : key == "tp"        ? spec.tp
                                                       : spec.ep;
      int64_t hi = key == "tp" || key == "ep" ? 1024
                   : key == "budget"          ? kMaxTokens
                                              : 1000000;
      if (!numbers() || !toInts(nums, 1, hi, out))
        return fail(why.empty() ? "expected integers from 1 to " +
                                      std::to_string(hi) + " (a list or a range)"
                                : why);
    } else if (key == "rate") {
      if (!numbers())
        return fail(why);
      for (double r : nums)
        if (!(r > 0))
          return fail("rates are requests per second, above 0");
      spec.rate = nums;
    } else if (key == "trace") {
      if (values.size() != 1 || values[0].empty())
        return fail("expected one file name");
      spec.trace = values[0];
    } else if (key == "requests") {
      if (!integer(1, 10000000, spec.requests))
        return fail("expected " + range(1, 10000000));
    } else if (key == "seed") {
      int64_t s;
      if (!integer(0, int64_t(1) << 53, s))
        return fail("expected a non-negative integer");
      spec.seed = uint64_t(s);
    } else if (key == "max-seqs") {
      if (!integer(1, 1000000, spec.engine.maxSequences))
        return fail("expected " + range(1, 1000000));
    } else if (key == "block") {
      if (!integer(1, 65536, spec.engine.blockTokens))
        return fail("expected " + range(1, 65536));
    } else if (key == "mem-util") {
      if (!fraction(0, 1, false, spec.memoryUtilization) ||
          spec.memoryUtilization == 0)
        return fail("expected a fraction in (0, 1]");
    } else if (key == "kv-blocks") {
      if (!integer(1, int64_t(1) << 40, spec.kvBlocks))
        return fail("expected " + range(1, int64_t(1) << 40));
    } else if (key == "chunked") {
      if (values.size() != 1 || (values[0] != "on" && values[0] != "off"))
        return fail("expected on or off");
      spec.engine.chunkedPrefill = values[0] == "on";
    } else if (key == "max-model-len") {
      if (!integer(1, kMaxTokens, spec.engine.maxModelLen))
        return fail("expected " + range(1, kMaxTokens));
    } else if (key == "prefix-hit") {
      if (!fraction(0, 1, true, spec.engine.prefixHitRate))
        return fail("expected a fraction in [0, 1)");
    } else if (key == "spec-k") {
      if (!integer(0, 64, spec.engine.draftTokens))
        return fail("expected " + range(0, 64));
    } else if (key == "spec-accept") {
      if (!fraction(0, 1, false, spec.engine.acceptRate))
        return fail("expected a fraction in [0, 1]");
    } else if (key == "draft-cost") {
      if (!fraction(0, 10, false, spec.draftCostRatio))
        return fail("expected a ratio in [0, 10]");
      draftCostGiven = true;
    } else if (key == "draft") {
      if (values.size() != 1 || values[0].empty())
        return fail("expected one file name (the draft model's graph)");
      spec.draftModel = values[0];
    } else if (key == "replicas") {
      if (!integer(1, 100000, spec.replicas))
        return fail("expected " + range(1, 100000));
    } else if (key == "disagg") {
      // P:D pools.
      auto [p, d] = llvm::StringRef(values[0]).split(':');
      if (values.size() != 1 || p.getAsInteger(10, spec.prefillReplicas) ||
          d.getAsInteger(10, spec.decodeReplicas) || spec.prefillReplicas < 1 ||
          spec.decodeReplicas < 1 || spec.prefillReplicas > 100000 ||
          spec.decodeReplicas > 100000)
        return fail("expected P:D, the prefill and decode replicas (e.g. 1:2)");
    } else if (key == "step-overhead" || key == "seq-overhead") {
      llvm::StringRef v = values.size() == 1 ? llvm::StringRef(values[0]) : "";
      double scale = 1, seconds = 0;
      if (!consumeTimeUnit(v, scale) || !parseNumber(v, seconds) ||
          seconds < 0 || seconds * scale > 60)
        return fail("expected a duration from 0 to 60 s with its unit (s, "
                    "ms, us), e.g. 1.5ms");
      (key == "step-overhead" ? spec.engine.stepOverhead
                              : spec.engine.sequenceOverhead) = seconds * scale;
    } else if (key == "hw") {
      spec.devices = values;
    } else {
      error =
          "unknown key '" + key +
          "' (isl, osl, concurrency, rate, trace, requests, seed, budget, "
          "max-seqs, block, mem-util, kv-blocks, chunked, max-model-len, "
          "prefix-hit, "
          "spec-k, spec-accept, draft-cost, draft, tp, ep, replicas, disagg, "
          "step-overhead, seq-overhead, hw)";
      return std::nullopt;
    }
  }
  bool fixed = spec.isl > 0 || spec.osl > 0;
  if (!spec.trace.empty() && (fixed || !spec.rate.empty())) {
    error = "a trace sets the lengths and arrivals: drop isl, osl and rate";
    return std::nullopt;
  }
  if (spec.trace.empty() && (spec.isl == 0 || spec.osl == 0)) {
    error = "give isl and osl (prompt and output tokens), or a trace";
    return std::nullopt;
  }
  if (!spec.rate.empty() && !spec.concurrency.empty()) {
    error = "rate (open loop) and concurrency (closed loop) exclude each other";
    return std::nullopt;
  }
  if (spec.trace.empty() && spec.rate.empty() && spec.concurrency.empty())
    spec.concurrency = {1};
  if (!spec.draftModel.empty() && draftCostGiven) {
    error = "draft (the draft model's graph) and draft-cost exclude each "
            "other: the graph gives the draft's cost";
    return std::nullopt;
  }
  if (!spec.draftModel.empty() && spec.engine.draftTokens == 0) {
    error = "draft: give spec-k, the draft tokens proposed per step";
    return std::nullopt;
  }
  if (spec.engine.draftTokens + 1 > *std::min_element(spec.tokenBudget.begin(),
                                               spec.tokenBudget.end())) {
    error = "spec-k: a verify step of spec-k + 1 tokens must fit the budget";
    return std::nullopt;
  }
  return spec;
}

double ServiceLevel::value(const ServingResult &r, const Bound &b) {
  const Distribution &d = b.metric == "ttft"   ? r.ttft
                          : b.metric == "tpot" ? r.tpot
                          : b.metric == "itl"  ? r.itl
                                               : r.e2e;
  return llvm::StringSwitch<double>(b.stat)
      .Case("mean", d.mean)
      .Case("p50", d.p50)
      .Case("p90", d.p90)
      .Case("p99", d.p99)
      .Default(d.max);
}

bool ServiceLevel::admits(const ServingResult &r) const {
  if (r.rejected > 0 || r.completed == 0)
    return false;
  for (const Bound &b : bounds) {
    double v = value(r, b);
    if (b.inclusive ? v > b.seconds : v >= b.seconds)
      return false;
  }
  return true;
}

std::string ServiceLevel::str() const {
  std::string s;
  for (const Bound &b : bounds) {
    char buf[96];
    snprintf(buf, sizeof(buf), "%s%s_%s %s %g ms", s.empty() ? "" : ", ",
             b.metric.c_str(), b.stat.c_str(), b.inclusive ? "<=" : "<",
             b.seconds * 1e3);
    s += buf;
  }
  return s;
}

std::optional<ServiceLevel>
mlir::tfperf::serving::parseServiceLevel(llvm::StringRef text,
                                         std::string &error) {
  ServiceLevel slo;
  llvm::SmallVector<llvm::StringRef> items;
  text.split(items, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef item : items) {
    item = item.trim();
    size_t lt = item.find('<');
    if (lt == llvm::StringRef::npos) {
      error = "'" + item.str() + "': expected METRIC_STAT<VALUE, e.g. ttft_p90<2s";
      return std::nullopt;
    }
    ServiceLevel::Bound b;
    llvm::StringRef lhs = item.take_front(lt).trim();
    llvm::StringRef rhs = item.drop_front(lt + 1);
    if (rhs.consume_front("="))
      b.inclusive = true;
    auto [metric, stat] = lhs.split('_');
    b.metric = metric.str();
    b.stat = stat.empty() ? "mean" : stat.str();
    if (!llvm::is_contained({"ttft", "tpot", "itl", "e2e"}, b.metric) ||
        !llvm::is_contained({"mean", "p50", "p90", "p99", "max"}, b.stat)) {
      error = "'" + lhs.str() +
              "': the metric is ttft, tpot, itl or e2e and the statistic "
              "mean, p50, p90, p99 or max (ttft_p90)";
      return std::nullopt;
    }
    double scale = 1;
    if (!consumeTimeUnit(rhs, scale)) {
      error = "'" + item.str() + "': give the bound with a unit (s, ms, us)";
      return std::nullopt;
    }
    double v;
    if (rhs.trim().getAsDouble(v) || !(v > 0) || !std::isfinite(v)) {
      error = "'" + item.str() + "': the bound must be a positive number";
      return std::nullopt;
    }
    b.seconds = v * scale;
    slo.bounds.push_back(b);
  }
  if (slo.bounds.empty()) {
    error = "empty: give bounds such as ttft_p90<2s,tpot_p90<50ms";
    return std::nullopt;
  }
  return slo;
}
