// The expression language (NiFi-compatible syntax): `${filename:substringBefore('.'):toUpper()}`.
// An expression is compiled once, when its property is loaded, and evaluated many times without re-parsing.
// It reads names from a VariableSource: a FlowFile's attributes, a record's fields, or any map.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "sluice/flowfile.hpp"

namespace sluice {

namespace internal {
struct ExpressionProgram;  // engine-private compiled form
}

// Where an expression finds the values of the names it refers to.
class VariableSource {
 public:
  virtual ~VariableSource() = default;
  // The value of `name`, or nullopt when absent. A computed value may be built in `scratch`; the view is
  // valid until `scratch` is next written or the source changes.
  virtual std::optional<std::string_view> lookup(std::string_view name, std::string& scratch) const = 0;
  // Every name and value, for the multi-attribute functions (anyAttribute, allMatchingAttributes, …).
  virtual void for_each(
      const std::function<void(std::string_view name, std::string_view value)>& fn) const = 0;
};

// A FlowFile's attributes (stored and core) as variables.
class FlowFileVariables final : public VariableSource {
 public:
  explicit FlowFileVariables(const FlowFile& flowfile) : flowfile_(flowfile) {}
  std::optional<std::string_view> lookup(std::string_view name, std::string& scratch) const override;
  void for_each(const std::function<void(std::string_view, std::string_view)>& fn) const override;

 private:
  const FlowFile& flowfile_;
};

// Variables from a map: a record's fields, a test's attributes. The map must outlive the source.
class MapVariables final : public VariableSource {
 public:
  using Map = std::map<std::string, std::string, std::less<>>;
  explicit MapVariables(const Map& values) : values_(values) {}
  std::optional<std::string_view> lookup(std::string_view name, std::string& scratch) const override;
  void for_each(const std::function<void(std::string_view, std::string_view)>& fn) const override;

 private:
  const Map& values_;
};

// What an evaluation may need besides its variables. `now_ms` comes from the engine's (injectable) clock so
// that `${now()}` is testable.
struct EvaluationEnvironment {
  std::int64_t now_ms = 0;
};

// A syntax error (at compile time) or an evaluation error (a function given a value it cannot take).
class ExpressionError : public std::runtime_error {
 public:
  ExpressionError(const std::string& message, std::size_t column)
      : std::runtime_error(message), column_(column) {}
  // 1-based column in the expression text; 0 when the error is not tied to a position.
  [[nodiscard]] std::size_t column() const { return column_; }

 private:
  std::size_t column_;
};

class Expression {
 public:
  Expression();  // the empty literal
  // Parses and checks `text` (function names, argument counts, literal types). Throws ExpressionError.
  static Expression compile(std::string_view text);

  // The result as a string. Throws ExpressionError when a function cannot take its input (toNumber of "x").
  [[nodiscard]] std::string evaluate(const VariableSource& variables, const EvaluationEnvironment& env) const;
  [[nodiscard]] std::string evaluate(const FlowFile& flowfile, const EvaluationEnvironment& env) const {
    return evaluate(FlowFileVariables(flowfile), env);
  }
  // For boolean properties (RouteOnAttribute): the result is "true" (case-insensitive).
  [[nodiscard]] bool evaluate_bool(const VariableSource& variables, const EvaluationEnvironment& env) const;

  // True when the text has no `${…}`: evaluate() returns the text (with `$${` unescaped) without work.
  [[nodiscard]] bool is_literal() const;
  // True when the value depends on nothing but the clock and environment (no variables referenced).
  [[nodiscard]] bool references_variables() const;
  [[nodiscard]] const std::string& text() const;

 private:
  std::shared_ptr<const internal::ExpressionProgram> program_;
};

}  // namespace sluice
