// Placeholder until the expression language lands: every expression is its literal text.
#include "sluice/expression.hpp"

namespace sluice {

namespace internal {
struct ExpressionProgram {
  std::string text;
};
}  // namespace internal

Expression::Expression() : program_(std::make_shared<internal::ExpressionProgram>()) {}

Expression Expression::compile(std::string_view text) {
  Expression e;
  e.program_ = std::make_shared<internal::ExpressionProgram>(internal::ExpressionProgram{std::string(text)});
  return e;
}

std::string Expression::evaluate(const VariableSource& /*variables*/,
                                 const EvaluationEnvironment& /*env*/) const {
  return program_->text;
}

bool Expression::evaluate_bool(const VariableSource& variables, const EvaluationEnvironment& env) const {
  return evaluate(variables, env) == "true";
}

bool Expression::is_literal() const {
  return true;
}
bool Expression::references_variables() const {
  return false;
}
const std::string& Expression::text() const {
  return program_->text;
}

std::optional<std::string_view> FlowFileVariables::lookup(std::string_view name, std::string& scratch) const {
  auto value = flowfile_.attribute(name);
  if (!value) return std::nullopt;
  scratch.assign(value->view());
  return std::string_view(scratch);
}

void FlowFileVariables::for_each(const std::function<void(std::string_view, std::string_view)>& fn) const {
  flowfile_.for_each_attribute(fn);
}

}  // namespace sluice
