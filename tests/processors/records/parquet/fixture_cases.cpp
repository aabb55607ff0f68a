// The named cases readers_test.mjs checks: every type under every codec, nulls, dictionary fallback,
// several row groups, no dictionary, an empty file, meter-like rows, cancelled rows and refused values.
#include "fixture_cases.hpp"

#include <random>
#include <string>

#include "value_generators.hpp"

namespace sluice::parquet::fixtures {

namespace {

std::vector<Column> every_kind(Repetition repetition, const std::string& suffix = "") {
  std::vector<Column> columns;
  for (const ColumnKind& kind : column_kinds())
    columns.push_back(make_column(kind, kind.tag + suffix, repetition));
  return columns;
}

Row random_row(const std::vector<Column>& columns, std::mt19937_64& rng, int null_one_in) {
  Row row;
  row.reserve(columns.size());
  for (const Column& c : columns) {
    const bool null = c.repetition == Repetition::kOptional && null_one_in > 0 &&
                      std::uniform_int_distribution<int>(0, null_one_in - 1)(rng) == 0;
    row.push_back(null ? Value{} : random_value(c, rng));
  }
  return row;
}

void all_types(const std::string& dir, const std::string& name, Codec codec) {
  std::vector<Column> columns = every_kind(Repetition::kOptional);
  for (Column& c : every_kind(Repetition::kRequired, "_required")) columns.push_back(std::move(c));
  // Small pages so that every column chunk has several, with low-cardinality and unique values mixed.
  CaseWriter w(dir, {.name = name,
                     .columns = columns,
                     .options = {.codec = codec, .data_page_size = 2048, .max_rows_per_page = 500}});
  std::mt19937_64 rng(7);
  std::vector<Row> repeated;
  repeated.reserve(4);
  for (int i = 0; i < 4; ++i) repeated.push_back(random_row(columns, rng, 5));
  for (int i = 0; i < 2500; ++i)
    w.row(i % 3 == 0 ? repeated[static_cast<std::size_t>(i) % 4] : random_row(columns, rng, 5));
  w.finish();
}

void nulls(const std::string& dir) {
  std::vector<Column> columns = every_kind(Repetition::kOptional);
  columns.push_back({.name = "id", .type = PhysicalType::kInt64, .repetition = Repetition::kRequired});
  CaseWriter w(dir, {.name = "nulls", .columns = columns, .options = {.max_rows_per_page = 100}});
  std::mt19937_64 rng(11);
  for (std::int64_t i = 0; i < 1000; ++i) {
    Row row(columns.size());  // all null but the id
    // The first column gets one value in the middle of a page: a page of mostly nulls around it.
    if (i == 450) row[0] = random_value(columns[0], rng);
    row.back() = i;
    w.row(row);
  }
  w.finish();
}

void dictionary_fallback(const std::string& dir) {
  const std::vector<Column> columns{
      {.name = "id", .type = PhysicalType::kInt64, .repetition = Repetition::kRequired},
      {.name = "label", .type = PhysicalType::kByteArray, .logical = LogicalType::string()},
      {.name = "reading", .type = PhysicalType::kDouble}};
  // A 4 KiB dictionary fills up in the first row group: its chunk holds dictionary pages, then PLAIN ones.
  CaseWriter w(dir, {.name = "dictionary_fallback",
                     .columns = columns,
                     .options = {.codec = Codec::kSnappy,
                                 .dictionary_page_size_limit = 4096,
                                 .data_page_size = 1024,
                                 .row_group_size = std::size_t{256} * 1024}});
  std::mt19937_64 rng(13);
  for (std::int64_t i = 0; i < 20'000; ++i) {
    const std::int64_t label = i < 100 ? i % 10 : i;  // few distinct labels at first, then all new
    w.row({i, "label-" + std::to_string(label), i < 100 ? Value{1.5} : Value{static_cast<double>(i) / 3.0}});
  }
  w.finish();
}

void multiple_row_groups(const std::string& dir) {
  const std::vector<Column> columns = every_kind(Repetition::kOptional);
  CaseWriter w(
      dir,
      {.name = "multiple_row_groups",
       .columns = columns,
       .options = {.codec = Codec::kZstd, .data_page_size = 4096, .row_group_size = std::size_t{64} * 1024}});
  std::mt19937_64 rng(17);
  for (int i = 0; i < 6000; ++i) {
    w.row(random_row(columns, rng, 4));
    if (i == 100) w.flush_row_group();  // a short row group on request, too
  }
  w.finish();
}

void no_dictionary(const std::string& dir) {
  const std::vector<Column> columns = every_kind(Repetition::kOptional);
  CaseWriter w(dir, {.name = "no_dictionary",
                     .columns = columns,
                     .options = {.codec = Codec::kGzip, .dictionary = false, .data_page_size = 4096}});
  std::mt19937_64 rng(19);
  for (int i = 0; i < 2000; ++i) w.row(random_row(columns, rng, 6));
  w.finish();
}

void empty(const std::string& dir) {
  CaseWriter w(dir, {.name = "empty", .columns = every_kind(Repetition::kOptional), .options = {}});
  w.finish();
}

void meter(const std::string& dir) {
  const std::vector<Column> columns{
      {.name = "meter_id",
       .type = PhysicalType::kByteArray,
       .logical = LogicalType::string(),
       .repetition = Repetition::kRequired},
      {.name = "ts",
       .type = PhysicalType::kInt64,
       .logical = LogicalType::timestamp(TimeUnit::kMicros, true),
       .repetition = Repetition::kRequired},
      {.name = "voltage", .type = PhysicalType::kDouble},
      {.name = "current", .type = PhysicalType::kDouble},
      {.name = "power", .type = PhysicalType::kDouble},
      {.name = "status", .type = PhysicalType::kByteArray, .logical = LogicalType::string()},
      {.name = "note", .type = PhysicalType::kByteArray, .logical = LogicalType::string()}};
  CaseWriter w(dir, {.name = "meter",
                     .columns = columns,
                     .options = {.codec = Codec::kZstd,
                                 .row_group_size = std::size_t{4} << 20,
                                 .key_value_metadata = {{"source", "sluice fixtures"}, {"site", "north"}}}});
  std::mt19937_64 rng(23);
  const std::vector<std::string> statuses{"OK", "WARN", "ALARM", "OFFLINE", "MAINTENANCE"};
  for (std::int64_t i = 0; i < 20'000; ++i) {
    const double v = 230.0 + static_cast<double>(i % 100) / 10.0;
    w.row({"MTR-" + std::to_string(100000 + i % 500), 1'700'000'000'000'000 + i * 15'000'000, v, v / 100.0,
           v * v / 100.0, statuses[static_cast<std::size_t>(i) % statuses.size()],
           i % 50 == 0 ? Value{} : Value{random_utf8(rng, 800)}});
  }
  w.finish();
}

void cancelled_and_refused(const std::string& dir) {
  const std::vector<Column> columns = every_kind(Repetition::kRequired);
  CaseWriter w(dir, {.name = "cancelled_and_refused",
                     .columns = columns,
                     .options = {.codec = Codec::kSnappy, .data_page_size = 1024}});
  std::mt19937_64 rng(29);
  for (int i = 0; i < 1500; ++i) {
    const Row row = random_row(columns, rng, 0);
    if (i % 7 == 3) {
      // A row abandoned part-way: what it appended must not reach the file.
      w.cancelled_row(random_row(columns, rng, 0), static_cast<std::size_t>(i) % columns.size());
    }
    if (i % 5 == 1) {
      const std::size_t column = static_cast<std::size_t>(i) % columns.size();
      if (auto bad = invalid_value(columns[column], rng)) {
        w.row_after_rejected_value(row, column, *bad);
        continue;
      }
    }
    w.row(row);
  }
  w.finish();
}

}  // namespace

void write_fixture_cases(const std::string& dir) {
  all_types(dir, "all_types_uncompressed", Codec::kUncompressed);
  all_types(dir, "all_types_snappy", Codec::kSnappy);
  all_types(dir, "all_types_gzip", Codec::kGzip);
  all_types(dir, "all_types_zstd", Codec::kZstd);
  nulls(dir);
  dictionary_fallback(dir);
  multiple_row_groups(dir);
  no_dictionary(dir);
  empty(dir);
  meter(dir);
  cancelled_and_refused(dir);
}

}  // namespace sluice::parquet::fixtures
