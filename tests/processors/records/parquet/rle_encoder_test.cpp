// The RLE / bit-packing hybrid against the spec's worked example, and round trips through a decoder
// written here from the spec's grammar (the independent readers check the same data end to end).
#include "parquet/rle_encoder.hpp"

#include <random>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

namespace sluice::parquet {
namespace {

std::vector<unsigned> bytes(const ByteBuffer& buffer) {
  std::vector<unsigned> out;
  for (char c : buffer.view()) out.push_back(static_cast<unsigned char>(c));
  return out;
}

// Decodes `count` values of the hybrid encoding: runs until the values are all read.
std::vector<std::uint32_t> decode(const ByteBuffer& buffer, int width, std::size_t count) {
  const auto* p = reinterpret_cast<const unsigned char*>(buffer.data());
  const std::size_t n = buffer.size();
  std::size_t pos = 0;
  auto varint = [&] {
    std::uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
      if (pos >= n) throw std::runtime_error("truncated varint");
      const unsigned char b = p[pos++];
      v |= static_cast<std::uint64_t>(b & 0x7FU) << shift;
      if ((b & 0x80U) == 0) return v;
    }
  };
  std::vector<std::uint32_t> out;
  while (out.size() < count) {
    const std::uint64_t header = varint();
    if ((header & 1U) == 0) {
      const std::uint64_t run = header >> 1U;
      std::uint32_t value = 0;
      for (int i = 0; i < (width + 7) / 8; ++i) value |= static_cast<std::uint32_t>(p[pos++]) << (8 * i);
      out.insert(out.end(), run, value);
    } else {
      const std::uint64_t values = (header >> 1U) * 8;
      std::uint64_t bit = 0;
      for (std::uint64_t v = 0; v < values; ++v) {
        std::uint32_t value = 0;
        for (int b = 0; b < width; ++b, ++bit) {
          if (((static_cast<unsigned>(p[pos + bit / 8]) >> (bit % 8)) & 1U) != 0) value |= 1U << b;
        }
        if (out.size() < count) out.push_back(value);
      }
      pos += (values * static_cast<std::uint64_t>(width) + 7) / 8;
    }
  }
  if (pos != n) throw std::runtime_error("trailing bytes after the values");
  return out;
}

TEST(RleEncoder, BitPackingOfTheSpecExample) {
  ByteBuffer out;
  const std::vector<std::uint32_t> values{0, 1, 2, 3, 4, 5, 6, 7};
  bit_pack(out, values, 3);
  EXPECT_EQ(bytes(out), (std::vector<unsigned>{0x88, 0xC6, 0xFA}));
}

TEST(RleEncoder, BitWidths) {
  EXPECT_EQ(bit_width(0), 0);
  EXPECT_EQ(bit_width(1), 1);
  EXPECT_EQ(bit_width(4), 3);
  EXPECT_EQ(bit_width(255), 8);
  EXPECT_EQ(bit_width(0xFFFFFFFFU), 32);
}

TEST(RleEncoder, ALongRunIsOneRleRun) {
  ByteBuffer out;
  const std::vector<std::uint8_t> values(100, 1);
  encode_rle_hybrid(out, values, 1);
  EXPECT_EQ(bytes(out), (std::vector<unsigned>{0xC8, 0x01, 0x01}));  // varint(100 << 1), value 1
}

TEST(RleEncoder, ShortDataIsOnePaddedBitPackedGroup) {
  ByteBuffer out;
  const std::vector<std::uint8_t> values{1, 0, 1};
  encode_rle_hybrid(out, values, 1);
  EXPECT_EQ(bytes(out), (std::vector<unsigned>{0x03, 0x05}));  // one group of 8; bits 1,0,1 then zeros
}

TEST(RleEncoder, LiteralsBeforeARunFillTheirLastGroupFromTheRun) {
  ByteBuffer out;
  std::vector<std::uint32_t> values{5, 6, 7};
  values.insert(values.end(), 20, 9);
  encode_rle_hybrid(out, values, 4);
  // 8 values bit-packed (5, 6, 7 and five 9s), then an RLE run of the remaining fifteen 9s.
  EXPECT_EQ(bytes(out), (std::vector<unsigned>{0x03, 0x65, 0x97, 0x99, 0x99, 0x1E, 0x09}));
  EXPECT_EQ(decode(out, 4, values.size()), values);
}

TEST(RleEncoder, RoundTripsRandomDataAtEveryWidth) {
  std::mt19937_64 rng(42);
  for (int width = 1; width <= 32; ++width) {
    for (int trial = 0; trial < 20; ++trial) {
      const std::size_t count = rng() % 300;
      const std::uint64_t limit = width == 32 ? 0x1'0000'0000ULL : (1ULL << width);
      std::vector<std::uint32_t> values;
      while (values.size() < count) {
        const auto value = static_cast<std::uint32_t>(rng() % limit);
        const std::size_t repeat = rng() % 4 == 0 ? rng() % 40 : 1;  // a mix of runs and literals
        values.insert(values.end(), std::min(repeat, count - values.size()), value);
      }
      ByteBuffer out;
      encode_rle_hybrid(out, values, width);
      ASSERT_EQ(decode(out, width, values.size()), values) << "width " << width << " trial " << trial;
    }
  }
}

}  // namespace
}  // namespace sluice::parquet
