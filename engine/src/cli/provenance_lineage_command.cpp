#include <iostream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "provenance/queries.hpp"
#include "provenance/render.hpp"

namespace sluice::cli {

int provenance_lineage_command(const ProvenanceLineageOptions& options) {
  namespace prov = internal::provenance;
  const prov::Queries queries(options.data_dir);
  prov::Lineage lineage;
  try {
    lineage = queries.lineage(options.uuid);
  } catch (const std::invalid_argument& e) {
    std::cerr << e.what() << '\n';
    return kExitInvalid;
  }
  if (lineage.events.empty()) {
    std::cerr << fmt::format("no provenance events for FlowFile {}\n", options.uuid);
    return kExitError;
  }
  if (options.format == OutputFormat::kJson) {
    std::cout << prov::lineage_json(lineage).dump(2) << '\n';
  } else if (options.format == OutputFormat::kDot) {
    std::cout << prov::lineage_dot(lineage);
  } else {
    // A timeline per FlowFile, the root first.
    for (const auto& uuid : lineage.flowfiles) {
      std::cout << fmt::format("FlowFile {}{}\n", uuid, uuid == lineage.root ? " (root)" : "");
      for (const auto& e : lineage.events) {
        if (e.flowfile_uuid != uuid) continue;
        std::string links;
        if (!e.parent_uuids.empty() && e.type != prov::EventType::kFork &&
            e.type != prov::EventType::kClone) {
          links += " from " + fmt::format("{}", fmt::join(e.parent_uuids, ", "));
        }
        if (e.type == prov::EventType::kFork || e.type == prov::EventType::kClone) {
          links += " to " + fmt::format("{}", fmt::join(e.child_uuids, ", "));
        }
        std::cout << fmt::format("  {:>8}  {}  {:<19} {}{}{}\n", e.id, prov::format_time(e.time_ms),
                                 prov::event_type_name(e.type), e.component_id,
                                 e.relationship.empty() ? "" : " -> " + e.relationship, links);
      }
    }
    if (lineage.truncated) std::cout << "(truncated: the lineage has more FlowFiles than shown)\n";
  }
  return kExitOk;
}

}  // namespace sluice::cli
