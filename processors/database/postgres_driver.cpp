#include "postgres_driver.hpp"

#include <charconv>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

#include <libpq-fe.h>

namespace sluice::database {

namespace {

// Type OIDs from the catalog (pg_type.dat): stable across PostgreSQL versions.
constexpr Oid kBool = 16;
constexpr Oid kBytea = 17;
constexpr Oid kInt8 = 20;
constexpr Oid kInt2 = 21;
constexpr Oid kInt4 = 23;
constexpr Oid kOid = 26;
constexpr Oid kFloat4 = 700;
constexpr Oid kFloat8 = 701;
constexpr Oid kDate = 1082;
constexpr Oid kTime = 1083;
constexpr Oid kTimestamp = 1114;
constexpr Oid kTimestampTz = 1184;
constexpr Oid kNumeric = 1700;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

// SQLSTATE classes worth trying again: connection exceptions (08), serialization failures and deadlocks
// (40001, 40P01), insufficient resources (53), operator intervention (57: shutdown, cancel).
bool transient_state(const char* sqlstate) {
  if (sqlstate == nullptr) return false;
  const std::string_view s(sqlstate);
  return s.starts_with("08") || s == "40001" || s == "40P01" || s.starts_with("53") || s.starts_with("57");
}

std::string trimmed(const char* message) {
  std::string m = message != nullptr ? message : "";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

Column column_of(const PGresult* result, int i) {
  Column c;
  c.name = PQfname(result, i);
  switch (PQftype(result, i)) {
    case kBool: c.type = ColumnType::kBoolean; break;
    case kBytea: c.type = ColumnType::kBytes; break;
    case kInt2:
    case kInt4:
    case kInt8:
    case kOid: c.type = ColumnType::kLong; break;
    case kFloat4:
    case kFloat8: c.type = ColumnType::kDouble; break;
    case kDate: c.type = ColumnType::kDate; break;
    case kTime: c.type = ColumnType::kTime; break;
    case kTimestamp:
    case kTimestampTz: c.type = ColumnType::kTimestamp; break;
    case kNumeric: {
      // numeric(p, s) has typmod ((p << 16) | s) + 4; an unconstrained numeric has no fixed scale, so it is
      // kept exact as text.
      const int mod = PQfmod(result, i);
      if (mod >= 4) {
        c.type = ColumnType::kDecimal;
        c.precision = ((mod - 4) >> 16) & 0xFFFF;
        c.scale = (mod - 4) & 0xFFFF;
      }
      break;
    }
    default: break;  // text, varchar, uuid, json, …: their text
  }
  return c;
}

// Parameters for libpq: every Value as its text (the server converts it to the column's type), bytes in
// binary format so they need no escaping. Reused from row to row: no allocation per row once grown.
class Params {
 public:
  void set(std::span<const Value> params) {
    const std::size_t n = params.size();
    text_.resize(n);
    values_.resize(n);
    lengths_.resize(n);
    formats_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const Value& v = params[i];
      text_[i].clear();
      formats_[i] = 0;
      if (v.kind() == ValueKind::kBytes) {
        formats_[i] = 1;
        text_[i].assign(v.as_text());
      } else if (v.kind() == ValueKind::kBoolean) {
        text_[i] = v.as_bool() ? "true" : "false";
      } else if (!v.is_null()) {
        append_text(v, text_[i]);
      }
      lengths_[i] = static_cast<int>(text_[i].size());
    }
    for (std::size_t i = 0; i < n; ++i) values_[i] = params[i].is_null() ? nullptr : text_[i].c_str();
  }
  [[nodiscard]] int count() const { return static_cast<int>(values_.size()); }
  [[nodiscard]] const char* const* values() const { return values_.data(); }
  [[nodiscard]] const int* lengths() const { return lengths_.data(); }
  [[nodiscard]] const int* formats() const { return formats_.data(); }

 private:
  std::vector<std::string> text_;
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

class PostgresConnection;

// Executions are pipelined (libpq's pipeline mode): up to kMaxInFlight are sent before their results are
// read at a sync point, so a batch costs one round trip per kMaxInFlight rows instead of one per row.
class PostgresStatement final : public Statement {
 public:
  PostgresStatement(PostgresConnection& owner, std::size_t param_count)
      : owner_(owner), count_(param_count) {}
  ~PostgresStatement() override;
  PostgresStatement(const PostgresStatement&) = delete;
  PostgresStatement& operator=(const PostgresStatement&) = delete;
  void add(std::span<const Value> params) override;
  std::uint64_t finish() override;

 private:
  // Sends a sync and reads the results of everything in flight; throws the first error.
  void drain();

  PostgresConnection& owner_;
  std::size_t count_;
  Params params_;
  bool pipelined_ = false;
  std::size_t in_flight_ = 0;
  std::uint64_t executions_ = 0;  // results read so far
  std::uint64_t changed_ = 0;
};

class PostgresRows final : public Rows {
 public:
  explicit PostgresRows(PostgresConnection& owner) : owner_(owner) {}
  ~PostgresRows() override;
  PostgresRows(const PostgresRows&) = delete;
  PostgresRows& operator=(const PostgresRows&) = delete;
  bool next() override;
  [[nodiscard]] const std::vector<Column>& columns() const override { return columns_; }
  [[nodiscard]] bool is_null(std::size_t column) const override {
    return PQgetisnull(row_.get(), 0, static_cast<int>(column)) != 0;
  }
  [[nodiscard]] std::string_view text(std::size_t column) const override {
    const int c = static_cast<int>(column);
    return {PQgetvalue(row_.get(), 0, c), static_cast<std::size_t>(PQgetlength(row_.get(), 0, c))};
  }
  [[nodiscard]] Value value(std::size_t column, RecordArena& arena) const override;

 private:
  PostgresConnection& owner_;
  Result row_;
  std::vector<Column> columns_;
  bool done_ = false;
};

class PostgresConnection final : public Connection {
 public:
  explicit PostgresConnection(PGconn* conn) : conn_(conn) {}
  ~PostgresConnection() override { PQfinish(conn_); }
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  [[nodiscard]] Dialect dialect() const override { return Dialect::kPostgres; }
  [[nodiscard]] bool healthy() const override { return !broken_ && PQstatus(conn_) == CONNECTION_OK; }

  void begin() override { command("BEGIN"); }
  void commit() override { command("COMMIT"); }
  void rollback() noexcept override {
    if (PQstatus(conn_) != CONNECTION_OK) return;
    const Result r(PQexec(conn_, "ROLLBACK"));
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) broken_ = true;
  }

  std::unique_ptr<Statement> prepare(const std::string& sql, std::size_t param_count) override {
    const Result r(PQprepare(conn_, "", sql.c_str(), static_cast<int>(param_count), nullptr));
    check(r.get(), PGRES_COMMAND_OK);
    return std::make_unique<PostgresStatement>(*this, param_count);
  }

  std::unique_ptr<Rows> query(const std::string& sql, std::span<const Value> params) override {
    Params p;
    p.set(params);
    if (PQsendQueryParams(conn_, sql.c_str(), p.count(), nullptr, p.values(), p.lengths(), p.formats(), 0) ==
        0) {
      fail(nullptr);
    }
    // Single-row mode: the rows come one at a time, so a large result never sits in memory whole.
    PQsetSingleRowMode(conn_);
    return std::make_unique<PostgresRows>(*this);
  }

  std::vector<std::string> table_columns(const std::string& schema, const std::string& table) override {
    const std::string sql =
        "SELECT a.attname FROM pg_catalog.pg_attribute a WHERE a.attrelid = to_regclass($1) "
        "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";
    std::string qualified = schema.empty() ? std::string() : quote(schema) + ".";
    qualified += quote(table);
    const Value param = Value::string(qualified);
    std::vector<std::string> names;
    auto rows = query(sql, std::span<const Value>(&param, 1));
    while (rows->next()) names.emplace_back(rows->text(0));
    return names;
  }

  PGconn* raw() { return conn_; }

  // Throws the error `result` carries unless it has the expected status.
  void check(const PGresult* result, ExecStatusType expected) {
    if (result != nullptr && PQresultStatus(result) == expected) return;
    fail(result);
  }
  [[noreturn]] void fail(const PGresult* result) {
    const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const bool lost = PQstatus(conn_) != CONNECTION_OK;
    if (lost) broken_ = true;
    std::string message = trimmed(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn_));
    if (message.empty()) message = trimmed(PQerrorMessage(conn_));
    if (state != nullptr) message += std::string(" (SQLSTATE ") + state + ")";
    throw DatabaseError(message, lost || transient_state(state));
  }

