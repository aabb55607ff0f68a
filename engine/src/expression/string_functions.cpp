// String manipulation and searching. A null subject (absent attribute) reads as "" unless NiFi says
// otherwise (replaceNull, isNull, the search functions give false).
#include <fmt/format.h>

#include "expression/functions.hpp"
#include "expression/regex_arg.hpp"
#include "expression/utf8.hpp"

namespace sluice::internal::el::fn {

namespace {

Value built(std::string& s) {
  return Value::string(s);
}

char ascii_upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}
char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::size_t checked_index(const Call& c, std::int64_t index, std::size_t length, std::string_view what) {
  if (index < 0 || static_cast<std::size_t>(index) > length) {
    c.fail(fmt::format("{} {} is out of range for a string of {} characters", what, index, length));
  }
  return static_cast<std::size_t>(index);
}

Value pad(const Call& c, bool left) {
  if (c.subject().is_null()) return Value::null();
  const std::string_view s = c.subject_text();
  const std::int64_t wanted = c.whole_arg(0);
  const std::string_view padding = c.arg_count() > 1 ? c.text_arg(1) : "_";
  if (padding.empty()) c.fail("the padding is empty");
  const std::size_t have = utf8::length(s);
  if (wanted <= 0 || static_cast<std::size_t>(wanted) <= have) return c.subject();
  std::string& out = c.buffer();
  std::size_t missing = static_cast<std::size_t>(wanted) - have;
  std::string fill;
  const std::size_t pad_length = utf8::length(padding);
  while (missing >= pad_length) {
    fill += padding;
    missing -= pad_length;
  }
  fill += padding.substr(0, utf8::offset(padding, missing));
  if (left) out += fill;
  out += s;
  if (!left) out += fill;
  return built(out);
}

}  // namespace

Value to_upper(const Call& c) {
  std::string& out = c.buffer();
  for (char ch : c.subject_text()) out += ascii_upper(ch);
  return built(out);
}

Value to_lower(const Call& c) {
  std::string& out = c.buffer();
  for (char ch : c.subject_text()) out += ascii_lower(ch);
  return built(out);
}

Value trim(const Call& c) {
  return Value::string(java_trim(c.subject_text()));
}

Value length(const Call& c) {
  return Value::of_whole(static_cast<std::int64_t>(utf8::length(c.subject_text())));
}

Value to_string(const Call& c) {
  return Value::string(c.subject_text());
}

Value substring(const Call& c) {
  const std::string_view s = c.subject_text();
  const std::size_t n = utf8::length(s);
  const std::size_t start = checked_index(c, c.whole_arg(0), n, "start");
  const std::size_t end = c.arg_count() > 1 ? checked_index(c, c.whole_arg(1), n, "end") : n;
  if (end < start) c.fail(fmt::format("end {} is before start {}", end, start));
  const std::size_t from = utf8::offset(s, start);
  return Value::string(s.substr(from, utf8::offset(s, end) - from));
}

Value substring_before(const Call& c) {
  const std::string_view s = c.subject_text();
  const std::size_t at = s.find(c.text_arg(0));
  return Value::string(at == std::string_view::npos ? s : s.substr(0, at));
}

Value substring_before_last(const Call& c) {
  const std::string_view s = c.subject_text();
  const std::size_t at = s.rfind(c.text_arg(0));
  return Value::string(at == std::string_view::npos ? s : s.substr(0, at));
}

Value substring_after(const Call& c) {
  const std::string_view s = c.subject_text();
  const std::string_view search = c.text_arg(0);
  const std::size_t at = s.find(search);
  return Value::string(at == std::string_view::npos ? s : s.substr(at + search.size()));
}

Value substring_after_last(const Call& c) {
  const std::string_view s = c.subject_text();
  const std::string_view search = c.text_arg(0);
  const std::size_t at = s.rfind(search);
  return Value::string(at == std::string_view::npos ? s : s.substr(at + search.size()));
}

Value replace(const Call& c) {
  const std::string_view s = c.subject_text();
  const std::string_view search = c.text_arg(0);
  const std::string_view replacement = c.text_arg(1);
  if (search.empty()) return Value::string(s);
  std::string& out = c.buffer();
  std::size_t start = 0;
  for (std::size_t at = s.find(search); at != std::string_view::npos; at = s.find(search, start)) {
    out.append(s.substr(start, at - start));
    out.append(replacement);
    start = at + search.size();
  }
  out.append(s.substr(start));
  return built(out);
}

namespace {
Value regex_replace(const Call& c, std::regex_constants::match_flag_type flags) {
  const std::string_view s = c.subject_text();
  const std::regex& re = regex_arg(c, 0);
  const std::string_view replacement = c.text_arg(1);
  std::string& out = c.buffer();
  std::regex_replace(std::back_inserter(out), s.begin(), s.end(), re, std::string(replacement), flags);
  return built(out);
}
}  // namespace

