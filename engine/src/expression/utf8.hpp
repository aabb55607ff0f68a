// Characters of UTF-8 text: the string functions count and cut in Unicode code points, never inside one.
#pragma once

#include <cstddef>
#include <string_view>

namespace sluice::internal::el::utf8 {

inline bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
}

inline std::size_t length(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += is_continuation(c) ? 0U : 1U;
  return n;
}

// The byte offset of code point `index`; s.size() when `index` is at or past the end.
inline std::size_t offset(std::string_view s, std::size_t index) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (is_continuation(s[i])) continue;
    if (seen == index) return i;
    ++seen;
  }
  return s.size();
}

// The code point index of byte offset `byte`.
inline std::size_t index_of(std::string_view s, std::size_t byte) {
  return length(s.substr(0, byte));
}

}  // namespace sluice::internal::el::utf8
