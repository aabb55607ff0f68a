#include "writer.hpp"

#include <cstring>
#include <string>

#include "column_writer.hpp"
#include "compressor.hpp"
#include "metadata.hpp"
#include "schema.hpp"

#ifndef SLUICE_PARQUET_CREATED_BY
#define SLUICE_PARQUET_CREATED_BY "sluice"
#endif

namespace sluice::parquet {

namespace {

constexpr std::string_view kMagic = "PAR1";
// Parquet sizes pages in signed 32-bit integers: a page of at most data_page_size plus one value (of at
// most 1 GiB) plus levels stays below 2 GiB.
constexpr std::size_t kMaxPageLimit = std::size_t{512} << 20;

void check_options(const WriterOptions& o) {
  auto bad = [](std::string_view what) { throw ParquetError("parquet options: " + std::string(what)); };
  if (o.data_page_size == 0 || o.data_page_size > kMaxPageLimit)
    bad("data_page_size must be 1 byte to 512 MiB");
  if (o.dictionary_page_size_limit > kMaxPageLimit) bad("dictionary_page_size_limit must be at most 512 MiB");
  if (o.max_rows_per_page == 0) bad("max_rows_per_page must be at least 1");
  if (o.row_group_size == 0) bad("row_group_size must be at least 1 byte");
  switch (o.codec) {
    case Codec::kUncompressed:
    case Codec::kSnappy:
    case Codec::kGzip:
    case Codec::kZstd: break;
    default: bad("codec must be UNCOMPRESSED, SNAPPY, GZIP or ZSTD");
  }
}

}  // namespace

struct Writer::Impl {
  enum class State : std::uint8_t { kOpen, kClosed, kFailed };

  ByteSink& sink;
  WriterOptions options;
  std::vector<ColumnDescriptor> schema;
  Compressor compressor;
  BufferPool pool;
  std::vector<ColumnWriter> columns;
  std::vector<format::RowGroup> row_groups;
  std::uint64_t rows = 0;         // completed rows in the file
  std::uint64_t group_rows = 0;   // of them, in the open row group
  std::size_t values_in_row = 0;  // columns that have a value in the current row
  std::uint64_t offset = 0;       // bytes handed to the sink
  State state = State::kOpen;

  Impl(ByteSink& s, const std::vector<Column>& cols, WriterOptions opts)
      : sink(s),
        options((check_options(opts), std::move(opts))),
        schema(describe_schema(cols)),
        compressor(options.codec, options.compression_level) {
    columns.reserve(schema.size());
    for (const ColumnDescriptor& d : schema) columns.emplace_back(d, options, compressor, pool);
  }

  void check_open() const {
    if (state == State::kClosed) throw ParquetError("parquet: the writer is closed");
    if (state == State::kFailed)
      throw ParquetError("parquet: an earlier write failed; the file is incomplete");
  }

  ColumnWriter& at(std::size_t column) {
    check_open();
    if (column >= columns.size()) {
      throw ParquetError("parquet: no column " + std::to_string(column) + " (the schema has " +
                         std::to_string(columns.size()) + ")");
    }
    return columns[column];
  }

  // Output that fails leaves a partial file behind: the writer refuses any further work.
  template <typename F>
  void guarded(F&& write) {
    try {
      write();
    } catch (...) {
      state = State::kFailed;
      throw;
    }
  }

  void write(std::string_view bytes) {
    sink.write(bytes);
    offset += bytes.size();
  }

  void write_magic_once() {
    if (offset == 0) write(kMagic);
  }

  void check_row_boundary(std::string_view call) const {
    if (values_in_row != 0) {
      throw ParquetError("parquet: " + std::string(call) + " in the middle of row " + std::to_string(rows) +
                         " (end_row or cancel_row first)");
    }
  }

  void end_row() {
    check_open();
    if (values_in_row != columns.size()) {
      for (const ColumnWriter& c : columns) {
        if (!c.has_value(rows)) {
          throw ParquetError("parquet: column '" + c.descriptor().column.name + "' row " +
                             std::to_string(rows) + ": no value (append one, or append_null, or cancel_row)");
        }
      }
    }
    std::size_t buffered = 0;
    guarded([&] {
      for (ColumnWriter& c : columns) {
        c.end_row();
        buffered += c.buffered_bytes();
      }
    });
    ++rows;
    ++group_rows;
    values_in_row = 0;
    if (buffered >= options.row_group_size) flush_row_group();
  }

