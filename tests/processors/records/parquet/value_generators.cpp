#include "value_generators.hpp"

#include <bit>
#include <cstring>
#include <limits>

#include "decimal128.hpp"
#include "parquet/schema.hpp"

namespace sluice::parquet::fixtures {

namespace {

std::int64_t uniform(std::mt19937_64& rng, std::int64_t lo, std::int64_t hi) {
  return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
}

template <typename T>
const T& pick(std::mt19937_64& rng, const std::vector<T>& options) {
  return options[static_cast<std::size_t>(uniform(rng, 0, static_cast<std::int64_t>(options.size()) - 1))];
}

bool one_in(std::mt19937_64& rng, int n) {
  return uniform(rng, 0, n - 1) == 0;
}

std::string random_bytes(std::mt19937_64& rng, std::size_t n) {
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(uniform(rng, 0, 255));
  return out;
}

// Timestamps within about ten thousand years of 1970 (what DuckDB's TIMESTAMP can show), nanos within
// the int64 range less the values DuckDB reserves for infinity.
std::int64_t timestamp_limit(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kMillis: return 250'000'000'000'000;
    case TimeUnit::kMicros: return 250'000'000'000'000'000;
    case TimeUnit::kNanos: return 9'000'000'000'000'000'000;
  }
  return 0;
}

std::int64_t pow10(int n) {
  std::int64_t v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

Value random_decimal(const Column& c, std::mt19937_64& rng, bool edge) {
  const std::int32_t p = c.logical.precision;
  if (p <= 18) {
    const std::int64_t limit = pow10(p) - 1;
    const std::int64_t v =
        edge ? pick(rng, std::vector<std::int64_t>{limit, -limit, 0, 1, -1}) : uniform(rng, -limit, limit);
    return DecimalValue{v};
  }
  Int128 limit = 1;
  for (int i = 0; i < p; ++i) limit *= 10;
  limit -= 1;
  Int128 v = 0;
  if (edge) {
    v = pick(rng, std::vector<int>{1, -1, 0}) * limit;
  } else {
    const auto random = (static_cast<UInt128>(rng()) << 64U) | rng();
    v = static_cast<Int128>(random % static_cast<UInt128>(limit + 1));
    if (one_in(rng, 2)) v = -v;
  }
  return to_big_endian(v, c.type_length);
}

Value random_integer(const Column& c, std::mt19937_64& rng, bool edge) {
  const LogicalType& l = c.logical;
  std::int64_t lo = c.type == PhysicalType::kInt32 ? std::numeric_limits<std::int32_t>::min()
                                                   : std::numeric_limits<std::int64_t>::min();
  std::int64_t hi = c.type == PhysicalType::kInt32 ? std::numeric_limits<std::int32_t>::max()
                                                   : std::numeric_limits<std::int64_t>::max();
  switch (l.kind) {
    case LogicalKind::kInteger:
      if (l.is_signed) {
        if (l.bit_width < 64) {
          hi = (std::int64_t{1} << (l.bit_width - 1)) - 1;
          lo = -hi - 1;
        }
      } else {
        lo = 0;
        hi = l.bit_width == 64 ? std::numeric_limits<std::int64_t>::max()
                               : (std::int64_t{1} << l.bit_width) - 1;
      }
      break;
    case LogicalKind::kDate:
      lo = -1'000'000;
      hi = 1'000'000;
      break;
    case LogicalKind::kTime:
      lo = 0;
      hi = units_per_day(l.unit);
      break;
    case LogicalKind::kTimestamp:
      hi = timestamp_limit(l.unit);
      lo = -hi;
      break;
    default: break;
  }
  if (edge)
    return pick(
        rng, std::vector<std::int64_t>{lo, hi, std::max<std::int64_t>(lo, 0), std::min<std::int64_t>(hi, 1)});
  return uniform(rng, lo, hi);
}

double random_double(std::mt19937_64& rng, bool edge) {
  if (edge) {
    return pick(rng, std::vector<double>{
                         0.0, -0.0, std::numeric_limits<double>::quiet_NaN(),
                         std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                         std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest(),
                         std::numeric_limits<double>::denorm_min(), 1.0, -1.5});
  }
  if (one_in(rng, 2)) return std::uniform_real_distribution<double>(-1e6, 1e6)(rng);
  return std::bit_cast<double>(rng());  // any bit pattern, NaN payloads included
}

float random_float(std::mt19937_64& rng, bool edge) {
  if (edge) {
    return pick(
        rng, std::vector<float>{
                 0.0F, -0.0F, std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                 -std::numeric_limits<float>::infinity(), std::numeric_limits<float>::max(),
                 std::numeric_limits<float>::lowest(), std::numeric_limits<float>::denorm_min(), 1.0F});
  }
  if (one_in(rng, 2)) return std::uniform_real_distribution<float>(-1e4F, 1e4F)(rng);
  return std::bit_cast<float>(static_cast<std::uint32_t>(rng()));
}

// Valid JSON text (DuckDB checks it): a note of any characters, escaped where JSON needs it.
std::string random_json(std::mt19937_64& rng) {
  std::string note;
  for (char c : random_utf8(rng, 8)) {
    if (c == '"' || c == '\\') note.push_back('\\');
    note.push_back(c);
  }
  return R"({"id":)" + std::to_string(uniform(rng, -1000, 1000)) + R"(,"tags":["a","b"],"note":")" + note +
         R"(","ok":true})";
}

}  // namespace

