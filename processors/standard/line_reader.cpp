#include "line_reader.hpp"

#include <algorithm>
#include <cstring>
#include <span>

namespace sluice::standard {

std::optional<std::string_view> LineReader::next() {
  for (;;) {
    const void* nl = std::memchr(buffer_.data() + scanned_, '\n', end_ - scanned_);
    if (nl != nullptr) {
      const auto stop = static_cast<std::size_t>(static_cast<const char*>(nl) - buffer_.data()) + 1;
      const std::string_view line(buffer_.data() + begin_, stop - begin_);
      begin_ = scanned_ = stop;
      return line;
    }
    scanned_ = end_;
    if (eof_) {
      if (begin_ == end_) return std::nullopt;
      const std::string_view line(buffer_.data() + begin_, end_ - begin_);
      begin_ = scanned_ = end_;
      return line;
    }
    fill();
  }
}

void LineReader::fill() {
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    scanned_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buffer_.size()) buffer_.resize(std::max(kBlock, buffer_.size() * 2));
  const std::size_t got = in_.read(std::span<char>(buffer_.data() + end_, buffer_.size() - end_));
  if (got == 0) eof_ = true;
  end_ += got;
}

}  // namespace sluice::standard
