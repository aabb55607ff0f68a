// Content in heap blocks, one per claim: nothing survives a restart, so there is nothing to sync,
// archive or recover. A block is freed with its last handle.
#include <cstring>
#include <fcntl.h>
#include <mutex>

#include "repository/content_repository.hpp"
#include "util/fs_sync.hpp"

namespace sluice::internal {

namespace {

namespace fs = std::filesystem;

struct MemoryStats {
  std::atomic<std::uint64_t> resources{0};
  std::atomic<std::uint64_t> bytes{0};
};

class MemoryResource final : public ResourceClaim {
 public:
  MemoryResource(std::uint64_t id, ContentRepository* owner, std::shared_ptr<MemoryStats> stats)
      : ResourceClaim(id, owner), stats_(std::move(stats)) {
    stats_->resources.fetch_add(1);
  }
  ~MemoryResource() override {
    stats_->resources.fetch_sub(1);
    stats_->bytes.fetch_sub(data_.size());
  }
  MemoryResource(const MemoryResource&) = delete;
  MemoryResource& operator=(const MemoryResource&) = delete;

  void seal(std::string data) {
    data_ = std::move(data);
    stats_->bytes.fetch_add(data_.size());
    writable.store(false);
  }
  [[nodiscard]] std::string_view data() const { return data_; }

 private:
  std::shared_ptr<MemoryStats> stats_;
  std::string data_;  // immutable once sealed
};

class MemoryInputStream final : public InputStream {
 public:
  MemoryInputStream(Ref<ResourceClaim> keep, std::string_view bytes)
      : keep_(std::move(keep)), bytes_(bytes) {}
  std::size_t read(std::span<char> buf) override {
    const std::size_t n = std::min(buf.size(), bytes_.size() - pos_);
    std::memcpy(buf.data(), bytes_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  std::string_view view() override { return bytes_.substr(pos_); }
  [[nodiscard]] std::uint64_t size() const override { return bytes_.size(); }

 private:
  Ref<ResourceClaim> keep_;  // the block lives as long as a reader
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

class MemoryContentRepository;

class MemoryClaimWriter final : public ClaimWriter {
 public:
  explicit MemoryClaimWriter(Ref<MemoryResource> resource) : resource_(std::move(resource)) {}
  void write(std::string_view bytes) override { buffer_.append(bytes); }
  [[nodiscard]] std::uint64_t written() const override { return buffer_.size(); }
  ContentClaim finish() override {
    if (!resource_) throw std::logic_error("content writer finished twice");
    const std::uint64_t length = buffer_.size();
    resource_->seal(std::move(buffer_));
    ContentClaim claim{Ref<ResourceClaim>(resource_.get()), 0, length};
    resource_ = Ref<MemoryResource>();
    return claim;
  }

 private:
  Ref<MemoryResource> resource_;
  std::string buffer_;
};

std::string_view bytes_of(const ContentClaim& claim) {
  if (claim.empty()) return {};
  const auto data = static_cast<const MemoryResource&>(*claim.resource).data();
  if (claim.offset + claim.length > data.size()) throw std::out_of_range("memory content claim out of range");
  return data.substr(static_cast<std::size_t>(claim.offset), static_cast<std::size_t>(claim.length));
}

class MemoryContentRepository final : public ContentRepository {
 public:
  std::unique_ptr<ClaimWriter> create_writer() override {
    return std::make_unique<MemoryClaimWriter>(make_resource());
  }

  std::unique_ptr<InputStream> open(const ContentClaim& claim) override {
    return std::make_unique<MemoryInputStream>(claim.resource, bytes_of(claim));
  }

  ContentClaim import_file(const fs::path& source) override {
    UniqueFd in = open_file(source, O_RDONLY);
    std::string data(static_cast<std::size_t>(file_size(in.get(), source)), '\0');
    data.resize(pread_full(in.get(), data.data(), data.size(), 0, source));
    Ref<MemoryResource> r = make_resource();
    const std::uint64_t length = data.size();
    r->seal(std::move(data));
    return ContentClaim{Ref<ResourceClaim>(r.get()), 0, length};
  }

  void export_file(const ContentClaim& claim, const fs::path& destination) override {
    UniqueFd out = open_file(destination, O_WRONLY | O_CREAT | O_TRUNC);
    write_all(out.get(), bytes_of(claim), destination);
  }

  void sync(const std::vector<ResourceClaim*>&) override {}
  Ref<ResourceClaim> resource_for_recovery(std::uint64_t) override { return {}; }
  void finish_recovery() override {}
  bool read_archived(std::uint64_t, std::uint64_t, std::uint64_t, std::string&) override { return false; }

  [[nodiscard]] ContentRepositoryStats stats() const override {
    ContentRepositoryStats s;
    s.resources = stats_->resources.load();
    s.live_bytes = stats_->bytes.load();
    return s;
  }

 protected:
  void maybe_reclaim(ResourceClaim*) override {}  // freed with the last handle

 private:
  Ref<MemoryResource> make_resource() {
    return make_ref<MemoryResource>(next_id_.fetch_add(1), this, stats_);
  }

  std::shared_ptr<MemoryStats> stats_ = std::make_shared<MemoryStats>();
  std::atomic<std::uint64_t> next_id_{1};
};

}  // namespace

std::unique_ptr<ContentRepository> make_memory_content_repository() {
  return std::make_unique<MemoryContentRepository>();
}

}  // namespace sluice::internal
