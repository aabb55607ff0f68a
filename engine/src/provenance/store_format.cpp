#include "provenance/store_format.hpp"

#include <charconv>

#include <fmt/format.h>

#include "util/byte_codec.hpp"
#include "util/crc32c.hpp"

namespace sluice::internal::provenance {

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kUuidSeed = 0x5EED0001ULL;
constexpr std::uint64_t kAttributeSeed = 0x5EED0002ULL;
constexpr std::uint64_t kUriSeed = 0x5EED0003ULL;

// splitmix64's finalizer: spreads every input bit over the output.
std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ULL;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBULL;
  x ^= x >> 31;
  return x;
}

// FNV-1a over the bytes, then mixed: stable across builds and platforms (the keys are on disk).
std::uint64_t hash_bytes(std::uint64_t seed, std::string_view bytes, std::uint64_t h) {
  h ^= seed * 0x9E3779B97F4A7C15ULL;
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ULL;
  }
  return h;
}

constexpr std::uint64_t kFnvOffset = 0xCBF29CE484222325ULL;

bool parse_u64(std::string_view text, std::uint64_t& out) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

fs::path store_directory(const fs::path& data_dir) {
  return data_dir / "provenance";
}

std::string partition_name(std::uint64_t first_id) {
  return fmt::format("p{:020}", first_id);
}

std::optional<std::uint64_t> parse_partition_name(std::string_view name) {
  std::uint64_t id = 0;
  if (name.size() != 21 || name[0] != 'p' || !parse_u64(name.substr(1), id)) return std::nullopt;
  return id;
}

std::string run_name(std::uint64_t first_id, std::uint64_t last_id) {
  return fmt::format("run-{:020}-{:020}", first_id, last_id);
}

bool parse_run_name(std::string_view name, std::uint64_t& first_id, std::uint64_t& last_id) {
  if (name.size() != 45 || !name.starts_with("run-") || name[24] != '-') return false;
  return parse_u64(name.substr(4, 20), first_id) && parse_u64(name.substr(25, 20), last_id);
}

std::uint64_t uuid_key(std::string_view raw16) {
  const std::uint64_t lo = load_u64(raw16.data());
  const std::uint64_t hi = load_u64(raw16.data() + 8);
  return mix(lo ^ (hi * 0x9E3779B97F4A7C15ULL) ^ kUuidSeed);
}

std::uint64_t attribute_key(std::string_view name, std::string_view value) {
  std::uint64_t h = hash_bytes(kAttributeSeed, name, kFnvOffset);
  h = hash_bytes(kAttributeSeed, std::string_view("\0", 1), h);
  return mix(hash_bytes(kAttributeSeed, value, h));
}

std::uint64_t uri_key(std::string_view uri) {
  return mix(hash_bytes(kUriSeed, uri, kFnvOffset));
}

std::string encode_events_header(const EventsHeader& header) {
  std::string fields;
  ByteWriter f(fields);
  f.u64(header.first_id);
  f.u64(static_cast<std::uint64_t>(header.created_ms));
  f.varint(header.indexed_attributes.size());
  for (const auto& name : header.indexed_attributes) f.string(name);
  std::string out;
  ByteWriter w(out);
  w.raw(kEventsMagic);
  w.u32(kStoreVersion);
  w.u32(static_cast<std::uint32_t>(fields.size()));
  w.raw(fields);
  w.u32(crc32c(fields));
  return out;
}

bool decode_events_header(std::string_view bytes, EventsHeader& header, std::size_t& size) {
  try {
    ByteReader r(bytes);
    if (r.raw(kEventsMagic.size()) != kEventsMagic) return false;
    if (r.u32() != kStoreVersion) return false;
    const std::uint32_t length = r.u32();
    const std::string_view fields = r.raw(length);
    if (r.u32() != crc32c(fields)) return false;
    ByteReader f(fields);
    header.first_id = f.u64();
    header.created_ms = static_cast<std::int64_t>(f.u64());
    const std::uint64_t n = f.varint();
    header.indexed_attributes.clear();
    for (std::uint64_t i = 0; i < n; ++i) header.indexed_attributes.emplace_back(f.string());
    size = bytes.size() - r.remaining();
    return true;
  } catch (const DecodeError&) {
    return false;
  }
}

