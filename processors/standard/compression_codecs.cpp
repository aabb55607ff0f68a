#include "compression_codecs.hpp"

#include <array>
#include <memory>
#include <snappy.h>
#include <span>
#include <string>
#include <zlib.h>
#include <zstd.h>

#include <lz4frame.h>

namespace sluice::standard {

namespace {

constexpr std::size_t kChunkBytes = std::size_t{64} * 1024;

const std::array<CodecInfo, 4> kCodecs = {{
    {Codec::kGzip, "gzip", "application/gzip", ".gz", 0, 9},
    {Codec::kZstd, "zstd", "application/zstd", ".zst", 1, 22},
    {Codec::kLz4, "lz4", "application/x-lz4", ".lz4", 0, 12},
    {Codec::kSnappy, "snappy", "application/x-snappy-framed", ".sz", 0, 0},
}};

// Reads the input in chunks into `buffer`; returns the bytes read, 0 at the end.
std::string_view next_chunk(InputStream& in, std::string& buffer) {
  buffer.resize(kChunkBytes);
  const std::size_t n = in.read(std::span<char>(buffer.data(), buffer.size()));
  return {buffer.data(), n};
}

// --- gzip -------------------------------------------------------------------------------------------

struct Deflater {
  z_stream z{};
  bool inflate;
  explicit Deflater(bool inflating) : inflate(inflating) {}
  ~Deflater() {
    if (inflate) {
      inflateEnd(&z);
    } else {
      deflateEnd(&z);
    }
  }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;
};

void gzip_compress(int level, InputStream& in, OutputStream& out) {
  Deflater d(false);
  // windowBits 15 + 16: a gzip header and trailer rather than zlib's.
  if (deflateInit2(&d.z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw CodecError("gzip: cannot initialize the compressor");
  }
  std::string input;
  std::string output(kChunkBytes, '\0');
  for (;;) {
    const std::string_view chunk = next_chunk(in, input);
    const int flush = chunk.empty() ? Z_FINISH : Z_NO_FLUSH;
    d.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(chunk.data()));
    d.z.avail_in = static_cast<uInt>(chunk.size());
    int rc = Z_OK;
    do {
      d.z.next_out = reinterpret_cast<Bytef*>(output.data());
      d.z.avail_out = static_cast<uInt>(output.size());
      rc = deflate(&d.z, flush);
      if (rc == Z_STREAM_ERROR) throw CodecError("gzip: compressor failed");
      out.write(std::string_view(output.data(), output.size() - d.z.avail_out));
    } while (d.z.avail_out == 0);
    if (flush == Z_FINISH) {
      if (rc != Z_STREAM_END) throw CodecError("gzip: compressor did not finish");
      return;
    }
  }
}

void gzip_decompress(InputStream& in, OutputStream& out) {
  Deflater d(true);
  // windowBits 15 + 32: accept gzip or zlib headers.
  if (inflateInit2(&d.z, 15 + 32) != Z_OK) throw CodecError("gzip: cannot initialize the decompressor");
  std::string input;
  std::string output(kChunkBytes, '\0');
  bool in_member = false;  // inside a gzip member that has not ended yet
  bool any = false;
  for (std::string_view chunk; !(chunk = next_chunk(in, input)).empty();) {
    any = true;
    d.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(chunk.data()));
    d.z.avail_in = static_cast<uInt>(chunk.size());
    while (d.z.avail_in > 0) {
      in_member = true;
      d.z.next_out = reinterpret_cast<Bytef*>(output.data());
      d.z.avail_out = static_cast<uInt>(output.size());
      const int rc = inflate(&d.z, Z_NO_FLUSH);
      out.write(std::string_view(output.data(), output.size() - d.z.avail_out));
      if (rc == Z_STREAM_END) {
        in_member = false;
        inflateReset(&d.z);  // gzip allows several members back to back (cat a.gz b.gz)
      } else if (rc == Z_BUF_ERROR) {
        break;  // needs more input
      } else if (rc != Z_OK) {
        throw CodecError(std::string("gzip: corrupt input: ") + (d.z.msg != nullptr ? d.z.msg : "error"));
      }
    }
  }
  // Flush what the last member still holds once the input ended.
  while (in_member) {
    d.z.next_out = reinterpret_cast<Bytef*>(output.data());
    d.z.avail_out = static_cast<uInt>(output.size());
    const int rc = inflate(&d.z, Z_FINISH);
    out.write(std::string_view(output.data(), output.size() - d.z.avail_out));
    if (rc == Z_STREAM_END) break;
    if (d.z.avail_out != 0 || rc != Z_BUF_ERROR) throw CodecError("gzip: truncated input");
  }
  if (!any) throw CodecError("gzip: empty input");
}

// --- zstd -------------------------------------------------------------------------------------------

void zstd_compress(int level, InputStream& in, OutputStream& out) {
  std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> ctx(ZSTD_createCCtx(), &ZSTD_freeCCtx);
  if (!ctx) throw CodecError("zstd: cannot create a compression context");
  ZSTD_CCtx_setParameter(ctx.get(), ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setParameter(ctx.get(), ZSTD_c_checksumFlag, 1);
  std::string input;
  std::string output(ZSTD_CStreamOutSize(), '\0');
  for (;;) {
    const std::string_view chunk = next_chunk(in, input);
    const ZSTD_EndDirective mode = chunk.empty() ? ZSTD_e_end : ZSTD_e_continue;
    ZSTD_inBuffer src{chunk.data(), chunk.size(), 0};
    bool done = false;
    while (!done) {
      ZSTD_outBuffer dst{output.data(), output.size(), 0};
      const std::size_t remaining = ZSTD_compressStream2(ctx.get(), &dst, &src, mode);
      if (ZSTD_isError(remaining) != 0U)
        throw CodecError(std::string("zstd: ") + ZSTD_getErrorName(remaining));
      out.write(std::string_view(output.data(), dst.pos));
      done = mode == ZSTD_e_end ? remaining == 0 : src.pos == src.size;
    }
    if (mode == ZSTD_e_end) return;
  }
}

void zstd_decompress(InputStream& in, OutputStream& out) {
  std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> ctx(ZSTD_createDCtx(), &ZSTD_freeDCtx);
  if (!ctx) throw CodecError("zstd: cannot create a decompression context");
  std::string input;
  std::string output(ZSTD_DStreamOutSize(), '\0');
  std::size_t last = 1;  // 0 once a frame is complete and fully flushed
  bool any = false;
  for (std::string_view chunk; !(chunk = next_chunk(in, input)).empty();) {
    any = true;
    ZSTD_inBuffer src{chunk.data(), chunk.size(), 0};
    while (src.pos < src.size) {
      ZSTD_outBuffer dst{output.data(), output.size(), 0};
      last = ZSTD_decompressStream(ctx.get(), &dst, &src);
      if (ZSTD_isError(last) != 0U)
        throw CodecError(std::string("zstd: corrupt input: ") + ZSTD_getErrorName(last));
      out.write(std::string_view(output.data(), dst.pos));
    }
  }
  // Drain what is decoded but not yet written.
  while (last != 0 && any) {
    ZSTD_inBuffer src{nullptr, 0, 0};
    ZSTD_outBuffer dst{output.data(), output.size(), 0};
    last = ZSTD_decompressStream(ctx.get(), &dst, &src);
    if (ZSTD_isError(last) != 0U)
      throw CodecError(std::string("zstd: corrupt input: ") + ZSTD_getErrorName(last));
    out.write(std::string_view(output.data(), dst.pos));
    if (dst.pos == 0) break;
  }
  if (!any) throw CodecError("zstd: empty input");
  if (last != 0) throw CodecError("zstd: truncated input");
}

// --- lz4 frame --------------------------------------------------------------------------------------

void lz4_check(std::size_t rc, const char* what) {
  if (LZ4F_isError(rc) != 0U) throw CodecError(std::string("lz4: ") + what + ": " + LZ4F_getErrorName(rc));
}

void lz4_compress(int level, InputStream& in, OutputStream& out) {
  LZ4F_cctx* raw = nullptr;
  lz4_check(LZ4F_createCompressionContext(&raw, LZ4F_VERSION), "cannot create a compression context");
  std::unique_ptr<LZ4F_cctx, decltype(&LZ4F_freeCompressionContext)> ctx(raw, &LZ4F_freeCompressionContext);
  LZ4F_preferences_t prefs{};
  prefs.compressionLevel = level;
  prefs.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
  std::string output(LZ4F_compressBound(kChunkBytes, &prefs) + LZ4F_HEADER_SIZE_MAX, '\0');
  std::size_t n = LZ4F_compressBegin(ctx.get(), output.data(), output.size(), &prefs);
  lz4_check(n, "compressBegin");
  out.write(std::string_view(output.data(), n));
  std::string input;
  for (std::string_view chunk; !(chunk = next_chunk(in, input)).empty();) {
    n = LZ4F_compressUpdate(ctx.get(), output.data(), output.size(), chunk.data(), chunk.size(), nullptr);
    lz4_check(n, "compressUpdate");
    out.write(std::string_view(output.data(), n));
  }
  n = LZ4F_compressEnd(ctx.get(), output.data(), output.size(), nullptr);
  lz4_check(n, "compressEnd");
  out.write(std::string_view(output.data(), n));
}

void lz4_decompress(InputStream& in, OutputStream& out) {
  LZ4F_dctx* raw = nullptr;
  lz4_check(LZ4F_createDecompressionContext(&raw, LZ4F_VERSION), "cannot create a decompression context");
  std::unique_ptr<LZ4F_dctx, decltype(&LZ4F_freeDecompressionContext)> ctx(raw,
                                                                           &LZ4F_freeDecompressionContext);
  std::string input;
  std::string output(kChunkBytes, '\0');
  std::size_t hint = 1;  // 0 once a frame is complete
  bool any = false;
  for (std::string_view chunk; !(chunk = next_chunk(in, input)).empty();) {
    any = true;
    std::size_t pos = 0;
    while (pos < chunk.size()) {
      std::size_t src_size = chunk.size() - pos;
      std::size_t dst_size = output.size();
      hint = LZ4F_decompress(ctx.get(), output.data(), &dst_size, chunk.data() + pos, &src_size, nullptr);
      if (LZ4F_isError(hint) != 0U)
        throw CodecError(std::string("lz4: corrupt input: ") + LZ4F_getErrorName(hint));
      out.write(std::string_view(output.data(), dst_size));
      pos += src_size;
    }
  }
  // The last block may still hold output.
  while (hint != 0 && any) {
    std::size_t src_size = 0;
    std::size_t dst_size = output.size();
    hint = LZ4F_decompress(ctx.get(), output.data(), &dst_size, nullptr, &src_size, nullptr);
    if (LZ4F_isError(hint) != 0U)
      throw CodecError(std::string("lz4: corrupt input: ") + LZ4F_getErrorName(hint));
    out.write(std::string_view(output.data(), dst_size));
    if (dst_size == 0) break;
  }
  if (!any) throw CodecError("lz4: empty input");
  if (hint != 0) throw CodecError("lz4: truncated input");
}

// --- snappy framing ---------------------------------------------------------------------------------

constexpr std::string_view kSnappyStreamId = std::string_view("\xff\x06\x00\x00sNaPpY", 10);
constexpr std::size_t kSnappyMaxChunk = 65536;  // uncompressed bytes per chunk, by the format
constexpr std::uint8_t kSnappyCompressed = 0x00;
constexpr std::uint8_t kSnappyUncompressed = 0x01;
constexpr std::uint8_t kSnappyStreamIdType = 0xff;

std::uint32_t masked_crc(std::string_view data) {
  const std::uint32_t crc = crc32c(data);
  return ((crc >> 15U) | (crc << 17U)) + 0xa282ead8U;
}

void put_le(std::string& out, std::uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xffU);
}

std::uint32_t get_le(std::string_view in, std::size_t at, int bytes) {
  std::uint32_t v = 0;
  for (int i = 0; i < bytes; ++i)
    v |= static_cast<std::uint32_t>(static_cast<std::uint8_t>(in[at + static_cast<std::size_t>(i)]))
         << (8 * i);
  return v;
}

void snappy_compress(InputStream& in, OutputStream& out) {
  out.write(kSnappyStreamId);
  std::string input(kSnappyMaxChunk, '\0');
  std::string compressed;
  std::string frame;
  for (;;) {
    // Fill whole chunks: the format's maximum makes the best ratio.
    std::size_t filled = 0;
    while (filled < input.size()) {
      const std::size_t n = in.read(std::span<char>(input.data() + filled, input.size() - filled));
      if (n == 0) break;
      filled += n;
    }
    if (filled == 0) return;
    const std::string_view data(input.data(), filled);
    snappy::Compress(data.data(), data.size(), &compressed);
    const bool keep_raw = compressed.size() >= data.size();  // incompressible: store it as it is
    const std::string_view payload = keep_raw ? data : std::string_view(compressed);
    frame.clear();
    frame += static_cast<char>(keep_raw ? kSnappyUncompressed : kSnappyCompressed);
    put_le(frame, static_cast<std::uint32_t>(payload.size() + 4), 3);
    put_le(frame, masked_crc(data), 4);
    out.write(frame);
    out.write(payload);
    if (filled < input.size()) return;
  }
}

void snappy_decompress(InputStream& in, OutputStream& out) {
  std::string buffer;  // unparsed input: at most one chunk plus one read
  std::string input;
  std::string uncompressed;
  bool seen_id = false;
  bool eof = false;
  while (!eof) {
    const std::string_view chunk = next_chunk(in, input);
    if (chunk.empty()) {
      eof = true;
    } else {
      buffer.append(chunk);
    }
    std::size_t pos = 0;
    while (buffer.size() - pos >= 4) {
      const auto type = static_cast<std::uint8_t>(buffer[pos]);
      const std::uint32_t length = get_le(buffer, pos + 1, 3);
      if (buffer.size() - pos - 4 < length) break;  // the rest of this chunk is still to come
      const std::string_view body(buffer.data() + pos + 4, length);
      pos += 4 + length;
      if (type == kSnappyStreamIdType) {
        if (body != kSnappyStreamId.substr(4)) throw CodecError("snappy: bad stream identifier");
        seen_id = true;
        continue;
      }
      if (!seen_id)
        throw CodecError("snappy: input does not start with the framing format's stream identifier");
      if (type == kSnappyCompressed || type == kSnappyUncompressed) {
        if (length < 4) throw CodecError("snappy: chunk too short");
        const std::uint32_t expected = get_le(body, 0, 4);
        std::string_view data = body.substr(4);
        if (type == kSnappyCompressed) {
          if (!snappy::Uncompress(data.data(), data.size(), &uncompressed)) {
            throw CodecError("snappy: corrupt compressed chunk");
          }
          data = uncompressed;
        }
        if (data.size() > kSnappyMaxChunk) throw CodecError("snappy: chunk larger than 64 KiB");
        if (masked_crc(data) != expected) throw CodecError("snappy: checksum mismatch");
        out.write(data);
      } else if (type <= 0x7f) {
        throw CodecError("snappy: reserved unskippable chunk type " + std::to_string(type));
      }
      // 0x80-0xfd reserved skippable and 0xfe padding: skipped.
    }
    buffer.erase(0, pos);
  }
  if (!buffer.empty()) {
    throw CodecError(seen_id || static_cast<std::uint8_t>(buffer[0]) == kSnappyStreamIdType
                         ? "snappy: truncated input"
                         : "snappy: input does not start with the framing format's stream identifier");
  }
  if (!seen_id) throw CodecError("snappy: empty input");
}

std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1U) != 0 ? (c >> 1U) ^ 0x82f63b78U : c >> 1U;
    table[i] = c;
  }
  return table;
}

}  // namespace

