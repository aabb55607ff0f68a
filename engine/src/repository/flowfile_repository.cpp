// The FlowFile repository: group-committed write-ahead log segments plus a checkpoint.
#include "repository/flowfile_repository.hpp"

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <tuple>
#include <unistd.h>
#include <unordered_map>

#include <spdlog/spdlog.h>

#include "repository/content_repository.hpp"
#include "repository/flowfile_checkpoint.hpp"
#include "repository/flowfile_codec.hpp"
#include "repository/flowfile_log.hpp"
#include "util/crc32c.hpp"
#include "util/fs_sync.hpp"

namespace sluice::internal {

namespace {

namespace fs = std::filesystem;

// A commit whose encoding grows past this is streamed to the log in chunks of this size instead of
// being buffered whole (and blocks other committers' writes while it streams).
constexpr std::size_t kStreamThreshold = 1 << 20;

void truncate_durable(const fs::path& path, std::uint64_t size) {
  UniqueFd fd = open_file(path, O_WRONLY);
  if (::ftruncate(fd.get(), static_cast<off_t>(size)) != 0) throw_os_error("ftruncate", path, errno);
  if (::fsync(fd.get()) != 0) throw_os_error("fsync", path, errno);
}

// Content first: the resources a commit points into are made durable before its record.
void sync_content(const std::vector<ResourceClaim*>& resources) {
  if (resources.empty()) return;
  ContentRepository* first = nullptr;
  bool one_owner = true;
  for (ResourceClaim* r : resources) {
    if (r == nullptr || r->owner() == nullptr) continue;
    if (first == nullptr) first = r->owner();
    if (r->owner() != first) one_owner = false;
  }
  if (first == nullptr) return;
  if (one_owner) {
    first->sync(resources);
    return;
  }
  std::vector<ContentRepository*> owners;
  for (ResourceClaim* r : resources) {
    if (r != nullptr && r->owner() != nullptr &&
        std::find(owners.begin(), owners.end(), r->owner()) == owners.end()) {
      owners.push_back(r->owner());
    }
  }
  for (ContentRepository* owner : owners) {
    std::vector<ResourceClaim*> mine;
    for (ResourceClaim* r : resources) {
      if (r != nullptr && r->owner() == owner) mine.push_back(r);
    }
    owner->sync(mine);
  }
}

// Recovery resolves many consecutive claims into the same resource: remember the last one.
class ClaimResolver {
 public:
  explicit ClaimResolver(ContentRepository& content) : content_(content) {}
  Ref<ResourceClaim> get(std::uint64_t id) {
    if (!last_ || last_id_ != id) {
      last_ = content_.resource_for_recovery(id);
      last_id_ = id;
      if (!last_) {
        ++missing_;
        if (missing_ <= 10) spdlog::warn("flowfile recovery: content resource {} is gone; content lost", id);
      }
    }
    return last_;
  }

 private:
  ContentRepository& content_;
  std::uint64_t last_id_ = 0;
  Ref<ResourceClaim> last_;
  std::uint64_t missing_ = 0;
};

struct LoggedFlowFile {
  std::uint64_t order = 0;  // position of its last change in the log
  bool live = false;
  bool has_claim = false;
  std::uint32_t queue = 0;
  std::uint64_t resource_id = 0;
  FlowFileRecord record;
};

class FileFlowFileRepository final : public FlowFileRepository {
 public:
  explicit FileFlowFileRepository(FlowFileRepositorySettings settings) : settings_(std::move(settings)) {
    create_directory_durable(settings_.directory);
    if (settings_.durability == Durability::kBatch) flusher_ = std::thread([this] { flush_loop(); });
  }
  ~FileFlowFileRepository() override {
    try {
      close();
    } catch (const std::exception& e) {
      spdlog::warn("flowfile repository {}: close failed: {}", settings_.directory.string(), e.what());
    }
  }
  FileFlowFileRepository(const FileFlowFileRepository&) = delete;
  FileFlowFileRepository& operator=(const FileFlowFileRepository&) = delete;

  RecoveryStats recover(ContentRepository& content,
                        const std::function<void(std::string_view, FlowFileRecord&&)>& sink,
                        const StateSink& state) override;

