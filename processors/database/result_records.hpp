// Query results as records: the schema of a result's columns, and the loop that streams rows into
// FlowFiles through a record writer (QueryDatabaseTable and ExecuteSQL share it).
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "database_driver.hpp"
#include "sluice/record.hpp"
#include "sluice/session.hpp"

namespace sluice::database {

// A record schema named `name` with one nullable field per column, of the column's type.
DataTypePtr result_schema(const std::vector<Column>& columns, std::string_view name);

struct ResultOptions {
  std::uint64_t max_rows_per_flowfile = 0;  // 0: every row in one FlowFile
  bool emit_empty = false;                  // a FlowFile (with an empty result) when there is no row
  std::string_view schema_name = "result";
};

// Streams `rows` (before its first next()) into new FlowFiles, children of `parent` when it is given,
// through `writers`; each FlowFile gets `record.count` and `mime.type` and is handed to `emit`.
// `on_row` sees each row after it was written (for max-value tracking). Returns the number of rows.
std::uint64_t write_result(ProcessSession& session, const FlowFile* parent, Rows& rows,
                           const RecordWriterFactory& writers, const ResultOptions& options,
                           const std::function<void(FlowFile&)>& emit,
                           const std::function<void(const Rows&)>& on_row);

}  // namespace sluice::database
