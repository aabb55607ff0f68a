#include "provenance/store_reader.hpp"

#include <algorithm>
#include <fcntl.h>
#include <system_error>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "provenance/postings.hpp"
#include "util/byte_codec.hpp"
#include "util/crc32c.hpp"

namespace sluice::internal::provenance {

namespace fs = std::filesystem;

std::unique_ptr<PartitionReader> PartitionReader::open(const fs::path& dir, std::string& warning) {
  std::unique_ptr<PartitionReader> p(new PartitionReader());
  p->dir_ = dir;
  const fs::path events = dir / kEventsFile;
  p->fd_ = open_if_exists(events, O_RDONLY);
  if (!p->fd_) {
    warning = "its events file is missing";
    return nullptr;
  }
  const std::uint64_t size = file_size(p->fd_.get(), events);
  std::string head(static_cast<std::size_t>(std::min<std::uint64_t>(size, 16)), '\0');
  pread_full(p->fd_.get(), head.data(), head.size(), 0, events);
  if (head.size() < 16) {
    warning = "its events file is shorter than a header";
    return nullptr;
  }
  const std::uint64_t header_size = std::min<std::uint64_t>(16ULL + load_u32(head.data() + 12) + 4, size);
  head.resize(static_cast<std::size_t>(header_size));
  pread_full(p->fd_.get(), head.data(), head.size(), 0, events);
  EventsHeader header;
  std::size_t header_length = 0;
  if (!decode_events_header(head, header, header_length)) {
    warning = "its events file has a damaged header";
    return nullptr;
  }
  p->first_id_ = header.first_id;
  p->last_id_ = header.first_id - 1;
  p->indexed_attributes_ = header.indexed_attributes;

  std::error_code ec;
  if (fs::exists(dir / kSummaryFile, ec)) {
    PartitionSummary summary;
    if (!decode_summary(read_whole_file(dir / kSummaryFile), summary)) {
      warning = "its summary is damaged";
      return nullptr;
    }
    if (!decode_block_directory(read_whole_file(dir / kBlocksFile), p->blocks_)) {
      warning = "its block directory is damaged";
      return nullptr;
    }
    std::string why;
    auto index = IndexFile::open(dir / kIndexFile, why);
    if (!index) {
      warning = "its index is " + why;
      return nullptr;
    }
    p->indexes_.push_back(std::move(index));
    p->closed_ = true;
    p->last_id_ = summary.last_id;
    p->min_time_ = summary.min_time;
    p->max_time_ = summary.max_time;
    p->events_ = summary.events;
    p->covered_through_ = summary.last_id;
    return p;  // block lengths come from their frames when read
  }

  // Still being written: walk the block frames (their payloads are checked when read).
  std::uint64_t at = header_length;
  char buf[kBlockHeaderSize + kBlockPayloadHeaderSize];
  while (size - at >= sizeof buf) {
    pread_full(p->fd_.get(), buf, sizeof buf, at, events);
    const std::uint32_t length = load_u32(buf);
    if (length < kBlockPayloadHeaderSize || length > size - at - kBlockHeaderSize) break;
    BlockInfo info;
    if (!decode_block_info(std::string_view(buf + kBlockHeaderSize, kBlockPayloadHeaderSize), info) ||
        info.first_id <= p->last_id_) {
      break;
    }
    info.offset = at;
    info.length = length;
    p->blocks_.push_back(info);
    p->last_id_ = info.last_id;
    at += kBlockHeaderSize + length;
  }
  // Runs: the widest one starting where coverage ends, repeatedly (a merge may have left its inputs).
  std::vector<std::pair<std::uint64_t, std::uint64_t>> runs;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    if (parse_run_name(e.path().filename().string(), first, last)) runs.emplace_back(first, last);
  }
  std::uint64_t covered = p->first_id_ - 1;
  for (;;) {
    std::uint64_t best = 0;
    for (const auto& [first, last] : runs) {
      if (first == covered + 1 && last > best && last <= p->last_id_) best = last;
    }
    if (best == 0) break;
    std::string why;
    auto file = IndexFile::open(dir / run_name(covered + 1, best), why);
    if (!file) break;  // merged away meanwhile, or damaged: scanning covers the rest
    p->indexes_.push_back(std::move(file));
    covered = best;
  }
  p->covered_through_ = covered;
  p->scan_uncovered();
  for (const BlockInfo& b : p->blocks_) {
    p->events_ += b.events;
    p->min_time_ = std::min(p->min_time_, b.min_time);
    p->max_time_ = std::max(p->max_time_, b.max_time);
  }
  return p;
}