  void commit(const std::vector<RepositoryChange>& changes,
              const std::vector<ResourceClaim*>& content_resources, std::span<const StateChange> state,
              const ProvenanceEvents* events) override;
  void set_provenance_sink(ProvenanceSink* sink) override { sink_ = sink; }
  void release_indexed_segments() override;

  [[nodiscard]] std::uint64_t log_bytes_since_checkpoint() const override {
    return bytes_since_checkpoint_.load();
  }

  void begin_checkpoint() override;
  void write_checkpoint(SnapshotSource& source) override;
  void close() override;

 private:
  // Exclusive use of the log file (fd_, segment_, log_end_, spare_) without holding mu_.
  std::uint64_t acquire_writer(std::unique_lock<std::mutex>& lock);
  void release_writer(std::unique_lock<std::mutex>& lock, std::uint64_t written_through, bool synced);
  void fail(std::unique_lock<std::mutex>& lock, const std::exception& e);
  void check_usable() const;
  void ensure_segment();
  UniqueFd create_segment(std::uint64_t segment);
  void write_log(std::string_view bytes);
  void lead(std::unique_lock<std::mutex>& lock);
  void commit_streaming(const std::vector<RepositoryChange>& changes, std::size_t next,
                        std::span<const StateChange> state, const ProvenanceEvents* events,
                        FlowFileEncoder& encoder, std::string& buf);
  // Under mu_: hands the events of every record now durable to the sink, in log order.
  void deliver_events_locked();
  // Records that the log segment being written holds events up to `through` (under mu_).
  void note_segment_events_locked(std::uint64_t through);
  // Deletes segments below the checkpoint whose events the store has made durable (under checkpoint_mu_).
  void delete_covered_segments(std::uint64_t valid_from);
  void flush_loop();
  RecoveryStats recover_owned(ContentRepository& content,
                              const std::function<void(std::string_view, FlowFileRecord&&)>& sink,
                              const StateSink& state, std::uint64_t through,
                              std::chrono::steady_clock::time_point started);
  [[nodiscard]] fs::path segment_path(std::uint64_t n) const {
    return settings_.directory / segment_file_name(n);
  }
  [[nodiscard]] bool sync_each_commit() const { return settings_.durability == Durability::kFsync; }

  FlowFileRepositorySettings settings_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::string pending_;         // encoded records waiting for the next group write
  std::uint64_t enqueued_ = 0;  // commit sequence numbers: appended to pending_ ...
  std::uint64_t written_ = 0;   // ... written to the log ...
  std::uint64_t synced_ = 0;    // ... and fdatasync'ed
  bool writing_ = false;        // someone owns the log file
  bool closed_ = false;
  std::string failure_;  // a failed write stops the log: later commits must not land after a hole
  std::uint64_t checkpoint_segment_ = 0;  // segment begun by begin_checkpoint(), 0 if none pending
  std::uint64_t next_segment_ = 0;        // 0: find it from the directory

  // Owned by the writer (see acquire_writer); replaced only while also holding mu_.
  UniqueFd fd_;
  std::uint64_t segment_ = 0;
  std::uint64_t log_end_ = 0;
  std::string spare_;

  std::atomic<std::uint64_t> bytes_since_checkpoint_{0};
  std::atomic<std::uint64_t> max_id_{0};

  // Provenance (all under mu_): ids are assigned as records are queued for the log, so they follow log
  // order; the events wait here until their record is durable, then go to the sink in that order.
  struct PendingEvents {
    std::uint64_t seq;  // the record's commit sequence number
    std::uint64_t first_id;
    std::uint32_t count;
    std::string body;
  };
  ProvenanceSink* sink_ = nullptr;
  std::uint64_t next_event_id_ = 1;
  std::uint64_t writer_events_through_ = 0;  // highest event id in what the writer took (spare_)
  std::deque<PendingEvents> events_pending_;
  std::map<std::uint64_t, std::uint64_t> segment_events_;  // segment -> highest event id logged in it
  std::set<std::uint64_t> retained_segments_;  // below the checkpoint, kept for events not yet durable
  std::uint64_t checkpoint_valid_from_ = 0;    // the installed checkpoint covers segments below this

