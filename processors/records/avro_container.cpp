#include "avro_container.hpp"

#include <cstring>
#include <random>
#include <snappy.h>
#include <stdexcept>
#include <string>
#include <utility>
#include <zlib.h>

#include "record_write_error.hpp"

namespace sluice::records {

namespace {

constexpr std::string_view kMagic("Obj\x01", 4);

// ---- binary encoding ------------------------------------------------------------------------------------

void put_long(std::int64_t v, std::string& out) {
  auto z = (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
  char buf[10];
  std::size_t n = 0;
  while ((z & ~0x7FULL) != 0) {
    buf[n++] = static_cast<char>((z & 0x7F) | 0x80);
    z >>= 7;
  }
  buf[n++] = static_cast<char>(z);
  out.append(buf, n);
}

void put_bytes(std::string_view b, std::string& out) {
  put_long(static_cast<std::int64_t>(b.size()), out);
  out.append(b);
}

template <typename T>
void put_raw(T v, std::string& out) {
  char buf[sizeof(T)];
  std::memcpy(buf, &v, sizeof(T));  // Avro is little-endian, as is every target sluice builds for
  out.append(buf, sizeof(T));
}

bool natural(const Value& v, TypeKind k) {
  switch (v.kind()) {
    case ValueKind::kNull: return k == TypeKind::kNull;
    case ValueKind::kString: return k == TypeKind::kString || k == TypeKind::kEnum;
    case ValueKind::kInt: return k == TypeKind::kLong || k == TypeKind::kInt;
    case ValueKind::kDouble: return k == TypeKind::kDouble || k == TypeKind::kFloat;
    case ValueKind::kBoolean: return k == TypeKind::kBoolean;
    case ValueKind::kBytes: return k == TypeKind::kBytes || k == TypeKind::kFixed;
    case ValueKind::kDecimal: return k == TypeKind::kDecimal;
    case ValueKind::kDate: return k == TypeKind::kDate;
    case ValueKind::kTime: return k == TypeKind::kTimeMicros || k == TypeKind::kTimeMillis;
    case ValueKind::kTimestamp: return k == TypeKind::kTimestampMicros || k == TypeKind::kTimestampMillis;
    case ValueKind::kArray: return k == TypeKind::kArray;
    case ValueKind::kMap: return k == TypeKind::kMap;
    case ValueKind::kRecord: return k == TypeKind::kRecord;
  }
  return false;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Encodes `v` as `t`; false with `reason` when it does not fit.
bool encode(const Value& in, const DataType& t, std::string& out, RecordArena& scratch, std::string& reason) {
  if (t.kind == TypeKind::kUnion) {
    for (int pass = 0; pass < 2; ++pass) {
      for (std::size_t i = 0; i < t.branches.size(); ++i) {
        const DataType& b = *t.branches[i];
        if ((pass == 0) != natural(in, b.kind)) continue;
        if (in.is_null() != (b.kind == TypeKind::kNull)) continue;
        const std::size_t mark = out.size();
        put_long(static_cast<std::int64_t>(i), out);
        if (encode(in, b, out, scratch, reason)) return true;
        out.resize(mark);
      }
    }
    reason = "value fits no branch of the union";
    return false;
  }
  if (t.kind == TypeKind::kNull) return in.is_null();
  auto converted = convert_value(in, t, scratch, reason);
  if (!converted) return false;
  const Value& v = *converted;
  switch (t.kind) {
    case TypeKind::kBoolean: out.push_back(v.as_bool() ? '\1' : '\0'); return true;
    case TypeKind::kInt:
    case TypeKind::kLong:
    case TypeKind::kDate:
    case TypeKind::kTimestampMicros:
    case TypeKind::kTimeMicros: put_long(v.as_int(), out); return true;
    case TypeKind::kTimeMillis:
    case TypeKind::kTimestampMillis: put_long(floor_div(v.as_int(), 1000), out); return true;
    case TypeKind::kFloat: put_raw(static_cast<float>(v.as_double()), out); return true;
    case TypeKind::kDouble: put_raw(v.as_double(), out); return true;
    case TypeKind::kString:
    case TypeKind::kBytes: put_bytes(v.as_text(), out); return true;
    case TypeKind::kFixed: out.append(v.as_text()); return true;
    case TypeKind::kEnum: {
      for (std::size_t i = 0; i < t.symbols.size(); ++i) {
        if (t.symbols[i] == v.as_text()) {
          put_long(static_cast<std::int64_t>(i), out);
          return true;
        }
      }
      return false;
    }
    case TypeKind::kDecimal: {
      std::string unscaled;
      decimal_to_unscaled(v.as_text(), t.scale, unscaled);
      if (t.fixed_size > 0) {
        if (unscaled.size() > t.fixed_size) {
          reason = "decimal does not fit fixed(" + std::to_string(t.fixed_size) + ")";
          return false;
        }
        const char pad = (!unscaled.empty() && (unscaled[0] & 0x80) != 0) ? '\xFF' : '\0';
        out.append(t.fixed_size - unscaled.size(), pad);
        out.append(unscaled);
      } else {
        put_bytes(unscaled, out);
      }
      return true;
    }
    case TypeKind::kArray: {
      const auto items = v.items();
      if (!items.empty()) {
        put_long(static_cast<std::int64_t>(items.size()), out);
        for (const Value& item : items) {
          if (!encode(item, *t.items, out, scratch, reason)) return false;
        }
      }
      put_long(0, out);
      return true;
    }
    case TypeKind::kMap: {
      const auto entries = v.entries();
      if (!entries.empty()) {
        put_long(static_cast<std::int64_t>(entries.size()), out);
        for (const MapEntry& e : entries) {
          put_bytes(e.key, out);
          if (!encode(e.value, *t.items, out, scratch, reason)) return false;
        }
      }
      put_long(0, out);
      return true;
    }
    case TypeKind::kRecord: {
      const auto fields = v.items();
      for (std::size_t i = 0; i < t.fields.size(); ++i) {
        const Value f = i < fields.size() ? fields[i] : Value();
        if (!encode(f, *t.fields[i].type, out, scratch, reason)) {
          reason.insert(0, ": ").insert(0, t.fields[i].name);
          return false;
        }
      }
      return true;
    }
    default: return false;
  }
}

// ---- binary decoding ------------------------------------------------------------------------------------

class Cursor {
 public:
  explicit Cursor(std::string_view data, std::size_t pos = 0) : data_(data), pos_(pos) {}

  std::int64_t get_long() {
    std::uint64_t z = 0;
    int shift = 0;
    while (true) {
      if (pos_ >= data_.size()) throw std::out_of_range("truncated varint");
      const auto b = static_cast<unsigned char>(data_[pos_++]);
      z |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) break;
      shift += 7;
      if (shift > 63) throw std::out_of_range("varint too long");
    }
    return static_cast<std::int64_t>(z >> 1) ^ -static_cast<std::int64_t>(z & 1);
  }
  std::string_view take(std::size_t n) {
    if (n > data_.size() - pos_) throw std::out_of_range("truncated data");
    auto s = data_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::string_view get_bytes() {
    const std::int64_t n = get_long();
    if (n < 0) throw std::out_of_range("negative length");
    return take(static_cast<std::size_t>(n));
  }
  template <typename T>
  T get_raw() {
    T v;
    std::memcpy(&v, take(sizeof(T)).data(), sizeof(T));
    return v;
  }
  [[nodiscard]] std::size_t pos() const { return pos_; }

 private:
  std::string_view data_;
  std::size_t pos_;
};

// A block count; a negative one is followed by the block's byte size (which we do not need).
std::int64_t block_count(Cursor& c) {
  std::int64_t n = c.get_long();
  if (n < 0) {
    n = -n;
    c.get_long();
  }
  return n;
}

Value decode(Cursor& c, const DataType& t, RecordArena& arena) {
  switch (t.kind) {
    case TypeKind::kNull: return {};
    case TypeKind::kBoolean: return Value::boolean(c.take(1)[0] != 0);
    case TypeKind::kInt:
    case TypeKind::kLong: return Value::integer(c.get_long());
    case TypeKind::kFloat: return Value::real(static_cast<double>(c.get_raw<float>()));
    case TypeKind::kDouble: return Value::real(c.get_raw<double>());
    case TypeKind::kString: return Value::string(c.get_bytes());
    case TypeKind::kBytes: return Value::bytes(c.get_bytes());
    case TypeKind::kFixed: return Value::bytes(c.take(t.fixed_size));
    case TypeKind::kEnum: {
      const std::int64_t i = c.get_long();
      if (i < 0 || static_cast<std::size_t>(i) >= t.symbols.size())
        throw std::out_of_range("enum index out of range");
      return Value::string(t.symbols[static_cast<std::size_t>(i)]);
    }
    case TypeKind::kDecimal: {
      const std::string_view raw = t.fixed_size > 0 ? c.take(t.fixed_size) : c.get_bytes();
      std::string text;
      unscaled_to_decimal(raw, t.scale, text);
      return Value::decimal(arena.copy(text));
    }
    case TypeKind::kDate: return Value::date(static_cast<std::int32_t>(c.get_long()));
    case TypeKind::kTimeMillis: return Value::time(c.get_long() * 1000);
    case TypeKind::kTimeMicros: return Value::time(c.get_long());
    case TypeKind::kTimestampMillis: return Value::timestamp(c.get_long() * 1000);
    case TypeKind::kTimestampMicros: return Value::timestamp(c.get_long());
    case TypeKind::kUnion: {
      const std::int64_t i = c.get_long();
      if (i < 0 || static_cast<std::size_t>(i) >= t.branches.size())
        throw std::out_of_range("union index out of range");
      return decode(c, *t.branches[static_cast<std::size_t>(i)], arena);
    }
    case TypeKind::kArray: {
      std::vector<Value> items;
      for (std::int64_t n = block_count(c); n != 0; n = block_count(c)) {
        for (std::int64_t k = 0; k < n; ++k) items.push_back(decode(c, *t.items, arena));
      }
      Value* copy = arena.values(items.size());
      std::copy(items.begin(), items.end(), copy);
      return Value::array(copy, items.size());
    }
    case TypeKind::kMap: {
      std::vector<MapEntry> entries;
      for (std::int64_t n = block_count(c); n != 0; n = block_count(c)) {
        for (std::int64_t k = 0; k < n; ++k) {
          const std::string_view key = c.get_bytes();
          entries.push_back(MapEntry{key, decode(c, *t.items, arena)});
        }
      }
      MapEntry* copy = arena.entries(entries.size());
      std::copy(entries.begin(), entries.end(), copy);
      return Value::map(copy, entries.size());
    }
    case TypeKind::kRecord: {
      Value* fields = arena.values(t.fields.size());
      for (std::size_t i = 0; i < t.fields.size(); ++i) fields[i] = decode(c, *t.fields[i].type, arena);
      return Value::record(fields, t.fields.size());
    }
  }
  return {};
}

std::uint32_t crc32_of(std::string_view data) {
  return static_cast<std::uint32_t>(
      ::crc32(0L, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
}

void deflate_raw(std::string_view in, std::string& out) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  out.resize(deflateBound(&zs, static_cast<uLong>(in.size())));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate failed");
}

void inflate_raw(std::string_view in, std::string& out) {
  z_stream zs{};
  if (inflateInit2(&zs, -15) != Z_OK) throw std::runtime_error("inflateInit2 failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  out.resize(std::max<std::size_t>(in.size() * 4, 4096));
  int rc = Z_OK;
  while (true) {
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + zs.total_out);
    zs.avail_out = static_cast<uInt>(out.size() - zs.total_out);
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK && rc != Z_BUF_ERROR) break;
    if (zs.avail_out == 0) {
      out.resize(out.size() * 2);
    } else if (zs.avail_in == 0) {
      break;
    }
  }
  out.resize(zs.total_out);
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("corrupt deflate data");
}

}  // namespace

// ---- writer ---------------------------------------------------------------------------------------------

AvroWriter::AvroWriter(OutputStream& out, DataTypePtr schema, AvroWriterOptions options)
    : out_(out), schema_(std::move(schema)), options_(options) {
  std::random_device rd;
  for (std::size_t i = 0; i < sync_.size(); i += 4) {
    const std::uint32_t r = rd();
    std::memcpy(sync_.data() + i, &r, 4);
  }
  std::string& buf = out_.buffer();
  buf.append(kMagic);
  const char* codec = options_.codec == AvroCodec::kDeflate  ? "deflate"
                      : options_.codec == AvroCodec::kSnappy ? "snappy"
                                                             : "null";
  put_long(2, buf);
  put_bytes("avro.schema", buf);
  put_bytes(to_avro_json(*schema_), buf);
  put_bytes("avro.codec", buf);
  put_bytes(codec, buf);
  put_long(0, buf);
  buf.append(sync_.data(), sync_.size());
}

void AvroWriter::write(const Record& record) {
  std::string reason;
  scratch_.reset();
  fields_.bind(*schema_, record);
  const std::size_t mark = block_.size();
  for (std::size_t i = 0; i < schema_->fields.size(); ++i) {
    if (!encode(fields_.get(record, i), *schema_->fields[i].type, block_, scratch_, reason)) {
      block_.resize(mark);
      throw RecordWriteError("record does not fit the Avro schema: field '" + schema_->fields[i].name +
                             "': " + reason);
    }
  }
  ++block_count_;
  ++count_;
  if (block_count_ >= options_.block_records || block_.size() >= options_.block_bytes) flush_block();
}

void AvroWriter::flush_block() {
  if (block_count_ == 0) return;
  std::string& buf = out_.buffer();
  std::string_view data = block_;
  switch (options_.codec) {
    case AvroCodec::kNull: break;
    case AvroCodec::kDeflate:
      deflate_raw(block_, compressed_);
      data = compressed_;
      break;
    case AvroCodec::kSnappy: {
      snappy::Compress(block_.data(), block_.size(), &compressed_);
      const std::uint32_t crc = crc32_of(block_);
      const char be[4] = {static_cast<char>(crc >> 24), static_cast<char>(crc >> 16),
                          static_cast<char>(crc >> 8), static_cast<char>(crc)};
      compressed_.append(be, 4);
      data = compressed_;
      break;
    }
  }
  put_long(static_cast<std::int64_t>(block_count_), buf);
  put_long(static_cast<std::int64_t>(data.size()), buf);
  buf.append(data);
  buf.append(sync_.data(), sync_.size());
  block_.clear();
  block_count_ = 0;
  out_.maybe_flush();
}

void AvroWriter::finish() {
  flush_block();
  out_.flush();
}

// ---- reader ---------------------------------------------------------------------------------------------

AvroReader::AvroReader(std::string_view content) : content_(content) {
  if (content.substr(0, 4) != kMagic)
    throw RecordFormatError("not an Avro object container file (bad magic)");
  Cursor c(content, 4);
  std::string schema_json;
  codec_name_ = "null";
  try {
    for (std::int64_t n = block_count(c); n != 0; n = block_count(c)) {
      for (std::int64_t i = 0; i < n; ++i) {
        const std::string_view key = c.get_bytes();
        const std::string_view value = c.get_bytes();
        if (key == "avro.schema") schema_json = std::string(value);
        if (key == "avro.codec") codec_name_ = std::string(value);
      }
    }
    const std::string_view sync = c.take(16);
    std::memcpy(sync_.data(), sync.data(), 16);
  } catch (const std::out_of_range& e) {
    throw RecordFormatError(std::string("truncated Avro header: ") + e.what());
  }
  if (schema_json.empty()) throw RecordFormatError("Avro header has no avro.schema");
  if (codec_name_ == "null") {
    codec_ = AvroCodec::kNull;
  } else if (codec_name_ == "deflate") {
    codec_ = AvroCodec::kDeflate;
  } else if (codec_name_ == "snappy") {
    codec_ = AvroCodec::kSnappy;
  } else {
    throw RecordFormatError("unsupported Avro codec '" + codec_name_ + "'");
  }
  schema_ = parse_avro_schema(schema_json);
  pos_ = c.pos();
}

bool AvroReader::load_block() {
  if (pos_ >= content_.size()) return false;
  Cursor c(content_, pos_);
  block_offset_ = pos_;
  const std::int64_t count = c.get_long();
  const std::int64_t size = c.get_long();
  if (count < 0 || size < 0) throw std::out_of_range("negative block count or size");
  const std::string_view data = c.take(static_cast<std::size_t>(size));
  if (c.take(16) != std::string_view(sync_.data(), 16)) throw std::out_of_range("sync marker mismatch");
  pos_ = c.pos();
  switch (codec_) {
    case AvroCodec::kNull: block_ = data; break;
    case AvroCodec::kDeflate:
      inflate_raw(data, block_storage_);
      block_ = block_storage_;
      break;
    case AvroCodec::kSnappy: {
      if (data.size() < 4) throw std::out_of_range("snappy block too short");
      const std::string_view body = data.substr(0, data.size() - 4);
      if (!snappy::Uncompress(body.data(), body.size(), &block_storage_)) {
        throw std::out_of_range("corrupt snappy block");
      }
      const auto* be = reinterpret_cast<const unsigned char*>(data.data() + body.size());
      const std::uint32_t crc = (std::uint32_t{be[0]} << 24) | (std::uint32_t{be[1]} << 16) |
                                (std::uint32_t{be[2]} << 8) | std::uint32_t{be[3]};
      if (crc != crc32_of(block_storage_)) throw std::out_of_range("snappy block checksum mismatch");
      block_ = block_storage_;
      break;
    }
  }
  block_pos_ = 0;
  block_remaining_ = count;
  return true;
}

ReadStatus AvroReader::next(Record& record) {
  if (broken_) return ReadStatus::kEnd;
  try {
    while (block_remaining_ == 0) {
      if (!load_block()) return ReadStatus::kEnd;
    }
  } catch (const std::exception& e) {
    broken_ = true;
    ++records_;
    raw_ = content_.substr(block_offset_);
    position_ = RecordPosition{records_, 0, 0, block_offset_};
    issue_ = RecordIssue{
        std::string("corrupt Avro block: ") + e.what() + "; the rest of the file is unreadable", position_};
    return ReadStatus::kInvalid;
  }
  ++records_;
  record.reset(schema_);
  Cursor c(block_, block_pos_);
  const std::size_t start = block_pos_;
  position_ = RecordPosition{records_, 0, 0, block_offset_};
  try {
    for (std::size_t i = 0; i < schema_->fields.size(); ++i) {
      record[i] = decode(c, *schema_->fields[i].type, record.arena());
    }
  } catch (const std::exception& e) {
    // Inside a block there is no way to find the next record: skip the rest of the block.
    raw_ = block_.substr(start);
    issue_ = RecordIssue{std::string("corrupt Avro record: ") + e.what(), position_};
    block_remaining_ = 0;
    return ReadStatus::kInvalid;
  }
  block_pos_ = c.pos();
  raw_ = block_.substr(start, block_pos_ - start);
  --block_remaining_;
  return ReadStatus::kRecord;
}

}  // namespace sluice::records
