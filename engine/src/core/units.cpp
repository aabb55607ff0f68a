#include "sluice/units.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>

#include <fmt/format.h>

namespace sluice {

namespace {

// 128-bit intermediates make "1.5 TiB" and overflow checks exact without floating point.
__extension__ using Wide = unsigned __int128;

constexpr std::uint64_t kMaxFractionDigits = 18;

std::string_view trim(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// A non-negative decimal number "12" or "1.25", split so the caller can scale it exactly.
struct Decimal {
  std::uint64_t whole = 0;
  std::uint64_t fraction = 0;        // digits after the point, as an integer
  std::uint64_t fraction_scale = 1;  // 10^(number of fraction digits)
  std::string_view rest;             // the unit, trimmed
};

std::optional<Decimal> split_decimal(std::string_view text) {
  text = trim(text);
  Decimal d;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  auto [after_whole, ec] = std::from_chars(begin, end, d.whole);
  if (ec != std::errc() || after_whole == begin) return std::nullopt;  // also rejects '-' and '+'
  const char* p = after_whole;
  if (p != end && *p == '.') {
    ++p;
    const char* digits = p;
    while (p != end && *p >= '0' && *p <= '9') {
      if (static_cast<std::uint64_t>(p - digits) >= kMaxFractionDigits) return std::nullopt;
      d.fraction = d.fraction * 10 + static_cast<std::uint64_t>(*p - '0');
      d.fraction_scale *= 10;
      ++p;
    }
    if (p == digits) return std::nullopt;  // "1." is a typo, not a number
  }
  d.rest = trim(std::string_view(p, static_cast<std::size_t>(end - p)));
  return d;
}

// whole * multiplier + fraction * multiplier / scale, rounded down; nullopt beyond `max`.
std::optional<std::uint64_t> scale(const Decimal& d, std::uint64_t multiplier, std::uint64_t max) {
  // A fraction of the smallest unit cannot be represented: "1.5 B" or "0.5ns" is a mistake.
  if (multiplier == 1 && d.fraction != 0) return std::nullopt;
  const Wide value =
      static_cast<Wide>(d.whole) * multiplier + static_cast<Wide>(d.fraction) * multiplier / d.fraction_scale;
  if (value > max) return std::nullopt;
  return static_cast<std::uint64_t>(value);
}

struct Unit {
  std::string_view name;
  std::uint64_t multiplier;
};

constexpr std::uint64_t kKi = 1024;
constexpr std::array kSizeUnits{
    Unit{"b", 1},
    Unit{"byte", 1},
    Unit{"bytes", 1},
    Unit{"kb", 1000},
    Unit{"kib", kKi},
    Unit{"mb", 1000ULL * 1000},
    Unit{"mib", kKi* kKi},
    Unit{"gb", 1000ULL * 1000 * 1000},
    Unit{"gib", kKi* kKi* kKi},
    Unit{"tb", 1000ULL * 1000 * 1000 * 1000},
    Unit{"tib", kKi* kKi* kKi* kKi},
};

constexpr std::uint64_t kUs = 1000;
constexpr std::uint64_t kMs = 1000 * kUs;
constexpr std::uint64_t kSec = 1000 * kMs;
constexpr std::uint64_t kMin = 60 * kSec;
constexpr std::uint64_t kHour = 60 * kMin;
constexpr std::uint64_t kDay = 24 * kHour;
constexpr std::array kDurationUnits{
    Unit{"ns", 1},        Unit{"nanosecond", 1},    Unit{"nanoseconds", 1},
    Unit{"us", kUs},      Unit{"microsecond", kUs}, Unit{"microseconds", kUs},
    Unit{"ms", kMs},      Unit{"millisecond", kMs}, Unit{"milliseconds", kMs},
    Unit{"s", kSec},      Unit{"sec", kSec},        Unit{"secs", kSec},
    Unit{"second", kSec}, Unit{"seconds", kSec},    Unit{"min", kMin},
    Unit{"mins", kMin},   Unit{"minute", kMin},     Unit{"minutes", kMin},
    Unit{"h", kHour},     Unit{"hr", kHour},        Unit{"hrs", kHour},
    Unit{"hour", kHour},  Unit{"hours", kHour},     Unit{"d", kDay},
    Unit{"day", kDay},    Unit{"days", kDay},
};

template <std::size_t N>
std::optional<std::uint64_t> find_unit(const std::array<Unit, N>& units, std::string_view name) {
  for (const auto& unit : units) {
    if (iequals(unit.name, name)) return unit.multiplier;
  }
  return std::nullopt;
}

// "1.5" from tenths = 15; "2" from 20.
std::string tenths_text(std::uint64_t tenths) {
  if (tenths % 10 == 0) return fmt::format("{}", tenths / 10);
  return fmt::format("{}.{}", tenths / 10, tenths % 10);
}

}  // namespace

std::optional<std::uint64_t> parse_size(std::string_view text) {
  auto d = split_decimal(text);
  if (!d) return std::nullopt;
  std::uint64_t multiplier = 1;
  if (!d->rest.empty()) {
    auto unit = find_unit(kSizeUnits, d->rest);
    if (!unit) return std::nullopt;
    multiplier = *unit;
  }
  return scale(*d, multiplier, std::numeric_limits<std::uint64_t>::max());
}

std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text) {
  auto d = split_decimal(text);
  if (!d) return std::nullopt;
  std::uint64_t multiplier = kMs;  // a bare number is milliseconds, as in NiFi's scheduling periods
  if (!d->rest.empty()) {
    auto unit = find_unit(kDurationUnits, d->rest);
    if (!unit) return std::nullopt;
    multiplier = *unit;
  }
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::chrono::nanoseconds::rep>::max());
  auto ns = scale(*d, multiplier, kMax);
  if (!ns) return std::nullopt;
  return std::chrono::nanoseconds(static_cast<std::chrono::nanoseconds::rep>(*ns));
}

