// Random schemas, options and rows: every column kind, each repetition, null rates from none to all,
// cardinalities that keep or overflow the dictionary, tiny pages and row groups, cancelled rows and refused
// values, row groups flushed on request. fuzz_test.mjs reads them back with DuckDB and compares exactly.
#include <random>
#include <string>

#include "fixture_cases.hpp"
#include "value_generators.hpp"

namespace sluice::parquet::fixtures {

namespace {

std::int64_t uniform(std::mt19937_64& rng, std::int64_t lo, std::int64_t hi) {
  return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
}

struct ColumnPlan {
  double null_rate;
  std::vector<Value> pool;  // values are drawn from it when it is not empty (low cardinality)
};

void fuzz_case(const std::string& dir, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const auto& kinds = column_kinds();
  const auto column_count = static_cast<std::size_t>(uniform(rng, 1, 8));
  std::vector<Column> columns;
  std::vector<ColumnPlan> plans;
  for (std::size_t i = 0; i < column_count; ++i) {
    const ColumnKind& kind =
        kinds[static_cast<std::size_t>(uniform(rng, 0, static_cast<std::int64_t>(kinds.size()) - 1))];
    const Repetition repetition = uniform(rng, 0, 2) == 0 ? Repetition::kRequired : Repetition::kOptional;
    columns.push_back(make_column(kind, "c" + std::to_string(i) + "_" + kind.tag, repetition));
    ColumnPlan plan{.null_rate = repetition == Repetition::kRequired
                                     ? 0.0
                                     : std::vector<double>{0.0, 0.05, 0.5,
                                                           1.0}[static_cast<std::size_t>(uniform(rng, 0, 3))],
                    .pool = {}};
    const std::int64_t cardinality =
        std::vector<std::int64_t>{0, 1, 5, 300}[static_cast<std::size_t>(uniform(rng, 0, 3))];
    for (std::int64_t k = 0; k < cardinality; ++k) plan.pool.push_back(random_value(columns.back(), rng));
    plans.push_back(std::move(plan));
  }
  const Codec codec = std::vector<Codec>{Codec::kUncompressed, Codec::kSnappy, Codec::kGzip,
                                         Codec::kZstd}[static_cast<std::size_t>(uniform(rng, 0, 3))];
  const WriterOptions options{
      .codec = codec,
      .compression_level = codec == Codec::kZstd ? static_cast<int>(uniform(rng, 0, 5)) : 0,
      .dictionary = uniform(rng, 0, 3) != 0,
      .dictionary_page_size_limit = static_cast<std::size_t>(uniform(rng, 8, std::int64_t{64} * 1024)),
      .data_page_size = static_cast<std::size_t>(uniform(rng, 1, std::int64_t{32} * 1024)),
      .max_rows_per_page = static_cast<std::size_t>(uniform(rng, 1, 3000)),
      .row_group_size = static_cast<std::size_t>(uniform(rng, 512, std::int64_t{512} * 1024)),
      .max_statistics_size = static_cast<std::size_t>(uniform(rng, 0, 64))};
  CaseWriter w(dir, {.name = "fuzz_" + std::to_string(seed), .columns = columns, .options = options});

  auto make_row = [&] {
    Row row;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const ColumnPlan& plan = plans[c];
      if (std::uniform_real_distribution<double>(0, 1)(rng) < plan.null_rate) {
        row.emplace_back();
      } else if (!plan.pool.empty()) {
        row.push_back(plan.pool[static_cast<std::size_t>(
            uniform(rng, 0, static_cast<std::int64_t>(plan.pool.size()) - 1))]);
      } else {
        row.push_back(random_value(columns[c], rng));
      }
    }
    return row;
  };
  const std::int64_t rows = uniform(rng, 0, 3) == 0 ? uniform(rng, 0, 3) : uniform(rng, 1, 2500);
  for (std::int64_t r = 0; r < rows; ++r) {
    const std::int64_t event = uniform(rng, 0, 99);
    if (event < 2) {
      w.cancelled_row(make_row(),
                      static_cast<std::size_t>(uniform(rng, 0, static_cast<std::int64_t>(columns.size()))));
    } else if (event < 3) {
      w.flush_row_group();
    } else if (event < 5) {
      const auto column =
          static_cast<std::size_t>(uniform(rng, 0, static_cast<std::int64_t>(columns.size()) - 1));
      if (auto bad = invalid_value(columns[column], rng)) {
        w.row_after_rejected_value(make_row(), column, *bad);
        continue;
      }
    }
    w.row(make_row());
  }
  w.finish();
}

}  // namespace

void write_fuzz_cases(const std::string& dir, std::uint64_t seed, int count) {
  for (int i = 0; i < count; ++i) fuzz_case(dir, seed + static_cast<std::uint64_t>(i));
}

}  // namespace sluice::parquet::fixtures
