//===- ShapeInference.h - moved to the dialect's Utils ----------*- C++ -*-===//
//
// The shape-inference driver is the dialect's (the importer needs it and
// depends on the dialect only): tfperf/Dialect/TFPerf/Utils/ShapeInference.h.
// This forwarding header remains for includes not yet updated; new code
// includes the new path.
//
//===----------------------------------------------------------------------===//

#ifndef TFPERF_ANALYSIS_SHAPEINFERENCE_H
#define TFPERF_ANALYSIS_SHAPEINFERENCE_H

#include "tfperf/Dialect/TFPerf/Utils/ShapeInference.h"

#endif
