// An encoder for the Thrift compact protocol (the wire form of Parquet's page headers and footer), written
// against the protocol's specification: zigzag varints, field headers that carry the field-id delta and the
// type in one byte, list headers with the size in the high nibble. Only what parquet.thrift needs.
//
// Fields must be written in increasing id order within a struct (the short form needs a positive delta);
// begin_struct/end_struct nest.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "byte_buffer.hpp"

namespace sluice::parquet::thrift {

// Compact-protocol type ids, as used in field headers and (BOOL aside) list headers.
enum class Type : std::uint8_t {
  kBoolTrue = 1,
  kBoolFalse = 2,
  kI8 = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
};

void write_varint(ByteBuffer& out, std::uint64_t value);
constexpr std::uint64_t zigzag(std::int64_t value) {
  return (static_cast<std::uint64_t>(value) << 1U) ^ static_cast<std::uint64_t>(value >> 63);
}

class CompactWriter {
 public:
  explicit CompactWriter(ByteBuffer& out) : out_(out) {}

  // The outermost struct and nested ones (a struct-typed field, or a struct element of a list).
  void begin_struct();
  void end_struct();  // writes the stop field

  void field_bool(std::int16_t id, bool value);
  void field_i8(std::int16_t id, std::int8_t value);
  void field_i16(std::int16_t id, std::int16_t value);
  void field_i32(std::int16_t id, std::int32_t value);
  void field_i64(std::int16_t id, std::int64_t value);
  void field_binary(std::int16_t id, std::string_view value);
  // A struct-typed field: its fields follow, then end_struct().
  void field_struct(std::int16_t id);
  // A list-typed field of `size` elements of `element` type; the elements follow (for structs: each
  // begin_struct() ... end_struct()).
  void field_list(std::int16_t id, Type element, std::size_t size);

  void element_i32(std::int32_t value);
  void element_i64(std::int64_t value);
  void element_binary(std::string_view value);

 private:
  void field_header(std::int16_t id, Type type);

  static constexpr std::size_t kMaxDepth = 16;
  ByteBuffer& out_;
  std::array<std::int16_t, kMaxDepth> last_id_{};
  std::size_t depth_ = 0;
};

}  // namespace sluice::parquet::thrift
