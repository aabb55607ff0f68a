// Positions inside YAML scalar values: an error found at character N of a property's value (a bad
// expression) is reported where that character was written, through quotes, escapes and line folding.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "config/flow_model.hpp"

namespace sluice::internal {

// The scalar as written, starting at `offset` in `source`, when it differs from `value`; empty for a plain
// one-line scalar.
std::string scalar_source(std::string_view source, std::size_t offset, std::string_view value);

// Where character `index` (0-based, in bytes) of `located.value` was written; `source` is what
// scalar_source gave for it.
SourcePos value_char_pos(const Located& located, std::string_view source, std::size_t index);

}  // namespace sluice::internal
