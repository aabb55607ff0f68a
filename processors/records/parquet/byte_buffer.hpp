// A growable byte buffer for the encoder's hot path: appends without zero-filling, keeps its capacity
// across clear() so pages and chunks reuse their memory, and writes little-endian scalars directly.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <type_traits>

namespace sluice::parquet {

static_assert(std::endian::native == std::endian::little,
              "the encoder writes host-order scalars as little-endian");

class ByteBuffer {
 public:
  ByteBuffer() = default;
  ByteBuffer(ByteBuffer&&) noexcept = default;
  ByteBuffer& operator=(ByteBuffer&&) noexcept = default;
  ByteBuffer(const ByteBuffer&) = delete;
  ByteBuffer& operator=(const ByteBuffer&) = delete;
  ~ByteBuffer() = default;

  [[nodiscard]] const char* data() const { return data_.get(); }
  char* data() { return data_.get(); }
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] std::size_t capacity() const { return capacity_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  [[nodiscard]] std::string_view view() const { return {data_.get(), size_}; }

  void clear() { size_ = 0; }
  // Shrinks to `size` bytes (size <= size()); used to undo the values of a cancelled row.
  void truncate(std::size_t size) { size_ = size; }

  void reserve(std::size_t wanted) {
    if (wanted <= capacity_) return;
    const std::size_t grown = std::max(wanted, 2 * capacity_ + 64);
    auto bigger = std::make_unique_for_overwrite<char[]>(grown);
    if (size_ != 0) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    capacity_ = grown;
  }

  // Makes room for `n` more bytes and returns where they go; commit(n) then counts them.
  char* prepare(std::size_t n) {
    reserve(size_ + n);
    return data_.get() + size_;
  }
  void commit(std::size_t n) { size_ += n; }

  void append(const void* bytes, std::size_t n) {
    if (n == 0) return;
    std::memcpy(prepare(n), bytes, n);
    size_ += n;
  }
  void append(std::string_view bytes) { append(bytes.data(), bytes.size()); }
  void push_back(char c) {
    if (size_ == capacity_) reserve(size_ + 1);
    data_[size_++] = c;
  }

  template <typename T>
  requires std::is_trivially_copyable_v<T>
  void append_le(T value) {
    if (capacity_ - size_ < sizeof(T)) reserve(size_ + sizeof(T));
    std::memcpy(data_.get() + size_, &value, sizeof(T));
    size_ += sizeof(T);
  }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace sluice::parquet
