// The seal of a content resource handed over to a delivered file (PutFile's hard link): the size and
// SHA-256 of its bytes when sluice let go of them, in <resource file>.seal beside it. The delivered file and
// the resource are one inode, so its new owner can change the bytes the content repository still serves to
// later readers (a processor after PutFile, provenance's content view and replay); the seal tells them.
// SHA-256, not a CRC, because the check stands between an outside writer and an audit trail.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <sys/stat.h>

namespace sluice::internal {

struct ContentSeal {
  std::uint64_t size = 0;
  std::array<unsigned char, 32> sha256{};

  friend bool operator==(const ContentSeal&, const ContentSeal&) = default;
};

// <resource file>.seal: seals live beside their resource, in the live fan-out or in the archive.
std::filesystem::path seal_path(const std::filesystem::path& resource_file);
// For a directory listing: the resource's name when `name` is a seal's, empty otherwise.
[[nodiscard]] std::string_view sealed_resource_name(std::string_view name);
// A seal's temporary file, left by a crash while it was written.
[[nodiscard]] bool is_seal_leftover(std::string_view name);

// Hashes the whole file behind `fd` (reads it once).
ContentSeal compute_seal(int fd, const std::filesystem::path& path);
// Writes the seal durably (file and directory synced) before the hand-over that needs it.
void write_seal(const std::filesystem::path& resource_file, const ContentSeal& seal);
// The resource's seal; nullopt when it has none. A seal whose own checksum fails is an error.
std::optional<ContentSeal> read_seal(const std::filesystem::path& resource_file);

// What a reader learns from a resource file and its seal.
enum class SealCheck {
  kUnsealed,  // never handed over: the repository's own file
  kIntact,    // handed over, and its bytes are still the sealed ones
  kChanged,   // handed over, and changed since (or its seal is unreadable)
};

// Verifies the open file against the seal beside `resource_file` (one full read when sealed).
SealCheck check_seal(int fd, const std::filesystem::path& resource_file);

// The inode state a verification saw. Any write, truncate, chmod, link or rename of the file moves its
// ctime, which nothing can set back, so an unchanged key after a verification means unchanged bytes —
// once the ctime is older than the clock's granularity (a change in the same tick would not move it).
struct InodeKey {
  ino_t ino = 0;
  off_t size = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;

  friend bool operator==(const InodeKey&, const InodeKey&) = default;
};
InodeKey inode_key(const struct stat& st);
// True when a verification that saw `key` may be trusted for later opens without another full read.
[[nodiscard]] bool settled(const InodeKey& key);

// Why a handed-over content can no longer be read, for errors and provenance.
std::string changed_content_reason(std::uint64_t resource_id);

}  // namespace sluice::internal
