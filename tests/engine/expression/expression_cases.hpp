// The expression cases in tests/expression/*.test. Each file is a script of lines:
//
//   # a comment                     (blank lines too)
//   attr NAME = VALUE               set an attribute (VALUE is the rest of the line, may be empty)
//   attrjson NAME = "JSON string"   set an attribute to a JSON-decoded string (line breaks, spaces at ends)
//   unset NAME                      remove one attribute;  clear: remove them all
//   now MILLISECONDS                the clock for what follows (default 1700000000000, 2023-11-14T22:13:20Z)
//   EXPRESSION => RESULT            evaluate() gives RESULT (the rest of the line; nothing after => is "")
//   EXPRESSION =>json "RESULT"      the same with a JSON-decoded result
//   EXPRESSION =>? true|false       evaluate_bool() gives it
//   EXPRESSION !! COL: TEXT         compile() or evaluate() throws ExpressionError at column COL (1-based, 0
//                                   for none) whose message contains TEXT
//
// Each case takes the attributes and clock set by the lines above it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace sluice::testing {

struct ExpressionCase {
  enum class Kind : std::uint8_t { kResult, kBool, kError };
  std::string file;  // path relative to tests/, e.g. expression/strings.test
  int line = 0;
  Kind kind = Kind::kResult;
  std::string expression;
  std::string expected;  // result, "true"/"false", or the error text
  std::size_t error_column = 0;
  std::map<std::string, std::string, std::less<>> attributes;
  std::int64_t now_ms = 1'700'000'000'000;
};

// Every case of every file, in file then line order. A malformed line throws std::runtime_error naming
// FILE:LINE.
std::vector<ExpressionCase> load_expression_cases();

}  // namespace sluice::testing
