#include "split_record.hpp"

#include <memory>
#include <string>
#include <vector>

#include "record_pass.hpp"
#include "record_specs.hpp"
#include "sluice/record.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::records {

namespace {

using standard::optional_property;

constexpr std::string_view kSplits = "splits";
constexpr std::string_view kOriginal = "original";
constexpr std::string_view kFailure = "failure";

class SplitRecord final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    const std::int64_t n = context.int_property("records_per_split");
    if (n < 1) throw ProcessorError("records_per_split must be at least 1");
    per_split_ = static_cast<std::uint64_t>(n);
    mime_ = std::string(context.service<RecordWriterFactory>("writer").mime_type());
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    const auto& readers = context.service<RecordReaderFactory>("reader");
    const auto& writers = context.service<RecordWriterFactory>("writer");
    for (FlowFile& ff : session.get(context.batch_size())) split(readers, writers, session, ff);
  }

 private:
  void split(const RecordReaderFactory& readers, const RecordWriterFactory& writers, ProcessSession& session,
             FlowFile& ff) {
    RecordPass pass;
    Record record;  // per call: triggers may run concurrently
    std::vector<FlowFile> children;
    const bool readable = pass.run(session, ff, readers, [&](RecordReader& reader) {
      // Reads ahead one record, so that no split is created empty.
      bool have = pass.next(reader, record);
      while (have) {
        FlowFile child = session.create(ff);
        std::uint64_t n = 0;
        session.write(child, [&](OutputStream& os) {
          auto writer = writers.open(os, reader.schema());
          while (have && n < per_split_) {
            writer->write(record);
            ++n;
            have = pass.next(reader, record);
          }
          writer->finish();
        });
        session.put_attribute(child, kRecordCount, std::to_string(n));
        children.push_back(child);
      }
    });
    if (!readable) {
      fail_whole(session, ff, kFailure, pass.unreadable());
      return;
    }
    const std::string count = std::to_string(children.size());
    const std::string parent = ff.uuid();
    for (std::size_t i = 0; i < children.size(); ++i) {
      session.put_attribute(children[i], "fragment.index", std::to_string(i));
      session.put_attribute(children[i], "fragment.count", count);
      session.put_attribute(children[i], "fragment.identifier", parent);
      session.put_attribute(children[i], kMimeType, mime_);
      session.transfer(children[i], kSplits);
    }
    if (!pass.invalid().empty()) pass.invalid().emit(session, ff, kFailure);
    session.transfer(ff, kOriginal);
  }

  std::uint64_t per_split_ = 1;
  std::string mime_;
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "SplitRecord";
  s.summary = "Splits a FlowFile's records into FlowFiles of at most `records_per_split` records.";
  s.description =
      "Streams the records of each input into consecutive splits on `splits`, each a well-formed document of "
      "the "
      "writer's format, with `record.count`, `fragment.index`, `fragment.count` and `fragment.identifier` "
      "(the "
      "input's uuid). The input goes to `original`; unreadable records go to `failure` with their reasons.";
  s.tags = {"record", "split", "chunk"};
  s.input = InputRequirement::kRequired;
  s.properties = {
      reader_property(), writer_property(),
      optional_property("records_per_split", PropertyKind::kInt, "1000", "Records per split at most.")};
  s.relationships = {{"splits", "The splits."},
                     {"original", "The input FlowFile, unchanged."},
                     {"failure", "Records (or content) that could not be read, with the reasons."}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<SplitRecord>();
}

}  // namespace

const ProcessorDefinition& split_record_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::records
