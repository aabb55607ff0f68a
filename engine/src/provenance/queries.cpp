#include "provenance/queries.hpp"

#include <algorithm>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "provenance/event_cursor.hpp"
#include "repository/content_repository.hpp"
#include "repository/content_seal.hpp"
#include "util/fs_sync.hpp"

namespace sluice::internal::provenance {

namespace fs = std::filesystem;

namespace {

std::string_view raw(const UuidBytes& u) {
  return {reinterpret_cast<const char*>(u.data()), u.size()};
}

bool mentions(const EventView& e, std::string_view uuid) {
  if (e.uuid == uuid) return true;
  for (std::size_t i = 0; i < e.parent_count(); ++i) {
    if (e.parent(i) == uuid) return true;
  }
  for (std::size_t i = 0; i < e.child_count(); ++i) {
    if (e.child(i) == uuid) return true;
  }
  return false;
}

bool has_attribute(const EventView& e, const SectionReader& section, std::string_view name,
                   std::string_view value) {
  if (auto v = section.find_attribute(e.attribute_set, name); v && *v == value) return true;
  bool found = false;
  for_each_change(e.changes, [&](std::string_view n, std::optional<std::string_view> before) {
    if (n == name && before && *before == value) found = true;
  });
  return found;
}

bool links(EventType t) {
  return t == EventType::kFork || t == EventType::kJoin || t == EventType::kClone || t == EventType::kReplay;
}

UuidBytes parse_or_throw(std::string_view text) {
  UuidBytes u{};
  if (!uuid_bytes(text, u)) {
    throw std::invalid_argument(
        fmt::format("'{}' is not a FlowFile uuid (expected the form "
                    "8-4-4-4-12 hex digits, e.g. 0b4f3a52-6c1e-4d7a-9e2f-1a2b3c4d5e6f)",
                    text));
  }
  return u;
}

}  // namespace

Queries::Queries(const fs::path& data_dir) : data_dir_(data_dir), store_(store_directory(data_dir)) {}

std::vector<ProvenanceEvent> Queries::query(const EventQuery& q) const {
  ScanFilter f;
  f.descending = !q.oldest_first;
  if (q.since_ms) f.min_time = *q.since_ms;
  if (q.until_ms) f.max_time = *q.until_ms;
  if (q.component_id) f.component_id = *q.component_id;
  if (q.type) f.types = static_cast<std::uint16_t>(1U << static_cast<unsigned>(*q.type));
  std::optional<UuidBytes> uuid;
  if (q.flowfile_uuid) {
    uuid = parse_or_throw(*q.flowfile_uuid);
    f.key = uuid_key(raw(*uuid));
  } else {
    // An attribute every partition indexes narrows the search to its postings.
    for (const auto& [name, value] : q.attributes) {
      const auto& parts = store_.partitions();
      if (std::all_of(parts.begin(), parts.end(),
                      [&](const auto& p) { return p->indexes_attribute(name); })) {
        f.key = attribute_key(name, value);
        break;
      }
    }
  }
  std::vector<ProvenanceEvent> out;
  if (q.limit == 0) return out;
  EventCursor cursor(store_, f);
  while (cursor.next()) {
    const EventView& e = cursor.event();
    if (uuid && !mentions(e, raw(*uuid))) continue;
    if (q.uri_contains && e.transit_uri.find(*q.uri_contains) == std::string_view::npos) continue;
    bool attributes_match = true;
    for (const auto& [name, value] : q.attributes) {
      if (!has_attribute(e, cursor.section(), name, value)) {
        attributes_match = false;
        break;
      }
    }
    if (!attributes_match) continue;
    out.push_back(to_event(e, cursor.section()));
    if (out.size() >= q.limit) break;
  }
  return out;
}

std::optional<ProvenanceEvent> Queries::event(std::uint64_t id) const {
  ScanFilter f;
  f.min_id = id;
  f.max_id = id;
  EventCursor cursor(store_, f);
  if (!cursor.next()) return std::nullopt;
  return to_event(cursor.event(), cursor.section());
}

std::vector<ProvenanceEvent> Queries::events_of(const std::string& uuid_text_form) const {
  const UuidBytes uuid = parse_or_throw(uuid_text_form);
  ScanFilter f;
  f.key = uuid_key(raw(uuid));
  std::vector<ProvenanceEvent> out;
  EventCursor cursor(store_, f);
  while (cursor.next()) {
    if (mentions(cursor.event(), raw(uuid))) out.push_back(to_event(cursor.event(), cursor.section()));
  }
  return out;
}

Lineage Queries::lineage(std::string_view uuid, std::size_t max_flowfiles) const {
  enum Direction : std::uint8_t { kUp = 1, kDown = 2 };
  Lineage result;
  result.root = std::string(uuid);
  parse_or_throw(uuid);
  std::map<std::string, std::uint8_t, std::less<>> seen;  // uuid -> directions already followed
  std::deque<std::pair<std::string, std::uint8_t>> pending;
  std::map<std::uint64_t, ProvenanceEvent> events;
  auto visit = [&](const std::string& u, std::uint8_t direction) {
    auto [it, added] = seen.try_emplace(u, 0);
    if ((it->second & direction) == direction) return;
    if (added) {
      if (result.flowfiles.size() >= max_flowfiles) {
        seen.erase(it);
        result.truncated = true;
        return;
      }
      result.flowfiles.push_back(u);
    }
    it->second |= direction;
    pending.emplace_back(u, direction);
  };
  visit(result.root, kUp | kDown);
  while (!pending.empty()) {
    auto [u, direction] = pending.front();
    pending.pop_front();
    for (ProvenanceEvent& e : events_of(u)) {
      const bool is_child = std::find(e.child_uuids.begin(), e.child_uuids.end(), u) != e.child_uuids.end();
      const bool is_parent =
          std::find(e.parent_uuids.begin(), e.parent_uuids.end(), u) != e.parent_uuids.end();
      if (links(e.type)) {
        if ((direction & kUp) != 0 && is_child) {
          for (const auto& p : e.parent_uuids) {
            if (p != u) visit(p, kUp);
          }
        }
        if ((direction & kDown) != 0 && is_parent) {
          for (const auto& c : e.child_uuids) {
            if (c != u) visit(c, kDown);
          }
        }
      }
      const std::uint64_t id = e.id;
      events.try_emplace(id, std::move(e));
    }
  }
  result.events.reserve(events.size());
  for (auto& [id, e] : events) result.events.push_back(std::move(e));
  return result;
}

ContentStatus Queries::content_status(const ProvenanceEvent& e, ContentSide side) const {
  ContentStatus s;
  const auto& ref = side == ContentSide::kInput ? e.content_in : e.content_out;
  if (!ref) {
    s.reason = side == ContentSide::kInput
                   ? fmt::format("event {} ({}) has no input content: its FlowFile was created there", e.id,
                                 event_type_name(e.type))
                   : fmt::format("event {} has no output content", e.id);
    return s;
  }
  s.exists = true;
  s.size = ref->length;
  if (ref->length == 0) {
    s.available = true;
    return s;
  }
  const fs::path file = find_content_resource(data_dir_ / "content", ref->resource);
  std::error_code ec;
  if (file.empty() || fs::file_size(file, ec) < ref->offset + ref->length) {
    s.reason = fmt::format(
        "the content of event {} is gone: content resource {} was removed from the content repository's "
        "archive (settings content_archive and content_archive_age bound how long content is kept)",
        e.id, ref->resource);
    return s;
  }
  s.available = true;
  s.handed_over = fs::exists(seal_path(file), ec);
  return s;
}

void Queries::read_content(const ProvenanceEvent& e, ContentSide side,
                           const std::function<void(std::string_view)>& chunk) const {
  const ContentStatus status = content_status(e, side);
  if (!status.available) throw std::runtime_error(status.reason);
  const auto& ref = side == ContentSide::kInput ? e.content_in : e.content_out;
  if (ref->length == 0) return;
  const fs::path file = find_content_resource(data_dir_ / "content", ref->resource);
  UniqueFd fd = file.empty() ? UniqueFd() : open_if_exists(file, O_RDONLY);
  if (!fd) throw std::runtime_error(fmt::format("the content of event {} is gone", e.id));
  if (check_seal(fd.get(), file) == SealCheck::kChanged) {
    throw std::runtime_error(fmt::format("the content of event {} is not available: {}", e.id,
                                         changed_content_reason(ref->resource)));
  }
  std::string buf(static_cast<std::size_t>(std::min<std::uint64_t>(ref->length, 1 << 20)), '\0');
  std::uint64_t done = 0;
  while (done < ref->length) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), ref->length - done));
    const std::size_t got = pread_full(fd.get(), buf.data(), want, ref->offset + done, file);
    if (got != want) throw std::runtime_error(fmt::format("the content of event {} is cut short", e.id));
    chunk(std::string_view(buf.data(), got));
    done += got;
  }
}

void Queries::read_content(const ProvenanceEvent& e, ContentSide side, std::ostream& out) const {
  read_content(e, side, [&](std::string_view bytes) {
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  });
}

void Queries::read_content(const ProvenanceEvent& e, ContentSide side, std::string& out) const {
  out.clear();
  read_content(e, side, [&](std::string_view bytes) { out.append(bytes); });
}

}  // namespace sluice::internal::provenance
