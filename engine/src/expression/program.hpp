// The compiled form of an expression: the text split into literal parts and expression trees. Nodes live in
// one vector and refer to each other by index, so a program is a few allocations made once at compile time.
#pragma once

#include <any>
#include <cstdint>
#include <string>
#include <vector>

#include "expression/value.hpp"

namespace sluice::internal::el {
struct FunctionSpec;
}

namespace sluice::internal {

struct ExpressionNode {
  enum class Kind : std::uint8_t {
    kLiteral,    // a string, number or boolean literal: `value` (strings view `text`)
    kAttribute,  // `${name}`: the variable `text`
    kCall,       // `function` applied to `subject` (or none) with `args`
    kMulti,      // anyAttribute(...)/allAttributes(...)/...: `args` select the values, `chain` tests each
    kCurrent,    // inside a multi-attribute chain: the value under test
  };
  static constexpr std::int32_t kNone = -1;

  Kind kind = Kind::kLiteral;
  std::uint32_t column = 0;  // 1-based position in the expression text, for errors
  std::string text;
  el::Value value;
  const el::FunctionSpec* function = nullptr;
  std::int32_t subject = kNone;
  std::int32_t chain = kNone;
  std::vector<std::int32_t> args;
  // What a function worked out at compile time from literal arguments (a compiled regex, a date pattern,
  // a time zone); each function family owns the type it stores.
  std::any prepared;
};

struct ExpressionSegment {
  std::string literal;                        // text to copy (with `$${` already unescaped)
  std::int32_t root = ExpressionNode::kNone;  // else an expression to evaluate
};

struct ExpressionProgram {
  enum class Shape : std::uint8_t { kLiteral, kSingleAttribute, kGeneral };

  std::string text;
  Shape shape = Shape::kLiteral;
  std::string literal;    // kLiteral: the whole result
  std::string attribute;  // kSingleAttribute: the one name
  bool references_variables = false;
  std::vector<ExpressionSegment> segments;
  std::vector<ExpressionNode> nodes;
};

}  // namespace sluice::internal
