// Building provenance sections and stores directly, for the store, query and SQL tests.
#pragma once

#include <string>
#include <vector>

#include "../repository/repository_test_support.hpp"
#include "provenance/event_codec.hpp"
#include "provenance/store_writer.hpp"

namespace sluice::internal::provenance::testing_support {

using sluice::internal::testing_support::TempDir;

struct TestEvent {
  EventType type = EventType::kCreate;
  Uuid uuid{};
  std::vector<Uuid> parents;
  std::vector<Uuid> children;
  std::int64_t time_ms = 1'700'000'000'000;
  std::string relationship = "success";
  std::string transit_uri;
  std::string details;
  std::vector<AttributeSet::Entry> attributes;
  std::uint64_t content_length = 0;
};

// One section (one commit) of `events` at `component`.
inline std::string section(const std::string& component, const std::vector<TestEvent>& events,
                           const std::string& type = "TestProcessor") {
  SectionEncoder enc;
  enc.begin(component, type, events.empty() ? 0 : events.front().time_ms);
  std::vector<Attributes> sets;
  sets.reserve(events.size());
  std::vector<ContentClaim> claims(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    auto entries = events[i].attributes;
    std::sort(entries.begin(), entries.end());
    sets.push_back(entries.empty() ? Attributes() : Attributes(make_ref<AttributeSet>(std::move(entries))));
    claims[i].length = events[i].content_length;
  }
  for (std::size_t i = 0; i < events.size(); ++i) {
    const TestEvent& t = events[i];
    EventInput e;
    e.type = t.type;
    e.time_ms = t.time_ms;
    e.uuid = &t.uuid;
    e.parents = t.parents;
    e.children = t.children;
    e.relationship = t.relationship;
    e.transit_uri = t.transit_uri;
    e.details = t.details;
    e.entry_ms = t.time_ms;
    e.lineage_start_ms = t.time_ms;
    e.content_out = &claims[i];
    e.attributes = &sets[i];
    enc.add(e);
  }
  return std::string(enc.body());
}

inline StoreSettings store_settings(const std::filesystem::path& dir) {
  StoreSettings s;
  s.directory = dir;
  s.indexed_attributes = {"filename"};
  s.sync = false;
  return s;
}

}  // namespace sluice::internal::provenance::testing_support
