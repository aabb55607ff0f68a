#include "provenance/event_codec.hpp"

#include <algorithm>
#include <cstring>

#include "util/byte_codec.hpp"

namespace sluice::internal::provenance {

namespace {

enum Flags : std::uint8_t {
  kParents = 1U << 0,
  kChildren = 1U << 1,
  kRelationship = 1U << 2,
  kSourceQueue = 1U << 3,
  kTransitUri = 1U << 4,
  kDetails = 1U << 5,
  kContentIn = 1U << 6,
  kContentOut = 1U << 7,
};

constexpr std::size_t kHeadBytes = 6;  // u16 type mask, u32 count

std::size_t slot_of(const void* p, std::size_t mask) {
  auto h = reinterpret_cast<std::uintptr_t>(p);
  h ^= h >> 17;
  h *= 0x9E3779B97F4A7C15ULL;
  return static_cast<std::size_t>(h >> 32) & mask;
}

void uuids(ByteWriter& w, std::span<const Uuid> list) {
  w.varint(list.size());
  for (const Uuid& u : list) w.raw(std::string_view(reinterpret_cast<const char*>(u.data()), u.size()));
}

}  // namespace

void SectionEncoder::begin(std::string_view component_id, std::string_view component_type,
                           std::int64_t base_time_ms) {
  out_.clear();
  out_.append(kHeadBytes, '\0');  // type mask and count: patched by body()
  base_time_ = base_time_ms;
  count_ = 0;
  mask_ = 0;
  strings_.clear();
  set_count_ = 0;
  if (++generation_ == 0) {  // wrapped: old slots could look current
    std::fill(sets_.begin(), sets_.end(), SetSlot{});
    generation_ = 1;
  }
  ByteWriter w(out_);
  w.string(component_id);
  w.string(component_type);
  w.svarint(base_time_ms);
}

void SectionEncoder::ref(std::string_view s) {
  ByteWriter w(out_);
  // Relationship names and queue keys come from the same strings every time: their address answers first.
  for (std::size_t i = strings_.size(); i-- > 0;) {
    if ((strings_[i].data() == s.data() && strings_[i].size() == s.size()) || strings_[i] == s) {
      w.varint(i);
      return;
    }
  }
  w.varint(strings_.size());
  w.string(s);
  strings_.push_back(s);
}

void SectionEncoder::attribute_set(const Attributes* attributes) {
  ByteWriter w(out_);
  const void* key = attributes != nullptr ? attributes->identity() : nullptr;
  // Open addressing, at most half full; a slot belongs to this section when its generation is current.
  if ((std::size_t{set_count_} + 1) * 2 > sets_.size()) {
    std::vector<SetSlot> old;
    old.swap(sets_);
    sets_.assign(std::max<std::size_t>(64, old.size() * 2), SetSlot{});
    const std::size_t mask = sets_.size() - 1;
    for (const SetSlot& slot : old) {
      if (slot.generation != generation_) continue;
      std::size_t i = slot_of(slot.key, mask);
      while (sets_[i].generation == generation_) i = (i + 1) & mask;
      sets_[i] = slot;
    }
  }
  const std::size_t mask = sets_.size() - 1;
  std::size_t i = slot_of(key, mask);
  while (sets_[i].generation == generation_) {
    if (sets_[i].key == key) {
      w.varint(sets_[i].index);
      return;
    }
    i = (i + 1) & mask;
  }
  sets_[i] = SetSlot{key, set_count_, generation_};
  w.varint(set_count_++);
  if (attributes == nullptr) {
    w.varint(0);
    return;
  }
  const auto& entries = attributes->entries();
  w.varint(entries.size());
  for (const auto& [k, v] : entries) {
    w.string(k);
    w.string(v);
  }
}

void SectionEncoder::changes(const Attributes* before, const Attributes* after) {
  ByteWriter w(out_);
  if (before == nullptr || after == nullptr || before->shares_with(*after)) {
    w.varint(0);
    return;
  }
  const auto& b = before->entries();
  const auto& a = after->entries();
  // Count first (a merge walk over two sorted lists), then write: no temporary list.
  auto walk = [&](const auto& emit) {
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < b.size() || j < a.size()) {
      if (j == a.size() || (i < b.size() && b[i].first < a[j].first)) {
        emit(b[i].first, &b[i].second);  // removed
        ++i;
      } else if (i == b.size() || a[j].first < b[i].first) {
        emit(a[j].first, nullptr);  // added
        ++j;
      } else {
        if (b[i].second != a[j].second) emit(b[i].first, &b[i].second);
        ++i;
        ++j;
      }
    }
  };
  std::size_t n = 0;
  walk([&](const std::string&, const std::string*) { ++n; });
  w.varint(n);
  walk([&](const std::string& name, const std::string* old) {
    w.string(name);
    w.u8(old != nullptr ? 1 : 0);
    if (old != nullptr) w.string(*old);
  });
}

