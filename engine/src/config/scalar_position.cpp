#include "config/scalar_position.hpp"

namespace sluice::internal {

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

// The offset in `raw` (a scalar as written, from its first character) of value character `index`. Folded
// line breaks count as one value character; escapes as one.
std::size_t raw_offset(std::string_view raw, std::size_t index) {
  if (raw.empty()) return index;
  const char style = raw[0];
  const bool single = style == '\'';
  const bool dual = style == '"';
  const bool block = style == '|' || style == '>';
  std::size_t r = 0;
  std::size_t indent = 0;
  if (single || dual) r = 1;
  if (block) {
    r = raw.find('\n');
    if (r == std::string_view::npos) return raw.size();
    ++r;
    while (r + indent < raw.size() && raw[r + indent] == ' ') ++indent;
    r += indent;
  }
  for (std::size_t v = 0; v < index && r < raw.size(); ++v) {
    const char c = raw[r];
    if (single && c == '\'') {
      if (r + 1 < raw.size() && raw[r + 1] == '\'') {
        r += 2;
        continue;
      }
      break;  // the closing quote
    }
    if (dual && c == '"') break;
    if (dual && c == '\\' && r + 1 < raw.size()) {
      const char e = raw[r + 1];
      r += e == 'x' ? 4 : e == 'u' ? 6 : e == 'U' ? 10 : 2;
      continue;
    }
    ++r;
    if (c == '\n') {
      std::size_t skipped = 0;
      while (r < raw.size() && is_blank(raw[r]) && (!block || skipped < indent)) {
        ++r;
        ++skipped;
      }
    }
  }
  return std::min(r, raw.size());
}

}  // namespace

std::string scalar_source(std::string_view source, std::size_t offset, std::string_view value) {
  if (offset >= source.size()) return {};
  const std::string_view rest = source.substr(offset);
  const char first = rest[0];
  const bool marked = first == '\'' || first == '"' || first == '|' || first == '>';
  if (!marked && rest.substr(0, value.size()) == value) return {};
  std::string_view raw = rest;
  std::size_t end = raw_offset(raw, value.size());
  if ((first == '\'' || first == '"') && end < raw.size()) ++end;  // the closing quote
  return std::string(raw.substr(0, end));
}

SourcePos value_char_pos(const Located& located, std::string_view source, std::size_t index) {
  SourcePos p = located.pos;
  if (source.empty()) {
    p.column += static_cast<int>(index);
    return p;
  }
  const std::size_t r = raw_offset(source, index);
  for (std::size_t i = 0; i < r; ++i) {
    if (source[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else {
      ++p.column;
    }
  }
  return p;
}

}  // namespace sluice::internal
