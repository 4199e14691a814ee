//===- Workload.cpp - fixed, Poisson and trace workloads -----------------===//

#include "tfperf/Serving/Workload.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <cmath>
#include <random>

using namespace mlir::tfperf::serving;

Workload mlir::tfperf::serving::fixedConcurrency(int64_t inputTokens,
                                                 int64_t outputTokens,
                                                 int64_t concurrency,
                                                 int64_t n) {
  Workload w;
  w.concurrency = concurrency;
  w.requests.assign(n, Request{0, inputTokens, outputTokens});
  w.description = "isl " + std::to_string(inputTokens) + ", osl " +
                  std::to_string(outputTokens) + ", concurrency " +
                  std::to_string(concurrency) + ", " + std::to_string(n) +
                  " requests";
  return w;
}

Workload mlir::tfperf::serving::poissonArrivals(int64_t inputTokens,
                                                int64_t outputTokens,
                                                double rate, int64_t n,
                                                uint64_t seed) {
  Workload w;
  // mt19937_64's output is fixed by the standard; the inverse CDF below
  // (unlike std::exponential_distribution) is too, so a seed gives the
  // same arrivals on every platform.
  std::mt19937_64 rng(seed);
  double t = 0;
  for (int64_t i = 0; i < n; ++i) {
    double u = double(rng() >> 11) * 0x1.0p-53;
    t += -std::log1p(-u) / rate;
    w.requests.push_back(Request{t, inputTokens, outputTokens});
  }
  char buf[160];
  snprintf(buf, sizeof(buf),
           "isl %lld, osl %lld, Poisson arrivals at %g requests/s, %lld "
           "requests (seed %llu)",
           (long long)inputTokens, (long long)outputTokens, rate, (long long)n,
           (unsigned long long)seed);
  w.description = buf;
  return w;
}

namespace {
/// One row of a trace: checks ranges and appends it.
struct TraceRows {
  llvm::StringRef name;
  std::string &error;
  std::vector<Request> rows;

  bool add(unsigned line, std::optional<double> arrival,
           std::optional<int64_t> input, std::optional<int64_t> output) {
    auto fail = [&](const std::string &msg) {
      error = name.str() + ":" + std::to_string(line) + ": " + msg;
      return false;
    };
    if (!arrival || !std::isfinite(*arrival) || *arrival < 0)
      return fail("arrival_s must be a finite number of seconds >= 0");
    // Past 2^31 tokens no request is real, and token sums must stay exact
    // in doubles.
    constexpr int64_t kMaxTokens = (int64_t(1) << 31) - 1;
    if (!input || *input < 1 || *input > kMaxTokens)
      return fail("input_tokens must be an integer from 1 to " +
                  std::to_string(kMaxTokens));
    if (!output || *output < 1 || *output > kMaxTokens)
      return fail("output_tokens must be an integer from 1 to " +
                  std::to_string(kMaxTokens));
    rows.push_back(Request{*arrival, *input, *output});
    return true;
  }
};
} // namespace

static std::optional<double> parseDouble(llvm::StringRef s) {
  double v;
  if (s.trim().getAsDouble(v))
    return std::nullopt;
  return v;
}

static std::optional<int64_t> parseInt(llvm::StringRef s) {
  int64_t v;
  if (s.trim().getAsInteger(10, v))
    return std::nullopt;
  return v;
}

static bool parseCSV(llvm::StringRef text, TraceRows &rows) {
  llvm::SmallVector<llvm::StringRef> lines;
  text.split(lines, '\n');
  int arrivalCol = -1, inputCol = -1, outputCol = -1;
  unsigned columns = 0;
  unsigned lineNo = 0;
  for (llvm::StringRef line : lines) {
    ++lineNo;
    line = line.trim();
    if (line.empty() || line.starts_with("#"))
      continue;
    llvm::SmallVector<llvm::StringRef> cells;
    line.split(cells, ',');
    if (arrivalCol < 0 && inputCol < 0) {
      for (unsigned i = 0; i < cells.size(); ++i) {
        llvm::StringRef c = cells[i].trim();
        if (c == "arrival_s")
          arrivalCol = i;
        else if (c == "input_tokens")
          inputCol = i;
        else if (c == "output_tokens")
          outputCol = i;
      }
      if (arrivalCol < 0 || inputCol < 0 || outputCol < 0) {
        rows.error = rows.name.str() + ":" + std::to_string(lineNo) +
                     ": the header must name the columns arrival_s, "
                     "input_tokens and output_tokens";
        return false;
      }
      columns = cells.size();
      continue;
    }
    if (cells.size() != columns) {
      rows.error = rows.name.str() + ":" + std::to_string(lineNo) + ": " +
                   std::to_string(cells.size()) + " columns, the header has " +
                   std::to_string(columns);
      return false;
    }
    if (!rows.add(lineNo, parseDouble(cells[arrivalCol]),
                  parseInt(cells[inputCol]), parseInt(cells[outputCol])))
      return false;
  }
  if (arrivalCol < 0) {
    rows.error = rows.name.str() + ": no header line";
    return false;
  }
  return true;
}

static bool parseJSONLines(llvm::StringRef text, TraceRows &rows) {
  llvm::SmallVector<llvm::StringRef> lines;
  text.split(lines, '\n');
  unsigned lineNo = 0;
  for (llvm::StringRef line : lines) {
    ++lineNo;
    line = line.trim();
    if (line.empty())
      continue;
    auto value = llvm::json::parse(line);
    if (!value) {
      rows.error = rows.name.str() + ":" + std::to_string(lineNo) + ": " +
                   llvm::toString(value.takeError());
      return false;
    }
    const llvm::json::Object *o = value->getAsObject();
    if (!o) {
      rows.error = rows.name.str() + ":" + std::to_string(lineNo) +
                   ": expected an object with arrival_s, input_tokens and "
                   "output_tokens";
      return false;
    }
    if (!rows.add(lineNo, o->getNumber("arrival_s"),
                  o->getInteger("input_tokens"),
                  o->getInteger("output_tokens")))
      return false;
  }
  return true;
}

std::optional<Workload>
mlir::tfperf::serving::parseTrace(llvm::StringRef text, llvm::StringRef name,
                                  std::string &error) {
  TraceRows rows{name, error, {}};
  bool ok = text.ltrim().starts_with("{") ? parseJSONLines(text, rows)
                                          : parseCSV(text, rows);
  if (!ok)
    return std::nullopt;
  if (rows.rows.empty()) {
    error = name.str() + ": no requests";
    return std::nullopt;
  }
  Workload w;
  w.requests = std::move(rows.rows);
  // Traces list requests by arrival, but merged traces may not.
  std::stable_sort(w.requests.begin(), w.requests.end(),
                   [](const Request &a, const Request &b) {
                     return a.arrival < b.arrival;
                   });
  w.description = "trace " + name.str() + ", " +
                  std::to_string(w.requests.size()) + " requests";
  return w;
}

std::optional<Workload> mlir::tfperf::serving::readTrace(llvm::StringRef path,
                                                         std::string &error) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer) {
    error = path.str() + ": " + buffer.getError().message();
    return std::nullopt;
  }
  return parseTrace((*buffer)->getBuffer(), path, error);
}
