#include "expression/parser.hpp"

#include <cctype>
#include <optional>

#include <fmt/format.h>

#include "expression/function_table.hpp"

namespace sluice::internal::el {

namespace {

using Node = ExpressionNode;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// NiFi's unquoted attribute names: anything but the language's punctuation and white space.
bool is_name_char(char c) {
  switch (c) {
    case '$':
    case '{':
    case '}':
    case '(':
    case ')':
    case '[':
    case ']':
    case ',':
    case ':':
    case ';':
    case '/':
    case '*':
    case '\'':
    case '"': return false;
    default: return !is_space(c);
  }
}

bool is_identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

ExpressionNode make_node(ExpressionNode::Kind kind, std::size_t column, std::string text = {}) {
  ExpressionNode n;
  n.kind = kind;
  n.column = static_cast<std::uint32_t>(column);
  n.text = std::move(text);
  return n;
}

std::string describe(char c) {
  if (c == '\n') return "a line break";
  return fmt::format("'{}'", c);
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) { program_->text = std::string(text); }

  std::shared_ptr<const ExpressionProgram> run() {
    std::string literal;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c != '$') {
        literal += c;
        ++pos_;
        continue;
      }
      std::size_t run = 0;
      while (pos_ + run < text_.size() && text_[pos_ + run] == '$') ++run;
      if (pos_ + run >= text_.size() || text_[pos_ + run] != '{') {
        literal.append(run, '$');
        pos_ += run;
        continue;
      }
      // Before `{`, each `$$` is one literal `$`; an odd `$` left over opens an expression.
      literal.append(run / 2, '$');
      pos_ += run - (run % 2);
      if (run % 2 == 0) continue;
      if (auto secret = secret_reference()) {
        literal += *secret;
        continue;
      }
      if (!literal.empty()) program_->segments.push_back({std::move(literal), Node::kNone});
      literal.clear();
      program_->segments.push_back({{}, embedded()});
    }
    if (!literal.empty()) program_->segments.push_back({std::move(literal), Node::kNone});
    finish();
    return program_;
  }

 private:
  [[noreturn]] void fail(std::size_t at, const std::string& message) const {
    throw ExpressionError(message, at + 1);
  }
  [[nodiscard]] std::size_t col(std::size_t at) const { return at + 1; }

  void skip_space() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }
  [[nodiscard]] bool at_end() const { return pos_ >= text_.size(); }
  [[nodiscard]] char peek() const { return at_end() ? '\0' : text_[pos_]; }

  std::int32_t add(Node node) {
    program_->nodes.push_back(std::move(node));
    return static_cast<std::int32_t>(program_->nodes.size() - 1);
  }

  // `${env:NAME}` and `${file:PATH}` are secret references resolved with the property's value, not by the
  // expression language: they are kept as written.
  std::optional<std::string> secret_reference() {
    for (std::string_view prefix : {"${env:", "${file:"}) {
      if (text_.substr(pos_).starts_with(prefix)) {
        const std::size_t close = text_.find('}', pos_);
        if (close == std::string_view::npos) return std::nullopt;
        std::string_view inner = text_.substr(pos_ + prefix.size(), close - pos_ - prefix.size());
        if (inner.empty() || inner.find_first_of("(){$'\" ") != std::string_view::npos) return std::nullopt;
        std::string written(text_.substr(pos_, close + 1 - pos_));
        pos_ = close + 1;
        return written;
      }
    }
    return std::nullopt;
  }

  // At `${`: parses through the matching `}` and returns the expression's root node.
  std::int32_t embedded() {
    const std::size_t open = pos_;
    pos_ += 2;
    open_stack_.push_back(open);
    const std::int32_t root = chain();
    skip_space();
    if (at_end()) fail(open, "'${' is not closed (expected '}')");
    if (peek() != '}') {
      fail(pos_, fmt::format("unexpected {} (expected ':' and a function, or '}}' to close the '${{' at "
                             "column {})",
                             describe(peek()), col(open)));
    }
    ++pos_;
    open_stack_.pop_back();
    return root;
  }

  // subject (':' function(args))*
  std::int32_t chain() {
    skip_space();
    if (at_end()) fail(open_stack_.back(), "'${' is not closed (expected '}')");
    std::int32_t subject = subject_node();
    bool multi = program_->nodes[static_cast<std::size_t>(subject)].kind == Node::Kind::kMulti;
    std::int32_t chain_head = Node::kNone;
    if (multi)
      chain_head =
          add(make_node(Node::Kind::kCurrent, program_->nodes[static_cast<std::size_t>(subject)].column));
    std::int32_t current = multi ? chain_head : subject;
    bool has_step = false;
    for (;;) {
      skip_space();
      if (peek() != ':') break;
      ++pos_;
      skip_space();
      current = call(current, /*subjectless=*/false);
      has_step = true;
    }
    if (!multi) return subject == current ? subject : current;
    auto& m = program_->nodes[static_cast<std::size_t>(subject)];
    if (!has_step) {
      fail(m.column - 1,
           fmt::format("'{}' must be followed by a boolean function, e.g. ${{{}(…):equals('x')}}",
                       m.function->name, m.function->name));
    }
    m.chain = current;
    return subject;
  }

  std::int32_t subject_node() {
    const std::size_t start = pos_;
    const char c = peek();
    if (c == '\'' || c == '"') {
      Node n = make_node(Node::Kind::kAttribute, col(start));
      n.text = quoted();
      return add(std::move(n));
    }
    if (c == '$' && text_.substr(pos_).starts_with("${")) {
      fail(pos_,
           "a nested '${' cannot be a subject (write an attribute name or a function such as "
           "literal(…))");
    }
    while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
    if (pos_ == start) {
      fail(start, fmt::format("expected an attribute name or a function after '${{' (got {})", describe(c)));
    }
    std::string_view name = text_.substr(start, pos_ - start);
    const std::size_t after_name = pos_;
    skip_space();
    if (peek() == '(') {
      pos_ = start;
      return call(Node::kNone, /*subjectless=*/true);
    }
    pos_ = after_name;
    return add(make_node(Node::Kind::kAttribute, col(start), std::string(name)));
  }

  // name '(' args ')' with `subject` (kNone for a subjectless call).
  std::int32_t call(std::int32_t subject, bool subjectless) {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && is_identifier_char(text_[pos_])) ++pos_;
    if (pos_ == start) {
      fail(start, fmt::format("expected a function name after ':' (got {})",
                              at_end() ? std::string("the end") : describe(peek())));
    }
    const std::string_view name = text_.substr(start, pos_ - start);
    const FunctionSpec* spec = find_function(name);
    if (spec == nullptr) {
      const std::string near = nearest_function(name);
      fail(start, fmt::format("unknown function '{}'{}", name,
                              near.empty() ? std::string() : fmt::format(" (did you mean '{}'?)", near)));
    }
    if (subjectless && spec->subject == SubjectUse::kRequired) {
      fail(start, fmt::format("'{}' needs a subject, e.g. ${{filename:{}}}", name, spec->signature));
    }
    if (!subjectless && spec->subject != SubjectUse::kRequired && spec->subject != SubjectUse::kOptional) {
      fail(start, fmt::format("'{}' takes no subject: write it first, as ${{{}}}", name, spec->signature));
    }
    skip_space();
    if (peek() != '(') {
      fail(pos_, fmt::format("expected '(' after function name '{}' (got {})", name,
                             at_end() ? std::string("the end") : describe(peek())));
    }
    ++pos_;
    Node n =
        make_node(spec->subject == SubjectUse::kMulti ? Node::Kind::kMulti : Node::Kind::kCall, col(start));
    n.function = spec;
    n.subject = subject;
    skip_space();
    if (peek() != ')') {
      for (;;) {
        skip_space();
        n.args.push_back(argument());
        skip_space();
        if (peek() == ',') {
          ++pos_;
          continue;
        }
        if (peek() == ')') break;
        if (at_end()) fail(open_stack_.back(), "'${' is not closed (expected '}')");
        fail(pos_, fmt::format("unexpected {} in the arguments of '{}' (expected ',' or ')')",
                               describe(peek()), name));
      }
    }
    ++pos_;
    check_arguments(*spec, n, start);
    const std::int32_t index = add(std::move(n));
    if (spec->prepare != nullptr) {
      spec->prepare(PrepareContext{program_->nodes[static_cast<std::size_t>(index)], *program_});
    }
    return index;
  }

  void check_arguments(const FunctionSpec& spec, const Node& n, std::size_t start) const {
    const std::size_t count = n.args.size();
    if (count < spec.min_args || (spec.max_args != FunctionSpec::kVariadic && count > spec.max_args)) {
      std::string expected;
      if (spec.max_args == FunctionSpec::kVariadic) {
        expected = fmt::format("at least {} argument{}", spec.min_args, spec.min_args == 1 ? "" : "s");
      } else if (spec.min_args == spec.max_args) {
        expected = fmt::format("{} argument{}", spec.min_args, spec.min_args == 1 ? "" : "s");
      } else {
        expected = fmt::format("{} to {} arguments", spec.min_args, spec.max_args);
      }
      fail(start, fmt::format("'{}' takes {} (got {}): {}", spec.name, expected, count, spec.signature));
    }
    for (std::size_t i = 0; i < count; ++i) {
      const Node& a = program_->nodes[static_cast<std::size_t>(n.args[i])];
      if (a.kind != Node::Kind::kLiteral) continue;
      const ArgKind kind = spec.arg_kind(i);
      bool ok = true;
      if (kind == ArgKind::kNumber) {
        ok = a.value.is_number() || (a.value.type == Type::kString && parse_number(a.text).has_value());
      } else if (kind == ArgKind::kBool) {
        ok = a.value.type == Type::kBool ||
             (a.value.type == Type::kString && (iequals(a.text, "true") || iequals(a.text, "false")));
      }
      if (!ok) {
        const char* what = kind == ArgKind::kNumber ? "a number" : "true or false";
        fail(a.column - 1, fmt::format("argument {} of '{}' must be {} (got '{}'): {}", i + 1, spec.name,
                                       what, a.text, spec.signature));
      }
    }
  }

  std::int32_t argument() {
    const std::size_t start = pos_;
    const char c = peek();
    const std::size_t column = col(start);
    if (c == '\'' || c == '"') {
      Node n = make_node(Node::Kind::kLiteral, column);
      n.text = quoted();
      n.value = Value::string({});
      return add(std::move(n));
    }
    if (c == '$' && text_.substr(pos_).starts_with("${")) return embedded();
    if (c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9')) {
      ++pos_;
      while (pos_ < text_.size() &&
             (std::isalnum(static_cast<unsigned char>(text_[pos_])) != 0 || text_[pos_] == '.' ||
              ((text_[pos_] == '-' || text_[pos_] == '+') &&
               (text_[pos_ - 1] == 'e' || text_[pos_ - 1] == 'E')))) {
        ++pos_;
      }
      std::string_view literal = text_.substr(start, pos_ - start);
      auto number = parse_number(literal);
      if (!number) fail(start, fmt::format("'{}' is not a number", literal));
      Node n = make_node(Node::Kind::kLiteral, column, std::string(literal));
      n.value = number->value();
      return add(std::move(n));
    }
    std::size_t end = pos_;
    while (end < text_.size() && is_identifier_char(text_[end])) ++end;
    std::string_view word = text_.substr(start, end - start);
    if (word == "true" || word == "false") {
      pos_ = end;
      Node n = make_node(Node::Kind::kLiteral, column, std::string(word));
      n.value = Value::of_bool(word == "true");
      return add(std::move(n));
    }
    if (at_end()) fail(open_stack_.back(), "'${' is not closed (expected '}')");
    fail(start, fmt::format("expected an argument: a quoted string, a number, true, false or ${{…}} (got {})",
                            word.empty() ? describe(c) : fmt::format("'{}'", word)));
  }

  // A '…' or "…" literal with backslash escapes; returns its value.
  std::string quoted() {
    const std::size_t open = pos_;
    const char quote = text_[pos_++];
    std::string out;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      char c = text_[pos_++];
      if (c == '\\' && pos_ < text_.size()) {
        const char e = text_[pos_++];
        switch (e) {
          case 'n': c = '\n'; break;
          case 'r': c = '\r'; break;
          case 't': c = '\t'; break;
          case '\\':
          case '\'':
          case '"': c = e; break;
          default:
            out += '\\';  // unknown escapes stay as written (regexes keep their backslashes)
            c = e;
        }
      }
      out += c;
    }
    if (at_end()) fail(open, fmt::format("string starting with {} is not closed", quote));
    ++pos_;
    return out;
  }

  void finish() {
    auto& p = *program_;
    for (const auto& n : p.nodes) {
      if (n.kind == Node::Kind::kAttribute || n.kind == Node::Kind::kMulti) p.references_variables = true;
    }
    if (p.segments.empty() || (p.segments.size() == 1 && p.segments[0].root == Node::kNone)) {
      p.shape = ExpressionProgram::Shape::kLiteral;
      if (!p.segments.empty()) p.literal = p.segments[0].literal;
    } else if (p.segments.size() == 1 &&
               p.nodes[static_cast<std::size_t>(p.segments[0].root)].kind == Node::Kind::kAttribute) {
      p.shape = ExpressionProgram::Shape::kSingleAttribute;
      p.attribute = p.nodes[static_cast<std::size_t>(p.segments[0].root)].text;
    } else {
      p.shape = ExpressionProgram::Shape::kGeneral;
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::vector<std::size_t> open_stack_;
  std::shared_ptr<ExpressionProgram> program_ = std::make_shared<ExpressionProgram>();
};

}  // namespace

std::shared_ptr<const ExpressionProgram> compile_program(std::string_view text) {
  return Parser(text).run();
}

}  // namespace sluice::internal::el
