#include <fmt/format.h>

#include "config/flow_model.hpp"

namespace sluice::internal {

std::string Diagnostic::str() const {
  if (pos.line > 0) return fmt::format("{}:{}:{}: {}", pos.file, pos.line, pos.column, message);
  return fmt::format("{}: {}", pos.file, message);
}

}  // namespace sluice::internal
