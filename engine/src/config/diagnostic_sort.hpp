// Diagnostics are reported in file order whatever check found them.
#pragma once

#include <vector>

#include "config/flow_model.hpp"

namespace sluice::internal {

// Sorts by line then column, keeping the order of diagnostics at the same position.
void sort_diagnostics(std::vector<Diagnostic>& diagnostics);

}  // namespace sluice::internal
