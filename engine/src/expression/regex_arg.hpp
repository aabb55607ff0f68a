// Regular-expression arguments (ECMAScript syntax, as elsewhere in sluice): compiled once at compile time
// when the argument is a literal, else per evaluation (cached per thread while the pattern repeats).
#pragma once

#include <cstddef>
#include <regex>

#include "expression/call.hpp"

namespace sluice::internal::el {

// Compile-time hook for a function whose first argument is a regex.
void prepare_regex_first_arg(const PrepareContext& context);
// The regex argument `index`: the prepared one, or compiled now (failing the call when it is invalid).
const std::regex& regex_arg(const Call& call, std::size_t index);

}  // namespace sluice::internal::el
