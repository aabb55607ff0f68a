#include "provenance/partition_writer.hpp"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "provenance/postings.hpp"
#include "repository/flowfile_log.hpp"
#include "util/byte_codec.hpp"
#include "util/crc32c.hpp"

namespace sluice::internal::provenance {

namespace fs = std::filesystem;

namespace {
constexpr std::size_t kBlockTarget = std::size_t{64} * 1024;  // a lookup decodes one block: keep it small
constexpr std::size_t kRunFanout = 8;

}  // namespace

PartitionWriter::PartitionWriter(fs::path dir, PartitionOptions options)
    : dir_(std::move(dir)), options_(std::move(options)) {}

PartitionWriter::~PartitionWriter() = default;

std::unique_ptr<PartitionWriter> PartitionWriter::create(const fs::path& store_dir, std::uint64_t first_id,
                                                         std::int64_t now_ms, PartitionOptions options) {
  std::unique_ptr<PartitionWriter> w(
      new PartitionWriter(store_dir / partition_name(first_id), std::move(options)));
  create_directory_durable(w->dir_);
  const fs::path events = w->dir_ / kEventsFile;
  w->fd_ = open_file(events, O_WRONLY | O_CREAT | O_TRUNC);
  EventsHeader header{first_id, now_ms, w->options_.indexed_attributes};
  const std::string bytes = encode_events_header(header);
  write_all(w->fd_.get(), bytes, events);
  sync_file(w->fd_.get(), events);
  sync_directory(w->dir_);
  w->file_end_ = bytes.size();
  w->first_id_ = first_id;
  w->last_id_ = first_id - 1;
  w->durable_through_ = first_id - 1;
  w->created_ms_ = now_ms;
  w->run_from_ = first_id;
  return w;
}

std::unique_ptr<PartitionWriter> PartitionWriter::reopen(const fs::path& dir, PartitionOptions options,
                                                         std::string& error) {
  std::unique_ptr<PartitionWriter> w(new PartitionWriter(dir, std::move(options)));
  const fs::path events = dir / kEventsFile;
  std::uint64_t valid_end = 0;
  std::uint64_t size = 0;
  {
    MappedFile file(events);
    const std::string_view bytes = file.bytes();
    size = bytes.size();
    EventsHeader header;
    std::size_t header_size = 0;
    if (!decode_events_header(bytes, header, header_size)) {
      error = "damaged events header";
      return nullptr;
    }
    // The partition keeps the indexed attributes it was created with: postings must not change meaning.
    w->options_.indexed_attributes = header.indexed_attributes;
    w->first_id_ = header.first_id;
    w->last_id_ = header.first_id - 1;
    w->created_ms_ = header.created_ms;
    std::uint64_t at = header_size;
    while (size - at >= kBlockHeaderSize) {
      const std::uint32_t length = load_u32(bytes.data() + at);
      if (length == 0 || length > size - at - kBlockHeaderSize) break;
      const std::string_view payload = bytes.substr(at + kBlockHeaderSize, length);
      BlockInfo info;
      if (crc32c(payload) != load_u32(bytes.data() + at + 4) || !decode_block_info(payload, info) ||
          info.first_id <= w->last_id_) {
        break;
      }
      info.offset = at;
      w->blocks_.push_back(info);
      w->last_id_ = info.last_id;
      w->events_ += info.events;
      w->min_time_ = std::min(w->min_time_, info.min_time);
      w->max_time_ = std::max(w->max_time_, info.max_time);
      at += kBlockHeaderSize + length;
    }
    valid_end = at;
  }
  w->fd_ = open_file(events, O_WRONLY);
  if (valid_end < size) {
    spdlog::warn("provenance partition {}: torn or damaged block at byte {}; cut {} bytes", dir.string(),
                 valid_end, size - valid_end);
    if (::ftruncate(w->fd_.get(), static_cast<off_t>(valid_end)) != 0)
      throw_os_error("ftruncate", events, errno);
  }
  sync_file(w->fd_.get(), events);  // what is there now is what the store holds
  w->file_end_ = valid_end;
  w->durable_through_ = w->last_id_;

  // Runs: keep the contiguous, intact ones from the start; index again what they do not cover.
  std::vector<Run> runs;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    if (parse_run_name(e.path().filename().string(), first, last)) runs.push_back({first, last, 0});
  }
  std::sort(runs.begin(), runs.end(), [](const Run& a, const Run& b) { return a.first_id < b.first_id; });
  std::uint64_t covered = w->first_id_ - 1;
  for (Run& r : runs) {
    std::string why;
    auto file = r.first_id == covered + 1 && r.last_id <= w->last_id_ ? IndexFile::open(w->run_path(r), why)
                                                                      : nullptr;
    if (file && file->verify() && file->first_id() == r.first_id && file->last_id() == r.last_id) {
      r.count = file->size();
      covered = r.last_id;
      w->runs_.push_back(r);
    } else {
      std::error_code ec;
      fs::remove(w->run_path(r), ec);
    }
  }
  w->run_from_ = covered + 1;
  if (covered < w->last_id_) w->index_stored(covered + 1, w->last_id_, w->postings_);
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".tmp") fs::remove(e.path());
  }
  if (!w->postings_.empty() || covered < w->last_id_) w->write_run();
  return w;
}

