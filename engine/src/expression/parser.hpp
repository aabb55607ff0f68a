// Text to program: splits literal text from `${…}` expressions and parses each into nodes, checking every
// function name, argument count and literal argument at compile time.
#pragma once

#include <memory>
#include <string_view>

#include "expression/program.hpp"

namespace sluice::internal::el {

// Throws ExpressionError with the 1-based column of the problem.
std::shared_ptr<const ExpressionProgram> compile_program(std::string_view text);

}  // namespace sluice::internal::el
