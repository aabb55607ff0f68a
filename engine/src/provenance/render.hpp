// Provenance as text for people and tools: JSON for events and lineage (the CLI's --json, the REST API
// later), Graphviz DOT for lineage, and the time format both use.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "provenance/queries.hpp"

namespace sluice::internal::provenance {

// 2024-05-01T12:00:00.123Z
std::string format_time(std::int64_t epoch_ms);
// An instant as an operator writes it: ISO 8601 (2024-05-01, 2024-05-01T12:00, ...:05.250Z, +02:00 offsets),
// milliseconds since the epoch, or a duration meaning that long ago (15min, 2h, 3d). nullopt if none.
std::optional<std::int64_t> parse_time(std::string_view text, std::int64_t now_ms);

// The event with its attributes, parents, children and content (with whether it is still available).
nlohmann::json event_json(const ProvenanceEvent& e, const Queries* queries = nullptr);
nlohmann::json lineage_json(const Lineage& lineage);
// A graph of events: each FlowFile's events in order, FORK/JOIN/CLONE/REPLAY events leading to their
// children's first events. Renders with `dot -Tsvg`.
std::string lineage_dot(const Lineage& lineage);

}  // namespace sluice::internal::provenance
