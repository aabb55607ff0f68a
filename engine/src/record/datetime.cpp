// ISO 8601 dates, times and timestamps, parsed and formatted by hand: they sit on the per-record hot path
// of every text reader and writer, where std::chrono's parse/format would allocate.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sluice/record_value.hpp"

namespace sluice {

namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

constexpr Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2 ? 1 : 0), m, d};
}

constexpr bool is_leap(std::int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

constexpr unsigned days_in_month(std::int64_t y, unsigned m) {
  constexpr std::array<unsigned, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `n` digits at `pos`.
bool digits(std::string_view s, std::size_t pos, std::size_t n, unsigned& out) {
  if (pos + n > s.size()) return false;
  unsigned v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    const auto c = static_cast<unsigned>(s[i]) - '0';
    if (c > 9) return false;
    v = v * 10 + c;
  }
  out = v;
  return true;
}

// YYYY-MM-DD at the start of `s`.
std::optional<std::int64_t> parse_days(std::string_view s) {
  unsigned y = 0;
  unsigned m = 0;
  unsigned d = 0;
  if (s.size() < 10 || !digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, m) || s[7] != '-' ||
      !digits(s, 8, 2, d)) {
    return std::nullopt;
  }
  if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return std::nullopt;
  return days_from_civil(y, m, d);
}

// HH:MM:SS[.fraction] from the start of `s`; sets `used` to the characters read.
std::optional<std::int64_t> parse_clock(std::string_view s, std::size_t& used) {
  unsigned h = 0;
  unsigned mi = 0;
  unsigned se = 0;
  if (!digits(s, 0, 2, h) || s.size() < 8 || s[2] != ':' || !digits(s, 3, 2, mi) || s[5] != ':' ||
      !digits(s, 6, 2, se)) {
    return std::nullopt;
  }
  if (h > 23 || mi > 59 || se > 59) return std::nullopt;
  std::int64_t micros =
      (std::int64_t{h} * 3600 + std::int64_t{mi} * 60 + std::int64_t{se}) * kMicrosPerSecond;
  std::size_t pos = 8;
  if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
    ++pos;
    std::int64_t scale = 100'000;
    const std::size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      micros += (s[pos] - '0') * scale;  // digits beyond microseconds are dropped (truncated)
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  used = pos;
  return micros;
}

void append_digits(std::string& out, unsigned value, int width) {
  char buf[10];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(buf, static_cast<std::size_t>(width));
}

void append_civil(std::string& out, std::int64_t days) {
  const Civil c = civil_from_days(days);
  std::int64_t y = c.year;
  if (y < 0) {
    out.push_back('-');
    y = -y;
  }
  if (y > 9999) {
    out += std::to_string(y);
  } else {
    append_digits(out, static_cast<unsigned>(y), 4);
  }
  out.push_back('-');
  append_digits(out, c.month, 2);
  out.push_back('-');
  append_digits(out, c.day, 2);
}

void append_clock(std::string& out, std::int64_t micros_of_day) {
  const auto seconds = static_cast<unsigned>(micros_of_day / kMicrosPerSecond);
  const auto fraction = static_cast<unsigned>(micros_of_day % kMicrosPerSecond);
  append_digits(out, seconds / 3600, 2);
  out.push_back(':');
  append_digits(out, seconds / 60 % 60, 2);
  out.push_back(':');
  append_digits(out, seconds % 60, 2);
  if (fraction == 0) return;
  out.push_back('.');
  if (fraction % 1000 == 0) {
    append_digits(out, fraction / 1000, 3);
  } else {
    append_digits(out, fraction, 6);
  }
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

}  // namespace

std::optional<std::int32_t> parse_date(std::string_view text) {
  if (text.size() != 10) return std::nullopt;
  auto days = parse_days(text);
  if (!days) return std::nullopt;
  return static_cast<std::int32_t>(*days);
}

std::optional<std::int64_t> parse_time(std::string_view text) {
  std::size_t used = 0;
  auto micros = parse_clock(text, used);
  if (!micros || used != text.size()) return std::nullopt;
  return micros;
}

std::optional<ParsedTimestamp> parse_timestamp(std::string_view text) {
  auto days = parse_days(text);
  if (!days) return std::nullopt;
  if (text.size() == 10) return ParsedTimestamp{*days * kMicrosPerDay, 0};
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return std::nullopt;
  std::size_t used = 0;
  auto clock = parse_clock(text.substr(11), used);
  if (!clock) return std::nullopt;
  std::size_t pos = 11 + used;
  int offset = 0;
  if (pos < text.size()) {
    const char z = text[pos];
    if ((z == 'Z' || z == 'z') && pos + 1 == text.size()) {
      offset = 0;
    } else if (z == '+' || z == '-') {
      unsigned oh = 0;
      unsigned om = 0;
      const std::string_view rest = text.substr(pos + 1);
      // ±hh:mm, ±hhmm or ±hh.
      const bool ok =
          (rest.size() == 5 && digits(rest, 0, 2, oh) && rest[2] == ':' && digits(rest, 3, 2, om)) ||
          (rest.size() == 4 && digits(rest, 0, 2, oh) && digits(rest, 2, 2, om)) ||
          (rest.size() == 2 && digits(rest, 0, 2, oh));
      if (!ok) return std::nullopt;
      if (oh > 18 || om > 59) return std::nullopt;
      offset = static_cast<int>(oh * 60 + om) * (z == '-' ? -1 : 1);
    } else {
      return std::nullopt;
    }
  }
  const std::int64_t local = *days * kMicrosPerDay + *clock;
  return ParsedTimestamp{local - std::int64_t{offset} * 60 * kMicrosPerSecond,
                         static_cast<std::int16_t>(offset)};
}

void append_date(std::int32_t days, std::string& out) {
  append_civil(out, days);
}

void append_time(std::int64_t micros, std::string& out) {
  append_clock(out, ((micros % kMicrosPerDay) + kMicrosPerDay) % kMicrosPerDay);
}

void append_timestamp(std::int64_t micros, std::int16_t offset_minutes, std::string& out) {
  const std::int64_t local = micros + std::int64_t{offset_minutes} * 60 * kMicrosPerSecond;
  const std::int64_t days = floor_div(local, kMicrosPerDay);
  append_civil(out, days);
  out.push_back('T');
  append_clock(out, local - days * kMicrosPerDay);
  if (offset_minutes == 0) {
    out.push_back('Z');
    return;
  }
  const int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  out.push_back(offset_minutes < 0 ? '-' : '+');
  append_digits(out, static_cast<unsigned>(off / 60), 2);
  out.push_back(':');
  append_digits(out, static_cast<unsigned>(off % 60), 2);
}

}  // namespace sluice
