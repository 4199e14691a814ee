//===- BandMaskTest.cpp - the window of a sliding-window mask -------------===//

#include "tfperf/Analysis/BandMask.h"

#include "gtest/gtest.h"


using namespace mlir::tfperf;

namespace {

/// rows x cols, query i allowed the keys (d - w, d], d = i + cols - rows.
llvm::SmallVector<bool> band(int64_t rows, int64_t cols, int64_t window) {
  llvm::SmallVector<bool> m;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      int64_t d = i + cols - rows;
      m.push_back(j <= d && j > d - window);
    }
  return m;
}

TEST(BandMask, ReadsTheWindowOfABand) {
  EXPECT_EQ(bandMaskWindow((band(16, 16, 4)), 16, 16), 4);
  EXPECT_EQ(bandMaskWindow((band(4, 10, 3)), 4, 10), 3);
  EXPECT_EQ(bandMaskWindow((band(8, 8, 1)), 8, 8), 1);
}

TEST(BandMask, ACausalTriangleHasNoWindow) {
  EXPECT_EQ(bandMaskWindow((band(8, 8, 8)), 8, 8), std::nullopt);
  EXPECT_EQ(bandMaskWindow((band(8, 8, 100)), 8, 8), std::nullopt);
}

TEST(BandMask, OtherPatternsAreNotWindows) {
  // A hole inside the band.
  auto m = (band(8, 8, 4));
  m[7 * 8 + 5] = false;
  EXPECT_EQ(bandMaskWindow(m, 8, 8), std::nullopt);
  // A key after the diagonal.
  m = (band(8, 8, 4));
  m[2 * 8 + 3] = true;
  EXPECT_EQ(bandMaskWindow(m, 8, 8), std::nullopt);
  // The inverse of a band (what is banned).
  m = (band(8, 8, 4));
  for (size_t i = 0; i < m.size(); ++i)
    m[i] = !m[i];
  EXPECT_EQ(bandMaskWindow(m, 8, 8), std::nullopt);
  // Wrong size.
  EXPECT_EQ(bandMaskWindow((band(8, 8, 4)), 8, 9), std::nullopt);
}

} // namespace