 private:
  static std::string quote(const std::string& identifier) {
    std::string out = "\"";
    for (const char c : identifier) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
    return out;
  }
  void command(const char* sql) {
    const Result r(PQexec(conn_, sql));
    check(r.get(), PGRES_COMMAND_OK);
  }

  PGconn* conn_;
  bool broken_ = false;
};

PostgresStatement::~PostgresStatement() {
  if (!pipelined_) return;
  try {
    drain();  // a batch abandoned half-way: read what is in flight so the connection can go on
  } catch (const DatabaseError&) {  // NOLINT(bugprone-empty-catch): the caller already has its outcome
  }
  if (pipelined_ && PQexitPipelineMode(owner_.raw()) == 1) pipelined_ = false;
}

void PostgresStatement::add(std::span<const Value> params) {
  if (!pipelined_) {
    if (PQenterPipelineMode(owner_.raw()) != 1) owner_.fail(nullptr);
    pipelined_ = true;
  }
  params_.set(params.first(count_));
  if (PQsendQueryPrepared(owner_.raw(), "", params_.count(), params_.values(), params_.lengths(),
                          params_.formats(), 0) != 1) {
    owner_.fail(nullptr);
  }
  if (++in_flight_ >= kMaxInFlight) drain();
}

std::uint64_t PostgresStatement::finish() {
  if (pipelined_) {
    drain();
    if (PQexitPipelineMode(owner_.raw()) != 1) owner_.fail(nullptr);
    pipelined_ = false;
  }
  return changed_;
}

void PostgresStatement::drain() {
  if (in_flight_ == 0) return;
  PGconn* conn = owner_.raw();
  if (PQpipelineSync(conn) != 1) owner_.fail(nullptr);
  Result error;
  std::uint64_t failed = 0;
  // Each execution's result is followed by a null; after the first error the rest come back aborted;
  // the sync's own result ends the batch.
  while (true) {
    Result r(PQgetResult(conn));
    if (r == nullptr) {
      if (PQstatus(conn) != CONNECTION_OK) owner_.fail(nullptr);
      continue;
    }
    const ExecStatusType status = PQresultStatus(r.get());
    if (status == PGRES_PIPELINE_SYNC) break;
    if (status == PGRES_COMMAND_OK) {
      const char* affected = PQcmdTuples(r.get());
      std::uint64_t count = 0;
      std::from_chars(affected, affected + std::strlen(affected), count);
      changed_ += count;
    } else if (status != PGRES_PIPELINE_ABORTED && error == nullptr) {
      error = std::move(r);
      failed = executions_;
    }
    ++executions_;
  }
  in_flight_ = 0;
  if (error != nullptr) {
    try {
      owner_.fail(error.get());
    } catch (const DatabaseError& e) {
      throw DatabaseError(e.what(), e.transient(), failed);
    }
  }
}

PostgresRows::~PostgresRows() {
  // Drain what is left (a reader that stopped early) so the connection is ready for the next command.
  row_.reset();
  while (PGresult* r = PQgetResult(owner_.raw())) PQclear(r);
}

bool PostgresRows::next() {
  if (done_) return false;
  row_.reset(PQgetResult(owner_.raw()));
  const ExecStatusType status = row_ != nullptr ? PQresultStatus(row_.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_SINGLE_TUPLE || status == PGRES_TUPLES_OK) {
    if (columns_.empty()) {
      const int n = PQnfields(row_.get());
      for (int i = 0; i < n; ++i) columns_.push_back(column_of(row_.get(), i));
    }
    if (status == PGRES_SINGLE_TUPLE) return true;
    done_ = true;
    return false;
  }
  if (status == PGRES_COMMAND_OK) {  // a statement without a result set (INSERT, UPDATE, …): no rows
    done_ = true;
    while (PGresult* r = PQgetResult(owner_.raw())) PQclear(r);
    return false;
  }
  done_ = true;
  Result failed = std::move(row_);
  while (PGresult* r = PQgetResult(owner_.raw())) PQclear(r);
  owner_.fail(failed.get());
}

// PostgreSQL's text output (the session runs with TimeZone=UTC and DateStyle=ISO).
Value PostgresRows::value(std::size_t column, RecordArena& arena) const {
  if (is_null(column)) return {};
  const std::string_view t = text(column);
  switch (columns_[column].type) {
    case ColumnType::kBoolean: return Value::boolean(t == "t");
    case ColumnType::kLong: {
      std::int64_t i = 0;
      std::from_chars(t.data(), t.data() + t.size(), i);
      return Value::integer(i);
    }
    case ColumnType::kDouble: {
      double d = 0;
      std::from_chars(t.data(), t.data() + t.size(), d);
      return Value::real(d);
    }
    case ColumnType::kDecimal: return Value::decimal(arena.copy(t));
    case ColumnType::kDate:
      if (auto days = parse_date(t)) return Value::date(*days);
      break;
    case ColumnType::kTime:
      if (auto micros = parse_time(t)) return Value::time(*micros);
      break;
    case ColumnType::kTimestamp: {
      // timestamptz prints its offset as +00 (hours only): complete it for the ISO 8601 parser.
      std::string full(t);
      if (full.size() > 3 && (full[full.size() - 3] == '+' || full[full.size() - 3] == '-')) full += ":00";
      if (auto ts = parse_timestamp(full)) return Value::timestamp(ts->micros, ts->offset_minutes);
      break;
    }
    case ColumnType::kBytes: {
      // bytea in hex output: \x0a1b…
      if (!t.starts_with("\\x")) break;
      std::string raw;
      raw.reserve((t.size() - 2) / 2);
      for (std::size_t i = 2; i + 1 < t.size(); i += 2) {
        unsigned byte = 0;
        std::from_chars(t.data() + i, t.data() + i + 2, byte, 16);
        raw += static_cast<char>(byte);
      }
      return Value::bytes(arena.copy(raw));
    }
    case ColumnType::kString: break;
  }
  return Value::string(arena.copy(t));
}

}  // namespace

