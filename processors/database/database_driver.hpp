// The narrow interface the database processors talk to, whatever the database: a connection that runs
// parameterized statements inside transactions and streams result rows. Implemented for PostgreSQL (libpq)
// and SQLite; the processors never see either library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/record_value.hpp"

namespace sluice::database {

enum class Dialect : std::uint8_t { kPostgres, kSqlite };

// An error the database (or the way to it) reported. `transient`: trying again later may succeed (the
// connection was lost, the server is shutting down, a serialization failure or deadlock, a busy SQLite
// file, no free connection in the pool); otherwise the statement or its data was refused.
class DatabaseError : public std::runtime_error {
 public:
  DatabaseError(const std::string& message, bool transient,
                std::optional<std::uint64_t> execution = std::nullopt)
      : std::runtime_error(message), transient_(transient), execution_(execution) {}
  [[nodiscard]] bool transient() const { return transient_; }
  // For Statement: which execution (0-based, in the order of add()) the database refused.
  [[nodiscard]] std::optional<std::uint64_t> execution() const { return execution_; }

 private:
  bool transient_;
  std::optional<std::uint64_t> execution_;
};

// The sluice type of a result column.
enum class ColumnType : std::uint8_t {
  kBoolean,
  kLong,
  kDouble,
  kDecimal,
  kString,
  kBytes,
  kDate,
  kTime,
  kTimestamp
};

struct Column {
  std::string name;
  ColumnType type = ColumnType::kString;
  int precision = 0;  // kDecimal
  int scale = 0;      // kDecimal
};

// At most this many executions of a Statement are in flight: the one a DatabaseError names is among the
// last kMaxInFlight added.
inline constexpr std::size_t kMaxInFlight = 512;

// A statement prepared once and executed many times with different parameters (one row of a batch each).
// Executions may be pipelined (PostgreSQL sends many before reading their results, so a batch does not
// pay one network round trip per row): an error surfaces from a later add() or from finish(), naming the
// execution it belongs to.
class Statement {
 public:
  virtual ~Statement() = default;
  // Binds `params` to $1… (PostgreSQL) / ?1… (SQLite) in order and queues (or runs) the statement. The
  // values are copied: `params` need not outlive the call.
  virtual void add(std::span<const Value> params) = 0;
  // Waits for every queued execution; returns the rows they changed in all.
  virtual std::uint64_t finish() = 0;
};

// The rows of a query, streamed one at a time (never the whole result in memory).
class Rows {
 public:
  virtual ~Rows() = default;
  // Moves to the next row; false at the end. columns() is known after the first call.
  virtual bool next() = 0;
  [[nodiscard]] virtual const std::vector<Column>& columns() const = 0;
  [[nodiscard]] virtual bool is_null(std::size_t column) const = 0;
  // The value of a column of the current row, of its column's type; text is copied into `arena`.
  [[nodiscard]] virtual Value value(std::size_t column, RecordArena& arena) const = 0;
  // The database's own text for a column of the current row (a max-value column's value as the database
  // will compare it); valid until next().
  [[nodiscard]] virtual std::string_view text(std::size_t column) const = 0;
};

class Connection {
 public:
  virtual ~Connection() = default;
  [[nodiscard]] virtual Dialect dialect() const = 0;
  // False once the connection is known to be unusable (it is then closed instead of pooled).
  [[nodiscard]] virtual bool healthy() const = 0;

  virtual void begin() = 0;
  virtual void commit() = 0;
  // Never throws: a failed rollback marks the connection unhealthy.
  virtual void rollback() noexcept = 0;

  // One prepared statement per connection at a time (the previous one is replaced).
  virtual std::unique_ptr<Statement> prepare(const std::string& sql, std::size_t param_count) = 0;
  // Runs a query with parameters; the result is read row by row while the Rows lives (one at a time).
  virtual std::unique_ptr<Rows> query(const std::string& sql, std::span<const Value> params) = 0;
  // The columns of `table` (optionally in `schema`), in table order; empty when there is no such table.
  virtual std::vector<std::string> table_columns(const std::string& schema, const std::string& table) = 0;
};

}  // namespace sluice::database