Value replace_first(const Call& c) {
  return regex_replace(c, std::regex_constants::format_first_only);
}

Value replace_all(const Call& c) {
  return regex_replace(c, std::regex_constants::format_default);
}

Value replace_null(const Call& c) {
  return c.subject().is_null() ? c.arg(0) : c.subject();
}

Value replace_empty(const Call& c) {
  if (c.subject().is_null() || java_trim(c.subject_text()).empty()) return c.arg(0);
  return c.subject();
}

Value append(const Call& c) {
  std::string& out = c.buffer();
  out += c.subject_text();
  out += c.text_arg(0);
  return built(out);
}

Value prepend(const Call& c) {
  std::string& out = c.buffer();
  out += c.text_arg(0);
  out += c.subject_text();
  return built(out);
}

Value pad_left(const Call& c) {
  return pad(c, true);
}

Value pad_right(const Call& c) {
  return pad(c, false);
}

Value repeat(const Call& c) {
  const std::int64_t times = c.whole_arg(0);
  if (times < 0) c.fail(fmt::format("the count {} is negative", times));
  const std::string_view s = c.subject_text();
  std::string& out = c.buffer();
  for (std::int64_t i = 0; i < times; ++i) out += s;
  return built(out);
}

// getDelimitedField(index, delimiter, quote, escape, strip): CSV-like fields, 1-based.
Value get_delimited_field(const Call& c) {
  const std::string_view s = c.subject_text();
  const std::int64_t index = c.whole_arg(0);
  if (index < 1) c.fail(fmt::format("the field index {} must be 1 or more", index));
  const std::string_view delimiter = c.arg_count() > 1 ? c.text_arg(1) : ",";
  const std::string_view quote = c.arg_count() > 2 ? c.text_arg(2) : "\"";
  const std::string_view escape = c.arg_count() > 3 ? c.text_arg(3) : "\\";
  bool strip = false;
  if (c.arg_count() > 4) strip = to_bool(c.arg(4)).value_or(false);
  if (delimiter.size() != 1 || quote.size() > 1 || escape.size() > 1) {
    c.fail("the delimiter, quote and escape must each be one character");
  }
  std::int64_t field = 1;
  std::size_t start = 0;
  bool in_quotes = false;
  std::size_t i = 0;
  for (; i < s.size(); ++i) {
    const char ch = s[i];
    if (!escape.empty() && ch == escape[0]) {
      ++i;
      continue;
    }
    if (!quote.empty() && ch == quote[0]) {
      in_quotes = !in_quotes;
    } else if (ch == delimiter[0] && !in_quotes) {
      if (field == index) break;
      ++field;
      start = i + 1;
    }
  }
  if (field != index) return Value::string({});
  std::string_view value = s.substr(start, i - start);
  if (!strip) return Value::string(value);
  std::string& out = c.buffer();
  for (std::size_t k = 0; k < value.size(); ++k) {
    const char ch = value[k];
    if (!escape.empty() && ch == escape[0] && k + 1 < value.size()) {
      out += value[++k];
    } else if (quote.empty() || ch != quote[0]) {
      out += ch;
    }
  }
  return built(out);
}

Value starts_with(const Call& c) {
  if (c.subject().is_null()) return Value::of_bool(false);
  return Value::of_bool(c.subject_text().starts_with(c.text_arg(0)));
}

Value ends_with(const Call& c) {
  if (c.subject().is_null()) return Value::of_bool(false);
  return Value::of_bool(c.subject_text().ends_with(c.text_arg(0)));
}

Value contains(const Call& c) {
  if (c.subject().is_null()) return Value::of_bool(false);
  return Value::of_bool(c.subject_text().find(c.text_arg(0)) != std::string_view::npos);
}

Value find(const Call& c) {
  if (c.subject().is_null()) return Value::of_bool(false);
  const std::string_view s = c.subject_text();
  return Value::of_bool(std::regex_search(s.begin(), s.end(), regex_arg(c, 0)));
}

Value matches(const Call& c) {
  if (c.subject().is_null()) return Value::of_bool(false);
  const std::string_view s = c.subject_text();
  return Value::of_bool(std::regex_match(s.begin(), s.end(), regex_arg(c, 0)));
}

Value index_of(const Call& c) {
  const std::string_view s = c.subject_text();
  const std::size_t at = s.find(c.text_arg(0));
  return Value::of_whole(at == std::string_view::npos ? -1
                                                      : static_cast<std::int64_t>(utf8::index_of(s, at)));
}

Value last_index_of(const Call& c) {
  const std::string_view s = c.subject_text();
  const std::size_t at = s.rfind(c.text_arg(0));
  return Value::of_whole(at == std::string_view::npos ? -1
                                                      : static_cast<std::int64_t>(utf8::index_of(s, at)));
}

}  // namespace sluice::internal::el::fn
