#include "partition_record.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
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

constexpr std::string_view kSuccess = "success";
constexpr std::string_view kOriginal = "original";
constexpr std::string_view kFailure = "failure";

// What one dynamic property groups by: a record path, or an expression over the record's fields.
struct KeyPart {
  std::string attribute;
  std::optional<RecordPath> path;          // when the value is a plain record path
  const Expression* expression = nullptr;  // when it holds `${...}`
};

struct Partition {
  std::vector<std::optional<std::string>> values;  // per key part; nullopt for null or missing
  StringOutput out;
  std::unique_ptr<RecordWriter> writer;
  std::uint64_t count = 0;
};

class PartitionRecord final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    parts_.clear();
    for (const auto& [attribute, text] : context.dynamic_properties()) {
      KeyPart part{attribute, std::nullopt, nullptr};
      const Expression& expression = context.expression(attribute);
      if (!expression.is_literal()) {
        part.expression = &expression;
      } else {
        try {
          part.path = RecordPath::compile(text);
        } catch (const std::invalid_argument& e) {
          throw ProcessorError(std::string("property '") + attribute + "': " + e.what());
        }
      }
      parts_.push_back(std::move(part));
    }
    if (parts_.empty()) {
      throw ProcessorError("give at least one dynamic property: attribute name -> record path or expression");
    }
    mime_ = std::string(context.service<RecordWriterFactory>("writer").mime_type());
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    const auto& readers = context.service<RecordReaderFactory>("reader");
    const auto& writers = context.service<RecordWriterFactory>("writer");
    const EvaluationEnvironment env = context.environment();
    // Per trigger, not members: with `concurrency` above 1 triggers run at once on this processor.
    Scratch scratch;
    scratch.values.resize(parts_.size());
    for (FlowFile& ff : session.get(context.batch_size())) {
      partition(readers, writers, env, session, ff, scratch);
    }
  }

 private:
  // What one trigger reuses from record to record.
  struct Scratch {
    Record record;
    std::vector<std::optional<std::string>> values;  // the current record's key parts
    std::string key;
    std::string error;
  };

  // The text of each key part for the current record, into `values[i]` (nullopt for a null or missing
  // value); false with `error` set when an expression fails.
  bool evaluate_parts(const FlowFile& ff, const EvaluationEnvironment& env, Scratch& scratch) const {
    for (std::size_t i = 0; i < parts_.size(); ++i) {
      const KeyPart& part = parts_[i];
      auto& value = scratch.values[i];
      if (part.expression != nullptr) {
        try {
          value = part.expression->evaluate(RecordVariables(scratch.record, ff), env);
        } catch (const ExpressionError& e) {
          scratch.error = "property '" + part.attribute + "': " + e.what();
          return false;
        }
        continue;
      }
      const Value* v = part.path->get(scratch.record);
      if (v == nullptr || v->is_null()) {
        value.reset();
      } else {
        if (!value) value.emplace();
        value->clear();
        append_text(*v, *value);
      }
    }
    return true;
  }

  void partition(const RecordReaderFactory& readers, const RecordWriterFactory& writers,
                 const EvaluationEnvironment& env, ProcessSession& session, FlowFile& ff,
                 Scratch& scratch) const {
    RecordPass pass;
    // Partitions in order of first appearance; the key joins the values' text with a separator no text has.
    std::map<std::string, std::size_t, std::less<>> index;
    std::vector<std::unique_ptr<Partition>> partitions;
    std::string& key = scratch.key;
    const bool readable = pass.run(session, ff, readers, [&](RecordReader& reader) {
      while (pass.next(reader, scratch.record)) {
        if (!evaluate_parts(ff, env, scratch)) {
          pass.invalid().add(reader, scratch.error, reader.position());
          continue;
        }
        key.clear();
        for (const auto& value : scratch.values) {
          if (!value) {
            key += '\x01';
          } else {
            key += '\x02';
            key += *value;
          }
          key += '\x00';
        }
        auto it = index.find(key);
        if (it == index.end()) {
          it = index.emplace(key, partitions.size()).first;
          auto p = std::make_unique<Partition>();
          p->values = scratch.values;
          p->writer = writers.open(p->out, reader.schema());
          partitions.push_back(std::move(p));
        }
        Partition& p = *partitions[it->second];
        p.writer->write(scratch.record);
        ++p.count;
      }
    });
    if (!readable) {
      fail_whole(session, ff, kFailure, pass.unreadable());
      return;
    }
    for (auto& p : partitions) {
      p->writer->finish();
      FlowFile child = emit_child(session, ff, p->out, p->count, mime_);
      for (std::size_t i = 0; i < parts_.size(); ++i) {
        if (p->values[i]) session.put_attribute(child, parts_[i].attribute, *p->values[i]);
      }
      session.transfer(child, kSuccess);
    }
    if (!pass.invalid().empty()) pass.invalid().emit(session, ff, kFailure);
    session.transfer(ff, kOriginal);
  }

  std::vector<KeyPart> parts_;
  std::string mime_;
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "PartitionRecord";
  s.summary = "Groups records by record paths or expressions over their fields: one FlowFile per key.";
  s.description =
      "Each dynamic property names an attribute and gives a record path (`meter: /meter_id`) or an "
      "expression in which the record's fields are variables (`bucket: "
      "${meter_id:hash('MD5'):substring(0,1):fromRadix(16):mod(4)}`). The records of each input are grouped "
      "by those values; each group becomes one FlowFile on `success` (in order of first appearance) carrying "
      "the values as attributes (a null or missing value at a path sets no attribute) and `record.count`. "
      "The input goes to `original`; unreadable records, and records an expression fails on, go to "
      "`failure` with their reasons.";
  s.tags = {"record", "partition", "group", "route"};
  s.input = InputRequirement::kRequired;
  s.dynamic_properties = true;
  s.dynamic_properties_description =
      "An attribute name, and the record path or expression (over the record's fields) whose value it "
      "receives.";
  s.properties = {reader_property(), writer_property()};
  s.relationships = {{"success", "One FlowFile per distinct key."},
                     {"original", "The input FlowFile, unchanged."},
                     {"failure", "Records (or content) that could not be read, with the reasons."}};
  s.writes_attributes = {{"record.count", "Records in the partition."},
                         {"<dynamic property name>", "The partition's value of that path or expression."}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<PartitionRecord>();
}

}  // namespace

const ProcessorDefinition& partition_record_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::records
