#include "util/crc32c.hpp"

#include <string>

#include <gtest/gtest.h>

#include "util/byte_codec.hpp"

namespace sluice::internal {
namespace {

TEST(Crc32c, KnownVectors) {
  EXPECT_EQ(crc32c(""), 0U);
  EXPECT_EQ(crc32c("123456789"), 0xE3069283U);
  EXPECT_EQ(crc32c(std::string(32, '\0')), 0x8A9136AAU);
}

TEST(Crc32c, ExtendEqualsWhole) {
  std::string data;
  for (int i = 0; i < 1000; ++i) data.push_back(static_cast<char>(i * 7));
  for (std::size_t split : {0UL, 1UL, 7UL, 8UL, 500UL, 999UL, 1000UL}) {
    const std::uint32_t head = crc32c(std::string_view(data).substr(0, split));
    EXPECT_EQ(crc32c_extend(head, data.data() + split, data.size() - split), crc32c(data)) << split;
  }
}

TEST(ByteCodec, RoundTripsVarintsAndStrings) {
  std::string buf;
  ByteWriter w(buf);
  const std::uint64_t values[] = {0, 1, 127, 128, 300, 1ULL << 35, UINT64_MAX};
  for (auto v : values) w.varint(v);
  const std::int64_t signed_values[] = {0, -1, 1, -64, 64, INT64_MIN, INT64_MAX};
  for (auto v : signed_values) w.svarint(v);
  w.u32(0xDEADBEEF);
  w.u64(0x0123456789ABCDEFULL);
  w.string("hello");
  EXPECT_EQ(buf[0], 0);
  ByteReader r(buf);
  for (auto v : values) EXPECT_EQ(r.varint(), v);
  for (auto v : signed_values) EXPECT_EQ(r.svarint(), v);
  EXPECT_EQ(r.u32(), 0xDEADBEEFU);
  EXPECT_EQ(r.u64(), 0x0123456789ABCDEFULL);
  EXPECT_EQ(r.string(), "hello");
  EXPECT_TRUE(r.done());
  EXPECT_THROW(r.u8(), DecodeError);
}

TEST(ByteCodec, RejectsStringPastEnd) {
  std::string buf;
  ByteWriter w(buf);
  w.varint(10);
  w.raw("abc");
  ByteReader r(buf);
  EXPECT_THROW(r.string(), DecodeError);
}

}  // namespace
}  // namespace sluice::internal
