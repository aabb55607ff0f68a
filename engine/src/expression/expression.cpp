// The public face of the expression language: compile once, evaluate with fast paths for the shapes most
// properties have (plain text, a single attribute).
#include "sluice/expression.hpp"

#include <cstdint>

#include "expression/call.hpp"
#include "expression/parser.hpp"

namespace sluice {

namespace {

// Evaluation buffers, one pool per thread: a scope returns what it took, so nested or repeated evaluations
// reuse the same strings and a warm evaluation does not allocate for them.
class ScratchScope {
 public:
  ScratchScope() : scratch(pool()), mark_(scratch.mark()) {}
  ~ScratchScope() { scratch.release(mark_); }
  ScratchScope(const ScratchScope&) = delete;
  ScratchScope& operator=(const ScratchScope&) = delete;

  internal::el::Scratch& scratch;

 private:
  static internal::el::Scratch& pool() {
    thread_local internal::el::Scratch instance;
    return instance;
  }
  std::size_t mark_;
};

}  // namespace

Expression::Expression() : program_(std::make_shared<internal::ExpressionProgram>()) {}

Expression Expression::compile(std::string_view text) {
  Expression e;
  e.program_ = internal::el::compile_program(text);
  return e;
}

std::string Expression::evaluate(const VariableSource& variables, const EvaluationEnvironment& env) const {
  const auto& p = *program_;
  switch (p.shape) {
    case internal::ExpressionProgram::Shape::kLiteral: return p.literal;
    case internal::ExpressionProgram::Shape::kSingleAttribute: {
      std::string scratch;
      auto value = variables.lookup(p.attribute, scratch);
      if (!value) return {};
      if (value->data() == scratch.data()) return scratch;
      return std::string(*value);
    }
    case internal::ExpressionProgram::Shape::kGeneral: break;
  }
  ScratchScope scope;
  internal::el::EvalContext ctx{p, variables, env, scope.scratch, internal::el::Value::null()};
  // Built in a pooled buffer, then copied once: the result allocates at most once, at its final size.
  std::string& out = scope.scratch.next();
  for (const auto& segment : p.segments) {
    if (segment.root == internal::ExpressionNode::kNone) {
      out += segment.literal;
    } else {
      internal::el::append_text(internal::el::evaluate_node(segment.root, ctx), out);
    }
  }
  return out;
}

bool Expression::evaluate_bool(const VariableSource& variables, const EvaluationEnvironment& env) const {
  const auto& p = *program_;
  if (p.shape == internal::ExpressionProgram::Shape::kGeneral && p.segments.size() == 1) {
    ScratchScope scope;
    internal::el::EvalContext ctx{p, variables, env, scope.scratch, internal::el::Value::null()};
    const internal::el::Value v = internal::el::evaluate_node(p.segments[0].root, ctx);
    if (v.type == internal::el::Type::kBool) return v.boolean;
    std::string text;
    return internal::el::iequals(internal::el::java_trim(internal::el::text_of(v, text)), "true");
  }
  return internal::el::iequals(internal::el::java_trim(evaluate(variables, env)), "true");
}

bool Expression::is_literal() const {
  return program_->shape == internal::ExpressionProgram::Shape::kLiteral;
}

bool Expression::references_variables() const {
  return program_->references_variables;
}

const std::string& Expression::text() const {
  return program_->text;
}

std::optional<std::string_view> FlowFileVariables::lookup(std::string_view name, std::string& scratch) const {
  auto value = flowfile_.attribute(name);
  if (!value) return std::nullopt;
  // A stored attribute's view outlives this call; a computed one (uuid, fileSize) lives in `value` itself.
  const auto data = reinterpret_cast<std::uintptr_t>(value->view().data());
  const auto self = reinterpret_cast<std::uintptr_t>(&*value);
  if (data < self || data >= self + sizeof(AttributeValue)) return value->view();
  scratch.assign(value->view());
  return std::string_view(scratch);
}

std::optional<std::string_view> MapVariables::lookup(std::string_view name, std::string& /*scratch*/) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return std::string_view(it->second);
}

void MapVariables::for_each(const std::function<void(std::string_view, std::string_view)>& fn) const {
  for (const auto& [name, value] : values_) fn(name, value);
}

void FlowFileVariables::for_each(const std::function<void(std::string_view, std::string_view)>& fn) const {
  flowfile_.for_each_attribute(fn);
}

}  // namespace sluice
