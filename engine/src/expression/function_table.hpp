// The one table of expression functions: what the parser checks a call against, what the evaluator runs,
// and what the reference page (docs/expression-language.md) lists.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "expression/call.hpp"

namespace sluice::internal::el {

enum class SubjectUse : std::uint8_t {
  kRequired,  // ${name:fn()}
  kNone,      // ${fn()}: subjectless
  kOptional,  // either: ${math('random')} or ${n:math('abs')}
  kMulti,     // ${anyAttribute('a','b'):equals('x')}: a subjectless selector followed by a boolean chain
};

enum class MultiMode : std::uint8_t {
  kNone,
  kAnyNamed,
  kAllNamed,
  kAnyMatching,
  kAllMatching,
  kAnyDelineated,
  kAllDelineated
};

// Argument kinds checked at compile time when the argument is a literal.
enum class ArgKind : std::uint8_t { kAny, kString, kNumber, kBool };

using FunctionImpl = Value (*)(const Call& call);
// Runs once at compile time; may check literal arguments (throwing ExpressionError at their column) and
// store what it worked out in node.prepared.
using FunctionPrepare = void (*)(const PrepareContext& context);

struct FunctionSpec {
  std::string_view name;
  std::string_view family;  // section of the reference page
  SubjectUse subject = SubjectUse::kRequired;
  std::uint8_t min_args = 0;
  std::uint8_t max_args = 0;   // kVariadic: no upper bound
  std::string_view arg_kinds;  // one letter per argument (s string, n number, b boolean, a any); the
                               // last letter repeats for variadic arguments
  std::string_view signature;  // as the reference shows it: "substring(start, end?)"
  std::string_view description;
  std::string_view example;         // an expression over the reference's example attributes
  std::string_view example_result;  // what it gives
  FunctionImpl impl = nullptr;
  FunctionPrepare prepare = nullptr;
  MultiMode multi = MultiMode::kNone;

  static constexpr std::uint8_t kVariadic = 255;
  [[nodiscard]] ArgKind arg_kind(std::size_t index) const;
};

// Every function, in reference order (family by family).
std::span<const FunctionSpec> function_table();
// nullptr when there is no function of that name (case-sensitive, as in NiFi).
const FunctionSpec* find_function(std::string_view name);
// The closest known name, for "did you mean" hints; empty when none is close.
std::string nearest_function(std::string_view name);

// The attributes and clock the reference's examples are evaluated against (and tested against).
struct ExampleAttribute {
  std::string_view name;
  std::string_view value;
};
std::span<const ExampleAttribute> example_attributes();
constexpr std::int64_t kExampleNowMs = 1'700'000'000'000;  // 2023-11-14T22:13:20Z

}  // namespace sluice::internal::el
