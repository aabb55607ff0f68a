#include "utf8.hpp"

#include <cstdint>
#include <cstring>

namespace sluice::parquet {

std::size_t find_invalid_utf8(std::string_view value) {
  const auto* s = reinterpret_cast<const unsigned char*>(value.data());
  const std::size_t n = value.size();
  std::size_t i = 0;
  constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
  while (i < n) {
    if (n - i >= 32) {  // four words at once: one test for 32 ASCII bytes
      std::uint64_t w[4];
      std::memcpy(w, s + i, 32);
      if (((w[0] | w[1] | w[2] | w[3]) & kHighBits) == 0) {
        i += 32;
        continue;
      }
    }
    if (n - i >= 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, s + i, 8);
      if ((word & kHighBits) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char lead = s[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned char lo = 0x80;  // the allowed range of the second byte
    unsigned char hi = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) lo = 0xA0;  // overlong
      if (lead == 0xED) hi = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) lo = 0x90;  // overlong
      if (lead == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return i;
    }
    if (n - i < length) return i;
    if (s[i + 1] < lo || s[i + 1] > hi) return i;
    for (std::size_t k = 2; k < length; ++k) {
      if ((s[i + k] & 0xC0U) != 0x80U) return i;
    }
    i += length;
  }
  return n;
}

}  // namespace sluice::parquet
