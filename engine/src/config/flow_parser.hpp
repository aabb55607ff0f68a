// Reads a flow YAML file into a FlowModel, reporting structural problems (syntax, unknown or missing keys,
// wrong node types, bad schedule/connection/settings values) as positioned diagnostics. Checks that need
// the processor registry are done by validate_flow (flow_validator.hpp).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "config/flow_model.hpp"

namespace sluice::internal {

struct ParseResult {
  FlowModel flow;
  // Sorted by position. The model is filled as far as possible even when there are errors, so that
  // validation can still report independent problems.
  std::vector<Diagnostic> diagnostics;
};

ParseResult parse_flow_file(const std::filesystem::path& file);
// `file_name` is only used in positions.
ParseResult parse_flow_text(std::string_view text, const std::string& file_name);

}  // namespace sluice::internal