void PartitionReader::scan_uncovered() {
  std::string payload;
  std::string error;
  for (std::size_t i = 0; i < blocks_.size(); ++i) {
    if (blocks_[i].last_id <= covered_through_) continue;
    bool torn = false;
    if (!read_block(i, payload, error, torn)) {
      // Being written (torn) or damaged: what follows is not readable in this snapshot.
      if (!torn) spdlog::warn("provenance partition {}: {}; later events are skipped", dir_.string(), error);
      blocks_.resize(i);
      last_id_ = i == 0 ? first_id_ - 1 : blocks_.back().last_id;
      break;
    }
    for_each_section(payload, [&](std::uint64_t first, std::string_view body) {
      section_postings(
          first, body, indexed_attributes_, [](const EventView&) {},
          [&](std::uint64_t key, std::uint64_t id) {
            if (id > covered_through_)
              uncovered_.emplace_back(key, static_cast<std::uint32_t>(id - first_id_));
          });
    });
  }
  std::sort(uncovered_.begin(), uncovered_.end());
}

bool PartitionReader::indexes_attribute(std::string_view name) const {
  return std::find(indexed_attributes_.begin(), indexed_attributes_.end(), name) != indexed_attributes_.end();
}

bool PartitionReader::read_block(std::size_t index, std::string& payload, std::string& error,
                                 bool& torn) const {
  torn = false;
  const BlockInfo& b = blocks_[index];
  const fs::path events = dir_ / kEventsFile;
  char frame[kBlockHeaderSize];
  if (pread_full(fd_.get(), frame, sizeof frame, b.offset, events) != sizeof frame) {
    error = fmt::format("block at byte {} is cut short", b.offset);
    torn = !closed_ && index + 1 == blocks_.size();
    return false;
  }
  const std::uint32_t length = load_u32(frame);
  payload.resize(length);
  if (pread_full(fd_.get(), payload.data(), payload.size(), b.offset + kBlockHeaderSize, events) != length ||
      crc32c(payload) != load_u32(frame + 4)) {
    error = fmt::format("block at byte {} is damaged (checksum)", b.offset);
    torn = !closed_ && index + 1 == blocks_.size();
    return false;
  }
  BlockInfo check;
  if (!decode_block_info(payload, check) || check.first_id != b.first_id || check.events != b.events) {
    error = fmt::format("block at byte {} does not match the block directory", b.offset);
    return false;
  }
  return true;
}

std::size_t PartitionReader::block_of(std::uint64_t id) const {
  auto it = std::upper_bound(blocks_.begin(), blocks_.end(), id,
                             [](std::uint64_t v, const BlockInfo& b) { return v < b.first_id; });
  if (it == blocks_.begin()) return blocks_.size();
  --it;
  return id <= it->last_id ? static_cast<std::size_t>(it - blocks_.begin()) : blocks_.size();
}

void PartitionReader::lookup(std::uint64_t key, std::vector<std::uint64_t>& ids) const {
  const std::size_t start = ids.size();
  std::vector<std::uint32_t> rel;
  for (const auto& index : indexes_) index->lookup(key, rel);
  auto it = std::lower_bound(uncovered_.begin(), uncovered_.end(), Posting{key, 0});
  for (; it != uncovered_.end() && it->key == key; ++it) rel.push_back(it->id);
  for (const std::uint32_t r : rel) {
    const std::uint64_t id = first_id_ + r;
    if (id <= last_id_) ids.push_back(id);
  }
  std::sort(ids.begin() + static_cast<std::ptrdiff_t>(start), ids.end());
  ids.erase(std::unique(ids.begin() + static_cast<std::ptrdiff_t>(start), ids.end()), ids.end());
}

StoreReader::StoreReader(const fs::path& dir) : dir_(dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return;
  std::vector<std::pair<std::uint64_t, fs::path>> found;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (auto first = parse_partition_name(e.path().filename().string())) found.emplace_back(*first, e.path());
  }
  std::sort(found.begin(), found.end());
  for (const auto& [first, path] : found) {
    std::string why;
    std::unique_ptr<PartitionReader> p;
    try {
      p = PartitionReader::open(path, why);
    } catch (const std::exception& e) {
      why = e.what();
    }
    if (!p) {
      warn(fmt::format("provenance partition {} skipped: {}", path.string(), why));
      continue;
    }
    if (p->events() == 0) continue;
    partitions_.push_back(std::move(p));
  }
}

void StoreReader::warn(std::string message) const {
  if (std::find(warnings_.begin(), warnings_.end(), message) != warnings_.end()) return;
  spdlog::warn("{}", message);
  warnings_.push_back(std::move(message));
}

const PartitionReader* StoreReader::partition_of(std::uint64_t event_id) const {
  auto it = std::upper_bound(partitions_.begin(), partitions_.end(), event_id,
                             [](std::uint64_t v, const auto& p) { return v < p->first_id(); });
  if (it == partitions_.begin()) return nullptr;
  --it;
  return event_id <= (*it)->last_id() ? it->get() : nullptr;
}

std::uint64_t StoreReader::event_count() const {
  std::uint64_t n = 0;
  for (const auto& p : partitions_) n += p->events();
  return n;
}

}  // namespace sluice::internal::provenance
