// Where a FlowFile's content lives: a byte range of a resource (an append-only claim file shared by many
// small contents, or one memory block for the in-memory repository).
#pragma once

#include <atomic>
#include <cstdint>

#include "core/ref_counted.hpp"

namespace sluice::internal {

class ContentRepository;

// One resource: a claim file on disk (or a block in memory). `flowfile_refs` counts the committed
// FlowFiles that point into it; the content repository reclaims (or archives) it when that count is zero
// and nothing is appending to it any more.
class ResourceClaim : public RefCounted {
 public:
  ResourceClaim(std::uint64_t id, ContentRepository* owner) : id_(id), owner_(owner) {}
  virtual ~ResourceClaim() = default;
  ResourceClaim(const ResourceClaim&) = delete;
  ResourceClaim& operator=(const ResourceClaim&) = delete;

  [[nodiscard]] std::uint64_t id() const { return id_; }
  [[nodiscard]] ContentRepository* owner() const { return owner_; }

  std::atomic<std::int64_t> flowfile_refs{0};
  std::atomic<bool> writable{true};  // still open for appends

 private:
  std::uint64_t id_;
  ContentRepository* owner_;
};

struct ContentClaim {
  Ref<ResourceClaim> resource;  // null: empty content
  std::uint64_t offset = 0;
  std::uint64_t length = 0;

  [[nodiscard]] bool empty() const { return !resource || length == 0; }
};

}  // namespace sluice::internal
