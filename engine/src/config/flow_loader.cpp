#include "config/flow_loader.hpp"

#include "config/diagnostic_sort.hpp"
#include "config/flow_validator.hpp"

namespace sluice::internal {

namespace {
ParseResult validated(ParseResult parsed, const ProcessorRegistry& registry) {
  auto more = validate_flow(parsed.flow, registry);
  parsed.diagnostics.insert(parsed.diagnostics.end(), more.begin(), more.end());
  sort_diagnostics(parsed.diagnostics);
  resolve_schedule_defaults(parsed.flow, registry);
  return parsed;
}
}  // namespace

ParseResult load_flow_file(const std::filesystem::path& file, const ProcessorRegistry& registry) {
  return validated(parse_flow_file(file), registry);
}

ParseResult load_flow_text(std::string_view text, const std::string& file_name,
                           const ProcessorRegistry& registry) {
  return validated(parse_flow_text(text, file_name), registry);
}

}  // namespace sluice::internal
