// Generates smart-meter CSV: meter_id, ts, kwh, voltage, current, status, notes, ~900 bytes a row, the same
// bytes for the same seed. Notes are words with now and then a comma (so the cell is quoted) or a quote.
//
//   meter_gen --rows 1000000 --files 100 --meters 1000 --seed 42 --out DIR
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace {

struct SplitMix {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }
};

constexpr std::string_view kWords[] = {"reading", "meter",   "grid",  "phase",  "load",     "peak",
                                       "tariff",  "voltage", "sag",   "swell",  "normal",   "check",
                                       "field",   "service", "crew",  "remote", "firmware", "update",
                                       "signal",  "relay",   "sensor"};
constexpr std::string_view kStatus[] = {"OK", "OK", "OK", "OK", "WARN", "FAULT"};

std::string pad(std::uint64_t v, int width) {
  std::string s = std::to_string(v);
  return std::string(static_cast<std::size_t>(width) - std::min(s.size(), static_cast<std::size_t>(width)),
                     '0') +
         s;
}

void append_row(std::string& out, SplitMix& rng, std::uint64_t row, std::uint64_t meters) {
  const std::uint64_t meter = rng.below(meters);
  const std::uint64_t minute = row / meters * 15;  // a reading every 15 minutes per meter
  const std::uint64_t day = minute / 1440;
  out += "M" + pad(meter, 7) + ",";
  out += "2024-" + pad(1 + day / 28 % 12, 2) + "-" + pad(1 + day % 28, 2) + "T" + pad(minute / 60 % 24, 2) +
         ":" + pad(minute % 60, 2) + ":00Z,";
  out += std::to_string(rng.below(5000) / 100) + "." + pad(rng.below(1000), 3) + ",";
  out += std::to_string(220 + rng.below(20)) + "." + pad(rng.below(100), 2) + ",";
  out += std::to_string(rng.below(40)) + "." + pad(rng.below(1000), 3) + ",";
  out += std::string(kStatus[rng.below(6)]) + ",";
  // Notes up to ~900 bytes in all; a comma in one row of four, a quote in one of ten.
  std::string notes;
  const bool comma = rng.below(4) == 0;
  const bool quote = rng.below(10) == 0;
  while (notes.size() < 820) {
    notes += kWords[rng.below(sizeof kWords / sizeof kWords[0])];
    notes += ' ';
  }
  if (comma) notes += ", see ticket " + std::to_string(rng.below(100000));
  if (quote) notes += " \"urgent\"";
  if (comma || quote) {
    std::string quoted = "\"";
    for (char c : notes) {
      if (c == '"') quoted += '"';
      quoted += c;
    }
    quoted += '"';
    notes = quoted;
  }
  out += notes;
  out += '\n';
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t rows = 1'000'000;
  std::uint64_t files = 100;
  std::uint64_t meters = 1000;
  std::uint64_t seed = 42;
  std::filesystem::path dir = "meter-csv";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const char* v = argv[i + 1];
    if (flag == "--rows")
      rows = std::strtoull(v, nullptr, 10);
    else if (flag == "--files")
      files = std::strtoull(v, nullptr, 10);
    else if (flag == "--meters")
      meters = std::strtoull(v, nullptr, 10);
    else if (flag == "--seed")
      seed = std::strtoull(v, nullptr, 10);
    else if (flag == "--out")
      dir = v;
    else {
      std::fprintf(stderr, "usage: meter_gen [--rows N] [--files N] [--meters N] [--seed N] [--out DIR]\n");
      return 2;
    }
  }
  if (files == 0 || meters == 0) return 2;
  std::filesystem::create_directories(dir);
  SplitMix rng{seed};
  std::uint64_t row = 0;
  std::uint64_t bytes = 0;
  std::string out;
  for (std::uint64_t f = 0; f < files; ++f) {
    const std::uint64_t n = rows / files + (f < rows % files ? 1 : 0);
    out = "meter_id,ts,kwh,voltage,current,status,notes\n";
    for (std::uint64_t r = 0; r < n; ++r) append_row(out, rng, row++, meters);
    std::ofstream(dir / ("meters-" + pad(f, 5) + ".csv"), std::ios::binary) << out;
    bytes += out.size();
  }
  std::printf("%llu rows, %llu bytes in %llu files\n", static_cast<unsigned long long>(rows),
              static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(files));
  return 0;
}
