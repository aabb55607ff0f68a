// The compact-protocol encoder against byte sequences worked out from the protocol's specification.
#include "parquet/thrift_compact.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace sluice::parquet::thrift {
namespace {

std::vector<unsigned> bytes(const ByteBuffer& buffer) {
  std::vector<unsigned> out;
  for (char c : buffer.view()) out.push_back(static_cast<unsigned char>(c));
  return out;
}

TEST(ThriftCompact, VarintOfTheSpecExample) {
  ByteBuffer out;
  write_varint(out, 50399);
  EXPECT_EQ(bytes(out), (std::vector<unsigned>{0xDF, 0x89, 0x03}));
}

TEST(ThriftCompact, ZigzagFoldsSignsIntoSmallNumbers) {
  EXPECT_EQ(zigzag(0), 0U);
  EXPECT_EQ(zigzag(-1), 1U);
  EXPECT_EQ(zigzag(1), 2U);
  EXPECT_EQ(zigzag(-2), 3U);
  EXPECT_EQ(zigzag(INT64_MAX), UINT64_MAX - 1);
  EXPECT_EQ(zigzag(INT64_MIN), UINT64_MAX);
}

TEST(ThriftCompact, ShortFieldHeadersCarryTheDeltaAndType) {
  ByteBuffer out;
  CompactWriter w(out);
  w.begin_struct();
  w.field_i32(1, 5);      // delta 1, type 5, zigzag(5) = 10
  w.field_i64(3, -1);     // delta 2, type 6, zigzag(-1) = 1
  w.field_bool(4, true);  // delta 1, type 1, no value byte
  w.field_bool(5, false);
  w.field_binary(6, "ab");
  w.end_struct();
  EXPECT_EQ(bytes(out),
            (std::vector<unsigned>{0x15, 0x0A, 0x26, 0x01, 0x11, 0x12, 0x18, 0x02, 'a', 'b', 0x00}));
}

TEST(ThriftCompact, LongFieldHeaderWhenTheDeltaDoesNotFitOrIsNotPositive) {
  ByteBuffer out;
  CompactWriter w(out);
  w.begin_struct();
  w.field_i8(20, -2);   // delta 20 > 15: type byte, then zigzag(20) = 40; an i8 is one plain byte
  w.field_i16(2, 300);  // going back: long form; zigzag(2) = 4, zigzag(300) = 600 = 0xD8 0x04
  w.end_struct();
  EXPECT_EQ(bytes(out), (std::vector<unsigned>{0x03, 0x28, 0xFE, 0x04, 0x04, 0xD8, 0x04, 0x00}));
}

TEST(ThriftCompact, NestedStructsRestartTheFieldIdDelta) {
  ByteBuffer out;
  CompactWriter w(out);
  w.begin_struct();
  w.field_i32(7, 0);
  w.field_struct(8);  // delta 1, type 12
  w.field_i32(1, 0);  // inside: delta from 0
  w.end_struct();
  w.field_i32(9, 0);  // outside again: delta from 8
  w.end_struct();
  EXPECT_EQ(bytes(out), (std::vector<unsigned>{0x75, 0x00, 0x1C, 0x15, 0x00, 0x00, 0x15, 0x00, 0x00}));
}

TEST(ThriftCompact, ListHeadersShortAndLong) {
  ByteBuffer out;
  CompactWriter w(out);
  w.begin_struct();
  w.field_list(1, Type::kI32, 3);
  for (int v : {1, -1, 2}) w.element_i32(v);
  w.field_list(2, Type::kBinary, 15);
  for (int i = 0; i < 15; ++i) w.element_binary("");
  w.end_struct();
  std::vector<unsigned> expected{0x19, 0x35, 0x02, 0x01, 0x04, 0x19, 0xF8, 0x0F};
  expected.insert(expected.end(), 15, 0x00);
  expected.push_back(0x00);
  EXPECT_EQ(bytes(out), expected);
}

TEST(ThriftCompact, MisuseIsReported) {
  ByteBuffer out;
  CompactWriter w(out);
  EXPECT_THROW(w.field_i32(1, 1), std::runtime_error);
  EXPECT_THROW(w.end_struct(), std::runtime_error);
}

}  // namespace
}  // namespace sluice::parquet::thrift
