#include "field_rules.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace sluice::records {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

double number(std::string_view path, std::string_view rule, std::string_view text) {
  double d = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), d);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size()) {
    throw std::invalid_argument(std::string(path) + ": " + std::string(rule) + " needs a number, got '" +
                                std::string(text) + "'");
  }
  return d;
}

// A numeric reading of a value for min/max: numbers, decimals, and numeric text.
std::optional<double> numeric(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kInt: return static_cast<double>(v.as_int());
    case ValueKind::kDouble: return v.as_double();
    case ValueKind::kDecimal:
    case ValueKind::kString: {
      double d = 0;
      const auto t = v.as_text();
      auto r = std::from_chars(t.data(), t.data() + t.size(), d);
      if (r.ec == std::errc() && r.ptr == t.data() + t.size()) return d;
      return std::nullopt;
    }
    default: return std::nullopt;
  }
}

}  // namespace

FieldRules::FieldRules(std::string_view path, std::string_view rules) : path_(RecordPath::compile(path)) {
  std::size_t start = 0;
  while (start <= rules.size()) {
    const std::size_t semi = rules.find(';', start);
    const std::string_view rule =
        trim(rules.substr(start, semi == std::string_view::npos ? std::string_view::npos : semi - start));
    start = semi == std::string_view::npos ? rules.size() + 1 : semi + 1;
    if (rule.empty()) continue;
    const std::size_t eq = rule.find('=');
    const std::string_view name = trim(rule.substr(0, eq));
    const std::string_view arg =
        eq == std::string_view::npos ? std::string_view() : trim(rule.substr(eq + 1));
    if (name == "not_null") {
      not_null_ = true;
    } else if (name == "min") {
      min_ = number(path, name, arg);
      min_text_ = std::string(arg);
    } else if (name == "max") {
      max_ = number(path, name, arg);
      max_text_ = std::string(arg);
    } else if (name == "regex") {
      regex_text_ = std::string(arg);
      try {
        regex_.emplace(regex_text_, std::regex::ECMAScript | std::regex::optimize);
      } catch (const std::regex_error& e) {
        throw std::invalid_argument(std::string(path) + ": regex '" + regex_text_ +
                                    "' is invalid: " + e.what());
      }
    } else if (name == "allowed") {
      allowed_text_ = std::string(arg);
      std::size_t s = 0;
      while (s <= arg.size()) {
        const std::size_t comma = arg.find(',', s);
        allowed_.emplace_back(
            trim(arg.substr(s, comma == std::string_view::npos ? std::string_view::npos : comma - s)));
        s = comma == std::string_view::npos ? arg.size() + 1 : comma + 1;
      }
    } else {
      throw std::invalid_argument(std::string(path) + ": unknown rule '" + std::string(name) +
                                  "' (rules: min, max, not_null, regex, allowed)");
    }
  }
}

std::optional<std::string> FieldRules::check(const Record& record) const {
  const Value* v = path_.get(record);
  if (v == nullptr || v->is_null()) {
    if (not_null_) return path_.text() + ": not_null: value is " + (v == nullptr ? "missing" : "null");
    return std::nullopt;
  }
  thread_local std::string text;
  text.clear();
  append_text(*v, text);
  if (min_ || max_) {
    const auto d = numeric(*v);
    if (!d) return path_.text() + ": min/max: value '" + text + "' is not a number";
    if (min_ && *d < *min_) return path_.text() + ": min=" + min_text_ + ": value " + text;
    if (max_ && *d > *max_) return path_.text() + ": max=" + max_text_ + ": value " + text;
  }
  if (regex_ && !std::regex_match(text, *regex_))
    return path_.text() + ": regex=" + regex_text_ + ": value '" + text + "'";
  if (!allowed_.empty() && std::find(allowed_.begin(), allowed_.end(), text) == allowed_.end()) {
    return path_.text() + ": allowed=" + allowed_text_ + ": value '" + text + "'";
  }
  return std::nullopt;
}

}  // namespace sluice::records
