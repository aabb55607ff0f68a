#include "replace_text.hpp"

#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "failure.hpp"
#include "regex.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::standard {

namespace {

constexpr std::string_view kSuccess = "success";
constexpr std::string_view kReasonAttribute = "replacetext.failure.reason";

enum class Strategy : std::uint8_t { kRegex, kLiteral, kPrepend, kAppend, kAlways };

// Thrown from inside the content writer: the FlowFile goes to failure unchanged.
struct TooLarge {
  std::string reason;
};

// A FlowFile's attributes plus the current match's groups as `$0`, `$1`, …, so that a replacement such as
// `${'$1':toUpper()}` can transform a group (as NiFi allows).
class GroupVariables final : public VariableSource {
 public:
  GroupVariables(const FlowFile& ff, const Matcher& m, std::size_t groups)
      : attributes_(ff), matcher_(m), groups_(groups) {}
  std::optional<std::string_view> lookup(std::string_view name, std::string& scratch) const override {
    if (name.size() >= 2 && name[0] == '$') {
      std::size_t index = 0;
      bool digits = true;
      for (const char c : name.substr(1)) {
        if (c < '0' || c > '9') digits = false;
        index = index * 10 + static_cast<std::size_t>(c - '0');
      }
      if (digits && index <= groups_) return matcher_.group(index).value_or(std::string_view());
    }
    return attributes_.lookup(name, scratch);
  }
  void for_each(const std::function<void(std::string_view, std::string_view)>& fn) const override {
    attributes_.for_each(fn);
  }

