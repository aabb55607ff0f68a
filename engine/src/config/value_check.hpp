// Checks of scalar values as written in a flow. Each returns nullopt for a good value, or the problem as
// the end of a sentence, e.g. "is not a size (expected e.g. 512 B, 10 KiB, 1 GiB)", so that callers say
// `<subject>: '<text>' <problem>` and every message states the expected form the same way.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/spec.hpp"

namespace sluice::internal {

inline constexpr std::string_view kSizeExamples = "512 B, 10 KiB, 1 GiB";
inline constexpr std::string_view kDurationExamples = "250ms, 5 s, 2 min, 1 h";

std::optional<std::string> int_problem(std::string_view text, std::int64_t min, std::int64_t max);
std::optional<std::string> bool_problem(std::string_view text);
std::optional<std::string> size_problem(std::string_view text, std::uint64_t min = 0);
std::optional<std::string> duration_problem(std::string_view text,
                                            std::chrono::nanoseconds min = std::chrono::nanoseconds(0));
std::optional<std::string> regex_problem(std::string_view text);
std::optional<std::string> choice_problem(std::string_view text, const std::vector<std::string>& allowed);

// The problem with `text` as a value of the property `spec`.
std::optional<std::string> property_value_problem(const PropertySpec& spec, std::string_view text);
// What a value of `spec` looks like: "a size, e.g. 512 B, 10 KiB, 1 GiB".
std::string expected_value(const PropertySpec& spec);

// `<subject>: '<text>' <problem>`.
std::string value_message(std::string_view subject, std::string_view text, std::string_view problem);

}  // namespace sluice::internal