  std::mutex checkpoint_mu_;
  std::condition_variable flush_cv_;
  bool stop_flusher_ = false;
  std::thread flusher_;
};

void FileFlowFileRepository::check_usable() const {
  if (!failure_.empty()) throw std::runtime_error("flowfile repository failed earlier: " + failure_);
  if (closed_) throw std::logic_error("flowfile repository is closed");
}

std::uint64_t FileFlowFileRepository::acquire_writer(std::unique_lock<std::mutex>& lock) {
  cv_.wait(lock, [this] { return !writing_ || !failure_.empty(); });
  if (!failure_.empty()) check_usable();
  writing_ = true;
  std::swap(pending_, spare_);
  writer_events_through_ = next_event_id_ - 1;
  return enqueued_;
}

void FileFlowFileRepository::release_writer(std::unique_lock<std::mutex>& lock, std::uint64_t written_through,
                                            bool synced) {
  spare_.clear();
  if (spare_.capacity() > (16U << 20)) spare_.shrink_to_fit();
  lock.lock();
  written_ = std::max(written_, written_through);
  if (synced) synced_ = std::max(synced_, written_through);
  writing_ = false;
  deliver_events_locked();
  cv_.notify_all();
}

void FileFlowFileRepository::deliver_events_locked() {
  const std::uint64_t durable = sync_each_commit() ? synced_ : written_;
  while (!events_pending_.empty() && events_pending_.front().seq <= durable) {
    PendingEvents& e = events_pending_.front();
    if (sink_ != nullptr) sink_->index(e.first_id, e.count, e.body);
    events_pending_.pop_front();
  }
}

void FileFlowFileRepository::note_segment_events_locked(std::uint64_t through) {
  if (through == 0) return;
  std::uint64_t& max = segment_events_[segment_];
  max = std::max(max, through);
}

void FileFlowFileRepository::fail(std::unique_lock<std::mutex>& lock, const std::exception& e) {
  if (!lock.owns_lock()) lock.lock();
  failure_ = e.what();
  writing_ = false;
  cv_.notify_all();
  spdlog::error("flowfile repository {}: {}", settings_.directory.string(), failure_);
}

UniqueFd FileFlowFileRepository::create_segment(std::uint64_t segment) {
  const fs::path path = segment_path(segment);
  UniqueFd fd = open_file(path, O_WRONLY | O_CREAT | O_EXCL);
  write_all(fd.get(), file_header(kSegmentMagic, segment), path);
  // The header and the name are durable before any record goes in: a torn header can only be the
  // newest segment, created by a crash, never a hole in the middle of the log.
  sync_file(fd.get(), path);
  sync_directory(settings_.directory);
  return fd;
}

void FileFlowFileRepository::ensure_segment() {
  if (fd_) return;
  if (next_segment_ == 0) {
    const auto existing = list_segments(settings_.directory);
    next_segment_ = existing.empty() ? 1 : existing.back() + 1;
  }
  UniqueFd fd = create_segment(next_segment_);
  std::lock_guard lock(mu_);
  fd_ = std::move(fd);
  segment_ = next_segment_++;
  log_end_ = kFileHeaderSize;
}

void FileFlowFileRepository::write_log(std::string_view bytes) {
  if (bytes.empty()) return;
  write_all(fd_.get(), bytes, segment_path(segment_));
  log_end_ += bytes.size();
  bytes_since_checkpoint_.fetch_add(bytes.size());
}

void FileFlowFileRepository::lead(std::unique_lock<std::mutex>& lock) {
  const std::uint64_t through = acquire_writer(lock);
  lock.unlock();
  try {
    ensure_segment();
    write_log(spare_);
    if (sync_each_commit()) sync_file(fd_.get(), segment_path(segment_));
  } catch (const std::exception& e) {
    fail(lock, e);
    throw;
  }
  lock.lock();
  note_segment_events_locked(writer_events_through_);
  lock.unlock();
  release_writer(lock, through, sync_each_commit());
}

void FileFlowFileRepository::commit(const std::vector<RepositoryChange>& changes,
                                    const std::vector<ResourceClaim*>& content_resources,
                                    std::span<const StateChange> state, const ProvenanceEvents* events) {
  if (events != nullptr && events->count == 0) events = nullptr;
  if (changes.empty() && state.empty() && events == nullptr) return;
  if (sync_each_commit()) sync_content(content_resources);

  std::uint64_t max_id = 0;
  for (const auto& c : changes)
    max_id = std::max(max_id, c.kind == RepositoryChange::Kind::kUpsert ? c.record->id : c.id);
  std::uint64_t seen = max_id_.load();
  while (seen < max_id && !max_id_.compare_exchange_weak(seen, max_id)) {
  }

  thread_local std::string buf;
  thread_local FlowFileEncoder encoder;
  buf.clear();
  encoder.reset();
  const std::size_t frame = begin_frame(buf);
  ByteWriter w(buf);
  w.varint(changes.size());
  std::size_t i = 0;
  for (; i < changes.size() && buf.size() < kStreamThreshold; ++i) {
    const auto& c = changes[i];
    if (c.kind == RepositoryChange::Kind::kUpsert) {
      encoder.upsert(w, *c.record, c.queue);
    } else {
      encoder.remove(w, c.id);
    }
  }
  if (i < changes.size()) {
    commit_streaming(changes, i, state, events, encoder, buf);
  } else {
    encode_state_section(w, state);
    std::string events_copy;  // for the sink, made before taking the lock
    if (events != nullptr) {
      encode_provenance_section(w, *events);
      events_copy.assign(events->body);
    }
    const std::size_t payload = buf.size() - frame - kFrameHeaderSize;
    if (payload > UINT32_MAX) throw std::length_error("flowfile repository frame larger than 4 GiB");
    store_u32(buf.data() + frame, static_cast<std::uint32_t>(payload));
    // The checksum covers the event id trailer, known only under the lock: checksum the rest now.
    const std::size_t trailer = events != nullptr ? kEventIdBytes : 0;
    std::uint32_t crc = crc32c_extend(0, buf.data() + frame + kFrameHeaderSize, payload - trailer);
    std::unique_lock lock(mu_);
    check_usable();
    std::uint64_t first_event = 0;
    if (events != nullptr) {
      first_event = next_event_id_;
      next_event_id_ += events->count;
      char* id_bytes = buf.data() + buf.size() - kEventIdBytes;
      store_u64(id_bytes, first_event);
      crc = crc32c_extend(crc, id_bytes, kEventIdBytes);
    }
    store_u32(buf.data() + frame + 4, crc);
    pending_.append(buf);
    const std::uint64_t mine = ++enqueued_;
    if (events != nullptr) {
      events_pending_.push_back({mine, first_event, events->count, std::move(events_copy)});
    }
    for (;;) {
      check_usable();
      if ((sync_each_commit() ? synced_ : written_) >= mine) break;
      if (!writing_) {
        lead(lock);
      } else {
        cv_.wait(lock);
      }
    }
  }
  if (buf.capacity() > 2 * kStreamThreshold) {
    buf.clear();
    buf.shrink_to_fit();
  }
}

void FileFlowFileRepository::commit_streaming(const std::vector<RepositoryChange>& changes, std::size_t next,
                                              std::span<const StateChange> state,
                                              const ProvenanceEvents* events, FlowFileEncoder& encoder,
                                              std::string& buf) {
  std::unique_lock lock(mu_);
  check_usable();
  const std::uint64_t through = acquire_writer(lock);
  // Ids now, so that they stay in log order: records queued while this one streams come after it.
  std::uint64_t first_event = 0;
  if (events != nullptr) {
    first_event = next_event_id_;
    next_event_id_ += events->count;
    writer_events_through_ = next_event_id_ - 1;
    events_pending_.push_back({through, first_event, events->count, std::string(events->body)});
  }
  lock.unlock();
  try {
    ensure_segment();
    write_log(spare_);  // commits queued before this one keep their place
    const std::uint64_t header_at = log_end_;
    std::uint64_t payload = buf.size() - kFrameHeaderSize;
    std::uint32_t crc = crc32c_extend(0, buf.data() + kFrameHeaderSize, payload);
    write_log(buf);  // with a zero header until the payload is complete: a crash leaves an invalid frame
    ByteWriter w(buf);
    bool sections_written = false;
    while (!sections_written) {
      buf.clear();
      for (; next < changes.size() && buf.size() < kStreamThreshold; ++next) {
        const auto& c = changes[next];
        if (c.kind == RepositoryChange::Kind::kUpsert) {
          encoder.upsert(w, *c.record, c.queue);
        } else {
          encoder.remove(w, c.id);
        }
      }
      if (next == changes.size()) {
        encode_state_section(w, state);
        if (events != nullptr) encode_provenance_section(w, *events, first_event);
        sections_written = true;
      }
      crc = crc32c_extend(crc, buf.data(), buf.size());
      payload += buf.size();
      write_log(buf);
    }
    if (payload > UINT32_MAX) {
      // Cut the unusable frame off so later records do not sit behind an invalid one.
      truncate_durable(segment_path(segment_), header_at);
      if (::lseek(fd_.get(), static_cast<off_t>(header_at), SEEK_SET) < 0) {
        throw_os_error("lseek", segment_path(segment_), errno);
      }
      log_end_ = header_at;
      lock.lock();
      std::erase_if(events_pending_, [&](const PendingEvents& e) { return e.first_id == first_event; });
      note_segment_events_locked(writer_events_through_);
      lock.unlock();
      release_writer(lock, through, sync_each_commit());
      throw std::length_error("flowfile repository: one commit encodes to more than 4 GiB");
    }
    char header[kFrameHeaderSize];
    store_u32(header, static_cast<std::uint32_t>(payload));
    store_u32(header + 4, crc);
    pwrite_all(fd_.get(), std::string_view(header, sizeof header), header_at, segment_path(segment_));
    if (sync_each_commit()) sync_file(fd_.get(), segment_path(segment_));
  } catch (const std::length_error&) {
    throw;
  } catch (const std::exception& e) {
    fail(lock, e);
    throw;
  }
  lock.lock();
  note_segment_events_locked(writer_events_through_);
  lock.unlock();
  release_writer(lock, through, sync_each_commit());
}

void FileFlowFileRepository::flush_loop() {
  std::unique_lock lock(mu_);
  while (!stop_flusher_) {
    flush_cv_.wait_for(lock, settings_.batch_interval, [this] { return stop_flusher_; });
    if (stop_flusher_ || written_ <= synced_ || !fd_ || !failure_.empty()) continue;
    const std::uint64_t target = written_;
    // A duplicate descriptor flushes the same file while writers keep appending through fd_.
    UniqueFd dup(::dup(fd_.get()));
    const fs::path path = segment_path(segment_);
    lock.unlock();
    try {
      if (!dup) throw_os_error("dup", path, errno);
      sync_file(dup.get(), path);
    } catch (const std::exception& e) {
      spdlog::warn("flowfile repository: background sync failed: {}", e.what());
      lock.lock();
      continue;
    }
    lock.lock();
    synced_ = std::max(synced_, target);
  }
}

void FileFlowFileRepository::begin_checkpoint() {
  std::unique_lock lock(mu_);
  check_usable();
  const std::uint64_t through = acquire_writer(lock);
  lock.unlock();
  try {
    ensure_segment();
    write_log(spare_);
    // The old segment must not lose a tail that the new segment's records build on.
    if (settings_.durability != Durability::kNone) sync_file(fd_.get(), segment_path(segment_));
    const std::uint64_t segment = next_segment_;
    UniqueFd fd = create_segment(segment);
    lock.lock();
    note_segment_events_locked(writer_events_through_);
    fd_ = std::move(fd);
    segment_ = segment;
    next_segment_ = segment + 1;
    log_end_ = kFileHeaderSize;
    checkpoint_segment_ = segment;
    bytes_since_checkpoint_.store(0);
    lock.unlock();
  } catch (const std::exception& e) {
    fail(lock, e);
    throw;
  }
  release_writer(lock, through, settings_.durability != Durability::kNone);
}

void FileFlowFileRepository::write_checkpoint(SnapshotSource& source) {
  std::lock_guard checkpoint_lock(checkpoint_mu_);
  std::uint64_t valid_from = 0;
  {
    std::lock_guard lock(mu_);
    valid_from = checkpoint_segment_;
  }
  if (valid_from == 0) {
    begin_checkpoint();
    std::lock_guard lock(mu_);
    valid_from = checkpoint_segment_;
  }
  write_checkpoint_file(settings_.directory, valid_from, source, [this] { return max_id_.load(); });
  delete_covered_segments(valid_from);
}

void FileFlowFileRepository::delete_covered_segments(std::uint64_t valid_from) {
  // Events not yet durable in the provenance store keep their segment: recovery indexes them from it.
  const std::uint64_t durable = sink_ != nullptr ? sink_->durable_through() : UINT64_MAX;
  bool removed = false;
  for (std::uint64_t segment : list_segments(settings_.directory)) {
    if (segment >= valid_from) break;
    {
      std::lock_guard lock(mu_);
      auto it = segment_events_.find(segment);
      if (it != segment_events_.end() && it->second > durable) {
        retained_segments_.insert(segment);
        continue;
      }
      if (it != segment_events_.end()) segment_events_.erase(it);
      retained_segments_.erase(segment);
    }
    const fs::path path = segment_path(segment);
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) throw_os_error("unlink", path, errno);
    removed = true;
  }
  if (removed) sync_directory(settings_.directory);
  std::lock_guard lock(mu_);
  checkpoint_valid_from_ = valid_from;
}

void FileFlowFileRepository::release_indexed_segments() {
  std::lock_guard checkpoint_lock(checkpoint_mu_);
  std::uint64_t valid_from = 0;
  {
    std::lock_guard lock(mu_);
    if (retained_segments_.empty()) return;
    valid_from = checkpoint_valid_from_;
  }
  delete_covered_segments(valid_from);
}

void FileFlowFileRepository::close() {
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    stop_flusher_ = true;
  }
  flush_cv_.notify_all();
  if (flusher_.joinable()) flusher_.join();
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return !writing_; });
  closed_ = true;
  if (fd_ && failure_.empty()) {
    write_log(pending_);
    pending_.clear();
    if (settings_.durability != Durability::kNone) sync_file(fd_.get(), segment_path(segment_));
    note_segment_events_locked(next_event_id_ - 1);
  }
  fd_.reset();
  synced_ = written_ = enqueued_;
  if (failure_.empty()) deliver_events_locked();
  cv_.notify_all();
}

