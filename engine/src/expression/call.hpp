// What a function implementation sees: its subject, its arguments (evaluated on demand, so that `or` and
// `ifElse` evaluate only what they need), scratch buffers for its result, and a way to fail with the
// column of the call.
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>

#include "expression/program.hpp"
#include "expression/value.hpp"
#include "sluice/expression.hpp"

namespace sluice::internal::el {

// Strings built during one evaluation. References stay valid while the evaluation runs (a deque never moves
// its elements); buffers keep their capacity from one evaluation to the next on the same thread, so a warm
// evaluation allocates nothing for them.
class Scratch {
 public:
  std::string& next() {
    if (used_ == buffers_.size()) buffers_.emplace_back();
    std::string& s = buffers_[used_++];
    s.clear();
    return s;
  }
  [[nodiscard]] std::size_t mark() const { return used_; }
  void release(std::size_t mark) { used_ = mark; }

 private:
  std::deque<std::string> buffers_;
  std::size_t used_ = 0;
};

struct EvalContext {
  const ExpressionProgram& program;
  const VariableSource& variables;
  const EvaluationEnvironment& env;
  Scratch& scratch;
  Value current;  // the value under test inside a multi-attribute chain
};

Value evaluate_node(std::int32_t index, EvalContext& ctx);

class Call {
 public:
  Call(EvalContext& ctx, const ExpressionNode& node, Value subject)
      : ctx_(ctx), node_(node), subject_(subject) {}

  [[nodiscard]] const Value& subject() const { return subject_; }
  [[nodiscard]] std::size_t arg_count() const { return node_.args.size(); }
  [[nodiscard]] Value arg(std::size_t i) const { return evaluate_node(node_.args[i], ctx_); }
  // The argument as text (null as ""), formatted into a scratch buffer when it is not a string.
  [[nodiscard]] std::string_view text_arg(std::size_t i) const;
  // The argument as a number; fails when it is not one.
  [[nodiscard]] Number number_arg(std::size_t i) const;
  [[nodiscard]] std::int64_t whole_arg(std::size_t i) const;
  // The subject as text; null as "".
  [[nodiscard]] std::string_view subject_text() const;

  // A fresh buffer for building a result; the returned Value may view it until the evaluation ends.
  [[nodiscard]] std::string& buffer() const { return ctx_.scratch.next(); }
  [[nodiscard]] const ExpressionNode& node() const { return node_; }
  [[nodiscard]] const EvaluationEnvironment& env() const { return ctx_.env; }
  [[nodiscard]] EvalContext& context() const { return ctx_; }

  // Throws ExpressionError naming the function, at the call's column.
  [[noreturn]] void fail(std::string_view message) const;

 private:
  EvalContext& ctx_;
  const ExpressionNode& node_;
  Value subject_;
};

// What a function's compile-time hook sees.
struct PrepareContext {
  ExpressionNode& node;
  const ExpressionProgram& program;
  // The literal argument i, or nullptr when it is computed at evaluation time.
  [[nodiscard]] const ExpressionNode* literal_arg(std::size_t i) const;
  [[noreturn]] void fail(std::size_t arg, std::string_view message) const;
};

// Coercions with NiFi's rules; a value that cannot be converted makes `call` fail.
std::optional<Number> to_number(const Value& v, const Call& call);
std::optional<bool> to_bool(const Value& v);

}  // namespace sluice::internal::el
