// A FlowFile repository that keeps nothing: for `repositories: memory`, throw-away runs and tests.
#pragma once

#include <memory>

#include "repository/flowfile_repository.hpp"

namespace sluice::internal {

std::unique_ptr<FlowFileRepository> make_volatile_flowfile_repository();

}  // namespace sluice::internal
