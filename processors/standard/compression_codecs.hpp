// Streaming compression and decompression between content streams, in bounded memory whatever the size:
// gzip (zlib), zstd, lz4 frame and snappy's framing format (snappy itself compresses blocks; the framing,
// with its CRC-32C per chunk, is written here per google/snappy's framing_format.txt).
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "sluice/stream.hpp"

namespace sluice::standard {

enum class Codec : std::uint8_t { kGzip, kZstd, kLz4, kSnappy };

// Corrupt or truncated input, or a library failure; the message says which.
class CodecError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CodecInfo {
  Codec codec;
  std::string_view name;       // as in the `format` property
  std::string_view mime_type;  // set on compressed output
  std::string_view extension;  // with its dot
  int min_level;
  int max_level;
};

const CodecInfo& codec_info(Codec codec);
std::optional<Codec> codec_named(std::string_view name);
// The codec a `mime.type` names (several spellings are in use); nullopt when none.
std::optional<Codec> codec_for_mime_type(std::string_view mime_type);

void compress(Codec codec, int level, InputStream& in, OutputStream& out);
void decompress(Codec codec, InputStream& in, OutputStream& out);

// CRC-32C (Castagnoli), as the snappy framing format masks it; exposed for tests.
std::uint32_t crc32c(std::string_view bytes);

}  // namespace sluice::standard
