#include <fmt/format.h>
#include <sqlite3.h>

#include "provenance/sql.hpp"
#include "provenance/sql_tables.hpp"

namespace sluice::internal::provenance {

namespace {

// Read-only: queries may read the provenance tables and compute, nothing else (no ATTACH of other files,
// no PRAGMA, no writes to the in-memory database).
int authorize(void* /*data*/, int action, const char* /*a*/, const char* /*b*/, const char* /*db*/,
              const char* /*trigger*/) {
  switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE: return SQLITE_OK;
    default: return SQLITE_DENY;
  }
}

// 1-based line and column of byte `offset` in `text`.
std::pair<int, int> position(std::string_view text, std::size_t offset) {
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

}  // namespace

SqlSession::SqlSession(const StoreReader& store) {
  if (sqlite3_open_v2(":memory:", &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error("cannot open SQLite: " + message);
  }
  sqlite3_extended_result_codes(db_, 1);
  register_provenance_tables(db_, store);
  // Connect the tables now: declaring their schema would not pass the read-only authorizer.
  for (const char* warm :
       {"SELECT 1 FROM events LIMIT 0", "SELECT 1 FROM event_parents LIMIT 0",
        "SELECT 1 FROM event_children LIMIT 0", "SELECT 1 FROM event_attributes LIMIT 0"}) {
    char* error = nullptr;
    if (sqlite3_exec(db_, warm, nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string message = error != nullptr ? error : "unknown error";
      sqlite3_free(error);
      sqlite3_close(db_);
      throw std::runtime_error("cannot set up the provenance tables: " + message);
    }
  }
  sqlite3_set_authorizer(db_, authorize, nullptr);
}

SqlSession::~SqlSession() {
  sqlite3_close(db_);
}

void SqlSession::execute(std::string_view sql, const ColumnsHandler& on_columns, const RowHandler& on_row) {
  const char* const begin = sql.data();
  const char* const end = sql.data() + sql.size();
  const char* next = begin;
  std::vector<std::string> names;
  std::vector<SqlValue> row;
  bool any = false;
  while (next < end) {
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v2(db_, next, static_cast<int>(end - next), &stmt, &tail);
    if (rc != SQLITE_OK) {
      const int at = sqlite3_error_offset(db_);
      const auto [line, column] =
          position(sql, static_cast<std::size_t>(next - begin) + static_cast<std::size_t>(std::max(at, 0)));
      std::string message = sqlite3_errmsg(db_);
      if ((rc & 0xFF) == SQLITE_AUTH || message.ends_with("may not be modified")) {
        message =
            "not allowed: the provenance SQL surface is read-only (SELECT and WITH statements over events, "
            "event_parents, event_children, event_attributes)";
      }
      throw SqlError(at >= 0 ? fmt::format("sql:{}:{}: {}", line, column, message) : "sql: " + message,
                     at >= 0 ? line : 0, at >= 0 ? column : 0);
    }
    const char* statement_start = next;
    next = tail;
    if (stmt == nullptr) continue;  // whitespace or a comment
    any = true;
    struct Finalize {
      sqlite3_stmt* s;
      ~Finalize() { sqlite3_finalize(s); }
    } finalize{stmt};
    if (sqlite3_stmt_readonly(stmt) == 0) {
      const auto [line, column] = position(sql, static_cast<std::size_t>(statement_start - begin));
      throw SqlError(
          fmt::format("sql:{}:{}: not allowed: the provenance SQL surface is read-only", line, column), line,
          column);
    }
    const int n = sqlite3_column_count(stmt);
    names.clear();
    for (int i = 0; i < n; ++i) names.emplace_back(sqlite3_column_name(stmt, i));
    if (on_columns) on_columns(names);
    row.resize(static_cast<std::size_t>(n));
    for (;;) {
      const int step = sqlite3_step(stmt);
      if (step == SQLITE_DONE) break;
      if (step != SQLITE_ROW) throw SqlError(fmt::format("sql: {}", sqlite3_errmsg(db_)), 0, 0);
      for (int i = 0; i < n; ++i) {
        SqlValue& v = row[static_cast<std::size_t>(i)];
        switch (sqlite3_column_type(stmt, i)) {
          case SQLITE_INTEGER:
            v.type = SqlValue::Type::kInteger;
            v.integer = sqlite3_column_int64(stmt, i);
            break;
          case SQLITE_FLOAT:
            v.type = SqlValue::Type::kReal;
            v.real = sqlite3_column_double(stmt, i);
            break;
          case SQLITE_TEXT:
            v.type = SqlValue::Type::kText;
            v.text = std::string_view(reinterpret_cast<const char*>(sqlite3_column_text(stmt, i)),
                                      static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)));
            break;
          case SQLITE_BLOB:
            v.type = SqlValue::Type::kBlob;
            v.text = std::string_view(static_cast<const char*>(sqlite3_column_blob(stmt, i)),
                                      static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)));
            break;
          default: v.type = SqlValue::Type::kNull;
        }
      }
      if (on_row) on_row(row);
    }
  }
  if (!any) throw SqlError("sql: no statement to run", 0, 0);
}

}  // namespace sluice::internal::provenance
