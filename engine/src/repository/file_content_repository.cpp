// Content on disk: append-only resource files <dir>/<id % 256 in hex>/<id>, unreferenced ones moved to
// <dir>/archive/<id> (bounded by bytes and age) for provenance replay.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <mutex>
#include <unistd.h>
#include <unordered_map>
#include <unordered_set>

#include <spdlog/spdlog.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "repository/content_repository.hpp"
#include "repository/content_seal.hpp"
#include "util/fs_sync.hpp"

namespace sluice::internal {

namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t kFanout = 256;
// Resource ids are never reused, even after every file is gone (provenance events keep claims for years):
// ids up to a floor recorded in this file are reserved, a block at a time.
constexpr std::string_view kIdFloorFile = "id-floor";
constexpr std::uint64_t kIdReserve = 1 << 16;
constexpr std::size_t kWriteBuffer = std::size_t{64} * 1024;  // small contents become one write(2) each
constexpr std::size_t kMaxPooledResources = 64;
constexpr std::uint64_t kWritebackChunk = std::uint64_t{4} << 20;  // eager_writeback: a disk-sized request

bool parse_id(std::string_view name, std::uint64_t& id) {
  if (name.empty()) return false;
  auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), id);
  return ec == std::errc() && end == name.data() + name.size();
}

struct Shared;

class FileResource final : public ResourceClaim {
 public:
  FileResource(std::uint64_t id, ContentRepository* owner, std::shared_ptr<Shared> shared, UniqueFd fd,
               std::uint64_t size, bool fresh)
      : ResourceClaim(id, owner),
        shared_(std::move(shared)),
        fd_(std::move(fd)),
        size_(size),
        synced_(fresh ? 0 : size),
        dir_synced_(!fresh) {
    if (!fresh) writable.store(false);
  }
  ~FileResource() override;

  std::shared_ptr<Shared> shared_;
  std::mutex mu_;  // guards fd_ against close while sync uses it, and the sync state
  UniqueFd fd_;    // open while writable; the writer holding the resource writes without the lock
  std::atomic<std::uint64_t> size_;  // bytes of finished contents
  std::uint64_t synced_;             // bytes known durable (under mu_)
  bool dir_synced_;                  // the file's name is durable (under mu_)
  std::atomic<bool> reclaimed_{false};
  // Handed over to a delivered file (content_seal.hpp): every read first checks the bytes against the seal.
  std::atomic<bool> sealed_{false};
  std::optional<ContentSeal> seal_;   // under mu_; empty when sealed_ but the seal file is unreadable
  std::optional<InodeKey> verified_;  // under mu_: the inode as the last full verification saw it
};

struct ArchiveEntry {
  std::uint64_t id;
  std::uint64_t bytes;
  std::chrono::system_clock::time_point since;
  bool sealed = false;  // a handed-over resource: its seal moves and goes with it
};

// State that resources reach from their destructor, so it outlives the repository object if claims do.
struct Shared {
  ContentRepositorySettings settings;
  fs::path archive_dir;
  std::atomic<bool> closing{false};  // the repository is gone: leave files for the next recovery

  mutable std::mutex index_mu;
  std::unordered_map<std::uint64_t, FileResource*> index;  // weak: entries erased by ~FileResource

  mutable std::mutex archive_mu;
  std::deque<ArchiveEntry> archive;  // oldest first
  std::uint64_t archived_bytes = 0;

  [[nodiscard]] fs::path live_path(std::uint64_t id) const {
    return content_resource_path(settings.directory, id);
  }
  [[nodiscard]] fs::path archive_path(std::uint64_t id) const { return archive_dir / std::to_string(id); }