const std::vector<ColumnKind>& column_kinds() {
  static const std::vector<ColumnKind> kKinds{
      {"bool", PhysicalType::kBoolean, {}},
      {"int32", PhysicalType::kInt32, {}},
      {"int64", PhysicalType::kInt64, {}},
      {"int8", PhysicalType::kInt32, LogicalType::integer(8, true)},
      {"uint8", PhysicalType::kInt32, LogicalType::integer(8, false)},
      {"int16", PhysicalType::kInt32, LogicalType::integer(16, true)},
      {"uint16", PhysicalType::kInt32, LogicalType::integer(16, false)},
      {"int32_annotated", PhysicalType::kInt32, LogicalType::integer(32, true)},
      {"uint32", PhysicalType::kInt32, LogicalType::integer(32, false)},
      {"int64_annotated", PhysicalType::kInt64, LogicalType::integer(64, true)},
      {"uint64", PhysicalType::kInt64, LogicalType::integer(64, false)},
      {"float", PhysicalType::kFloat, {}},
      {"double", PhysicalType::kDouble, {}},
      {"string", PhysicalType::kByteArray, LogicalType::string()},
      {"json", PhysicalType::kByteArray, LogicalType::json()},
      {"enum", PhysicalType::kByteArray, LogicalType::enumeration()},
      {"binary", PhysicalType::kByteArray, {}},
      {"fixed5", PhysicalType::kFixedLenByteArray, {}, 5},
      {"uuid", PhysicalType::kFixedLenByteArray, LogicalType::uuid(), 16},
      {"date", PhysicalType::kInt32, LogicalType::date()},
      {"time_ms", PhysicalType::kInt32, LogicalType::time(TimeUnit::kMillis, false)},
      {"time_us", PhysicalType::kInt64, LogicalType::time(TimeUnit::kMicros, true)},
      {"time_ns", PhysicalType::kInt64, LogicalType::time(TimeUnit::kNanos, false)},
      {"ts_ms_utc", PhysicalType::kInt64, LogicalType::timestamp(TimeUnit::kMillis, true)},
      {"ts_ms_local", PhysicalType::kInt64, LogicalType::timestamp(TimeUnit::kMillis, false)},
      {"ts_us_utc", PhysicalType::kInt64, LogicalType::timestamp(TimeUnit::kMicros, true)},
      {"ts_us_local", PhysicalType::kInt64, LogicalType::timestamp(TimeUnit::kMicros, false)},
      {"ts_ns_utc", PhysicalType::kInt64, LogicalType::timestamp(TimeUnit::kNanos, true)},
      {"ts_ns_local", PhysicalType::kInt64, LogicalType::timestamp(TimeUnit::kNanos, false)},
      {"dec_int32", PhysicalType::kInt32, LogicalType::decimal(9, 2)},
      {"dec_int32_scale0", PhysicalType::kInt32, LogicalType::decimal(4, 0)},
      {"dec_int64", PhysicalType::kInt64, LogicalType::decimal(18, 4)},
      {"dec_fixed5", PhysicalType::kFixedLenByteArray, LogicalType::decimal(11, 3), 5},
      {"dec_fixed16", PhysicalType::kFixedLenByteArray, LogicalType::decimal(38, 10), 16},
  };
  return kKinds;
}

