#include "filter_record.hpp"

#include <memory>
#include <string>
#include <vector>

#include "record_pass.hpp"
#include "record_specs.hpp"
#include "record_variables.hpp"
#include "sluice/record.hpp"
#include "sluice/sdk.hpp"
#include "string_output.hpp"

namespace sluice::records {

namespace {

constexpr std::string_view kMatched = "matched";
constexpr std::string_view kUnmatched = "unmatched";
constexpr std::string_view kOriginal = "original";
constexpr std::string_view kFailure = "failure";
constexpr std::string_view kQueryAttribute = "record.query";

struct Output {
  std::string name;
  StringOutput out;
  std::unique_ptr<RecordWriter> writer;
};

class FilterRecord final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    queries_.clear();
    for (const auto& [name, expression] : context.dynamic_properties()) queries_.push_back(name);
    if (queries_.empty())
      throw ProcessorError("give at least one dynamic property: query name -> boolean expression");
    mime_ = std::string(context.service<RecordWriterFactory>("writer").mime_type());
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    const auto& readers = context.service<RecordReaderFactory>("reader");
    const auto& writers = context.service<RecordWriterFactory>("writer");
    for (FlowFile& ff : session.get(context.batch_size())) filter(context, readers, writers, session, ff);
  }

 private:
  void filter(ProcessContext& context, const RecordReaderFactory& readers, const RecordWriterFactory& writers,
              ProcessSession& session, FlowFile& ff) {
    RecordPass pass;
    Record record;                                     // per call: triggers may run concurrently
    std::vector<Output> outputs(queries_.size() + 1);  // the last one: unmatched
    std::vector<std::uint64_t> counts(outputs.size(), 0);
    const EvaluationEnvironment env = context.environment();
    const bool readable = pass.run(session, ff, readers, [&](RecordReader& reader) {
      auto emit = [&](std::size_t i) {
        if (!outputs[i].writer) outputs[i].writer = writers.open(outputs[i].out, reader.schema());
        outputs[i].writer->write(record);
        ++counts[i];
      };
      while (pass.next(reader, record)) {
        const RecordVariables variables(record, ff);
        bool matched = false;
        std::string error;
        for (std::size_t q = 0; q < queries_.size() && error.empty(); ++q) {
          try {
            if (context.expression(queries_[q]).evaluate_bool(variables, env)) {
              emit(q);
              matched = true;
            }
          } catch (const ExpressionError& e) {
            error = "query '" + queries_[q] + "': " + e.what();
          }
        }
        if (!error.empty()) {
          pass.invalid().add(reader, error, reader.position());
        } else if (!matched) {
          emit(queries_.size());
        }
      }
    });
    if (!readable) {
      fail_whole(session, ff, kFailure, pass.unreadable());
      return;
    }
    for (std::size_t i = 0; i < outputs.size(); ++i) {
      if (!outputs[i].writer) continue;
      outputs[i].writer->finish();
      FlowFile child = emit_child(session, ff, outputs[i].out, counts[i], mime_);
      if (i < queries_.size()) {
        session.put_attribute(child, kQueryAttribute, queries_[i]);
        session.transfer(child, kMatched);
      } else {
        session.transfer(child, kUnmatched);
      }
    }
    if (!pass.invalid().empty()) pass.invalid().emit(session, ff, kFailure);
    session.transfer(ff, kOriginal);
  }

  std::vector<std::string> queries_;
  std::string mime_;
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "FilterRecord";
  s.summary = "Routes records by named boolean expressions over their fields.";
  s.description =
      "Each dynamic property is a query: a name and a boolean expression in which the record's fields are "
      "variables (`${kwh:gt(100)}`, `${status:equals('FAULT')}`). For each input, the records matching a "
      "query "
      "go to `matched` in one FlowFile per query, named by the `record.query` attribute (route on it to give "
      "each query its own path); a record matching several queries goes to each. Records matching none go to "
      "`unmatched`. The input goes to `original`; unreadable records and expression errors go to `failure`.";
  s.tags = {"record", "filter", "query", "route", "expression"};
  s.input = InputRequirement::kRequired;
  s.dynamic_properties = true;
  s.dynamic_properties_description = "A query name, and the boolean expression records must satisfy.";
  s.properties = {reader_property(), writer_property()};
  s.relationships = {
      {"matched", "Records matching a query; one FlowFile per query, `record.query` names it."},
      {"unmatched", "Records matching no query."},
      {"original", "The input FlowFile, unchanged."},
      {"failure", "Records that could not be read or evaluated, with the reasons."}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<FilterRecord>();
}

}  // namespace

const ProcessorDefinition& filter_record_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::records