  // Moves an unreferenced resource file out of the live set: into the archive, or deleted.
  void reclaim_file(std::uint64_t id, std::uint64_t bytes, bool sync_dir) {
    const fs::path live = live_path(id);
    const fs::path live_seal = seal_path(live);
    struct stat st {};
    const bool sealed = ::lstat(live_seal.c_str(), &st) == 0;
    // A second name without a seal (a file GetFile adopted whose source is still there, or a hand-over of
    // an older sluice) may be changed by someone else with nothing to tell: never archived.
    const bool shared_inode = ::lstat(live.c_str(), &st) == 0 && st.st_nlink > 1;
    if (settings.archive_max_bytes == 0 || (shared_inode && !sealed)) {
      // A lost unlink is harmless: the next recovery finds the file unreferenced and reclaims it again,
      // and drops a seal whose resource is gone.
      if (::unlink(live.c_str()) != 0 && errno != ENOENT) throw_os_error("unlink", live, errno);
      if (sealed) ::unlink(live_seal.c_str());
      return;
    }
    // The seal first: an archived resource never goes without the seal that vouches for it.
    if (sealed && ::rename(live_seal.c_str(), seal_path(archive_path(id)).c_str()) != 0 && errno != ENOENT) {
      throw_os_error("rename into archive", live_seal, errno);
    }
    if (::rename(live.c_str(), archive_path(id).c_str()) != 0) {
      if (errno == ENOENT) return;
      throw_os_error("rename into archive", live, errno);
    }
    if (sync_dir) sync_directory(archive_dir);
    std::lock_guard lock(archive_mu);
    archive.push_back({id, bytes, std::chrono::system_clock::now(), sealed});
    archived_bytes += bytes;
    evict_locked();
  }

  void reclaim(FileResource& r) {
    if (r.reclaimed_.exchange(true)) return;
    reclaim_file(r.id(), r.size_.load(), true);
  }

  void evict_locked() {
    const auto oldest_kept = std::chrono::system_clock::now() - settings.archive_max_age;
    while (!archive.empty() &&
           (archived_bytes > settings.archive_max_bytes || archive.front().since < oldest_kept)) {
      const ArchiveEntry e = archive.front();
      archive.pop_front();
      archived_bytes -= e.bytes;
      const fs::path p = archive_path(e.id);
      if (::unlink(p.c_str()) != 0 && errno != ENOENT)
        spdlog::warn("content archive: cannot remove {}", p.string());
      if (e.sealed) ::unlink(seal_path(p).c_str());  // one left behind is dropped at the next start
    }
  }

  bool take_from_archive(std::uint64_t id) {
    std::lock_guard lock(archive_mu);
    auto it =
        std::find_if(archive.begin(), archive.end(), [id](const ArchiveEntry& e) { return e.id == id; });
    if (it == archive.end()) return false;
    if (it->sealed && ::rename(seal_path(archive_path(id)).c_str(), seal_path(live_path(id)).c_str()) != 0 &&
        errno != ENOENT) {
      return false;
    }
    if (::rename(archive_path(id).c_str(), live_path(id).c_str()) != 0) return false;
    archived_bytes -= it->bytes;
    archive.erase(it);
    return true;
  }
};

FileResource::~FileResource() {
  // The last handle is gone. Content nobody committed (a rolled-back session, a closed resource whose
  // FlowFiles were all removed while it was still open) is reclaimed here.
  try {
    if (!shared_->closing.load() && flowfile_refs.load() == 0 && !writable.load()) shared_->reclaim(*this);
  } catch (const std::exception& e) {
    spdlog::warn("content repository: cannot reclaim resource {}: {}", id(), e.what());
  }
  std::lock_guard lock(shared_->index_mu);
  auto it = shared_->index.find(id());
  if (it != shared_->index.end() && it->second == this) shared_->index.erase(it);
}

// Opens a resource for reading: live file first, then the archive (a resource may have been archived
// while a reader still held its claim).
UniqueFd open_resource(const Shared& shared, std::uint64_t id, fs::path& path) {
  path = shared.live_path(id);
  UniqueFd fd = open_if_exists(path, O_RDONLY);
  if (fd) return fd;
  path = shared.archive_path(id);
  fd = open_if_exists(path, O_RDONLY);
  if (!fd) throw_os_error("open content resource", shared.live_path(id), ENOENT);
  return fd;
}

