#include "merge_content.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "merge_bins.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"
#include "tar_writer.hpp"

namespace sluice::standard {

namespace {

constexpr std::string_view kMerged = "merged";
constexpr std::string_view kOriginal = "original";
constexpr std::string_view kFailure = "failure";
constexpr std::string_view kReasonAttribute = "mergecontent.failure.reason";

enum class Format : std::uint8_t { kConcatenation, kTar };

// A bin: the FlowFiles waiting to be merged, held in a session of their own (NiFi's session per bin). They
// stay durably in the input queue until that session commits the merged FlowFile.
struct Bin {
  std::string key;
  BinStats stats;
  std::unique_ptr<ProcessSession> session;
  std::vector<FlowFile> flowfiles;  // handles in `session`, in arrival order
};

std::string read_file(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ProcessorError(std::string(what) + ": cannot read file '" + path + "'");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class MergeContent final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    format_ = context.string_property("merge_format") == "tar" ? Format::kTar : Format::kConcatenation;
    limits_ = BinLimits{};
    const std::int64_t min_entries = context.int_property("min_entries");
    const std::int64_t max_entries = context.int_property("max_entries");
    const std::int64_t max_bins = context.int_property("max_bins");
    if (min_entries < 1)
      throw ProcessorError("min_entries must be at least 1, got " + std::to_string(min_entries));
    if (max_entries < min_entries) {
      throw ProcessorError("max_entries (" + std::to_string(max_entries) +
                           ") must not be below min_entries (" + std::to_string(min_entries) + ")");
    }
    if (max_bins < 1) throw ProcessorError("max_bins must be at least 1, got " + std::to_string(max_bins));
    limits_.min_entries = static_cast<std::size_t>(min_entries);
    limits_.max_entries = static_cast<std::size_t>(max_entries);
    limits_.max_bins = static_cast<std::size_t>(max_bins);
    limits_.min_bytes = context.size_property("min_size");
    if (auto text = context.property("max_size"); text && !text->empty()) {
      limits_.max_bytes = context.size_property("max_size");
      if (*limits_.max_bytes < limits_.min_bytes) throw ProcessorError("max_size must not be below min_size");
    }
    if (auto text = context.property("max_bin_age"); text && !text->empty()) {
      limits_.max_age_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(context.duration_property("max_bin_age"))
              .count();
    }
    correlation_ = context.string_property("correlation_attribute");
    const std::string delimiters = context.string_property("delimiter_strategy");
    auto text_or_file = [&](const char* name) {
      const std::string value = context.string_property(name);
      if (delimiters == "filename" && !value.empty()) return read_file(value, name);
      return delimiters == "none" ? std::string() : value;
    };
    header_ = text_or_file("header");
    footer_ = text_or_file("footer");
    demarcator_ = text_or_file("demarcator");
    if (format_ == Format::kTar && (!header_.empty() || !footer_.empty() || !demarcator_.empty())) {
      throw ProcessorError("header, footer and demarcator apply to binary_concatenation, not to tar");
    }
  }

  void on_stop(ProcessContext& /*context*/) override {
    std::lock_guard lock(mutex_);
    // What the bins hold goes back to the input queue: merged after the next start.
    for (auto& bin : bins_) bin->session->rollback();
    bins_.clear();
    open_.clear();
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    std::lock_guard lock(mutex_);
    const std::int64_t now = context.now_ms();
    std::vector<std::unique_ptr<Bin>> ready;
    const std::vector<FlowFile> incoming = session.get(context.batch_size());
    for (const FlowFile& ff : incoming) bin(session, ff, now, ready);
    // NiFi's rule: bins that are merely full enough wait while input keeps coming, and merge once it stops.
    const bool input_dry = incoming.empty();
    for (auto it = bins_.begin(); it != bins_.end();) {
      if (bin_close_reason((*it)->stats, now, input_dry, limits_) == CloseReason::kOpen) {
        ++it;
        continue;
      }
      close(*it, ready);
      it = bins_.erase(it);
    }
    for (auto& b : ready) merge(context, *b, now);
    if (incoming.empty() && ready.empty()) context.yield();  // nothing to do until input or a bin ages
  }

 private:
  void bin(ProcessSession& session, const FlowFile& ff, std::int64_t now,
           std::vector<std::unique_ptr<Bin>>& ready) {
    std::string key;
    if (!correlation_.empty()) {
      if (auto value = ff.attribute(correlation_)) key = value->str();
    }
    Bin* target = nullptr;
    if (auto it = open_.find(key); it != open_.end()) target = it->second;
    if (target != nullptr && !bin_fits(target->stats, ff.size(), limits_)) {
      close_bin(target, ready);  // it cannot take this one: merge it as it is
      target = nullptr;
    }
    if (target == nullptr) {
      if (bins_.size() >= limits_.max_bins) close_bin(bins_.front().get(), ready);  // evict the oldest
      auto fresh = std::make_unique<Bin>();
      fresh->key = key;
      fresh->stats.created_ms = now;
      fresh->session = session.new_session();
      target = fresh.get();
      open_[key] = target;
      bins_.push_back(std::move(fresh));
    }
    target->flowfiles.push_back(session.migrate(ff, *target->session));
    ++target->stats.entries;
    target->stats.bytes += ff.size();
  }

