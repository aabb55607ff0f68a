#include "statistics.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace sluice::parquet {

namespace {

template <typename T>
T load(const char* p) {
  T value;
  std::memcpy(&value, p, sizeof(T));
  return value;
}

template <typename T>
std::string plain_bytes(T value) {
  std::string out(sizeof(T), '\0');
  std::memcpy(out.data(), &value, sizeof(T));
  return out;
}

constexpr std::uint64_t kSign32 = 0x8000'0000ULL;
constexpr std::uint64_t kSign64 = 0x8000'0000'0000'0000ULL;

}  // namespace

StatisticsCollector::StatisticsCollector(const ColumnDescriptor& column, std::size_t max_value_size)
    : type_(column.column.type), order_(column.sort_order), max_value_size_(max_value_size) {}

void StatisticsCollector::reset() {
  null_count_ = 0;
  nan_count_ = 0;
  has_value_ = false;
  min_bytes_.clear();
  max_bytes_.clear();
}

void StatisticsCollector::add_key(std::uint64_t key) {
  if (!has_value_) {
    min_key_ = max_key_ = key;
    has_value_ = true;
    return;
  }
  min_key_ = std::min(min_key_, key);
  max_key_ = std::max(max_key_, key);
}

void StatisticsCollector::add_floating(double value) {
  if (std::isnan(value)) {
    ++nan_count_;
    return;
  }
  if (!has_value_) {
    min_double_ = max_double_ = value;
    has_value_ = true;
    return;
  }
  min_double_ = std::min(min_double_, value);
  max_double_ = std::max(max_double_, value);
}

bool StatisticsCollector::bytes_less(std::string_view a, std::string_view b) const {
  if (order_ == SortOrder::kDecimalBytes && !a.empty() && !b.empty()) {
    // Two's complement big-endian of equal length: flipping the sign bit makes the order unsigned.
    const auto a0 = static_cast<unsigned char>(static_cast<unsigned char>(a[0]) ^ 0x80U);
    const auto b0 = static_cast<unsigned char>(static_cast<unsigned char>(b[0]) ^ 0x80U);
    if (a0 != b0) return a0 < b0;
    return a.substr(1) < b.substr(1);
  }
  // std::string_view compares char_traits<char>, which orders as unsigned char.
  return a < b;
}

void StatisticsCollector::add_bytes(std::string_view value) {
  if (!has_value_) {
    min_bytes_.assign(value);
    max_bytes_.assign(value);
    has_value_ = true;
    return;
  }
  if (bytes_less(value, min_bytes_)) min_bytes_.assign(value);
  if (bytes_less(max_bytes_, value)) max_bytes_.assign(value);
}

void StatisticsCollector::add_plain(std::string_view plain, std::size_t count) {
  const char* p = plain.data();
  const bool is_unsigned = order_ == SortOrder::kUnsigned;
  switch (type_) {
    case PhysicalType::kBoolean:
      for (std::size_t i = 0; i < count; ++i) add_key(static_cast<std::uint64_t>(p[i] != 0));
      break;
    case PhysicalType::kInt32:
      for (std::size_t i = 0; i < count; ++i) {
        const std::uint64_t bits = load<std::uint32_t>(p + 4 * i);
        add_key(is_unsigned ? bits : bits ^ kSign32);
      }
      break;
    case PhysicalType::kInt64:
      for (std::size_t i = 0; i < count; ++i) {
        const auto bits = load<std::uint64_t>(p + 8 * i);
        add_key(is_unsigned ? bits : bits ^ kSign64);
      }
      break;
    case PhysicalType::kFloat:
      for (std::size_t i = 0; i < count; ++i) add_floating(load<float>(p + 4 * i));
      break;
    case PhysicalType::kDouble:
      for (std::size_t i = 0; i < count; ++i) add_floating(load<double>(p + 8 * i));
      break;
    case PhysicalType::kByteArray: {
      std::size_t offset = 0;
      for (std::size_t i = 0; i < count; ++i) {
        const auto length = load<std::uint32_t>(p + offset);
        add_bytes(plain.substr(offset + 4, length));
        offset += 4 + length;
      }
      break;
    }
    case PhysicalType::kFixedLenByteArray: {
      const std::size_t width = count == 0 ? 0 : plain.size() / count;
      for (std::size_t i = 0; i < count; ++i) add_bytes(plain.substr(i * width, width));
      break;
    }
  }
}

format::Statistics StatisticsCollector::result() const {
  format::Statistics s;
  s.null_count = null_count_;
  const bool floating = type_ == PhysicalType::kFloat || type_ == PhysicalType::kDouble;
  if (floating) s.nan_count = nan_count_;
  if (!has_value_) return s;
  const bool is_unsigned = order_ == SortOrder::kUnsigned;
  switch (type_) {
    case PhysicalType::kBoolean:
      s.min_value = std::string(1, static_cast<char>(min_key_));
      s.max_value = std::string(1, static_cast<char>(max_key_));
      break;
    case PhysicalType::kInt32: {
      const std::uint64_t flip = is_unsigned ? 0 : kSign32;
      s.min_value = plain_bytes(static_cast<std::uint32_t>(min_key_ ^ flip));
      s.max_value = plain_bytes(static_cast<std::uint32_t>(max_key_ ^ flip));
      break;
    }
    case PhysicalType::kInt64: {
      const std::uint64_t flip = is_unsigned ? 0 : kSign64;
      s.min_value = plain_bytes(min_key_ ^ flip);
      s.max_value = plain_bytes(max_key_ ^ flip);
      break;
    }
    case PhysicalType::kFloat:
    case PhysicalType::kDouble: {
      // A zero bound is written as -0.0 for min and +0.0 for max, whichever zero was seen.
      const double lo = min_double_ == 0.0 ? -0.0 : min_double_;
      const double hi = max_double_ == 0.0 ? 0.0 : max_double_;
      if (type_ == PhysicalType::kFloat) {
        s.min_value = plain_bytes(static_cast<float>(lo));
        s.max_value = plain_bytes(static_cast<float>(hi));
      } else {
        s.min_value = plain_bytes(lo);
        s.max_value = plain_bytes(hi);
      }
      break;
    }
    case PhysicalType::kByteArray:
    case PhysicalType::kFixedLenByteArray:
      if (min_bytes_.size() <= max_value_size_ && max_bytes_.size() <= max_value_size_) {
        s.min_value = min_bytes_;
        s.max_value = max_bytes_;
      }
      break;
  }
  return s;
}

}  // namespace sluice::parquet