// A handed-over resource is served only while its bytes are the sealed ones: one full read after any
// change of the inode (the delivered file renamed, or written), none while it stays as last verified.
void verify_sealed(FileResource& r, int fd, const fs::path& path) {
  if (!r.sealed_.load()) return;
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw_os_error("fstat", path, errno);
  const InodeKey key = inode_key(st);
  std::lock_guard lock(r.mu_);
  if (r.verified_ == key) return;
  if (!r.seal_ || compute_seal(fd, path) != *r.seal_)
    throw std::runtime_error(changed_content_reason(r.id()));
  if (settled(key)) r.verified_ = key;
}

class FileInputStream final : public InputStream {
 public:
  FileInputStream(UniqueFd fd, fs::path path, std::uint64_t offset, std::uint64_t length)
      : fd_(std::move(fd)), path_(std::move(path)), offset_(offset), length_(length) {}
  ~FileInputStream() override {
    if (map_ != nullptr) ::munmap(map_, map_length_);
  }
  FileInputStream(const FileInputStream&) = delete;
  FileInputStream& operator=(const FileInputStream&) = delete;

  std::size_t read(std::span<char> buf) override {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), length_ - pos_));
    if (want == 0) return 0;
    if (map_ != nullptr) {
      std::memcpy(buf.data(), mapped() + pos_, want);
      pos_ += want;
      return want;
    }
    const std::size_t got = pread_full(fd_.get(), buf.data(), want, offset_ + pos_, path_);
    pos_ += got;
    return got;
  }

  std::string_view view() override {
    if (pos_ >= length_) return {};
    if (map_ == nullptr) {
      const auto page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
      const std::uint64_t start = offset_ / page * page;
      delta_ = static_cast<std::size_t>(offset_ - start);
      map_length_ = static_cast<std::size_t>(length_) + delta_;
      void* p = ::mmap(nullptr, map_length_, PROT_READ, MAP_SHARED, fd_.get(), static_cast<off_t>(start));
      if (p == MAP_FAILED) throw_os_error("mmap", path_, errno);
      map_ = p;
    }
    return {mapped() + pos_, static_cast<std::size_t>(length_ - pos_)};
  }

  [[nodiscard]] std::uint64_t size() const override { return length_; }

 private:
  [[nodiscard]] const char* mapped() const { return static_cast<const char*>(map_) + delta_; }

  UniqueFd fd_;
  fs::path path_;
  std::uint64_t offset_;
  std::uint64_t length_;
  std::uint64_t pos_ = 0;
  void* map_ = nullptr;
  std::size_t map_length_ = 0;
  std::size_t delta_ = 0;
};

class EmptyInputStream final : public InputStream {
 public:
  std::size_t read(std::span<char>) override { return 0; }
  std::string_view view() override { return {}; }
  [[nodiscard]] std::uint64_t size() const override { return 0; }
};

class FileContentRepository;

class FileClaimWriter final : public ClaimWriter {
 public:
  FileClaimWriter(FileContentRepository& repo, Ref<FileResource> resource)
      : repo_(repo), resource_(std::move(resource)), start_(resource_->size_.load()) {}
  ~FileClaimWriter() override;
  FileClaimWriter(const FileClaimWriter&) = delete;
  FileClaimWriter& operator=(const FileClaimWriter&) = delete;

  void write(std::string_view bytes) override {
    if (!resource_) throw std::logic_error("content writer used after finish()");
    if (start_ > 0 && fills_a_resource(bytes.size())) move_to_own_resource();
    if (buffer_.size() + bytes.size() > kWriteBuffer) flush();
    if (bytes.size() >= kWriteBuffer) {
      pwrite_all(resource_->fd_.get(), bytes, start_ + flushed_, path());
      flushed_ += bytes.size();
      start_writeback();
    } else {
      buffer_.append(bytes);
    }
  }
  [[nodiscard]] std::uint64_t written() const override { return flushed_ + buffer_.size(); }
  ContentClaim finish() override;

 private:
  void flush() {
    if (buffer_.empty()) return;
    pwrite_all(resource_->fd_.get(), buffer_, start_ + flushed_, path());
    flushed_ += buffer_.size();
    buffer_.clear();
    start_writeback();
  }
  // Asks the kernel to start writing what this content wrote so far, without waiting for it.
  void start_writeback();
  [[nodiscard]] fs::path path() const;
  [[nodiscard]] bool fills_a_resource(std::size_t more) const;
  void move_to_own_resource();

