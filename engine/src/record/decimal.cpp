// Arbitrary-precision decimals as text, and Avro's two's-complement encoding of their unscaled value.
// Precision is unbounded (schoolbook base conversion): these run per decimal value, on a few dozen digits.
#include <algorithm>
#include <cstdint>
#include <ranges>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/record_value.hpp"

namespace sluice {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Splits a normalized decimal into sign, integer digits and fraction digits.
struct DecimalParts {
  bool negative = false;
  std::string_view integer;
  std::string_view fraction;
};

DecimalParts split(std::string_view n) {
  DecimalParts p;
  if (!n.empty() && n[0] == '-') {
    p.negative = true;
    n.remove_prefix(1);
  }
  const auto dot = n.find('.');
  p.integer = n.substr(0, dot);
  if (dot != std::string_view::npos) p.fraction = n.substr(dot + 1);
  return p;
}

}  // namespace

bool normalize_decimal(std::string_view text, std::string& out) {
  out.clear();
  std::size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) negative = text[pos++] == '-';
  std::string digits;  // all mantissa digits
  long point = -1;     // digits before the decimal point
  const std::size_t mantissa_start = pos;
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (is_digit(c)) {
      digits.push_back(c);
    } else if (c == '.' && point < 0) {
      point = static_cast<long>(digits.size());
    } else {
      break;
    }
  }
  if (digits.empty() || pos == mantissa_start) return false;
  if (point < 0) point = static_cast<long>(digits.size());
  if (pos < text.size()) {
    if (text[pos] != 'e' && text[pos] != 'E') return false;
    ++pos;
    bool exp_negative = false;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) exp_negative = text[pos++] == '-';
    if (pos >= text.size()) return false;
    long exponent = 0;
    for (; pos < text.size(); ++pos) {
      if (!is_digit(text[pos]) || exponent > 100'000) return false;
      exponent = exponent * 10 + (text[pos] - '0');
    }
    point += exp_negative ? -exponent : exponent;
  }
  // Place the point: pad with zeros on whichever side it fell outside the digits.
  if (point < 0) {
    digits.insert(0, static_cast<std::size_t>(-point), '0');
    point = 0;
  }
  if (static_cast<std::size_t>(point) > digits.size())
    digits.append(static_cast<std::size_t>(point) - digits.size(), '0');
  std::string_view integer(digits.data(), static_cast<std::size_t>(point));
  const std::string_view fraction = std::string_view(digits).substr(static_cast<std::size_t>(point));
  while (integer.size() > 1 && integer[0] == '0') integer.remove_prefix(1);
  const bool zero = std::all_of(digits.begin(), digits.end(), [](char c) { return c == '0'; });
  if (negative && !zero) out.push_back('-');
  if (integer.empty()) {
    out.push_back('0');
  } else {
    out.append(integer);
  }
  if (!fraction.empty()) {
    out.push_back('.');
    out.append(fraction);
  }
  return true;
}

bool rescale_decimal(std::string_view normalized, int scale, std::string& out) {
  const DecimalParts p = split(normalized);
  std::string_view fraction = p.fraction;
  const auto want = static_cast<std::size_t>(std::max(scale, 0));
  if (fraction.size() > want) {
    const std::string_view dropped = fraction.substr(want);
    if (dropped.find_first_not_of('0') != std::string_view::npos) return false;
    fraction = fraction.substr(0, want);
  }
  out.clear();
  if (p.negative) out.push_back('-');
  out.append(p.integer);
  if (want > 0) {
    out.push_back('.');
    out.append(fraction);
    out.append(want - fraction.size(), '0');
  }
  return true;
}

int decimal_precision(std::string_view normalized) {
  const DecimalParts p = split(normalized);
  std::string all(p.integer);
  all.append(p.fraction);
  const auto first = all.find_first_not_of('0');
  return first == std::string::npos ? 1 : static_cast<int>(all.size() - first);
}

void decimal_to_unscaled(std::string_view normalized, int scale, std::string& out) {
  std::string scaled;
  if (!rescale_decimal(normalized, scale, scaled)) scaled.assign(normalized);  // caller checked; be total
  const DecimalParts p = split(scaled);
  std::vector<std::uint8_t> dec;  // decimal digits of the unscaled magnitude
  for (char c : p.integer) dec.push_back(static_cast<std::uint8_t>(c - '0'));
  for (char c : p.fraction) dec.push_back(static_cast<std::uint8_t>(c - '0'));
  // Repeated division by 256 gives the magnitude's bytes, least significant first.
  std::vector<std::uint8_t> bytes;
  while (!dec.empty()) {
    unsigned remainder = 0;
    std::vector<std::uint8_t> quotient;
    for (std::uint8_t d : dec) {
      const unsigned cur = remainder * 10 + d;
      if (!quotient.empty() || cur / 256 != 0) quotient.push_back(static_cast<std::uint8_t>(cur / 256));
      remainder = cur % 256;
    }
    bytes.push_back(static_cast<std::uint8_t>(remainder));
    dec.swap(quotient);
  }
  while (bytes.size() > 1 && bytes.back() == 0) bytes.pop_back();
  if (bytes.empty()) bytes.push_back(0);
  bool negative = p.negative && !(bytes.size() == 1 && bytes[0] == 0);
  if (negative) {
    // Two's complement: invert and add one.
    unsigned carry = 1;
    for (auto& b : bytes) {
      const unsigned v = static_cast<std::uint8_t>(~b) + carry;
      b = static_cast<std::uint8_t>(v & 0xFF);
      carry = v >> 8;
    }
    if ((bytes.back() & 0x80) == 0) bytes.push_back(0xFF);
  } else if ((bytes.back() & 0x80) != 0) {
    bytes.push_back(0);
  }
  out.assign(bytes.rbegin(), bytes.rend());
}

void unscaled_to_decimal(std::string_view raw, int scale, std::string& out) {
  std::vector<std::uint8_t> bytes(raw.begin(), raw.end());  // big-endian
  const bool negative = !bytes.empty() && (bytes[0] & 0x80) != 0;
  if (negative) {
    unsigned carry = 1;
    for (auto& byte : std::ranges::reverse_view(bytes)) {
      const unsigned v = static_cast<std::uint8_t>(~byte) + carry;
      byte = static_cast<std::uint8_t>(v & 0xFF);
      carry = v >> 8;
    }
  }
  std::vector<std::uint8_t> dec{0};  // decimal digits, most significant first
  for (std::uint8_t b : bytes) {
    unsigned carry = b;
    for (auto& digit : std::ranges::reverse_view(dec)) {
      const unsigned v = digit * 256U + carry;
      digit = static_cast<std::uint8_t>(v % 10);
      carry = v / 10;
    }
    while (carry != 0) {
      dec.insert(dec.begin(), static_cast<std::uint8_t>(carry % 10));
      carry /= 10;
    }
  }
  while (dec.size() > 1 && dec[0] == 0) dec.erase(dec.begin());
  const auto width = static_cast<std::size_t>(std::max(scale, 0));
  if (dec.size() <= width) dec.insert(dec.begin(), width + 1 - dec.size(), 0);
  out.clear();
  const bool zero = std::all_of(dec.begin(), dec.end(), [](std::uint8_t d) { return d == 0; });
  if (negative && !zero) out.push_back('-');
  for (std::size_t i = 0; i < dec.size(); ++i) {
    if (i == dec.size() - width) out.push_back('.');
    out.push_back(static_cast<char>('0' + dec[i]));
  }
}

}  // namespace sluice
