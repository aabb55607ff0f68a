// What the HTTP processors check the same way: header names and values they send, the dynamic properties
// that name headers, and the optional regular expressions of their properties.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/context.hpp"

namespace sluice::http {

// An RFC 9110 token: letters, digits and !#$%&'*+-.^_`|~.
bool valid_header_name(std::string_view name);
// No line break or NUL: a value cannot smuggle in another header.
bool valid_header_value(std::string_view value);

// The names of the dynamic properties, each a header name; throws ProcessorError for one that is not.
std::vector<std::string> header_properties(const ComponentContext& context);

// The property compiled as a regular expression (ECMAScript, optimized, with `extra` flags), or nullopt
// when it is unset or empty; throws ProcessorError naming the property when it does not compile.
std::optional<std::regex> optional_regex(const ComponentContext& context, std::string_view property,
                                         std::regex::flag_type extra = {});

}  // namespace sluice::http
