#include "flow/swap_file.hpp"

#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace sluice::internal {

namespace {
// Swap files live and die within one process, so a plain native-endian layout is enough: nothing else
// ever reads them, and recovery never does (the FlowFile repository is the durable copy).
template <typename T>
void put(std::string& out, const T& v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}
void put_string(std::string& out, std::string_view s) {
  put(out, static_cast<std::uint32_t>(s.size()));
  out.append(s);
}

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  template <typename T>
  T get() {
    T v;
    need(sizeof v);
    std::memcpy(&v, data_.data() + pos_, sizeof v);
    pos_ += sizeof v;
    return v;
  }
  std::string get_string() {
    const auto n = get<std::uint32_t>();
    need(n);
    std::string s(data_.substr(pos_, n));
    pos_ += n;
    return s;
  }

 private:
  void need(std::size_t n) const {
    if (pos_ + n > data_.size()) throw std::runtime_error("swap file is truncated");
  }
  std::string_view data_;
  std::size_t pos_ = 0;
};
}  // namespace

std::shared_ptr<SwapFile> SwapFile::write(const std::filesystem::path& path,
                                          std::vector<FlowFileRecord>&& records) {
  std::string out;
  out.reserve(records.size() * 128);
  std::vector<ContentClaim> claims;
  claims.reserve(records.size());
  std::uint64_t bytes = 0;
  for (auto& r : records) {
    put(out, r.id);
    put(out, r.uuid);
    put(out, r.entry_ms);
    put(out, r.lineage_start_ms);
    put(out, r.penalty_until_ms);
    put(out, static_cast<std::uint32_t>(r.attributes.size()));
    for (const auto& [k, v] : r.attributes.entries()) {
      put_string(out, k);
      put_string(out, v);
    }
    bytes += r.size();
    claims.push_back(std::move(r.content));
  }
  records.clear();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr)
    throw std::system_error(errno, std::generic_category(), "cannot create swap file " + path.string());
  const bool ok = std::fwrite(out.data(), 1, out.size(), f) == out.size();
  std::fclose(f);
  if (!ok) throw std::runtime_error("cannot write swap file " + path.string());
  return std::shared_ptr<SwapFile>(new SwapFile(path, std::move(claims), bytes));
}

SwapFile::~SwapFile() {
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

std::vector<FlowFileRecord> SwapFile::read() const {
  std::string data;
  std::FILE* f = std::fopen(path_.c_str(), "rb");
  if (f == nullptr)
    throw std::system_error(errno, std::generic_category(), "cannot open swap file " + path_.string());
  std::fseek(f, 0, SEEK_END);
  data.resize(static_cast<std::size_t>(std::ftell(f)));
  std::fseek(f, 0, SEEK_SET);
  const bool ok = std::fread(data.data(), 1, data.size(), f) == data.size();
  std::fclose(f);
  if (!ok) throw std::runtime_error("cannot read swap file " + path_.string());

  Reader in(data);
  std::vector<FlowFileRecord> records(claims_.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    FlowFileRecord& r = records[i];
    r.id = in.get<std::uint64_t>();
    r.uuid = in.get<Uuid>();
    r.entry_ms = in.get<std::int64_t>();
    r.lineage_start_ms = in.get<std::int64_t>();
    r.penalty_until_ms = in.get<std::int64_t>();
    const auto n = in.get<std::uint32_t>();
    std::vector<AttributeSet::Entry> entries;
    entries.reserve(n);
    for (std::uint32_t a = 0; a < n; ++a) {
      std::string k = in.get_string();
      entries.emplace_back(std::move(k), in.get_string());
    }
    if (n > 0) r.attributes = Attributes(make_ref<AttributeSet>(std::move(entries)));
    r.content = claims_[i];
  }
  return records;
}

}  // namespace sluice::internal