void SectionEncoder::claim(const ContentClaim& c) {
  ByteWriter w(out_);
  w.varint(c.resource ? c.resource->id() : 0);
  w.varint(c.offset);
  w.varint(c.length);
}

void SectionEncoder::add(const EventInput& e) {
  ByteWriter w(out_);
  std::uint8_t flags = 0;
  if (!e.parents.empty()) flags |= kParents;
  if (!e.children.empty()) flags |= kChildren;
  if (!e.relationship.empty()) flags |= kRelationship;
  if (!e.source_queue.empty()) flags |= kSourceQueue;
  if (!e.transit_uri.empty()) flags |= kTransitUri;
  if (!e.details.empty()) flags |= kDetails;
  if (e.content_in != nullptr) flags |= kContentIn;
  if (e.content_out != nullptr) flags |= kContentOut;
  w.u8(static_cast<std::uint8_t>(e.type));
  w.u8(flags);
  w.svarint(e.time_ms - base_time_);
  w.raw(std::string_view(reinterpret_cast<const char*>(e.uuid->data()), e.uuid->size()));
  w.svarint(e.time_ms - e.entry_ms);
  w.svarint(e.time_ms - e.lineage_start_ms);
  if (!e.parents.empty()) uuids(w, e.parents);
  if (!e.children.empty()) uuids(w, e.children);
  if (!e.relationship.empty()) ref(e.relationship);
  if (!e.source_queue.empty()) ref(e.source_queue);
  if (!e.transit_uri.empty()) w.string(e.transit_uri);
  if (!e.details.empty()) w.string(e.details);
  if (e.content_in != nullptr) claim(*e.content_in);
  if (e.content_out != nullptr) claim(*e.content_out);
  attribute_set(e.attributes);
  changes(e.before, e.attributes);
  ++count_;
  mask_ = static_cast<std::uint16_t>(mask_ | (1U << static_cast<unsigned>(e.type)));
}

std::string_view SectionEncoder::body() {
  out_[0] = static_cast<char>(mask_ & 0xFFU);
  out_[1] = static_cast<char>(mask_ >> 8);
  store_u32(out_.data() + 2, count_);
  return out_;
}

SectionHeader read_section_header(std::string_view body) {
  ByteReader r(body);
  SectionHeader h;
  h.type_mask = static_cast<std::uint16_t>(r.u8() | (r.u8() << 8));
  h.count = r.u32();
  if (h.count > body.size()) throw DecodeError("provenance section: event count past its end");
  h.component_id = r.string();
  h.component_type = r.string();
  h.base_time_ms = r.svarint();
  h.events_offset = body.size() - r.remaining();
  return h;
}

SectionReader::SectionReader(std::string_view body) {
  reset(body);
}

void SectionReader::reset(std::string_view body) {
  body_ = body;
  header_ = read_section_header(body);
  pos_ = header_.events_offset;
  index_ = 0;
  strings_.clear();
  sets_.clear();
}

bool SectionReader::next(EventView& e, std::uint64_t first_id) {
  if (index_ >= header_.count) return false;
  ByteReader r(body_.substr(pos_));
  const std::size_t start = r.remaining();
  auto consumed = [&] { return start - r.remaining(); };
  auto string_ref = [&]() -> std::string_view {
    const std::uint64_t i = r.varint();
    if (i < strings_.size()) return strings_[static_cast<std::size_t>(i)];
    if (i != strings_.size()) throw DecodeError("provenance section: string reference out of sequence");
    strings_.push_back(r.string());
    return strings_.back();
  };
  auto uuid_list = [&]() -> std::string_view {
    const std::uint64_t n = r.varint();
    if (n > r.remaining() / 16) throw DecodeError("provenance section: uuid list past its end");
    return r.raw(static_cast<std::size_t>(n) * 16);
  };
  auto content = [&]() {
    ContentRef c;
    c.resource = r.varint();
    c.offset = r.varint();
    c.length = r.varint();
    return c;
  };
  const auto type = r.u8();
  if (type >= kEventTypeCount) throw DecodeError("provenance section: unknown event type");
  e.id = first_id + index_;
  e.type = static_cast<EventType>(type);
  const std::uint8_t flags = r.u8();
  e.time_ms = header_.base_time_ms + r.svarint();
  e.uuid = r.raw(16);
  e.entry_ms = e.time_ms - r.svarint();
  e.lineage_start_ms = e.time_ms - r.svarint();
  e.parents = (flags & kParents) != 0 ? uuid_list() : std::string_view();
  e.children = (flags & kChildren) != 0 ? uuid_list() : std::string_view();
  e.relationship = (flags & kRelationship) != 0 ? string_ref() : std::string_view();
  e.source_queue = (flags & kSourceQueue) != 0 ? string_ref() : std::string_view();
  e.transit_uri = (flags & kTransitUri) != 0 ? r.string() : std::string_view();
  e.details = (flags & kDetails) != 0 ? r.string() : std::string_view();
  e.content_in = (flags & kContentIn) != 0 ? std::optional<ContentRef>(content()) : std::nullopt;
  e.content_out = (flags & kContentOut) != 0 ? std::optional<ContentRef>(content()) : std::nullopt;
  const std::uint64_t set = r.varint();
  if (set > sets_.size()) throw DecodeError("provenance section: attribute set reference out of sequence");
  if (set == sets_.size()) {
    const std::size_t set_start = consumed();
    const std::uint64_t n = r.varint();
    if (n > r.remaining()) throw DecodeError("provenance section: attribute count past its end");
    for (std::uint64_t i = 0; i < n; ++i) {
      r.string();
      r.string();
    }
    sets_.push_back(body_.substr(pos_ + set_start, consumed() - set_start));
  }
  e.attribute_set = static_cast<std::uint32_t>(set);
  const std::size_t changes_start = consumed();
  const std::uint64_t changes = r.varint();
  if (changes > r.remaining()) throw DecodeError("provenance section: change count past its end");
  for (std::uint64_t i = 0; i < changes; ++i) {
    r.string();
    if (r.u8() != 0) r.string();
  }
  e.changes = body_.substr(pos_ + changes_start, consumed() - changes_start);
  pos_ += consumed();
  ++index_;
  return true;
}

