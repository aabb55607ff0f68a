// Sorted postings (key -> event) in index files: written as runs while a partition fills, merged at close,
// read through a read-only mapping with a binary search.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace sluice::internal::provenance {

struct Posting {
  // Left uninitialized by default: sort buffers are resized without zeroing millions of entries.
  Posting() {}  // NOLINT(modernize-use-equals-default, cppcoreguidelines-pro-type-member-init): see above
  Posting(std::uint64_t k, std::uint32_t i) : key(k), id(i) {}
  std::uint64_t key;
  std::uint32_t id;  // relative to the partition's first event id
  bool operator<(const Posting& o) const { return key != o.key ? key < o.key : id < o.id; }
};

// Sorts by key then id: a counting pass on the key's top 16 bits (keys are hashes: even buckets), then each
// small bucket in place. `scratch` is reused between calls.
void sort_postings(std::vector<Posting>& postings, std::vector<Posting>& scratch);

// Sorts `postings` and writes them as an index file covering events first_id..last_id.
void write_index_file(const std::filesystem::path& path, std::uint64_t first_id, std::uint64_t last_id,
                      std::vector<Posting>& postings, bool sync);

class IndexFile {
 public:
  // Maps and checks the header; null (and `error` says why) when the file is damaged or foreign.
  static std::unique_ptr<IndexFile> open(const std::filesystem::path& path, std::string& error);
  ~IndexFile();
  IndexFile(const IndexFile&) = delete;
  IndexFile& operator=(const IndexFile&) = delete;

  [[nodiscard]] std::uint64_t first_id() const { return first_id_; }
  [[nodiscard]] std::uint64_t last_id() const { return last_id_; }
  [[nodiscard]] std::uint64_t size() const { return count_; }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::uint64_t key(std::uint64_t i) const;
  [[nodiscard]] std::uint32_t id(std::uint64_t i) const;
  // Appends the (relative) ids posted under `key`.
  void lookup(std::uint64_t key, std::vector<std::uint32_t>& out) const;
  // Recomputes the checksums of the keys and ids (the header is checked by open()).
  [[nodiscard]] bool verify() const;

 private:
  IndexFile() = default;
  std::filesystem::path path_;
  void* map_ = nullptr;
  std::size_t map_size_ = 0;
  const char* keys_ = nullptr;
  const char* ids_ = nullptr;
  std::uint64_t first_id_ = 0;
  std::uint64_t last_id_ = 0;
  std::uint64_t count_ = 0;
  std::uint32_t keys_crc_ = 0;
  std::uint32_t ids_crc_ = 0;
};

// Merges index files (each sorted) into one covering first_id..last_id, streaming (never all in memory).
void merge_index_files(std::span<const IndexFile* const> inputs, const std::filesystem::path& path,
                       std::uint64_t first_id, std::uint64_t last_id, bool sync);

}  // namespace sluice::internal::provenance
