// Sizes and durations as integrators write them in flows: "1 KiB", "10ms", "2 min".
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice {

// Bytes; units B, KB/KiB, MB/MiB, GB/GiB, TB/TiB (KB = 1000, KiB = 1024); a bare number is bytes.
std::optional<std::uint64_t> parse_size(std::string_view text);
// Units ns, us, ms, s, sec, min, h, d (optionally plural/long forms); a bare number is milliseconds.
std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text);
std::optional<std::int64_t> parse_int(std::string_view text);
std::optional<bool> parse_bool(std::string_view text);

std::string format_size(std::uint64_t bytes);
std::string format_duration(std::chrono::nanoseconds d);

}  // namespace sluice
