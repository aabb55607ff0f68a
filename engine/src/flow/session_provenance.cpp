// Which provenance events a session's operations produce, following NiFi's rules
// (StandardProcessSession#updateProvenanceRepo), plus ROUTE for a FlowFile that passed through unchanged:
//   create()                      CREATE, unless the processor reported RECEIVE or FETCH for it
//   create(parent), per parent    one FORK: the parent and every child not removed in the session
//   create_merged(parents)        JOIN: the parents and the new FlowFile
//   clone(original)               CLONE: the original and the copy
//   content written (input)       CONTENT_MODIFIED, unless the processor reported FETCH
//   attributes changed (input)    ATTRIBUTES_MODIFIED, when no other event records the FlowFile
//   transferred unchanged (input) ROUTE (with the relationship), when no other event records it
//   remove(), auto-terminated     DROP; expired in a queue: EXPIRE
//   a relationship feeding several connections: CLONE for each extra copy
// A FlowFile created and removed in the same session leaves no trace. Every event carries the relationship
// its FlowFile went to, its attributes as committed and the changes from before the session.
#include <algorithm>

#include <fmt/format.h>

#include "flow/process_session.hpp"
#include "provenance/event_codec.hpp"

namespace sluice::internal {

namespace {
using provenance::EventInput;
using provenance::EventType;

enum Marks : std::uint8_t {
  kHasEvent = 1U << 0,          // some event records this FlowFile in this session
  kCreationRecorded = 1U << 1,  // a FORK, JOIN, CLONE, RECEIVE or FETCH records its creation
  kFetched = 1U << 2,           // FETCH replaced its content
  kTerminated = 1U << 3,        // transferred to an auto-terminated relationship: DROP follows
};

EventType reported_type(ReportedEvent type) {
  switch (type) {
    case ReportedEvent::kReceive: return EventType::kReceive;
    case ReportedEvent::kFetch: return EventType::kFetch;
    case ReportedEvent::kSend: return EventType::kSend;
    case ReportedEvent::kDownload: return EventType::kDownload;
    case ReportedEvent::kAddInfo: break;
  }
  return EventType::kAddInfo;
}

bool same_content(const ContentClaim& a, const ContentClaim& b) {
  if (a.empty() && b.empty()) return true;
  return a.resource == b.resource && a.offset == b.offset && a.length == b.length;
}

bool same_attributes(const Attributes& a, const Attributes& b) {
  return a.shares_with(b) || a.entries() == b.entries();
}

// Per-thread scratch reused by every commit: no allocation per FlowFile once warm.
struct Scratch {
  provenance::SectionEncoder encoder;
  std::vector<std::uint8_t> marks;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> forks;  // (parent entry, child entry)
  std::vector<Uuid> uuids;
  std::string details;
};
}  // namespace

ProvenanceEvents ProcessSessionImpl::record_provenance(std::span<const FanOutCopy> copies) {
  if (!runtime_.provenance || entries_.empty()) return {};
  thread_local Scratch scratch;
  auto& enc = scratch.encoder;
  auto& marks = scratch.marks;
  const std::int64_t now = runtime_.clock->now_ms();
  enc.begin(node_.id(), node_.spec().type, now);
  marks.assign(entries_.size(), 0);

  // A FlowFile created and removed in this session leaves no trace; one migrated to another session is that
  // session's to record (its record moved there).
  auto silent = [](const Entry& e) {
    return (e.state == State::kRemoved && e.original < 0) || e.state == State::kMigrated;
  };
  auto event_of = [&](const Entry& e, EventType type) {
    EventInput in;
    in.type = type;
    in.time_ms = now;
    in.uuid = &e.current.uuid;
    if (e.state == State::kTransferred) in.relationship = *e.relationship;
    in.entry_ms = e.current.entry_ms;
    in.lineage_start_ms = e.current.lineage_start_ms;
    in.content_out = &e.current.content;
    in.attributes = &e.current.attributes;
    if (e.original >= 0) {
      const Original& o = originals_[static_cast<std::size_t>(e.original)];
      in.source_queue = o.source->key();
      in.content_in = &o.record.content;
      in.before = &o.record.attributes;
    }
    return in;
  };
  // Whether a relationship is auto-terminated, looked up once per run of equal relationships (a batch
  // usually goes to one).
  const std::string* last_relationship = nullptr;
  bool last_terminated = false;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    if (e.state != State::kTransferred) continue;
    if (e.relationship != last_relationship) {
      const auto* outs = node_.outputs(*e.relationship);
      last_relationship = e.relationship;
      last_terminated = outs == nullptr || outs->empty();
    }
    if (last_terminated) marks[i] |= kTerminated | kHasEvent;
  }

