#include "query_database_table.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <vector>

#include "database_service.hpp"
#include "database_specs.hpp"
#include "record_statement.hpp"
#include "result_records.hpp"
#include "sluice/record.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"
#include "sql_text.hpp"

namespace sluice::database {

namespace {

using standard::optional_property;
using standard::required_property;

constexpr std::string_view kSuccess = "success";
constexpr std::string_view kStatePrefix = "maxvalue.";

class QueryDatabaseTable final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    table_ = context.string_property("table");
    max_columns_ = split_list(context.string_property("max_value_columns"));
    columns_ = split_list(context.string_property("columns"));
    where_ = context.string_property("where");
    const auto max_rows = context.int_property("max_rows_per_flowfile");
    if (max_rows < 0) throw ProcessorError("max_rows_per_flowfile must not be negative");
    options_.max_rows_per_flowfile = static_cast<std::uint64_t>(max_rows);
    options_.schema_name = table_;
    if (!columns_.empty()) {  // the max-value columns are always selected: they are what is tracked
      for (const auto& m : max_columns_) {
        if (std::none_of(columns_.begin(), columns_.end(), [&](const auto& c) { return same_name(c, m); })) {
          columns_.push_back(m);
        }
      }
    }
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    auto& database = context.service<DatabaseService>("connection");
    const auto& writers = context.service<RecordWriterFactory>("writer");
    // The stored maxima: only rows past them are new.
    std::vector<Value> params;
    std::vector<std::string> stored;
    for (const auto& m : max_columns_) {
      if (auto value = session.get_state(std::string(kStatePrefix) + m)) stored.push_back(std::move(*value));
    }
    const bool incremental = !max_columns_.empty() && stored.size() == max_columns_.size();
    params.reserve(stored.size());
    for (const auto& s : stored) params.push_back(Value::string(s));

    std::uint64_t rows_out = 0;
    std::vector<std::string> last(max_columns_.size());
    std::vector<std::size_t> tracked;
    try {
      auto lease = database.acquire();
      const std::string sql = build_sql(lease->dialect(), incremental);
      auto rows = lease->query(sql, incremental ? std::span<const Value>(params) : std::span<const Value>());
      const std::string uri = database.transit_uri() + "/" + table_;
      rows_out = write_result(
          session, nullptr, *rows, writers, options_,
          [&](FlowFile& ff) {
            session.put_attribute(ff, "tablename", table_);
            session.report_receive(ff, uri);
            session.transfer(ff, kSuccess);
          },
          [&](const Rows& row) {
            if (tracked.empty()) tracked = tracked_columns(row.columns());
            for (std::size_t i = 0; i < tracked.size(); ++i) last[i].assign(row.text(tracked[i]));
          });
    } catch (const DatabaseError& e) {
      // Nothing was committed; the engine rolls back whatever this trigger created and backs off.
      throw ProcessorError("query of " + table_ + " failed: " + e.what());
    }
    if (rows_out == 0) {
      context.yield();
      return;
    }
    // Rows come ordered by the max-value columns, so the last one holds the new maxima. They are
    // committed with the FlowFiles that hold the rows: after a crash either both or neither are there.
    for (std::size_t i = 0; i < max_columns_.size(); ++i) {
      session.set_state(std::string(kStatePrefix) + max_columns_[i], last[i]);
    }
  }

