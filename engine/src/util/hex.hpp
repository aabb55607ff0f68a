// Bytes as lowercase hexadecimal, two digits per byte (digests in expressions, content seals).
#pragma once

#include <span>
#include <string>

namespace sluice::internal {

inline void append_hex(std::string& out, std::span<const unsigned char> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  out.reserve(out.size() + bytes.size() * 2);
  for (const unsigned char b : bytes) {
    out.push_back(kDigits[b >> 4U]);
    out.push_back(kDigits[b & 0xFU]);
  }
}

}  // namespace sluice::internal
