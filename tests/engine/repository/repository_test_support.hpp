// Helpers shared by the repository tests: a self-cleaning temp directory and FlowFile record builders.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/flowfile_record.hpp"
#include "repository/flowfile_repository.hpp"

namespace sluice::internal::testing_support {

class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "sluice-repo-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline FlowFileRecord make_record(std::uint64_t id, std::vector<AttributeSet::Entry> attributes = {},
                                  ContentClaim content = {}) {
  FlowFileRecord r;
  r.id = id;
  r.uuid = random_uuid();
  r.entry_ms = 1'700'000'000'000 + static_cast<std::int64_t>(id);
  r.lineage_start_ms = r.entry_ms - 5;
  std::sort(attributes.begin(), attributes.end());
  if (!attributes.empty()) r.attributes = Attributes(make_ref<AttributeSet>(std::move(attributes)));
  r.content = std::move(content);
  return r;
}

inline RepositoryChange upsert(const FlowFileRecord& r, std::string_view queue) {
  RepositoryChange c;
  c.kind = RepositoryChange::Kind::kUpsert;
  c.record = &r;
  c.queue = queue;
  return c;
}

inline RepositoryChange removal(std::uint64_t id) {
  RepositoryChange c;
  c.kind = RepositoryChange::Kind::kRemove;
  c.id = id;
  return c;
}

// The recovered state, in sink order.
struct Recovered {
  std::vector<std::pair<std::string, FlowFileRecord>> flowfiles;

  [[nodiscard]] std::function<void(std::string_view, FlowFileRecord&&)> sink() {
    return
        [this](std::string_view queue, FlowFileRecord&& r) { flowfiles.emplace_back(queue, std::move(r)); };
  }
  [[nodiscard]] std::vector<std::uint64_t> ids(std::string_view queue) const {
    std::vector<std::uint64_t> out;
    for (const auto& [q, r] : flowfiles) {
      if (q == queue) out.push_back(r.id);
    }
    return out;
  }
  [[nodiscard]] std::vector<std::uint64_t> all_ids() const {
    std::vector<std::uint64_t> out;
    out.reserve(flowfiles.size());
    for (const auto& [q, r] : flowfiles) out.push_back(r.id);
    return out;
  }
};

// A snapshot over a list of (queue, record), in list order.
class ListSnapshot : public SnapshotSource {
 public:
  explicit ListSnapshot(const std::vector<std::pair<std::string, FlowFileRecord>>& items) : items_(items) {}
  void for_each(const std::function<void(std::string_view, const FlowFileRecord&)>& fn) override {
    for (const auto& [q, r] : items_) fn(q, r);
  }

 private:
  const std::vector<std::pair<std::string, FlowFileRecord>>& items_;
};

}  // namespace sluice::internal::testing_support
