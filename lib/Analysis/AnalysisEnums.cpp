//===- AnalysisEnums.cpp - names the analyses print -----------------------===//

#include "tfperf/Analysis/AnalysisEnums.h"

#include "tfperf/Analysis/AnalysisEnums.cpp.inc"
