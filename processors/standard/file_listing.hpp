// Choosing which files GetFile picks up: a pure function of the directory tree and the options, so that
// it is testable without a session.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <regex>
#include <string>
#include <system_error>
#include <vector>

namespace sluice::standard {

struct ListingOptions {
  bool recurse = false;
  // Skip dot files and, when recursing, dot directories.
  bool ignore_hidden = true;
  // Must match the whole file name; null accepts every name.
  const std::regex* file_filter = nullptr;
  // Files modified more recently than this may still be being written by someone else.
  std::chrono::milliseconds min_age{0};
  std::int64_t now_ms = 0;
  std::size_t max_files = 10;
  // Files to leave out (those another trigger is already importing); empty accepts all.
  std::function<bool(const std::filesystem::path&)> skip;
};

struct ListedFile {
  std::filesystem::path absolute;  // the file itself
  std::string filename;
  std::string relative_dir;  // relative to the listed root, with a trailing '/'; "./" for the root itself
  std::int64_t modified_ms = 0;
  std::uint64_t size = 0;
};

// Regular files (or symlinks to them) under `root`, oldest first then by path, at most max_files.
// Symlinked directories are not followed (no cycles). Entries that vanish or cannot be read while listing
// are skipped: other processes own this directory. Only an unreadable root sets `ec`.
std::vector<ListedFile> list_files(const std::filesystem::path& root, const ListingOptions& options,
                                   std::error_code& ec);

// "2024-05-01T12:00:00Z": a modification time as an attribute (`file.lastModifiedTime`).
std::string iso8601_utc(std::int64_t epoch_ms);

// Milliseconds since the epoch of a file time, comparable with ProcessContext::now_ms().
std::int64_t to_epoch_ms(std::filesystem::file_time_type time);

}  // namespace sluice::standard
