#include "fixture_model.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "decimal128.hpp"
#include "parquet/schema.hpp"

namespace sluice::parquet::fixtures {

namespace {

using nlohmann::json;

const char* unit_name(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kMillis: return "MILLIS";
    case TimeUnit::kMicros: return "MICROS";
    case TimeUnit::kNanos: return "NANOS";
  }
  return "?";
}

const char* codec_name(Codec codec) {
  switch (codec) {
    case Codec::kUncompressed: return "UNCOMPRESSED";
    case Codec::kSnappy: return "SNAPPY";
    case Codec::kGzip: return "GZIP";
    case Codec::kZstd: return "ZSTD";
  }
  return "?";
}

json logical_json(const LogicalType& l) {
  switch (l.kind) {
    case LogicalKind::kNone: return nullptr;
    case LogicalKind::kString: return {{"kind", "STRING"}};
    case LogicalKind::kJson: return {{"kind", "JSON"}};
    case LogicalKind::kEnum: return {{"kind", "ENUM"}};
    case LogicalKind::kUuid: return {{"kind", "UUID"}};
    case LogicalKind::kDate: return {{"kind", "DATE"}};
    case LogicalKind::kTime: return {{"kind", "TIME"}, {"unit", unit_name(l.unit)}, {"utc", l.utc_adjusted}};
    case LogicalKind::kTimestamp:
      return {{"kind", "TIMESTAMP"}, {"unit", unit_name(l.unit)}, {"utc", l.utc_adjusted}};
    case LogicalKind::kDecimal: return {{"kind", "DECIMAL"}, {"precision", l.precision}, {"scale", l.scale}};
    case LogicalKind::kInteger: return {{"kind", "INTEGER"}, {"bits", l.bit_width}, {"signed", l.is_signed}};
  }
  return nullptr;
}

json column_json(const Column& c) {
  return {{"name", c.name},
          {"physical", physical_type_name(c.type)},
          {"logical", logical_json(c.logical)},
          {"required", c.repetition == Repetition::kRequired},
          {"type_length", c.type_length}};
}

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out.push_back(kDigits[b >> 4U]);
    out.push_back(kDigits[b & 0xFU]);
  }
  return out;
}

// Exact decimal text of a double: 17 significant digits parse back to the same double in JavaScript.
std::string number_text(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  if (d == 0) return std::signbit(d) ? "-0" : "0";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  return buf;
}

json value_json(const Column& c, const Value& value) {
  return std::visit(
      [&](const auto& v) -> json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return nullptr;
        } else if constexpr (std::is_same_v<T, bool>) {
          return v;
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return std::to_string(v);
        } else if constexpr (std::is_same_v<T, DecimalValue>) {
          return std::to_string(v.unscaled);
        } else if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
          return number_text(static_cast<double>(v));
        } else {
          const LogicalKind kind = c.logical.kind;
          if (kind == LogicalKind::kString || kind == LogicalKind::kJson || kind == LogicalKind::kEnum)
            return v;
          if (kind == LogicalKind::kDecimal) return big_endian_text(v);
          return hex(v);
        }
      },
      value);
}

}  // namespace

CaseWriter::CaseWriter(const std::string& dir, Case c) : case_(std::move(c)) {
  sink_ = std::make_unique<FileSink>(dir + "/" + case_.name + ".parquet");
  writer_ = std::make_unique<Writer>(*sink_, case_.columns, case_.options);
  json_.open(dir + "/" + case_.name + ".json");
  if (!json_) throw std::runtime_error("cannot write " + dir + "/" + case_.name + ".json");
  json columns = json::array();
  for (const Column& col : case_.columns) columns.push_back(column_json(col));
  json kv = json::object();
  for (const KeyValue& entry : case_.options.key_value_metadata) kv[entry.key] = entry.value;
  json head = {{"name", case_.name},
               {"codec", codec_name(case_.options.codec)},
               {"dictionary", case_.options.dictionary},
               {"key_value_metadata", kv},
               {"columns", columns}};
  std::string text = head.dump();
  text.pop_back();  // leave the object open for the rows
  json_ << text << ",\"rows\":[";
}

CaseWriter::~CaseWriter() = default;

void CaseWriter::append(std::size_t column, const Value& value) {
  Writer& w = *writer_;
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          w.append_null(column);
        } else if constexpr (std::is_same_v<T, bool>) {
          w.append_bool(column, v);
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          w.append_int64(column, v);
        } else if constexpr (std::is_same_v<T, float>) {
          w.append_float(column, v);
        } else if constexpr (std::is_same_v<T, double>) {
          w.append_double(column, v);
        } else if constexpr (std::is_same_v<T, DecimalValue>) {
          w.append_decimal(column, v.unscaled);
        } else {
          w.append_bytes(column, v);
        }
      },
      value);
}

void CaseWriter::record(const Row& values) {
  json line = json::array();
  for (std::size_t i = 0; i < values.size(); ++i) line.push_back(value_json(case_.columns[i], values[i]));
  json_ << (rows_ == 0 ? "" : ",") << line.dump();
  ++rows_;
}

void CaseWriter::row(const Row& values) {
  for (std::size_t i = 0; i < values.size(); ++i) append(i, values[i]);
  writer_->end_row();
  record(values);
}

void CaseWriter::cancelled_row(const Row& values, std::size_t count) {
  for (std::size_t i = 0; i < count && i < values.size(); ++i) append(i, values[i]);
  writer_->cancel_row();
}

void CaseWriter::row_after_rejected_value(const Row& values, std::size_t column, const Value& bad) {
  for (std::size_t i = 0; i < column; ++i) append(i, values[i]);
  bool rejected = false;
  try {
    append(column, bad);
  } catch (const ParquetError&) {
    rejected = true;
  }
  if (!rejected)
    throw std::runtime_error(case_.name + ": a bad value for column " + std::to_string(column) +
                             " was accepted");
  for (std::size_t i = column; i < values.size(); ++i) append(i, values[i]);
  writer_->end_row();
  record(values);
}

void CaseWriter::flush_row_group() {
  writer_->flush_row_group();
}

void CaseWriter::finish() {
  writer_->close();
  sink_->finish(false);
  json_ << "],\"rows_written\":" << writer_->rows_written()
        << ",\"row_groups\":" << writer_->row_groups_written() << "}\n";
  json_.close();
  if (!json_) throw std::runtime_error("cannot finish " + case_.name + ".json");
}

}  // namespace sluice::parquet::fixtures
