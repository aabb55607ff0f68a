// Which remote files a listing emits, and the durable position that keeps a restart from emitting them
// again. As NiFi's listings do, the position is the newest modification time emitted plus the paths emitted
// with exactly that time, so files that share a timestamp (SFTP gives whole seconds) are neither lost nor
// repeated: a file is new when it is newer than the position, or as old but not among those paths.
// A file that appears later with an older modification time than the position (copied with its time
// preserved) is not listed: that is the price of keeping no per-file history.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sluice::sftp {

struct ListingPosition {
  std::int64_t timestamp_ms = INT64_MIN;  // nothing listed yet
  std::vector<std::string> paths;         // sorted: what was emitted with modified_ms == timestamp_ms
};

struct ListingCandidate {
  std::string path;  // unique within the listing (the remote path)
  std::int64_t modified_ms = 0;
};

// State keys and their encoding (decimal milliseconds; paths one per line, as paths have no newlines
// here: a listing skips names that contain one).
inline constexpr const char* kTimestampKey = "listing.timestamp";
inline constexpr const char* kPathsKey = "listing.paths";
ListingPosition decode_position(const std::optional<std::string>& timestamp,
                                const std::optional<std::string>& paths);
std::string encode_paths(const std::vector<std::string>& paths);

// Indices of the candidates to emit now, oldest first (ties by path): new since `position`, at least
// `min_age_ms` old at `now_ms`, at most `max`.
std::vector<std::size_t> select_new(const std::vector<ListingCandidate>& candidates,
                                    const ListingPosition& position, std::int64_t now_ms,
                                    std::int64_t min_age_ms, std::size_t max);

// The position after emitting `emitted` (in the order select_new returned them).
ListingPosition advance(const ListingPosition& position, const std::vector<const ListingCandidate*>& emitted);

}  // namespace sluice::sftp
