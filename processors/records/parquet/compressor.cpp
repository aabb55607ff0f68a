#include "compressor.hpp"

#include <snappy.h>
#include <string>

#include <snappy-sinksource.h>
#define ZLIB_CONST
#include <zlib.h>
#include <zstd.h>

namespace sluice::parquet {

namespace {

constexpr int kDefaultZstdLevel = 1;

// snappy reads its input through a Source; this one walks two fragments without joining them.
class TwoPartSource : public snappy::Source {
 public:
  TwoPartSource(std::string_view first, std::string_view second) : first_(first), second_(second) {}
  [[nodiscard]] std::size_t Available() const override { return first_.size() + second_.size(); }
  const char* Peek(std::size_t* length) override {
    const std::string_view& current = first_.empty() ? second_ : first_;
    *length = current.size();
    return current.data();
  }
  void Skip(std::size_t n) override {
    const std::size_t from_first = std::min(n, first_.size());
    first_.remove_prefix(from_first);
    second_.remove_prefix(n - from_first);
  }

 private:
  std::string_view first_;
  std::string_view second_;
};

[[noreturn]] void fail(std::string_view codec, std::string_view what) {
  throw ParquetError("parquet: " + std::string(codec) + " compression failed: " + std::string(what));
}

}  // namespace

struct Compressor::State {
  ZSTD_CCtx* zstd = nullptr;
  z_stream deflate{};
  bool deflate_ready = false;

  State() = default;
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  State(State&&) = delete;
  State& operator=(State&&) = delete;
  ~State() {
    if (zstd != nullptr) ZSTD_freeCCtx(zstd);
    if (deflate_ready) deflateEnd(&deflate);
  }
};

Compressor::Compressor(Codec codec, int level)
    : codec_(codec), level_(level), state_(std::make_unique<State>()) {
  switch (codec_) {
    case Codec::kUncompressed:
    case Codec::kSnappy: break;
    case Codec::kZstd: {
      state_->zstd = ZSTD_createCCtx();
      if (state_->zstd == nullptr) fail("ZSTD", "no memory for a context");
      const int zstd_level = level_ == 0 ? kDefaultZstdLevel : level_;
      const std::size_t rc = ZSTD_CCtx_setParameter(state_->zstd, ZSTD_c_compressionLevel, zstd_level);
      if (ZSTD_isError(rc) != 0) fail("ZSTD", ZSTD_getErrorName(rc));
      break;
    }
    case Codec::kGzip: {
      const int gzip_level = level_ == 0 ? Z_DEFAULT_COMPRESSION : level_;
      // windowBits 15 + 16: a gzip wrapper (RFC 1952), which is what Parquet's GZIP means.
      if (deflateInit2(&state_->deflate, gzip_level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        fail("GZIP", "bad level " + std::to_string(gzip_level));
      }
      state_->deflate_ready = true;
      break;
    }
    default: throw ParquetError("parquet: unsupported codec " + std::to_string(static_cast<int>(codec_)));
  }
}

Compressor::~Compressor() = default;

void Compressor::compress(std::string_view first, std::string_view second, ByteBuffer& out) {
  out.clear();
  const std::size_t total = first.size() + second.size();
  switch (codec_) {
    case Codec::kUncompressed:
      out.append(first);
      out.append(second);
      return;
    case Codec::kSnappy: {
      char* dest = out.prepare(snappy::MaxCompressedLength(total));
      std::size_t written = 0;
      if (first.empty() || second.empty()) {
        const std::string_view only = first.empty() ? second : first;
        snappy::RawCompress(only.data(), only.size(), dest, &written);
      } else {
        TwoPartSource source(first, second);
        snappy::UncheckedByteArraySink sink(dest);
        written = snappy::Compress(&source, &sink);
      }
      out.commit(written);
      return;
    }
    case Codec::kZstd: {
      ZSTD_CCtx* cctx = state_->zstd;
      const std::size_t capacity = ZSTD_compressBound(total);
      char* dest = out.prepare(capacity);
      if (first.empty() || second.empty()) {
        const std::string_view only = first.empty() ? second : first;
        const std::size_t written = ZSTD_compress2(cctx, dest, capacity, only.data(), only.size());
        if (ZSTD_isError(written) != 0) fail("ZSTD", ZSTD_getErrorName(written));
        out.commit(written);
        return;
      }
      ZSTD_CCtx_reset(cctx, ZSTD_reset_session_only);
      ZSTD_CCtx_setPledgedSrcSize(cctx, total);  // the frame then records the content size
      ZSTD_outBuffer output{dest, capacity, 0};
      ZSTD_inBuffer input{first.data(), first.size(), 0};
      while (input.pos < input.size) {
        const std::size_t rc = ZSTD_compressStream2(cctx, &output, &input, ZSTD_e_continue);
        if (ZSTD_isError(rc) != 0) fail("ZSTD", ZSTD_getErrorName(rc));
      }
      input = {second.data(), second.size(), 0};
      for (;;) {
        const std::size_t remaining = ZSTD_compressStream2(cctx, &output, &input, ZSTD_e_end);
        if (ZSTD_isError(remaining) != 0) fail("ZSTD", ZSTD_getErrorName(remaining));
        if (remaining == 0) break;
        if (output.pos == output.size) fail("ZSTD", "output larger than its bound");
      }
      out.commit(output.pos);
      return;
    }
    case Codec::kGzip: {
      z_stream& zs = state_->deflate;
      if (deflateReset(&zs) != Z_OK) fail("GZIP", "deflateReset");
      const auto capacity = static_cast<std::size_t>(deflateBound(&zs, static_cast<uLong>(total)));
      char* dest = out.prepare(capacity);
      zs.next_out = reinterpret_cast<Bytef*>(dest);
      zs.avail_out = static_cast<uInt>(capacity);
      zs.next_in = reinterpret_cast<const Bytef*>(first.data());
      zs.avail_in = static_cast<uInt>(first.size());
      if (deflate(&zs, Z_NO_FLUSH) != Z_OK && !first.empty())
        fail("GZIP", zs.msg != nullptr ? zs.msg : "deflate");
      zs.next_in = reinterpret_cast<const Bytef*>(second.data());
      zs.avail_in = static_cast<uInt>(second.size());
      if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
        fail("GZIP", zs.msg != nullptr ? zs.msg : "deflate did not finish");
      out.commit(capacity - zs.avail_out);
      return;
    }
  }
}

}  // namespace sluice::parquet