  // FORK: one event per parent, naming every child that survives the session.
  auto& forks = scratch.forks;
  forks.clear();
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    if (e.origin == Origin::kChild && !silent(e)) forks.emplace_back(e.parent, static_cast<std::uint32_t>(i));
  }
  std::stable_sort(forks.begin(), forks.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  auto& uuids = scratch.uuids;
  for (std::size_t k = 0; k < forks.size();) {
    const std::uint32_t parent = forks[k].first;
    uuids.clear();
    for (; k < forks.size() && forks[k].first == parent; ++k) {
      uuids.push_back(entries_[forks[k].second].current.uuid);
      marks[forks[k].second] |= kCreationRecorded;
    }
    const Entry& p = entries_[parent];
    EventInput in = event_of(p, EventType::kFork);
    in.parents = std::span<const Uuid>(&p.current.uuid, 1);
    in.children = uuids;
    enc.add(in);
    marks[parent] |= kHasEvent;
  }
  // JOIN and CLONE: the new FlowFile's creation, with where it came from.
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    if (silent(e)) continue;
    if (e.origin == Origin::kJoined) {
      uuids.clear();
      for (const std::uint32_t p : joins_[e.parent]) {
        uuids.push_back(entries_[p].current.uuid);
        marks[p] |= kHasEvent;
      }
      EventInput in = event_of(e, EventType::kJoin);
      in.parents = uuids;
      in.children = std::span<const Uuid>(&e.current.uuid, 1);
      enc.add(in);
      marks[i] |= kHasEvent | kCreationRecorded;
    } else if (e.origin == Origin::kCloned) {
      const Entry& original = entries_[e.parent];
      EventInput in = event_of(original, EventType::kClone);
      in.parents = std::span<const Uuid>(&original.current.uuid, 1);
      in.children = std::span<const Uuid>(&e.current.uuid, 1);
      enc.add(in);
      marks[e.parent] |= kHasEvent;
      marks[i] |= kCreationRecorded;
    }
  }
  // What the processor reported, in order.
  for (const Report& r : reports_) {
    const Entry& e = entries_[r.entry];
    if (silent(e)) continue;
    EventInput in = event_of(e, reported_type(r.type));
    in.time_ms = r.time_ms;
    in.transit_uri = std::string_view(report_text_).substr(r.uri_at, r.uri_size);
    in.details = std::string_view(report_text_).substr(r.details_at, r.details_size);
    enc.add(in);
    marks[r.entry] |= kHasEvent;
    if (r.type == ReportedEvent::kReceive || r.type == ReportedEvent::kFetch)
      marks[r.entry] |= kCreationRecorded;
    if (r.type == ReportedEvent::kFetch) marks[r.entry] |= kFetched;
  }
  // What the session saw happen to each FlowFile that leaves it.
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    if (e.state == State::kRemoved || e.state == State::kMigrated) continue;
    if (e.original < 0) {
      if (e.origin == Origin::kCreated && (marks[i] & kCreationRecorded) == 0) {
        enc.add(event_of(e, EventType::kCreate));
        marks[i] |= kHasEvent;
      }
      continue;
    }
    const FlowFileRecord& before = originals_[static_cast<std::size_t>(e.original)].record;
    if ((marks[i] & kFetched) == 0 && !same_content(before.content, e.current.content)) {
      enc.add(event_of(e, EventType::kContentModified));
      marks[i] |= kHasEvent;
    }
    if ((marks[i] & kHasEvent) != 0) continue;
    enc.add(event_of(e, same_attributes(before.attributes, e.current.attributes)
                            ? EventType::kRoute
                            : EventType::kAttributesModified));
  }
  // The end of a FlowFile's life here.
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    if (silent(e)) continue;
    if (e.state == State::kRemoved) {
      EventInput in = event_of(e, e.origin == Origin::kExpired ? EventType::kExpire : EventType::kDrop);
      if (e.origin == Origin::kExpired) {
        scratch.details = fmt::format("Expired in {}", in.source_queue);
        in.details = scratch.details;
      }
      enc.add(in);
    } else if ((marks[i] & kTerminated) != 0) {
      EventInput in = event_of(e, EventType::kDrop);
      scratch.details = fmt::format("Auto-terminated by {} relationship", *e.relationship);
      in.details = scratch.details;
      enc.add(in);
    }
  }
  for (const FanOutCopy& c : copies) {
    const Entry& e = entries_[c.entry];
    EventInput in = event_of(e, EventType::kClone);
    in.parents = std::span<const Uuid>(&e.current.uuid, 1);
    in.children = std::span<const Uuid>(&c.copy->uuid, 1);
    enc.add(in);
  }
  return ProvenanceEvents{enc.body(), enc.count()};
}

}  // namespace sluice::internal
