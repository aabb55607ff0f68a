#include "sqlite_driver.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <utility>
#include <vector>

#include <sqlite3.h>

namespace sluice::database {

namespace {

// Another connection holds the lock, or the file is momentarily unavailable: try again later.
bool transient_code(int code) {
  const int primary = code & 0xFF;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_IOERR ||
         primary == SQLITE_FULL || primary == SQLITE_CANTOPEN;
}

[[noreturn]] void fail(sqlite3* db, int code) {
  throw DatabaseError(std::string(sqlite3_errmsg(db)) + " (SQLite " + sqlite3_errstr(code) + ")",
                      transient_code(code));
}

struct StatementDeleter {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Handle = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

Handle prepare_handle(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                    &stmt, nullptr);
  if (rc != SQLITE_OK) fail(db, rc);
  return Handle(stmt);
}

// SQLite binds by storage class; booleans are integers (SQLite has no boolean type), dates and times text.
void bind(sqlite3* db, sqlite3_stmt* stmt, std::span<const Value> params, std::string& scratch) {
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  for (std::size_t i = 0; i < params.size(); ++i) {
    const Value& v = params[i];
    const int index = static_cast<int>(i) + 1;
    int rc = SQLITE_OK;
    switch (v.kind()) {
      case ValueKind::kNull: rc = sqlite3_bind_null(stmt, index); break;
      case ValueKind::kBoolean:
      case ValueKind::kInt: rc = sqlite3_bind_int64(stmt, index, v.as_int()); break;
      case ValueKind::kDouble: rc = sqlite3_bind_double(stmt, index, v.as_double()); break;
      case ValueKind::kBytes:
        rc = sqlite3_bind_blob64(stmt, index, v.as_text().data(), v.as_text().size(), SQLITE_TRANSIENT);
        break;
      case ValueKind::kString:
        rc = sqlite3_bind_text64(stmt, index, v.as_text().data(), v.as_text().size(), SQLITE_TRANSIENT,
                                 SQLITE_UTF8);
        break;
      default:
        scratch.clear();
        append_text(v, scratch);
        rc = sqlite3_bind_text64(stmt, index, scratch.data(), scratch.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
        break;
    }
    if (rc != SQLITE_OK) fail(db, rc);
  }
}

// The column type from the declared type, by SQLite's affinity rules (section 3.1 of "Datatypes In
// SQLite"), refined for the names people use for booleans, dates and timestamps.
ColumnType declared_type(const char* declared) {
  std::string t = declared != nullptr ? declared : "";
  std::transform(t.begin(), t.end(), t.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (t.find("BOOL") != std::string::npos) return ColumnType::kBoolean;
  if (t.find("INT") != std::string::npos) return ColumnType::kLong;
  if (t.find("TIMESTAMP") != std::string::npos || t.find("DATETIME") != std::string::npos) {
    return ColumnType::kTimestamp;
  }
  if (t == "DATE") return ColumnType::kDate;
  if (t.find("CHAR") != std::string::npos || t.find("CLOB") != std::string::npos ||
      t.find("TEXT") != std::string::npos) {
    return ColumnType::kString;
  }
  if (t.find("BLOB") != std::string::npos) return ColumnType::kBytes;
  if (t.find("REAL") != std::string::npos || t.find("FLOA") != std::string::npos ||
      t.find("DOUB") != std::string::npos) {
    return ColumnType::kDouble;
  }
  return ColumnType::kString;
}

class SqliteStatement final : public Statement {
 public:
  SqliteStatement(sqlite3* db, Handle stmt) : db_(db), stmt_(std::move(stmt)) {}
  // SQLite runs in process: nothing to pipeline, each execution runs at once.
  void add(std::span<const Value> params) override {
    bind(db_, stmt_.get(), params, scratch_);
    int rc = SQLITE_ROW;
    while (rc == SQLITE_ROW) rc = sqlite3_step(stmt_.get());
    if (rc != SQLITE_DONE) {
      try {
        fail(db_, rc);
      } catch (const DatabaseError& e) {
        throw DatabaseError(e.what(), e.transient(), executions_);
      }
    }
    ++executions_;
    changed_ += static_cast<std::uint64_t>(sqlite3_changes64(db_));
  }
  std::uint64_t finish() override { return changed_; }

 private:
  sqlite3* db_;
  Handle stmt_;
  std::string scratch_;
  std::uint64_t executions_ = 0;
  std::uint64_t changed_ = 0;
};

class SqliteRows final : public Rows {
 public:
  SqliteRows(sqlite3* db, Handle stmt) : db_(db), stmt_(std::move(stmt)) {}
  bool next() override {
    if (done_) return false;
    const int rc = sqlite3_step(stmt_.get());
    if (columns_.empty()) describe(rc == SQLITE_ROW);
    if (rc == SQLITE_ROW) return true;
    done_ = true;
    if (rc != SQLITE_DONE) fail(db_, rc);
    return false;
  }
  [[nodiscard]] const std::vector<Column>& columns() const override { return columns_; }
  [[nodiscard]] bool is_null(std::size_t column) const override {
    return sqlite3_column_type(stmt_.get(), static_cast<int>(column)) == SQLITE_NULL;
  }
  [[nodiscard]] std::string_view text(std::size_t column) const override {
    const int c = static_cast<int>(column);
    const auto* p =
        reinterpret_cast<const char*>(sqlite3_column_text(stmt_.get(), c));  // NOLINT: SQLite's UTF-8
    return {p != nullptr ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), c))};
  }
  [[nodiscard]] Value value(std::size_t column, RecordArena& arena) const override {
    const int c = static_cast<int>(column);
    const int stored = sqlite3_column_type(stmt_.get(), c);
    if (stored == SQLITE_NULL) return {};
    switch (columns_[column].type) {
      case ColumnType::kBoolean: return Value::boolean(sqlite3_column_int64(stmt_.get(), c) != 0);
      case ColumnType::kLong:
        if (stored == SQLITE_INTEGER) return Value::integer(sqlite3_column_int64(stmt_.get(), c));
        break;
      case ColumnType::kDouble:
        if (stored == SQLITE_INTEGER || stored == SQLITE_FLOAT)
          return Value::real(sqlite3_column_double(stmt_.get(), c));
        break;
      case ColumnType::kBytes: {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_.get(), c));
        return Value::bytes(arena.copy({p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), c))}));
      }
      case ColumnType::kDate:
        if (auto days = parse_date(text(column))) return Value::date(*days);
        break;
      case ColumnType::kTimestamp:
        if (auto ts = parse_timestamp(text(column))) return Value::timestamp(ts->micros, ts->offset_minutes);
        break;
      default: break;
    }
    // A value that does not fit its declared type (SQLite's typing is per value): its text.
    return Value::string(arena.copy(text(column)));
  }

 private:
  // Types from the declared column types; an expression column (no declared type) takes the storage
  // class of its first value.
  void describe(bool has_row) {
    const int n = sqlite3_column_count(stmt_.get());
    for (int i = 0; i < n; ++i) {
      Column col;
      col.name = sqlite3_column_name(stmt_.get(), i);
      const char* declared = sqlite3_column_decltype(stmt_.get(), i);
      col.type = declared_type(declared);
      if (declared == nullptr && has_row) {
        switch (sqlite3_column_type(stmt_.get(), i)) {
          case SQLITE_INTEGER: col.type = ColumnType::kLong; break;
          case SQLITE_FLOAT: col.type = ColumnType::kDouble; break;
          case SQLITE_BLOB: col.type = ColumnType::kBytes; break;
          default: break;
        }
      }
      columns_.push_back(std::move(col));
    }
  }

  sqlite3* db_;
  Handle stmt_;
  std::vector<Column> columns_;
  bool done_ = false;
};

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override { sqlite3_close_v2(db_); }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  [[nodiscard]] Dialect dialect() const override { return Dialect::kSqlite; }
  [[nodiscard]] bool healthy() const override { return !broken_; }
  // IMMEDIATE takes the write lock up front, so two writers wait for each other (busy timeout) instead of
  // failing when a reader tries to become a writer.
  void begin() override { exec("BEGIN IMMEDIATE"); }
  void commit() override { exec("COMMIT"); }
  void rollback() noexcept override {
    if (sqlite3_get_autocommit(db_) != 0) return;  // nothing open (SQLite may have rolled back itself)
    if (sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr) != SQLITE_OK) broken_ = true;
  }
  std::unique_ptr<Statement> prepare(const std::string& sql, std::size_t /*param_count*/) override {
    return std::make_unique<SqliteStatement>(db_, prepare_handle(db_, sql));
  }
  std::unique_ptr<Rows> query(const std::string& sql, std::span<const Value> params) override {
    Handle stmt = prepare_handle(db_, sql);
    std::string scratch;
    bind(db_, stmt.get(), params, scratch);
    return std::make_unique<SqliteRows>(db_, std::move(stmt));
  }
  std::vector<std::string> table_columns(const std::string& schema, const std::string& table) override {
    const std::string database =
        schema.empty() ? "main" : schema;  // SQLite's schema is the attached database
    const Value args[] = {Value::string(table), Value::string(database)};
    auto rows = query("SELECT name FROM pragma_table_info(?1, ?2) ORDER BY cid", args);
    std::vector<std::string> names;
    while (rows->next()) names.emplace_back(rows->text(0));
    return names;
  }

 private:
  void exec(const char* sql) {
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) fail(db_, rc);
  }
  sqlite3* db_;
  bool broken_ = false;
};

}  // namespace

std::unique_ptr<Connection> connect_sqlite(const std::string& path, std::chrono::milliseconds busy_timeout) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = "cannot open SQLite database " + path + ": " +
                          (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close_v2(db);
    throw DatabaseError(message, transient_code(rc));
  }
  sqlite3_busy_timeout(db, static_cast<int>(busy_timeout.count()));
  sqlite3_extended_result_codes(db, 1);
  return std::make_unique<SqliteConnection>(db);
}

}  // namespace sluice::database
