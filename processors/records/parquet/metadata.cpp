#include "metadata.hpp"

#include "thrift_compact.hpp"

namespace sluice::parquet::format {

namespace {

using thrift::CompactWriter;
using thrift::Type;

std::int32_t to_i32(auto value) {
  return static_cast<std::int32_t>(value);
}

// An empty struct as a union member (StringType, DateType, MilliSeconds, TypeDefinedOrder, ...).
void empty_struct_field(CompactWriter& w, std::int16_t id) {
  w.field_struct(id);
  w.end_struct();
}

void write_time_unit(CompactWriter& w, std::int16_t id, TimeUnit unit) {
  w.field_struct(id);  // union TimeUnit
  switch (unit) {
    case TimeUnit::kMillis: empty_struct_field(w, 1); break;
    case TimeUnit::kMicros: empty_struct_field(w, 2); break;
    case TimeUnit::kNanos: empty_struct_field(w, 3); break;
  }
  w.end_struct();
}

// SchemaElement.logicalType (field 10): union LogicalType.
void write_logical_type(CompactWriter& w, const LogicalType& logical) {
  if (logical.kind == LogicalKind::kNone) return;
  w.field_struct(10);
  switch (logical.kind) {
    case LogicalKind::kNone: break;
    case LogicalKind::kString: empty_struct_field(w, 1); break;
    case LogicalKind::kEnum: empty_struct_field(w, 4); break;
    case LogicalKind::kDecimal:
      w.field_struct(5);
      w.field_i32(1, logical.scale);
      w.field_i32(2, logical.precision);
      w.end_struct();
      break;
    case LogicalKind::kDate: empty_struct_field(w, 6); break;
    case LogicalKind::kTime:
    case LogicalKind::kTimestamp:
      w.field_struct(logical.kind == LogicalKind::kTime ? 7 : 8);
      w.field_bool(1, logical.utc_adjusted);
      write_time_unit(w, 2, logical.unit);
      w.end_struct();
      break;
    case LogicalKind::kInteger:
      w.field_struct(10);
      w.field_i8(1, static_cast<std::int8_t>(logical.bit_width));
      w.field_bool(2, logical.is_signed);
      w.end_struct();
      break;
    case LogicalKind::kJson: empty_struct_field(w, 12); break;
    case LogicalKind::kUuid: empty_struct_field(w, 14); break;
  }
  w.end_struct();
}

void write_schema(CompactWriter& w, std::span<const ColumnDescriptor> schema) {
  w.field_list(2, Type::kStruct, schema.size() + 1);
  w.begin_struct();  // the root group
  w.field_binary(4, "schema");
  w.field_i32(5, to_i32(schema.size()));
  w.end_struct();
  for (const ColumnDescriptor& d : schema) {
    const Column& c = d.column;
    w.begin_struct();
    w.field_i32(1, to_i32(c.type));
    if (c.type == PhysicalType::kFixedLenByteArray) w.field_i32(2, c.type_length);
    w.field_i32(3, to_i32(c.repetition));
    w.field_binary(4, c.name);
    if (d.converted_type) w.field_i32(6, *d.converted_type);
    if (c.logical.kind == LogicalKind::kDecimal) {
      w.field_i32(7, c.logical.scale);
      w.field_i32(8, c.logical.precision);
    }
    write_logical_type(w, c.logical);
    w.end_struct();
  }
}

void write_statistics(CompactWriter& w, const Statistics& s) {
  w.field_struct(12);
  w.field_i64(3, s.null_count);
  if (s.max_value) w.field_binary(5, *s.max_value);
  if (s.min_value) w.field_binary(6, *s.min_value);
  if (s.nan_count) w.field_i64(9, *s.nan_count);
  w.end_struct();
}

void write_column_chunk(CompactWriter& w, const ColumnDescriptor& d, const ColumnChunk& chunk, Codec codec) {
  w.begin_struct();
  w.field_i64(2, 0);  // file_offset: no ColumnMetaData outside the footer
  w.field_struct(3);  // meta_data
  w.field_i32(1, to_i32(d.column.type));
  w.field_list(2, Type::kI32, chunk.encodings.size());
  for (Encoding e : chunk.encodings) w.element_i32(to_i32(e));
  w.field_list(3, Type::kBinary, 1);
  w.element_binary(d.column.name);
  w.field_i32(4, to_i32(codec));
  w.field_i64(5, chunk.num_values);
  w.field_i64(6, chunk.total_uncompressed_size);
  w.field_i64(7, chunk.total_compressed_size);
  w.field_i64(9, chunk.data_page_offset);
  if (chunk.dictionary_page_offset) w.field_i64(11, *chunk.dictionary_page_offset);
  write_statistics(w, chunk.statistics);
  w.field_list(13, Type::kStruct, chunk.encoding_stats.size());
  for (const PageEncodingStats& stats : chunk.encoding_stats) {
    w.begin_struct();
    w.field_i32(1, to_i32(stats.type));
    w.field_i32(2, to_i32(stats.encoding));
    w.field_i32(3, stats.count);
    w.end_struct();
  }
  w.end_struct();  // meta_data
  w.end_struct();  // ColumnChunk
}

void write_row_groups(CompactWriter& w, const FileMetaData& m) {
  w.field_list(4, Type::kStruct, m.row_groups.size());
  for (std::size_t i = 0; i < m.row_groups.size(); ++i) {
    const RowGroup& group = m.row_groups[i];
    w.begin_struct();
    w.field_list(1, Type::kStruct, group.columns.size());
    for (std::size_t c = 0; c < group.columns.size(); ++c)
      write_column_chunk(w, m.schema[c], group.columns[c], m.codec);
    w.field_i64(2, group.total_byte_size);
    w.field_i64(3, group.num_rows);
    w.field_i64(5, group.file_offset);
    w.field_i64(6, group.total_compressed_size);
    w.field_i16(7, static_cast<std::int16_t>(i));
    w.end_struct();
  }
}

}  // namespace

void write_page_header(ByteBuffer& out, const PageHeader& header) {
  CompactWriter w(out);
  w.begin_struct();
  w.field_i32(1, to_i32(header.type));
  w.field_i32(2, header.uncompressed_size);
  w.field_i32(3, header.compressed_size);
  if (header.type == PageType::kDataPage) {
    w.field_struct(5);
    w.field_i32(1, header.num_values);
    w.field_i32(2, to_i32(header.encoding));
    w.field_i32(3, to_i32(Encoding::kRle));  // definition levels
    w.field_i32(4, to_i32(Encoding::kRle));  // repetition levels (none in a flat schema)
    w.end_struct();
  } else {
    w.field_struct(7);
    w.field_i32(1, header.num_values);
    w.field_i32(2, to_i32(header.encoding));
    w.end_struct();
  }
  w.end_struct();
}

void write_file_metadata(ByteBuffer& out, const FileMetaData& m) {
  CompactWriter w(out);
  w.begin_struct();
  w.field_i32(1, 1);  // version: 1 is what every reader accepts
  write_schema(w, m.schema);
  w.field_i64(3, m.num_rows);
  write_row_groups(w, m);
  if (!m.key_value_metadata.empty()) {
    w.field_list(5, Type::kStruct, m.key_value_metadata.size());
    for (const KeyValue& kv : m.key_value_metadata) {
      w.begin_struct();
      w.field_binary(1, kv.key);
      w.field_binary(2, kv.value);
      w.end_struct();
    }
  }
  w.field_binary(6, m.created_by);
  // column_orders: min_value/max_value follow each column's type-defined order.
  w.field_list(7, Type::kStruct, m.schema.size());
  for (std::size_t i = 0; i < m.schema.size(); ++i) {
    w.begin_struct();
    empty_struct_field(w, 1);
    w.end_struct();
  }
  w.end_struct();
}

}  // namespace sluice::parquet::format