void PartitionWriter::index_section(std::uint64_t first_id, std::string_view body,
                                    std::vector<Posting>& postings, BlockInfo* times) {
  section_postings(
      first_id, body, options_.indexed_attributes,
      [&](const EventView& e) {
        if (times == nullptr) return;
        times->min_time = std::min(times->min_time, e.time_ms);
        times->max_time = std::max(times->max_time, e.time_ms);
      },
      [&](std::uint64_t key, std::uint64_t id) {
        postings.emplace_back(key, static_cast<std::uint32_t>(id - first_id_));
      });
}

void PartitionWriter::index_stored(std::uint64_t first, std::uint64_t last, std::vector<Posting>& postings) {
  const fs::path events = dir_ / kEventsFile;
  UniqueFd fd = open_file(events, O_RDONLY);
  std::string payload;
  for (const BlockInfo& b : blocks_) {
    if (b.last_id < first || b.first_id > last) continue;
    payload.resize(b.length);
    pread_full(fd.get(), payload.data(), payload.size(), b.offset + kBlockHeaderSize, events);
    for_each_section(payload, [&](std::uint64_t section_first, std::string_view body) {
      if (section_first >= first && section_first <= last)
        index_section(section_first, body, postings, nullptr);
    });
  }
}

void PartitionWriter::append(std::uint64_t first_id, std::uint32_t count, std::string_view body) {
  if (count == 0) return;
  if (first_id <= last_id_) {
    spdlog::warn("provenance partition {}: events {}..{} are already stored; ignored", dir_.string(),
                 first_id, first_id + count - 1);
    return;
  }
  if (!block_.empty() && block_.size() + body.size() > kBlockTarget) seal_block();
  if (block_.empty()) {
    block_.append(kBlockHeaderSize + kBlockPayloadHeaderSize, '\0');  // frame and payload headers: seal_block
    current_ = BlockInfo{};
    current_.first_id = first_id;
    current_.min_time = INT64_MAX;
    current_.max_time = INT64_MIN;
    block_sections_ = 0;
  }
  ByteWriter w(block_);
  w.varint(first_id - current_.first_id);
  w.varint(body.size());
  w.raw(body);
  ++block_sections_;
  index_section(first_id, body, postings_, &current_);
  current_.last_id = first_id + count - 1;
  current_.events = static_cast<std::uint32_t>(current_.last_id - current_.first_id + 1);
  last_id_ = current_.last_id;
  events_ += count;
}

void PartitionWriter::seal_block() {
  if (block_.empty()) return;
  char* h = block_.data() + kBlockHeaderSize;
  store_u64(h, current_.first_id);
  store_u32(h + 8, current_.events);
  store_u64(h + 12, static_cast<std::uint64_t>(current_.min_time));
  store_u64(h + 20, static_cast<std::uint64_t>(current_.max_time));
  store_u32(h + 28, block_sections_);
  store_u32(h + 32, 0);
  const std::string_view payload = std::string_view(block_).substr(kBlockHeaderSize);
  store_u32(block_.data(), static_cast<std::uint32_t>(payload.size()));
  store_u32(block_.data() + 4, crc32c(payload));
  // Written at once (no buffer of sealed blocks to copy and grow); a flush makes them durable.
  const fs::path events = dir_ / kEventsFile;
  pwrite_all(fd_.get(), block_, file_end_, events);
  current_.offset = file_end_;
  current_.length = static_cast<std::uint32_t>(payload.size());
  file_end_ += block_.size();
  unsynced_ = true;
  blocks_.push_back(current_);
  min_time_ = std::min(min_time_, current_.min_time);
  max_time_ = std::max(max_time_, current_.max_time);
  block_.clear();
}

