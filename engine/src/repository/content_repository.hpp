// The content repository: immutable content in shared, append-only resources, reference-counted by
// committed FlowFiles. Two implementations: on disk (claim files under <data-dir>/content) and in memory.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "core/content_claim.hpp"
#include "sluice/stream.hpp"

namespace sluice::internal {

// Appends one content to a resource. finish() returns the claim; the bytes are readable at once and
// durable after ContentRepository::sync() of its resource.
class ClaimWriter : public OutputStream {
 public:
  virtual ContentClaim finish() = 0;
};

struct ContentRepositorySettings {
  std::filesystem::path directory;               // unused by the in-memory repository
  std::uint64_t max_appendable_bytes = 1 << 20;  // a resource stops taking appends past this size
  std::uint64_t archive_max_bytes = 1ULL << 30;  // bytes of unreferenced content kept for replay
  std::chrono::seconds archive_max_age{12 * 3600};
  // Every commit fsyncs its content (durability fsync): start writing a large content to disk while it is
  // still being written, so that the commit's fsync finds most of it there. Off when content may die in
  // the page cache without ever reaching the disk (durability batch or none).
  bool eager_writeback = false;
};

struct ContentRepositoryStats {
  std::uint64_t resources = 0;
  std::uint64_t live_bytes = 0;
  std::uint64_t archived_resources = 0;
  std::uint64_t archived_bytes = 0;
};

class ContentRepository {
 public:
  virtual ~ContentRepository() = default;

  // A writer appending to a resource reserved for the calling thread until finish().
  virtual std::unique_ptr<ClaimWriter> create_writer() = 0;
  // Reads a claim's bytes; view() maps them rather than copying.
  virtual std::unique_ptr<InputStream> open(const ContentClaim& claim) = 0;
  // Copies a whole file into a new claim (copy_file_range where possible).
  virtual ContentClaim import_file(const std::filesystem::path& source) = 0;
  // Like import_file for a file its owner deletes once the commit is durable: the repository may take the
  // file itself over instead of copying it.
  virtual ContentClaim adopt_file(const std::filesystem::path& source) { return import_file(source); }
  // Writes a claim's bytes to a file (created or truncated).
  virtual void export_file(const ContentClaim& claim, const std::filesystem::path& destination) = 0;
  // Makes `destination` (which must not exist) a second name of the claim's file, without copying, when
  // the claim is a whole closed resource of at least max_appendable_bytes referenced by at most one
  // FlowFile, on the same file system. False
  // when it is not (the caller copies instead). The resource is sealed first (content_seal.hpp): from
  // then on every read of it, live or archived, checks its bytes against the seal.
  virtual bool link_file(const ContentClaim& /*claim*/, const std::filesystem::path& /*destination*/) {
    return false;
  }

  // Makes the given resources' written bytes durable (fsync); called by the FlowFile repository before it
  // writes a commit record that references them. Content first.
  virtual void sync(const std::vector<ResourceClaim*>& resources) = 0;

  // Committed FlowFile references. Counts are rebuilt at recovery from the recovered records.
  void increment(const ContentClaim& claim) {
    if (claim.resource) claim.resource->flowfile_refs.fetch_add(1, std::memory_order_relaxed);
  }
  void decrement(const ContentClaim& claim) {
    if (claim.resource && claim.resource->flowfile_refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      maybe_reclaim(claim.resource.get());
    }
  }

  // The resource with this id, recreated at recovery (null if its file is gone).
  virtual Ref<ResourceClaim> resource_for_recovery(std::uint64_t id) = 0;
  // After recovery: every resource nobody references is archived or deleted.
  virtual void finish_recovery() = 0;
  // Reads bytes of an archived (unreferenced) resource for provenance replay; false when gone.
  virtual bool read_archived(std::uint64_t resource_id, std::uint64_t offset, std::uint64_t length,
                             std::string& out) = 0;

  [[nodiscard]] virtual ContentRepositoryStats stats() const = 0;

 protected:
  // Called when a resource's FlowFile count reaches zero; reclaim if it is no longer writable.
  virtual void maybe_reclaim(ResourceClaim* resource) = 0;
};

std::unique_ptr<ContentRepository> make_file_content_repository(const ContentRepositorySettings& settings);

// Where the on-disk repository keeps a live resource: <content dir>/<id % 256 in hex>/<id>.
std::filesystem::path content_resource_path(const std::filesystem::path& content_dir, std::uint64_t id);
// The file holding a resource now, live or archived, for tools reading a data directory a running engine
// may own (provenance content and replay); empty when the resource is gone.
std::filesystem::path find_content_resource(const std::filesystem::path& content_dir, std::uint64_t id);
std::unique_ptr<ContentRepository> make_memory_content_repository();

}  // namespace sluice::internal
