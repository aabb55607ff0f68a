// Name matching for messages: "did you mean" hints and lists of what was expected.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sluice::internal {

// The candidate closest to `name` by case-insensitive edit distance; empty if none is close enough to be a
// plausible typo (same threshold as ProcessorRegistry::nearest).
std::string nearest_name(std::string_view name, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" when a candidate is close, else " (expected one of: a, b, c)" when there are at
// most `max_listed` candidates, else "".
std::string name_hint(std::string_view name, const std::vector<std::string>& candidates,
                      std::size_t max_listed = 12);

std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

}  // namespace sluice::internal
