#include "provenance/store_writer.hpp"

#include <algorithm>
#include <system_error>

#include <spdlog/spdlog.h>

#include "util/fs_sync.hpp"

namespace sluice::internal::provenance {

namespace fs = std::filesystem;

namespace {
constexpr std::string_view kDeletingPrefix = ".deleting-";

std::uint64_t directory_bytes(const fs::path& dir) {
  std::uint64_t bytes = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_regular_file(ec)) bytes += e.file_size(ec);
  }
  return bytes;
}

std::int64_t modified_ms(const fs::path& path) {
  std::error_code ec;
  const auto t = fs::last_write_time(path, ec);
  if (ec) return 0;
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::file_clock::to_sys(t).time_since_epoch())
      .count();
}
}  // namespace

StoreWriter::StoreWriter(StoreSettings settings, std::int64_t now_ms) : settings_(std::move(settings)) {
  if (settings_.partition_span.count() == 0) {
    settings_.partition_span = std::clamp<std::chrono::milliseconds>(
        settings_.max_age / 8, std::chrono::minutes(1), std::chrono::hours(1));
  }
  if (settings_.partition_bytes == 0) {
    settings_.partition_bytes =
        std::clamp<std::uint64_t>(settings_.max_size / 16, std::uint64_t{1} << 20, std::uint64_t{1} << 30);
  }
  create_directory_durable(settings_.directory);
  std::vector<std::pair<std::uint64_t, fs::path>> found;
  for (const auto& e : fs::directory_iterator(settings_.directory)) {
    const std::string name = e.path().filename().string();
    if (name.starts_with(kDeletingPrefix)) {
      fs::remove_all(e.path());  // a drop interrupted by a crash
      continue;
    }
    if (auto first = parse_partition_name(name); first && e.is_directory())
      found.emplace_back(*first, e.path());
  }
  std::sort(found.begin(), found.end());
  const PartitionOptions options{settings_.indexed_attributes, settings_.sync};
  for (std::size_t i = 0; i < found.size(); ++i) {
    const auto& [first, dir] = found[i];
    PartitionSummary summary;
    std::error_code ec;
    if (fs::exists(dir / kSummaryFile, ec) && decode_summary(read_whole_file(dir / kSummaryFile), summary)) {
      closed_.push_back({dir, summary.first_id, summary.last_id, summary.max_time, directory_bytes(dir)});
      continue;
    }
    if (!fs::exists(dir / kEventsFile, ec)) {
      // A crash between creating the partition's directory and its events file: it never held an event.
      spdlog::info("provenance: removing partition {}, created without events before a crash", dir.string());
      fs::remove_all(dir, ec);
      continue;
    }
    std::string error;
    auto writer = PartitionWriter::reopen(dir, options, error);
    if (!writer) {
      // Kept for inspection; it still counts against max_size and ages out like any other.
      spdlog::warn("provenance: partition {} is damaged ({}); it is skipped", dir.string(), error);
      closed_.push_back({dir, first, first, modified_ms(dir), directory_bytes(dir)});
      continue;
    }
    const bool newest = i + 1 == found.size();
    if (newest && writer->indexed_attributes() == settings_.indexed_attributes) {
      open_ = std::move(writer);
    } else {
      // An older one whose close was interrupted, or one indexed for other attributes: finish it.
      writer->close();
      if (fs::exists(dir / kSummaryFile, ec) &&
          decode_summary(read_whole_file(dir / kSummaryFile), summary)) {
        closed_.push_back({dir, summary.first_id, summary.last_id, summary.max_time, directory_bytes(dir)});
      }
    }
  }
  for (const Closed& c : closed_) last_id_ = std::max(last_id_, c.last_id);
  if (open_) last_id_ = std::max(last_id_, open_->last_id());
  durable_through_ = last_id_;
  maintain(now_ms);
}

StoreWriter::~StoreWriter() {
  try {
    close();
  } catch (const std::exception& e) {
    spdlog::warn("provenance store {}: close failed: {}", settings_.directory.string(), e.what());
  }
}