  FileContentRepository& repo_;
  Ref<FileResource> resource_;
  std::uint64_t start_;
  std::uint64_t flushed_ = 0;
  std::uint64_t writeback_from_ = 0;  // relative to start_: what start_writeback() has not asked for yet
  std::string buffer_;
};

class FileContentRepository final : public ContentRepository {
 public:
  explicit FileContentRepository(const ContentRepositorySettings& settings)
      : shared_(std::make_shared<Shared>()) {
    shared_->settings = settings;
    shared_->archive_dir = settings.directory / "archive";
    create_directory_durable(settings.directory);
    create_directory_durable(shared_->archive_dir);
    std::uint64_t max_id = 0;
    bool created = false;
    for (std::uint64_t i = 0; i < kFanout; ++i) {
      const fs::path dir = shared_->live_path(i).parent_path();
      if (::mkdir(dir.c_str(), 0755) == 0) {
        created = true;
        continue;
      }
      if (errno != EEXIST) throw_os_error("mkdir", dir, errno);
      for (const auto& e : fs::directory_iterator(dir)) {
        std::uint64_t id = 0;
        if (parse_id(e.path().filename().string(), id)) max_id = std::max(max_id, id);
      }
    }
    if (created) sync_directory(settings.directory);  // once for all the new subdirectories
    std::vector<ArchiveEntry> archived;
    std::unordered_set<std::uint64_t> seals;
    for (const auto& e : fs::directory_iterator(shared_->archive_dir)) {
      std::uint64_t id = 0;
      const std::string name = e.path().filename().string();
      if (parse_id(sealed_resource_name(name), id)) {
        seals.insert(id);
        continue;
      }
      if (is_seal_leftover(name)) ::unlink(e.path().c_str());
      if (!parse_id(name, id)) continue;
      max_id = std::max(max_id, id);
      const auto mtime = std::chrono::file_clock::to_sys(e.last_write_time());
      archived.push_back(
          {id, e.file_size(), std::chrono::time_point_cast<std::chrono::system_clock::duration>(mtime)});
    }
    for (auto& a : archived) a.sealed = seals.erase(a.id) > 0;
    for (const std::uint64_t id : seals) ::unlink(seal_path(shared_->archive_path(id)).c_str());  // orphans
    std::sort(archived.begin(), archived.end(), [](const ArchiveEntry& a, const ArchiveEntry& b) {
      return a.since != b.since ? a.since < b.since : a.id < b.id;
    });
    {
      std::lock_guard lock(shared_->archive_mu);
      for (const auto& a : archived) {
        shared_->archive.push_back(a);
        shared_->archived_bytes += a.bytes;
      }
      shared_->evict_locked();
    }
    std::uint64_t floor = 0;
    const fs::path floor_file = settings.directory / kIdFloorFile;
    if (fs::exists(floor_file)) {
      const std::string text = read_whole_file(floor_file);
      parse_id(text, floor);
    }
    next_id_ = std::max(max_id + 1, floor);
    first_id_of_run_ = next_id_;
    reserve_ids(next_id_);
  }

  ~FileContentRepository() override {
    shared_->closing.store(true);
    std::lock_guard lock(pool_mu_);
    pool_.clear();
  }
  FileContentRepository(const FileContentRepository&) = delete;
  FileContentRepository& operator=(const FileContentRepository&) = delete;

  std::unique_ptr<ClaimWriter> create_writer() override {
    {
      std::lock_guard lock(pool_mu_);
      if (!pool_.empty()) {
        Ref<FileResource> r = std::move(pool_.back());
        pool_.pop_back();
        return std::make_unique<FileClaimWriter>(*this, std::move(r));
      }
    }
    return std::make_unique<FileClaimWriter>(*this, new_resource());
  }

