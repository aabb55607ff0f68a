// UTF-8 validation for STRING, JSON and ENUM values (RFC 3629: no overlong forms, no surrogates, nothing
// above U+10FFFF). ASCII, the common case, is checked eight bytes at a time.
#pragma once

#include <cstddef>
#include <string_view>

namespace sluice::parquet {

// The offset of the first byte that starts an invalid sequence, or value.size() when all of it is valid.
std::size_t find_invalid_utf8(std::string_view value);

inline bool is_valid_utf8(std::string_view value) {
  return find_invalid_utf8(value) == value.size();
}

}  // namespace sluice::parquet
