// SQL over the provenance store: SQLite (in memory, read-only) with four virtual tables spanning every
// partition. Equality and range constraints on the indexed columns reach the store's indexes, so lookups by
// event id, FlowFile uuid, transit URI or an indexed attribute stay fast however many events are stored.
//
//   events(event_id, event_time, type, flowfile_uuid, component_id, component_type, relationship,
//          transit_uri, size, details, lineage_start, entry_date, source_queue, previous_size)
//   event_parents(event_id, flowfile_uuid)      event_children(event_id, flowfile_uuid)
//   event_attributes(event_id, name, value_before, value_after)
//
// Times are milliseconds since the epoch (UTC). docs/provenance.md documents the surface; it is stable.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "provenance/store_reader.hpp"

struct sqlite3;

namespace sluice::internal::provenance {

// A malformed or refused statement. line and column (1-based) point into the SQL text when SQLite says
// where; what() is the full message, e.g. "sql:1:8: near "FORM": syntax error".
class SqlError : public std::runtime_error {
 public:
  SqlError(const std::string& message, int line, int column)
      : std::runtime_error(message), line_(line), column_(column) {}
  [[nodiscard]] int line() const { return line_; }
  [[nodiscard]] int column() const { return column_; }

 private:
  int line_;
  int column_;
};

struct SqlValue {
  enum class Type : std::uint8_t { kNull, kInteger, kReal, kText, kBlob };
  Type type = Type::kNull;
  std::int64_t integer = 0;
  double real = 0;
  std::string_view text;  // kText, kBlob: valid during the row callback
};

class SqlSession {
 public:
  // `store` must outlive the session.
  explicit SqlSession(const StoreReader& store);
  ~SqlSession();
  SqlSession(const SqlSession&) = delete;
  SqlSession& operator=(const SqlSession&) = delete;

  using ColumnsHandler = std::function<void(const std::vector<std::string>& names)>;
  using RowHandler = std::function<void(std::span<const SqlValue> row)>;
  // Runs each statement of `sql` in turn (SELECT and WITH only): on_columns before a statement's rows,
  // on_row for each row. Throws SqlError.
  void execute(std::string_view sql, const ColumnsHandler& on_columns, const RowHandler& on_row);

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace sluice::internal::provenance