  // Moves the bin out of bins_ into `ready`.
  void close_bin(Bin* b, std::vector<std::unique_ptr<Bin>>& ready) {
    auto it = std::find_if(bins_.begin(), bins_.end(), [&](const auto& p) { return p.get() == b; });
    close(*it, ready);
    bins_.erase(it);
  }

  void close(std::unique_ptr<Bin>& b, std::vector<std::unique_ptr<Bin>>& ready) {
    if (auto it = open_.find(b->key); it != open_.end() && it->second == b.get()) open_.erase(it);
    ready.push_back(std::move(b));
  }

  void merge(ProcessContext& context, Bin& b, std::int64_t now) {
    ProcessSession& s = *b.session;
    FlowFile merged = s.create();
    try {
      s.write(merged, [&](OutputStream& out) { write_merged(s, b, out, now); });
    } catch (const std::exception& e) {
      // The bin's FlowFiles cannot be merged (e.g. a content read failed): send them on, unmerged.
      s.remove(merged);
      const std::string reason = std::string("cannot merge: ") + e.what();
      context.log(LogLevel::kWarn,
                  "bin of " + std::to_string(b.flowfiles.size()) + " FlowFiles to failure: " + reason);
      for (FlowFile& ff : b.flowfiles) {
        s.put_attribute(ff, kReasonAttribute, reason);
        s.transfer(ff, kFailure);
      }
      s.commit();
      return;
    }
    set_attributes(s, b, merged, now);
    s.transfer(merged, kMerged);
    for (const FlowFile& ff : b.flowfiles) s.transfer(ff, kOriginal);
    s.commit();  // the merged FlowFile and the originals' moves, in one record
  }

  void write_merged(ProcessSession& s, const Bin& b, OutputStream& out, std::int64_t now) const {
    // Each content is written straight from its mapped view: one copy, into the merged claim.
    auto copy = [&](const FlowFile& ff) { s.read(ff, [&](InputStream& in) { out.write(in.view()); }); };
    if (format_ == Format::kConcatenation) {
      out.write(header_);
      for (std::size_t i = 0; i < b.flowfiles.size(); ++i) {
        if (i > 0) out.write(demarcator_);
        copy(b.flowfiles[i]);
      }
      out.write(footer_);
      return;
    }
    for (const FlowFile& ff : b.flowfiles) {
      const auto filename = ff.attribute("filename");
      std::string name = tar_safe_name(filename ? filename->view() : std::string_view());
      if (name.empty()) name = ff.uuid();
      out.write(tar_entry_header(name, ff.size(), 0644, now / 1000));
      copy(ff);
      out.write(tar_padding(ff.size()));
    }
    out.write(tar_end());
  }

  // The attributes every FlowFile of the bin has with the same value, plus merge.*; a filename of its own.
  void set_attributes(ProcessSession& s, const Bin& b, FlowFile& merged, std::int64_t now) const {
    std::vector<std::pair<std::string, std::string>> common;
    b.flowfiles.front().for_each_attribute(
        [&](std::string_view name, std::string_view value) { common.emplace_back(name, value); });
    for (std::size_t i = 1; i < b.flowfiles.size() && !common.empty(); ++i) {
      const FlowFile& ff = b.flowfiles[i];
      std::erase_if(common, [&](const auto& kv) {
        const auto value = ff.attribute(kv.first);
        return !value || value->view() != kv.second;
      });
    }
    for (const auto& [name, value] : common) s.put_attribute(merged, name, value);
    std::string filename = b.flowfiles.size() == 1 && b.flowfiles.front().attribute("filename")
                               ? b.flowfiles.front().attribute("filename")->str()
                               : merged.uuid();
    if (format_ == Format::kTar) {
      filename += ".tar";
      s.put_attribute(merged, "mime.type", "application/x-tar");
    }
    s.put_attribute(merged, "filename", filename);
    s.put_attribute(merged, "merge.count", std::to_string(b.flowfiles.size()));
    s.put_attribute(merged, "merge.bin_age", std::to_string(now - b.stats.created_ms));
  }

