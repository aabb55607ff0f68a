// Generates smart-meter CSV: meter_id, ts, kwh, voltage, current, status, notes; the same bytes for the
// same seed. meter_id is M0000001..M<meters> (random per row); ts is ISO 8601 UTC with milliseconds,
// increasing row by row with jitter, one row in 100 arriving 1-60 minutes late; status is mostly OK with
// some WARN, ALARM, OFFLINE and ESTIMATED; notes are words padding each row to 850-950 bytes (newline
// included), with now and then a comma (so the cell is quoted) or a quote (doubled inside the quotes).
//
//   meter_gen --rows 1000000 [--files 1] [--meters 1000000] [--seed 42] --out DIR
// writes DIR/meters-00000.csv ... (rows spread evenly over the files).
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
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
constexpr std::size_t kMinRow = 850;
constexpr std::size_t kMaxRow = 950;

std::string_view status_for(std::uint64_t roll) {  // roll in [0, 1000)
  if (roll < 900) return "OK";
  if (roll < 950) return "WARN";
  if (roll < 970) return "ALARM";
  if (roll < 985) return "OFFLINE";
  return "ESTIMATED";
}

void append_padded(std::string& out, std::uint64_t v, int width) {
  char buf[24];
  const int n = std::snprintf(buf, sizeof buf, "%0*llu", width, static_cast<unsigned long long>(v));
  out.append(buf, static_cast<std::size_t>(n));
}

void append_timestamp(std::string& out, std::int64_t epoch_ms) {
  using namespace std::chrono;
  const sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(epoch_ms)));
  const year_month_day ymd(day);
  std::int64_t ms = epoch_ms - duration_cast<milliseconds>(day.time_since_epoch()).count();
  append_padded(out, static_cast<std::uint64_t>(static_cast<int>(ymd.year())), 4);
  out += '-';
  append_padded(out, static_cast<unsigned>(ymd.month()), 2);
  out += '-';
  append_padded(out, static_cast<unsigned>(ymd.day()), 2);
  out += 'T';
  append_padded(out, static_cast<std::uint64_t>(ms / 3'600'000), 2);
  ms %= 3'600'000;
  out += ':';
  append_padded(out, static_cast<std::uint64_t>(ms / 60'000), 2);
  ms %= 60'000;
  out += ':';
  append_padded(out, static_cast<std::uint64_t>(ms / 1000), 2);
  out += '.';
  append_padded(out, static_cast<std::uint64_t>(ms % 1000), 3);
  out += 'Z';
}

// 2024-03-01T00:00:00Z; rows are 250 ms apart on average (4,000 readings a second across the fleet).
constexpr std::int64_t kStartMs = 1'709'251'200'000;
constexpr std::int64_t kStepMs = 250;

void append_row(std::string& out, SplitMix& rng, std::uint64_t row, std::uint64_t meters) {
  const std::size_t start = out.size();
  out += 'M';
  append_padded(out, 1 + rng.below(meters), 7);
  out += ',';
  std::int64_t ts =
      kStartMs + static_cast<std::int64_t>(row) * kStepMs + static_cast<std::int64_t>(rng.below(kStepMs));
  if (rng.below(100) == 0) ts -= static_cast<std::int64_t>(60'000 * (1 + rng.below(60)));  // a late reading
  append_timestamp(out, ts);
  out += ',';
  out += std::to_string(rng.below(5000) / 100);
  out += '.';
  append_padded(out, rng.below(1000), 3);
  out += ',';
  out += std::to_string(220 + rng.below(20));
  out += '.';
  append_padded(out, rng.below(100), 2);
  out += ',';
  out += std::to_string(rng.below(40));
  out += '.';
  append_padded(out, rng.below(1000), 3);
  out += ',';
  out += status_for(rng.below(1000));
  out += ',';
  // The notes cell makes the whole row (newline included) `target` bytes long, 850..950: words up to a
  // length that leaves room for the optional suffixes and the quotes, then spaces to the exact size.
  const std::size_t target = kMinRow + rng.below(kMaxRow - kMinRow + 1);
  const bool comma = rng.below(4) == 0;
  const bool quote = rng.below(10) == 0;
  std::string suffix;
  if (comma) suffix += ", see ticket " + std::to_string(rng.below(100000));
  if (quote) suffix += " \"urgent\"";
  const std::size_t quoting = (comma || quote) ? 2 + (quote ? 2 : 0) : 0;
  const std::size_t used = out.size() - start;
  const std::size_t notes_size = target - used - 1 - quoting;  // 1: the newline
  std::string notes;
  while (true) {
    const std::string_view word = kWords[rng.below(sizeof kWords / sizeof kWords[0])];
    if (notes.size() + word.size() + 1 + suffix.size() > notes_size) break;
    notes += word;
    notes += ' ';
  }
  notes.append(notes_size - suffix.size() - notes.size(), '.');
  notes += suffix;
  if (comma || quote) {
    out += '"';
    for (char c : notes) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  } else {
    out += notes;
  }
  out += '\n';
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t rows = 1'000'000;
  std::uint64_t files = 1;
  std::uint64_t meters = 1'000'000;
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
  if (files == 0 || meters == 0 || meters > 9'999'999) {
    std::fprintf(stderr, "meter_gen: --files must be at least 1, --meters 1..9999999\n");
    return 2;
  }
  std::filesystem::create_directories(dir);
  SplitMix rng{seed};
  std::uint64_t row = 0;
  std::uint64_t bytes = 0;
  std::string out;
  for (std::uint64_t f = 0; f < files; ++f) {
    const std::uint64_t n = rows / files + (f < rows % files ? 1 : 0);
    std::string name = "meters-";
    append_padded(name, f, 5);
    std::ofstream file(dir / (name + ".csv"), std::ios::binary);
    out = "meter_id,ts,kwh,voltage,current,status,notes\n";
    for (std::uint64_t r = 0; r < n; ++r) {
      append_row(out, rng, row++, meters);
      if (out.size() >= (std::size_t{1} << 22)) {  // stream: a million rows never sit in memory
        file << out;
        bytes += out.size();
        out.clear();
      }
    }
    file << out;
    bytes += out.size();
    if (!file.flush()) {
      std::fprintf(stderr, "meter_gen: cannot write %s\n", (dir / (name + ".csv")).c_str());
      return 1;
    }
  }
  std::printf("%llu rows, %llu bytes in %llu files\n", static_cast<unsigned long long>(rows),
              static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(files));
  return 0;
}
