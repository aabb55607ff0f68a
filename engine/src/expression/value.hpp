// What an expression computes while it is evaluated: NiFi's types (String, Boolean, whole Number, Decimal,
// Date) plus null for an absent attribute. Strings are views: into the expression's text, an attribute, or a
// scratch buffer of the evaluation (see Scratch), so a value costs no allocation of its own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::internal::el {

enum class Type : std::uint8_t { kNull, kString, kBool, kWhole, kDecimal, kDate };

struct Value {
  Type type = Type::kNull;
  bool boolean = false;
  std::int64_t whole = 0;  // a whole number, or a date's milliseconds since the epoch
  double decimal = 0;
  std::string_view text;

  static Value null() { return {}; }
  static Value string(std::string_view s) { return {Type::kString, false, 0, 0, s}; }
  static Value of_bool(bool b) { return {Type::kBool, b, 0, 0, {}}; }
  static Value of_whole(std::int64_t n) { return {Type::kWhole, false, n, 0, {}}; }
  static Value of_decimal(double d) { return {Type::kDecimal, false, 0, d, {}}; }
  static Value date(std::int64_t ms) { return {Type::kDate, false, ms, 0, {}}; }

  [[nodiscard]] bool is_null() const { return type == Type::kNull; }
  [[nodiscard]] bool is_number() const { return type == Type::kWhole || type == Type::kDecimal; }
};

// A number as NiFi keeps it: whole (a Java long) unless a decimal took part.
struct Number {
  bool is_decimal = false;
  std::int64_t whole = 0;
  double decimal = 0;
  [[nodiscard]] double as_double() const { return is_decimal ? decimal : static_cast<double>(whole); }
  [[nodiscard]] Value value() const {
    return is_decimal ? Value::of_decimal(decimal) : Value::of_whole(whole);
  }
};

// Java's String.trim(): strips every character <= ' ' at both ends.
std::string_view java_trim(std::string_view s);

// A whole number ("-42", "+7") or a decimal ("1.5", "2e3", ".5"), after trimming; nullopt when `s` is
// neither.
std::optional<Number> parse_number(std::string_view s);

// Appends the text form NiFi gives each type: decimals as Java's Double.toString ("1.0", "1.0E10"), dates
// as Java's Date.toString in UTC ("Tue Nov 14 22:13:20 UTC 2023"), null as nothing.
void append_text(const Value& v, std::string& out);
void append_decimal(double d, std::string& out);

// The value as text: its own view when it is a string, else formatted into `scratch`.
std::string_view text_of(const Value& v, std::string& scratch);

bool iequals(std::string_view a, std::string_view b);

}  // namespace sluice::internal::el
