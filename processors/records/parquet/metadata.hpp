// The parts of parquet.thrift the writer emits — PageHeader, ColumnMetaData, RowGroup, FileMetaData —
// as plain structs, and their serialization in the Thrift compact protocol.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "byte_buffer.hpp"
#include "schema.hpp"
#include "types.hpp"

namespace sluice::parquet::format {

enum class Encoding : std::uint8_t { kPlain = 0, kRle = 3, kRleDictionary = 8 };
enum class PageType : std::uint8_t { kDataPage = 0, kDictionaryPage = 2 };

struct PageHeader {
  PageType type = PageType::kDataPage;
  std::int32_t uncompressed_size = 0;
  std::int32_t compressed_size = 0;
  std::int32_t num_values = 0;
  Encoding encoding = Encoding::kPlain;  // of the values; levels are always RLE
};

struct Statistics {
  std::int64_t null_count = 0;
  std::optional<std::int64_t> nan_count;  // FLOAT and DOUBLE only
  std::optional<std::string> min_value;   // PLAIN bytes (no length prefix)
  std::optional<std::string> max_value;
};

struct PageEncodingStats {
  PageType type = PageType::kDataPage;
  Encoding encoding = Encoding::kPlain;
  std::int32_t count = 0;
};

struct ColumnChunk {
  std::vector<Encoding> encodings;
  std::int64_t num_values = 0;
  std::int64_t total_uncompressed_size = 0;  // pages with their headers
  std::int64_t total_compressed_size = 0;
  std::int64_t data_page_offset = 0;
  std::optional<std::int64_t> dictionary_page_offset;
  Statistics statistics;
  std::vector<PageEncodingStats> encoding_stats;
};

struct RowGroup {
  std::vector<ColumnChunk> columns;
  std::int64_t num_rows = 0;
  std::int64_t file_offset = 0;
  std::int64_t total_byte_size = 0;  // uncompressed
  std::int64_t total_compressed_size = 0;
};

struct FileMetaData {
  std::span<const ColumnDescriptor> schema;
  std::int64_t num_rows = 0;
  std::span<const RowGroup> row_groups;
  std::span<const KeyValue> key_value_metadata;
  std::string_view created_by;
  Codec codec = Codec::kUncompressed;
};

void write_page_header(ByteBuffer& out, const PageHeader& header);
void write_file_metadata(ByteBuffer& out, const FileMetaData& metadata);

}  // namespace sluice::parquet::format
