#include <chrono>
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/table_output.hpp"
#include "provenance/queries.hpp"
#include "provenance/render.hpp"

namespace sluice::cli {

namespace {
std::int64_t wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

int provenance_query_command(const ProvenanceQueryOptions& options) {
  namespace prov = internal::provenance;
  prov::EventQuery q;
  if (!options.flowfile.empty()) q.flowfile_uuid = options.flowfile;
  if (!options.component.empty()) q.component_id = options.component;
  if (!options.type.empty()) {
    q.type = prov::parse_event_type(options.type);
    if (!q.type) {
      std::cerr << fmt::format("--type: '{}' is not an event type (expected one of: {})\n", options.type,
                               prov::event_type_names());
      return kExitInvalid;
    }
  }
  const std::int64_t now = wall_clock_ms();
  for (const auto& [flag, text, target] : {std::tuple{"--since", &options.since, &q.since_ms},
                                           std::tuple{"--until", &options.until, &q.until_ms}}) {
    if (text->empty()) continue;
    *target = prov::parse_time(*text, now);
    if (!*target) {
      std::cerr << fmt::format(
          "{}: '{}' is not a time (expected ISO 8601 such as 2024-05-01T12:00:00Z, "
          "milliseconds since the epoch, or a duration ago such as 15min)\n",
          flag, *text);
      return kExitInvalid;
    }
  }
  for (const auto& a : options.attributes) {
    const auto eq = a.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << fmt::format("--attr: '{}' is not NAME=VALUE\n", a);
      return kExitInvalid;
    }
    q.attributes.emplace_back(a.substr(0, eq), a.substr(eq + 1));
  }
  if (!options.uri.empty()) q.uri_contains = options.uri;
  q.limit = options.limit;
  q.oldest_first = options.oldest_first;

  const prov::Queries queries(options.data_dir);
  std::vector<prov::ProvenanceEvent> events;
  try {
    events = queries.query(q);
  } catch (const std::invalid_argument& e) {
    std::cerr << "--flowfile: " << e.what() << '\n';
    return kExitInvalid;
  }
  if (options.format == OutputFormat::kJson) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : events) out.push_back(prov::event_json(e, &queries));
    std::cout << out.dump(2) << '\n';
    return kExitOk;
  }
  TableOutput output(std::cout, options.format);
  output.columns({"event_id", "event_time", "type", "flowfile_uuid", "component_id", "relationship", "size",
                  "transit_uri", "details"});
  for (const auto& e : events) {
    auto text = [](const std::string& s) { return s.empty() ? Cell{} : Cell{s}; };
    output.row({static_cast<std::int64_t>(e.id), prov::format_time(e.time_ms),
                std::string(prov::event_type_name(e.type)), e.flowfile_uuid, e.component_id,
                text(e.relationship), static_cast<std::int64_t>(e.size()), text(e.transit_uri),
                text(e.details)});
  }
  return kExitOk;
}

}  // namespace sluice::cli
