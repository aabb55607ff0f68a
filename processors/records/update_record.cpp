#include "update_record.hpp"

#include <memory>
#include <string>
#include <vector>

#include "record_pass.hpp"
#include "record_specs.hpp"
#include "record_variables.hpp"
#include "service_config.hpp"
#include "sluice/record.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::records {

namespace {

using standard::optional_property;

constexpr std::string_view kSuccess = "success";
constexpr std::string_view kFailure = "failure";

struct Assignment {
  RecordPath path;
  std::string property;  // the dynamic property's name, for context.expression()
};

// The output schema for one input schema, and where each output field comes from.
struct Shape {
  const DataType* input = nullptr;
  DataTypePtr output;
  std::vector<int> source;  // output field → input field, -1 for a new field
};

class UpdateRecord final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    assignments_.clear();
    for (const auto& [path, value] : context.dynamic_properties()) {
      try {
        assignments_.push_back(Assignment{RecordPath::compile(path), path});
      } catch (const std::invalid_argument& e) {
        throw ProcessorError(e.what());
      }
    }
    removals_ = list_property(context, "remove");
    renames_.clear();
    for (const auto& r : list_property(context, "rename")) {
      const auto colon = r.find(':');
      if (colon == std::string::npos || r.empty() || r[0] != '/') {
        throw ProcessorError("rename: '" + r + "' is not /old_field:new_name");
      }
      renames_.emplace_back(r.substr(1, colon - 1), r.substr(colon + 1));
    }
    for (const auto& r : removals_) {
      if (r.empty() || r[0] != '/' || r.find('/', 1) != std::string::npos) {
        throw ProcessorError("remove: '" + r + "' must be a top-level field path such as /notes");
      }
    }
    mime_ = std::string(context.service<RecordWriterFactory>("writer").mime_type());
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    const auto& readers = context.service<RecordReaderFactory>("reader");
    const auto& writers = context.service<RecordWriterFactory>("writer");
    for (FlowFile& ff : session.get(context.batch_size())) update(context, readers, writers, session, ff);
  }

 private:
  // What one update() call works in: triggers may run concurrently, so nothing of it is a member.
  struct Scratch {
    Shape shape;  // for the reader's schema, which lives as long as the reader
    Record record;
    Record out;
    std::string reason;
  };

  const Shape& shape_for(const DataTypePtr& input, Shape& cached) const {
    if (cached.input == input.get()) return cached;
    Shape s;
    s.input = input.get();
    std::vector<Field> fields;
    for (std::size_t i = 0; i < input->fields.size(); ++i) {
      Field f = input->fields[i];
      if (std::find(removals_.begin(), removals_.end(), "/" + f.name) != removals_.end()) continue;
      for (const auto& [from, to] : renames_) {
        if (f.name == from) {
          f.aliases.push_back(f.name);
          f.name = to;
        }
      }
      fields.push_back(std::move(f));
      s.source.push_back(static_cast<int>(i));
    }
    for (const auto& a : assignments_) {
      const std::string_view top = a.path.top_field();
      if (top.empty()) continue;
      const bool exists =
          std::any_of(fields.begin(), fields.end(), [&](const Field& f) { return f.name == top; });
      if (exists) continue;
      Field f;
      f.name = std::string(top);
      f.type = DataType::nullable(DataType::primitive(TypeKind::kString));
      f.default_json = "null";
      fields.push_back(std::move(f));
      s.source.push_back(-1);
    }
    auto out = std::make_shared<DataType>(*input);
    out->fields = std::move(fields);
    s.output = out;
    cached = std::move(s);
    return cached;
  }

  // Builds the output record; the reason when a value does not fit its field.
  std::optional<std::string> apply(ProcessContext& context, const FlowFile& ff, const Shape& shape,
                                   Scratch& work) const {
    Record& out = work.out;
    out.reset(shape.output);
    for (std::size_t i = 0; i < shape.source.size(); ++i) {
      if (shape.source[i] >= 0) out[i] = work.record[static_cast<std::size_t>(shape.source[i])];
    }
    const RecordVariables variables(work.record, ff);
    const EvaluationEnvironment env = context.environment();
    for (const auto& a : assignments_) {
      std::string text;
      try {
        text = context.expression(a.property).evaluate(variables, env);
      } catch (const ExpressionError& e) {
        return a.path.text() + ": " + e.what();
      }
      const DataType* type = a.path.type_in(*shape.output);
      if (type == nullptr) return a.path.text() + ": no such field";
      auto v = convert_value(Value::string(out.arena().copy(text)), *type, out.arena(), work.reason);
      if (!v) return a.path.text() + ": " + work.reason;
      if (!a.path.set(out, *v)) return a.path.text() + ": no such field";
    }
    return std::nullopt;
  }

  void update(ProcessContext& context, const RecordReaderFactory& readers, const RecordWriterFactory& writers,
              ProcessSession& session, FlowFile& ff) {
    RecordPass pass;
    Scratch work;
    std::uint64_t good = 0;
    pass.run(session, ff, readers, [&](RecordReader& reader) {
      const Shape& shape = shape_for(reader.schema(), work.shape);
      session.write(ff, [&](OutputStream& os) {
        auto writer = writers.open(os, shape.output);
        while (pass.next(reader, work.record)) {
          if (auto problem = apply(context, ff, shape, work)) {
            pass.invalid().add(reader, *problem, reader.position());
            continue;
          }
          writer->write(work.out);
          ++good;
        }
        writer->finish();
      });
    });
    pass.route_rewritten(session, ff, good, kSuccess, kFailure, kFailure, mime_);
  }

  std::vector<Assignment> assignments_;
  std::vector<std::string> removals_;
  std::vector<std::pair<std::string, std::string>> renames_;
  std::string mime_;
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "UpdateRecord";
  s.summary = "Sets, renames and removes record fields; values are literals or expressions over the record.";
  s.description =
      "Each dynamic property is a record path (`/reading/kwh`, `/site`) and the value to set there: a "
      "literal or "
      "an expression in which the record's fields are variables (`${kwh}`, `${'/reading/kwh'}`; names that "
      "are "
      "not fields are the FlowFile's attributes). The text is converted to the field's type; a top-level "
      "path "
      "that is not a field adds a nullable string field. `rename` and `remove` change top-level fields. A "
      "record "
      "whose new value does not fit its field goes to `failure` with the reason; the others carry on.";
  s.tags = {"record", "update", "transform", "expression"};
  s.input = InputRequirement::kRequired;
  s.dynamic_properties = true;
  s.dynamic_properties_description = "A record path, and the value (literal or expression) to set there.";
  s.properties = {reader_property(), writer_property(),
                  optional_property("rename", PropertyKind::kString, std::nullopt,
                                    "Comma-separated `/old:new` renames of top-level fields."),
                  optional_property("remove", PropertyKind::kString, std::nullopt,
                                    "Comma-separated top-level fields to remove, e.g. `/notes,/tmp`.")};
  s.relationships = {{"success", "The updated records."},
                     {"failure", "Records that could not be read or updated, with the reasons."}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<UpdateRecord>();
}

}  // namespace

const ProcessorDefinition& update_record_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::records
