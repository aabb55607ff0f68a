#include "thrift_compact.hpp"

#include "types.hpp"

namespace sluice::parquet::thrift {

void write_varint(ByteBuffer& out, std::uint64_t value) {
  char* p = out.prepare(10);
  std::size_t n = 0;
  while (value >= 0x80) {
    p[n++] = static_cast<char>((value & 0x7FU) | 0x80U);
    value >>= 7U;
  }
  p[n++] = static_cast<char>(value);
  out.commit(n);
}

void CompactWriter::begin_struct() {
  if (depth_ == kMaxDepth) throw ParquetError("thrift: structs nested too deeply");
  last_id_[depth_++] = 0;
}

void CompactWriter::end_struct() {
  if (depth_ == 0) throw ParquetError("thrift: end_struct without begin_struct");
  out_.push_back(0);
  --depth_;
}

void CompactWriter::field_header(std::int16_t id, Type type) {
  if (depth_ == 0) throw ParquetError("thrift: field outside a struct");
  std::int16_t& last = last_id_[depth_ - 1];
  const int delta = id - last;
  if (delta > 0 && delta <= 15) {
    out_.push_back(static_cast<char>((static_cast<unsigned>(delta) << 4U) | static_cast<unsigned>(type)));
  } else {
    out_.push_back(static_cast<char>(type));
    write_varint(out_, zigzag(id));
  }
  last = id;
}

void CompactWriter::field_bool(std::int16_t id, bool value) {
  field_header(id, value ? Type::kBoolTrue : Type::kBoolFalse);
}

void CompactWriter::field_i8(std::int16_t id, std::int8_t value) {
  field_header(id, Type::kI8);
  out_.push_back(static_cast<char>(value));
}

void CompactWriter::field_i16(std::int16_t id, std::int16_t value) {
  field_header(id, Type::kI16);
  write_varint(out_, zigzag(value));
}

void CompactWriter::field_i32(std::int16_t id, std::int32_t value) {
  field_header(id, Type::kI32);
  write_varint(out_, zigzag(value));
}

void CompactWriter::field_i64(std::int16_t id, std::int64_t value) {
  field_header(id, Type::kI64);
  write_varint(out_, zigzag(value));
}

void CompactWriter::field_binary(std::int16_t id, std::string_view value) {
  field_header(id, Type::kBinary);
  element_binary(value);
}

void CompactWriter::field_struct(std::int16_t id) {
  field_header(id, Type::kStruct);
  begin_struct();
}

void CompactWriter::field_list(std::int16_t id, Type element, std::size_t size) {
  field_header(id, Type::kList);
  const auto type_nibble = static_cast<unsigned>(element);
  if (size < 15) {
    out_.push_back(static_cast<char>((size << 4U) | type_nibble));
  } else {
    out_.push_back(static_cast<char>(0xF0U | type_nibble));
    write_varint(out_, size);
  }
}

void CompactWriter::element_i32(std::int32_t value) {
  write_varint(out_, zigzag(value));
}

void CompactWriter::element_i64(std::int64_t value) {
  write_varint(out_, zigzag(value));
}

void CompactWriter::element_binary(std::string_view value) {
  write_varint(out_, value.size());
  out_.append(value);
}

}  // namespace sluice::parquet::thrift
