#include "execute_sql.hpp"

#include <algorithm>
#include <charconv>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "database_service.hpp"
#include "database_specs.hpp"
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
constexpr std::string_view kOriginal = "original";
constexpr std::string_view kFailure = "failure";
constexpr std::string_view kRetry = "retry";
constexpr std::string_view kParamPrefix = "param.";

// No FlowFile (a scheduled run): expressions see no attributes.
class NoVariables final : public VariableSource {
 public:
  std::optional<std::string_view> lookup(std::string_view /*name*/, std::string& /*scratch*/) const override {
    return std::nullopt;
  }
  void for_each(const std::function<void(std::string_view, std::string_view)>& /*fn*/) const override {}
};

class ExecuteSql final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    const std::string sql = context.string_property("sql");
    std::size_t count = 0;
    // Numbered for whichever database the service serves; both forms are checked here, once.
    const Dialect dialect = context.service<DatabaseService>("connection").dialect();
    sql_ = number_placeholders(sql, dialect, count);
    params_.assign(count, std::string());
    for (const auto& [name, value] : context.dynamic_properties()) {
      std::size_t n = 0;
      const std::string_view digits =
          std::string_view(name).substr(std::min(name.size(), kParamPrefix.size()));
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
      if (!name.starts_with(kParamPrefix) || ec != std::errc() || end != digits.data() + digits.size() ||
          n == 0) {
        throw ProcessorError("property " + name + " is not a parameter (param.1, param.2, …)");
      }
      if (n > count) {
        throw ProcessorError(name + " has no `?` in the query (it has " + std::to_string(count) + ")");
      }
      params_[n - 1] = name;
    }
    for (std::size_t i = 0; i < count; ++i) {
      if (params_[i].empty())
        throw ProcessorError("the query's parameter " + std::to_string(i + 1) + " has no param." +
                             std::to_string(i + 1) + " property");
    }
    const auto max_rows = context.int_property("max_rows_per_flowfile");
    if (max_rows < 0) throw ProcessorError("max_rows_per_flowfile must not be negative");
    options_.max_rows_per_flowfile = static_cast<std::uint64_t>(max_rows);
    options_.emit_empty = true;
    scheduled_ = context.bool_property("run_on_schedule");
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    if (scheduled_) {
      const NoVariables none;
      if (!run(context, session, nullptr, none)) context.yield();
      return;
    }
    auto flowfiles = session.get(context.batch_size());
    if (flowfiles.empty()) {
      context.yield();
      return;
    }
    for (FlowFile& ff : flowfiles) run(context, session, &ff, FlowFileVariables(ff));
  }

 private:
  // Runs the query once; false when it failed (the input, if any, is routed with the reason).
  bool run(ProcessContext& context, ProcessSession& session, FlowFile* input,
           const VariableSource& variables) {
    auto& database = context.service<DatabaseService>("connection");
    const auto& writers = context.service<RecordWriterFactory>("writer");
    std::vector<FlowFile> results;
    std::string error;
    bool transient = false;
    try {
      values_.clear();
      for (const auto& name : params_)
        values_.push_back(context.expression(name).evaluate(variables, context.environment()));
      bound_.clear();  // an empty value binds NULL
      for (const auto& v : values_) bound_.push_back(v.empty() ? Value() : Value::string(v));
      auto lease = database.acquire();
      auto rows = lease->query(sql_, bound_);
      const std::uint64_t total = write_result(
          session, input, *rows, writers, options_, [&](FlowFile& ff) { results.push_back(ff); },
          [](const Rows&) {});
      for (FlowFile& ff : results) {
        session.put_attribute(ff, "executesql.row.count", std::to_string(total));
        session.report_receive(ff, database.transit_uri());
        session.transfer(ff, kSuccess);
      }
      if (input != nullptr) session.transfer(*input, kOriginal);
      return true;
    } catch (const DatabaseError& e) {
      error = e.what();
      transient = e.transient();
    } catch (const ExpressionError& e) {
      error = std::string("a parameter's expression failed: ") + e.what();
    }
    for (const FlowFile& ff : results) session.remove(ff);  // a result cut short by the error
    if (context.log_enabled(LogLevel::kWarn)) context.log(LogLevel::kWarn, "query failed: " + error);
    if (input != nullptr) {
      session.put_attribute(*input, "executesql.error", error);
      session.transfer(*input, transient ? kRetry : kFailure);
    }
    return false;
  }

  std::string sql_;
  std::vector<std::string> params_;  // the dynamic property giving each parameter, in order
  std::vector<std::string> values_;
  std::vector<Value> bound_;
  ResultOptions options_;
  bool scheduled_ = false;
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "ExecuteSQL";
  s.summary = "Runs a SQL query with parameters and writes its result set as records.";
  s.description =
      "Runs `sql` through the `connection` service and writes the rows with the `writer` service (at most "
      "`max_rows_per_flowfile` per FlowFile; an empty result gives one FlowFile with no records). Each `?` "
      "in "
      "the query is a parameter whose value is the dynamic property `param.N` (N from 1, in order of the "
      "`?`s), an expression evaluated against the incoming FlowFile's attributes: for example `param.1: "
      "${meter_id}`. Values are bound, never pasted into the SQL; an empty value binds NULL; the database "
      "converts the text to the type the query needs. A `?` inside a string literal, quoted identifier or "
      "comment is not a parameter. Triggered by each incoming FlowFile (results are its children; the input "
      "goes to `original`), or, with `run_on_schedule: true`, on the processor's schedule without input. "
      "A query the database refuses sends the input to `failure` with `executesql.error`; a lost connection "
      "or busy database to `retry`.";
  s.tags = {"database", "sql", "query", "select", "record", "postgresql", "sqlite"};
  s.input = InputRequirement::kAllowed;
  s.dynamic_properties = true;
  s.dynamic_properties_description = "`param.N`: the value of the query's N-th `?` (an expression).";
  s.properties = {
      connection_property(),
      rows_writer_property(),
      required_property("sql", PropertyKind::kString, "The query, with `?` for each parameter."),
      max_rows_property(),
      optional_property("run_on_schedule", PropertyKind::kBool, "false",
                        "Run on the schedule without an input FlowFile instead of once per input FlowFile."),
  };
  s.relationships = {{"success", "The result set, as records."},
                     {"original", "The input FlowFile, after its query ran."},
                     {"failure", "The input FlowFile whose query failed (`executesql.error`)."},
                     {"retry", "The input FlowFile whose database could not be reached or was busy."}};
  s.writes_attributes = {{"record.count", "Rows in this FlowFile."},
                         {"executesql.row.count", "Rows in the whole result."},
                         {"mime.type", "The writer's MIME type."},
                         {"executesql.error", "On failure or retry: the database's message."}};
  s.examples = {
      {"Daily consumption of the meter a request names",
       "processors:\n  lookup:\n    type: ExecuteSQL\n    properties:\n      connection: warehouse\n"
       "      writer: json\n      sql: SELECT day, kwh FROM daily WHERE meter_id = ? AND day = ?\n"
       "      param.1: ${meter_id}\n      param.2: ${day}\n"}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<ExecuteSql>();
}

}  // namespace

const ProcessorDefinition& execute_sql_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::database
