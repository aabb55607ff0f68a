#include "flow/cron.hpp"

#include <charconv>
#include <ctime>
#include <vector>

namespace sluice::internal {

namespace {
std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = s.find(sep, start);
    parts.push_back(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

bool to_int(std::string_view s, int& out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// Sets bits lo..hi of a field from its text; false when malformed or out of range.
template <std::size_t N>
bool parse_field(std::string_view text, int lo, int hi, std::bitset<N>& bits, bool& any) {
  any = text == "*" || text == "?";
  for (std::string_view item : split(text, ',')) {
    int step = 1;
    if (auto slash = item.find('/'); slash != std::string_view::npos) {
      if (!to_int(item.substr(slash + 1), step) || step <= 0) return false;
      item = item.substr(0, slash);
    }
    int from = lo;
    int to = hi;
    if (item != "*" && item != "?") {
      if (auto dash = item.find('-'); dash != std::string_view::npos) {
        if (!to_int(item.substr(0, dash), from) || !to_int(item.substr(dash + 1), to)) return false;
      } else {
        if (!to_int(item, from)) return false;
        to = step > 1 ? hi : from;
      }
    }
    if (from < lo || to > hi || from > to) return false;
    for (int v = from; v <= to; v += step) bits.set(static_cast<std::size_t>(v));
  }
  return bits.any();
}
}  // namespace

std::optional<CronSchedule> CronSchedule::parse(std::string_view expression, std::string* error) {
  std::vector<std::string_view> fields;
  for (std::string_view f : split(expression, ' ')) {
    if (!f.empty()) fields.push_back(f);
  }
  auto fail = [&](const std::string& why) -> std::optional<CronSchedule> {
    if (error != nullptr) *error = why;
    return std::nullopt;
  };
  if (fields.size() != 6) {
    return fail("expected 6 fields (second minute hour day-of-month month day-of-week), got " +
                std::to_string(fields.size()));
  }
  CronSchedule c;
  bool ignored = false;
  static constexpr const char* kNames[] = {"second",       "minute", "hour",
                                           "day-of-month", "month",  "day-of-week"};
  static constexpr const char* kRanges[] = {"0-59", "0-59", "0-23", "1-31", "1-12", "0-6, 0 = Sunday"};
  const bool ok[] = {parse_field(fields[0], 0, 59, c.seconds_, ignored),
                     parse_field(fields[1], 0, 59, c.minutes_, ignored),
                     parse_field(fields[2], 0, 23, c.hours_, ignored),
                     parse_field(fields[3], 1, 31, c.days_, c.any_day_),
                     parse_field(fields[4], 1, 12, c.months_, ignored),
                     parse_field(fields[5], 0, 6, c.weekdays_, c.any_weekday_)};
  for (std::size_t i = 0; i < 6; ++i) {
    if (!ok[i]) {
      std::string why = "has a bad ";
      why.append(kNames[i]).append(" field '").append(fields[i]).append("' (values ").append(kRanges[i]);
      why.append("; *, ?, n, a-b, a,b, */n, a-b/n)");
      return fail(why);
    }
  }
  return c;
}

std::optional<std::int64_t> CronSchedule::next_after(std::int64_t after_ms) const {
  std::time_t t = static_cast<std::time_t>(after_ms / 1000) + 1;
  const std::time_t limit = t + 4LL * 366 * 86400;
  while (t < limit) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    // As in cron: when both day fields are restricted, either may match; a `*` field matches every day.
    const bool dom = days_.test(static_cast<std::size_t>(tm.tm_mday));
    const bool dow = weekdays_.test(static_cast<std::size_t>(tm.tm_wday));
    const bool day_ok = (any_day_ || any_weekday_) ? (dom && dow) : (dom || dow);
    // Skip whole days, hours and minutes that cannot match instead of stepping second by second.
    if (!months_.test(static_cast<std::size_t>(tm.tm_mon) + 1) || !day_ok) {
      t += 86400 - (tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec);
    } else if (!hours_.test(static_cast<std::size_t>(tm.tm_hour))) {
      t += 3600 - (tm.tm_min * 60 + tm.tm_sec);
    } else if (!minutes_.test(static_cast<std::size_t>(tm.tm_min))) {
      t += 60 - tm.tm_sec;
    } else if (!seconds_.test(static_cast<std::size_t>(tm.tm_sec))) {
      t += 1;
    } else {
      return static_cast<std::int64_t>(t) * 1000;
    }
  }
  return std::nullopt;
}

}  // namespace sluice::internal
