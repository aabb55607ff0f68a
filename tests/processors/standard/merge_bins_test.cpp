#include "merge_bins.hpp"

#include <gtest/gtest.h>

namespace sluice::standard {
namespace {

TEST(MergeBinsTest, WhicheverRuleComesFirstClosesTheBin) {
  BinLimits limits;
  limits.min_entries = 2;
  limits.max_entries = 4;
  limits.min_bytes = 10;
  limits.max_bytes = 100;
  limits.max_age_ms = 1000;
  const std::int64_t t0 = 5000;
  EXPECT_EQ(bin_close_reason({1, 50, t0}, t0, true, limits), CloseReason::kOpen);   // below min entries
  EXPECT_EQ(bin_close_reason({2, 5, t0}, t0, true, limits), CloseReason::kOpen);    // below min size
  EXPECT_EQ(bin_close_reason({2, 10, t0}, t0, false, limits), CloseReason::kOpen);  // input still flowing
  EXPECT_EQ(bin_close_reason({2, 10, t0}, t0, true, limits), CloseReason::kFullEnough);
  EXPECT_EQ(bin_close_reason({4, 10, t0}, t0, false, limits), CloseReason::kFull);   // max entries
  EXPECT_EQ(bin_close_reason({2, 100, t0}, t0, false, limits), CloseReason::kFull);  // max size
  EXPECT_EQ(bin_close_reason({1, 1, t0}, t0 + 999, false, limits), CloseReason::kOpen);
  EXPECT_EQ(bin_close_reason({1, 1, t0}, t0 + 1000, false, limits), CloseReason::kExpired);
  EXPECT_EQ(bin_close_reason({0, 0, t0}, t0 + 5000, true, limits),
            CloseReason::kOpen);  // empty: nothing to merge
}

TEST(MergeBinsTest, AFlowFileFitsUnlessItWouldPassAMaximum) {
  BinLimits limits;
  limits.max_entries = 2;
  limits.max_bytes = 10;
  EXPECT_TRUE(bin_fits({0, 0, 0}, 1000, limits));  // an empty bin takes anything
  EXPECT_TRUE(bin_fits({1, 4, 0}, 6, limits));
  EXPECT_FALSE(bin_fits({1, 4, 0}, 7, limits));
  EXPECT_FALSE(bin_fits({2, 2, 0}, 1, limits));
}

}  // namespace
}  // namespace sluice::standard
