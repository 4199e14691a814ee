//===- Workload.h - requests that drive the serving simulator ---*- C++ -*-===//
//
// A workload is a list of requests (arrival time, prompt tokens, output
// tokens), or a closed loop of a fixed concurrency. Three sources: fixed
// lengths at a concurrency, Poisson arrivals at a rate, and trace files
// (CSV with a header `arrival_s,input_tokens,output_tokens`, or JSON Lines
// with the same keys); see docs/Serving.md.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_SERVING_WORKLOAD_H
#define TFPERF_SERVING_WORKLOAD_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlir::tfperf::serving {

struct Request {
  /// Seconds from the start of the run.
  double arrival = 0;
  int64_t inputTokens = 0;
  int64_t outputTokens = 0;
  /// The prompt's K/V and the first token arrive with the request (a
  /// decode pool fed by a prefill pool).
  bool prefilled = false;
};

/// How requests arrive.
struct Workload {
  /// Open loop: requests in arrival order.
  std::vector<Request> requests;
  /// Closed loop (concurrency > 0): `concurrency` requests are in flight
  /// from time 0 and each completion starts the next, until
  /// `closedLoopRequests` have been started. `requests` holds their
  /// lengths in start order (arrival times are ignored).
  int64_t concurrency = 0;
  /// Where the requests came from, for reports ("trace t.csv", ...).
  std::string description;
};

/// `n` requests of fixed lengths at a fixed concurrency (closed loop).
Workload fixedConcurrency(int64_t inputTokens, int64_t outputTokens,
                          int64_t concurrency, int64_t n);

/// `n` requests of fixed lengths arriving as a Poisson process of `rate`
/// requests per second; `seed` makes the run reproducible.
Workload poissonArrivals(int64_t inputTokens, int64_t outputTokens,
                         double rate, int64_t n, uint64_t seed);

/// Parses a trace: CSV with a header naming `arrival_s`, `input_tokens` and
/// `output_tokens` (other columns ignored), or JSON Lines objects with
/// those keys. Errors name `name`, the line and the problem (a negative
/// or non-finite arrival, lengths below 1, arrivals out of order are
/// sorted, not errors).
std::optional<Workload> parseTrace(llvm::StringRef text, llvm::StringRef name,
                                   std::string &error);

/// Reads and parses a trace file.
std::optional<Workload> readTrace(llvm::StringRef path, std::string &error);

} // namespace mlir::tfperf::serving

#endif
