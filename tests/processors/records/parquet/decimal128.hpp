// 128-bit unscaled decimals for the fixtures: FIXED_LEN_BYTE_ARRAY decimals of up to 16 bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::parquet::fixtures {

__extension__ using Int128 = __int128;
__extension__ using UInt128 = unsigned __int128;

// Big-endian two's complement of `value` in `length` bytes (sign-extended).
std::string to_big_endian(Int128 value, std::int32_t length);
// The decimal text of a big-endian two's complement integer of at most 16 bytes.
std::string big_endian_text(std::string_view bytes);

}  // namespace sluice::parquet::fixtures
