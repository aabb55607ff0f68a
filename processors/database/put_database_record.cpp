#include "put_database_record.hpp"

#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "database_service.hpp"
#include "database_specs.hpp"
#include "record_statement.hpp"
#include "sluice/record.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::database {

namespace {

using standard::enum_property;
using standard::optional_property;
using standard::required_property;

constexpr std::string_view kSuccess = "success";
constexpr std::string_view kFailure = "failure";
constexpr std::string_view kRetry = "retry";

// Why a FlowFile did not make it, and where it goes.
struct Outcome {
  std::string_view relationship = kSuccess;
  std::string error;
};

StatementType statement_type(const std::string& name) {
  if (name == "UPSERT") return StatementType::kUpsert;
  if (name == "UPDATE") return StatementType::kUpdate;
  if (name == "DELETE") return StatementType::kDelete;
  return StatementType::kInsert;
}

class PutDatabaseRecord final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    type_ = statement_type(context.string_property("statement_type"));
    keys_ = split_list(context.string_property("key_columns"));
    fail_unmatched_ = context.string_property("unmatched_fields") == "fail";
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    auto flowfiles = session.get(context.batch_size());
    if (flowfiles.empty()) return;
    auto& database = context.service<DatabaseService>("connection");
    const auto& readers = context.service<RecordReaderFactory>("reader");
    std::optional<ConnectionLease> lease;
    std::string unreachable;  // once no connection could be had, the rest of the batch does not wait again
    for (FlowFile& ff : flowfiles) {
      Outcome outcome{kRetry, unreachable};
      std::string table;
      try {
        table = context.expression("table").evaluate(FlowFileVariables(ff), context.environment());
      } catch (const ExpressionError& e) {
        outcome = {kFailure, std::string("table: ") + e.what()};
      }
      std::uint64_t rows = 0;
      std::uint64_t affected = 0;
      if (unreachable.empty() && !table.empty()) {
        try {
          if (!lease) lease.emplace(database.acquire());
          outcome = put(**lease, readers, session, ff, table, rows, affected);
        } catch (const DatabaseError& e) {  // no connection (the FlowFile's own errors are in `outcome`)
          outcome = {kRetry, e.what()};
          unreachable = e.what();
        }
      } else if (table.empty() && outcome.error.empty()) {
        outcome = {kFailure, "the table expression gave an empty name"};
      }
      if (lease && !(*lease)->healthy()) lease.reset();  // a fresh connection for the next FlowFile
      if (outcome.relationship == kSuccess) {
        session.put_attribute(ff, "database.record.count", std::to_string(rows));
        session.put_attribute(ff, "database.rows.affected", std::to_string(affected));
        session.remove_attribute(ff, "database.error");
        session.report_send(ff, database.transit_uri() + "/" + table);
      } else {
        session.put_attribute(ff, "database.error", outcome.error);
        if (context.log_enabled(LogLevel::kWarn)) {
          context.log(LogLevel::kWarn, "FlowFile " + ff.uuid() + " to " + std::string(outcome.relationship) +
                                           ": " + outcome.error);
        }
      }
      session.transfer(ff, outcome.relationship);
    }
  }

 private:
  // Writes the FlowFile's records in one transaction: all of them, or none.
  Outcome put(Connection& connection, const RecordReaderFactory& readers, ProcessSession& session,
              const FlowFile& ff, const std::string& table, std::uint64_t& rows, std::uint64_t& affected) {
    Outcome outcome;
    bool open = false;
    try {
      session.read(ff, [&](InputStream& in) {
        std::unique_ptr<RecordReader> reader;
        try {
          reader = readers.open(in.view());
        } catch (const std::exception& e) {
          outcome = {kFailure, std::string("cannot read the records: ") + e.what()};
          return;
        }
        const RecordStatement* statement = plan(connection, reader->schema(), table, outcome);
        if (statement == nullptr) return;
        connection.begin();
        open = true;
        auto prepared = connection.prepare(statement->sql, statement->fields.size());
        params_.resize(statement->fields.size());
        while (true) {
          const ReadStatus status = reader->next(record_);
          if (status == ReadStatus::kEnd) break;
          if (status == ReadStatus::kInvalid) {
            outcome = {kFailure, "invalid record at " + describe(reader->issue().position) + ": " +
                                     reader->issue().reason};
            return;
          }
          for (std::size_t i = 0; i < statement->fields.size(); ++i)
            params_[i] = record_[statement->fields[i]];
          // Where each execution in flight came from, to name the record the database refuses.
          positions_[rows % kMaxInFlight] = reader->position();
          ++rows;
          if (!execute(*prepared, outcome)) return;
        }
        if (!execute(*prepared, outcome, true)) return;
        connection.commit();
        open = false;
        affected = affected_;
      });
    } catch (const DatabaseError& e) {
      outcome = {e.transient() ? kRetry : kFailure, e.what()};
    }
    if (open) connection.rollback();
    if (outcome.relationship != kSuccess) plans_.clear();  // the table may have changed: look again next time
    return outcome;
  }

  // Adds the current record's execution (or, at the end, waits for all); false with `outcome` set when the
  // database refused one.
  bool execute(Statement& statement, Outcome& outcome, bool last = false) {
    try {
      if (last) {
        affected_ = statement.finish();
      } else {
        statement.add(params_);
      }
      return true;
    } catch (const DatabaseError& e) {
      std::string where;
      if (e.execution()) where = "at " + describe(positions_[*e.execution() % kMaxInFlight]) + ": ";
      outcome = {e.transient() ? kRetry : kFailure, where + e.what()};
      return false;
    }
  }

  // The statement for records of `schema` into `table`, cached by table and field names (readers that
  // infer a schema make a new one per FlowFile, usually with the same fields).
  const RecordStatement* plan(Connection& connection, const DataTypePtr& schema, const std::string& table,
                              Outcome& outcome) {
    key_ = table;
    for (const auto& field : schema->fields) {
      key_ += '\0';
      key_ += field.name;
    }
    if (auto it = plans_.find(key_); it != plans_.end()) return &it->second;
    if (plans_.size() >= kMaxPlans) plans_.clear();
    StatementRequest request;
    request.type = type_;
    request.dialect = connection.dialect();
    request.table = table;
    request.key_columns = keys_;
    request.fail_unmatched_fields = fail_unmatched_;
    const auto dot = table.rfind('.');
    request.columns = dot == std::string::npos
                          ? connection.table_columns("", table)
                          : connection.table_columns(table.substr(0, dot), table.substr(dot + 1));
    if (request.columns.empty()) {
      outcome = {kFailure, "table " + table + " does not exist (or has no columns)"};
      return nullptr;
    }
    try {
      return &plans_.emplace(key_, build_record_statement(*schema, request)).first->second;
    } catch (const std::invalid_argument& e) {
      outcome = {kFailure, e.what()};
      return nullptr;
    }
  }

  StatementType type_ = StatementType::kInsert;
  std::vector<std::string> keys_;
  bool fail_unmatched_ = false;
  static constexpr std::size_t kMaxPlans = 64;
  std::map<std::string, RecordStatement, std::less<>> plans_;
  std::string key_;
  Record record_;
  std::vector<Value> params_;
  std::vector<RecordPosition> positions_ = std::vector<RecordPosition>(kMaxInFlight);
  std::uint64_t affected_ = 0;
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "PutDatabaseRecord";
  s.summary =
      "Inserts, upserts, updates or deletes a FlowFile's records in a database table, all or nothing.";
  s.description =
      "Reads each FlowFile's records with the `reader` service and applies them to `table` through the "
      "`connection` service (PostgreSQL or SQLite), one transaction per FlowFile: either every record is "
      "applied or none is. Record fields map to table columns by name (exactly, else ignoring case); fields "
      "without a column are ignored or fail the FlowFile (`unmatched_fields`). Values are always bound as "
      "parameters of a prepared statement and identifiers are quoted: no SQL is built from data. "
      "UPSERT is `INSERT … ON CONFLICT (key_columns) DO UPDATE` (PostgreSQL and SQLite alike); UPDATE sets "
      "the non-key columns of the row the key columns select; DELETE deletes by the key columns (all mapped "
      "fields when no keys are given). A record the database refuses, or one the reader cannot read, rolls "
      "the whole FlowFile back and sends it to `failure` with `database.error` naming the record and the "
      "database's message; a lost connection, a deadlock or a busy database sends it to `retry`. Delivery is "
      "at least once: a crash between the database's commit and the session's repeats the FlowFile, which "
      "UPSERT makes harmless.";
  s.tags = {"database", "sql", "insert", "upsert", "record", "postgresql", "sqlite"};
  s.input = InputRequirement::kRequired;
  s.properties = {
      connection_property(),
      service_property("reader", kRecordReaderInterface, "Reads the FlowFile's records."),
      enum_property("statement_type", "INSERT",
                    {{"INSERT", "Insert each record."},
                     {"UPSERT", "Insert, or update the row with the same key columns."},
                     {"UPDATE", "Update the row the key columns select."},
                     {"DELETE", "Delete the rows the key columns (or all fields) select."}},
                    "What to do with each record."),
      required_property("table", PropertyKind::kExpression,
                        "The table (schema.table allowed), per FlowFile."),
      optional_property("key_columns", PropertyKind::kString, std::nullopt,
                        "Comma-separated key columns (needed by UPSERT and UPDATE)."),
      enum_property("unmatched_fields", "ignore",
                    {{"ignore", "Fields without a column are not written."},
                     {"fail", "A field without a column fails the FlowFile."}},
                    "What to do with a record field that has no column."),
  };
  s.relationships = {
      {"success", "Every record was applied (committed)."},
      {"failure", "A record was refused or unreadable: nothing was applied (`database.error`)."},
      {"retry", "The database could not be reached or was busy: nothing was applied."}};
  s.writes_attributes = {{"database.record.count", "Records applied."},
                         {"database.rows.affected", "Rows the statements changed."},
                         {"database.error", "On failure or retry: the record and the database's message."}};
  s.examples = {{"Upsert meter readings",
                 "processors:\n  store:\n    type: PutDatabaseRecord\n    properties:\n"
                 "      connection: warehouse\n      reader: csv\n      statement_type: UPSERT\n"
                 "      table: readings\n      key_columns: meter_id, read_at\n"}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<PutDatabaseRecord>();
}

}  // namespace

const ProcessorDefinition& put_database_record_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::database
