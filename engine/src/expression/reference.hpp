// The expression language's reference page, generated from the function table (docs/expression-language.md
// is this text; a test keeps the two equal).
#pragma once

#include <string>

namespace sluice::internal {

std::string expression_reference_markdown();

}  // namespace sluice::internal
