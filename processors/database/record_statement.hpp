// The statement PutDatabaseRecord runs per record: which record fields go to which table columns, and the
// SQL (INSERT, UPSERT, UPDATE or DELETE) with one numbered parameter per bound field.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "database_driver.hpp"
#include "sluice/record_schema.hpp"

namespace sluice::database {

enum class StatementType : std::uint8_t { kInsert, kUpsert, kUpdate, kDelete };

struct RecordStatement {
  std::string sql;
  std::vector<std::size_t> fields;  // the record field bound to each parameter, in parameter order
};

struct StatementRequest {
  StatementType type = StatementType::kInsert;
  Dialect dialect = Dialect::kPostgres;
  std::string table;                     // as configured: table or schema.table
  std::vector<std::string> columns;      // the table's columns
  std::vector<std::string> key_columns;  // as configured
  bool fail_unmatched_fields = false;
};

// Maps the schema's fields to columns by name (exactly, else ignoring case) and builds the statement.
// Throws std::invalid_argument saying what does not fit (an unmatched field when those fail, a key column
// no field maps to, UPDATE/UPSERT without keys, no field at all).
RecordStatement build_record_statement(const DataType& schema, const StatementRequest& request);

// "a, b ,c" → {"a", "b", "c"}.
std::vector<std::string> split_list(std::string_view text);

}  // namespace sluice::database