  // The writer is done with a resource: back to the pool, or closed for appends once it is full.
  void release(Ref<FileResource> r) {
    if (r->size_.load() < shared_->settings.max_appendable_bytes) {
      std::lock_guard lock(pool_mu_);
      if (pool_.size() < kMaxPooledResources && !shared_->closing.load()) {
        pool_.push_back(std::move(r));
        return;
      }
    }
    close_for_appends(*r);
  }

  std::unique_ptr<InputStream> open(const ContentClaim& claim) override {
    if (claim.empty()) return std::make_unique<EmptyInputStream>();
    fs::path path;
    UniqueFd fd = open_resource(*shared_, claim.resource->id(), path);
    if (claim.resource->owner() == this)
      verify_sealed(static_cast<FileResource&>(*claim.resource), fd.get(), path);
    return std::make_unique<FileInputStream>(std::move(fd), std::move(path), claim.offset, claim.length);
  }

  ContentClaim import_file(const fs::path& source) override {
    UniqueFd in = open_file(source, O_RDONLY);
    const std::uint64_t length = file_size(in.get(), source);
    Ref<FileResource> r = new_resource();
    const std::uint64_t copied =
        copy_file_bytes(in.get(), 0, r->fd_.get(), 0, length, source, shared_->live_path(r->id()));
    r->size_.store(copied);
    close_for_appends(*r);
    return ContentClaim{Ref<ResourceClaim>(r.get()), 0, copied};
  }