RecoveryStats FileFlowFileRepository::recover(
    ContentRepository& content, const std::function<void(std::string_view, FlowFileRecord&&)>& sink,
    const StateSink& state) {
  const auto started = std::chrono::steady_clock::now();
  std::unique_lock lock(mu_);
  check_usable();
  const std::uint64_t through = acquire_writer(lock);
  lock.unlock();
  try {
    return recover_owned(content, sink, state, through, started);
  } catch (...) {
    if (!lock.owns_lock()) lock.lock();
    writing_ = false;
    cv_.notify_all();
    throw;
  }
}

RecoveryStats FileFlowFileRepository::recover_owned(
    ContentRepository& content, const std::function<void(std::string_view, FlowFileRecord&&)>& sink,
    const StateSink& state, std::uint64_t through, std::chrono::steady_clock::time_point started) {
  std::unique_lock lock(mu_, std::defer_lock);
  RecoveryStats stats;
  const fs::path& dir = settings_.directory;
  std::error_code ec;
  fs::remove(dir / kCheckpointTempFile, ec);

  std::optional<CheckpointReader> checkpoint;
  if (fs::exists(dir / kCheckpointFile)) checkpoint.emplace(dir / kCheckpointFile);
  const std::uint64_t valid_from = checkpoint ? checkpoint->valid_from() : 0;
  if (checkpoint) stats.max_id = checkpoint->max_id();

  // Replay the log into a map of the FlowFiles it touches; the checkpoint is streamed afterwards.
  std::unordered_map<std::uint64_t, LoggedFlowFile> touched;
  std::vector<std::string> queue_names;
  std::unordered_map<std::string, std::uint32_t> queue_ids;
  std::vector<std::uint32_t> local_queue;  // record-local queue index -> queue_names index
  // State changes of the log, kept until the checkpoint's state has been replayed before them.
  std::vector<std::tuple<std::string, std::string, std::string, bool>> logged_state;
  std::uint64_t order = 0;
  bool cut = false;
  bool unlinked = false;
  std::uint64_t last_segment = valid_from;

  FlowFileDecoder decoder;
  DecodedChange change;
  // Provenance: every logged event newer than what the store holds is indexed again, in log order.
  const std::uint64_t indexed = sink_ != nullptr ? sink_->indexed_through() : UINT64_MAX;
  std::uint64_t max_event = 0;
  std::uint64_t reindexed = 0;
  auto logged_events = [&](ByteReader& r, std::uint64_t segment) {
    const LoggedEvents events = decode_provenance_section(r);
    max_event = std::max(max_event, events.last_id());
    std::uint64_t& segment_max = segment_events_[segment];
    segment_max = std::max(segment_max, events.last_id());
    if (events.last_id() <= indexed || sink_ == nullptr) return;
    if (events.first_id <= indexed) {
      spdlog::warn("provenance: events {}..{} are partly in the store already; not indexed again",
                   events.first_id, events.last_id());
      return;
    }
    sink_->index(events.first_id, events.count, events.body);
    reindexed += events.count;
  };
  // A segment the checkpoint covers is still read for its events when the store had not made them durable.
  auto events_only = [&](std::uint64_t segment, const fs::path& path) {
    MappedFile file(path);
    const std::string_view bytes = file.bytes();
    std::uint64_t number = 0;
    if (!parse_file_header(bytes, kSegmentMagic, number) || number != segment) return;
    FlowFileDecoder skip;
    DecodedChange skipped;
    scan_frames(bytes, kFileHeaderSize, [&](std::string_view payload) {
      ByteReader r(payload);
      skip.reset();
      const std::uint64_t n = r.varint();
      for (std::uint64_t k = 0; k < n; ++k) skip.next(r, skipped);
      while (!r.done()) {
        const auto tag = static_cast<RecordSection>(r.u8());
        if (tag == RecordSection::kState) {
          decode_state_section(r, {});
        } else if (tag == RecordSection::kProvenance) {
          logged_events(r, segment);
        } else {
          throw DecodeError("unknown record section");
        }
      }
    });
  };
  for (std::uint64_t segment : list_segments(dir)) {
    const fs::path path = segment_path(segment);
    last_segment = std::max(last_segment, segment);
    if (segment < valid_from && !cut && sink_ != nullptr) {
      try {
        events_only(segment, path);
      } catch (const DecodeError& e) {
        throw std::runtime_error("flowfile log " + path.string() +
                                 ": checksummed record does not decode: " + e.what());
      }
      auto it = segment_events_.find(segment);
      if (it != segment_events_.end() && it->second > sink_->durable_through()) {
        retained_segments_.insert(segment);
        continue;
      }
      segment_events_.erase(segment);
    }
    if (segment < valid_from || cut) {
      // Older ones are covered by the checkpoint (a crash came between installing it and deleting
      // them); newer ones than a cut would replay records after a hole.
      if (cut) stats.truncated_bytes += fs::file_size(path);
      if (::unlink(path.c_str()) != 0) throw_os_error("unlink", path, errno);
      unlinked = true;
      continue;
    }
    std::size_t size = 0;
    std::size_t end = 0;
    bool header_ok = false;
    {
      MappedFile file(path);
      const std::string_view bytes = file.bytes();
      size = bytes.size();
      std::uint64_t number = 0;
      header_ok = parse_file_header(bytes, kSegmentMagic, number) && number == segment;
      if (header_ok) {
        try {
          end = scan_frames(bytes, kFileHeaderSize, [&](std::string_view payload) {
            ByteReader r(payload);
            decoder.reset();
            local_queue.clear();
            const std::uint64_t n = r.varint();
            for (std::uint64_t k = 0; k < n; ++k) {
              decoder.next(r, change);
              stats.max_id = std::max(stats.max_id, change.id);
              LoggedFlowFile& entry = touched[change.id];
              entry.order = order++;
              entry.live = !change.remove;
              if (change.remove) {
                entry.record = FlowFileRecord();
                continue;
              }
              if (change.queue >= local_queue.size()) {
                const std::string& name = decoder.queue(change.queue);
                auto [it, added] =
                    queue_ids.try_emplace(name, static_cast<std::uint32_t>(queue_names.size()));
                if (added) queue_names.push_back(name);
                local_queue.push_back(it->second);
              }
              entry.queue = local_queue[change.queue];
              entry.has_claim = change.has_claim;
              entry.resource_id = change.resource_id;
              entry.record = std::move(change.record);
            }
            while (!r.done()) {
              const auto tag = static_cast<RecordSection>(r.u8());
              if (tag == RecordSection::kState) {
                decode_state_section(r, [&](const StateChange& c) {
                  logged_state.emplace_back(c.component, c.key, c.value, c.remove);
                });
              } else if (tag == RecordSection::kProvenance) {
                logged_events(r, segment);
              } else {
                throw DecodeError("unknown record section");
              }
            }
            ++stats.log_records;
          });
        } catch (const DecodeError& e) {
          throw std::runtime_error("flowfile log " + path.string() +
                                   ": checksummed record does not decode: " + e.what());
        }
      }
    }
    if (!header_ok) {
      cut = true;
      stats.truncated_bytes += size;
      spdlog::warn("flowfile log {}: torn segment header; removed it ({} bytes)", path.string(), size);
      if (::unlink(path.c_str()) != 0) throw_os_error("unlink", path, errno);
      unlinked = true;
    } else if (end < size) {
      cut = true;
      stats.truncated_bytes += size - end;
      spdlog::warn("flowfile log {}: torn or corrupt record at byte {}; cut {} bytes", path.string(), end,
                   size - end);
      truncate_durable(path, end);
    }
  }
  next_event_id_ = std::max(max_event, sink_ != nullptr ? sink_->indexed_through() : 0) + 1;
  checkpoint_valid_from_ = valid_from;
  stats.reindexed_events = reindexed;
  if (unlinked) sync_directory(dir);

  ClaimResolver resolver(content);
  auto emit = [&](std::string_view queue, FlowFileRecord&& record, bool has_claim,
                  std::uint64_t resource_id) {
    if (has_claim) {
      record.content.resource = resolver.get(resource_id);
      if (!record.content.resource) record.content = ContentClaim{};
    }
    content.increment(record.content);
    ++stats.flowfiles;
    sink(queue, std::move(record));
  };
  if (checkpoint && state) checkpoint->for_each_state(state);
  if (state) {
    for (const auto& [component, key, value, remove] : logged_state) state({component, key, value, remove});
  }
  logged_state.clear();
  if (checkpoint) {
    checkpoint->for_each([&](DecodedChange& c, const FlowFileDecoder& d) {
      stats.max_id = std::max(stats.max_id, c.id);
      if (touched.contains(c.id)) return;  // its last word is in the log
      emit(d.queue(c.queue), std::move(c.record), c.has_claim, c.resource_id);
    });
  }
  std::vector<LoggedFlowFile*> live;
  live.reserve(touched.size());
  for (auto& [id, entry] : touched) {
    if (entry.live) live.push_back(&entry);
  }
  std::sort(live.begin(), live.end(),
            [](const LoggedFlowFile* a, const LoggedFlowFile* b) { return a->order < b->order; });
  for (LoggedFlowFile* entry : live) {
    emit(queue_names[entry->queue], std::move(entry->record), entry->has_claim, entry->resource_id);
  }
  touched.clear();
  content.finish_recovery();

  {
    std::lock_guard guard(mu_);
    fd_.reset();
  }
  next_segment_ = last_segment + 1;
  ensure_segment();
  std::uint64_t seen = max_id_.load();
  while (seen < stats.max_id && !max_id_.compare_exchange_weak(seen, stats.max_id)) {
  }
  bytes_since_checkpoint_.store(0);
  release_writer(lock, through, true);
  stats.elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  return stats;
}

}  // namespace

std::unique_ptr<FlowFileRepository> make_flowfile_repository(const FlowFileRepositorySettings& settings) {
  return std::make_unique<FileFlowFileRepository>(settings);
}

}  // namespace sluice::internal