bool decode_block_info(std::string_view payload, BlockInfo& info) {
  if (payload.size() < kBlockPayloadHeaderSize) return false;
  info.first_id = load_u64(payload.data());
  info.events = load_u32(payload.data() + 8);
  info.min_time = static_cast<std::int64_t>(load_u64(payload.data() + 12));
  info.max_time = static_cast<std::int64_t>(load_u64(payload.data() + 20));
  info.last_id = info.first_id + info.events - 1;
  info.length = static_cast<std::uint32_t>(payload.size());
  return info.events > 0;
}

void for_each_section(std::string_view payload,
                      const std::function<void(std::uint64_t, std::string_view)>& fn) {
  BlockInfo info;
  if (!decode_block_info(payload, info)) throw DecodeError("provenance block: bad header");
  const std::uint32_t sections = load_u32(payload.data() + 28);
  ByteReader r(payload.substr(kBlockPayloadHeaderSize));
  for (std::uint32_t i = 0; i < sections; ++i) {
    const std::uint64_t first = info.first_id + r.varint();
    const std::uint64_t length = r.varint();
    if (length > r.remaining()) throw DecodeError("provenance block: section past its end");
    fn(first, r.raw(static_cast<std::size_t>(length)));
  }
}

std::string encode_summary(const PartitionSummary& s) {
  std::string fields;
  ByteWriter f(fields);
  f.u64(s.first_id);
  f.u64(s.last_id);
  f.u64(static_cast<std::uint64_t>(s.min_time));
  f.u64(static_cast<std::uint64_t>(s.max_time));
  f.u64(s.events);
  f.u64(s.bytes);
  std::string out;
  ByteWriter w(out);
  w.raw(kSummaryMagic);
  w.u32(kStoreVersion);
  w.raw(fields);
  w.u32(crc32c(fields));
  return out;
}

bool decode_summary(std::string_view bytes, PartitionSummary& s) {
  try {
    ByteReader r(bytes);
    if (r.raw(kSummaryMagic.size()) != kSummaryMagic || r.u32() != kStoreVersion) return false;
    const std::string_view fields = r.raw(48);
    if (r.u32() != crc32c(fields)) return false;
    ByteReader f(fields);
    s.first_id = f.u64();
    s.last_id = f.u64();
    s.min_time = static_cast<std::int64_t>(f.u64());
    s.max_time = static_cast<std::int64_t>(f.u64());
    s.events = f.u64();
    s.bytes = f.u64();
    return true;
  } catch (const DecodeError&) {
    return false;
  }
}

std::string encode_block_directory(const std::vector<BlockInfo>& blocks) {
  std::string entries;
  ByteWriter e(entries);
  for (const BlockInfo& b : blocks) {
    e.u64(b.first_id);
    e.u64(b.offset);
    e.u64(static_cast<std::uint64_t>(b.min_time));
    e.u64(static_cast<std::uint64_t>(b.max_time));
    e.u32(b.events);
  }
  std::string out;
  ByteWriter w(out);
  w.raw(kBlocksMagic);
  w.u32(kStoreVersion);
  w.u64(blocks.size());
  w.u32(crc32c(entries));
  w.raw(entries);
  return out;
}

bool decode_block_directory(std::string_view bytes, std::vector<BlockInfo>& blocks) {
  try {
    ByteReader r(bytes);
    if (r.raw(kBlocksMagic.size()) != kBlocksMagic || r.u32() != kStoreVersion) return false;
    const std::uint64_t n = r.u64();
    const std::uint32_t crc = r.u32();
    if (n > r.remaining() / kBlockEntrySize) return false;
    const std::string_view entries = r.raw(static_cast<std::size_t>(n) * kBlockEntrySize);
    if (crc32c(entries) != crc) return false;
    ByteReader e(entries);
    blocks.clear();
    blocks.reserve(static_cast<std::size_t>(n));
    for (std::uint64_t i = 0; i < n; ++i) {
      BlockInfo b;
      b.first_id = e.u64();
      b.offset = e.u64();
      b.min_time = static_cast<std::int64_t>(e.u64());
      b.max_time = static_cast<std::int64_t>(e.u64());
      b.events = e.u32();
      b.last_id = b.first_id + b.events - 1;
      blocks.push_back(b);
    }
    return true;
  } catch (const DecodeError&) {
    return false;
  }
}

}  // namespace sluice::internal::provenance