  // Takes the file over with a hard link: no byte is read or written, and sync() makes its data durable
  // before the commit that references it. A copy instead when the file has another name (a second name
  // could change the bytes under the repository) or lives on another file system.
  ContentClaim adopt_file(const fs::path& source) override {
    const std::uint64_t id = allocate_id();
    const fs::path path = shared_->live_path(id);
    if (::link(source.c_str(), path.c_str()) != 0) {
      const int error = errno;
      if (error == ENOENT) throw_os_error("import (hard link)", source, error);  // gone, like open()
      return import_file(source);  // EXDEV, EPERM (protected_hardlinks), EMLINK, …: copy
    }
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 2) {
      ::unlink(path.c_str());
      return import_file(source);
    }
    const auto size = static_cast<std::uint64_t>(st.st_size);
    Ref<FileResource> r = register_resource(new FileResource(id, this, shared_, UniqueFd{}, size, true));
    r->writable.store(false);
    return ContentClaim{Ref<ResourceClaim>(r.get()), 0, size};
  }

  // The seal is durable before the second name exists: whatever the delivered file's owner does to it
  // later, and whenever sluice stops, a reader of the resource can tell. Below a resource's size a copy
  // costs less than the seal (a read, a file and two fsyncs), so small contents are copied.
  bool link_file(const ContentClaim& claim, const fs::path& destination) override {
    if (claim.empty() || claim.resource->owner() != this || claim.offset != 0) return false;
    if (claim.length < shared_->settings.max_appendable_bytes) return false;
    auto& r = static_cast<FileResource&>(*claim.resource);
    if (r.writable.load() || r.flowfile_refs.load() > 1 || claim.length != r.size_.load()) return false;
    const fs::path path = shared_->live_path(r.id());
    const bool sealed_here = !r.sealed_.load();
    {
      UniqueFd fd = open_if_exists(path, O_RDONLY);
      if (!fd) return false;  // archived meanwhile (a reader's claim): the caller copies
      if (sealed_here) {
        const ContentSeal seal = compute_seal(fd.get(), path);
        if (seal.size != claim.length) return false;
        write_seal(path, seal);
        std::lock_guard lock(r.mu_);
        r.seal_ = seal;
        r.sealed_.store(true);
      } else {
        verify_sealed(r, fd.get(), path);  // delivered before: hand over only the sealed bytes again
      }
    }
    if (::link(path.c_str(), destination.c_str()) != 0) {
      const int error = errno;
      if (sealed_here) unseal(r, path);
      if (error == EEXIST) throw_os_error("link", destination, error);
      return false;  // EXDEV, EPERM (protected_hardlinks), EMLINK, …: the caller copies
    }
    return true;
  }

  void export_file(const ContentClaim& claim, const fs::path& destination) override {
    UniqueFd out = open_file(destination, O_WRONLY | O_CREAT | O_TRUNC);
    if (claim.empty()) return;
    fs::path path;
    UniqueFd in = open_resource(*shared_, claim.resource->id(), path);
    if (claim.resource->owner() == this)
      verify_sealed(static_cast<FileResource&>(*claim.resource), in.get(), path);
    const std::uint64_t copied =
        copy_file_bytes(in.get(), claim.offset, out.get(), 0, claim.length, path, destination);
    if (copied != claim.length) {
      throw std::runtime_error("export " + destination.string() + ": content resource " + path.string() +
                               " is shorter than its claim");
    }
  }

  void sync(const std::vector<ResourceClaim*>& resources) override {
    for (ResourceClaim* rc : resources) {
      if (rc == nullptr || rc->owner() != this) continue;
      auto& r = static_cast<FileResource&>(*rc);
      std::lock_guard lock(r.mu_);
      const std::uint64_t size = r.size_.load();
      if (size <= r.synced_ && r.dir_synced_) continue;  // clean: free
      const fs::path path = shared_->live_path(r.id());
      if (r.fd_) {
        sync_file(r.fd_.get(), path);
      } else {
        // Closed for appends: any descriptor of the file flushes its dirty pages.
        fs::path found;
        UniqueFd fd = open_resource(*shared_, r.id(), found);
        sync_file(fd.get(), found);
      }
      if (!r.dir_synced_) {
        sync_directory(path.parent_path());
        r.dir_synced_ = true;
      }
      r.synced_ = size;
    }
  }

  Ref<ResourceClaim> resource_for_recovery(std::uint64_t id) override {
    {
      std::lock_guard lock(shared_->index_mu);
      auto it = shared_->index.find(id);
      if (it != shared_->index.end()) return Ref<ResourceClaim>(it->second);
    }
    const fs::path path = shared_->live_path(id);
    UniqueFd fd = open_if_exists(path, O_RDONLY);
    if (!fd && shared_->take_from_archive(id)) fd = open_if_exists(path, O_RDONLY);
    if (!fd) return {};
    const std::uint64_t size = file_size(fd.get(), path);
    auto* r = new FileResource(id, this, shared_, UniqueFd(), size, false);
    Ref<ResourceClaim> ref(r);
    load_seal(*r, path);
    std::lock_guard lock(shared_->index_mu);
    shared_->index[id] = r;
    return ref;
  }

  void finish_recovery() override {
    std::unordered_set<std::uint64_t> referenced;
    {
      std::lock_guard lock(shared_->index_mu);
      for (const auto& [id, r] : shared_->index) {
        if (r->flowfile_refs.load() > 0 || id >= first_id_of_run_) referenced.insert(id);
      }
    }
    std::uint64_t reclaimed = 0;
    for (std::uint64_t i = 0; i < kFanout; ++i) {
      for (const auto& e : fs::directory_iterator(shared_->live_path(i).parent_path())) {
        std::uint64_t id = 0;
        const std::string name = e.path().filename().string();
        if (is_seal_leftover(name)) ::unlink(e.path().c_str());
        if (parse_id(sealed_resource_name(name), id) && id < first_id_of_run_ &&
            !fs::exists(shared_->live_path(id))) {
          adopt_or_drop_live_seal(id, e.path());
        }
        if (!parse_id(name, id) || id >= first_id_of_run_) continue;
        if (referenced.contains(id)) continue;
        shared_->reclaim_file(id, e.file_size(), false);
        ++reclaimed;
      }
    }
    if (reclaimed > 0 && shared_->settings.archive_max_bytes > 0) sync_directory(shared_->archive_dir);
  }

  bool read_archived(std::uint64_t resource_id, std::uint64_t offset, std::uint64_t length,
                     std::string& out) override {
    fs::path path = shared_->live_path(resource_id);
    UniqueFd fd = open_if_exists(path, O_RDONLY);
    if (!fd) {
      path = shared_->archive_path(resource_id);
      fd = open_if_exists(path, O_RDONLY);
    }
    if (!fd || check_seal(fd.get(), path) == SealCheck::kChanged) return false;
    out.resize(static_cast<std::size_t>(length));
    const std::size_t got = pread_full(fd.get(), out.data(), out.size(), offset, path);
    out.resize(got);
    return got == length;
  }

  [[nodiscard]] ContentRepositoryStats stats() const override {
    ContentRepositoryStats s;
    {
      std::lock_guard lock(shared_->index_mu);
      s.resources = shared_->index.size();
      for (const auto& [id, r] : shared_->index) s.live_bytes += r->size_.load();
    }
    std::lock_guard lock(shared_->archive_mu);
    s.archived_resources = shared_->archive.size();
    s.archived_bytes = shared_->archived_bytes;
    return s;
  }

  [[nodiscard]] const Shared& shared() const { return *shared_; }
  Ref<FileResource> fresh_resource() { return new_resource(); }

 protected:
  void maybe_reclaim(ResourceClaim* resource) override {
    auto* r = static_cast<FileResource*>(resource);
    if (!r->writable.load() && r->flowfile_refs.load() == 0) {
      try {
        shared_->reclaim(*r);
      } catch (const std::exception& e) {
        spdlog::warn("content repository: cannot reclaim resource {}: {}", r->id(), e.what());
      }
    }
  }

 private:
  // Records that ids below `needed` + kIdReserve may be in use, before any of them is handed out.
  void reserve_ids(std::uint64_t needed) {
    std::lock_guard lock(reserve_mu_);
    if (needed < reserved_) return;
    const std::uint64_t floor = needed + kIdReserve;
    write_file_atomically(shared_->settings.directory / kIdFloorFile, std::to_string(floor), true);
    reserved_ = floor;
  }

  Ref<FileResource> new_resource() {
    const std::uint64_t id = allocate_id();
    UniqueFd fd = open_file(shared_->live_path(id), O_RDWR | O_CREAT | O_EXCL);
    return register_resource(new FileResource(id, this, shared_, std::move(fd), 0, true));
  }

  std::uint64_t allocate_id() {
    const std::uint64_t id = next_id_.fetch_add(1);
    if (id >= reserved_floor()) reserve_ids(id + 1);
    return id;
  }

  Ref<FileResource> register_resource(FileResource* r) {
    Ref<FileResource> ref(r);
    std::lock_guard lock(shared_->index_mu);
    shared_->index[r->id()] = r;
    return ref;
  }

  // A live seal without its live resource. Either the resource was reclaimed before a crash let the seal
  // go (drop it), or a crash came between moving an archived resource's seal back and the resource itself
  // (take_from_archive): then the seal goes back to the archive with it, which must not be left unsealed.
  void adopt_or_drop_live_seal(std::uint64_t id, const fs::path& seal) {
    const fs::path archived = shared_->archive_path(id);
    std::lock_guard lock(shared_->archive_mu);
    auto it = std::find_if(shared_->archive.begin(), shared_->archive.end(),
                           [id](const ArchiveEntry& a) { return a.id == id; });
    if (it != shared_->archive.end() && !it->sealed &&
        ::rename(seal.c_str(), seal_path(archived).c_str()) == 0) {
      it->sealed = true;
      return;
    }
    ::unlink(seal.c_str());
  }

  // No second name came of it: the resource is the repository's alone again (a seal left by a crash here
  // only costs a verification).
  static void unseal(FileResource& r, const fs::path& path) {
    std::lock_guard lock(r.mu_);
    r.sealed_.store(false);
    r.seal_.reset();
    ::unlink(seal_path(path).c_str());
  }

  static void load_seal(FileResource& r, const fs::path& path) {
    try {
      r.seal_ = read_seal(path);
      if (!r.seal_) return;
    } catch (const std::exception& e) {
      spdlog::warn("content repository: {}: reads of resource {} will fail", e.what(), r.id());
    }
    r.sealed_.store(true);
  }

  void close_for_appends(FileResource& r) {
    std::lock_guard lock(r.mu_);
    r.writable.store(false);
    // Not reclaimed here even with no committed FlowFiles: the claim just finished is not committed yet.
    // Its last handle (~FileResource) or a later decrement() reclaims it.
    r.fd_.reset();
  }

  std::shared_ptr<Shared> shared_;
  [[nodiscard]] std::uint64_t reserved_floor() {
    std::lock_guard lock(reserve_mu_);
    return reserved_;
  }

  std::atomic<std::uint64_t> next_id_{1};
  std::uint64_t first_id_of_run_ = 1;
  std::mutex reserve_mu_;
  std::uint64_t reserved_ = 0;  // ids below this are recorded as possibly used
  std::mutex pool_mu_;
  std::vector<Ref<FileResource>> pool_;
};

