#include "expression/reference.hpp"

#include <fmt/format.h>

#include "expression/function_table.hpp"

namespace sluice::internal {

namespace {

// Table cells: a pipe would end the cell, and code spans hold backquotes poorly.
std::string cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else {
      out += c;
    }
  }
  return out;
}

std::string code(std::string_view text) {
  return text.empty() ? std::string("(empty)") : fmt::format("`{}`", cell(text));
}

constexpr std::string_view kIntroduction = R"(# Expression language

<!-- Generated from the function table (engine/src/expression/function_table.cpp) by
     expression_reference_markdown(); edit the table, not this file. -->

Properties of kind *expression*, and every dynamic property, accept NiFi's expression language: literal text
with embedded `${...}` expressions, compiled once when the flow is loaded and evaluated for each FlowFile.

- `${filename}` is the value of an attribute; `${'name with spaces'}` (or double quotes) for any name.
- Functions chain after a colon: `${filename:substringBefore('.'):toUpper()}`. Arguments are strings in single
  or double quotes (backslash escapes `\'`, `\"`, `\\`, `\n`, `\t`, `\r`), numbers (`42`, `-1.5`), `true`,
  `false`, or nested expressions: `${a:equals(${b})}`.
- Functions without a subject start an expression: `${now()}`, `${uuid()}`, `${literal('x')}`.
- `$${` is a literal `${`: `$${filename}` gives the text `${filename}`.
- `${env:NAME}` and `${file:PATH}` are secret references, resolved with the property's value and kept as
  written by the expression language.
- An absent attribute is *null*: most functions read it as empty text, `isNull()` is true, comparisons are
  false, and the result of an expression that ends in null is empty text.
- Numbers follow NiFi: whole numbers (64-bit) stay whole through `plus`, `minus`, `multiply`, `divide` and
  `mod` (division truncates); a decimal on either side makes the result decimal (`285.0`, `1.0E10`).
  Text that is not a number where a number is needed is an evaluation error, as is a division by zero.
- Dates use Java SimpleDateFormat patterns (`yyyy-MM-dd'T'HH:mm:ss.SSSXXX`, `EEE`, `MMM`, `Z`, `z`, quoted
  text). Time zones are IANA names from the system tz database (`America/New_York`) or offsets (`GMT+02:00`);
  without one, UTC. A date shown as text reads like Java's `Tue Nov 14 22:13:20 UTC 2023`.
- Strings count characters as Unicode code points; `toUpper`/`toLower` change ASCII letters only.
- Regular expressions use ECMAScript syntax (as elsewhere in sluice).
- Mistakes are caught when the flow is loaded: a syntax error, an unknown function (with the nearest name
  suggested), a wrong number of arguments, a literal of the wrong kind, a bad regex, date pattern, time zone
  or hash algorithm are reported as `FILE:LINE:COL: message` by `sluice validate`.

The examples below are evaluated, by a test, with these attributes and the clock at 2023-11-14T22:13:20Z:

)";

}  // namespace

std::string expression_reference_markdown() {
  std::string out(kIntroduction);
  out += "| attribute | value |\n| --- | --- |\n";
  for (const auto& a : el::example_attributes()) out += fmt::format("| `{}` | {} |\n", a.name, code(a.value));
  std::string_view family;
  for (const auto& f : el::function_table()) {
    if (f.family != family) {
      family = f.family;
      out += fmt::format(
          "\n## {}\n\n| function | description | example | result |\n| --- | --- | --- | --- |\n", family);
    }
    out += fmt::format("| `{}` | {} | {} | {} |\n", cell(f.signature), cell(f.description), code(f.example),
                       code(f.example_result));
  }
  return out;
}

}  // namespace sluice::internal
