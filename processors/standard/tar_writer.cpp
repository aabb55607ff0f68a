#include "tar_writer.hpp"

#include <array>
#include <cstring>

namespace sluice::standard {

namespace {

constexpr std::size_t kBlock = 512;
constexpr std::size_t kNameSize = 100;
constexpr std::size_t kPrefixSize = 155;
constexpr std::uint64_t kMaxOctalSize = 077777777777ULL;  // 11 octal digits: 8 GiB - 1
const std::array<char, 2 * kBlock> kZeros{};

// Writes `value` as zero-padded octal filling `width - 1` digits and a NUL.
void put_octal(char* field, std::size_t width, std::uint64_t value) {
  field[width - 1] = '\0';
  for (std::size_t i = width - 1; i > 0; --i) {
    field[i - 1] = static_cast<char>('0' + (value & 7U));
    value >>= 3U;
  }
}

void put_string(char* field, std::size_t width, std::string_view value) {
  // An empty view may have a null data(), which memcpy must not get even for 0 bytes.
  if (value.empty()) return;
  std::memcpy(field, value.data(), std::min(width, value.size()));
}

std::string header_block(std::string_view name, std::string_view prefix, std::uint64_t size,
                         std::uint32_t mode, std::int64_t mtime, char type) {
  std::array<char, kBlock> h{};
  put_string(&h[0], kNameSize, name);
  put_octal(&h[100], 8, mode);
  put_octal(&h[108], 8, 0);  // uid
  put_octal(&h[116], 8, 0);  // gid
  put_octal(&h[124], 12, std::min(size, kMaxOctalSize));
  put_octal(&h[136], 12, static_cast<std::uint64_t>(std::max<std::int64_t>(mtime, 0)));
  h[156] = type;
  put_string(&h[257], 6, std::string_view("ustar\0", 6));
  put_string(&h[263], 2, "00");
  put_string(&h[345], kPrefixSize, prefix);
  // The checksum is computed with its own field as spaces, then written as six octal digits, NUL, space.
  std::memset(&h[148], ' ', 8);
  unsigned sum = 0;
  for (const char c : h) sum += static_cast<unsigned char>(c);
  put_octal(&h[148], 7, sum);
  h[155] = ' ';
  return {h.data(), h.size()};
}

// A pax record "<len> key=value\n", where <len> counts the whole record including its own digits.
std::string pax_record(std::string_view key, std::string_view value) {
  const std::size_t body = 1 + key.size() + 1 + value.size() + 1;  // " key=value\n"
  std::size_t length = body + 1;
  while (std::to_string(length).size() + body != length) length = std::to_string(length).size() + body;
  return std::to_string(length) + " " + std::string(key) + "=" + std::string(value) + "\n";
}

}  // namespace

std::string tar_entry_header(std::string_view name, std::uint64_t size, std::uint32_t mode,
                             std::int64_t mtime_seconds) {
  std::string_view ustar_name = name;
  std::string_view prefix;
  bool needs_pax_path = false;
  if (name.size() > kNameSize) {
    // ustar splits a long path at a '/' into prefix (<= 155) and name (<= 100).
    const std::size_t earliest = name.size() > kNameSize + 1 ? name.size() - kNameSize - 1 : 0;
    const std::size_t slash = name.find('/', earliest);
    if (slash != std::string_view::npos && slash <= kPrefixSize && slash > 0) {
      prefix = name.substr(0, slash);
      ustar_name = name.substr(slash + 1);
    } else {
      needs_pax_path = true;
      ustar_name = name.substr(0, kNameSize);
    }
  }
  const bool needs_pax_size = size > kMaxOctalSize;
  std::string out;
  if (needs_pax_path || needs_pax_size) {
    std::string records;
    if (needs_pax_path) records += pax_record("path", name);
    if (needs_pax_size) records += pax_record("size", std::to_string(size));
    out += header_block("PaxHeader", "", records.size(), 0644, mtime_seconds, 'x');
    out += records;
    out += tar_padding(records.size());
  }
  out += header_block(ustar_name, prefix, size, mode, mtime_seconds, '0');
  return out;
}

std::string_view tar_padding(std::uint64_t size) {
  const auto rest = static_cast<std::size_t>(size % kBlock);
  return rest == 0 ? std::string_view() : std::string_view(kZeros.data(), kBlock - rest);
}

std::string_view tar_end() {
  return {kZeros.data(), kZeros.size()};
}

std::string tar_safe_name(std::string_view name) {
  std::string out;
  while (!name.empty()) {
    const std::size_t slash = name.find('/');
    const std::string_view part = name.substr(0, slash);
    if (!part.empty() && part != "." && part != "..") {
      if (!out.empty()) out += '/';
      out += part;
    }
    if (slash == std::string_view::npos) break;
    name.remove_prefix(slash + 1);
  }
  if (out.find('\0') != std::string::npos) return {};
  return out;
}

}  // namespace sluice::standard
