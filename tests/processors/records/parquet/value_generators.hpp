// Every column type the writer supports, and random values for them — valid ones (with the edges: type
// limits, NaN, infinities, -0, empty strings, multi-byte UTF-8) and ones the writer must refuse.
#pragma once

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "fixture_model.hpp"

namespace sluice::parquet::fixtures {

struct ColumnKind {
  std::string tag;
  PhysicalType type;
  LogicalType logical;
  std::int32_t type_length = 0;
};

const std::vector<ColumnKind>& column_kinds();
Column make_column(const ColumnKind& kind, std::string name, Repetition repetition);

// A valid non-null value; one of the column's edge values one time in eight.
Value random_value(const Column& column, std::mt19937_64& rng);
// A value the writer must refuse for this column, if its type has one.
std::optional<Value> invalid_value(const Column& column, std::mt19937_64& rng);

std::string random_utf8(std::mt19937_64& rng, std::size_t max_chars);

}  // namespace sluice::parquet::fixtures
