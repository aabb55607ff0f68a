// The writer's contract seen from its API: schema checks, value checks that name the column and row and
// leave the writer usable, row completeness, cancel_row, the file's frame, bounded memory. What a file
// contains is checked by DuckDB and hyparquet (readers_test.mjs, fuzz_test.mjs).
#include "parquet/writer.hpp"

#include <cstring>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sluice::parquet {
namespace {

using ::testing::HasSubstr;

Column col(std::string name, PhysicalType type, LogicalType logical = {},
           Repetition repetition = Repetition::kOptional, std::int32_t type_length = 0) {
  return {.name = std::move(name),
          .type = type,
          .logical = logical,
          .repetition = repetition,
          .type_length = type_length};
}

std::string error_of(auto&& call) {
  try {
    call();
  } catch (const ParquetError& e) {
    return e.what();
  }
  return "no error";
}

std::uint32_t footer_length(const std::string& file) {
  std::uint32_t length = 0;
  std::memcpy(&length, file.data() + file.size() - 8, 4);
  return length;
}

TEST(ParquetSchema, RejectsLogicalTypesOnTheWrongPhysicalType) {
  StringSink sink;
  auto make = [&](Column c) { return error_of([&] { Writer w(sink, {std::move(c)}); }); };
  EXPECT_THAT(make(col("d", PhysicalType::kInt64, LogicalType::date())),
              HasSubstr("column 'd': DATE must annotate INT32"));
  EXPECT_THAT(make(col("s", PhysicalType::kInt32, LogicalType::string())),
              HasSubstr("STRING must annotate BYTE_ARRAY"));
  EXPECT_THAT(make(col("t", PhysicalType::kInt32, LogicalType::timestamp(TimeUnit::kMillis, true))),
              HasSubstr("TIMESTAMP must annotate INT64"));
  EXPECT_THAT(make(col("t", PhysicalType::kInt64, LogicalType::time(TimeUnit::kMillis, true))),
              HasSubstr("TIME(MILLIS) must annotate INT32"));
  EXPECT_THAT(make(col("u", PhysicalType::kFixedLenByteArray, LogicalType::uuid(), Repetition::kOptional, 8)),
              HasSubstr("UUID needs a FIXED_LEN_BYTE_ARRAY of length 16"));
  EXPECT_THAT(make(col("i", PhysicalType::kInt64, LogicalType::integer(16, true))),
              HasSubstr("INT(16) must annotate INT32"));
  EXPECT_THAT(make(col("i", PhysicalType::kInt32, LogicalType::integer(12, true))),
              HasSubstr("bit width must be 8"));
}

TEST(ParquetSchema, RejectsDecimalsThatDoNotFit) {
  StringSink sink;
  auto make = [&](Column c) { return error_of([&] { Writer w(sink, {std::move(c)}); }); };
  EXPECT_THAT(make(col("a", PhysicalType::kInt32, LogicalType::decimal(10, 2))),
              HasSubstr("precision 10 does not fit INT32 (at most 9)"));
  EXPECT_THAT(make(col("a", PhysicalType::kInt64, LogicalType::decimal(19, 2))), HasSubstr("at most 18"));
  EXPECT_THAT(make(col("a", PhysicalType::kFixedLenByteArray, LogicalType::decimal(39, 0),
                       Repetition::kOptional, 16)),
              HasSubstr("at most 38"));
  EXPECT_THAT(make(col("a", PhysicalType::kInt64, LogicalType::decimal(5, 6))),
              HasSubstr("scale must be between"));
  EXPECT_THAT(make(col("a", PhysicalType::kDouble, LogicalType::decimal(5, 2))),
              HasSubstr("DECIMAL is written as"));
  EXPECT_EQ(make(col("a", PhysicalType::kFixedLenByteArray, LogicalType::decimal(38, 0),
                     Repetition::kOptional, 16)),
            "no error");
}

TEST(ParquetSchema, RejectsBadColumnsAndOptions) {
  StringSink sink;
  EXPECT_THAT(error_of([&] { Writer w(sink, {}); }), HasSubstr("no columns"));
  EXPECT_THAT(error_of([&] {
                Writer w(sink, {col("a", PhysicalType::kInt32), col("a", PhysicalType::kInt64)});
              }),
              HasSubstr("column 'a': the name is used by another column"));
  EXPECT_THAT(error_of([&] { Writer w(sink, {col("", PhysicalType::kInt32)}); }), HasSubstr("empty name"));
  EXPECT_THAT(error_of([&] { Writer w(sink, {col("f", PhysicalType::kFixedLenByteArray)}); }),
              HasSubstr("type_length of at least 1"));
  EXPECT_THAT(
      error_of([&] { Writer w(sink, {col("f", PhysicalType::kInt32, {}, Repetition::kOptional, 4)}); }),
      HasSubstr("type_length is only for FIXED_LEN_BYTE_ARRAY"));
  EXPECT_THAT(error_of([&] { Writer w(sink, {col("a", PhysicalType::kInt32)}, {.data_page_size = 0}); }),
              HasSubstr("data_page_size must be 1 byte to 512 MiB"));
  EXPECT_THAT(error_of([&] { Writer w(sink, {col("a", PhysicalType::kInt32)}, {.max_rows_per_page = 0}); }),
              HasSubstr("max_rows_per_page"));
  EXPECT_TRUE(sink.data().empty());
}

TEST(ParquetWriter, ValueErrorsNameColumnAndRowAndLeaveTheRowOpen) {
  StringSink sink;
  Writer w(sink, {col("id", PhysicalType::kInt64, {}, Repetition::kRequired),
                  col("small", PhysicalType::kInt32, LogicalType::integer(8, true)),
                  col("name", PhysicalType::kByteArray, LogicalType::string()),
                  col("code", PhysicalType::kFixedLenByteArray, {}, Repetition::kOptional, 3),
                  col("price", PhysicalType::kInt64, LogicalType::decimal(4, 2))});
  w.append_int64(0, 1);
  w.append_int32(1, 1);
  w.append_bytes(2, "a");
  w.append_bytes(3, "abc");
  w.append_decimal(4, 9999);
  w.end_row();

  EXPECT_THAT(error_of([&] { w.append_null(0); }), HasSubstr("column 'id' row 1: null in a required column"));
  EXPECT_THAT(error_of([&] { w.append_double(0, 1.0); }),
              HasSubstr("column 'id' row 1: append_double on a INT64 column"));
  EXPECT_THAT(error_of([&] { w.append_int32(1, 128); }),
              HasSubstr("column 'small' row 1: 128 is outside [-128, 127]"));
  EXPECT_THAT(error_of([&] { w.append_bytes(2, "bad \xFF"); }),
              HasSubstr("column 'name' row 1: invalid UTF-8 at byte 4"));
  EXPECT_THAT(error_of([&] { w.append_bytes(3, "ab"); }), HasSubstr("2 bytes for a FIXED_LEN_BYTE_ARRAY(3)"));
  EXPECT_THAT(error_of([&] { w.append_decimal(4, 10000); }), HasSubstr("10000 is outside [-9999, 9999]"));
  EXPECT_THAT(error_of([&] { w.append_decimal(1, 1); }), HasSubstr("not DECIMAL"));
  EXPECT_THAT(error_of([&] { w.append_int64(9, 1); }), HasSubstr("no column 9"));

  // The row is still open and each column still free: fill it with valid values.
  w.append_int64(0, 2);
  EXPECT_THAT(error_of([&] { w.append_int64(0, 3); }),
              HasSubstr("column 'id' row 1: the row already has a value"));
  w.append_null(1);
  w.append_bytes(2, "b");
  EXPECT_THAT(error_of([&] { w.end_row(); }), HasSubstr("column 'code' row 1: no value"));
  w.append_null(3);
  w.append_null(4);
  w.end_row();
  EXPECT_EQ(w.rows_written(), 2U);
  w.close();
  EXPECT_EQ(sink.data().substr(0, 4), "PAR1");
}

TEST(ParquetWriter, CancelRowDropsItsValues) {
  StringSink sink;
  Writer w(sink,
           {col("a", PhysicalType::kInt64, {}, Repetition::kRequired), col("b", PhysicalType::kByteArray)});
  w.append_int64(0, 7);
  w.cancel_row();
  EXPECT_EQ(w.rows_written(), 0U);
  w.append_bytes(1, "x");
  w.append_int64(0, 8);  // the column is free again after the cancel
  w.end_row();
  EXPECT_EQ(w.rows_written(), 1U);
  EXPECT_THAT(error_of([&] {
                w.append_int64(0, 9);
                w.close();
              }),
              HasSubstr("close in the middle of row 1"));
  w.cancel_row();
  w.close();
  EXPECT_THAT(error_of([&] { w.append_int64(0, 1); }), HasSubstr("the writer is closed"));
}

TEST(ParquetWriter, AnEmptyFileIsMagicFooterLengthMagic) {
  StringSink sink;
  Writer w(sink, {col("a", PhysicalType::kInt32)});
  EXPECT_TRUE(sink.data().empty());  // nothing is written before there is something to write
  w.close();
  const std::string& file = sink.data();
  ASSERT_GT(file.size(), 12U);
  EXPECT_EQ(file.substr(0, 4), "PAR1");
  EXPECT_EQ(file.substr(file.size() - 4), "PAR1");
  EXPECT_EQ(footer_length(file), file.size() - 12);
  EXPECT_NE(file.find("sluice version "), std::string::npos);  // created_by
  EXPECT_EQ(w.bytes_written(), file.size());
}

// A sink that keeps only a count: the file's bytes are not held anywhere.
class CountingSink final : public ByteSink {
 public:
  void write(std::string_view bytes) override { written += bytes.size(); }
  std::uint64_t written = 0;
};

TEST(ParquetWriter, MemoryStaysWithinTheRowGroupSize) {
  CountingSink sink;
  const WriterOptions options{.codec = Codec::kUncompressed,
                              .data_page_size = std::size_t{64} * 1024,
                              .row_group_size = std::size_t{1} << 20};
  Writer w(sink,
           {col("id", PhysicalType::kInt64), col("text", PhysicalType::kByteArray, LogicalType::string())},
           options);
  const std::string text(500, 'x');
  std::size_t peak = 0;
  for (std::int64_t i = 0; i < 40'000; ++i) {  // about 20 MB of values
    w.append_int64(0, i);
    w.append_bytes(1, text + std::to_string(i));
    w.end_row();
    peak = std::max(peak, w.buffered_bytes());
  }
  EXPECT_GT(sink.written, 15U * 1024 * 1024) << "row groups must reach the sink before close";
  EXPECT_GE(w.row_groups_written(), 15U);
  // One row group, plus the open pages and the dictionary limit of each column, plus hash-table slack.
  EXPECT_LT(peak, options.row_group_size + 2 * options.data_page_size +
                      2 * options.dictionary_page_size_limit + (1U << 20));
  w.close();
  EXPECT_EQ(w.bytes_written(), sink.written);
}

class FailingSink final : public ByteSink {
 public:
  void write(std::string_view /*bytes*/) override { throw ParquetError("disk full"); }
};

TEST(ParquetWriter, ASinkFailureStopsTheWriter) {
  FailingSink sink;
  Writer w(sink, {col("a", PhysicalType::kInt32)});
  w.append_int32(0, 1);
  w.end_row();
  EXPECT_THAT(error_of([&] { w.close(); }), HasSubstr("disk full"));
  EXPECT_THAT(error_of([&] { w.append_int32(0, 2); }), HasSubstr("an earlier write failed"));
  EXPECT_THAT(error_of([&] { w.close(); }), HasSubstr("an earlier write failed"));
}

}  // namespace
}  // namespace sluice::parquet
