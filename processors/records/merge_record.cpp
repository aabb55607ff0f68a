#include "merge_record.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "invalid_records.hpp"
#include "record_specs.hpp"
#include "sluice/record.hpp"
#include "sluice/sdk.hpp"
#include "sluice/units.hpp"
#include "spec_helpers.hpp"

namespace sluice::records {

namespace {

using standard::optional_property;

constexpr std::string_view kMerged = "merged";
constexpr std::string_view kOriginal = "original";
constexpr std::string_view kFailure = "failure";

struct Bin {
  std::string correlation;
  std::vector<FlowFile> members;
  std::uint64_t records = 0;
  std::uint64_t bytes = 0;
  std::int64_t oldest_ms = 0;
  bool full = false;  // closed by a maximum
};

class MergeRecord final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    min_records_ = static_cast<std::uint64_t>(context.int_property("min_records"));
    max_records_ = static_cast<std::uint64_t>(context.int_property("max_records"));
    min_size_ = context.size_property("min_size");
    max_size_ = context.size_property("max_size");
    const std::string age = context.string_property("max_bin_age");
    max_age_ms_ =
        age.empty()
            ? -1
            : std::chrono::duration_cast<std::chrono::milliseconds>(context.duration_property("max_bin_age"))
                  .count();
    correlation_ = context.string_property("correlation_attribute");
    if (max_records_ < 1 || min_records_ > max_records_)
      throw ProcessorError("need 1 <= min_records <= max_records");
    if (min_size_ > max_size_) throw ProcessorError("min_size must not exceed max_size");
    mime_ = std::string(context.service<RecordWriterFactory>("writer").mime_type());
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    auto input = session.get(context.batch_size());
    if (input.empty()) return;
    std::vector<Bin> bins = bin(input);
    const std::int64_t now = context.now_ms();
    bool any_ready = false;
    for (const Bin& b : bins) any_ready = any_ready || ready(b, now);
    if (!any_ready) {
      // Not enough yet: leave everything queued and look again after the yield.
      session.rollback();
      context.yield();
      return;
    }
    const auto& readers = context.service<RecordReaderFactory>("reader");
    const auto& writers = context.service<RecordWriterFactory>("writer");
    for (Bin& b : bins) merge(readers, writers, session, b);
  }

 private:
  [[nodiscard]] bool ready(const Bin& b, std::int64_t now) const {
    if (b.full) return true;
    if (b.records >= min_records_ && b.bytes >= min_size_) return true;
    return max_age_ms_ >= 0 && now - b.oldest_ms >= max_age_ms_;
  }

  // Bins per correlation value, in arrival order; a FlowFile that would pass a maximum starts a new bin.
  std::vector<Bin> bin(const std::vector<FlowFile>& input) const {
    std::vector<Bin> bins;
    std::map<std::string, std::size_t> open;
    for (const FlowFile& ff : input) {
      std::string key;
      if (!correlation_.empty()) {
        if (auto a = ff.attribute(correlation_)) key = a->str();
      }
      std::uint64_t records = 1;
      if (auto rc = ff.attribute(kRecordCount))
        records = static_cast<std::uint64_t>(parse_int(rc->view()).value_or(1));
      auto it = open.find(key);
      if (it != open.end()) {
        Bin& b = bins[it->second];
        if (b.records + records > max_records_ || b.bytes + ff.size() > max_size_) {
          b.full = true;
          open.erase(it);
          it = open.end();
        }
      }
      if (it == open.end()) {
        it = open.emplace(key, bins.size()).first;
        bins.push_back(Bin{key, {}, 0, 0, ff.entry_date_ms(), false});
      }
      Bin& b = bins[it->second];
      b.members.push_back(ff);
      b.records += records;
      b.bytes += ff.size();
      b.oldest_ms = std::min(b.oldest_ms, ff.entry_date_ms());
      if (b.records >= max_records_ || b.bytes >= max_size_) b.full = true;
    }
    return bins;
  }