  void flush_row_group() {
    check_open();
    check_row_boundary("flush_row_group");
    if (group_rows == 0) return;
    guarded([&] {
      write_magic_once();
      format::RowGroup group;
      group.num_rows = static_cast<std::int64_t>(group_rows);
      group.file_offset = static_cast<std::int64_t>(offset);
      group.columns.reserve(columns.size());
      for (ColumnWriter& c : columns) {
        group.columns.push_back(c.write_chunk(sink, offset));
        group.total_byte_size += group.columns.back().total_uncompressed_size;
        group.total_compressed_size += group.columns.back().total_compressed_size;
      }
      row_groups.push_back(std::move(group));
    });
    group_rows = 0;
  }

  void close() {
    check_open();
    check_row_boundary("close");
    flush_row_group();
    guarded([&] {
      write_magic_once();
      ByteBuffer footer;
      format::write_file_metadata(footer, {.schema = schema,
                                           .num_rows = static_cast<std::int64_t>(rows),
                                           .row_groups = row_groups,
                                           .key_value_metadata = options.key_value_metadata,
                                           .created_by = SLUICE_PARQUET_CREATED_BY,
                                           .codec = options.codec});
      const auto length = static_cast<std::uint32_t>(footer.size());
      footer.append_le(length);
      footer.append(kMagic);
      write(footer.view());
    });
    state = State::kClosed;
  }
};

Writer::Writer(ByteSink& sink, const std::vector<Column>& columns, WriterOptions options)
    : impl_(std::make_unique<Impl>(sink, columns, std::move(options))) {}

Writer::~Writer() = default;

std::size_t Writer::column_count() const {
  return impl_->schema.size();
}

const Column& Writer::column(std::size_t index) const {
  return impl_->schema.at(index).column;
}

std::optional<std::size_t> Writer::find_column(std::string_view name) const {
  for (std::size_t i = 0; i < impl_->schema.size(); ++i) {
    if (impl_->schema[i].column.name == name) return i;
  }
  return std::nullopt;
}

void Writer::append_null(std::size_t column) {
  impl_->at(column).put_null(impl_->rows);
  ++impl_->values_in_row;
}

void Writer::append_bool(std::size_t column, bool value) {
  impl_->at(column).put_bool(impl_->rows, value);
  ++impl_->values_in_row;
}

void Writer::append_int64(std::size_t column, std::int64_t value) {
  impl_->at(column).put_integer(impl_->rows, value);
  ++impl_->values_in_row;
}

void Writer::append_float(std::size_t column, float value) {
  impl_->at(column).put_float(impl_->rows, value);
  ++impl_->values_in_row;
}

void Writer::append_double(std::size_t column, double value) {
  impl_->at(column).put_double(impl_->rows, value);
  ++impl_->values_in_row;
}

void Writer::append_bytes(std::size_t column, std::string_view value) {
  impl_->at(column).put_bytes(impl_->rows, value);
  ++impl_->values_in_row;
}

void Writer::append_decimal(std::size_t column, std::int64_t unscaled) {
  impl_->at(column).put_decimal(impl_->rows, unscaled);
  ++impl_->values_in_row;
}

void Writer::end_row() {
  impl_->end_row();
}

void Writer::cancel_row() {
  impl_->check_open();
  for (ColumnWriter& c : impl_->columns) c.cancel(impl_->rows);
  impl_->values_in_row = 0;
}

void Writer::flush_row_group() {
  impl_->flush_row_group();
}

void Writer::close() {
  impl_->close();
}

std::uint64_t Writer::rows_written() const {
  return impl_->rows;
}

std::uint64_t Writer::row_groups_written() const {
  return impl_->row_groups.size();
}

std::uint64_t Writer::bytes_written() const {
  return impl_->offset;
}

std::size_t Writer::buffered_bytes() const {
  std::size_t total = 0;
  for (const ColumnWriter& c : impl_->columns) total += c.buffered_bytes();
  return total;
}

}  // namespace sluice::parquet
