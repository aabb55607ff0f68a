#include "column_writer.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <span>
#include <string>

#include "rle_encoder.hpp"
#include "utf8.hpp"

namespace sluice::parquet {

namespace {

template <typename T>
std::string_view bytes_of(const T& value) {
  return {reinterpret_cast<const char*>(&value), sizeof(T)};
}

// Parquet stores page sizes and byte-array lengths as signed 32-bit integers; one value is kept well below
// that so that a page (data_page_size plus its last value) still fits.
constexpr std::size_t kMaxPageBytes = std::numeric_limits<std::int32_t>::max();
constexpr std::size_t kMaxValueBytes = std::size_t{1} << 30;

std::int32_t page_size(std::size_t bytes) {
  if (bytes > kMaxPageBytes)
    throw ParquetError("parquet: a page of " + std::to_string(bytes) + " bytes is too large");
  return static_cast<std::int32_t>(bytes);
}

}  // namespace

ByteBuffer BufferPool::take(std::size_t wanted) {
  if (free_.empty()) return {};
  std::size_t best = 0;
  for (std::size_t i = 1; i < free_.size(); ++i) {
    const std::size_t have = free_[i].capacity();
    const std::size_t best_have = free_[best].capacity();
    const bool fits = have >= wanted;
    const bool best_fits = best_have >= wanted;
    if ((fits && (!best_fits || have < best_have)) || (!fits && !best_fits && have > best_have)) best = i;
  }
  ByteBuffer buffer = std::move(free_[best]);
  free_[best] = std::move(free_.back());
  free_.pop_back();
  return buffer;
}

void BufferPool::give(ByteBuffer&& buffer) {
  buffer.clear();
  free_.push_back(std::move(buffer));
}

ColumnWriter::ColumnWriter(const ColumnDescriptor& column, const WriterOptions& options,
                           Compressor& compressor, BufferPool& pool)
    : column_(&column),
      options_(&options),
      compressor_(&compressor),
      pool_(&pool),
      byte_array_(column.column.type == PhysicalType::kByteArray),
      use_dictionary_(options.dictionary && column.column.type != PhysicalType::kBoolean),
      dictionary_(static_cast<std::size_t>(column.value_width())),
      statistics_(column, options.max_statistics_size) {}

void ColumnWriter::fail(std::uint64_t row, std::string_view what) const {
  throw ParquetError("parquet: column '" + column_->column.name + "' row " + std::to_string(row) + ": " +
                     std::string(what));
}

void ColumnWriter::check_type(std::uint64_t row, PhysicalType wanted, std::string_view call) const {
  if (column_->column.type != wanted) {
    fail(row,
         std::string(call) + " on a " + std::string(physical_type_name(column_->column.type)) + " column");
  }
}

void ColumnWriter::mark(std::uint64_t row, bool is_null) {
  filled_row_ = row + 1;
  values_mark_ = values_.size();
  ++page_values_;
  if (column_->optional()) def_levels_.push_back(is_null ? 0 : 1);
  if (is_null) ++page_nulls_;
}

void ColumnWriter::put_null(std::uint64_t row) {
  check_free(row);
  if (!column_->optional()) fail(row, "null in a required column");
  mark(row, true);
}

void ColumnWriter::put_value(std::uint64_t row, std::string_view plain_value) {
  if (use_dictionary_) {
    const std::int64_t index = dictionary_.find_or_insert(plain_value, options_->dictionary_page_size_limit);
    if (index != Dictionary::kFull) {
      mark(row, false);
      indices_.push_back(static_cast<std::uint32_t>(index));
      dictionary_raw_bytes_ += plain_value.size() + (byte_array_ ? 4 : 0);
      return;
    }
    fall_back_to_plain();
  }
  mark(row, false);
  if (byte_array_) values_.append_le(static_cast<std::uint32_t>(plain_value.size()));
  values_.append(plain_value);
}

void ColumnWriter::put_bool(std::uint64_t row, bool value) {
  check_free(row);
  check_type(row, PhysicalType::kBoolean, "append_bool");
  mark(row, false);
  values_.push_back(static_cast<char>(value ? 1 : 0));
}

void ColumnWriter::put_integer(std::uint64_t row, std::int64_t value) {
  check_free(row);
  const PhysicalType type = column_->column.type;
  if (type != PhysicalType::kInt32 && type != PhysicalType::kInt64) {
    fail(row, "an integer for a " + std::string(physical_type_name(type)) + " column");
  }
  if (value < column_->min_integer || value > column_->max_integer) {
    fail(row, std::to_string(value) + " is outside [" + std::to_string(column_->min_integer) + ", " +
                  std::to_string(column_->max_integer) + "]");
  }
  if (type == PhysicalType::kInt32) {
    // Unsigned 32-bit values keep their bit pattern in the signed INT32.
    const auto stored = static_cast<std::int32_t>(static_cast<std::uint32_t>(value));
    put_value(row, bytes_of(stored));
  } else {
    put_value(row, bytes_of(value));
  }
}

void ColumnWriter::put_float(std::uint64_t row, float value) {
  check_free(row);
  check_type(row, PhysicalType::kFloat, "append_float");
  put_value(row, bytes_of(value));
}

void ColumnWriter::put_double(std::uint64_t row, double value) {
  check_free(row);
  check_type(row, PhysicalType::kDouble, "append_double");
  put_value(row, bytes_of(value));
}

void ColumnWriter::put_bytes(std::uint64_t row, std::string_view value) {
  check_free(row);
  const Column& c = column_->column;
  if (c.type == PhysicalType::kFixedLenByteArray) {
    if (value.size() != static_cast<std::size_t>(c.type_length)) {
      fail(row, std::to_string(value.size()) + " bytes for a FIXED_LEN_BYTE_ARRAY(" +
                    std::to_string(c.type_length) + ") column");
    }
  } else if (c.type == PhysicalType::kByteArray) {
    if (value.size() > kMaxValueBytes)
      fail(row, "a value of " + std::to_string(value.size()) + " bytes (at most 1 GiB)");
    if (column_->utf8 && options_->validate_utf8) {
      const std::size_t bad = find_invalid_utf8(value);
      if (bad != value.size()) fail(row, "invalid UTF-8 at byte " + std::to_string(bad));
    }
  } else {
    fail(row, "append_bytes on a " + std::string(physical_type_name(c.type)) + " column");
  }
  put_value(row, value);
}

void ColumnWriter::put_decimal(std::uint64_t row, std::int64_t unscaled) {
  const Column& c = column_->column;
  if (c.logical.kind != LogicalKind::kDecimal) {
    check_free(row);
    fail(row, "append_decimal on a column that is not DECIMAL");
  }
  if (c.type != PhysicalType::kFixedLenByteArray) {
    put_integer(row, unscaled);
    return;
  }
  check_free(row);
  if (c.logical.precision < 19) {
    std::int64_t limit = 1;
    for (int i = 0; i < c.logical.precision; ++i) limit *= 10;
    if (unscaled <= -limit || unscaled >= limit) {
      fail(row, std::to_string(unscaled) + " has more digits than DECIMAL(" +
                    std::to_string(c.logical.precision) + ")");
    }
  }
  // Big-endian two's complement, sign-extended to the fixed length.
  std::string encoded(static_cast<std::size_t>(c.type_length), unscaled < 0 ? '\xff' : '\0');
  auto bits = static_cast<std::uint64_t>(unscaled);
  for (std::size_t i = 0; i < encoded.size() && i < 8; ++i) {
    encoded[encoded.size() - 1 - i] = static_cast<char>(bits & 0xFFU);
    bits >>= 8U;
  }
  put_value(row, encoded);
}

void ColumnWriter::cancel(std::uint64_t row) {
  if (!has_value(row)) return;
  filled_row_ = 0;
  --page_values_;
  bool was_null = false;
  if (column_->optional()) {
    was_null = def_levels_.back() == 0;
    def_levels_.pop_back();
  }
  if (was_null) {
    --page_nulls_;
  } else if (use_dictionary_) {
    indices_.pop_back();
  } else {
    values_.truncate(values_mark_);
  }
}

std::size_t ColumnWriter::open_page_bytes() const {
  if (use_dictionary_) {
    const auto width = static_cast<std::size_t>(std::max(1, bit_width(dictionary_.size())));
    return indices_.size() * width / 8;
  }
  if (column_->column.type == PhysicalType::kBoolean) return values_.size() / 8;
  return values_.size();
}

void ColumnWriter::end_row() {
  if (page_values_ >= options_->max_rows_per_page || open_page_bytes() >= options_->data_page_size)
    finish_page();
}

std::size_t ColumnWriter::buffered_bytes() const {
  return static_cast<std::size_t>(chunk_compressed_) + values_.size() +
         indices_.size() * sizeof(std::uint32_t) + def_levels_.size() + dictionary_.memory();
}

bool ColumnWriter::dictionary_pays() const {
  // Judged once the chunk has shown enough values; small samples would condemn dictionaries that pay
  // off later (a few distinct values repeated over many pages).
  constexpr std::size_t kEvidenceValues = 10'000;
  constexpr std::size_t kEvidenceBytes = std::size_t{64} * 1024;
  if (dictionary_values_ < kEvidenceValues && dictionary_raw_bytes_ < kEvidenceBytes) return true;
  return dictionary_.plain().size() + dictionary_encoded_bytes_ < dictionary_raw_bytes_;
}

void ColumnWriter::fall_back_to_plain() {
  finish_page();
  use_dictionary_ = false;  // for the rest of the file: a column that outgrew one dictionary will again
}

void ColumnWriter::finish_page() {
  if (page_values_ == 0) return;
  const std::size_t present = page_values_ - page_nulls_;

  levels_scratch_.clear();
  if (column_->optional()) {
    levels_scratch_.append_le(std::uint32_t{0});  // v1 pages prefix the levels with their byte length
    encode_rle_hybrid(levels_scratch_, std::span<const std::uint8_t>(def_levels_), 1);
    const auto length = static_cast<std::uint32_t>(levels_scratch_.size() - 4);
    std::memcpy(levels_scratch_.data(), &length, 4);
  }

  format::Encoding encoding = format::Encoding::kPlain;
  bool values_are_plain_buffer = false;
  values_scratch_.clear();
  // A page of nulls only is PLAIN (it has no values), so an all-null chunk needs no empty dictionary.
  if (use_dictionary_ && present > 0) {
    encoding = format::Encoding::kRleDictionary;
    const int width = std::max(1, bit_width(dictionary_.size() - 1));
    values_scratch_.push_back(static_cast<char>(width));
    encode_rle_hybrid(values_scratch_, std::span<const std::uint32_t>(indices_), width);
    dictionary_encoded_bytes_ += values_scratch_.size();
    dictionary_values_ += present;
    in_statistics_.resize(dictionary_.size(), 0);
    for (const std::uint32_t index : indices_) {
      if (in_statistics_[index] != 0) continue;
      in_statistics_[index] = 1;
      statistics_.add_plain(dictionary_.plain_entry(index), 1);
    }
    ++dictionary_pages_;
  } else {
    statistics_.add_plain(values_.view(), present);
    if (column_->column.type == PhysicalType::kBoolean) {
      const std::span<const std::uint8_t> bits(reinterpret_cast<const std::uint8_t*>(values_.data()),
                                               values_.size());
      bit_pack(values_scratch_, bits, 1);
    } else {
      values_are_plain_buffer = true;
    }
    ++plain_pages_;
  }
  statistics_.add_nulls(static_cast<std::int64_t>(page_nulls_));

  ByteBuffer& values = values_are_plain_buffer ? values_ : values_scratch_;
  const std::size_t uncompressed = levels_scratch_.size() + values.size();
  // Page bodies come from the pool (they are large and reused); headers are small and not pooled, so a
  // header's buffer never comes back as a body that would have to grow.
  BufferedPage page{ByteBuffer(),
                    pool_->take(values_are_plain_buffer ? options_->data_page_size : uncompressed)};
  format::PageHeader header{.type = format::PageType::kDataPage,
                            .uncompressed_size = page_size(uncompressed),
                            .compressed_size = 0,
                            .num_values = static_cast<std::int32_t>(page_values_),
                            .encoding = encoding};
  if (compressor_->codec() == Codec::kUncompressed) {
    header.compressed_size = header.uncompressed_size;
    format::write_page_header(page.head, header);
    page.head.append(levels_scratch_.view());
    std::swap(page.body, values);  // the values move into the page; the pooled buffer takes their place
  } else {
    compressor_->compress(levels_scratch_.view(), values.view(), page.body);
    header.compressed_size = page_size(page.body.size());
    format::write_page_header(page.head, header);
  }
  const auto header_bytes =
      static_cast<std::int64_t>(page.head.size() + page.body.size()) - header.compressed_size;
  chunk_uncompressed_ += header_bytes + header.uncompressed_size;
  chunk_compressed_ += header_bytes + header.compressed_size;
  chunk_values_ += static_cast<std::int64_t>(page_values_);
  pages_.push_back(std::move(page));
  if (encoding == format::Encoding::kRleDictionary && !dictionary_pays()) use_dictionary_ = false;

  values_.clear();
  indices_.clear();
  def_levels_.clear();
  page_values_ = 0;
  page_nulls_ = 0;
  values_mark_ = 0;
}

void ColumnWriter::write_page(ByteSink& sink, std::string_view head, std::string_view body,
                              std::uint64_t& offset) {
  sink.write(head);
  sink.write(body);
  offset += head.size() + body.size();
}

format::ColumnChunk ColumnWriter::write_chunk(ByteSink& sink, std::uint64_t& offset) {
  finish_page();
  format::ColumnChunk chunk;
  if (dictionary_pages_ > 0) {
    const std::string_view plain = dictionary_.plain();
    ByteBuffer head;
    ByteBuffer body = pool_->take(plain.size());
    format::PageHeader header{.type = format::PageType::kDictionaryPage,
                              .uncompressed_size = page_size(plain.size()),
                              .compressed_size = 0,
                              .num_values = static_cast<std::int32_t>(dictionary_.size()),
                              .encoding = format::Encoding::kPlain};
    std::string_view stored = plain;
    if (compressor_->codec() != Codec::kUncompressed) {
      compressor_->compress(plain, {}, body);
      stored = body.view();
    }
    header.compressed_size = page_size(stored.size());
    format::write_page_header(head, header);
    chunk.dictionary_page_offset = static_cast<std::int64_t>(offset);
    write_page(sink, head.view(), stored, offset);
    const auto head_size = static_cast<std::int64_t>(head.size());
    chunk_uncompressed_ += head_size + header.uncompressed_size;
    chunk_compressed_ += head_size + header.compressed_size;
    chunk.encoding_stats.push_back({format::PageType::kDictionaryPage, format::Encoding::kPlain, 1});
    pool_->give(std::move(body));
  }
  chunk.data_page_offset = static_cast<std::int64_t>(offset);
  for (BufferedPage& page : pages_) {
    write_page(sink, page.head.view(), page.body.view(), offset);
    pool_->give(std::move(page.body));
  }
  pages_.clear();

  if (dictionary_pages_ > 0 || plain_pages_ > 0) chunk.encodings.push_back(format::Encoding::kPlain);
  if (column_->optional()) chunk.encodings.push_back(format::Encoding::kRle);
  if (dictionary_pages_ > 0) {
    chunk.encodings.push_back(format::Encoding::kRleDictionary);
    chunk.encoding_stats.push_back(
        {format::PageType::kDataPage, format::Encoding::kRleDictionary, dictionary_pages_});
  }
  if (plain_pages_ > 0) {
    chunk.encoding_stats.push_back({format::PageType::kDataPage, format::Encoding::kPlain, plain_pages_});
  }
  chunk.num_values = chunk_values_;
  chunk.total_uncompressed_size = chunk_uncompressed_;
  chunk.total_compressed_size = chunk_compressed_;
  chunk.statistics = statistics_.result();

  statistics_.reset();
  in_statistics_.clear();
  dictionary_.clear(/*keep_table=*/use_dictionary_);
  dictionary_raw_bytes_ = 0;
  dictionary_encoded_bytes_ = 0;
  dictionary_values_ = 0;
  chunk_values_ = 0;
  chunk_uncompressed_ = 0;
  chunk_compressed_ = 0;
  dictionary_pages_ = 0;
  plain_pages_ = 0;
  return chunk;
}

}  // namespace sluice::parquet
