#include "rle_encoder.hpp"

#include <bit>
#include <cstring>

#include "thrift_compact.hpp"

namespace sluice::parquet {

namespace {

// Runs shorter than this are cheaper (or no dearer) inside a bit-packed group.
constexpr std::size_t kMinRleRun = 8;

template <typename T>
void pack(ByteBuffer& out, std::span<const T> values, std::size_t padded_count, int width) {
  const auto w = static_cast<unsigned>(width);
  const std::size_t bytes = (padded_count * w + 7) / 8;
  char* p = out.prepare(bytes);
  char* const end = p + bytes;
  std::uint64_t acc = 0;
  unsigned bits = 0;
  for (const T value : values) {
    acc |= static_cast<std::uint64_t>(value) << bits;
    bits += w;
    if (bits >= 32) {  // at most 31 + 32 bits pending: flush four bytes at once
      const auto word = static_cast<std::uint32_t>(acc);
      std::memcpy(p, &word, 4);
      p += 4;
      acc >>= 32U;
      bits -= 32;
    }
  }
  while (bits > 0) {
    *p++ = static_cast<char>(acc & 0xFFU);
    acc >>= 8U;
    bits = bits > 8 ? bits - 8 : 0;
  }
  if (p < end) std::memset(p, 0, static_cast<std::size_t>(end - p));  // the zero-valued padding
  out.commit(bytes);
}

template <typename T>
void bit_packed_run(ByteBuffer& out, std::span<const T> values, int width) {
  const std::size_t groups = (values.size() + 7) / 8;
  thrift::write_varint(out, (groups << 1U) | 1U);
  pack(out, values, groups * 8, width);
}

void rle_run(ByteBuffer& out, std::uint32_t value, std::size_t count, int width) {
  thrift::write_varint(out, count << 1U);
  const auto bytes = static_cast<std::size_t>((width + 7) / 8);
  char* p = out.prepare(bytes);
  std::memcpy(p, &value, bytes);  // little-endian, the value's low bytes
  out.commit(bytes);
}

template <typename T>
void encode_hybrid(ByteBuffer& out, std::span<const T> values, int width) {
  const std::size_t n = values.size();
  std::size_t literal_start = 0;
  std::size_t pos = 0;
  while (pos < n) {
    std::size_t run_end = pos + 1;
    while (run_end < n && values[run_end] == values[pos]) ++run_end;
    // A bit-packed run holds a multiple of 8 values unless it ends the data, so pending literals borrow the
    // first values of this run to fill their last group.
    const std::size_t borrow = (8 - (pos - literal_start) % 8) % 8;
    if (run_end - pos >= kMinRleRun + borrow) {
      const std::size_t rle_start = pos + borrow;
      if (rle_start > literal_start) {
        bit_packed_run(out, values.subspan(literal_start, rle_start - literal_start), width);
      }
      rle_run(out, static_cast<std::uint32_t>(values[pos]), run_end - rle_start, width);
      literal_start = run_end;
    }
    pos = run_end;
  }
  if (literal_start < n) bit_packed_run(out, values.subspan(literal_start), width);
}

}  // namespace

int bit_width(std::uint64_t max_value) {
  return static_cast<int>(std::bit_width(max_value));
}

void bit_pack(ByteBuffer& out, std::span<const std::uint8_t> values, int width) {
  pack(out, values, values.size(), width);
}
void bit_pack(ByteBuffer& out, std::span<const std::uint32_t> values, int width) {
  pack(out, values, values.size(), width);
}

void encode_rle_hybrid(ByteBuffer& out, std::span<const std::uint8_t> values, int width) {
  encode_hybrid(out, values, width);
}
void encode_rle_hybrid(ByteBuffer& out, std::span<const std::uint32_t> values, int width) {
  encode_hybrid(out, values, width);
}

}  // namespace sluice::parquet