std::uint32_t crc32c(std::string_view bytes) {
  static const std::array<std::uint32_t, 256> kTable = make_crc_table();
  std::uint32_t crc = 0xffffffffU;
  for (const char c : bytes) crc = kTable[(crc ^ static_cast<std::uint8_t>(c)) & 0xffU] ^ (crc >> 8U);
  return crc ^ 0xffffffffU;
}

const CodecInfo& codec_info(Codec codec) {
  return kCodecs[static_cast<std::size_t>(codec)];
}

std::optional<Codec> codec_named(std::string_view name) {
  for (const auto& info : kCodecs) {
    if (info.name == name) return info.codec;
  }
  return std::nullopt;
}

std::optional<Codec> codec_for_mime_type(std::string_view mime_type) {
  mime_type = mime_type.substr(0, mime_type.find(';'));  // "application/gzip; charset=binary"
  if (mime_type == "application/gzip" || mime_type == "application/x-gzip") return Codec::kGzip;
  if (mime_type == "application/zstd" || mime_type == "application/x-zstd") return Codec::kZstd;
  if (mime_type == "application/x-lz4" || mime_type == "application/x-lz4-frame" ||
      mime_type == "application/x-lz4-framed") {
    return Codec::kLz4;
  }
  if (mime_type == "application/x-snappy-framed") return Codec::kSnappy;
  return std::nullopt;
}

void compress(Codec codec, int level, InputStream& in, OutputStream& out) {
  switch (codec) {
    case Codec::kGzip: gzip_compress(level, in, out); return;
    case Codec::kZstd: zstd_compress(level, in, out); return;
    case Codec::kLz4: lz4_compress(level, in, out); return;
    case Codec::kSnappy: snappy_compress(in, out); return;
  }
}

void decompress(Codec codec, InputStream& in, OutputStream& out) {
  switch (codec) {
    case Codec::kGzip: gzip_decompress(in, out); return;
    case Codec::kZstd: zstd_decompress(in, out); return;
    case Codec::kLz4: lz4_decompress(in, out); return;
    case Codec::kSnappy: snappy_decompress(in, out); return;
  }
}

}  // namespace sluice::standard