  std::mutex mutex_;
  Format format_ = Format::kConcatenation;
  BinLimits limits_;
  std::string correlation_;
  std::string header_;
  std::string footer_;
  std::string demarcator_;
  std::vector<std::unique_ptr<Bin>> bins_;      // oldest first
  std::unordered_map<std::string, Bin*> open_;  // correlation key -> the bin that takes it now
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "MergeContent";
  s.summary =
      "Merges FlowFiles into bins, closed by count, size or age, as one concatenated or tar FlowFile.";
  s.description =
      "Bin-packing: each FlowFile joins the open bin of its `correlation_attribute` value (one bin for all "
      "when unset). A bin is merged as soon as the first of these holds: it reached `max_entries` or "
      "`max_size` (a FlowFile that would pass a maximum closes the bin and starts the next); it is older "
      "than `max_bin_age` (even below the minimums); or the input ran dry while it holds at least "
      "`min_entries` and `min_size`. A new bin beyond `max_bins` first merges the oldest one. The merged "
      "FlowFile goes to `merged` with `merge.count`, `merge.bin_age` (ms) and every attribute all its "
      "inputs share with the same value; the inputs go to `original`, in the same commit. Nothing is lost "
      "on a crash: a bin's FlowFiles are held in a session of their own (as NiFi does) and stay durably in "
      "the input queue until the merged FlowFile is committed; stopping the processor returns them there. "
      "`binary_concatenation` writes `header`, the contents separated by `demarcator`, and `footer` (text, "
      "or with `delimiter_strategy: filename` the contents of those files); `tar` writes a POSIX ustar "
      "archive with one entry per FlowFile named by its `filename` (pax headers for long names). A bin that "
      "cannot be merged (a content read fails) sends its FlowFiles to `failure`. The processor is triggered "
      "without input so that bins age out; its schedule's `yield` bounds how late. In a batch run (`sluice "
      "run "
      "--until-idle`) FlowFiles held in bins count as work to do: give a flow whose last bin may stay below "
      "the minimums a `max_bin_age`, or the run waits for more input.";
  s.tags = {"merge", "content", "correlation", "tar", "concatenation", "archive", "bin"};
  s.input = InputRequirement::kRequired;
  s.trigger_when_empty = true;
  s.properties = {
      enum_property(
          "merge_format", "binary_concatenation",
          {{"binary_concatenation", "The contents one after another, with header, demarcator, footer."},
           {"tar", "A POSIX ustar archive, one entry per FlowFile."}},
          "What the merged content is."),
      optional_property("correlation_attribute", PropertyKind::kString, std::nullopt,
                        "Only FlowFiles with the same value of this attribute share a bin."),
      optional_property("min_entries", PropertyKind::kInt, "1", "FlowFiles a bin needs before it may merge."),
      optional_property("max_entries", PropertyKind::kInt, "1000",
                        "FlowFiles at which a bin merges at once."),
      optional_property("min_size", PropertyKind::kSize, "0 B",
                        "Content bytes a bin needs before it may merge."),
      optional_property(
          "max_size", PropertyKind::kSize, std::nullopt,
          "Content bytes at which a bin merges; a FlowFile that would pass it starts a new bin."),
      optional_property("max_bin_age", PropertyKind::kDuration, std::nullopt,
                        "Merge a bin this long after its first FlowFile, whatever it holds; unset: never."),
      optional_property("max_bins", PropertyKind::kInt, "5",
                        "Bins open at once; a new one merges the oldest."),
      enum_property(
          "delimiter_strategy", "none",
          {{"none", "No header, footer or demarcator."},
           {"text", "`header`, `footer` and `demarcator` are the text to write."},
           {"filename", "They name files whose contents to write (read when the processor starts)."}},
          "How `header`, `footer` and `demarcator` are read (binary_concatenation only)."),
      optional_property("header", PropertyKind::kString, std::nullopt, "Written before the first content."),
      optional_property("footer", PropertyKind::kString, std::nullopt, "Written after the last content."),
      optional_property("demarcator", PropertyKind::kString, std::nullopt, "Written between two contents."),
  };
  s.relationships = {
      {"merged", "The merged FlowFiles."},
      {"original", "The FlowFiles that were merged."},
      {"failure", "FlowFiles of a bin that could not be merged; see `mergecontent.failure.reason`."}};
  s.reads_attributes = {{"filename", "Tar entry names."}};
  s.writes_attributes = {
      {"merge.count", "How many FlowFiles were merged."},
      {"merge.bin_age", "Milliseconds from the bin's first FlowFile to the merge."},
      {"filename", "The single input's name, else the merged uuid (`.tar` added for tar)."},
      {"mime.type", "`application/x-tar` for tar."},
      {"mergecontent.failure.reason", "Why a FlowFile went to failure."},
  };
  s.examples = {
      {"Lines into files of 10,000 per meter, at most a minute late",
       "merge:\n  type: MergeContent\n  properties:\n    correlation_attribute: meter_id\n"
       "    min_entries: 10000\n    max_entries: 10000\n    max_bin_age: 1 min\n    max_bins: 100\n"
       "    delimiter_strategy: text\n    demarcator: \"\\n\"\n  schedule: { yield: 200ms }\n"
       "  terminate: [original, failure]\n"},
      {"A tar of every 100 MiB",
       "archive:\n  type: MergeContent\n  properties:\n    merge_format: tar\n"
       "    max_entries: 100000\n    min_size: 100 MiB\n    max_size: 100 MiB\n"
       "    max_bin_age: 10 min\n  terminate: [original, failure]\n"},
  };
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<MergeContent>();
}

}  // namespace

const ProcessorDefinition& merge_content_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::standard
