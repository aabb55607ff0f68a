// The file system steps that make a written file survive a crash: data synced before the rename that
// publishes it, and the directory synced after it, so a reader never sees a partial file under its final
// name and a published file is not lost with the page cache.
#pragma once

#include <filesystem>
#include <system_error>

namespace sluice::standard {

// fsync of a file's data, or of a directory's entries.
std::error_code sync_file(const std::filesystem::path& file);
std::error_code sync_directory(const std::filesystem::path& dir);

// Atomically renames `from` to `to` in the same file system. With replace=false an existing `to` is left
// alone and the result is std::errc::file_exists, with no window in which another writer's file could be
// overwritten (renameat2 RENAME_NOREPLACE, else link + unlink).
std::error_code rename_file(const std::filesystem::path& from, const std::filesystem::path& to, bool replace);

// create_directories, then sync the parent of every directory it created so that the new entries persist.
std::error_code create_directories_durably(const std::filesystem::path& dir);

}  // namespace sluice::standard
