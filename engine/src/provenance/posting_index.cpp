#include "provenance/posting_index.hpp"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <functional>
#include <unistd.h>

#include <sys/mman.h>

#include "provenance/store_format.hpp"
#include "util/byte_codec.hpp"
#include "util/crc32c.hpp"
#include "util/fs_sync.hpp"

namespace sluice::internal::provenance {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kKeyBytes = 8;
constexpr std::size_t kIdBytes = 4;
constexpr std::size_t kWriteChunk = std::size_t{1} << 20;

std::string index_header(std::uint64_t first_id, std::uint64_t last_id, std::uint64_t count,
                         std::uint32_t keys_crc, std::uint32_t ids_crc) {
  std::string out;
  ByteWriter w(out);
  w.raw(kIndexMagic);
  w.u32(kStoreVersion);
  w.u32(0);
  w.u64(first_id);
  w.u64(last_id);
  w.u64(count);
  w.u32(keys_crc);
  w.u32(ids_crc);
  w.u32(crc32c(out));
  w.u32(0);
  return out;
}

// Writes the keys region and the ids region of an index file side by side, each through its own buffer,
// checksumming as it goes; finish() writes the header last.
class IndexWriter {
 public:
  IndexWriter(const fs::path& path, std::uint64_t count)
      : path_(path),
        temp_(fs::path(path).concat(".tmp")),
        fd_(open_file(temp_, O_WRONLY | O_CREAT | O_TRUNC)),
        count_(count),
        ids_at_(kIndexHeaderSize + count * kKeyBytes) {}

  void add(std::uint64_t key, std::uint32_t id) {
    char k[kKeyBytes];
    store_u64(k, key);
    keys_.append(k, kKeyBytes);
    char i[kIdBytes];
    store_u32(i, id);
    ids_.append(i, kIdBytes);
    ++written_;
    if (keys_.size() >= kWriteChunk) flush();
  }

  void finish(std::uint64_t first_id, std::uint64_t last_id, bool sync) {
    flush();
    if (written_ != count_) throw std::logic_error("index writer: entry count does not match");
    pwrite_all(fd_.get(), index_header(first_id, last_id, count_, keys_crc_, ids_crc_), 0, temp_);
    if (sync) sync_file(fd_.get(), temp_);
    fd_.reset();
    if (sync) {
      rename_durable(temp_, path_);
    } else if (::rename(temp_.c_str(), path_.c_str()) != 0) {
      throw_os_error("rename", temp_, errno);
    }
  }

 private:
  void flush() {
    keys_crc_ = crc32c_extend(keys_crc_, keys_.data(), keys_.size());
    ids_crc_ = crc32c_extend(ids_crc_, ids_.data(), ids_.size());
    pwrite_all(fd_.get(), keys_, kIndexHeaderSize + keys_written_, temp_);
    pwrite_all(fd_.get(), ids_, ids_at_ + ids_written_, temp_);
    keys_written_ += keys_.size();
    ids_written_ += ids_.size();
    keys_.clear();
    ids_.clear();
  }

  fs::path path_;
  fs::path temp_;
  UniqueFd fd_;
  std::uint64_t count_;
  std::uint64_t ids_at_;
  std::uint64_t written_ = 0;
  std::uint64_t keys_written_ = 0;
  std::uint64_t ids_written_ = 0;
  std::uint32_t keys_crc_ = 0;
  std::uint32_t ids_crc_ = 0;
  std::string keys_;
  std::string ids_;
};

}  // namespace

void sort_postings(std::vector<Posting>& postings, std::vector<Posting>& scratch) {
  constexpr std::size_t kSmall = 4096;
  if (postings.size() < kSmall) {
    std::sort(postings.begin(), postings.end());
    return;
  }
  constexpr unsigned kShift = 48;
  constexpr std::size_t kBuckets = std::size_t{1} << 16;
  std::vector<std::uint32_t> starts(kBuckets + 1, 0);
  for (const Posting& p : postings) ++starts[(p.key >> kShift) + 1];
  for (std::size_t b = 1; b <= kBuckets; ++b) starts[b] += starts[b - 1];
  scratch.resize(postings.size());
  std::vector<std::uint32_t> at(starts.begin(), starts.end() - 1);
  for (const Posting& p : postings) scratch[at[p.key >> kShift]++] = p;
  for (std::size_t b = 0; b < kBuckets; ++b) {
    if (starts[b + 1] - starts[b] > 1) {
      std::sort(scratch.begin() + starts[b], scratch.begin() + starts[b + 1]);
    }
  }
  postings.swap(scratch);
}

