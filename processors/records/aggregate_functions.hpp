// The aggregates AggregateRecord computes per window: how each is declared (`sum(/kwh)`,
// `share_if(${delay_s:le(900)})`), the running slot it keeps, how two slots merge (session windows), and
// the value it gives in the output record.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/expression.hpp"
#include "sluice/record.hpp"

namespace sluice::records {

enum class AggregateKind : std::uint8_t {
  kCount,       // count(): records in the window
  kSum,         // sum(/path)
  kMin,         // min(/path)
  kMax,         // max(/path)
  kAvg,         // avg(/path)
  kFirst,       // first(/path): the value of the record with the earliest event time
  kLast,        // last(/path): the value of the record with the latest event time
  kCountIf,     // count_if(<boolean expression>)
  kShareIf,     // share_if(<boolean expression>): count_if / count
  kDistinct,    // distinct(/path): distinct values, exact up to a limit, then estimated (HyperLogLog)
  kPercentile,  // percentile(/path, q) and median(/path): the q-quantile (t-digest)
};

struct AggregateSpec {
  std::string name;  // the output field
  AggregateKind kind = AggregateKind::kCount;
  std::string argument;  // the record path, or the expression text
  std::size_t path = 0;  // index into the processor's value paths (numeric and distinct aggregates)
  Expression condition;  // count_if, share_if
  double quantile = 0;   // percentile: 0 ≤ q ≤ 1
};

// Parses one aggregate declaration. Throws std::invalid_argument saying what is wrong.
AggregateSpec parse_aggregate(std::string_view name, std::string_view text);

// Whether the aggregate reads a record path (all but count and the conditional ones).
bool reads_path(AggregateKind kind);
// Whether its output is a whole number (count, count_if, distinct) rather than a double.
bool is_whole(AggregateKind kind);
// Whether its state is a Sketch (aggregate_sketches.hpp) rather than an AggregateSlot.
bool uses_sketch(AggregateKind kind);

// The running state of one aggregate in one window.
struct AggregateSlot {
  double value = 0;       // sum, min, max, first, last
  std::int64_t n = 0;     // values seen (numeric aggregates), matches (conditional ones)
  std::int64_t time = 0;  // event time of `value` (first, last)
};

// Folds one record's value into a slot. `value` is the numeric value at the aggregate's path (nullopt when
// null or absent), `matched` the condition's result.
void update_slot(AggregateKind kind, AggregateSlot& slot, std::optional<double> value, bool matched,
                 std::int64_t event_ms);
// Merges `other` into `slot` (session windows that grow together).
void merge_slot(AggregateKind kind, AggregateSlot& slot, const AggregateSlot& other);
// The output value of a slot aggregate: null when there is nothing to report (the min of no values).
Value slot_result(AggregateKind kind, const AggregateSlot& slot, std::uint64_t count);

// A record value as a number for the numeric aggregates: ints, doubles, decimals and numeric text.
std::optional<double> numeric_value(const Value* value);
// A 64-bit hash of a value's text, for distinct().
std::uint64_t value_hash(const Value* value, std::string& scratch);

}  // namespace sluice::records
