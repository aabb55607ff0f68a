// Walks a compiled program. Calls get their arguments lazily through Call; multi-attribute subjects run
// their chain once per selected value.
#include <regex>

#include <fmt/format.h>

#include "expression/call.hpp"
#include "expression/function_table.hpp"
#include "expression/regex_arg.hpp"

namespace sluice::internal::el {

namespace {

using Node = ExpressionNode;

bool chain_holds(const Node& multi, Value value, EvalContext& ctx) {
  const Value saved = ctx.current;
  ctx.current = value;
  const Value result = evaluate_node(multi.chain, ctx);
  ctx.current = saved;
  auto b = to_bool(result);
  return b.value_or(false);
}

// Any/all over the selected values: stops at the first value that decides the answer.
Value evaluate_multi(const Node& n, EvalContext& ctx) {
  const MultiMode mode = n.function->multi;
  const bool any =
      mode == MultiMode::kAnyNamed || mode == MultiMode::kAnyMatching || mode == MultiMode::kAnyDelineated;
  Call call(ctx, n, Value::null());
  bool decided = false;
  auto test = [&](Value v) {
    if (decided) return;
    if (chain_holds(n, v, ctx) == any) decided = true;
  };
  switch (mode) {
    case MultiMode::kAnyNamed:
    case MultiMode::kAllNamed:
      for (std::size_t i = 0; i < call.arg_count() && !decided; ++i) {
        std::string& scratch = ctx.scratch.next();
        const std::string_view name = call.text_arg(i);
        auto found = ctx.variables.lookup(name, scratch);
        test(found ? Value::string(*found) : Value::null());
      }
      break;
    case MultiMode::kAnyMatching:
    case MultiMode::kAllMatching: {
      const std::regex& re = regex_arg(call, 0);
      ctx.variables.for_each([&](std::string_view name, std::string_view value) {
        if (!decided && std::regex_match(name.begin(), name.end(), re)) test(Value::string(value));
      });
      break;
    }
    case MultiMode::kAnyDelineated:
    case MultiMode::kAllDelineated: {
      const std::string_view text = call.text_arg(0);
      const std::string_view delimiter = call.text_arg(1);
      if (delimiter.empty()) call.fail("the delimiter is empty");
      std::size_t start = 0;
      while (!decided) {
        const std::size_t end = text.find(delimiter, start);
        test(Value::string(text.substr(start, end == std::string_view::npos ? end : end - start)));
        if (end == std::string_view::npos) break;
        start = end + delimiter.size();
      }
      break;
    }
    case MultiMode::kNone: break;
  }
  return Value::of_bool(decided ? any : !any);
}

}  // namespace

Value evaluate_node(std::int32_t index, EvalContext& ctx) {
  const Node& n = ctx.program.nodes[static_cast<std::size_t>(index)];
  switch (n.kind) {
    case Node::Kind::kLiteral: return n.value.type == Type::kString ? Value::string(n.text) : n.value;
    case Node::Kind::kAttribute: {
      std::string& scratch = ctx.scratch.next();
      auto found = ctx.variables.lookup(n.text, scratch);
      return found ? Value::string(*found) : Value::null();
    }
    case Node::Kind::kCurrent: return ctx.current;
    case Node::Kind::kMulti: return evaluate_multi(n, ctx);
    case Node::Kind::kCall: {
      const Value subject = n.subject == Node::kNone ? Value::null() : evaluate_node(n.subject, ctx);
      return n.function->impl(Call(ctx, n, subject));
    }
  }
  return Value::null();
}

std::string_view Call::text_arg(std::size_t i) const {
  const Value v = arg(i);
  if (v.type == Type::kString) return v.text;
  return text_of(v, buffer());
}

std::string_view Call::subject_text() const {
  if (subject_.type == Type::kString) return subject_.text;
  return text_of(subject_, buffer());
}

Number Call::number_arg(std::size_t i) const {
  const Value v = arg(i);
  auto n = to_number(v, *this);
  if (!n) fail(fmt::format("argument {} is empty (expected a number)", i + 1));
  return *n;
}

std::int64_t Call::whole_arg(std::size_t i) const {
  const Number n = number_arg(i);
  return n.is_decimal ? static_cast<std::int64_t>(n.decimal) : n.whole;
}

void Call::fail(std::string_view message) const {
  throw ExpressionError(fmt::format("{}: {}", node_.function->name, message), node_.column);
}

const ExpressionNode* PrepareContext::literal_arg(std::size_t i) const {
  if (i >= node.args.size()) return nullptr;
  const ExpressionNode& a = program.nodes[static_cast<std::size_t>(node.args[i])];
  return a.kind == ExpressionNode::Kind::kLiteral ? &a : nullptr;
}

void PrepareContext::fail(std::size_t arg, std::string_view message) const {
  const std::size_t column =
      arg < node.args.size() ? program.nodes[static_cast<std::size_t>(node.args[arg])].column : node.column;
  throw ExpressionError(fmt::format("{}: {}", node.function->name, message), column);
}

std::optional<Number> to_number(const Value& v, const Call& call) {
  switch (v.type) {
    case Type::kNull: return std::nullopt;
    case Type::kWhole:
    case Type::kDate: return Number{false, v.whole, 0};
    case Type::kDecimal: return Number{true, 0, v.decimal};
    case Type::kBool: call.fail(fmt::format("{} is not a number", v.boolean ? "true" : "false"));
    case Type::kString: {
      if (java_trim(v.text).empty()) return std::nullopt;
      auto n = parse_number(v.text);
      if (!n) call.fail(fmt::format("'{}' is not a number", v.text));
      return n;
    }
  }
  return std::nullopt;
}

std::optional<bool> to_bool(const Value& v) {
  switch (v.type) {
    case Type::kNull: return std::nullopt;
    case Type::kBool: return v.boolean;
    case Type::kString: return iequals(java_trim(v.text), "true");
    default: return false;
  }
}

}  // namespace sluice::internal::el
