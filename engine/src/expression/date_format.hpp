// Dates for the expression language: Java SimpleDateFormat patterns (format and parse) and time zones from
// the system tz database (IANA names such as America/New_York) or fixed offsets (GMT+08:00). Nothing here
// touches the process's TZ: a zone is an object, so worker threads format in any zone concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace date {
class time_zone;
}

namespace sluice::internal::el {

class TimeZone {
 public:
  TimeZone() = default;  // UTC
  // IANA names, "UTC", "GMT", "Z", and offsets "GMT+8", "GMT-08:00", "UTC+0530", "+02:00"; nullopt if
  // unknown.
  static std::optional<TimeZone> find(std::string_view id);
  static TimeZone fixed(std::int32_t offset_seconds);

  // The offset from UTC (seconds) and the zone's abbreviation at the instant `ms`.
  [[nodiscard]] std::int32_t offset_at(std::int64_t ms, std::string* abbreviation = nullptr) const;
  // The UTC instant of a local time (milliseconds since the epoch as if the local time were UTC). A local
  // time skipped by a DST change maps to the instant of the change; an ambiguous one to the earlier instant.
  [[nodiscard]] std::int64_t to_utc(std::int64_t local_ms) const;

 private:
  const date::time_zone* zone_ = nullptr;  // nullptr: the fixed offset
  std::int32_t offset_seconds_ = 0;
};

// A compiled SimpleDateFormat pattern.
class DatePattern {
 public:
  // Throws std::invalid_argument naming the problem (an unknown letter, an unclosed quote).
  static DatePattern compile(std::string_view pattern);

  void format(std::int64_t ms, const TimeZone& zone, std::string& out) const;
  // Milliseconds since the epoch; nullopt with `error` set when `text` does not match the pattern exactly.
  // A zone written in the text (Z, X, z) overrides `zone`. Two-digit years land within 80 years before
  // and 20 after `reference_year`, as Java's do.
  std::optional<std::int64_t> parse(std::string_view text, const TimeZone& zone, int reference_year,
                                    std::string& error) const;

 private:
  struct Token {
    char letter = 0;  // 0: literal text
    int count = 0;
    std::string literal;
  };
  std::vector<Token> tokens_;
};

// Java's Date.toString() in UTC: "Tue Nov 14 22:13:20 UTC 2023".
void append_java_date_string(std::int64_t ms, std::string& out);
// The pattern of that form, for parsing it back.
const DatePattern& java_date_string_pattern();
int year_of(std::int64_t ms);

}  // namespace sluice::internal::el
