#include "sql_text.hpp"

#include <algorithm>
#include <cctype>

namespace sluice::database {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string quote_identifier(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 2);
  out += '"';
  for (const char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string quote_table(std::string_view table) {
  std::string out;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = table.find('.', start);
    out += quote_identifier(
        table.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) return out;
    out += '.';
    start = dot + 1;
  }
}

std::string placeholder(Dialect dialect, std::size_t n) {
  // Appended rather than `"$" + to_string(n)`: GCC 12 at -O3 reports a false -Wrestrict for that.
  std::string out(1, dialect == Dialect::kPostgres ? '$' : '?');
  out += std::to_string(n);
  return out;
}

std::string number_placeholders(std::string_view sql, Dialect dialect, std::size_t& count) {
  std::string out;
  out.reserve(sql.size() + 16);
  count = 0;
  std::size_t i = 0;
  auto copy_until = [&](std::string_view end) {  // copies through the next `end` (or to the end)
    const std::size_t stop = sql.find(end, i);
    const std::size_t to = stop == std::string_view::npos ? sql.size() : stop + end.size();
    out.append(sql.substr(i, to - i));
    i = to;
  };
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      out += c;
      ++i;
      copy_until(std::string_view(&c, 1));  // a doubled quote simply ends and reopens the literal
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      copy_until("\n");
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      copy_until("*/");
    } else if (c == '?') {
      out += placeholder(dialect, ++count);
      ++i;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

}  // namespace sluice::database
