// One column of a row group being written: the values of the open page (PLAIN bytes or dictionary
// indices, plus definition levels for an optional column), the finished pages of the row group (encoded and
// compressed, waiting for the row group to be written out in column order), the dictionary and statistics.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "byte_buffer.hpp"
#include "byte_sink.hpp"
#include "compressor.hpp"
#include "dictionary.hpp"
#include "metadata.hpp"
#include "schema.hpp"
#include "statistics.hpp"

namespace sluice::parquet {

// Page buffers handed back after their row group is written, so that the next row group reuses them
// instead of growing fresh memory (page faults, copies) for every page.
class BufferPool {
 public:
  // The smallest free buffer that holds `wanted` bytes, else the largest one, else a new one.
  ByteBuffer take(std::size_t wanted);
  void give(ByteBuffer&& buffer);

 private:
  std::vector<ByteBuffer> free_;
};

class ColumnWriter {
 public:
  ColumnWriter(const ColumnDescriptor& column, const WriterOptions& options, Compressor& compressor,
               BufferPool& pool);

  // Each put validates the value for this column, then encodes it as the value of file row `row`. A value
  // the column cannot take throws ParquetError and leaves the column as it was.
  void put_null(std::uint64_t row);
  void put_bool(std::uint64_t row, bool value);
  void put_integer(std::uint64_t row, std::int64_t value);
  void put_float(std::uint64_t row, float value);
  void put_double(std::uint64_t row, double value);
  void put_bytes(std::uint64_t row, std::string_view value);
  void put_decimal(std::uint64_t row, std::int64_t unscaled);

  [[nodiscard]] bool has_value(std::uint64_t row) const { return filled_row_ == row + 1; }
  // Drops the value of `row`, if it has one.
  void cancel(std::uint64_t row);
  // At a row boundary: closes the open page if it is full.
  void end_row();
  // Memory the row group holds for this column: finished pages, the open page, the dictionary.
  [[nodiscard]] std::size_t buffered_bytes() const;
  // Writes the column chunk of the row group (dictionary page first) at file offset `offset`, advancing it.
  format::ColumnChunk write_chunk(ByteSink& sink, std::uint64_t& offset);

  [[nodiscard]] const ColumnDescriptor& descriptor() const { return *column_; }

 private:
  struct BufferedPage {
    ByteBuffer head;  // the page header (and, uncompressed, the definition levels)
    ByteBuffer body;
  };

  [[noreturn]] void fail(std::uint64_t row, std::string_view what) const;
  void check_type(std::uint64_t row, PhysicalType wanted, std::string_view call) const;
  void check_free(std::uint64_t row) const {
    if (filled_row_ == row + 1) fail(row, "the row already has a value for this column");
  }
  void mark(std::uint64_t row, bool is_null);
  void put_value(std::uint64_t row, std::string_view plain_value);
  void fall_back_to_plain();
  // Whether the chunk's dictionary pages (dictionary plus indices) are smaller than PLAIN would be.
  [[nodiscard]] bool dictionary_pays() const;
  void finish_page();
  void write_page(ByteSink& sink, std::string_view head, std::string_view body, std::uint64_t& offset);
  [[nodiscard]] std::size_t open_page_bytes() const;

  const ColumnDescriptor* column_;
  const WriterOptions* options_;
  Compressor* compressor_;
  BufferPool* pool_;
  bool byte_array_;
  bool use_dictionary_;

  // The open page.
  ByteBuffer values_;                     // PLAIN values (booleans one byte each)
  std::vector<std::uint32_t> indices_;    // dictionary indices
  std::vector<std::uint8_t> def_levels_;  // optional columns: 1 present, 0 null
  std::size_t page_values_ = 0;
  std::size_t page_nulls_ = 0;
  std::size_t values_mark_ = 0;   // values_.size() before the current row's value
  std::uint64_t filled_row_ = 0;  // 1 + the row that has a value here, 0 for none

  // The row group's column chunk.
  Dictionary dictionary_;
  std::vector<BufferedPage> pages_;
  StatisticsCollector statistics_;
  // Dictionary entries already in the statistics. Entries are folded in when a page uses them, not when
  // added, so that a value of a cancelled row does not widen min/max.
  std::vector<std::uint8_t> in_statistics_;
  std::int64_t chunk_values_ = 0;
  std::int64_t chunk_uncompressed_ = 0;
  std::int64_t chunk_compressed_ = 0;
  std::int32_t dictionary_pages_ = 0;
  std::size_t dictionary_raw_bytes_ = 0;      // PLAIN size of the dictionary-encoded values
  std::size_t dictionary_encoded_bytes_ = 0;  // their indices as encoded
  std::size_t dictionary_values_ = 0;
  std::int32_t plain_pages_ = 0;

  ByteBuffer levels_scratch_;
  ByteBuffer values_scratch_;
};

}  // namespace sluice::parquet
