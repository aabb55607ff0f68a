#include "http_headers.hpp"

namespace sluice::http {

bool valid_header_name(std::string_view name) {
  static constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  if (name.empty()) return false;
  for (const char c : name) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alnum && kSymbols.find(c) == std::string_view::npos) return false;
  }
  return true;
}

bool valid_header_value(std::string_view value) {
  return value.find_first_of("\r\n") == std::string_view::npos && value.find('\0') == std::string_view::npos;
}

std::vector<std::string> header_properties(const ComponentContext& context) {
  std::vector<std::string> names;
  for (const auto& [name, value] : context.dynamic_properties()) {
    if (!valid_header_name(name))
      throw ProcessorError("dynamic property '" + name + "' is not a valid header name");
    names.push_back(name);
  }
  return names;
}

std::optional<std::regex> optional_regex(const ComponentContext& context, std::string_view property,
                                         std::regex::flag_type extra) {
  const auto pattern = context.property(property);
  if (!pattern || pattern->empty()) return std::nullopt;
  try {
    return std::regex(*pattern, std::regex::ECMAScript | std::regex::optimize | extra);
  } catch (const std::regex_error& e) {
    throw ProcessorError(std::string(property) + " '" + *pattern +
                         "' is not a valid regular expression: " + e.what());
  }
}

}  // namespace sluice::http
