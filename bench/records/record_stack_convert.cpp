// sluice's record stack without the engine: each CSV file read with CsvReader (schema inferred) and written
// with JsonWriter to a synced file. Run next to baseline_csv_to_json, it separates what the record layer
// costs from what the engine (repositories, sessions, GetFile/PutFile copies) costs.
//
//   record_stack_convert IN_DIR OUT_DIR
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <string>
#include <unistd.h>

#include <sys/mman.h>
#include <sys/stat.h>

#include "csv_reader.hpp"
#include "json_writer.hpp"

namespace {

class FileOutput final : public sluice::OutputStream {
 public:
  explicit FileOutput(int fd) : fd_(fd) {}
  void write(std::string_view bytes) override {
    while (!bytes.empty()) {
      const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n <= 0) throw std::runtime_error("write failed");
      bytes.remove_prefix(static_cast<std::size_t>(n));
      written_ += static_cast<std::uint64_t>(n);
    }
  }
  [[nodiscard]] std::uint64_t written() const override { return written_; }

 private:
  int fd_;
  std::uint64_t written_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: record_stack_convert IN_DIR OUT_DIR\n");
    return 2;
  }
  namespace fs = std::filesystem;
  fs::create_directories(argv[2]);
  sluice::Record record;
  std::size_t rows = 0;
  std::size_t invalid = 0;
  for (const auto& entry : fs::directory_iterator(argv[1])) {
    const int fd = open(entry.path().c_str(), O_RDONLY);
    struct stat st {};
    fstat(fd, &st);
    const auto size = static_cast<std::size_t>(st.st_size);
    const char* data = static_cast<const char*>(mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0));
    const fs::path target = fs::path(argv[2]) / (entry.path().stem().string() + ".json");
    const int ofd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    {
      FileOutput out(ofd);
      sluice::records::CsvReader reader(std::string_view(data, size), {});
      sluice::records::JsonWriter writer(out, {});
      while (true) {
        const auto status = reader.next(record);
        if (status == sluice::ReadStatus::kEnd) break;
        if (status == sluice::ReadStatus::kInvalid) {
          ++invalid;
          continue;
        }
        writer.write(record);
        ++rows;
      }
      writer.finish();
    }
    fsync(ofd);
    close(ofd);
    munmap(const_cast<char*>(data), size);
    close(fd);
  }
  std::printf("%zu rows, %zu invalid\n", rows, invalid);
  return invalid == 0 ? 0 : 1;
}
