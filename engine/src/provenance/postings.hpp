// What an event is found by: the keys the store posts for it (shared by the writer, which indexes as it
// appends, and the reader, which scans the few blocks no index covers yet the same way).
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "provenance/event_codec.hpp"
#include "provenance/store_format.hpp"

namespace sluice::internal::provenance {

// Calls on_event(view) then on_key(key, view.id) for every key of every event of a section: the FlowFile
// uuids in every role, the transit URI, and each indexed attribute's value after (and, when the event
// changed it, before) the event.
template <typename OnEvent, typename OnKey>
void section_postings(std::uint64_t first_id, std::string_view body, const std::vector<std::string>& indexed,
                      OnEvent&& on_event, OnKey&& on_key) {
  SectionReader section(body);
  EventView e;
  while (section.next(e, first_id)) {
    on_event(e);
    on_key(uuid_key(e.uuid), e.id);
    for (std::size_t i = 0; i < e.parent_count(); ++i) {
      if (e.parent(i) != e.uuid) on_key(uuid_key(e.parent(i)), e.id);
    }
    for (std::size_t i = 0; i < e.child_count(); ++i) {
      if (e.child(i) != e.uuid) on_key(uuid_key(e.child(i)), e.id);
    }
    if (!e.transit_uri.empty()) on_key(uri_key(e.transit_uri), e.id);
    if (indexed.empty()) continue;
    for (const std::string& name : indexed) {
      if (auto value = section.find_attribute(e.attribute_set, name))
        on_key(attribute_key(name, *value), e.id);
    }
    if (e.changes.size() > 1) {
      for_each_change(e.changes, [&](std::string_view name, std::optional<std::string_view> before) {
        if (before && std::find(indexed.begin(), indexed.end(), name) != indexed.end()) {
          on_key(attribute_key(name, *before), e.id);
        }
      });
    }
  }
}

}  // namespace sluice::internal::provenance
