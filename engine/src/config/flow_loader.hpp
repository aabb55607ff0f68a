// What `sluice run/check` does with a flow file: parse, validate, then fill in schedule defaults.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "config/flow_parser.hpp"
#include "plugin/registry.hpp"

namespace sluice::internal {

// Parse and validation diagnostics together, sorted by position; the flow is usable iff they are empty.
ParseResult load_flow_file(const std::filesystem::path& file, const ProcessorRegistry& registry);
ParseResult load_flow_text(std::string_view text, const std::string& file_name,
                           const ProcessorRegistry& registry);

}  // namespace sluice::internal