std::unique_ptr<Connection> connect_postgres(const PostgresSettings& settings) {
  std::vector<const char*> keys;
  std::vector<const char*> values;
  auto add = [&](const char* key, const std::string& value) {
    if (value.empty()) return;
    keys.push_back(key);
    values.push_back(value.c_str());
  };
  add("dbname", settings.url);  // expanded (expand_dbname) when it is a URI or key=value string
  add("host", settings.host);
  add("port", settings.port);
  if (!settings.database.empty()) add("dbname", settings.database);
  add("user", settings.user);
  add("password", settings.password);
  add("sslmode", settings.sslmode);
  add("sslrootcert", settings.ssl_root_cert);
  add("connect_timeout", settings.connect_timeout_s);
  static const std::string kApplication = "sluice";
  static const std::string kOptions = "-c TimeZone=UTC -c DateStyle=ISO";
  add("application_name", kApplication);
  add("options", kOptions);
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* conn = PQconnectdbParams(keys.data(), values.data(), 1);
  if (conn == nullptr) throw DatabaseError("cannot allocate a PostgreSQL connection", true);
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = "cannot connect to PostgreSQL: " + trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    throw DatabaseError(message, true);
  }
  return std::make_unique<PostgresConnection>(conn);
}

}  // namespace sluice::database