 private:
  std::string build_sql(Dialect dialect, bool incremental) const {
    std::string sql = "SELECT ";
    if (columns_.empty()) {
      sql += "*";
    } else {
      for (std::size_t i = 0; i < columns_.size(); ++i)
        sql += (i > 0 ? ", " : "") + quote_identifier(columns_[i]);
    }
    sql += " FROM " + quote_table(table_);
    std::vector<std::string> conditions;
    if (!where_.empty()) conditions.push_back("(" + where_ + ")");
    for (const auto& m : max_columns_) conditions.push_back(quote_identifier(m) + " IS NOT NULL");
    if (incremental) {
      // A row comparison orders by the max-value columns in turn, like ORDER BY does.
      std::string left;
      std::string right;
      for (std::size_t i = 0; i < max_columns_.size(); ++i) {
        left += (i > 0 ? ", " : "") + quote_identifier(max_columns_[i]);
        right += (i > 0 ? ", " : "") + placeholder(dialect, i + 1);
      }
      conditions.push_back("(" + left + ") > (" + right + ")");
    }
    for (std::size_t i = 0; i < conditions.size(); ++i) sql += (i == 0 ? " WHERE " : " AND ") + conditions[i];
    if (!max_columns_.empty()) {
      sql += " ORDER BY ";
      for (std::size_t i = 0; i < max_columns_.size(); ++i)
        sql += (i > 0 ? ", " : "") + quote_identifier(max_columns_[i]);
    }
    return sql;
  }

  std::vector<std::size_t> tracked_columns(const std::vector<Column>& columns) const {
    std::vector<std::size_t> out;
    for (const auto& m : max_columns_) {
      auto it =
          std::find_if(columns.begin(), columns.end(), [&](const Column& c) { return same_name(c.name, m); });
      if (it == columns.end()) throw ProcessorError("max-value column " + m + " is not in the result");
      out.push_back(static_cast<std::size_t>(it - columns.begin()));
    }
    return out;
  }

  std::string table_;
  std::vector<std::string> columns_;
  std::vector<std::string> max_columns_;
  std::string where_;
  ResultOptions options_;
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "QueryDatabaseTable";
  s.summary = "Emits the rows of a table added since the last run, tracked by max-value columns.";
  s.description =
      "On each trigger selects the rows of `table` whose `max_value_columns` are past the largest values "
      "seen so far (a row comparison, so several columns order like ORDER BY), in that order, and writes "
      "them as records with the `writer` service, at most `max_rows_per_flowfile` per FlowFile. The new "
      "maxima are kept in the processor's durable state (`maxvalue.<column>`), committed in the same session "
      "as the FlowFiles holding the rows: after a restart or crash only rows not yet emitted come out. "
      "Without max-value columns every trigger emits the whole table. Rows whose max-value column is NULL "
      "are never emitted. As with any high-water mark, a row committed later with a value below the mark "
      "(a long transaction) is not seen: use a column the database assigns at commit order, such as an "
      "identity column written by one writer, or a modification timestamp with margin.";
  s.tags = {"database", "sql", "select", "incremental", "cdc", "postgresql", "sqlite"};
  s.input = InputRequirement::kForbidden;
  s.properties = {
      connection_property(),
      rows_writer_property(),
      required_property("table", PropertyKind::kString, "The table (schema.table allowed)."),
      optional_property("columns", PropertyKind::kString, std::nullopt,
                        "Comma-separated columns to select (all when unset); max-value columns are added."),
      optional_property("max_value_columns", PropertyKind::kString, std::nullopt,
                        "Comma-separated columns whose largest values mark what was already emitted."),
      optional_property("where", PropertyKind::kString, std::nullopt,
                        "An extra SQL condition, from the flow's author (never from data)."),
      max_rows_property(),
  };
  s.relationships = {{"success", "The new rows, as records."}};
  s.writes_attributes = {{"record.count", "Rows in the FlowFile."},
                         {"mime.type", "The writer's MIME type."},
                         {"tablename", "The table queried."}};
  s.examples = {{"New readings every minute as JSON",
                 "processors:\n  poll:\n    type: QueryDatabaseTable\n    schedule: { strategy: timer, "
                 "period: 1 min }\n"
                 "    properties:\n      connection: warehouse\n      writer: json\n      table: readings\n"
                 "      max_value_columns: id\n      max_rows_per_flowfile: 10000\n"}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<QueryDatabaseTable>();
}

}  // namespace

const ProcessorDefinition& query_database_table_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::database
