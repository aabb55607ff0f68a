#include "filter_lines.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace line_filter {

namespace {

constexpr std::string_view kMatched = "matched";
constexpr std::string_view kUnmatched = "unmatched";
constexpr std::string_view kFailure = "failure";

// For expressions that reference no variables.
class NoVariables final : public sluice::VariableSource {
 public:
  std::optional<std::string_view> lookup(std::string_view /*name*/, std::string& /*scratch*/) const override {
    return std::nullopt;
  }
  void for_each(const std::function<void(std::string_view, std::string_view)>& /*fn*/) const override {}
};

class FilterLines final : public sluice::Processor {
 public:
  void on_schedule(sluice::ProcessContext& context) override {
    invert_ = context.bool_property("invert");
    // An expression without ${...} has the same value for every FlowFile: take it once, here.
    const sluice::Expression& contains = context.expression("contains");
    literal_.reset();
    if (contains.is_literal()) literal_ = contains.evaluate(NoVariables(), context.environment());
  }

  void on_trigger(sluice::ProcessContext& context, sluice::ProcessSession& session) override {
    // A batch per trigger: one commit (and one fsync) covers all of them.
    for (sluice::FlowFile& ff : session.get(context.batch_size())) {
      std::string needle;
      if (literal_) {
        needle = *literal_;
      } else {
        try {
          needle = context.expression("contains").evaluate(ff, context.environment());
        } catch (const sluice::ExpressionError& e) {
          // Bad input is never dropped: it goes to `failure` with the reason.
          session.put_attribute(ff, "filterlines.error", e.what());
          session.transfer(ff, kFailure);
          continue;
        }
      }
      filter(session, ff, needle);
    }
  }

 private:
  // Writes the kept lines into a child of `ff` while reading `ff`'s content once, line by line, without
  // copying it (InputStream::view() maps it).
  void filter(sluice::ProcessSession& session, sluice::FlowFile& ff, std::string_view needle) const {
    sluice::FlowFile kept = session.create(ff);  // inherits the attributes
    std::uint64_t total = 0;
    std::uint64_t matched = 0;
    session.write(kept, [&](sluice::OutputStream& out) {
      session.read(ff, [&](sluice::InputStream& in) {
        std::string_view rest = in.view();
        while (!rest.empty()) {
          const std::size_t end = rest.find('\n');
          const std::size_t length = end == std::string_view::npos ? rest.size() : end + 1;
          const std::string_view line = rest.substr(0, length);
          rest.remove_prefix(length);
          ++total;
          if ((line.find(needle) != std::string_view::npos) != invert_) {
            ++matched;
            out.write(line);
          }
        }
      });
    });
    if (matched == 0) {
      session.remove(kept);  // nothing kept: the original goes on unchanged
      session.put_attribute(ff, "filterlines.total", std::to_string(total));
      session.transfer(ff, kUnmatched);
      return;
    }
    session.put_attribute(kept, "filterlines.total", std::to_string(total));
    session.put_attribute(kept, "filterlines.kept", std::to_string(matched));
    session.transfer(kept, kMatched);
    session.remove(ff);  // replaced by `kept`; provenance records the fork and the drop
  }

  bool invert_ = false;
  std::optional<std::string> literal_;
};

sluice::PropertySpec property(std::string name, sluice::PropertyKind kind,
                              std::optional<std::string> default_value, std::string description) {
  sluice::PropertySpec p;
  p.name = std::move(name);
  p.kind = kind;
  p.default_value = std::move(default_value);
  p.description = std::move(description);
  return p;
}

sluice::ProcessorSpec make_spec() {
  sluice::ProcessorSpec s;
  s.type = "FilterLines";
  s.summary = "Keeps the lines of text content that contain a given text.";
  s.description =
      "Reads each FlowFile's content as lines (ending in `\\n`) and writes the lines that contain `contains` "
      "(or, with `invert`, those that do not) to a new FlowFile on `matched`, which keeps the original's "
      "attributes. A FlowFile none of whose lines is kept goes to `unmatched` unchanged. The content is "
      "read in one pass without copying.";
  s.tags = {"text", "filter", "lines", "example"};
  sluice::PropertySpec contains =
      property("contains", sluice::PropertyKind::kExpression, std::nullopt,
               "The text a kept line contains. An expression evaluated for each FlowFile, so that "
               "`${customer}` keeps the lines of that FlowFile's customer.");
  contains.required = true;
  s.properties = {
      contains,
      property("invert", sluice::PropertyKind::kBool, "false",
               "Keep the lines that do not contain the text."),
  };
  s.relationships = {
      {std::string(kMatched), "The kept lines, with `filterlines.kept` and `filterlines.total`."},
      {std::string(kUnmatched), "FlowFiles with no line to keep, unchanged but for `filterlines.total`."},
      {std::string(kFailure),
       "FlowFiles for which `contains` could not be evaluated; see `filterlines.error`."},
  };
  s.input = sluice::InputRequirement::kRequired;
  s.status = sluice::Status::kStable;
  s.writes_attributes = {
      {"filterlines.kept", "How many lines were kept."},
      {"filterlines.total", "How many lines the content had."},
      {"filterlines.error", "Why `contains` could not be evaluated (on `failure`)."},
  };
  s.examples = {{"Keep the error lines of log files",
                 "processors:\n"
                 "  errors:\n"
                 "    type: FilterLines\n"
                 "    properties: { contains: ERROR }\n"}};
  return s;
}

}  // namespace

const sluice::ProcessorDefinition& filter_lines_definition() {
  // A function-local static: built inside the manifest call, where the engine catches a throw.
  static const sluice::ProcessorDefinition kDefinition{
      make_spec(), [] { return std::unique_ptr<sluice::Processor>(new FilterLines()); }};
  return kDefinition;
}

}  // namespace line_filter
