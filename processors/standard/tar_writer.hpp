// POSIX ustar archives written streaming: a header per entry, the content, padding to 512 bytes, and two
// zero blocks at the end. A name that does not fit ustar's 100+155 bytes, or a size of 8 GiB or more, gets
// a pax extended header ('x') before its entry, as GNU tar and bsdtar read.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::standard {

// The header block(s) for one regular-file entry.
std::string tar_entry_header(std::string_view name, std::uint64_t size, std::uint32_t mode,
                             std::int64_t mtime_seconds);
// Zero bytes that pad an entry of `size` bytes to a whole block.
std::string_view tar_padding(std::uint64_t size);
// The end-of-archive marker: two zero blocks.
std::string_view tar_end();

// A name safe to extract: no leading '/', no '.' or '..' components, no empty components; empty when
// nothing usable remains.
std::string tar_safe_name(std::string_view name);

}  // namespace sluice::standard
