// Trimming and splitting of the short lists properties hold: `group_by: /a, /b`, `groupings: x=/a; y=`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sluice::records {

// `text` without leading and trailing spaces and tabs.
inline std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The items of `text` between `separator`s, each trimmed; empty items are kept (none for empty text).
inline std::vector<std::string> split_trimmed(std::string_view text, char separator) {
  std::vector<std::string> items;
  if (text.empty()) return items;
  while (true) {
    const auto at = text.find(separator);
    items.emplace_back(trim_blanks(text.substr(0, at)));
    if (at == std::string_view::npos) return items;
    text.remove_prefix(at + 1);
  }
}

}  // namespace sluice::records
