#include "partition_record.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "record_pass.hpp"
#include "record_specs.hpp"
#include "sluice/record.hpp"
#include "sluice/sdk.hpp"
#include "string_output.hpp"

namespace sluice::records {

namespace {

constexpr std::string_view kSuccess = "success";
constexpr std::string_view kOriginal = "original";
constexpr std::string_view kFailure = "failure";

struct Partition {
  std::vector<std::optional<std::string>> values;  // per path; nullopt for null or missing
  StringOutput out;
  std::unique_ptr<RecordWriter> writer;
  std::uint64_t count = 0;
};

class PartitionRecord final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    paths_.clear();
    for (const auto& [attribute, path] : context.dynamic_properties()) {
      try {
        paths_.emplace_back(attribute, RecordPath::compile(path));
      } catch (const std::invalid_argument& e) {
        throw ProcessorError(std::string("property '") + attribute + "': " + e.what());
      }
    }
    if (paths_.empty())
      throw ProcessorError("give at least one dynamic property: attribute name -> record path");
    mime_ = std::string(context.service<RecordWriterFactory>("writer").mime_type());
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    const auto& readers = context.service<RecordReaderFactory>("reader");
    const auto& writers = context.service<RecordWriterFactory>("writer");
    for (FlowFile& ff : session.get(context.batch_size())) partition(readers, writers, session, ff);
  }

 private:
  void partition(const RecordReaderFactory& readers, const RecordWriterFactory& writers,
                 ProcessSession& session, FlowFile& ff) {
    RecordPass pass;
    // Partitions in order of first appearance; the key joins the values' text with a separator no text has.
    std::map<std::string, std::size_t> index;
    std::vector<std::unique_ptr<Partition>> partitions;
    std::string key;
    std::string text;
    const bool readable = pass.run(session, ff, readers, [&](RecordReader& reader) {
      while (pass.next(reader, record_)) {
        key.clear();
        for (const auto& [name, path] : paths_) {
          const Value* v = path.get(record_);
          if (v == nullptr || v->is_null()) {
            key += '\x01';
          } else {
            key += '\x02';
            append_text(*v, key);
          }
          key += '\x00';
        }
        auto [it, inserted] = index.try_emplace(key, partitions.size());
        if (inserted) {
          auto p = std::make_unique<Partition>();
          for (const auto& [name, path] : paths_) {
            const Value* v = path.get(record_);
            if (v == nullptr || v->is_null()) {
              p->values.emplace_back(std::nullopt);
            } else {
              text.clear();
              append_text(*v, text);
              p->values.emplace_back(text);
            }
          }
          p->writer = writers.open(p->out, reader.schema());
          partitions.push_back(std::move(p));
        }
        Partition& p = *partitions[it->second];
        p.writer->write(record_);
        ++p.count;
      }
    });
    if (!readable) {
      fail_whole(session, ff, kFailure, pass.unreadable());
      return;
    }
    for (auto& p : partitions) {
      p->writer->finish();
      FlowFile child = emit_child(session, ff, p->out.data(), p->count, mime_);
      for (std::size_t i = 0; i < paths_.size(); ++i) {
        if (p->values[i]) session.put_attribute(child, paths_[i].first, *p->values[i]);
      }
      session.transfer(child, kSuccess);
    }
    if (!pass.invalid().empty()) pass.invalid().emit(session, ff, kFailure);
    session.transfer(ff, kOriginal);
  }

  std::vector<std::pair<std::string, RecordPath>> paths_;
  std::string mime_;
  Record record_;
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "PartitionRecord";
  s.summary = "Groups records by the values of record paths: one FlowFile per distinct key.";
  s.description =
      "Each dynamic property names an attribute and gives a record path (`meter: /meter_id`). The records of "
      "each input are grouped by the values at those paths; each group becomes one FlowFile on `success` (in "
      "order of first appearance) carrying the values as attributes (a null or missing value sets no "
      "attribute) "
      "and `record.count`. The input goes to `original`; unreadable records go to `failure` with their "
      "reasons.";
  s.tags = {"record", "partition", "group", "route"};
  s.input = InputRequirement::kRequired;
  s.dynamic_properties = true;
  s.dynamic_properties_description = "An attribute name, and the record path whose value it receives.";
  s.properties = {reader_property(), writer_property()};
  s.relationships = {{"success", "One FlowFile per distinct key."},
                     {"original", "The input FlowFile, unchanged."},
                     {"failure", "Records (or content) that could not be read, with the reasons."}};
  s.writes_attributes = {{"record.count", "Records in the partition."},
                         {"<dynamic property name>", "The partition's value at that record path."}};
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
