#include "repository/content_seal.hpp"

#include <cerrno>
#include <charconv>
#include <chrono>
#include <fcntl.h>
#include <memory>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>
#include <openssl/evp.h>

#include "util/crc32c.hpp"
#include "util/fs_sync.hpp"
#include "util/hex.hpp"

namespace sluice::internal {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSealSuffix = ".seal";
constexpr std::string_view kMagic = "sluice-content-seal 1";
constexpr std::size_t kReadChunk = std::size_t{256} * 1024;  // stays in L2 between read and hash
// Coarse file timestamps tick every few milliseconds (seconds on some file systems): a change within the
// tick of a verification would leave the ctime as it was.
constexpr auto kTimestampSettle = std::chrono::seconds(2);

std::string seal_body(const ContentSeal& seal) {
  std::string digest;
  append_hex(digest, seal.sha256);
  return fmt::format("{}\nsize {}\nsha256 {}\n", kMagic, seal.size, digest);
}

bool parse_hex(std::string_view text, std::uint32_t& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out, 16);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

std::int64_t nanoseconds(const struct timespec& ts) {
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace

fs::path seal_path(const fs::path& resource_file) {
  fs::path p = resource_file;
  p += kSealSuffix;
  return p;
}

std::string_view sealed_resource_name(std::string_view name) {
  if (name.size() <= kSealSuffix.size() || !name.ends_with(kSealSuffix)) return {};
  return name.substr(0, name.size() - kSealSuffix.size());
}

bool is_seal_leftover(std::string_view name) {
  return name.ends_with(".seal.tmp");  // write_file_atomically's temporary name
}

ContentSeal compute_seal(int fd, const fs::path& path) {
  struct EvpFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  };
  std::unique_ptr<EVP_MD_CTX, EvpFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 is not available");
  }
  std::vector<char> buf(kReadChunk);
  ContentSeal seal;
  for (;;) {
    const std::size_t got = pread_full(fd, buf.data(), buf.size(), seal.size, path);
    if (got == 0) break;
    if (EVP_DigestUpdate(ctx.get(), buf.data(), got) != 1) throw std::runtime_error("SHA-256 failed");
    seal.size += got;
    if (got < buf.size()) break;
  }
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx.get(), seal.sha256.data(), &length) != 1 || length != seal.sha256.size()) {
    throw std::runtime_error("SHA-256 failed");
  }
  return seal;
}

void write_seal(const fs::path& resource_file, const ContentSeal& seal) {
  std::string text = seal_body(seal);
  text += fmt::format("crc32c {:08x}\n", crc32c(text));
  write_file_atomically(seal_path(resource_file), text, true);
}

std::optional<ContentSeal> read_seal(const fs::path& resource_file) {
  const fs::path path = seal_path(resource_file);
  UniqueFd fd = open_if_exists(path, O_RDONLY);
  if (!fd) return std::nullopt;
  std::string text(256, '\0');
  text.resize(pread_full(fd.get(), text.data(), text.size(), 0, path));
  // Four lines: the magic, "size N", "sha256 HEX", and "crc32c HEX" over the three before it.
  ContentSeal seal;
  const auto crc_at = text.rfind("crc32c ");
  const std::string_view body = std::string_view(text).substr(0, crc_at == std::string::npos ? 0 : crc_at);
  std::uint32_t crc = 0;
  const bool crc_ok = crc_at != std::string::npos &&
                      parse_hex(std::string_view(text).substr(crc_at + 7, 8), crc) && crc == crc32c(body);
  const std::string_view size_prefix = "\nsize ";
  const std::string_view digest_prefix = "\nsha256 ";
  const auto size_at = body.find(size_prefix);
  const auto digest_at = body.find(digest_prefix);
  bool ok = crc_ok && body.starts_with(kMagic) && size_at == kMagic.size() &&
            digest_at != std::string::npos && body.size() == digest_at + digest_prefix.size() + 64 + 1;
  if (ok) {
    const std::string_view size_text =
        body.substr(size_at + size_prefix.size(), digest_at - size_at - size_prefix.size());
    auto [end, ec] = std::from_chars(size_text.data(), size_text.data() + size_text.size(), seal.size);
    ok = ec == std::errc() && end == size_text.data() + size_text.size();
    const std::string_view digest = body.substr(digest_at + digest_prefix.size(), 64);
    for (std::size_t i = 0; ok && i < seal.sha256.size(); ++i) {
      std::uint32_t byte = 0;
      ok = parse_hex(digest.substr(2 * i, 2), byte);
      seal.sha256[i] = static_cast<unsigned char>(byte);
    }
  }
  if (!ok) throw std::runtime_error("content seal " + path.string() + " is corrupt");
  return seal;
}

SealCheck check_seal(int fd, const fs::path& resource_file) {
  std::optional<ContentSeal> seal;
  try {
    seal = read_seal(resource_file);
  } catch (const std::exception&) {
    return SealCheck::kChanged;  // a seal that cannot vouch for the bytes vouches for nothing
  }
  if (!seal) return SealCheck::kUnsealed;
  return compute_seal(fd, resource_file) == *seal ? SealCheck::kIntact : SealCheck::kChanged;
}

InodeKey inode_key(const struct stat& st) {
  return {st.st_ino, st.st_size, nanoseconds(st.st_mtim), nanoseconds(st.st_ctim)};
}

bool settled(const InodeKey& key) {
  const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return key.ctime_ns < now - std::chrono::nanoseconds(kTimestampSettle).count();
}

std::string changed_content_reason(std::uint64_t resource_id) {
  return fmt::format(
      "content resource {} was handed over to a delivered file (PutFile's hard link) and its bytes have been "
      "changed there since: they no longer match the SHA-256 sealed at delivery, so sluice will not serve "
      "them as this content",
      resource_id);
}

}  // namespace sluice::internal
