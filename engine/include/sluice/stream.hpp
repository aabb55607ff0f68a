// Content streams. Reading prefers views (a mapped claim) to copies; writing appends to a content claim.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace sluice {

class InputStream {
 public:
  virtual ~InputStream() = default;
  // Copies up to buf.size() bytes; returns 0 at end of content.
  virtual std::size_t read(std::span<char> buf) = 0;
  // The whole remaining content without copying (mapped or already in memory). Valid during the callback.
  virtual std::string_view view() = 0;
  [[nodiscard]] virtual std::uint64_t size() const = 0;
};

class OutputStream {
 public:
  virtual ~OutputStream() = default;
  virtual void write(std::string_view bytes) = 0;
  [[nodiscard]] virtual std::uint64_t written() const = 0;
};

}  // namespace sluice
