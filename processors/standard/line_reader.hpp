// Lines from an InputStream, read in blocks: memory stays at one block (or the longest line) whatever the
// content's size, where a mapped view would make the whole content resident.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "sluice/stream.hpp"

namespace sluice::standard {

class LineReader {
 public:
  static constexpr std::size_t kBlock = std::size_t{1} << 20;

  explicit LineReader(InputStream& in) : in_(in) {}

  // The next line with its '\n' (the last one may have none); nullopt at the end of the content. The view
  // is valid until the next call.
  std::optional<std::string_view> next();

 private:
  // Moves the unread bytes to the front, grows the buffer when a line fills it, reads more.
  void fill();

  InputStream& in_;
  std::string buffer_;
  std::size_t begin_ = 0;    // the next line starts here
  std::size_t scanned_ = 0;  // no '\n' in [begin_, scanned_)
  std::size_t end_ = 0;      // bytes read into buffer_
  bool eof_ = false;
};

}  // namespace sluice::standard