void SectionReader::for_each_attribute(
    std::uint32_t set, const std::function<void(std::string_view, std::string_view)>& fn) const {
  if (set >= sets_.size()) return;
  ByteReader r(sets_[set]);
  const std::uint64_t n = r.varint();
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::string_view k = r.string();
    const std::string_view v = r.string();
    fn(k, v);
  }
}

std::optional<std::string_view> SectionReader::find_attribute(std::uint32_t set,
                                                              std::string_view name) const {
  if (set >= sets_.size()) return std::nullopt;
  ByteReader r(sets_[set]);
  const std::uint64_t n = r.varint();
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::string_view k = r.string();
    const std::string_view v = r.string();
    if (k == name) return v;
    if (k > name) break;  // sorted by name
  }
  return std::nullopt;
}

void for_each_change(std::string_view changes,
                     const std::function<void(std::string_view, std::optional<std::string_view>)>& fn) {
  ByteReader r(changes);
  const std::uint64_t n = r.varint();
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::string_view name = r.string();
    if (r.u8() != 0) {
      fn(name, r.string());
    } else {
      fn(name, std::nullopt);
    }
  }
}

std::string uuid_text(std::string_view raw) {
  Uuid u{};
  std::memcpy(u.data(), raw.data(), std::min(raw.size(), u.size()));
  return uuid_to_string(u);
}

bool uuid_bytes(std::string_view text, UuidBytes& out) {
  return parse_uuid(text, out);
}

ProvenanceEvent to_event(const EventView& v, const SectionReader& section) {
  ProvenanceEvent e;
  e.id = v.id;
  e.time_ms = v.time_ms;
  e.type = v.type;
  e.flowfile_uuid = uuid_text(v.uuid);
  for (std::size_t i = 0; i < v.parent_count(); ++i) e.parent_uuids.push_back(uuid_text(v.parent(i)));
  for (std::size_t i = 0; i < v.child_count(); ++i) e.child_uuids.push_back(uuid_text(v.child(i)));
  e.component_id = section.header().component_id;
  e.component_type = section.header().component_type;
  e.relationship = v.relationship;
  e.source_queue = v.source_queue;
  e.transit_uri = v.transit_uri;
  e.details = v.details;
  e.entry_ms = v.entry_ms;
  e.lineage_start_ms = v.lineage_start_ms;
  e.content_in = v.content_in;
  e.content_out = v.content_out;
  section.for_each_attribute(v.attribute_set, [&](std::string_view k, std::string_view val) {
    e.attributes.push_back({std::string(k), std::string(val), std::string(val)});
  });
  for_each_change(v.changes, [&](std::string_view name, std::optional<std::string_view> before) {
    auto it = std::lower_bound(e.attributes.begin(), e.attributes.end(), name,
                               [](const EventAttribute& a, std::string_view n) { return a.name < n; });
    if (it != e.attributes.end() && it->name == name) {
      it->before = before ? std::optional<std::string>(std::string(*before)) : std::nullopt;
    } else {
      e.attributes.insert(it,
                          EventAttribute{std::string(name), std::string(before.value_or("")), std::nullopt});
    }
  });
  return e;
}

}  // namespace sluice::internal::provenance