std::uint64_t StoreWriter::last_id() const {
  return last_id_;
}

std::uint64_t StoreWriter::durable_through() const {
  return durable_through_;
}

bool StoreWriter::due_to_close(std::int64_t now_ms) const {
  if (!open_ || open_->events() == 0) return false;
  return open_->events() >= settings_.partition_events || open_->bytes() >= settings_.partition_bytes ||
         now_ms - open_->created_ms() >= settings_.partition_span.count();
}

void StoreWriter::roll_over() {
  open_->close();
  const fs::path dir = open_->dir();
  PartitionSummary summary;
  std::error_code ec;
  if (fs::exists(dir / kSummaryFile, ec) && decode_summary(read_whole_file(dir / kSummaryFile), summary)) {
    closed_.push_back({dir, summary.first_id, summary.last_id, summary.max_time, directory_bytes(dir)});
  }
  open_.reset();
  durable_through_ = last_id_;
}

void StoreWriter::append(std::uint64_t first_id, std::uint32_t count, std::string_view body,
                         std::int64_t now_ms) {
  if (count == 0) return;
  if (first_id <= last_id_) {
    spdlog::warn("provenance: events {}..{} are already stored; ignored", first_id, first_id + count - 1);
    return;
  }
  if (due_to_close(now_ms)) roll_over();
  if (!open_) {
    open_ = PartitionWriter::create(settings_.directory, first_id, now_ms,
                                    PartitionOptions{settings_.indexed_attributes, settings_.sync});
  }
  open_->append(first_id, count, body);
  last_id_ = open_->last_id();
}

void StoreWriter::flush() {
  if (!open_) return;
  open_->flush();
  durable_through_ = std::max(durable_through_, open_->durable_through());
}

void StoreWriter::maintain(std::int64_t now_ms) {
  if (due_to_close(now_ms)) roll_over();
  const std::int64_t oldest_kept = now_ms - settings_.max_age.count();
  while (!closed_.empty() && closed_.front().max_time < oldest_kept) {
    drop(closed_.front(), "older than max_age");
    closed_.erase(closed_.begin());
  }
  std::uint64_t total = open_ ? open_->bytes() : 0;
  for (const Closed& c : closed_) total += c.bytes;
  while (!closed_.empty() && total > settings_.max_size) {
    total -= closed_.front().bytes;
    drop(closed_.front(), "over max_size");
    closed_.erase(closed_.begin());
  }
}

void StoreWriter::drop(const Closed& partition, const char* why) {
  // Renamed first, so that a reader listing the store never sees a half-deleted partition.
  const fs::path doomed =
      settings_.directory / (std::string(kDeletingPrefix) + partition.dir.filename().string());
  std::error_code ec;
  fs::rename(partition.dir, doomed, ec);
  if (ec) {
    spdlog::warn("provenance: cannot drop partition {}: {}", partition.dir.string(), ec.message());
    return;
  }
  sync_directory(settings_.directory);
  fs::remove_all(doomed, ec);
  spdlog::info("provenance: dropped partition {} (events {}..{}, {} bytes): {}",
               partition.dir.filename().string(), partition.first_id, partition.last_id, partition.bytes,
               why);
}

void StoreWriter::close() {
  if (!open_) return;
  open_->flush();
  durable_through_ = std::max(durable_through_, open_->durable_through());
  open_.reset();  // left open on disk: the next start continues it
}

StoreStats StoreWriter::stats() const {
  StoreStats s;
  s.partitions = closed_.size() + (open_ ? 1 : 0);
  for (const Closed& c : closed_) s.bytes += c.bytes;
  if (open_) s.bytes += open_->bytes();
  s.first_id = !closed_.empty() ? closed_.front().first_id : open_ ? open_->first_id() : 0;
  s.last_id = last_id_;
  return s;
}

}  // namespace sluice::internal::provenance
