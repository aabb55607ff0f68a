#include "flow/cron.hpp"

#include <gtest/gtest.h>

namespace sluice::internal {
namespace {

// 2026-01-01T00:00:00Z (a Thursday)
constexpr std::int64_t kNewYear = 1'767'225'600'000;

TEST(Cron, EveryFiveMinutes) {
  auto c = CronSchedule::parse("0 */5 * * * *");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->next_after(kNewYear), kNewYear + 5 * 60'000);
  EXPECT_EQ(c->next_after(kNewYear + 5 * 60'000), kNewYear + 10 * 60'000);
}

TEST(Cron, DailyAtAFixedTimeAndWeekdays) {
  auto daily = CronSchedule::parse("30 15 2 * * ?");
  ASSERT_TRUE(daily);
  EXPECT_EQ(daily->next_after(kNewYear), kNewYear + (2 * 3600 + 15 * 60 + 30) * 1000LL);
  auto monday = CronSchedule::parse("0 0 0 ? * 1");  // 2026-01-05 is the first Monday
  ASSERT_TRUE(monday);
  EXPECT_EQ(monday->next_after(kNewYear), kNewYear + 4 * 86'400'000LL);
}

TEST(Cron, RejectsMalformedExpressions) {
  std::string error;
  EXPECT_FALSE(CronSchedule::parse("* * * *", &error));
  EXPECT_NE(error.find("expected 6 fields"), std::string::npos);
  EXPECT_FALSE(CronSchedule::parse("61 * * * * *", &error));
  EXPECT_NE(error.find("second"), std::string::npos);
  EXPECT_FALSE(CronSchedule::parse("0 0 25 * * *", &error));
  EXPECT_NE(error.find("hour"), std::string::npos);
}

}  // namespace
}  // namespace sluice::internal
