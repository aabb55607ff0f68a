#include "aggregate_state.hpp"

#include <algorithm>
#include <cstring>
#include <variant>

namespace sluice::records {

namespace {

constexpr std::uint8_t kFired = 1;
constexpr std::uint8_t kPendingLate = 2;
constexpr std::uint8_t kSinceEarly = 4;   // since_early follows (omitted when 0)
constexpr std::uint8_t kFullSlots = 8;    // every value slot saw every record: their counts are omitted
constexpr std::uint8_t kEarlySince = 16;  // early_since follows since_early
constexpr std::uint8_t kRetraction = 32;  // the last fired result follows the aggregates

// A fired value: 0 null, 1 integer (zigzag varint), 2 double (8 bytes).
void append_result(const Value& v, std::string& out) {
  if (v.kind() == ValueKind::kInt) {
    out.push_back(1);
    append_varint(zigzag(v.as_int()), out);
  } else if (v.kind() == ValueKind::kDouble) {
    out.push_back(2);
    append_double(v.as_double(), out);
  } else {
    out.push_back(0);
  }
}

bool counts_value(AggregateKind kind) {
  return kind != AggregateKind::kCount && kind != AggregateKind::kCountIf &&
         kind != AggregateKind::kShareIf && !uses_sketch(kind);
}

bool read_signed(std::string_view& in, std::int64_t& v) {
  const auto u = read_varint(in);
  if (!u) return false;
  v = unzigzag(*u);
  return true;
}

}  // namespace

void append_varint(std::uint64_t v, std::string& out) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7fU) | 0x80U));
    v >>= 7U;
  }
  out.push_back(static_cast<char>(v));
}

std::optional<std::uint64_t> read_varint(std::string_view& in) {
  std::uint64_t v = 0;
  for (unsigned shift = 0; shift < 64 && !in.empty(); shift += 7) {
    const auto byte = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    v |= static_cast<std::uint64_t>(byte & 0x7fU) << shift;
    if ((byte & 0x80U) == 0) return v;
  }
  return std::nullopt;
}

void append_double(double d, std::string& out) {
  char bytes[sizeof(double)];
  std::memcpy(bytes, &d, sizeof d);
  out.append(bytes, sizeof bytes);
}

bool read_double(std::string_view& in, double& d) {
  if (in.size() < sizeof d) return false;
  std::memcpy(&d, in.data(), sizeof d);
  in.remove_prefix(sizeof d);
  return true;
}

void append_u64(std::uint64_t v, std::string& out) {
  char bytes[sizeof v];
  std::memcpy(bytes, &v, sizeof v);
  out.append(bytes, sizeof bytes);
}

void append_group_part(std::optional<std::string_view> text, std::string& key) {
  if (!text) {
    append_varint(0, key);
    return;
  }
  append_varint(text->size() + 1, key);
  key.append(*text);
}

bool split_group(std::string_view group, std::vector<std::optional<std::string_view>>& parts) {
  parts.clear();
  while (!group.empty()) {
    const auto length = read_varint(group);
    if (!length) return false;
    if (*length == 0) {
      parts.emplace_back(std::nullopt);
      continue;
    }
    if (*length - 1 > group.size()) return false;
    parts.emplace_back(group.substr(0, *length - 1));
    group.remove_prefix(*length - 1);
  }
  return true;
}

void window_key(std::int64_t start, std::string_view group, std::string& key) {
  key.clear();
  append_varint(zigzag(start), key);
  key.append(group);
}

std::optional<std::pair<std::int64_t, std::string_view>> parse_window_key(std::string_view key) {
  std::int64_t start = 0;
  if (key.empty() || !read_signed(key, start)) return std::nullopt;
  return std::pair{start, key};
}

std::vector<Sketch> make_sketches(const std::vector<AggregateSpec>& aggregates) {
  std::vector<Sketch> sketches;
  for (const AggregateSpec& a : aggregates) {
    if (a.kind == AggregateKind::kDistinct) {
      sketches.emplace_back(std::in_place_type<DistinctCounter>);
    } else if (a.kind == AggregateKind::kPercentile) {
      sketches.emplace_back(std::in_place_type<TDigest>);
    }
  }
  return sketches;
}

