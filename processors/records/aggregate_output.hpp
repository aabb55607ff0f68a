// AggregateRecord's output records: the schema (group fields, window_start, window_end, firing,
// record_count, then the aggregates) and a FiringSink that writes each firing as one record.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/record.hpp"
#include "string_output.hpp"
#include "window_aggregator.hpp"

namespace sluice::records {

// The output field name for a group-by path: its last field name (`/site/meter_id` -> `meter_id`).
std::string group_field_name(std::string_view path);

// Throws std::invalid_argument when two output fields would have the same name.
DataTypePtr aggregate_output_schema(const std::vector<std::string>& group_fields,
                                    const std::vector<AggregateSpec>& aggregates);

// The aggregates' values for `window`, in the order of `aggregates`, into `out`.
void window_results(const std::vector<AggregateSpec>& aggregates, const WindowState& window,
                    std::vector<Value>& out);

class FiringWriter final : public FiringSink {
 public:
  FiringWriter(const RecordWriterFactory& writers, DataTypePtr schema,
               const std::vector<AggregateSpec>& aggregates, std::size_t group_fields);

  void fire(std::string_view key, const WindowState& window, Firing firing) override;

  [[nodiscard]] std::uint64_t count() const { return count_; }
  // Ends the output and returns its bytes (empty when nothing fired).
  const StringOutput& finish();

 private:
  const RecordWriterFactory& writers_;
  DataTypePtr schema_;
  const std::vector<AggregateSpec>& aggregates_;
  std::size_t group_fields_;
  StringOutput out_;
  std::unique_ptr<RecordWriter> writer_;
  Record record_;
  std::vector<std::optional<std::string_view>> parts_;
  std::vector<Value> results_;
  std::uint64_t count_ = 0;
};

}  // namespace sluice::records
