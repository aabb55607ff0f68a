// The bar sluice is measured against: a hand-written single-pass CSV→JSON converter for the meter files,
// doing the same job as the flow (read each file, write a JSON array file of typed records, sync it) with
// nothing general: fixed columns, numbers copied as text, no engine, no repositories.
//
//   baseline_csv_to_json IN_DIR OUT_DIR
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

#include <sys/mman.h>
#include <sys/stat.h>

#include "csv_cells.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: baseline_csv_to_json IN_DIR OUT_DIR\n");
    return 2;
  }
  namespace fs = std::filesystem;
  fs::create_directories(argv[2]);
  constexpr const char* kNames[] = {"meter_id", "ts", "kwh", "voltage", "current", "status", "notes"};
  constexpr bool kNumeric[] = {false, false, true, true, true, false, false};
  std::string out;
  std::string scratch;
  std::size_t rows = 0;
  for (const auto& entry : fs::directory_iterator(argv[1])) {
    const int fd = open(entry.path().c_str(), O_RDONLY);
    struct stat st {};
    fstat(fd, &st);
    const auto size = static_cast<std::size_t>(st.st_size);
    const char* data = static_cast<const char*>(mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0));
    const char* p = data;
    const char* end = data + size;
    p = static_cast<const char*>(std::memchr(p, '\n', size)) + 1;  // header
    out.clear();
    out += '[';
    bool first = true;
    while (p < end) {
      out += first ? "{" : ",{";
      first = false;
      for (int i = 0; i < 7; ++i) {
        std::string_view v = sluice::bench::csv_cell(p, end, scratch);
        if (i) out += ',';
        out += '"';
        out += kNames[i];
        out += "\":";
        if (kNumeric[i]) {
          out += v;
        } else {
          sluice::bench::append_json_string(out, v);
        }
        ++p;  // ',' or '\n'
      }
      out += '}';
      ++rows;
    }
    out += "]\n";
    munmap(const_cast<char*>(data), size);
    close(fd);
    const fs::path target = fs::path(argv[2]) / (entry.path().stem().string() + ".json");
    const int ofd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (write(ofd, out.data(), out.size()) != static_cast<ssize_t>(out.size())) return 1;
    fsync(ofd);
    close(ofd);
  }
  std::printf("%zu rows\n", rows);
  return 0;
}