 private:
  FlowFileVariables attributes_;
  const Matcher& matcher_;
  std::size_t groups_;
};

// Java's Matcher.appendReplacement rules: `\x` is x; `$n` is group n (more digits while they still name a
// group); a group that did not participate is empty; `$` before anything else, or a group number the regex
// does not have, is kept as written.
void append_expanded(std::string& out, std::string_view replacement, const Matcher& m, std::size_t groups) {
  for (std::size_t i = 0; i < replacement.size(); ++i) {
    const char c = replacement[i];
    if (c == '\\' && i + 1 < replacement.size()) {
      out += replacement[++i];
      continue;
    }
    if (c != '$' || i + 1 >= replacement.size() || replacement[i + 1] < '0' || replacement[i + 1] > '9') {
      out += c;
      continue;
    }
    auto group = static_cast<std::size_t>(replacement[i + 1] - '0');
    if (group > groups) {
      out += c;
      continue;
    }
    std::size_t j = i + 2;
    while (j < replacement.size() && replacement[j] >= '0' && replacement[j] <= '9') {
      const std::size_t longer = group * 10 + static_cast<std::size_t>(replacement[j] - '0');
      if (longer > groups) break;
      group = longer;
      ++j;
    }
    if (auto value = m.group(group)) out += *value;
    i = j - 1;
  }
}

class ReplaceText final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    const std::string strategy = context.string_property("replacement_strategy");
    if (strategy == "regex_replace") {
      strategy_ = Strategy::kRegex;
    } else if (strategy == "literal_replace") {
      strategy_ = Strategy::kLiteral;
    } else if (strategy == "prepend") {
      strategy_ = Strategy::kPrepend;
    } else if (strategy == "append") {
      strategy_ = Strategy::kAppend;
    } else if (strategy == "always_replace") {
      strategy_ = Strategy::kAlways;
    } else {
      throw ProcessorError("replacement_strategy '" + strategy + "' is not supported");
    }
    search_ = context.string_property("search_value");
    regex_.reset();
    if (strategy_ == Strategy::kRegex) regex_ = Regex::compile(search_, "property 'search_value'");
    if (strategy_ == Strategy::kLiteral && search_.empty()) {
      throw ProcessorError("search_value must not be empty with replacement_strategy literal_replace");
    }
    replacement_ = &context.expression("replacement_value");
    by_line_ = context.string_property("evaluation") == "line";
    max_buffer_ = context.size_property("max_buffer_size");
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    const EvaluationEnvironment env = context.environment();
    std::optional<Matcher> matcher;
    if (regex_) matcher.emplace(*regex_);
    std::string replacement;
    std::string piece;
    for (FlowFile& ff : session.get(context.batch_size())) {
      try {
        // Without groups to refer to, the replacement is the same for every match: evaluate it once.
        if (strategy_ != Strategy::kRegex || replacement_->is_literal()) {
          replacement = replacement_->evaluate(FlowFileVariables(ff), env);
        }
        if (!by_line_ && strategy_ != Strategy::kPrepend && strategy_ != Strategy::kAppend &&
            ff.size() > max_buffer_) {
          throw TooLarge{"content of " + std::to_string(ff.size()) +
                         " bytes is larger than max_buffer_size " + std::to_string(max_buffer_) +
                         " (evaluation: entire)"};
        }
        session.write(ff, [&](OutputStream& out) {
          session.read(ff, [&](InputStream& in) {
            const std::string_view text = in.view();
            if (!by_line_) {
              transform(text, ff, matcher, replacement, env, piece);
              out.write(piece);
              return;
            }
            for (std::size_t pos = 0, line = 1; pos < text.size(); ++line) {
              const void* nl = std::memchr(text.data() + pos, '\n', text.size() - pos);
              const std::size_t next =
                  nl == nullptr ? text.size()
                                : static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) + 1;
              std::size_t body_end = next;
              if (body_end > pos && text[body_end - 1] == '\n') --body_end;
              if (body_end > pos && text[body_end - 1] == '\r') --body_end;
              if (body_end - pos > max_buffer_) {
                throw TooLarge{"line " + std::to_string(line) + " has " + std::to_string(body_end - pos) +
                               " bytes, more than max_buffer_size " + std::to_string(max_buffer_)};
              }
              transform(text.substr(pos, body_end - pos), ff, matcher, replacement, env, piece);
              out.write(piece);
              out.write(text.substr(body_end, next - body_end));  // the line break, as it was
              pos = next;
            }
          });
        });
      } catch (const TooLarge& e) {
        route_to_failure(context, session, ff, kReasonAttribute, e.reason);
        continue;
      } catch (const ExpressionError& e) {
        route_to_failure(context, session, ff, kReasonAttribute,
                         std::string("cannot evaluate replacement_value: ") + e.what());
        continue;
      }
      session.transfer(ff, kSuccess);
    }
  }

 private:
  // `text` (a line without its break, or the whole content) transformed into `out`.
  void transform(std::string_view text, const FlowFile& ff, std::optional<Matcher>& matcher,
                 const std::string& replacement, const EvaluationEnvironment& env, std::string& out) const {
    out.clear();
    switch (strategy_) {
      case Strategy::kPrepend:
        out += replacement;
        out += text;
        return;
      case Strategy::kAppend:
        out += text;
        out += replacement;
        return;
      case Strategy::kAlways: out += replacement; return;
      case Strategy::kLiteral: {
        std::size_t pos = 0;
        for (std::size_t hit; (hit = text.find(search_, pos)) != std::string_view::npos;
             pos = hit + search_.size()) {
          out += text.substr(pos, hit - pos);
          out += replacement;
        }
        out += text.substr(pos);
        return;
      }
      case Strategy::kRegex: replace_all(text, ff, *matcher, replacement, env, out); return;
    }
  }

  void replace_all(std::string_view text, const FlowFile& ff, Matcher& m, const std::string& literal,
                   const EvaluationEnvironment& env, std::string& out) const {
    const std::size_t groups = regex_->capture_count();
    std::string evaluated;
    std::size_t copied = 0;
    for (std::size_t offset = 0; offset <= text.size() && m.find(text, offset);) {
      out += text.substr(copied, m.start() - copied);
      if (replacement_->is_literal()) {
        append_expanded(out, literal, m, groups);
      } else {
        evaluated = replacement_->evaluate(GroupVariables(ff, m, groups), env);
        append_expanded(out, evaluated, m, groups);
      }
      copied = m.end();
      if (m.end() == m.start()) {
        // An empty match: step over one byte so that the next search makes progress.
        if (m.end() < text.size()) out += text[m.end()];
        copied = m.end() + 1;
        offset = m.end() + 1;
      } else {
        offset = m.end();
      }
    }
    if (copied < text.size()) out += text.substr(copied);
  }

  Strategy strategy_ = Strategy::kRegex;
  std::string search_;
  std::optional<Regex> regex_;
  const Expression* replacement_ = nullptr;
  bool by_line_ = true;
  std::uint64_t max_buffer_ = 0;
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "ReplaceText";
  s.summary = "Replaces text in the content by regex or literal, line by line or in the whole content.";
  s.description =
      "With `replacement_strategy: regex_replace` every match of `search_value` (PCRE2: Perl/Java syntax) "
      "is replaced by `replacement_value`, in which `$1`, `$2`, … are the match's groups (`\\$` a literal "
      "dollar) and which may be an expression: `${'$1':toUpper()}` transforms a group. `literal_replace` "
      "replaces every occurrence of `search_value` as plain text; `prepend`, `append` and "
      "`always_replace` add `replacement_value` before, after, or instead of the text. With `evaluation: "
      "line` each line (without its line break, which is kept as it was) is processed on its own; with "
      "`entire`, the whole content. `max_buffer_size` bounds what one regex sees: a longer line, or a "
      "longer content in `entire` mode, sends the FlowFile to `failure` unchanged with the reason in "
      "`replacetext.failure.reason`, so a huge file without line breaks cannot take unbounded time or "
      "memory. The content is read through a mapped view and the result written streaming.";
  s.tags = {"text", "update", "change", "replace", "modify", "regex", "regular expression"};
  s.input = InputRequirement::kRequired;
  s.properties = {
      enum_property("replacement_strategy", "regex_replace",
                    {{"regex_replace", "Replace each regex match, with `$n` group references."},
                     {"literal_replace", "Replace each occurrence of `search_value` as plain text."},
                     {"prepend", "Insert `replacement_value` before the text."},
                     {"append", "Add `replacement_value` after the text."},
                     {"always_replace", "Replace the text with `replacement_value`."}},
                    "How the replacement is applied."),
      optional_property("search_value", PropertyKind::kString, "(?s)(^.*$)",
                        "The regex (regex_replace) or text (literal_replace) to find."),
      optional_property("replacement_value", PropertyKind::kExpression, "$1",
                        "What replaces each match: an expression; `$n` refers to group n."),
      enum_property(
          "evaluation", "line",
          {{"line", "Each line on its own, line breaks kept."}, {"entire", "The whole content at once."}},
          "What one search runs over (NiFi's Evaluation Mode)."),
      optional_property("max_buffer_size", PropertyKind::kSize, "1 MiB",
                        "Largest line (or content, in entire mode) processed; larger ones go to failure."),
  };
  s.relationships = {{"success", "FlowFiles with their content replaced."},
                     {"failure",
                      "FlowFiles over max_buffer_size, or whose replacement could not be "
                      "evaluated, unchanged; see `replacetext.failure.reason`."}};
  s.writes_attributes = {{"replacetext.failure.reason", "Why a FlowFile went to failure."}};
  s.examples = {
      {"Mask all but the last four digits of card numbers",
       "mask:\n  type: ReplaceText\n  properties:\n    search_value: '\\b\\d{12}(\\d{4})\\b'\n"
       "    replacement_value: '************$1'\n  terminate: [failure]\n"},
      {"Prefix every line with the source file name",
       "tag:\n  type: ReplaceText\n  properties:\n    replacement_strategy: prepend\n"
       "    replacement_value: '${filename},'\n  terminate: [failure]\n"},
  };
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<ReplaceText>();
}

}  // namespace

const ProcessorDefinition& replace_text_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::standard