FileClaimWriter::~FileClaimWriter() {
  // Abandoned without finish(): nothing claims the bytes written, so the next writer overwrites them.
  if (resource_) repo_.release(std::move(resource_));
}

// A content that fills a resource by itself gets a resource of its own, so that it stays a whole file
// (which PutFile can hand over by a hard link) rather than the tail of a shared one. What it wrote so far
// (less than max_appendable_bytes) moves once, inside the kernel; the shared resource is cut back to where
// this content started (no claim covers those bytes) and goes back to the pool.
bool FileClaimWriter::fills_a_resource(std::size_t more) const {
  return written() + more >= repo_.shared().settings.max_appendable_bytes;
}

void FileClaimWriter::move_to_own_resource() {
  flush();
  Ref<FileResource> own = repo_.fresh_resource();
  const fs::path from = path();
  if (flushed_ > 0) {
    const fs::path to = repo_.shared().live_path(own->id());
    if (copy_file_bytes(resource_->fd_.get(), start_, own->fd_.get(), 0, flushed_, from, to) != flushed_) {
      throw std::runtime_error("content resource " + from.string() + " is shorter than what was written");
    }
  }
  if (::ftruncate(resource_->fd_.get(), static_cast<off_t>(start_)) != 0)
    throw_os_error("ftruncate", from, errno);
  repo_.release(std::move(resource_));
  resource_ = std::move(own);
  start_ = 0;
  writeback_from_ = 0;  // the moved bytes are new dirty pages of the new resource
}