// Per aggregate: count -> nothing; count_if/share_if -> varint(n); distinct and percentile -> their sketch
// (aggregate_sketches.hpp); sum/avg/min/max -> varint(n) [+ double]; first/last -> varint(n) [+ double +
// zigzag(time - start)].
// The value slots' n is omitted when each equals the window's count (kFullSlots): the common case.
void encode_window(const WindowState& w, const std::vector<AggregateSpec>& aggregates, std::string& out) {
  out.clear();
  bool full = true;
  for (std::size_t i = 0; i < aggregates.size(); ++i) {
    if (counts_value(aggregates[i].kind) && static_cast<std::uint64_t>(w.slots[i].n) != w.count) full = false;
  }
  unsigned flags = (w.fired ? kFired : 0U) | (w.pending_late ? kPendingLate : 0U) |
                   (w.since_early != 0 ? kSinceEarly : 0U) | (full ? kFullSlots : 0U) |
                   (w.early_since() != 0 ? kEarlySince : 0U) | (w.retraction() != nullptr ? kRetraction : 0U);
  out.push_back(static_cast<char>(flags));
  append_varint(static_cast<std::uint64_t>(w.end - w.start), out);
  append_varint(w.count, out);
  if (w.since_early != 0) append_varint(w.since_early, out);
  if (w.early_since() != 0) append_varint(zigzag(w.early_since()), out);
  std::size_t sketch = 0;
  for (std::size_t i = 0; i < aggregates.size(); ++i) {
    const AggregateSlot& s = w.slots[i];
    switch (aggregates[i].kind) {
      case AggregateKind::kCount: break;
      case AggregateKind::kCountIf:
      case AggregateKind::kShareIf: append_varint(static_cast<std::uint64_t>(s.n), out); break;
      case AggregateKind::kDistinct:
      case AggregateKind::kPercentile:
        std::visit([&](const auto& state) { state.encode(out); }, w.extras->sketches[sketch++]);
        break;
      case AggregateKind::kFirst:
      case AggregateKind::kLast:
        if (!full) append_varint(static_cast<std::uint64_t>(s.n), out);
        if (s.n > 0) {
          append_double(s.value, out);
          append_varint(zigzag(s.time - w.start), out);
        }
        break;
      default:
        if (!full) append_varint(static_cast<std::uint64_t>(s.n), out);
        if (s.n > 0) append_double(s.value, out);
        break;
    }
  }
  if (const FiredResult* fired = w.retraction()) {
    append_varint(fired->count, out);
    for (const Value& v : fired->values) append_result(v, out);
  }
}

bool decode_window(std::string_view in, const std::vector<AggregateSpec>& aggregates, WindowState& w) {
  if (in.empty()) return false;
  const auto flags = static_cast<std::uint8_t>(in.front());
  in.remove_prefix(1);
  w.fired = (flags & kFired) != 0;
  w.pending_late = (flags & kPendingLate) != 0;
  const bool full = (flags & kFullSlots) != 0;
  const auto length = read_varint(in);
  const auto count = read_varint(in);
  const auto since_early = (flags & kSinceEarly) != 0 ? read_varint(in) : std::optional<std::uint64_t>(0);
  std::int64_t early_since = 0;
  if (!length || !count || !since_early) return false;
  if ((flags & kEarlySince) != 0 && !read_signed(in, early_since)) return false;
  if (early_since != 0 || w.extras) w.more().early_since = early_since;
  w.end = w.start + static_cast<std::int64_t>(*length);
  w.count = *count;
  w.since_early = static_cast<std::uint32_t>(*since_early);
  w.slots.assign(aggregates.size(), AggregateSlot{});
  std::size_t sketch = 0;
  for (std::size_t i = 0; i < aggregates.size(); ++i) {
    AggregateSlot& s = w.slots[i];
    const AggregateKind kind = aggregates[i].kind;
    if (kind == AggregateKind::kCount) continue;
    if (uses_sketch(kind)) {
      if (!w.extras || sketch >= w.extras->sketches.size()) return false;
      if (!std::visit([&](auto& state) { return state.decode(in); }, w.extras->sketches[sketch++])) {
        return false;
      }
      continue;
    }
    const auto n = full && counts_value(kind) ? std::optional<std::uint64_t>(w.count) : read_varint(in);
    if (!n) return false;
    s.n = static_cast<std::int64_t>(*n);
    if (kind == AggregateKind::kCountIf || kind == AggregateKind::kShareIf || s.n == 0) continue;
    if (!read_double(in, s.value)) return false;
    if (kind == AggregateKind::kFirst || kind == AggregateKind::kLast) {
      std::int64_t delta = 0;
      if (!read_signed(in, delta)) return false;
      s.time = w.start + delta;
    }
  }
  if (w.extras) w.extras->retraction.reset();
  if ((flags & kRetraction) != 0) {
    const auto fired_count = read_varint(in);
    if (!fired_count) return false;
    FiredResult& fired = w.more().retraction.emplace();
    fired.count = *fired_count;
    for (std::size_t i = 0; i < aggregates.size(); ++i) {
      if (in.empty()) return false;
      const char tag = in.front();
      in.remove_prefix(1);
      if (tag == 0) {
        fired.values.emplace_back();
      } else if (tag == 1) {
        std::int64_t v = 0;
        if (!read_signed(in, v)) return false;
        fired.values.push_back(Value::integer(v));
      } else if (tag == 2) {
        double d = 0;
        if (!read_double(in, d)) return false;
        fired.values.push_back(Value::real(d));
      } else {
        return false;
      }
    }
  }
  return in.empty();
}

std::string encode_watermark(const WatermarkState& w) {
  std::string out;
  append_varint(zigzag(w.max_event), out);
  append_varint(zigzag(w.last_input), out);
  return out;
}

std::optional<WatermarkState> decode_watermark(std::string_view in) {
  WatermarkState w;
  if (!read_signed(in, w.max_event) || !read_signed(in, w.last_input) || !in.empty()) return std::nullopt;
  return w;
}

}  // namespace sluice::records
