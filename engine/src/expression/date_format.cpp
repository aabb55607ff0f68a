#include "expression/date_format.hpp"

#include <array>
#include <chrono>

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include "expression/value.hpp"

namespace sluice::internal::el {

namespace {

constexpr std::array<std::string_view, 12> kMonths = {"January",   "February", "March",    "April",
                                                      "May",       "June",     "July",     "August",
                                                      "September", "October",  "November", "December"};
constexpr std::array<std::string_view, 7> kDays = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                   "Thursday", "Friday", "Saturday"};
constexpr std::int64_t kMsPerDay = 86'400'000;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

struct Civil {
  int year = 1970;
  unsigned month = 1;  // 1-12
  unsigned day = 1;
  unsigned weekday = 4;  // 0 = Sunday
  unsigned day_of_year = 1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int millisecond = 0;
};

Civil civil_of(std::int64_t local_ms) {
  const std::int64_t days = floor_div(local_ms, kMsPerDay);
  const std::int64_t in_day = local_ms - days * kMsPerDay;
  const date::sys_days d{date::days{days}};
  const date::year_month_day ymd{d};
  Civil c;
  c.year = static_cast<int>(ymd.year());
  c.month = static_cast<unsigned>(ymd.month());
  c.day = static_cast<unsigned>(ymd.day());
  c.weekday = date::weekday{d}.c_encoding();
  c.day_of_year = static_cast<unsigned>((d - date::sys_days{ymd.year() / date::January / 1}).count() + 1);
  c.hour = static_cast<int>(in_day / 3'600'000);
  c.minute = static_cast<int>(in_day / 60'000 % 60);
  c.second = static_cast<int>(in_day / 1000 % 60);
  c.millisecond = static_cast<int>(in_day % 1000);
  return c;
}

void pad(std::string& out, std::int64_t value, int width) {
  if (value < 0) {
    out += '-';
    value = -value;
  }
  const std::string digits = std::to_string(value);
  if (static_cast<int>(digits.size()) < width)
    out.append(static_cast<std::size_t>(width) - digits.size(), '0');
  out += digits;
}

void append_offset(std::string& out, std::int32_t offset_seconds, bool colon, bool minutes) {
  out += offset_seconds < 0 ? '-' : '+';
  const std::int32_t total = std::abs(offset_seconds) / 60;
  pad(out, total / 60, 2);
  if (!minutes) return;
  if (colon) out += ':';
  pad(out, total % 60, 2);
}

bool is_numeric_letter(char letter, int count) {
  switch (letter) {
    case 'y':
    case 'Y':
    case 'd':
    case 'D':
    case 'H':
    case 'k':
    case 'K':
    case 'h':
    case 'm':
    case 's':
    case 'S':
    case 'u':
    case 'w': return true;
    case 'M':
    case 'L': return count <= 2;
    default: return false;
  }
}

bool starts_with_ignore_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

// "+08:00", "-0800", "+08", "Z", "UTC", "GMT", "GMT+8:00": the offset in seconds and the length read.
std::optional<std::pair<std::int32_t, std::size_t>> read_offset(std::string_view text) {
  std::size_t used = 0;
  if (starts_with_ignore_case(text, "UTC") || starts_with_ignore_case(text, "GMT")) {
    used = 3;
    if (text.size() == 3 || (text[3] != '+' && text[3] != '-')) return std::make_pair(0, used);
  } else if (!text.empty() && text[0] == 'Z') {
    return std::make_pair(0, std::size_t{1});
  }
  if (used >= text.size() || (text[used] != '+' && text[used] != '-')) return std::nullopt;
  const int sign = text[used] == '-' ? -1 : 1;
  ++used;
  auto digits = [&](std::size_t max) {
    int value = 0;
    std::size_t n = 0;
    while (n < max && used < text.size() && text[used] >= '0' && text[used] <= '9') {
      value = value * 10 + (text[used] - '0');
      ++used;
      ++n;
    }
    return std::make_pair(value, n);
  };
  auto [hours, hour_digits] = digits(2);
  if (hour_digits == 0) return std::nullopt;
  int minutes = 0;
  if (used < text.size() && text[used] == ':') {
    ++used;
    auto [m, n] = digits(2);
    if (n != 2) return std::nullopt;
    minutes = m;
  } else if (hour_digits == 2) {
    auto [m, n] = digits(2);
    if (n == 1) return std::nullopt;
    minutes = m;
  }
  if (hours > 23 || minutes > 59) return std::nullopt;
  return std::make_pair(sign * (hours * 3600 + minutes * 60), used);
}

}  // namespace

std::optional<TimeZone> TimeZone::find(std::string_view id) {
  if (id.empty()) return std::nullopt;
  if (auto offset = read_offset(id); offset && offset->second == id.size()) return fixed(offset->first);
  try {
    TimeZone z;
    z.zone_ = date::locate_zone(id);
    return z;
  } catch (const std::runtime_error&) {
    return std::nullopt;
  }
}

TimeZone TimeZone::fixed(std::int32_t offset_seconds) {
  TimeZone z;
  z.offset_seconds_ = offset_seconds;
  return z;
}

std::int32_t TimeZone::offset_at(std::int64_t ms, std::string* abbreviation) const {
  if (zone_ == nullptr) {
    if (abbreviation != nullptr) {
      abbreviation->clear();
      if (offset_seconds_ == 0) {
        *abbreviation = "UTC";
      } else {
        *abbreviation = "GMT";
        append_offset(*abbreviation, offset_seconds_, true, true);
      }
    }
    return offset_seconds_;
  }
  const auto info = zone_->get_info(date::sys_seconds{std::chrono::seconds{floor_div(ms, 1000)}});
  if (abbreviation != nullptr) *abbreviation = info.abbrev;
  return static_cast<std::int32_t>(info.offset.count());
}

std::int64_t TimeZone::to_utc(std::int64_t local_ms) const {
  if (zone_ == nullptr) return local_ms - std::int64_t{offset_seconds_} * 1000;
  const std::int64_t seconds = floor_div(local_ms, 1000);
  const date::local_seconds local{std::chrono::seconds{seconds}};
  const auto sys = zone_->to_sys(local, date::choose::earliest);
  return sys.time_since_epoch().count() * 1000 + (local_ms - seconds * 1000);
}

DatePattern DatePattern::compile(std::string_view pattern) {
  DatePattern p;
  std::size_t i = 0;
  auto add_literal = [&p](std::string_view text) {
    if (p.tokens_.empty() || p.tokens_.back().letter != 0) p.tokens_.push_back({});
    p.tokens_.back().literal += text;
  };
  while (i < pattern.size()) {
    const char c = pattern[i];
    if (c == '\'') {
      if (i + 1 < pattern.size() && pattern[i + 1] == '\'') {
        add_literal("'");
        i += 2;
        continue;
      }
      std::size_t j = i + 1;
      std::string quoted;
      for (;;) {
        if (j >= pattern.size()) {
          throw std::invalid_argument(
              fmt::format("the quote at position {} of the date pattern is not closed", i + 1));
        }
        if (pattern[j] == '\'') {
          if (j + 1 < pattern.size() && pattern[j + 1] == '\'') {
            quoted += '\'';
            j += 2;
            continue;
          }
          break;
        }
        quoted += pattern[j++];
      }
      add_literal(quoted);
      i = j + 1;
      continue;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      static constexpr std::string_view kLetters = "GyYMLdDEuaHkKhmsSzZXw";
      if (kLetters.find(c) == std::string_view::npos) {
        throw std::invalid_argument(fmt::format(
            "unknown letter '{}' at position {} of the date pattern (quote literal text: 'T')", c, i + 1));
      }
      int count = 0;
      while (i < pattern.size() && pattern[i] == c) {
        ++count;
        ++i;
      }
      if (c == 'X' && count > 3) throw std::invalid_argument("'X' takes at most 3 letters in a date pattern");
      p.tokens_.push_back({c, count, {}});
      continue;
    }
    add_literal(std::string_view(&pattern[i], 1));
    ++i;
  }
  return p;
}

void DatePattern::format(std::int64_t ms, const TimeZone& zone, std::string& out) const {
  std::string abbreviation;
  const bool needs_abbreviation =
      std::any_of(tokens_.begin(), tokens_.end(), [](const Token& t) { return t.letter == 'z'; });
  const std::int32_t offset = zone.offset_at(ms, needs_abbreviation ? &abbreviation : nullptr);
  const Civil c = civil_of(ms + std::int64_t{offset} * 1000);
  for (const Token& t : tokens_) {
    switch (t.letter) {
      case 0: out += t.literal; break;
      case 'G': out += c.year > 0 ? "AD" : "BC"; break;
      case 'y':
      case 'Y':
        if (t.count == 2) {
          pad(out, ((c.year % 100) + 100) % 100, 2);
        } else {
          pad(out, c.year, t.count);
        }
        break;
      case 'M':
      case 'L':
        if (t.count >= 4) {
          out += kMonths[c.month - 1];
        } else if (t.count == 3) {
          out += kMonths[c.month - 1].substr(0, 3);
        } else {
          pad(out, c.month, t.count);
        }
        break;
      case 'd': pad(out, c.day, t.count); break;
      case 'D': pad(out, c.day_of_year, t.count); break;
      case 'E': out += t.count >= 4 ? kDays[c.weekday] : kDays[c.weekday].substr(0, 3); break;
      case 'u': pad(out, c.weekday == 0 ? 7 : c.weekday, t.count); break;
      case 'w': {
        // US weeks (Sunday first, a week 1 holds January 1st), as Java's default locale counts them.
        const unsigned jan1_weekday = (c.weekday + 7 * 54 - (c.day_of_year - 1)) % 7;
        pad(out, (c.day_of_year - 1 + jan1_weekday) / 7 + 1, t.count);
        break;
      }
      case 'a': out += c.hour < 12 ? "AM" : "PM"; break;
      case 'H': pad(out, c.hour, t.count); break;
      case 'k': pad(out, c.hour == 0 ? 24 : c.hour, t.count); break;
      case 'K': pad(out, c.hour % 12, t.count); break;
      case 'h': pad(out, c.hour % 12 == 0 ? 12 : c.hour % 12, t.count); break;
      case 'm': pad(out, c.minute, t.count); break;
      case 's': pad(out, c.second, t.count); break;
      case 'S': pad(out, c.millisecond, t.count); break;
      case 'z': out += abbreviation; break;
      case 'Z': append_offset(out, offset, false, true); break;
      case 'X':
        if (offset == 0) {
          out += 'Z';
        } else {
          append_offset(out, offset, t.count == 3, t.count >= 2 || offset % 3600 != 0);
        }
        break;
      default: break;
    }
  }
}

std::optional<std::int64_t> DatePattern::parse(std::string_view text, const TimeZone& zone,
                                               int reference_year, std::string& error) const {
  Civil c;
  std::optional<std::int32_t> written_offset;
  bool pm = false;
  bool has_ampm = false;
  int hour12 = -1;
  std::size_t pos = 0;
  auto fail = [&](std::string_view what) -> std::optional<std::int64_t> {
    error =
        fmt::format("'{}' does not match the date pattern at position {}: expected {}", text, pos + 1, what);
    return std::nullopt;
  };
  for (std::size_t ti = 0; ti < tokens_.size(); ++ti) {
    const Token& t = tokens_[ti];
    if (t.letter == 0) {
      if (text.substr(pos, t.literal.size()) != t.literal) return fail(fmt::format("'{}'", t.literal));
      pos += t.literal.size();
      continue;
    }
    if (is_numeric_letter(t.letter, t.count)) {
      // Abutting numeric fields (yyyyMMdd) take exactly their width; a field on its own takes every digit.
      const bool abutting = ti + 1 < tokens_.size() && tokens_[ti + 1].letter != 0 &&
                            is_numeric_letter(tokens_[ti + 1].letter, tokens_[ti + 1].count);
      const std::size_t max_digits = abutting ? static_cast<std::size_t>(t.count) : 10;
      std::int64_t value = 0;
      std::size_t n = 0;
      while (n < max_digits && pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        value = value * 10 + (text[pos] - '0');
        ++pos;
        ++n;
      }
      if (n == 0)
        return fail(
            fmt::format("a number for '{}'", std::string(static_cast<std::size_t>(t.count), t.letter)));
      const int v = static_cast<int>(value);
      switch (t.letter) {
        case 'y':
        case 'Y':
          if (t.count <= 2 && n == 2) {
            const int century_start = reference_year - 80;
            int year = (century_start / 100) * 100 + v;
            if (year < century_start) year += 100;
            c.year = year;
          } else {
            c.year = v;
          }
          break;
        case 'M':
        case 'L': c.month = static_cast<unsigned>(v); break;
        case 'd': c.day = static_cast<unsigned>(v); break;
        case 'H': c.hour = v; break;
        case 'k': c.hour = v == 24 ? 0 : v; break;
        case 'K':
        case 'h': hour12 = v % 12; break;
        case 'm': c.minute = v; break;
        case 's': c.second = v; break;
        case 'S': c.millisecond = v; break;
        default: break;  // D, u, w: implied by the date
      }
      continue;
    }
    const std::string_view rest = text.substr(pos);
    switch (t.letter) {
      case 'M':
      case 'L': {
        bool found = false;
        for (std::size_t m = 0; m < kMonths.size() && !found; ++m) {
          for (std::string_view name : {kMonths[m], kMonths[m].substr(0, 3)}) {
            if (starts_with_ignore_case(rest, name)) {
              c.month = static_cast<unsigned>(m + 1);
              pos += name.size();
              found = true;
              break;
            }
          }
        }
        if (!found) return fail("a month name");
        break;
      }
      case 'E': {
        bool found = false;
        for (std::string_view day : kDays) {
          for (std::string_view name : {day, day.substr(0, 3)}) {
            if (!found && starts_with_ignore_case(rest, name)) {
              pos += name.size();
              found = true;
            }
          }
        }
        if (!found) return fail("a day name");
        break;
      }
      case 'a':
        if (starts_with_ignore_case(rest, "AM") || starts_with_ignore_case(rest, "PM")) {
          pm = starts_with_ignore_case(rest, "PM");
          has_ampm = true;
          pos += 2;
        } else {
          return fail("AM or PM");
        }
        break;
      case 'G':
        if (starts_with_ignore_case(rest, "AD")) {
          pos += 2;
        } else {
          return fail("AD");
        }
        break;
      case 'z':
      case 'Z':
      case 'X': {
        auto offset = read_offset(rest);
        if (!offset) return fail("a time zone offset such as +02:00, -0800 or Z");
        written_offset = offset->first;
        pos += offset->second;
        break;
      }
      default: break;
    }
  }
  if (pos != text.size()) return fail("the end of the date");
  if (hour12 >= 0) c.hour = hour12 + (has_ampm && pm ? 12 : 0);
  const date::year_month_day ymd{date::year{c.year}, date::month{c.month}, date::day{c.day}};
  if (!ymd.ok() || c.hour > 23 || c.minute > 59 || c.second > 59 || c.millisecond > 999) {
    error = fmt::format("'{}' is not a valid date and time", text);
    return std::nullopt;
  }
  const std::int64_t local_ms =
      static_cast<std::int64_t>(date::sys_days{ymd}.time_since_epoch().count()) * kMsPerDay +
      c.hour * std::int64_t{3'600'000} + c.minute * std::int64_t{60'000} + c.second * std::int64_t{1000} +
      c.millisecond;
  if (written_offset) return local_ms - std::int64_t{*written_offset} * 1000;
  return zone.to_utc(local_ms);
}

const DatePattern& java_date_string_pattern() {
  static const DatePattern kPattern = DatePattern::compile("EEE MMM dd HH:mm:ss zzz yyyy");
  return kPattern;
}

void append_java_date_string(std::int64_t ms, std::string& out) {
  java_date_string_pattern().format(ms, TimeZone(), out);
}

int year_of(std::int64_t ms) {
  return civil_of(ms).year;
}

}  // namespace sluice::internal::el
