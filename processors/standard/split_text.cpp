#include "split_text.hpp"

#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "failure.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::standard {

namespace {

constexpr std::string_view kSplits = "splits";
constexpr std::string_view kOriginal = "original";
constexpr std::string_view kReasonAttribute = "splittext.failure.reason";

// The end of the line starting at `from` (just past its '\n', or the end of the text).
std::size_t line_end(std::string_view text, std::size_t from) {
  const void* nl = std::memchr(text.data() + from, '\n', text.size() - from);
  return nl == nullptr ? text.size()
                       : static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) + 1;
}

std::string_view trim_newlines(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

struct Split {
  std::size_t begin = 0;  // body bytes in the original content, after the header
  std::size_t end = 0;
  std::uint64_t lines = 0;
};

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
    std::vector<Split> splits;
    std::vector<FlowFile> children;
    for (FlowFile& ff : session.get(context.batch_size())) {
      std::optional<std::string> failure;
      children.clear();
      session.read(ff, [&](InputStream& in) {
        const std::string_view text = in.view();
        std::size_t header_end = 0;
        for (std::uint64_t i = 0; i < header_lines_; ++i) {
          if (header_end == text.size()) {
            failure = "content has " + std::to_string(i) + " lines, fewer than header_line_count " +
                      std::to_string(header_lines_);
            return;
          }
          header_end = line_end(text, header_end);
        }
        plan(text, header_end, splits);
        write_splits(session, ff, text, header_end, splits, children);
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
  // Cuts the body after the header into splits of at most line_split_count lines and max_fragment_size
  // bytes (header included); a single line larger than that still makes one split.
  void plan(std::string_view text, std::size_t body, std::vector<Split>& splits) const {
    splits.clear();
    const std::uint64_t header_bytes = body;
    Split current{body, body, 0};
    for (std::size_t pos = body; pos < text.size();) {
      const std::size_t next = line_end(text, pos);
      const bool full_by_lines = lines_ != 0 && current.lines == lines_;
      const bool full_by_size =
          max_size_ && current.lines > 0 && header_bytes + (next - current.begin) > *max_size_;
      if (full_by_lines || full_by_size) {
        splits.push_back(current);
        current = Split{pos, pos, 0};
      }
      current.end = next;
      ++current.lines;
      pos = next;
    }
    if (current.lines > 0) splits.push_back(current);
  }

  void write_splits(ProcessSession& session, const FlowFile& parent, std::string_view text,
                    std::size_t header_end, const std::vector<Split>& splits,
                    std::vector<FlowFile>& children) const {
    const std::string_view header = text.substr(0, header_end);
    const std::string identifier = parent.uuid();
    const auto filename = parent.attribute("filename");
    std::size_t index = 0;
    for (const Split& split : splits) {
      std::string_view body = text.substr(split.begin, split.end - split.begin);
      std::string_view head = header;
      if (remove_trailing_) {
        body = trim_newlines(body);
        // A split of nothing but line breaks carries nothing: NiFi does not emit it either.
        if (body.empty() && header.empty()) continue;
        if (body.empty()) head = trim_newlines(header);
      }
      FlowFile child = session.create(parent);
      session.write(child, [&](OutputStream& out) {
        out.write(head);
        out.write(body);
      });
      session.put_attribute(child, "text.line.count", std::to_string(split.lines));
      session.put_attribute(child, "fragment.size", std::to_string(head.size() + body.size()));
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
      "The content is read through a mapped view: a split costs one write of its own bytes.";
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