void PartitionWriter::flush() {
  seal_block();
  if (unsynced_ && options_.sync) sync_file(fd_.get(), dir_ / kEventsFile);
  unsynced_ = false;
  durable_through_ = last_id_;
  if (last_id_ >= run_from_) write_run();
}

void PartitionWriter::write_run() {
  Run r{run_from_, last_id_, postings_.size()};
  if (r.last_id < r.first_id) return;
  write_index_file(run_path(r), r.first_id, r.last_id, postings_, false);
  postings_.clear();
  if (postings_.capacity() > (std::size_t{1} << 22)) postings_.shrink_to_fit();
  runs_.push_back(r);
  run_from_ = r.last_id + 1;
  // Tiered: kRunFanout runs of one level merge into one of the next, so a posting is rewritten log8(flushes)
  // times and a lookup reads at most kRunFanout - 1 runs per level.
  while (runs_.size() >= kRunFanout) {
    const std::size_t from = runs_.size() - kRunFanout;
    const std::uint32_t level = runs_.back().level;
    bool same = true;
    for (std::size_t i = from; i < runs_.size(); ++i) same = same && runs_[i].level == level;
    if (!same) break;
    merge_runs(from);
  }
}

void PartitionWriter::merge_runs(std::size_t from) {
  std::vector<std::unique_ptr<IndexFile>> files;
  std::vector<const IndexFile*> inputs;
  Run merged{runs_[from].first_id, runs_.back().last_id, 0};
  bool intact = true;
  for (std::size_t i = from; i < runs_.size(); ++i) {
    std::string why;
    auto f = IndexFile::open(run_path(runs_[i]), why);
    if (!f || !f->verify()) {
      intact = false;
      break;
    }
    merged.count += f->size();
    inputs.push_back(f.get());
    files.push_back(std::move(f));
  }
  const fs::path target = run_path(merged);
  if (intact) {
    merge_index_files(inputs, target, merged.first_id, merged.last_id, false);
  } else {
    spdlog::warn("provenance partition {}: a run is damaged; indexing its events again", dir_.string());
    std::vector<Posting> postings;
    index_stored(merged.first_id, merged.last_id, postings);
    merged.count = postings.size();
    write_index_file(target, merged.first_id, merged.last_id, postings, false);
  }
  files.clear();
  for (std::size_t i = from; i < runs_.size(); ++i) {
    if (run_path(runs_[i]) == target) continue;
    std::error_code ec;
    fs::remove(run_path(runs_[i]), ec);
  }
  merged.level = runs_.back().level + 1;
  runs_.resize(from);
  runs_.push_back(merged);
}

std::uint64_t PartitionWriter::bytes() const {
  std::uint64_t index = 0;
  for (const Run& r : runs_) index += kIndexHeaderSize + r.count * 12;
  return file_end_ + block_.size() + index;
}

void PartitionWriter::close() {
  flush();
  if (events_ == 0) {
    fd_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
    return;
  }
  if (runs_.size() > 1) merge_runs(0);
  const fs::path index = dir_ / kIndexFile;
  if (runs_.empty()) {
    std::vector<Posting> none;
    write_index_file(index, first_id_, last_id_, none, true);
  } else {
    // Runs are derived data written without fsync; the index of a closed partition is kept, so sync it.
    {
      UniqueFd fd = open_file(run_path(runs_.front()), O_RDONLY);
      sync_file(fd.get(), run_path(runs_.front()));
    }
    rename_durable(run_path(runs_.front()), index);
  }
  write_file_atomically(dir_ / kBlocksFile, encode_block_directory(blocks_), true);
  PartitionSummary summary{first_id_, last_id_, min_time_, max_time_, events_, 0};
  summary.bytes = file_end_ + fs::file_size(index) + fs::file_size(dir_ / kBlocksFile);
  write_file_atomically(dir_ / kSummaryFile, encode_summary(summary), true);
  fd_.reset();
  runs_.clear();
}

}  // namespace sluice::internal::provenance
