#include "decimal128.hpp"

#include <stdexcept>

namespace sluice::parquet::fixtures {

std::string to_big_endian(Int128 value, std::int32_t length) {
  std::string out(static_cast<std::size_t>(length), value < 0 ? '\xff' : '\0');
  auto bits = static_cast<UInt128>(value);
  for (std::size_t i = 0; i < out.size() && i < 16; ++i) {
    out[out.size() - 1 - i] = static_cast<char>(static_cast<unsigned>(bits & 0xFFU));
    bits >>= 8U;
  }
  return out;
}

std::string big_endian_text(std::string_view bytes) {
  if (bytes.empty() || bytes.size() > 16) throw std::runtime_error("decimal of 1 to 16 bytes expected");
  const int lead = static_cast<unsigned char>(bytes[0]);
  Int128 value = lead >= 128 ? lead - 256 : lead;  // the sign of the first byte extends
  for (std::size_t i = 1; i < bytes.size(); ++i) value = value * 256 + static_cast<unsigned char>(bytes[i]);
  if (value == 0) return "0";
  const bool negative = value < 0;
  UInt128 magnitude = negative ? static_cast<UInt128>(-(value + 1)) + 1 : static_cast<UInt128>(value);
  std::string digits;
  while (magnitude > 0) {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  }
  return negative ? "-" + digits : digits;
}

}  // namespace sluice::parquet::fixtures
