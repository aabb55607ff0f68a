#include "config/value_check.hpp"

#include <limits>

// GCC 12 at -O2 reports a false -Wmaybe-uninitialized inside libstdc++'s regex compiler (GCC bug 105562).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <regex>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#include <fmt/format.h>

#include "config/names.hpp"
#include "sluice/units.hpp"

namespace sluice::internal {

std::optional<std::string> int_problem(std::string_view text, std::int64_t min, std::int64_t max) {
  auto range = [&] {
    if (max == std::numeric_limits<std::int64_t>::max()) return fmt::format("an integer >= {}", min);
    return fmt::format("an integer from {} to {}", min, max);
  };
  auto value = parse_int(text);
  if (!value) return fmt::format("is not an integer (expected {})", range());
  if (*value < min || *value > max) return fmt::format("is out of range (expected {})", range());
  return std::nullopt;
}

std::optional<std::string> bool_problem(std::string_view text) {
  if (parse_bool(text)) return std::nullopt;
  return std::string("is not a boolean (expected true or false)");
}

std::optional<std::string> size_problem(std::string_view text, std::uint64_t min) {
  auto value = parse_size(text);
  if (!value) return fmt::format("is not a size (expected e.g. {})", kSizeExamples);
  if (*value < min) return fmt::format("is too small (expected at least {})", format_size(min));
  return std::nullopt;
}

std::optional<std::string> duration_problem(std::string_view text, std::chrono::nanoseconds min) {
  auto value = parse_duration(text);
  if (!value) return fmt::format("is not a duration (expected e.g. {})", kDurationExamples);
  if (*value < min) return fmt::format("is too short (expected at least {})", format_duration(min));
  return std::nullopt;
}

std::optional<std::string> regex_problem(std::string_view text) {
  try {
    std::regex compiled{std::string(text)};
  } catch (const std::regex_error& e) {
    std::string what = e.what();
    if (!what.empty() && what.back() == '.') what.pop_back();
    return fmt::format("is not a valid regex: {} (expected ECMAScript syntax, e.g. .*\\.csv)", what);
  }
  return std::nullopt;
}

std::optional<std::string> choice_problem(std::string_view text, const std::vector<std::string>& allowed) {
  for (const auto& value : allowed) {
    if (value == text) return std::nullopt;
  }
  std::string problem = fmt::format("is not one of {}", join(allowed));
  if (auto best = nearest_name(text, allowed); !best.empty())
    problem += fmt::format(" (did you mean '{}'?)", best);
  return problem;
}

namespace {
std::vector<std::string> allowed_names(const PropertySpec& spec) {
  std::vector<std::string> names;
  names.reserve(spec.allowed_values.size());
  for (const auto& allowed : spec.allowed_values) names.push_back(allowed.value);
  return names;
}
}  // namespace

std::optional<std::string> property_value_problem(const PropertySpec& spec, std::string_view text) {
  switch (spec.kind) {
    case PropertyKind::kInt:
      if (parse_int(text)) return std::nullopt;
      return std::string("is not an integer (expected e.g. 100)");
    case PropertyKind::kBool: return bool_problem(text);
    case PropertyKind::kSize: return size_problem(text);
    case PropertyKind::kDuration: return duration_problem(text);
    case PropertyKind::kRegex: return regex_problem(text);
    case PropertyKind::kEnum: return choice_problem(text, allowed_names(spec));
    case PropertyKind::kString:
    case PropertyKind::kExpression:  // checked when compiled
    case PropertyKind::kService:     // checked against the flow's services
      return std::nullopt;
  }
  return std::nullopt;
}

std::string expected_value(const PropertySpec& spec) {
  switch (spec.kind) {
    case PropertyKind::kString: return "a string";
    case PropertyKind::kInt: return "an integer, e.g. 100";
    case PropertyKind::kBool: return "true or false";
    case PropertyKind::kSize: return fmt::format("a size, e.g. {}", kSizeExamples);
    case PropertyKind::kDuration: return fmt::format("a duration, e.g. {}", kDurationExamples);
    case PropertyKind::kRegex: return "a regular expression";
    case PropertyKind::kEnum: return fmt::format("one of {}", join(allowed_names(spec)));
    case PropertyKind::kExpression: return "a string or expression";
    case PropertyKind::kService:
      return fmt::format("the id of a {} service declared under services:", spec.service);
  }
  return "a value";
}

std::string value_message(std::string_view subject, std::string_view text, std::string_view problem) {
  return fmt::format("{}: '{}' {}", subject, text, problem);
}

}  // namespace sluice::internal
