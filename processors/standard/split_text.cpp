#include "split_text.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "failure.hpp"
#include "line_reader.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::standard {

namespace {

constexpr std::string_view kSplits = "splits";
constexpr std::string_view kOriginal = "original";
constexpr std::string_view kReasonAttribute = "splittext.failure.reason";

// A line without the line breaks at its end, and those line breaks.
std::pair<std::string_view, std::string_view> without_newlines(std::string_view line) {
  std::size_t n = line.size();
  while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) --n;
  return {line.substr(0, n), line.substr(n)};
}

class SplitText final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    const std::int64_t lines = context.int_property("line_split_count");
    const std::int64_t header = context.int_property("header_line_count");
    if (lines < 0) throw ProcessorError("line_split_count must be 0 or more, got " + std::to_string(lines));
    if (header < 0)
      throw ProcessorError("header_line_count must be 0 or more, got " + std::to_string(header));
    lines_ = static_cast<std::uint64_t>(lines);
    header_lines_ = static_cast<std::uint64_t>(header);
    max_size_.reset();
    if (auto text = context.property("max_fragment_size"); text && !text->empty()) {
      max_size_ = context.size_property("max_fragment_size");
    }
    if (lines_ == 0 && !max_size_) {
      throw ProcessorError("line_split_count is 0 and max_fragment_size is unset: set at least one of them");
    }
    remove_trailing_ = context.bool_property("remove_trailing_newlines");
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    std::vector<FlowFile> children;
    for (FlowFile& ff : session.get(context.batch_size())) {
      std::optional<std::string> failure;
      children.clear();
      session.read(ff, [&](InputStream& in) {
        LineReader lines(in);
        std::string header;
        for (std::uint64_t i = 0; i < header_lines_; ++i) {
          const auto line = lines.next();
          if (!line) {
            failure = "content has " + std::to_string(i) + " lines, fewer than header_line_count " +
                      std::to_string(header_lines_);
            return;
          }
          header += *line;
        }
        write_splits(session, ff, lines, header, children);
      });
      if (failure) {
        route_to_failure(context, session, ff, kReasonAttribute, *failure);
        continue;
      }
      const std::string count = std::to_string(children.size());
      for (FlowFile& child : children) {
        session.put_attribute(child, "fragment.count", count);
        session.transfer(child, kSplits);
      }
      session.transfer(ff, kOriginal);
    }
  }

 private:
  // Streams the lines after the header into splits of at most line_split_count lines and max_fragment_size
  // bytes (header included; a single larger line still makes one split). Each split is written as it is
  // read, through a buffer, so the content is never held whole in memory.
  void write_splits(ProcessSession& session, const FlowFile& parent, LineReader& lines,
                    const std::string& header, std::vector<FlowFile>& children) const {
    const std::string identifier = parent.uuid();
    const auto filename = parent.attribute("filename");
    std::size_t index = 0;
    std::string buffer;
    std::optional<std::string_view> line = lines.next();
    while (line) {
      FlowFile child = session.create(parent);
      std::uint64_t count = 0;
      std::uint64_t size = 0;
      bool has_body = false;
      session.write(child, [&](OutputStream& out) {
        auto flush = [&] {
          out.write(buffer);
          buffer.clear();
        };
        // Without trailing line breaks, a line's breaks are held back until text follows them in this
        // split, and the header waits for the first line with text: a split of nothing but line breaks
        // then holds only the header (without its own trailing breaks), or nothing.
        std::string held;
        if (!remove_trailing_) buffer += header;
        std::uint64_t body_bytes = 0;
        for (; line; line = lines.next()) {
          const bool full_by_lines = lines_ != 0 && count == lines_;
          const bool full_by_size =
              max_size_ && count > 0 && header.size() + body_bytes + line->size() > *max_size_;
          if (full_by_lines || full_by_size) break;
          ++count;
          body_bytes += line->size();
          if (!remove_trailing_) {
            buffer += *line;
          } else {
            const auto [text, breaks] = without_newlines(*line);
            if (!text.empty()) {
              if (!has_body) buffer += header;
              has_body = true;
              buffer += held;
              buffer += text;
              held.assign(breaks);
            } else {
              held += breaks;
            }
          }
          if (buffer.size() >= LineReader::kBlock) flush();
        }
        if (remove_trailing_ && !has_body) buffer += without_newlines(header).first;
        size = out.written() + buffer.size();
        flush();
      });
      if (remove_trailing_ && !has_body && header.empty()) {
        // Nothing but line breaks and no header: NiFi does not emit such a split either.
        session.remove(child);
        continue;
      }
      session.put_attribute(child, "text.line.count", std::to_string(count));
      session.put_attribute(child, "fragment.size", std::to_string(size));
      session.put_attribute(child, "fragment.identifier", identifier);
      session.put_attribute(child, "fragment.index", std::to_string(++index));
      if (filename) session.put_attribute(child, "segment.original.filename", filename->view());
      children.push_back(child);
    }
  }

  std::uint64_t lines_ = 0;
  std::uint64_t header_lines_ = 0;
  std::optional<std::uint64_t> max_size_;
  bool remove_trailing_ = true;
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "SplitText";
  s.summary = "Splits text into FlowFiles of up to `line_split_count` lines, each starting with the header.";
  s.description =
      "Cuts the content at line boundaries (`\\n`; a `\\r\\n` ending stays with its line) into splits of "
      "at most `line_split_count` lines and, if set, at most `max_fragment_size` bytes (a single longer "
      "line still makes one split). The first `header_line_count` lines are the header, copied at the start "
      "of every split. With `remove_trailing_newlines` the line breaks at the end of each split are "
      "removed, and a split of nothing but line breaks is not emitted. Splits go to `splits` with "
      "`fragment.*` attributes for MergeContent or for reassembly; the input goes to `original`. Content "
      "with fewer lines than the header goes to `failure` with the reason in `splittext.failure.reason`. "
      "The content is streamed in blocks: memory stays small whatever the input's size.";
  s.tags = {"split", "text", "lines", "csv", "fragment"};
  s.input = InputRequirement::kRequired;
  s.properties = {
      required_property("line_split_count", PropertyKind::kInt,
                        "Lines per split, the header not counted; 0 splits by `max_fragment_size` only."),
      optional_property("header_line_count", PropertyKind::kInt, "0",
                        "Lines at the start that form the header, copied into every split."),
      optional_property("max_fragment_size", PropertyKind::kSize, std::nullopt,
                        "Largest split in bytes, header included."),
      optional_property("remove_trailing_newlines", PropertyKind::kBool, "true",
                        "Remove line breaks at the end of each split; set false to merge splits back "
                        "byte for byte."),
  };
  s.relationships = {{"splits", "The splits."},
                     {"original", "The input, once split."},
                     {"failure", "Inputs with fewer lines than the header; see `splittext.failure.reason`."}};
  s.reads_attributes = {{"filename", "Copied to `segment.original.filename`."}};
  s.writes_attributes = {
      {"text.line.count", "Lines in this split, header not counted."},
      {"fragment.identifier", "The same for all splits of one input (the input's uuid)."},
      {"fragment.index", "1-based position of this split."},
      {"fragment.count", "How many splits the input gave."},
      {"fragment.size", "Bytes in this split."},
      {"segment.original.filename", "The input's filename."},
      {"splittext.failure.reason", "Why an input went to failure."},
  };
  s.examples = {
      {"CSV into chunks of 10,000 rows, each with the header row",
       "split:\n  type: SplitText\n  properties: { line_split_count: 10000, header_line_count: 1 }\n"
       "  terminate: [original, failure]\n"}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<SplitText>();
}

}  // namespace

const ProcessorDefinition& split_text_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::standard
