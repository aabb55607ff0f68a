#include "expression/value.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include "expression/date_format.hpp"

namespace sluice::internal::el {

std::string_view java_trim(std::string_view s) {
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= ' ') s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ') s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::optional<Number> parse_number(std::string_view s) {
  s = java_trim(s);
  if (s.empty()) return std::nullopt;
  std::string_view digits = s;
  bool negative = false;
  if (digits.front() == '+' || digits.front() == '-') {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty()) return std::nullopt;
  bool all_digits = true;
  for (char c : digits) all_digits = all_digits && c >= '0' && c <= '9';
  if (all_digits) {
    std::uint64_t magnitude = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude);
    const auto limit =
        static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + (negative ? 1 : 0);
    if (ec == std::errc() && ptr == digits.data() + digits.size() && magnitude <= limit) {
      const std::int64_t value =
          negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
      return Number{false, value, 0};
    }
  }
  // A decimal: digits with at most one point and an optional exponent (from_chars takes no leading '+').
  for (char c : digits) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+'))
      return std::nullopt;
  }
  double d = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), d);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) return std::nullopt;
  return Number{true, 0, negative ? -d : d};
}

void append_decimal(double d, std::string& out) {
  if (std::isnan(d)) {
    out += "NaN";
    return;
  }
  if (std::isinf(d)) {
    out += d < 0 ? "-Infinity" : "Infinity";
    return;
  }
  char buf[64];
  const double magnitude = std::fabs(d);
  if (d == 0 || (magnitude >= 1e-3 && magnitude < 1e7)) {
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
    std::string_view text(buf, static_cast<std::size_t>(end - buf));
    out += text;
    if (text.find('.') == std::string_view::npos) out += ".0";
    return;
  }
  // Java's computerized scientific notation: "1.0E10", "1.25E-5".
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view text(buf, static_cast<std::size_t>(end - buf));
  const std::size_t e = text.find('e');
  std::string_view mantissa = text.substr(0, e);
  out += mantissa;
  if (mantissa.find('.') == std::string_view::npos) out += ".0";
  out += 'E';
  std::string_view exponent = text.substr(e + 1);
  if (exponent.front() == '-') {
    out += '-';
    exponent.remove_prefix(1);
  } else if (exponent.front() == '+') {
    exponent.remove_prefix(1);
  }
  while (exponent.size() > 1 && exponent.front() == '0') exponent.remove_prefix(1);
  out += exponent;
}

void append_text(const Value& v, std::string& out) {
  switch (v.type) {
    case Type::kNull: return;
    case Type::kString: out += v.text; return;
    case Type::kBool: out += v.boolean ? "true" : "false"; return;
    case Type::kWhole: {
      char buf[24];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.whole);
      out.append(buf, end);
      return;
    }
    case Type::kDecimal: append_decimal(v.decimal, out); return;
    case Type::kDate: append_java_date_string(v.whole, out); return;
  }
}

std::string_view text_of(const Value& v, std::string& scratch) {
  if (v.type == Type::kString) return v.text;
  scratch.clear();
  append_text(v, scratch);
  return scratch;
}

}  // namespace sluice::internal::el
