#include "listing_state.hpp"

#include <algorithm>
#include <charconv>

namespace sluice::sftp {

ListingPosition decode_position(const std::optional<std::string>& timestamp,
                                const std::optional<std::string>& paths) {
  ListingPosition p;
  if (timestamp) {
    std::int64_t value = 0;
    const auto* end = timestamp->data() + timestamp->size();
    if (std::from_chars(timestamp->data(), end, value).ptr == end) p.timestamp_ms = value;
  }
  if (paths && p.timestamp_ms != INT64_MIN) {
    std::size_t start = 0;
    while (start < paths->size()) {
      const std::size_t end = std::min(paths->find('\n', start), paths->size());
      if (end > start) p.paths.emplace_back(paths->substr(start, end - start));
      start = end + 1;
    }
    std::sort(p.paths.begin(), p.paths.end());
  }
  return p;
}

std::string encode_paths(const std::vector<std::string>& paths) {
  std::string out;
  for (const auto& p : paths) {
    if (!out.empty()) out += '\n';
    out += p;
  }
  return out;
}

std::vector<std::size_t> select_new(const std::vector<ListingCandidate>& candidates,
                                    const ListingPosition& position, std::int64_t now_ms,
                                    std::int64_t min_age_ms, std::size_t max) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const ListingCandidate& c = candidates[i];
    if (now_ms - c.modified_ms < min_age_ms) continue;
    if (c.modified_ms < position.timestamp_ms) continue;
    if (c.modified_ms == position.timestamp_ms &&
        std::binary_search(position.paths.begin(), position.paths.end(), c.path)) {
      continue;
    }
    out.push_back(i);
  }
  std::sort(out.begin(), out.end(), [&](std::size_t a, std::size_t b) {
    const auto& x = candidates[a];
    const auto& y = candidates[b];
    return x.modified_ms != y.modified_ms ? x.modified_ms < y.modified_ms : x.path < y.path;
  });
  if (out.size() > max) out.resize(max);
  return out;
}

ListingPosition advance(const ListingPosition& position,
                        const std::vector<const ListingCandidate*>& emitted) {
  if (emitted.empty()) return position;
  ListingPosition next;
  next.timestamp_ms = position.timestamp_ms;
  for (const auto* c : emitted) next.timestamp_ms = std::max(next.timestamp_ms, c->modified_ms);
  if (next.timestamp_ms == position.timestamp_ms) next.paths = position.paths;
  for (const auto* c : emitted) {
    if (c->modified_ms == next.timestamp_ms) next.paths.push_back(c->path);
  }
  std::sort(next.paths.begin(), next.paths.end());
  next.paths.erase(std::unique(next.paths.begin(), next.paths.end()), next.paths.end());
  return next;
}

}  // namespace sluice::sftp
