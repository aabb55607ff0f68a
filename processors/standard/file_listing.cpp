#include "file_listing.hpp"

#include <algorithm>
#include <ctime>

namespace sluice::standard {

namespace fs = std::filesystem;

std::int64_t to_epoch_ms(fs::file_time_type time) {
  const auto system = std::chrono::file_clock::to_sys(time);
  return std::chrono::duration_cast<std::chrono::milliseconds>(system.time_since_epoch()).count();
}

std::string iso8601_utc(std::int64_t epoch_ms) {
  const auto seconds = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm tm{};
  ::gmtime_r(&seconds, &tm);
  char buf[32];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return {buf, n};
}

namespace {

bool hidden(const std::string& name) {
  return !name.empty() && name.front() == '.';
}

std::string relative_dir(const fs::path& root, const fs::path& dir) {
  const fs::path rel = dir.lexically_relative(root);
  if (rel.empty() || rel == ".") return "./";
  return rel.generic_string() + "/";
}

}  // namespace

std::vector<ListedFile> list_files(const fs::path& root, const ListingOptions& options, std::error_code& ec) {
  ec.clear();
  std::vector<ListedFile> found;
  std::vector<fs::path> pending{root};
  bool at_root = true;
  while (!pending.empty()) {
    const fs::path dir = std::move(pending.back());
    pending.pop_back();

    std::error_code dir_ec;
    fs::directory_iterator it(dir, dir_ec);
    if (dir_ec) {
      if (at_root) ec = dir_ec;
      at_root = false;
      continue;  // a subdirectory removed or made unreadable meanwhile
    }
    at_root = false;

    for (; !dir_ec && it != fs::directory_iterator(); it.increment(dir_ec)) {
      const fs::directory_entry& entry = *it;
      std::string name = entry.path().filename().string();
      if (options.ignore_hidden && hidden(name)) continue;

      std::error_code entry_ec;
      if (entry.is_directory(entry_ec)) {
        if (options.recurse && !entry.is_symlink(entry_ec)) pending.push_back(entry.path());
        continue;
      }
      if (!entry.is_regular_file(entry_ec) || entry_ec) continue;
      if (options.file_filter != nullptr && !std::regex_match(name, *options.file_filter)) continue;

      const auto modified = entry.last_write_time(entry_ec);
      const auto size = entry.file_size(entry_ec);
      if (entry_ec) continue;  // vanished since it was listed
      const std::int64_t modified_ms = to_epoch_ms(modified);
      if (options.now_ms - modified_ms < options.min_age.count()) continue;
      if (options.skip && options.skip(entry.path())) continue;

      found.push_back({entry.path(), std::move(name), relative_dir(root, dir), modified_ms, size});
    }
  }

  auto older = [](const ListedFile& a, const ListedFile& b) {
    return a.modified_ms != b.modified_ms ? a.modified_ms < b.modified_ms : a.absolute < b.absolute;
  };
  if (found.size() > options.max_files) {
    const auto middle = found.begin() + static_cast<std::ptrdiff_t>(options.max_files);
    std::partial_sort(found.begin(), middle, found.end(), older);
    found.erase(middle, found.end());
  } else {
    std::sort(found.begin(), found.end(), older);
  }
  return found;
}

}  // namespace sluice::standard
