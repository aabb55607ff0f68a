#include "duplicate_flow_file.hpp"

#include <memory>
#include <string>

#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::standard {

namespace {

constexpr std::string_view kSuccess = "success";
constexpr std::string_view kCopyIndex = "copy.index";

class DuplicateFlowFile final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    const std::int64_t copies = context.int_property("number_of_copies");
    if (copies < 0) throw ProcessorError("number_of_copies must be 0 or more, got " + std::to_string(copies));
    copies_ = static_cast<std::uint64_t>(copies);
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    // One trigger creates batch * (copies + 1) FlowFiles: take fewer originals when copies are many, so that
    // a session stays bounded (NiFi's one-session-creates-millions problem).
    const std::size_t batch = std::max<std::size_t>(1, context.batch_size() / (copies_ + 1));
    for (FlowFile& ff : session.get(batch)) {
      for (std::uint64_t i = 1; i <= copies_; ++i) {
        FlowFile copy = session.clone(ff);  // shares the content: no bytes are copied
        session.put_attribute(copy, kCopyIndex, std::to_string(i));
        session.transfer(copy, kSuccess);
      }
      session.put_attribute(ff, kCopyIndex, "0");
      session.transfer(ff, kSuccess);
    }
  }

 private:
  std::uint64_t copies_ = 0;
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "DuplicateFlowFile";
  s.summary = "Sends each FlowFile and `number_of_copies` copies of it to success.";
  s.description =
      "For load testing and fan-out: every incoming FlowFile goes to `success` together with "
      "`number_of_copies` clones (new uuids, same attributes, the same content claim, so no bytes are "
      "copied). Each gets `copy.index`: 0 for the original, 1..N for the copies. One trigger takes at most "
      "`batch / (number_of_copies + 1)` FlowFiles so that a session never holds more than about `batch` "
      "FlowFiles.";
  s.tags = {"test", "load", "duplicate", "clone", "copy"};
  s.input = InputRequirement::kRequired;
  s.properties = {
      optional_property("number_of_copies", PropertyKind::kInt, "100",
                        "How many copies of each FlowFile to make, besides the original."),
  };
  s.relationships = {{"success", "The original and its copies."}};
  s.writes_attributes = {{"copy.index", "0 for the original, 1..N for the copies."}};
  s.examples = {
      {"Ten-fold load", "fan_out:\n  type: DuplicateFlowFile\n  properties: { number_of_copies: 9 }\n"}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<DuplicateFlowFile>();
}

}  // namespace

const ProcessorDefinition& duplicate_flow_file_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::standard