void write_index_file(const fs::path& path, std::uint64_t first_id, std::uint64_t last_id,
                      std::vector<Posting>& postings, bool sync) {
  thread_local std::vector<Posting> scratch;
  sort_postings(postings, scratch);
  IndexWriter writer(path, postings.size());
  for (const Posting& p : postings) writer.add(p.key, p.id);
  writer.finish(first_id, last_id, sync);
}

std::unique_ptr<IndexFile> IndexFile::open(const fs::path& path, std::string& error) {
  UniqueFd fd = open_if_exists(path, O_RDONLY);
  if (!fd) {
    error = "missing";
    return nullptr;
  }
  const std::uint64_t size = file_size(fd.get(), path);
  if (size < kIndexHeaderSize) {
    error = "shorter than its header";
    return nullptr;
  }
  void* map = ::mmap(nullptr, static_cast<std::size_t>(size), PROT_READ, MAP_SHARED, fd.get(), 0);
  if (map == MAP_FAILED) throw_os_error("mmap", path, errno);
  std::unique_ptr<IndexFile> f(new IndexFile());
  f->path_ = path;
  f->map_ = map;
  f->map_size_ = static_cast<std::size_t>(size);
  const char* p = static_cast<const char*>(map);
  const std::string_view header(p, kIndexHeaderSize);
  if (header.substr(0, kIndexMagic.size()) != kIndexMagic || load_u32(p + 8) != kStoreVersion ||
      load_u32(p + 48) != crc32c(header.substr(0, 48))) {
    error = "damaged header";
    return nullptr;
  }
  f->first_id_ = load_u64(p + 16);
  f->last_id_ = load_u64(p + 24);
  f->count_ = load_u64(p + 32);
  f->keys_crc_ = load_u32(p + 40);
  f->ids_crc_ = load_u32(p + 44);
  if (f->count_ > (size - kIndexHeaderSize) / (kKeyBytes + kIdBytes) ||
      kIndexHeaderSize + f->count_ * (kKeyBytes + kIdBytes) != size) {
    error = "size does not match its header";
    return nullptr;
  }
  f->keys_ = p + kIndexHeaderSize;
  f->ids_ = f->keys_ + f->count_ * kKeyBytes;
  return f;
}

IndexFile::~IndexFile() {
  if (map_ != nullptr) ::munmap(map_, map_size_);
}

std::uint64_t IndexFile::key(std::uint64_t i) const {
  return load_u64(keys_ + i * kKeyBytes);
}

std::uint32_t IndexFile::id(std::uint64_t i) const {
  return load_u32(ids_ + i * kIdBytes);
}

void IndexFile::lookup(std::uint64_t k, std::vector<std::uint32_t>& out) const {
  std::uint64_t lo = 0;
  std::uint64_t hi = count_;
  while (lo < hi) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    if (key(mid) < k) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  for (std::uint64_t i = lo; i < count_ && key(i) == k; ++i) out.push_back(id(i));
}

bool IndexFile::verify() const {
  return crc32c_extend(0, keys_, count_ * kKeyBytes) == keys_crc_ &&
         crc32c_extend(0, ids_, count_ * kIdBytes) == ids_crc_;
}

void merge_index_files(std::span<const IndexFile* const> inputs, const fs::path& path, std::uint64_t first_id,
                       std::uint64_t last_id, bool sync) {
  std::uint64_t total = 0;
  for (const IndexFile* f : inputs) total += f->size();
  IndexWriter writer(path, total);
  struct Head {
    std::uint64_t key;
    std::uint32_t id;
    std::uint32_t input;
    bool operator>(const Head& o) const { return key != o.key ? key > o.key : id > o.id; }
  };
  std::vector<std::uint64_t> at(inputs.size(), 0);
  std::vector<Head> heap;
  heap.reserve(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i]->size() > 0)
      heap.push_back({inputs[i]->key(0), inputs[i]->id(0), static_cast<std::uint32_t>(i)});
  }
  std::make_heap(heap.begin(), heap.end(), std::greater<>());
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), std::greater<>());
    Head& h = heap.back();
    writer.add(h.key, h.id);
    const IndexFile& f = *inputs[h.input];
    if (++at[h.input] < f.size()) {
      h.key = f.key(at[h.input]);
      h.id = f.id(at[h.input]);
      std::push_heap(heap.begin(), heap.end(), std::greater<>());
    } else {
      heap.pop_back();
    }
  }
  writer.finish(first_id, last_id, sync);
}

}  // namespace sluice::internal::provenance
