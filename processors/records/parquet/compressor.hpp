// Page compression with the codecs of Parquet's Compression spec: SNAPPY (raw block format), GZIP (RFC 1952
// members via zlib) and ZSTD (RFC 8878 frames). One compressor serves every page of a writer and keeps its
// codec state (zstd context, deflate stream) so that pages do not allocate it anew.
#pragma once

#include <memory>
#include <string_view>

#include "byte_buffer.hpp"
#include "types.hpp"

namespace sluice::parquet {

class Compressor {
 public:
  Compressor(Codec codec, int level);
  ~Compressor();
  Compressor(const Compressor&) = delete;
  Compressor& operator=(const Compressor&) = delete;
  Compressor(Compressor&&) = delete;
  Compressor& operator=(Compressor&&) = delete;

  [[nodiscard]] Codec codec() const { return codec_; }
  // Replaces `out` with the compressed concatenation of `first` and `second` (a v1 data page is its
  // levels followed by its values; taking them apart saves copying the values next to the levels).
  void compress(std::string_view first, std::string_view second, ByteBuffer& out);

 private:
  struct State;
  Codec codec_;
  int level_;
  std::unique_ptr<State> state_;
};

}  // namespace sluice::parquet
