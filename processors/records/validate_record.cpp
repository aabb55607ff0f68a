#include "validate_record.hpp"

#include <memory>
#include <string>
#include <vector>

#include "field_rules.hpp"
#include "record_pass.hpp"
#include "record_specs.hpp"
#include "service_config.hpp"
#include "sluice/record.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::records {

namespace {

using standard::enum_property;

constexpr std::string_view kValid = "valid";
constexpr std::string_view kInvalid = "invalid";
constexpr std::string_view kFailure = "failure";

class ValidateRecord final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    rules_.clear();
    for (const auto& [path, rules] : context.dynamic_properties()) {
      try {
        rules_.emplace_back(path, rules);
      } catch (const std::invalid_argument& e) {
        throw ProcessorError(std::string("rule ") + e.what());
      }
    }
    const SchemaSetting s = schema_setting(context);
    schema_ = s.schema;
    fail_whole_ = context.string_property("invalid_action") == "fail_flowfile";
    mime_ = std::string(context.service<RecordWriterFactory>("writer").mime_type());
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    const auto& readers = context.service<RecordReaderFactory>("reader");
    const auto& writers = context.service<RecordWriterFactory>("writer");
    for (FlowFile& ff : session.get(context.batch_size())) validate(readers, writers, session, ff);
  }

 private:
  // What one validate() call works in: triggers may run concurrently, so nothing of it is a member.
  struct Scratch {
    Record record;
    RecordArena arena;
    std::string reason;
  };

  // The first problem with `record`, or empty.
  std::string problem(const Record& record, Scratch& work) const {
    if (schema_) {
      // The validation schema: every field present by name and convertible to its type.
      for (const auto& f : schema_->fields) {
        const Value* v = record.find(f.name);
        const Value value = v != nullptr ? *v : Value();
        if (!convert_value(value, *f.type, work.arena, work.reason)) {
          return "/" + f.name + ": schema: " + work.reason;
        }
      }
    }
    for (const auto& rules : rules_) {
      if (auto broken = rules.check(record)) return *broken;
    }
    return {};
  }

  // A record's problem goes to the pass's invalid records; true when it is valid.
  bool accept(RecordPass& pass, RecordReader& reader, Scratch& work) const {
    work.arena.reset();
    std::string p = problem(work.record, work);
    if (p.empty()) return true;
    pass.invalid().add(reader, p, reader.position());
    return false;
  }

  void validate(const RecordReaderFactory& readers, const RecordWriterFactory& writers,
                ProcessSession& session, FlowFile& ff) {
    Scratch work;
    if (fail_whole_) {
      // A first, read-only pass: any invalid record sends the input, untouched, to `invalid`.
      RecordPass check;
      std::uint64_t total = 0;     // readable records
      std::uint64_t rejected = 0;  // readable records a rule rejected (also counted by invalid())
      const bool readable = check.run(session, ff, readers, [&](RecordReader& reader) {
        while (check.next(reader, work.record)) {
          ++total;
          if (!accept(check, reader, work)) ++rejected;
        }
      });
      if (!readable) {
        fail_whole(session, ff, kFailure, check.unreadable());
        return;
      }
      if (!check.invalid().empty()) {
        check.invalid().describe_on(session, ff);
        session.put_attribute(ff, kRecordCount, std::to_string(total + check.invalid().count() - rejected));
        session.put_attribute(ff, "record.invalid.count", std::to_string(check.invalid().count()));
        session.transfer(ff, kInvalid);
        return;
      }
    }
    RecordPass pass;
    std::uint64_t good = 0;
    pass.run(session, ff, readers, [&](RecordReader& reader) {
      session.write(ff, [&](OutputStream& os) {
        auto writer = writers.open(os, reader.schema());
        while (pass.next(reader, work.record)) {
          if (!accept(pass, reader, work)) continue;
          writer->write(work.record);
          ++good;
        }
        writer->finish();
      });
    });
    pass.route_rewritten(session, ff, good, kValid, kInvalid, kFailure, mime_);
  }

  std::vector<FieldRules> rules_;
  DataTypePtr schema_;
  bool fail_whole_ = false;
  std::string mime_;
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "ValidateRecord";
  s.summary = "Checks records against a schema and per-field rules, routing valid and invalid records apart.";
  s.description =
      "Reads each FlowFile's records; a record is invalid when the reader cannot read it, when it does not "
      "fit "
      "the validation `schema` (if set), or when it breaks a rule. Rules are dynamic properties named by a "
      "record path, with `;`-separated rules: `min=N`, `max=N`, `not_null`, `regex=RE` (whole value, "
      "ECMAScript), "
      "`allowed=A,B,C`. Valid records are written with `writer` to `valid`; invalid ones go, in their "
      "original "
      "form, to `invalid` in one FlowFile per input, each with its reason (field, rule, value, line or "
      "record "
      "number) in `record.errors`. With `invalid_action: fail_flowfile` any invalid record sends the whole "
      "input "
      "to `invalid` instead.";
  s.tags = {"record", "validate", "schema", "quality"};
  s.input = InputRequirement::kRequired;
  s.dynamic_properties = true;
  s.dynamic_properties_description = "A record path (e.g. `/kwh`) whose value must pass the given rules.";
  s.properties = {reader_property(), writer_property()};
  for (auto& p :
       schema_properties("inherit", "`inherit`: only the reader's own schema and the rules apply.")) {
    s.properties.push_back(std::move(p));
  }
  s.properties.push_back(
      enum_property("invalid_action", "route",
                    {{"route", "Invalid records to `invalid`, valid ones to `valid`."},
                     {"fail_flowfile", "Any invalid record sends the whole input to `invalid`."}},
                    "What an invalid record does."));
  s.relationships = {{"valid", "Valid records, with `record.count`."},
                     {"invalid", "Invalid records in their original form, with the reasons."},
                     {"failure", "Content that could not be read at all."}};
  s.writes_attributes = {{"record.count", "Records in the FlowFile."},
                         {"record.error", "On invalid: the first reason."},
                         {"record.errors", "On invalid: one reason per record (the first 100)."}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<ValidateRecord>();
}

}  // namespace

const ProcessorDefinition& validate_record_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::records
