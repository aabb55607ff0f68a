#include "repository/flowfile_codec.hpp"

#include <cstring>

#include "provenance/event_codec.hpp"

namespace sluice::internal {

namespace {
enum Flags : std::uint8_t {
  kRemove = 1U << 0,
  kNewQueue = 1U << 1,
  kSameAttributes = 1U << 2,
  kHasClaim = 1U << 3,
  kPenalized = 1U << 4,
};
constexpr std::size_t kLinearQueueLookup = 16;  // a commit rarely touches more queues than this
}  // namespace

void FlowFileEncoder::reset() {
  queues_.clear();
  queue_map_.clear();
  previous_attributes_ = Attributes();
  have_previous_ = false;
}

std::uint32_t FlowFileEncoder::queue_index(std::string_view queue, bool& is_new) {
  is_new = false;
  if (queues_.size() <= kLinearQueueLookup) {
    for (std::size_t i = queues_.size(); i-- > 0;) {
      if (queues_[i] == queue) return static_cast<std::uint32_t>(i);
    }
  } else if (auto it = queue_map_.find(queue); it != queue_map_.end()) {
    return it->second;
  }
  is_new = true;
  const auto index = static_cast<std::uint32_t>(queues_.size());
  queues_.push_back(queue);
  if (queues_.size() > kLinearQueueLookup) {
    if (queue_map_.empty()) {
      for (std::size_t i = 0; i < queues_.size(); ++i)
        queue_map_.emplace(queues_[i], static_cast<std::uint32_t>(i));
    } else {
      queue_map_.emplace(queue, index);
    }
  }
  return index;
}

void FlowFileEncoder::upsert(ByteWriter& w, const FlowFileRecord& record, std::string_view queue) {
  bool new_queue = false;
  const std::uint32_t qi = queue_index(queue, new_queue);
  const bool same_attributes = have_previous_ && record.attributes.shares_with(previous_attributes_);
  std::uint8_t flags = 0;
  if (new_queue) flags |= kNewQueue;
  if (same_attributes) flags |= kSameAttributes;
  if (record.content.resource) flags |= kHasClaim;
  if (record.penalty_until_ms != 0) flags |= kPenalized;
  w.u8(flags);
  w.varint(record.id);
  w.raw(std::string_view(reinterpret_cast<const char*>(record.uuid.data()), record.uuid.size()));
  w.svarint(record.entry_ms);
  w.svarint(record.lineage_start_ms - record.entry_ms);
  if (record.penalty_until_ms != 0) w.svarint(record.penalty_until_ms);
  w.varint(qi);
  if (new_queue) w.string(queue);
  if (record.content.resource) {
    w.varint(record.content.resource->id());
    w.varint(record.content.offset);
    w.varint(record.content.length);
  }
  if (!same_attributes) {
    const auto& entries = record.attributes.entries();
    w.varint(entries.size());
    for (const auto& [k, v] : entries) {
      w.string(k);
      w.string(v);
    }
    previous_attributes_ = record.attributes;
    have_previous_ = true;
  }
}

void FlowFileEncoder::remove(ByteWriter& w, std::uint64_t id) {
  w.u8(kRemove);
  w.varint(id);
}

void FlowFileDecoder::reset() {
  queues_.clear();
  previous_attributes_ = Attributes();
  have_previous_ = false;
}

void FlowFileDecoder::next(ByteReader& r, DecodedChange& out) {
  const std::uint8_t flags = r.u8();
  out.id = r.varint();
  out.remove = (flags & kRemove) != 0;
  if (out.remove) return;
  FlowFileRecord& rec = out.record;
  rec.id = out.id;
  const std::string_view uuid = r.raw(rec.uuid.size());
  std::memcpy(rec.uuid.data(), uuid.data(), uuid.size());
  rec.entry_ms = r.svarint();
  rec.lineage_start_ms = rec.entry_ms + r.svarint();
  rec.penalty_until_ms = (flags & kPenalized) != 0 ? r.svarint() : 0;
  const std::uint64_t qi = r.varint();
  if ((flags & kNewQueue) != 0) {
    if (qi != queues_.size()) throw DecodeError("queue index out of sequence");
    queues_.emplace_back(r.string());
  } else if (qi >= queues_.size()) {
    throw DecodeError("unknown queue index");
  }
  out.queue = static_cast<std::uint32_t>(qi);
  out.has_claim = (flags & kHasClaim) != 0;
  rec.content = ContentClaim{};
  if (out.has_claim) {
    out.resource_id = r.varint();
    rec.content.offset = r.varint();
    rec.content.length = r.varint();
  }
  if ((flags & kSameAttributes) != 0) {
    if (!have_previous_) throw DecodeError("shared attributes without a previous set");
    rec.attributes = previous_attributes_;
  } else {
    const std::uint64_t n = r.varint();
    if (n > r.remaining()) throw DecodeError("attribute count past the end of its record");
    std::vector<AttributeSet::Entry> entries;
    entries.reserve(static_cast<std::size_t>(n));
    for (std::uint64_t i = 0; i < n; ++i) {
      std::string_view k = r.string();
      std::string_view v = r.string();
      entries.emplace_back(std::string(k), std::string(v));
    }
    rec.attributes = n == 0 ? Attributes() : Attributes(make_ref<AttributeSet>(std::move(entries)));
    previous_attributes_ = rec.attributes;
    have_previous_ = true;
  }
}

void encode_state_section(ByteWriter& w, std::span<const StateChange> state) {
  if (state.empty()) return;
  w.u8(static_cast<std::uint8_t>(RecordSection::kState));
  w.varint(state.size());
  for (const StateChange& c : state) {
    w.string(c.component);
    w.u8(c.remove ? 1 : 0);
    w.string(c.key);
    if (!c.remove) w.string(c.value);
  }
}

void decode_state_section(ByteReader& r, const StateSink& fn) {
  const std::uint64_t n = r.varint();
  if (n > r.remaining()) throw DecodeError("state change count past the end of its record");
  for (std::uint64_t i = 0; i < n; ++i) {
    StateChange c;
    c.component = r.string();
    c.remove = r.u8() != 0;
    c.key = r.string();
    if (!c.remove) c.value = r.string();
    if (fn) fn(c);
  }
}

void encode_provenance_section(ByteWriter& w, const ProvenanceEvents& events, std::uint64_t first_id) {
  w.u8(static_cast<std::uint8_t>(RecordSection::kProvenance));
  w.raw(events.body);
  w.u64(first_id);
}

LoggedEvents decode_provenance_section(ByteReader& r) {
  if (r.remaining() < kEventIdBytes) throw DecodeError("provenance section shorter than its trailer");
  LoggedEvents out;
  out.body = r.raw(r.remaining() - kEventIdBytes);
  out.first_id = r.u64();
  out.count = provenance::read_section_header(out.body).count;
  if (out.count == 0 || out.first_id == 0) throw DecodeError("provenance section without events");
  return out;
}

}  // namespace sluice::internal
