// Quartz-style cron expressions with six fields: second minute hour day-of-month month day-of-week.
// Each field: `*`, `?`, a number, a range `a-b`, a list `a,b`, and steps `*/n` or `a-b/n`. Times are UTC.
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::internal {

class CronSchedule {
 public:
  // nullopt with `error` set when the expression is malformed.
  static std::optional<CronSchedule> parse(std::string_view expression, std::string* error = nullptr);
  // The first firing time strictly after `after_ms` (epoch ms), within four years; nullopt if none.
  [[nodiscard]] std::optional<std::int64_t> next_after(std::int64_t after_ms) const;

 private:
  std::bitset<60> seconds_, minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;     // 1..31
  std::bitset<13> months_;   // 1..12
  std::bitset<7> weekdays_;  // 0 = Sunday
  bool any_day_ = true, any_weekday_ = true;
};

}  // namespace sluice::internal
