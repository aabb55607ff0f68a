#include <random>

#include "core/flowfile_record.hpp"

namespace sluice::internal {

Uuid random_uuid() {
  // One generator per thread: random_device per call would be a syscall per FlowFile.
  thread_local std::mt19937_64 gen{std::random_device{}() ^
                                   (static_cast<std::uint64_t>(std::random_device{}()) << 32)};
  Uuid u;
  const std::uint64_t a = gen();
  const std::uint64_t b = gen();
  for (int i = 0; i < 8; ++i) {
    u[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(a >> (8 * i));
    u[static_cast<std::size_t>(i) + 8] = static_cast<std::uint8_t>(b >> (8 * i));
  }
  u[6] = static_cast<std::uint8_t>((u[6] & 0x0F) | 0x40);  // version 4
  u[8] = static_cast<std::uint8_t>((u[8] & 0x3F) | 0x80);  // RFC 4122 variant
  return u;
}

std::string uuid_to_string(const Uuid& u) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s.push_back('-');
    s.push_back(kHex[u[i] >> 4]);
    s.push_back(kHex[u[i] & 0xF]);
  }
  return s;
}

bool parse_uuid(std::string_view text, Uuid& out) {
  if (text.size() != 36) return false;
  std::size_t j = 0;
  for (std::size_t i = 0; i < 36; ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return false;
      continue;
    }
    auto nibble = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    const int hi = nibble(text[i]);
    const int lo = nibble(text[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[j++] = static_cast<std::uint8_t>(hi << 4 | lo);
    ++i;
  }
  return true;
}

}  // namespace sluice::internal
