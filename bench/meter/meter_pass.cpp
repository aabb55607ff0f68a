// The bar sluice is measured against on the smart-meter job: a hand-written, single-threaded, single-pass
// program. It reads the CSV in 1 MiB blocks, turns each row into a JSON object (kwh, voltage and current
// as numbers, copied as text), routes it by the MD5 of meter_id (bucket = first hex digit of the digest
// mod 4, as the sluice flow's expression computes it) into OUT/<bucket>/part.jsonl, and syncs the files.
// Nothing general: fixed columns, no engine, no repositories, no recovery.
//
//   meter_pass IN.csv OUT_DIR
#include <array>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <string>
#include <string_view>
#include <unistd.h>

#include <openssl/evp.h>

#include "../records/csv_cells.hpp"

namespace {

constexpr std::size_t kBlock = std::size_t{1} << 20;
constexpr int kBuckets = 4;

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

int bucket_of(std::string_view meter_id) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_Digest(meter_id.data(), meter_id.size(), digest.data(), &size, EVP_md5(), nullptr);
  return (digest[0] >> 4) % kBuckets;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: meter_pass IN.csv OUT_DIR\n");
    return 2;
  }
  namespace fs = std::filesystem;
  const int in = ::open(argv[1], O_RDONLY);
  if (in < 0) {
    std::perror(argv[1]);
    return 1;
  }
  std::array<int, kBuckets> fds{};
  std::array<std::string, kBuckets> outs;
  for (int b = 0; b < kBuckets; ++b) {
    const fs::path dir = fs::path(argv[2]) / std::to_string(b);
    fs::create_directories(dir);
    fds[static_cast<std::size_t>(b)] =
        ::open((dir / "part.jsonl").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fds[static_cast<std::size_t>(b)] < 0) {
      std::perror("open output");
      return 1;
    }
  }
  constexpr const char* kNames[] = {"meter_id", "ts", "kwh", "voltage", "current", "status", "notes"};
  constexpr bool kNumeric[] = {false, false, true, true, true, false, false};
  std::string block;  // unconsumed bytes: the tail of the previous read, then the next read
  std::string scratch;
  std::size_t rows = 0;
  bool header = true;
  bool eof = false;
  while (!eof) {
    const std::size_t kept = block.size();
    block.resize(kept + kBlock);
    const ssize_t n = ::read(in, block.data() + kept, kBlock);
    if (n < 0) {
      std::perror("read");
      return 1;
    }
    block.resize(kept + static_cast<std::size_t>(n));
    eof = n == 0;
    if (eof && !block.empty() && block.back() != '\n') block += '\n';
    const char* p = block.data();
    const char* end = block.data() + block.size();
    // Only whole rows: up to the last newline outside quotes. The meter notes hold no line breaks, so the
    // last '\n' ends a row.
    const char* last = static_cast<const char*>(memrchr(p, '\n', block.size()));
    if (last == nullptr) continue;
    end = last + 1;
    if (header) {
      p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p))) + 1;
      header = false;
    }
    while (p < end) {
      std::string_view meter;
      int bucket = 0;
      std::string* out = nullptr;
      for (int i = 0; i < 7; ++i) {
        const std::string_view v = sluice::bench::csv_cell(p, end, scratch);
        if (i == 0) {
          meter = v;
          bucket = bucket_of(meter);
          out = &outs[static_cast<std::size_t>(bucket)];
          *out += '{';
        } else {
          *out += ',';
        }
        *out += '"';
        *out += kNames[i];
        *out += "\":";
        if (kNumeric[i]) {
          *out += v;
        } else {
          sluice::bench::append_json_string(*out, v);
        }
        ++p;  // ',' or '\n'
      }
      *out += "}\n";
      if (out->size() >= kBlock) {
        if (!write_all(fds[static_cast<std::size_t>(bucket)], *out)) return 1;
        out->clear();
      }
      ++rows;
    }
    block.erase(0, static_cast<std::size_t>(end - block.data()));
  }
  for (int b = 0; b < kBuckets; ++b) {
    const auto i = static_cast<std::size_t>(b);
    if (!write_all(fds[i], outs[i]) || ::fsync(fds[i]) != 0 || ::close(fds[i]) != 0) {
      std::perror("write output");
      return 1;
    }
  }
  ::close(in);
  std::printf("%zu rows\n", rows);
  return 0;
}
