// The RLE / bit-packing hybrid of the Parquet encodings spec, for definition levels, dictionary indices and
// (bit-packing alone) PLAIN booleans. Values are packed LSB first; runs of 8 or more equal values become RLE
// runs, everything else bit-packed groups of 8 (the last group padded with zeros).
#pragma once

#include <cstdint>
#include <span>

#include "byte_buffer.hpp"

namespace sluice::parquet {

// Bits needed to store `max_value` (0 for 0).
int bit_width(std::uint64_t max_value);

// Appends values.size() values of `width` bits (0..32) packed LSB first, padded to whole bytes.
void bit_pack(ByteBuffer& out, std::span<const std::uint8_t> values, int width);
void bit_pack(ByteBuffer& out, std::span<const std::uint32_t> values, int width);

// Appends the hybrid encoding (without the 4-byte length prefix) of `values`, each < 2^width.
void encode_rle_hybrid(ByteBuffer& out, std::span<const std::uint8_t> values, int width);
void encode_rle_hybrid(ByteBuffer& out, std::span<const std::uint32_t> values, int width);

}  // namespace sluice::parquet