Column make_column(const ColumnKind& kind, std::string name, Repetition repetition) {
  return {.name = std::move(name),
          .type = kind.type,
          .logical = kind.logical,
          .repetition = repetition,
          .type_length = kind.type_length};
}

std::string random_utf8(std::mt19937_64& rng, std::size_t max_chars) {
  static const std::vector<std::string> kWide{"\xC3\xA9",     "\xC3\x9F",         "\xE2\x82\xAC",
                                              "\xE4\xB8\xAD", "\xF0\x9F\x98\x80", "\xF0\x9D\x84\x9E"};
  const auto chars = static_cast<std::size_t>(uniform(rng, 0, static_cast<std::int64_t>(max_chars)));
  std::string out;
  for (std::size_t i = 0; i < chars; ++i) {
    if (one_in(rng, 6)) {
      out += pick(rng, kWide);
    } else {
      out.push_back(static_cast<char>(uniform(rng, 0x20, 0x7E)));
    }
  }
  return out;
}

Value random_value(const Column& c, std::mt19937_64& rng) {
  const bool edge = one_in(rng, 8);
  if (c.logical.kind == LogicalKind::kDecimal) return random_decimal(c, rng, edge);
  switch (c.type) {
    case PhysicalType::kBoolean: return one_in(rng, 2);
    case PhysicalType::kInt32:
    case PhysicalType::kInt64: return random_integer(c, rng, edge);
    case PhysicalType::kFloat: return random_float(rng, edge);
    case PhysicalType::kDouble: return random_double(rng, edge);
    case PhysicalType::kFixedLenByteArray: return random_bytes(rng, static_cast<std::size_t>(c.type_length));
    case PhysicalType::kByteArray: break;
  }
  switch (c.logical.kind) {
    case LogicalKind::kString: return edge ? std::string() : random_utf8(rng, one_in(rng, 20) ? 1500 : 30);
    case LogicalKind::kJson: return random_json(rng);
    case LogicalKind::kEnum: return pick(rng, std::vector<std::string>{"ok", "warn", "error", "unknown"});
    default: return random_bytes(rng, static_cast<std::size_t>(uniform(rng, 0, edge ? 0 : 64)));
  }
}

std::optional<Value> invalid_value(const Column& c, std::mt19937_64& rng) {
  std::vector<Value> bad;
  if (c.repetition == Repetition::kRequired) bad.emplace_back(std::monostate{});
  const LogicalType& l = c.logical;
  switch (c.type) {
    case PhysicalType::kBoolean: bad.emplace_back(1.5); break;
    case PhysicalType::kInt32:
    case PhysicalType::kInt64:
      bad.emplace_back(std::string("not a number"));
      if (l.kind == LogicalKind::kInteger && l.bit_width < 32)
        bad.emplace_back(std::int64_t{1} << l.bit_width);
      if (l.kind == LogicalKind::kInteger && !l.is_signed) bad.emplace_back(std::int64_t{-1});
      if (l.kind == LogicalKind::kTime) bad.emplace_back(std::int64_t{-1});
      if (l.kind == LogicalKind::kDecimal) bad.emplace_back(DecimalValue{pow10(l.precision)});
      if (c.type == PhysicalType::kInt32 && l.kind == LogicalKind::kNone)
        bad.emplace_back(std::int64_t{1} << 40);
      break;
    case PhysicalType::kFloat: bad.emplace_back(2.5); break;
    case PhysicalType::kDouble: bad.emplace_back(2.5F); break;
    case PhysicalType::kFixedLenByteArray:
      bad.emplace_back(std::string(static_cast<std::size_t>(c.type_length) + 1, 'x'));
      if (l.kind == LogicalKind::kDecimal && l.precision <= 18)
        bad.emplace_back(DecimalValue{pow10(l.precision)});
      break;
    case PhysicalType::kByteArray:
      bad.emplace_back(std::int64_t{1});
      if (l.kind == LogicalKind::kString || l.kind == LogicalKind::kJson || l.kind == LogicalKind::kEnum) {
        bad.emplace_back(std::string("bad \xFF\xFE utf-8"));
      }
      break;
  }
  if (bad.empty()) return std::nullopt;
  return pick(rng, bad);
}

}  // namespace sluice::parquet::fixtures