std::optional<std::int64_t> parse_int(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);  // from_chars accepts only '-'
    if (!text.empty() && (text.front() == '-' || text.front() == '+')) return std::nullopt;
  }
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<bool> parse_bool(std::string_view text) {
  text = trim(text);
  // The YAML 1.1 spellings too: flows written for NiFi/MiNiFi use them.
  for (std::string_view yes : {"true", "yes", "on"}) {
    if (iequals(text, yes)) return true;
  }
  for (std::string_view no : {"false", "no", "off"}) {
    if (iequals(text, no)) return false;
  }
  return std::nullopt;
}

std::string format_size(std::uint64_t bytes) {
  constexpr std::array<std::string_view, 7> kNames{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  std::size_t unit = 0;
  Wide divisor = 1;
  while (unit + 1 < kNames.size() && bytes >= divisor * kKi) {
    divisor *= kKi;
    ++unit;
  }
  if (unit == 0) return fmt::format("{} B", bytes);
  // Rounded to tenths; 1023.96 KiB shows as "1024 KiB" rather than jumping units, which stays exact enough.
  const auto tenths = static_cast<std::uint64_t>((static_cast<Wide>(bytes) * 10 + divisor / 2) / divisor);
  return fmt::format("{} {}", tenths_text(tenths), kNames[unit]);
}

std::string format_duration(std::chrono::nanoseconds d) {
  struct Named {
    std::string_view name;
    std::uint64_t ns;
  };
  constexpr std::array kNames{Named{"d", kDay}, Named{"h", kHour}, Named{"min", kMin}, Named{"s", kSec},
                              Named{"ms", kMs}, Named{"us", kUs},  Named{"ns", 1}};
  const bool negative = d.count() < 0;
  // Two's complement: the magnitude of the most negative value still fits in 64 unsigned bits.
  const std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(d.count()) : static_cast<std::uint64_t>(d.count());
  const std::string_view sign = negative ? "-" : "";
  if (magnitude == 0) return "0s";
  for (const auto& unit : kNames) {
    if (magnitude < unit.ns) continue;
    if (unit.ns == 1) return fmt::format("{}{}ns", sign, magnitude);
    const auto tenths =
        static_cast<std::uint64_t>((static_cast<Wide>(magnitude) * 10 + unit.ns / 2) / unit.ns);
    return fmt::format("{}{}{}", sign, tenths_text(tenths), unit.name);
  }
  return fmt::format("{}{}ns", sign, magnitude);
}

}  // namespace sluice