void FileClaimWriter::start_writeback() {
  if (!repo_.shared().settings.eager_writeback || flushed_ - writeback_from_ < kWritebackChunk) return;
  // Best effort: a failure here only leaves the work to the commit's fsync.
  ::sync_file_range(resource_->fd_.get(), static_cast<off_t>(start_ + writeback_from_),
                    static_cast<off_t>(flushed_ - writeback_from_), SYNC_FILE_RANGE_WRITE);
  writeback_from_ = flushed_;
}

fs::path FileClaimWriter::path() const {
  return repo_.shared().live_path(resource_->id());
}

ContentClaim FileClaimWriter::finish() {
  if (!resource_) throw std::logic_error("content writer finished twice");
  flush();
  const std::uint64_t length = flushed_;
  resource_->size_.store(start_ + length);
  ContentClaim claim;
  if (length > 0) claim = ContentClaim{Ref<ResourceClaim>(resource_.get()), start_, length};
  repo_.release(std::move(resource_));
  resource_ = Ref<FileResource>();
  return claim;
}

}  // namespace

fs::path content_resource_path(const fs::path& content_dir, std::uint64_t id) {
  char dir[3];
  static constexpr char kHex[] = "0123456789abcdef";
  dir[0] = kHex[(id % kFanout) >> 4];
  dir[1] = kHex[id % 16];
  dir[2] = 0;
  return content_dir / dir / std::to_string(id);
}

fs::path find_content_resource(const fs::path& content_dir, std::uint64_t id) {
  std::error_code ec;
  fs::path live = content_resource_path(content_dir, id);
  if (fs::exists(live, ec)) return live;
  fs::path archived = content_dir / "archive" / std::to_string(id);
  if (fs::exists(archived, ec)) return archived;
  return {};
}

std::unique_ptr<ContentRepository> make_file_content_repository(const ContentRepositorySettings& settings) {
  return std::make_unique<FileContentRepository>(settings);
}

}  // namespace sluice::internal