  void merge(const RecordReaderFactory& readers, const RecordWriterFactory& writers, ProcessSession& session,
             Bin& b) {
    FlowFile out = session.create(b.members.front());
    std::uint64_t count = 0;
    std::vector<std::pair<FlowFile, std::string>> unreadable;
    InvalidRecords invalid;
    Record record;  // per call: triggers may run concurrently
    session.write(out, [&](OutputStream& os) {
      std::unique_ptr<RecordWriter> writer;
      for (const FlowFile& ff : b.members) {
        session.read(ff, [&](InputStream& in) {
          std::unique_ptr<RecordReader> reader;
          try {
            reader = readers.open(in.view());
          } catch (const std::exception& e) {
            unreadable.emplace_back(ff, e.what());
            return;
          }
          // One writer for the whole bin: one CSV header, one JSON array, one Avro file.
          if (!writer) writer = writers.open(os, reader->schema());
          while (true) {
            const ReadStatus status = reader->next(record);
            if (status == ReadStatus::kEnd) break;
            if (status == ReadStatus::kInvalid) {
              invalid.add(*reader);
              continue;
            }
            writer->write(record);
            ++count;
          }
        });
      }
      if (writer) writer->finish();
    });
    session.put_attribute(out, kRecordCount, std::to_string(count));
    session.put_attribute(out, kMimeType, mime_);
    session.put_attribute(out, "merge.count", std::to_string(b.members.size() - unreadable.size()));
    if (!correlation_.empty() && !b.correlation.empty())
      session.put_attribute(out, correlation_, b.correlation);
    if (!invalid.empty()) invalid.emit(session, b.members.front(), kFailure);
    if (count == 0 && b.members.size() == unreadable.size()) {
      session.remove(out);
    } else {
      session.transfer(out, kMerged);
    }
    for (FlowFile& ff : b.members) {
      bool failed = false;
      for (auto& [u, reason] : unreadable) {
        if (u == ff) {
          fail_whole(session, ff, kFailure, reason);
          failed = true;
        }
      }
      if (!failed) session.transfer(ff, kOriginal);
    }
  }

  std::uint64_t min_records_ = 1;
  std::uint64_t max_records_ = 1;
  std::uint64_t min_size_ = 0;
  std::uint64_t max_size_ = 0;
  std::int64_t max_age_ms_ = -1;
  std::string correlation_;
  std::string mime_;
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "MergeRecord";
  s.summary =
      "Merges the records of many FlowFiles into one well-formed output (one header, one array, one file).";
  s.description =
      "Takes the queued FlowFiles (up to the schedule's `batch`), puts them in bins, one series per value of "
      "`correlation_attribute`, and writes each bin's records with one writer: a CSV output has one header, "
      "a "
      "JSON output is one array, an Avro output is one file. A FlowFile that would take a bin past "
      "`max_records` (counted from `record.count`, else 1) or `max_size` starts a new bin. A bin is merged "
      "when "
      "it holds at least `min_records` and `min_size`, when its oldest FlowFile is older than `max_bin_age`, "
      "or "
      "when it was closed by a maximum. When no bin of a trigger is ready, everything stays queued and the "
      "processor yields; when one is, every bin of that trigger is merged (the engine's sessions cannot hand "
      "part of a take back). Inputs go to `original`.";
  s.tags = {"record", "merge", "bin", "batch"};
  s.input = InputRequirement::kRequired;
  s.properties = {
      reader_property(),
      writer_property(),
      optional_property("min_records", PropertyKind::kInt, "1", "Records a bin needs before it merges."),
      optional_property("max_records", PropertyKind::kInt, "10000", "Records a bin holds at most."),
      optional_property("min_size", PropertyKind::kSize, "0 B", "Bytes a bin needs before it merges."),
      optional_property("max_size", PropertyKind::kSize, "1 GiB", "Bytes a bin holds at most."),
      optional_property("max_bin_age", PropertyKind::kDuration, std::nullopt,
                        "Merge a bin whose oldest FlowFile is this old, however small."),
      optional_property("correlation_attribute", PropertyKind::kString, std::nullopt,
                        "Only FlowFiles with the same value of this attribute share a bin.")};
  s.relationships = {{"merged", "The merged FlowFiles, with `record.count` and `merge.count`."},
                     {"original", "The inputs that were merged."},
                     {"failure", "Inputs or records that could not be read, with the reasons."}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<MergeRecord>();
}

}  // namespace

const ProcessorDefinition& merge_record_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::records
